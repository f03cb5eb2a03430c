//! Event sources (`data.events`): message and membership logs aggregated per day in the plan's
//! timezone. Every expected number is counted by hand from the small logs written here.

use std::collections::BTreeMap;

use jiff::civil::{Date, date};
use qunce::model::table::DayRow;
use rust_decimal::Decimal;

const PLAN: &str = r#"schema_version: 1
campaign:
  id: ev-demo
  name: 事件日志
  owner: r_mod
  period: {start: 2025-07-01, end: 2025-07-05}
  timezone: Asia/Shanghai
  currency: CNY
community:
  carriers:
    - {id: g-1, type: im_group, platform: 企业微信, name: 一群}
    - {id: g-2, type: im_group, platform: 企业微信, name: 二群}
team:
  roles:
    - {id: r_mod, title: 群主, function: community_ops, fte: 0.2}
goals:
  - {id: g_talk, horizon: short, category: engagement, statement: 多发言, targets: [t_speakers]}
targets:
  - {id: t_speakers, metric: avg_daily_speakers, target: 2, window: {start: 2025-07-01, end: 2025-07-05}}
phases:
  items:
    - {id: p1, name: 全程, start: 2025-07-01, end: 2025-07-05, owner: r_mod}
budget:
  total: 0.00
  categories:
    - {id: ops, name: 运营, amount: 0.00}
data:
EVENTS
"#;

fn site(events_yaml: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/campaigns/ev-demo")).unwrap();
    std::fs::create_dir_all(root.join("data")).unwrap();
    std::fs::write(
        root.join("content/site.yaml"),
        "title: 演示\nlanguage: zh-CN\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/campaigns/ev-demo/plan.yaml"),
        PLAN.replace("EVENTS", events_yaml),
    )
    .unwrap();
    for (name, text) in files {
        std::fs::write(root.join("data").join(name), text).unwrap();
    }
    dir
}

/// The campaign's days, read from a site with these event sources and files, which must check
/// without errors.
fn event_days(events_yaml: &str, files: &[(&str, &str)]) -> BTreeMap<Date, DayRow> {
    let dir = site(events_yaml, files);
    let (loaded, diags) = qunce::check(dir.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    loaded.unwrap().campaigns[0].daily.by_day().rows
}

/// Messages, a split message (same id twice), a person writing in both groups, joins and a
/// leave, and an event at 23:30 UTC that is already the next day in Shanghai.
const LOG: &str = "\
时间,消息ID,发送者,群,类型
2025-07-01T10:00:00+08:00,m1,alice,一群,消息
2025-07-01T10:05:00+08:00,m2,bob,一群,消息
2025-07-01T10:06:00+08:00,m2,bob,一群,消息
2025-07-01T11:00:00+08:00,m3,alice,二群,消息
2025-07-01T12:00:00+08:00,j1,carol,二群,入群
2025-07-02T23:30:00+00:00,m4,carol,二群,消息
2025-07-04T09:00:00+08:00,l1,bob,一群,退群
2025-07-04T09:10:00+08:00,m5,alice,一群,消息
";

#[test]
fn events_become_distinct_messages_speakers_joins_and_leaves_per_day() {
    let days = event_days("  events: {path: log.csv}", &[("log.csv", LOG)]);
    let get = |d: i8, c: &str| days[&date(2025, 7, d)].get(c).unwrap();
    let n = Decimal::from;
    // 07-01: m1, m2 (split over two rows: once), m3 → 3 messages; alice (both groups) and bob
    // → 2 speakers; carol joined.
    assert_eq!((get(1, "messages"), get(1, "speakers")), (n(3), n(2)));
    assert_eq!((get(1, "joined"), get(1, "left")), (n(1), n(0)));
    // 07-02 23:30 UTC is 07-03 07:30 in Shanghai.
    assert_eq!(get(2, "messages"), n(0));
    assert_eq!((get(3, "messages"), get(3, "speakers")), (n(1), n(1)));
    // 07-04: one message, bob left.
    assert_eq!((get(4, "messages"), get(4, "left")), (n(1), n(1)));
    // The log ends on 07-04: 07-05 is not known to be empty.
    assert!(!days.contains_key(&date(2025, 7, 5)));
}

/// The same people on days that come back out of order and in a second file: a day counts
/// each person once however its rows are spread.
#[test]
fn speakers_are_counted_once_a_day_when_days_come_back_out_of_order() {
    let first = "\
时间,消息ID,发送者
2025-07-01T10:00:00+08:00,a1,alice
2025-07-02T10:00:00+08:00,a2,alice
2025-07-01T11:00:00+08:00,a3,alice
2025-07-01T11:05:00+08:00,b1,bob
2025-07-02T11:00:00+08:00,b2,bob
2025-07-01T12:00:00+08:00,b3,bob
";
    let second = "\
时间,消息ID,发送者
2025-07-02T09:00:00+08:00,a4,alice
2025-07-01T09:00:00+08:00,c1,carol
2025-07-01T09:30:00+08:00,a5,alice
2025-07-03T09:00:00+08:00,a6,alice
2025-07-01T22:00:00+08:00,b4,bob
";
    let days = event_days(
        "  events: {path: log-*.csv}",
        &[("log-1.csv", first), ("log-2.csv", second)],
    );
    let get = |d: i8, c: &str| days[&date(2025, 7, d)].get(c).unwrap();
    let n = Decimal::from;
    // 07-01: a1 a3 b1 b3 c1 a5 b4 → 7 messages by alice, bob and carol.
    assert_eq!((get(1, "messages"), get(1, "speakers")), (n(7), n(3)));
    // 07-02: a2 b2 a4 → alice and bob.
    assert_eq!((get(2, "messages"), get(2, "speakers")), (n(3), n(2)));
    // 07-03: a6 → alice.
    assert_eq!((get(3, "messages"), get(3, "speakers")), (n(1), n(1)));
}

#[test]
fn covers_makes_quiet_days_zero_up_to_its_end() {
    let days = event_days(
        "  events: {path: log.csv, covers: {start: 2025-07-01, end: 2025-07-05}}",
        &[("log.csv", LOG)],
    );
    assert_eq!(days[&date(2025, 7, 5)].get("messages"), Some(Decimal::ZERO));
}

#[test]
fn a_column_from_two_sources_is_an_error() {
    let daily = "日期,群成员数,发言数\n2025-07-01,10,3\n2025-07-02,10,0\n";
    let dir = site(
        "  daily: {path: daily.csv}\n  events: {path: log.csv}",
        &[("log.csv", LOG), ("daily.csv", daily)],
    );
    let (_, diags) = qunce::check(dir.path());
    let clash = diags
        .iter()
        .find(|d| d.code == "column-from-two-sources")
        .unwrap_or_else(|| panic!("{}", diags.render()));
    assert!(clash.message.contains("`messages`"), "{clash}");
    assert_eq!(clash.field.as_deref(), Some("data.events.path"));
}

#[test]
fn daily_members_and_event_messages_combine() {
    let daily = "日期,群成员数\n2025-07-01,10\n2025-07-02,11\n2025-07-03,11\n2025-07-04,10\n";
    let days = event_days(
        "  daily: {path: daily.csv}\n  events: [{path: log.csv}]",
        &[("log.csv", LOG), ("daily.csv", daily)],
    );
    let day1 = &days[&date(2025, 7, 1)];
    assert_eq!(day1.get("members"), Some(Decimal::from(10)));
    assert_eq!(day1.get("messages"), Some(Decimal::from(3)));
}

#[test]
fn an_unknown_event_kind_is_located() {
    let log = "时间,类型\n2025-07-01T10:00:00+08:00,消息\n2025-07-01T10:01:00+08:00,点赞\n";
    let dir = site("  events: {path: log.csv}", &[("log.csv", log)]);
    let (_, diags) = qunce::check(dir.path());
    let d = diags
        .iter()
        .find(|d| d.code == "unknown-kind")
        .unwrap_or_else(|| panic!("{}", diags.render()));
    assert_eq!((d.line, d.col), (Some(3), Some(27)));
}

/// The log's writers as 30-day actives beside the daily export's members, by hand: the log
/// covers 06-01 to 07-05, dave wrote on 06-10, alice, bob and carol in the campaign (bob's
/// leave is not a message). On 07-05 the 30 days from 06-06 hold all four: 4 of 10 members.
#[test]
fn a_log_with_history_gives_the_30_day_active_rate() {
    let daily = "日期,群成员数\n2025-07-01,10\n2025-07-02,11\n2025-07-03,11\n2025-07-04,10\n2025-07-05,10\n";
    let log = format!("{LOG}2025-06-10T09:00:00+08:00,m0,dave,一群,消息\n");
    let dir = site(
        "  daily: {path: daily.csv}\n  events: {path: log.csv, covers: {start: 2025-06-01, end: 2025-07-05}}",
        &[("log.csv", &log), ("daily.csv", daily)],
    );
    let (loaded, diags) = qunce::check(dir.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    let campaign = &loaded.unwrap().campaigns[0];
    let days = campaign.daily.by_day();
    assert_eq!(
        days[&date(2025, 7, 5)].get("active_members_30d"),
        Some(Decimal::from(4))
    );
    // 7 days from 06-29: alice, bob, carol.
    assert_eq!(
        days[&date(2025, 7, 5)].get("active_members_7d"),
        Some(Decimal::from(3))
    );
    let k = qunce::compute::campaign(campaign, date(2025, 7, 5));
    assert_eq!(k.metrics["active_rate_30d"], Ok(0.4));
    assert_eq!(k.metrics["lurker_share"], Ok(0.6));
}

/// A daily export with its own active members keeps them: the log's writers give none of the
/// three active columns (no clash error), and a note says why 30-day actives stay unknown.
#[test]
fn the_exports_own_active_members_win_over_the_logs_writers() {
    let daily = "日期,群成员数,活跃人数\n2025-07-01,10,6\n2025-07-02,11,5\n";
    let dir = site(
        "  daily: {path: daily.csv}\n  events: {path: log.csv}",
        &[("log.csv", LOG), ("daily.csv", daily)],
    );
    let (loaded, diags) = qunce::check(dir.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    let note = diags
        .iter()
        .find(|d| d.code == "active-from-export")
        .unwrap_or_else(|| panic!("{}", diags.render()));
    assert_eq!(note.field.as_deref(), Some("data.events.path"));
    let days = loaded.unwrap().campaigns[0].daily.by_day();
    let day1 = &days[&date(2025, 7, 1)];
    assert_eq!(day1.get("active_members"), Some(Decimal::from(6)));
    assert_eq!(day1.get("active_members_7d"), None);
    // The log still gives its messages and speakers.
    assert_eq!(day1.get("speakers"), Some(Decimal::from(2)));
}
