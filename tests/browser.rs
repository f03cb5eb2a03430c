//! Opens the built example site in headless Chromium from `file://` (DESIGN §7): the
//! portfolio, a campaign report, a post-mortem and the search page must render with content and
//! no console error; screenshots are saved under `target/screenshots/` for people to look at.
//!
//! Needs Debian's `chromium`, so it is `#[ignore]`d in a plain `cargo test` on a fresh machine;
//! `.ci/run` installs Chromium and runs it with `cargo test --test browser -- --ignored`.

mod common;

use std::process::Command;

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
    let site = common::copy_example();
    let out = assert_cmd::Command::cargo_bin("qunce")
        .unwrap()
        .args(["build", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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

/// At a phone's width no page scrolls sideways: a copy of each page measures its own scroll
/// width against its viewport with a script and writes both into the DOM, which Chromium dumps.
/// The window is asked for 390 px; headless Chromium may keep a wider minimum (485 px here), so
/// the test compares with the viewport it really got — the phone layout (under 40rem) applies
/// either way.
#[test]
#[ignore = "needs chromium; run by .ci/run"]
fn no_page_scrolls_sideways_at_390_px() {
    let site = common::copy_example();
    let out = assert_cmd::Command::cargo_bin("qunce")
        .unwrap()
        .args(["build", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = site.path().join("public");
    let mut wide = Vec::new();
    for entry in walkdir::WalkDir::new(&public).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "html") || path.ends_with("404.html") {
            continue;
        }
        let html = std::fs::read_to_string(path).unwrap();
        let probe = "<script>document.body.setAttribute('data-scroll-width', String(document.documentElement.scrollWidth) + ' ' + String(document.documentElement.clientWidth));</script></body>";
        let measured = path.with_file_name("measure-width.html");
        std::fs::write(&measured, html.replacen("</body>", probe, 1)).unwrap();
        let url = format!("file://{}", measured.display());
        let dom = String::from_utf8_lossy(
            &chromium(&["--window-size=390,900", "--dump-dom", &url]).stdout,
        )
        .into_owned();
        std::fs::remove_file(&measured).unwrap();
        let measured: Vec<u32> = dom
            .split("data-scroll-width=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .map(|w| w.split(' ').filter_map(|n| n.parse().ok()).collect())
            .unwrap_or_default();
        let [width, viewport] = measured[..] else {
            panic!("{}: no measurement", path.display());
        };
        assert!(
            viewport < 640,
            "the phone layout applies below 640 px, got {viewport}"
        );
        if width > viewport {
            wide.push(format!(
                "{} is {width} px wide in a {viewport} px viewport",
                path.strip_prefix(&public).unwrap().display()
            ));
        }
    }
    assert!(
        wide.is_empty(),
        "pages wider than 390 px:\n{}",
        wide.join("\n")
    );
}
