//! The built site (docs/architecture.md#what-the-site-promises): deterministic, atomic, link-clean
//! and self-contained.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;

pub(crate) fn build(root: &Path) -> std::process::Output {
    Command::cargo_bin("qunce")
        .unwrap()
        .env_remove("RUST_BACKTRACE")
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["build", "--root"])
        .arg(root)
        .output()
        .unwrap()
}

/// Builds the site at `root`, which must succeed, and reads back the page at `page`.
pub(crate) fn built_page(root: &Path, page: &str) -> String {
    let out = build(root);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(root.join("public").join(page)).unwrap()
}

/// The first table of the section with id `section` on `html`.
pub(crate) fn section_table<'a>(html: &'a str, section: &str) -> &'a str {
    let (_, after) = html
        .split_once(&format!("id=\"{section}\""))
        .unwrap_or_else(|| panic!("no section `{section}`"));
    after.split("</table>").next().unwrap()
}

/// The text after each `marker` in `html`, up to the next `end`.
fn after_each<'a>(html: &'a str, marker: &str, end: char) -> Vec<&'a str> {
    html.split(marker)
        .skip(1)
        .map(|part| &part[..part.find(end).unwrap()])
        .collect()
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn two_builds_are_byte_identical() {
    let a = common::copy_example();
    let b = common::copy_example();
    assert!(build(a.path()).status.success());
    assert!(build(b.path()).status.success());
    let (ta, tb) = (
        tree(&a.path().join("public")),
        tree(&b.path().join("public")),
    );
    assert!(ta.len() > 20, "{:?}", ta.keys());
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (path, bytes) in &ta {
        assert!(bytes == &tb[path], "{path} differs between builds");
    }
    // No absolute paths of the build machine leak into the site.
    let root = a.path().to_string_lossy().into_owned();
    assert!(
        ta.values()
            .all(|b| !String::from_utf8_lossy(b).contains(&root))
    );
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let site = common::copy_example();
    assert!(build(site.path()).status.success());
    let before = tree(&site.path().join("public"));
    let plan = site
        .path()
        .join("content/campaigns/runclub-21day-2026/plan.yaml");
    let text = std::fs::read_to_string(&plan)
        .unwrap()
        .replace("metric: checkin_rate", "metric: checkin_rat");
    std::fs::write(&plan, text).unwrap();
    let out = build(site.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(tree(&site.path().join("public")), before);
}

#[test]
fn every_link_resolves_inside_the_site_and_nothing_is_fetched_from_outside() {
    let site = common::copy_example();
    assert!(build(site.path()).status.success());
    let files = tree(&site.path().join("public"));
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes).replace("&#x2f;", "/");
        for attr in [" href=\"", " src=\""] {
            for part in html.split(attr).skip(1) {
                let link = &part[..part.find('"').unwrap()];
                assert!(
                    !link.starts_with("http:")
                        && !link.starts_with("https:")
                        && !link.starts_with("//"),
                    "{path}: external `{link}`"
                );
                let target = link.split('#').next().unwrap();
                if target.is_empty() {
                    continue;
                }
                let dir = Path::new(path).parent().unwrap();
                let resolved = site.path().join("public").join(dir).join(target);
                assert!(resolved.exists(), "{path}: `{link}` does not resolve");
            }
        }
    }
    // Pages of docs/architecture.md#pages that this build already writes.
    for page in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "kpis/index.html",
        "budget/index.html",
        "risks/index.html",
        "playbooks/index.html",
        "playbooks/welcome_sop/index.html",
        "campaigns/nuanbake-summer-2025/index.html",
        "campaigns/nuanbake-summer-2025/plan/index.html",
        "campaigns/nuanbake-summer-2025/retro/index.html",
        "campaigns/nuanbake-summer-2025/kpis.json",
    ] {
        assert!(files.contains_key(page), "{page} missing");
    }
}

#[test]
fn qunce_does_not_replace_a_folder_it_did_not_create() {
    let site = common::copy_example();
    std::fs::create_dir(site.path().join("public")).unwrap();
    std::fs::write(site.path().join("public/notes.txt"), "mine").unwrap();
    let out = build(site.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to replace"));
    assert_eq!(
        std::fs::read_to_string(site.path().join("public/notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn the_post_mortem_marks_missing_sections_and_unexplained_variances() {
    let site = common::copy_example();
    let retro = site
        .path()
        .join("content/campaigns/nuanbake-summer-2025/retro.md");
    let text = std::fs::read_to_string(&retro).unwrap();
    // Drop the explanation of t_speakers and the whole "where we got lucky" section, and take
    // it back to a draft (a final one prints no writing prompts).
    let text = text.replacen("status: final", "status: draft", 1);
    let start = text.find("### t_speakers").unwrap();
    let end = text.find("### t_churn").unwrap();
    let lucky = text.find("## 侥幸之处").unwrap();
    let roots = text.find("## 根因分析").unwrap();
    let edited = format!("{}{}{}", &text[..start], &text[end..lucky], &text[roots..]);
    std::fs::write(&retro, edited).unwrap();
    assert!(build(site.path()).status.success());
    let html = std::fs::read_to_string(
        site.path()
            .join("public/campaigns/nuanbake-summer-2025/retro/index.html"),
    )
    .unwrap();
    assert!(
        html.contains(
            "<li>日均发言人次 — <span class=\"status missed\">⚠ 待说明</span> <small>在 retro.md 中写在标题 <code>### t_speakers</code></small></li>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<li>30日活跃率 — <a href=\"#t-active30\"><span class=\"status met\">✔ 已说明</span></a></li>"),
        "{html}"
    );
    // The missing section gets a placeholder; its data prompt stays beside it, outside the text.
    let lucky_html = html
        .split("<h2 id=\"s-lucky\">侥幸之处</h2>")
        .nth(1)
        .unwrap();
    let lucky_html = lucky_html.split("</section>").next().unwrap();
    assert!(
        lucky_html.starts_with(
            "\n<div class=\"beside\">\n<p class=\"todo\">✍ 待填写</p>\n<aside class=\"prompts\""
        ),
        "{lucky_html}"
    );
    // t_churn: 12.9% against a 12% ceiling with a 1pp tolerance: missed by 0.9pp, within it.
    assert!(
        lucky_html.contains("<a href=\"#s-target-t_churn\">月流失率</a>"),
        "{lucky_html}"
    );
    // The human file is never modified.
    assert_eq!(
        std::fs::read_to_string(&retro).unwrap().len(),
        text.len() - (end - start) - (roots - lucky)
    );
    let playbook =
        std::fs::read_to_string(site.path().join("public/playbooks/crisis_pr/index.html")).unwrap();
    // Backlinks to the campaigns that used it.
    assert!(
        playbook.contains("../../campaigns/nuanbake-summer-2025/index.html"),
        "{playbook}"
    );
}

#[test]
fn the_search_index_lists_every_page_with_its_text() {
    let site = common::copy_example();
    assert!(build(site.path()).status.success());
    let public = site.path().join("public");
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(public.join("search-index.json")).unwrap())
            .unwrap();
    let entries = index.as_array().unwrap();
    let crisis = entries
        .iter()
        .find(|e| e["url"] == "playbooks/crisis_pr/index.html")
        .unwrap();
    assert_eq!(crisis["title"], "舆情与危机公关预案");
    assert!(
        crisis["text"]
            .as_str()
            .unwrap()
            .contains("30 分钟内首次回应")
    );
    // The page works from file://: the index is also a script, and every page is listed for
    // readers without JavaScript.
    let script = std::fs::read_to_string(public.join("search-index.js")).unwrap();
    assert!(script.starts_with("window.QUNCE_INDEX = ["));
    let page = std::fs::read_to_string(public.join("search/index.html"))
        .unwrap()
        .replace("&#x2f;", "/");
    assert!(
        page.contains("<a href=\"../playbooks/crisis_pr/index.html\">舆情与危机公关预案</a>"),
        "{page}"
    );
    let listed = page.split("id=\"all-pages\"").nth(1).unwrap();
    assert_eq!(entries.len(), listed.matches("<li><a href=\"../").count());
}

#[test]
fn the_plan_page_shows_every_section_the_plan_has() {
    let site = common::copy_example();
    assert!(build(site.path()).status.success());
    let html = std::fs::read_to_string(
        site.path()
            .join("public/campaigns/nuanbake-summer-2025/plan/index.html"),
    )
    .unwrap();
    for id in [
        "goals",
        "targets",
        "phases",
        "team",
        "budget",
        "work-packages",
        "funnel",
        "risks",
        "community",
        "channels",
        "suppliers",
    ] {
        assert!(
            html.contains(&format!("<section id=\"{id}\">")),
            "section {id} missing"
        );
    }
    // Goals and targets are listed by what they say and measure, never by the plan's ids.
    let goals_and_targets = html
        .split("<section id=\"goals\">")
        .nth(1)
        .unwrap()
        .split("<section id=\"phases\">")
        .next()
        .unwrap();
    for id in ["g_short", "t_active30", ">id<"] {
        assert!(!goals_and_targets.contains(id), "{id} shown");
    }
    assert!(
        goals_and_targets.contains("30日活跃率"),
        "{goals_and_targets}"
    );
    // The spring plan's background prose is rendered, its link rewritten to the playbook page.
    let spring = std::fs::read_to_string(
        site.path()
            .join("public/campaigns/nuanbake-spring-2025/plan/index.html"),
    )
    .unwrap();
    assert!(
        spring.contains("href=\"../../../playbooks/welcome_sop/index.html\""),
        "{spring}"
    );
}

#[test]
fn action_items_are_sorted_and_open_ones_carried_over() {
    let site = common::copy_example();
    assert!(build(site.path()).status.success());
    let html = std::fs::read_to_string(
        site.path()
            .join("public/campaigns/nuanbake-summer-2025/retro/index.html"),
    )
    .unwrap();
    let table = section_table(&html, "s-actions");
    let ids = after_each(table, "<tr id=\"", '"');
    // P0 before P1 before P2; then the spring item still in progress (the done one is not carried).
    assert_eq!(
        ids,
        [
            "ai_summer_02",
            "ai_summer_01",
            "ai_summer_03",
            "ai_spring_02"
        ]
    );
    assert!(table.contains("↪ 上期遗留"), "{table}");
    // Due 2025-06-30, report date 2025-08-31: overdue.
    assert!(table.contains("⚠ 已逾期 · 进行中"), "{table}");
}

#[test]
fn no_page_repeats_an_id() {
    // Generated anchors and the ids of headings in the team's Markdown share one page: a
    // repeated id breaks links to it and is invalid HTML.
    let site = common::copy_example();
    assert!(build(site.path()).status.success());
    for (path, bytes) in tree(&site.path().join("public")) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        // Charts are SVG with their own internal ids; only the HTML around them counts.
        let mut outside_svg = String::new();
        for (i, part) in html.split("<svg").enumerate() {
            outside_svg.push_str(if i == 0 {
                part
            } else {
                part.split_once("</svg>").map_or("", |(_, rest)| rest)
            });
        }
        let mut seen = std::collections::BTreeSet::new();
        for id in outside_svg.split(" id=\"").skip(1) {
            let id = &id[..id.find('"').unwrap()];
            assert!(
                seen.insert(id.to_string()),
                "{path}: id `{id}` appears twice"
            );
        }
        if path == "campaigns/nuanbake-summer-2025/retro/index.html" {
            // The scan sees the page's anchors: the outline's and the team's headings.
            assert!(
                seen.contains("s-budget") && seen.contains("budget-promotion"),
                "{seen:?}"
            );
        }
    }
}

/// A campaign without a ledger: the report says "无支出数据" where actual cost would be, and
/// no budget row shows a spend of 0.00 (nothing was spent is not the same as no data).
#[test]
fn a_campaign_without_a_ledger_says_no_spend_data() {
    let site = common::copy_fixture("base");
    let plan = site.path().join("content/campaigns/demo/plan.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(
        &plan,
        text.replace("  ledger: {path: demo/ledger.csv}\n", ""),
    )
    .unwrap();
    let report = built_page(site.path(), "campaigns/demo/index.html");
    assert!(
        report.contains("无支出数据"),
        "no 'no spend data' on the report"
    );
    let budget_section = report
        .split("id=\"budget")
        .nth(1)
        .expect("the report has a budget section");
    assert!(
        !budget_section.contains(">0.00<"),
        "a spend of 0.00 on a campaign without a ledger"
    );
}

/// Interrupted builds (`kill -9`) leave `.public.qunce-new-<pid>` / `-old-<pid>` folders: the
/// next build removes those whose build no longer holds its lock, and never a running one's.
#[test]
fn the_next_build_removes_leftovers_of_interrupted_builds_only() {
    let site = common::copy_fixture("base");
    let root = site.path();
    for stale in [".public.qunce-new-4000000", ".public.qunce-old-4000000"] {
        std::fs::create_dir_all(root.join(stale).join("campaigns")).unwrap();
    }
    // A build that is still running: its folder and the lock it holds.
    std::fs::create_dir_all(root.join(".public.qunce-new-4000001")).unwrap();
    let lock = std::fs::File::create(root.join(".public.qunce-lock-4000001")).unwrap();
    lock.lock().unwrap();
    // An interrupted one that had taken its lock.
    std::fs::create_dir_all(root.join(".public.qunce-old-4000002")).unwrap();
    std::fs::File::create(root.join(".public.qunce-lock-4000002")).unwrap();
    let out = build(root);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let left: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("qunce"))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        left,
        [".public.qunce-lock-4000001", ".public.qunce-new-4000001"]
    );
    drop(lock);
}

/// A title with `/` and quotes is in the search index as written (decoded once, not twice).
#[test]
fn search_index_titles_are_escaped_once() {
    let site = common::copy_fixture("base");
    let playbook = site.path().join("content/playbooks/welcome.md");
    let text = std::fs::read_to_string(&playbook).unwrap();
    std::fs::write(
        &playbook,
        text.replace("title: 入群欢迎SOP", "title: 'A/B 测试：\"新\" & <旧>'"),
    )
    .unwrap();
    let out = build(site.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let index: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(site.path().join("public/search-index.json")).unwrap(),
    )
    .unwrap();
    let titles: Vec<&str> = index
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["title"].as_str())
        .collect();
    assert!(titles.contains(&"A/B 测试：\"新\" & <旧>"), "{titles:?}");
}

/// Files a page links to inside content/ are published with it, Markdown and raw HTML alike;
/// links to settings, plans or data are input errors at their source line (exit 1, before any
/// rendering), so `check` and `build` agree.
#[test]
fn linked_files_are_copied_and_unpublishable_links_are_located() {
    let site = common::copy_fixture("base");
    let playbooks = site.path().join("content/playbooks");
    std::fs::write(playbooks.join("chart.png"), b"\x89PNG fake").unwrap();
    let page = playbooks.join("welcome.md");
    let mut text = std::fs::read_to_string(&page).unwrap();
    text.push_str("\n![图](chart.png)\n\n<img src=\"chart.png\" alt=\"x\">\n");
    std::fs::write(&page, &text).unwrap();
    let out = build(site.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(site.path().join("public/files/playbooks/chart.png")).unwrap(),
        b"\x89PNG fake"
    );
    let html =
        std::fs::read_to_string(site.path().join("public/playbooks/welcome/index.html")).unwrap();
    assert_eq!(
        html.matches("src=\"../../files/playbooks/chart.png\"")
            .count(),
        2,
        "{html}"
    );

    let lines = text.lines().count();
    text.push_str("\n[设置](../site.yaml) 和 [数据](../../data/demo/daily.csv)\n");
    std::fs::write(&page, &text).unwrap();
    for command in ["check", "build"] {
        let out = Command::cargo_bin("qunce")
            .unwrap()
            .env_remove("RUST_BACKTRACE")
            .args([command, "--root"])
            .arg(site.path())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{command}: {err}");
        assert_eq!(err.matches("error[unpublished-link]").count(), 2, "{err}");
        // The link line: front matter and body lines both count.
        assert!(
            err.contains(&format!("--> content/playbooks/welcome.md:{}:1", lines + 2)),
            "{err}"
        );
    }
}

/// While a campaign runs, its budget bridge calls unspent budget "not yet spent", never a
/// saving; an ended campaign's bridge is the plain budget-to-cost one.
#[test]
fn a_running_campaigns_bridge_does_not_call_unspent_money_savings() {
    let site = common::copy_example();
    assert!(build(site.path()).status.success());
    let page = |id: &str| {
        std::fs::read_to_string(
            site.path()
                .join(format!("public/campaigns/{id}/index.html")),
        )
        .unwrap()
    };
    let running = page("runclub-21day-2026");
    assert!(
        running.contains("目前实际成本") && running.contains("绿色为尚未花的部分，不是结余"),
        "running"
    );
    assert!(!running.contains("绿色为结余"));
    let ended = page("nuanbake-summer-2025");
    assert!(ended.contains("绿色为结余") && !ended.contains("尚未花的部分"));
}

/// The risk heat map is coloured by severity (probability × impact), its axes named.
#[test]
fn the_risk_heat_map_shows_severity_with_named_axes() {
    let site = common::copy_example();
    assert!(build(site.path()).status.success());
    let page = std::fs::read_to_string(site.path().join("public/risks/index.html")).unwrap();
    let svg = page.split("<svg").nth(1).expect("a heat map");
    assert!(
        svg.contains("\n概率 1\n") && svg.contains("\n影响 5\n"),
        "axes"
    );
    // 成员流失率偏高 of the summer plan is P3 × I4: severity 12 labels its cell.
    assert!(svg.contains(">\n12\n<"), "severity label");
}

#[test]
fn the_budget_roll_up_charts_budget_against_spend_per_currency() {
    let site = common::copy_example();
    assert!(build(site.path()).status.success());
    let html = std::fs::read_to_string(site.path().join("public/budget/index.html")).unwrap();
    assert!(
        html.contains("<figcaption>各活动总预算与已花（CNY）</figcaption>"),
        "{html}"
    );
    // Summer: 60,000 with reserve, 55,580 spent (the golden fixture's figures); spring: the
    // ledger's accrued and paid rows add up to 34,250 (summed by hand from ledger.csv).
    assert!(
        html.contains("<td class=\"card-title\">夏季「30天烘焙打卡」活跃与转化计划</td><td data-label=\"总预算（含备用金）（¥）\">60,000.00</td><td data-label=\"已花（¥）\">55,580.00</td>"),
        "{html}"
    );
    assert!(
        html.contains(
            "<td class=\"card-title\">春季「21天早餐面包打卡」</td><td data-label=\"总预算（含备用金）（¥）\">40,000.00</td><td data-label=\"已花（¥）\">34,250.00</td>"
        ),
        "{html}"
    );
    assert!(html.contains("id=\"chart-budget-cny\""));
    // The page answers first: 40,000 + 60,000 + 15,000 budgeted, 34,250 + 55,580 + 5,250 =
    // 95,080 spent, 82.7 % of it; the summer's promotion is the category over budget.
    assert!(
        html.contains("<p class=\"lead\">3 个活动 · 总预算（含备用金） ¥115,000 · 已花 ¥95,080（82.7%） · 有类别超支：暖焙烘焙研习社 · 夏季「30天烘焙打卡」活跃与转化计划（宣传推广）</p>"),
        "{html}"
    );
}

#[test]
fn a_repeated_ledger_entry_id_is_an_error_at_its_line_and_left_out_of_the_sums() {
    let dir = common::copy_example();
    let root = dir.path();
    let ledger = root.join("data/nuanbake-spring-2025/ledger.csv");
    let text = std::fs::read_to_string(&ledger).unwrap();
    // Line 3 (3,600.00) takes line 2's id.
    std::fs::write(&ledger, text.replacen(",SP-002,", ",SP-001,", 1)).unwrap();
    let (site, diags) = qunce::check(root);
    let repeats: Vec<_> = diags.iter().filter(|d| d.code == "duplicate-key").collect();
    assert_eq!(repeats.len(), 1, "{}", diags.render());
    let d = repeats[0];
    assert_eq!(d.path, Path::new("data/nuanbake-spring-2025/ledger.csv"));
    assert_eq!(d.line, Some(3));
    assert!(
        d.message
            .contains("`SP-001` appears twice (first on line 2)"),
        "{}",
        d.message
    );
    // Every other row still counts: 34,250.00 by hand, less the repeat's 3,600.00.
    let site = site.unwrap();
    let spring = site
        .campaigns
        .iter()
        .find(|c| c.plan.campaign.id == "nuanbake-spring-2025")
        .unwrap();
    let total: rust_decimal::Decimal = spring.ledger.iter().flatten().map(|e| e.amount).sum();
    assert_eq!(total, rust_decimal::Decimal::new(3_065_000, 2));
}

/// Two playbooks that come out with one id (a `slug:` repeated in another folder): the second
/// in file order is an error naming the first, and the first is kept.
#[test]
fn a_playbook_id_used_twice_is_an_error_at_the_later_file() {
    let site = common::copy_fixture("base");
    let playbooks = site.path().join("content/playbooks");
    std::fs::create_dir_all(playbooks.join("b")).unwrap();
    std::fs::write(
        playbooks.join("a-first.md"),
        "---\ntitle: 甲\nslug: shared\n---\n# 甲\n",
    )
    .unwrap();
    std::fs::write(
        playbooks.join("b/again.md"),
        "---\ntitle: 乙\nslug: shared\n---\n# 乙\n",
    )
    .unwrap();
    let (site_data, diags) = qunce::check(site.path());
    let repeats: Vec<_> = diags.iter().filter(|d| d.code == "duplicate-id").collect();
    assert_eq!(repeats.len(), 1, "{}", diags.render());
    assert_eq!(
        repeats[0].path,
        Path::new("content/playbooks/b/again.md"),
        "{}",
        repeats[0]
    );
    assert!(
        repeats[0].message.contains("content/playbooks/a-first.md"),
        "{}",
        repeats[0]
    );
    // The first file's playbook is the one kept.
    let site_data = site_data.expect("the rest of the site still loads");
    let shared: Vec<_> = site_data
        .playbooks
        .iter()
        .filter(|p| p.id == "shared")
        .collect();
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0].path, Path::new("content/playbooks/a-first.md"));
}

#[test]
fn a_plan_document_without_a_title_is_named_by_what_it_is_for() {
    let site = common::copy_fixture("base");
    let campaign = site.path().join("content/campaigns/demo");
    let plan = std::fs::read_to_string(campaign.join("plan.yaml")).unwrap();
    let plan = plan.replacen(
        "  currency: CNY\n",
        "  currency: CNY\n  background_md: docs/background.md\n  market_md: docs/market.md\n",
        1,
    );
    std::fs::write(campaign.join("plan.yaml"), plan).unwrap();
    std::fs::create_dir_all(campaign.join("docs")).unwrap();
    // No front matter and no `# ` heading: the file name is all there is.
    std::fs::write(
        campaign.join("docs/background.md"),
        "去年的社群只有 80 人。\n",
    )
    .unwrap();
    // A heading of its own is the title.
    std::fs::write(
        campaign.join("docs/market.md"),
        "# 同城烘焙市场\n\n三家竞品。\n",
    )
    .unwrap();
    let page = built_page(site.path(), "campaigns/demo/plan/index.html");
    assert!(
        page.contains(">项目背景</h2>"),
        "the background document is titled by its role"
    );
    assert!(
        page.contains(">同城烘焙市场</h2>"),
        "a heading is kept as the title"
    );
    assert_eq!(
        page.matches("同城烘焙市场").count(),
        1,
        "and not repeated in the body"
    );
    assert!(!page.contains(">background<"), "never the file name");
}

/// The text a reader sees: tags dropped (attributes with them), entities left as written.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    for (i, part) in html.split('<').enumerate() {
        let shown = if i == 0 {
            part
        } else {
            part.split_once('>').map_or("", |(_, after)| after)
        };
        text.push_str(shown);
        text.push(' ');
    }
    text
}

#[test]
fn the_post_mortem_names_goals_targets_and_events_never_by_their_plan_ids() {
    let site = common::copy_example();
    let html = built_page(
        site.path(),
        "campaigns/nuanbake-summer-2025/retro/index.html",
    );
    // The data appendix is for the analyst and lists metric ids and files on purpose.
    let body = html.split("id=\"s-appendix\"").next().unwrap();
    let text = visible_text(body);
    // Goal, target, phase, milestone, risk and action ids of the summer plan, a work-package
    // label and the campaign's slug; and columns written as their id (`posts`).
    for id in [
        "g_short",
        "t_active30",
        "t_roi",
        "p1_setup",
        "m_sop",
        "r_churn",
        "ai_summer_01",
        "budget:promotion",
        "nuanbake-summer-2025",
        " posts",
    ] {
        assert!(!text.contains(id), "{id} shown on the post-mortem");
    }
    // What they are named by instead: the goal's statement, the target's metric, the
    // variance note's target and budget line, the column's Chinese header.
    for name in ["30日活跃率", "投入产出比", "宣传推广", "「UGC数」"] {
        assert!(text.contains(name), "{name} missing");
    }
    // Targets are grouped under their goals: each goal's statement heads its rows once.
    let table = section_table(&html, "s-targets");
    let goals = after_each(table, "scope=\"rowgroup\">", '<');
    assert_eq!(goals.len(), 3, "{table}");
    assert!(
        goals.iter().all(|g| table.matches(g).count() == 1),
        "{table}"
    );
    // The anchors stay, so links into the page keep working.
    assert!(html.contains("id=\"s-target-t_active30\""));
    assert!(html.contains("<tr id=\"ai_summer_01\">"));
}

/// Reports are internal: every page of a site asks search engines not to index it, unless
/// `site.yaml` says `public: true`.
#[test]
fn every_page_says_noindex_unless_the_site_is_public() {
    let pages = |root: &Path| -> Vec<(String, String)> {
        walkdir::WalkDir::new(root.join("public"))
            .sort_by_file_name()
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .map(|e| {
                (
                    e.path().display().to_string(),
                    std::fs::read_to_string(e.path()).unwrap(),
                )
            })
            .collect()
    };
    let noindex = "<meta name=\"robots\" content=\"noindex\">";
    let site = common::built_example();
    let internal = pages(site.path());
    assert!(internal.len() > 15);
    for (path, html) in &internal {
        assert!(html.contains(noindex), "{path}");
    }
    let config = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}public: true\n")).unwrap();
    common::build_site(site.path());
    for (path, html) in pages(site.path()) {
        assert!(!html.contains("name=\"robots\""), "{path}");
    }
}

/// A slow category on the roll-up says why: spending behind the plan to date, by hand from the
/// club's plan and ledger as of 11-22 — medals planned 5,500 over 11-02…12-06 (35 days), 21
/// elapsed: 3,300 due, 2,400 − 200 spent, 33.3 % less; promotion 2,000 (posters, done) + 3,000
/// × 14/28 (KOL) = 3,500 due, 1,500 spent (the signed 2,000 is no spending), 57.1 % less; the
/// app 1,500 due, 1,200 spent, −20 %, within the band: 正常, with no reason.
#[test]
fn a_slow_category_says_how_far_behind_the_planned_spend_it_is() {
    let site = common::built_example();
    let html = std::fs::read_to_string(site.path().join("public/budget/index.html")).unwrap();
    for (category, status) in [
        ("incentives", "支出偏慢（比到今天的计划花费少 33.3%）"),
        ("promotion", "支出偏慢（比到今天的计划花费少 57.1%）"),
        ("ops_tech", "正常"),
    ] {
        let row = common::row_from(&html, &format!("id=\"cat-runclub-21day-2026.{category}\""));
        assert!(row.contains(&format!(">{status}</td>")), "{row}");
    }
    // The report's budget table says the same under the status.
    let report = std::fs::read_to_string(
        site.path()
            .join("public/campaigns/runclub-21day-2026/index.html"),
    )
    .unwrap();
    let row = common::row_from(&report, "id=\"budget-incentives\"");
    assert!(
        row.contains("支出偏慢</span><br><small>比到今天的计划花费少 33.3%</small>"),
        "{row}"
    );
}
