//! Opens the built example site in headless Chromium from `file://` (docs/architecture.md#pages):
//! the portfolio, a campaign report, a post-mortem and the search page must render with content and
//! no console error; screenshots are saved under `target/screenshots/` for people to look at.
//!
//! Needs Debian's `chromium`, so it is `#[ignore]`d in a plain `cargo test` on a fresh machine;
//! `.ci/run` installs Chromium and runs it with `cargo test --test browser -- --ignored`.

mod common;

use std::path::Path;
use std::process::Command;

/// What `probe` (a script that posts one message to its parent) reports about the page at
/// `page`, loaded into a `width` × `height` iframe: headless Chromium keeps its window wider than
/// a phone, so the page measures itself inside a frame of the exact size. The probe and frame
/// files are written beside the page (so relative links resolve) and removed after.
fn probed(page: &Path, probe: &str, (width, height): (u32, u32), window: &str) -> String {
    let html = std::fs::read_to_string(page).unwrap();
    let measured = page.with_file_name("probe-page.html");
    let framed = page.with_file_name("probe-frame.html");
    std::fs::write(&measured, html.replacen("</body>", probe, 1)).unwrap();
    std::fs::write(
        &framed,
        format!(
            "<!doctype html><meta charset=\"utf-8\"><title>f</title><p id=\"out\">none</p>\
             <iframe src=\"probe-page.html\" width=\"{width}\" height=\"{height}\" style=\"border:0\"></iframe>\
             <script>addEventListener('message', function (e) {{ document.getElementById('out').textContent = e.data; }});</script>"
        ),
    )
    .unwrap();
    let dom = chromium(&[
        &format!("--window-size={window}"),
        "--virtual-time-budget=5000",
        "--dump-dom",
        &format!("file://{}", framed.display()),
    ]);
    std::fs::remove_file(&measured).unwrap();
    std::fs::remove_file(&framed).unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    dom.split("<p id=\"out\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap_or_else(|| panic!("{}: no measurement in\n{dom}", page.display()))
        .to_string()
}

fn chromium(args: &[&str]) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .output()
        .expect("chromium is installed (apt-get install chromium)")
}

#[test]
#[ignore = "needs chromium; run by .ci/run"]
fn pages_render_in_headless_chromium_from_file_urls() {
    let site = common::built_example();
    let shots = common::repo().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let pages = [
        ("index.html", "活动总览", "portfolio"),
        (
            "campaigns/nuanbake-summer-2025/index.html",
            "t_active30",
            "campaign",
        ),
        (
            "campaigns/nuanbake-summer-2025/retro/index.html",
            "预算复盘",
            "retro",
        ),
        (
            "search/index.html?q=%E5%8D%B1%E6%9C%BA",
            "舆情与危机公关预案",
            "search",
        ),
    ];
    for (page, expected, name) in pages {
        let url = format!("file://{}/public/{page}", site.path().display());
        let dom = chromium(&["--dump-dom", &url]);
        let html = String::from_utf8_lossy(&dom.stdout);
        let log = String::from_utf8_lossy(&dom.stderr);
        assert!(
            html.contains("<main>") && html.contains(expected),
            "{page}: blank or wrong page:\n{html}"
        );
        let console_errors: Vec<&str> = log
            .lines()
            .filter(|l| l.contains("Uncaught") || (l.contains("CONSOLE") && l.contains("Error")))
            .collect();
        assert!(
            console_errors.is_empty(),
            "{page}: console errors:\n{}",
            console_errors.join("\n")
        );
        let shot = shots.join(format!("{name}.png"));
        let out = chromium(&[
            "--window-size=1200,1600",
            &format!("--screenshot={}", shot.display()),
            &url,
        ]);
        assert!(
            shot.is_file(),
            "{page}: no screenshot: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The search page found the playbook through the script, not just the static list.
    let url = format!(
        "file://{}/public/search/index.html?q=%E5%8D%B1%E6%9C%BA",
        site.path().display()
    );
    let html = String::from_utf8_lossy(&chromium(&["--dump-dom", &url]).stdout).into_owned();
    let results = html
        .split("<ol id=\"results\">")
        .nth(1)
        .unwrap_or("")
        .split("</ol>")
        .next()
        .unwrap_or("");
    assert!(
        results.contains("舆情与危机公关预案"),
        "search results: {results}"
    );
    // Each result carries a snippet of the page around the match.
    assert!(
        results.contains("class=\"snippet\"") && results.contains("危机"),
        "search results: {results}"
    );
    assert!(html.contains("<p id=\"empty\" hidden=\"\">"), "{html}");
    // A query nothing matches says so.
    let url = format!(
        "file://{}/public/search/index.html?q=zzzqqq",
        site.path().display()
    );
    let html = String::from_utf8_lossy(&chromium(&["--dump-dom", &url]).stdout).into_owned();
    assert!(
        html.contains("<p id=\"empty\">没有找到匹配的页面"),
        "{html}"
    );
}

/// At a phone's width no page and no box in it scrolls sideways (folded chart tables opened), no
/// chart text renders below 10 px, no table cell is squeezed to a character a line and no card
/// shows a label with nothing beside it. Headless Chromium keeps a window wider than a phone (485 px
/// here), so each page is loaded into a 390 px iframe; a copy of the page measures itself there
/// (scroll width, viewport, the smallest rendered SVG text: font size × the SVG's scale) and posts
/// the figures to the frame, which writes them into its DOM for Chromium to dump.
#[test]
#[ignore = "needs chromium; run by .ci/run"]
fn at_390_px_no_page_or_box_scrolls_sideways_and_chart_text_stays_legible() {
    let site = common::built_example();
    let public = site.path().join("public");
    let probe = "<script>(function () {
  var min = 1e9, texts = 0;
  document.querySelectorAll('svg text').forEach(function (t) {
    if (!t.getBoundingClientRect().width) return;
    var svg = t.ownerSVGElement, box = svg.viewBox.baseVal;
    var scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
    var size = parseFloat(getComputedStyle(t).fontSize) * scale;
    texts += 1;
    if (size < min) min = size;
  });
  // Cells squeezed to about one character a line: narrower than two characters, with more text.
  var squeezed = 0;
  document.querySelectorAll('th, td, dt, dd').forEach(function (c) {
    var w = c.getBoundingClientRect().width, size = parseFloat(getComputedStyle(c).fontSize);
    // A card table's header is hidden on phones (its labels move into the cells).
    if (c.closest('table.cards > thead')) return;
    if (w > 0 && w < 2 * size && c.textContent.trim().length > 2) squeezed += 1;
  });
  // Card cells shown with their label and nothing beside it (a metric with no note).
  var bare = 0;
  document.querySelectorAll('table.cards td[data-label]').forEach(function (c) {
    if (getComputedStyle(c).display != 'none' && !c.textContent.trim()) bare += 1;
  });
  // Boxes that scroll sideways inside the page, with every folded chart table opened.
  document.querySelectorAll('details').forEach(function (e) { e.open = true; });
  var boxes = [];
  document.querySelectorAll('body *').forEach(function (e) {
    var s = getComputedStyle(e);
    if ((s.overflowX == 'auto' || s.overflowX == 'scroll') && e.scrollWidth > e.clientWidth + 1) {
      var near = e.closest('[id]');
      boxes.push(e.tagName.toLowerCase() + (near ? '@' + near.id : ''));
    }
  });
  var d = document.documentElement;
  parent.postMessage([d.scrollWidth, d.clientWidth, texts ? min.toFixed(2) : 'none', texts, squeezed, bare, boxes.join(',') || '-'].join(' '), '*');
})();</script></body>";
    let mut wide = Vec::new();
    let mut small = Vec::new();
    let mut narrow_cells = Vec::new();
    let mut scrolling = Vec::new();
    let mut charts_seen = 0;
    for entry in walkdir::WalkDir::new(&public).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "html") || path.ends_with("404.html") {
            continue;
        }
        let result = probed(path, probe, (390, 900), "1000,1000");
        let figures: Vec<&str> = result.split(' ').collect();
        let [width, viewport, min_text, texts, squeezed, bare, boxes] = figures[..] else {
            panic!("{}: no measurement in {result}", path.display());
        };
        let (width, viewport): (u32, u32) = (width.parse().unwrap(), viewport.parse().unwrap());
        let page = path.strip_prefix(&public).unwrap().display().to_string();
        // The frame is 390 px; a scroll bar may take some of it, never more.
        assert!(
            (360..=390).contains(&viewport),
            "{page}: the frame's viewport is {viewport} px"
        );
        if width > viewport {
            wide.push(format!(
                "{page} is {width} px wide in a {viewport} px viewport"
            ));
        }
        if boxes != "-" {
            scrolling.push(format!("{page}: {boxes}"));
        }
        if squeezed != "0" {
            narrow_cells.push(format!("{page}: {squeezed} table cells a character wide"));
        }
        if bare != "0" {
            narrow_cells.push(format!(
                "{page}: {bare} card labels with nothing beside them"
            ));
        }
        if min_text != "none" {
            charts_seen += texts.parse::<u32>().unwrap();
            let px: f64 = min_text.parse().unwrap();
            if px < 10.0 {
                small.push(format!("{page}: chart text renders at {px} px"));
            }
        }
    }
    assert!(
        charts_seen > 100,
        "only {charts_seen} chart texts were measured"
    );
    assert!(
        wide.is_empty(),
        "pages wider than 390 px:\n{}",
        wide.join("\n")
    );
    assert!(
        scrolling.is_empty(),
        "boxes that scroll sideways at 390 px (tag@nearest id):\n{}",
        scrolling.join("\n")
    );
    assert!(
        small.is_empty(),
        "chart text below 10 px:\n{}",
        small.join("\n")
    );
    assert!(
        narrow_cells.is_empty(),
        "table cells a character wide, or card labels with nothing beside them:\n{}",
        narrow_cells.join("\n")
    );
}

/// A playbook's table cell styled to cover the page (`position: fixed`, `z-index`, a remote
/// background) is drawn in its table: in a real browser the cell is not positioned, the middle
/// of the page is the page's own content, and no style asks for the remote image.
#[test]
#[ignore = "needs chromium; run by .ci/run"]
fn an_author_style_cannot_cover_the_page() {
    let site = common::copy_fixture("base");
    let playbook = site.path().join("content/playbooks/welcome.md");
    let mut text = std::fs::read_to_string(&playbook).unwrap();
    text.push_str(
        "\n<table><tr><td id=\"evil\" style=\"position:fixed;top:0;left:0;width:100vw;height:100vh;z-index:9999;background:red url(https://evil.example/x.png)\">covered</td></tr></table>\n",
    );
    std::fs::write(&playbook, text).unwrap();
    common::build_site(site.path());
    let page = site.path().join("public/playbooks/welcome/index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        !html.contains("evil.example") && !html.contains("z-index:9999"),
        "{html}"
    );
    let probe = "<script>(function () {
  var cell = document.getElementById('evil');
  var hit = document.elementFromPoint(innerWidth / 2, innerHeight / 2);
  var where = cell ? getComputedStyle(cell).position : 'gone';
  parent.postMessage([where, hit && cell && cell.contains(hit) ? 'covered' : 'clear'].join(' '), '*');
})();</script></body>";
    let measured = page.with_file_name("probe.html");
    std::fs::write(&measured, html.replacen("</body>", probe, 1)).unwrap();
    let frame = page.with_file_name("frame.html");
    std::fs::write(
        &frame,
        "<!doctype html><meta charset=\"utf-8\"><title>f</title><p id=\"out\">none</p>\
         <iframe src=\"probe.html\" width=\"1000\" height=\"800\"></iframe>\
         <script>addEventListener('message', function (e) { document.getElementById('out').textContent = e.data; });</script>",
    )
    .unwrap();
    let dom = chromium(&[
        "--window-size=1100,1000",
        "--virtual-time-budget=5000",
        "--dump-dom",
        &format!("file://{}", frame.display()),
    ]);
    let dom = String::from_utf8_lossy(&dom.stdout);
    let result = dom
        .split("<p id=\"out\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap_or("");
    assert_eq!(result, "static clear", "{dom}");
}

/// Each campaign report opens with its three answers (goals, money, next): at 390×844 and at
/// 1280×900 each starts within the first screen (804 px and 860 px from the top), so a manager
/// reads all three before scrolling.
#[test]
#[ignore = "needs chromium; run by .ci/run"]
fn the_three_answers_start_on_the_first_screen_at_both_sizes() {
    let site = common::built_example();
    let public = site.path().join("public");
    let probe = "<script>(function () {
  var tops = ['goals', 'money', 'next'].map(function (a) {
    var e = document.querySelector('[data-answer=\"' + a + '\"]');
    return e ? Math.round(e.getBoundingClientRect().top + window.scrollY) : -1;
  });
  parent.postMessage(tops.join(' '), '*');
})();</script></body>";
    let mut late = Vec::new();
    let mut measured_pages = 0;
    for entry in std::fs::read_dir(public.join("campaigns")).unwrap() {
        let dir = entry.unwrap().path();
        let page = dir.join("index.html");
        if !page.is_file() {
            continue;
        }
        measured_pages += 1;
        let html = std::fs::read_to_string(&page).unwrap();
        let probed = dir.join("answers-probe.html");
        std::fs::write(&probed, html.replacen("</body>", probe, 1)).unwrap();
        for (width, height, limit) in [(390, 844, 804), (1280, 900, 860)] {
            let frame = dir.join("answers-frame.html");
            std::fs::write(
                &frame,
                format!(
                    "<!doctype html><meta charset=\"utf-8\"><title>f</title><p id=\"out\">none</p>\
                     <iframe src=\"answers-probe.html\" width=\"{width}\" height=\"{height}\" style=\"border:0\"></iframe>\
                     <script>addEventListener('message', function (e) {{ document.getElementById('out').textContent = e.data; }});</script>"
                ),
            )
            .unwrap();
            let dom = chromium(&[
                "--window-size=1400,1000",
                "--virtual-time-budget=5000",
                "--dump-dom",
                &format!("file://{}", frame.display()),
            ]);
            let dom = String::from_utf8_lossy(&dom.stdout);
            let tops: Vec<i64> = dom
                .split("<p id=\"out\">")
                .nth(1)
                .and_then(|r| r.split('<').next())
                .map(|t| t.split(' ').filter_map(|n| n.parse().ok()).collect())
                .unwrap_or_default();
            assert_eq!(
                tops.len(),
                3,
                "{}: no measurement in\n{dom}",
                page.display()
            );
            for (answer, top) in ["goals", "money", "next"].iter().zip(&tops) {
                if *top < 0 || *top > limit {
                    late.push(format!(
                        "{} at {width}×{height}: `{answer}` starts at {top} px (limit {limit})",
                        dir.file_name().unwrap().to_string_lossy()
                    ));
                }
            }
        }
    }
    assert_eq!(measured_pages, 3);
    assert!(
        late.is_empty(),
        "answers below the first screen:\n{}",
        late.join("\n")
    );
}

/// Printed on A4, each campaign report fits 8 pages and its first page holds the three answers
/// (chart tables stay on screen; two charts share a row on paper).
#[test]
#[ignore = "needs chromium and pdftotext; run by .ci/run"]
fn a_printed_report_fits_eight_pages_with_the_answers_on_the_first() {
    let site = common::built_example();
    let public = site.path().join("public");
    let mut measured = 0;
    for entry in std::fs::read_dir(public.join("campaigns")).unwrap() {
        let dir = entry.unwrap().path();
        let page = dir.join("index.html");
        if !page.is_file() {
            continue;
        }
        measured += 1;
        let pdf = dir.join("report.pdf");
        chromium(&[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
            &format!("file://{}", page.display()),
        ]);
        let text = |pages: &[&str]| {
            let out = Command::new("pdftotext")
                .args(pages)
                .arg(&pdf)
                .arg("-")
                .output()
                .expect("pdftotext is installed (apt-get install poppler-utils)");
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        let all = text(&[]);
        let pages = all.matches('\u{c}').count();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!((1..=8).contains(&pages), "{name}: {pages} pages");
        let first = text(&["-f", "1", "-l", "1"]);
        for heading in ["目标达成了吗", "钱花在哪里", "下一步"] {
            assert!(
                first.contains(heading),
                "{name}: page 1 lacks {heading}:\n{first}"
            );
        }
    }
    assert_eq!(measured, 3);
}

/// At 1280 px every chart's caption is at least as large as the largest text the chart renders
/// (tick labels, legend): a caption smaller than the axes it titles reads as a footnote.
#[test]
#[ignore = "needs chromium; run by .ci/run"]
fn at_1280_px_chart_captions_are_no_smaller_than_chart_text() {
    let site = common::built_example();
    let public = site.path().join("public");
    let probe = "<script>(function () {
  var out = [], figures = 0;
  document.querySelectorAll('figure').forEach(function (f) {
    var cap = f.querySelector('figcaption');
    if (!cap) return;
    var capSize = parseFloat(getComputedStyle(cap).fontSize), max = 0;
    f.querySelectorAll('svg text').forEach(function (t) {
      if (!t.getBoundingClientRect().width) return;
      var svg = t.ownerSVGElement, box = svg.viewBox.baseVal;
      var scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
      max = Math.max(max, parseFloat(getComputedStyle(t).fontSize) * scale);
    });
    if (max > 0) figures += 1;
    if (max > capSize + 0.5) out.push(f.id + ':' + max.toFixed(1) + '>' + capSize.toFixed(1));
  });
  parent.postMessage(figures + ' ' + (out.join(',') || '-'), '*');
})();</script></body>";
    let mut large = Vec::new();
    let mut figures = 0;
    for entry in walkdir::WalkDir::new(&public).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        if !std::fs::read_to_string(path).unwrap().contains("<figure") {
            continue;
        }
        let result = probed(path, probe, (1280, 900), "1400,1000");
        let (count, found) = result
            .split_once(' ')
            .unwrap_or_else(|| panic!("{}: {result}", path.display()));
        figures += count.parse::<usize>().unwrap();
        if found != "-" {
            let page = path.strip_prefix(&public).unwrap().display().to_string();
            large.push(format!("{page}: {found}"));
        }
    }
    assert!(figures > 10, "only {figures} charts measured");
    assert!(
        large.is_empty(),
        "chart text larger than its caption (px):\n{}",
        large.join("\n")
    );
}
