//! Whole download folders read as they come (docs/data.md#whole-download-folders): the 2026 Discord
//! vintage of `fixtures/discord2026/` (synthetic, described and hand-computed in its README).

use crate::common;

use jiff::civil::date;
use rust_decimal::Decimal;

const PLAN: &str = r#"schema_version: 1
campaign:
  id: discord-2026
  name: Discord 2026
  owner: r_mod
  period: {start: 2026-02-01, end: 2026-02-08}
  timezone: TIMEZONE
  currency: USD
community:
  carriers:
    - {id: discord, type: forum, platform: Discord, name: Server}
team:
  roles:
    - {id: r_mod, title: Moderator, function: community_ops, fte: 0.2}
goals:
  - {id: g_talk, horizon: short, category: engagement, statement: Keep people talking, targets: [t_speakers]}
targets:
  - {id: t_speakers, metric: avg_daily_speakers, target: 8, window: {start: 2026-02-01, end: 2026-02-08}}
phases:
  items:
    - {id: p1, name: All, start: 2026-02-01, end: 2026-02-08, owner: r_mod}
budget:
  total: 0.00
  categories:
    - {id: ops, name: Ops, amount: 0.00}
data:
  daily: {path: "discord/*.csv", profile: discord_server_insights}
"#;

fn site(timezone: &str, extra: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/campaigns/discord-2026")).unwrap();
    std::fs::write(root.join("content/site.yaml"), "title: D\nlanguage: en\n").unwrap();
    std::fs::write(
        root.join("content/campaigns/discord-2026/plan.yaml"),
        PLAN.replace("TIMEZONE", timezone),
    )
    .unwrap();
    common::copy_tree(
        &common::repo().join("tests/fixtures/discord2026"),
        &root.join("data/discord"),
    );
    for (name, text) in extra {
        std::fs::write(root.join("data/discord").join(name), text).unwrap();
    }
    dir
}

#[test]
fn the_2026_download_gives_the_hand_computed_days_in_any_timezone() {
    // (day, members, messages, speakers, joined, left) from the fixture's README.
    let expected = [
        (1, 120, 40, 10, 3, 0),
        (2, 122, 35, 4, 2, 0),
        (3, 121, 0, 0, 0, 1),
        (4, 123, 52, 9, 2, 0),
        (5, 125, 44, 11, 2, 0),
        (6, 124, 30, 6, 0, 1),
        (8, 126, 41, 9, 2, 0),
    ];
    for tz in ["America/Chicago", "Asia/Shanghai", "UTC"] {
        let dir = site(tz, &[]);
        let (loaded, diags) = qunce::check(dir.path());
        assert_eq!(
            (diags.error_count(), diags.warning_count()),
            (0, 0),
            "{tz}: {}",
            diags.render()
        );
        let days = loaded.unwrap().campaigns[0].daily.by_day();
        for (d, members, messages, speakers, joined, left) in expected {
            let row = &days[&date(2026, 2, d)];
            let got = ["members", "messages", "speakers", "joined", "left"]
                .map(|c| row.get(c).map(|v| v.to_string()));
            let want = [members, messages, speakers, joined, left]
                .map(|v: i64| Some(Decimal::from(v).to_string()));
            assert_eq!(got, want, "{tz} 02-{d:02}");
        }
        // 02-07 is in no window: missing, never 0.
        assert!(!days.contains_key(&date(2026, 2, 7)), "{tz}");
        // joins-by-source and muters are skipped, with one note naming them.
        let note = diags.iter().find(|d| d.code == "file-skipped").unwrap();
        assert!(
            note.message.contains("guild-joins-by-source.csv")
                && note.message.contains("guild-muters.csv"),
            "{note}"
        );
        // The overlapping window is merged with a note, not a warning per row.
        let merged = diags.iter().find(|d| d.code == "duplicate-row").unwrap();
        assert!(merged.message.starts_with("2 row(s)"), "{merged}");
    }
}

#[test]
fn two_windows_that_disagree_on_a_day_are_an_error() {
    let other = "day_pt,total_membership,interval_start_timestamp\n\
                 2026-02-04T00:00:00-08:00,130,2026-02-04T00:00:00-08:00\n";
    let dir = site("UTC", &[("guild-total-membership_2_.csv", other)]);
    let (_, diags) = qunce::check(dir.path());
    let conflict = diags
        .iter()
        .find(|d| d.code == "conflicting-duplicate")
        .unwrap_or_else(|| panic!("{}", diags.render()));
    assert!(
        conflict.message.contains("(123 there, 130 here)"),
        "{conflict}"
    );
}

/// 企业微信「客户群统计」: running totals read as daily increases (fixture README), from a
/// GB18030 file as Excel saves it.
#[test]
fn wecom_customer_group_running_totals_become_daily_increases() {
    let text = std::fs::read_to_string(
        common::repo().join("tests/fixtures/wecom_customer_groups/客户群统计.utf8.txt"),
    )
    .unwrap();
    let (gb, _, _) = encoding_rs::GB18030.encode(&text);
    let dir = wecom_site(&gb);
    let (loaded, diags) = qunce::check(dir.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    let days = loaded.unwrap().campaigns[0].daily.by_day();
    let n = |v: i64| Some(Decimal::from(v));
    let get = |d: i8, c: &str| days[&date(2025, 7, d)].get(c);
    assert_eq!(
        [
            get(1, "members"),
            get(1, "joined"),
            get(1, "left"),
            get(1, "messages")
        ],
        [n(300), n(12), None, None]
    );
    assert_eq!([get(2, "left"), get(2, "messages")], [n(2), n(280)]);
    assert_eq!([get(3, "left"), get(3, "messages")], [n(2), n(250)]);
    assert_eq!([get(4, "left"), get(4, "messages")], [n(1), n(0)]);
    // 截至当天有发过消息的群成员数 is never read as speakers.
    assert!(days.values().all(|r| r.get("speakers").is_none()));
}

/// Weekly rows of running totals: each week's increase over the week before (the row whose
/// week ends the day before); the first week and a week after a missing one have none, never
/// the running total. By hand: messages 1480 − 1200 = 280 and 1730 − 1480 = 250, leavers 2 and
/// 2; the week of 07-28 follows no row (07-21 is missing). The week of 06-30 covers the
/// campaign (07-01 to 07-04): a bucket that overlaps the period is inside it.
#[test]
fn weekly_running_totals_become_weekly_increases() {
    let weekly = "\
日期,新增客户群数量,截至当天客户群总人数,客户群新增群人数,截至当天有发过消息的群成员数,截至当天客户群消息总数,截止当天退群数
2025-06-30,0,300,12,150,1200,12
2025-07-07,0,306,8,162,1480,14
2025-07-14,0,309,5,170,1730,16
2025-07-28,0,310,1,171,1800,17
";
    let dir = wecom_site(weekly.as_bytes());
    let (loaded, diags) = qunce::check(dir.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    let days = loaded.unwrap().campaigns[0].daily.by_day();
    let n = |v: i64| Some(Decimal::from(v));
    let get = |m: i8, d: i8, c: &str| days[&date(2025, m, d)].get(c);
    assert_eq!([get(6, 30, "messages"), get(6, 30, "left")], [None, None]);
    assert_eq!([get(7, 7, "messages"), get(7, 7, "left")], [n(280), n(2)]);
    assert_eq!([get(7, 14, "messages"), get(7, 14, "left")], [n(250), n(2)]);
    assert_eq!([get(7, 28, "messages"), get(7, 28, "left")], [None, None]);
}

#[test]
fn a_running_total_that_falls_is_an_error() {
    let text = std::fs::read_to_string(
        common::repo().join("tests/fixtures/wecom_customer_groups/客户群统计.utf8.txt"),
    )
    .unwrap()
    .replace(
        "2025-07-04,0,309,1,171,1730,17",
        "2025-07-04,0,309,1,171,1700,17",
    );
    let dir = wecom_site(text.as_bytes());
    let (_, diags) = qunce::check(dir.path());
    let d = diags
        .iter()
        .find(|d| d.code == "cumulative-decrease")
        .unwrap_or_else(|| panic!("{}", diags.render()));
    assert!(d.message.contains("1730 to 1700 on 2025-07-04"), "{d}");
}

fn wecom_site(export: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/campaigns/discord-2026")).unwrap();
    std::fs::create_dir_all(root.join("data/wecom")).unwrap();
    std::fs::write(
        root.join("content/site.yaml"),
        "title: W\nlanguage: zh-CN\n",
    )
    .unwrap();
    let plan = PLAN
        .replace("TIMEZONE", "Asia/Shanghai")
        .replace("2026-02-01", "2025-07-01")
        .replace("2026-02-08", "2025-07-04")
        .replace(
            "avg_daily_speakers, target: 8",
            "messages_per_day, target: 100",
        )
        .replace(
            "daily: {path: \"discord/*.csv\", profile: discord_server_insights}",
            "daily: {path: \"wecom/客户群统计.csv\", profile: wecom_customer_group_stats}",
        );
    std::fs::write(root.join("content/campaigns/discord-2026/plan.yaml"), plan).unwrap();
    std::fs::write(root.join("data/wecom/客户群统计.csv"), export).unwrap();
    dir
}
