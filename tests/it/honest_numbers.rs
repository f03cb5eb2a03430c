//! Every figure is the honest one, or honestly missing (issue #22): rows that are buckets of
//! days, the report date, events that cover up to it, and time past the period's end. Each
//! expected number is worked out by hand from the CSV text written here.

use crate::common;

use jiff::civil::date;
use qunce::compute::undefined::Undefined;
use qunce::compute::{self, CampaignKpis, budget::BudgetStatus};
use qunce::model::table::Spacing;
use qunce::model::values::Date;
use rust_decimal::Decimal;

const PLAN: &str = "content/campaigns/demo/plan.yaml";
const DAILY: &str = "data/demo/daily.csv";
const LEDGER: &str = "data/demo/ledger.csv";

/// The base site with whole files rewritten and text replaced in others.
fn site(writes: &[(&str, &str)], edits: &[(&str, &str, &str)]) -> tempfile::TempDir {
    let dir = common::copy_fixture("base");
    for (file, text) in writes {
        std::fs::write(dir.path().join(file), text).unwrap();
    }
    for (file, from, to) in edits {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    }
    dir
}

fn loaded(dir: &tempfile::TempDir) -> qunce::model::site::Site {
    let (site, diags) = qunce::check(dir.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    site.unwrap()
}

fn kpis(dir: &tempfile::TempDir, as_of: Option<Date>) -> CampaignKpis {
    let site = loaded(dir);
    compute::campaign_as_of(&site.campaigns[0], as_of).expect("a report date")
}

fn value(k: &CampaignKpis, id: &str) -> Result<f64, Undefined> {
    k.metrics[id].clone()
}

/// The base plan moved to 2026-01-01 … 2026-04-30 (120 days), its ledger and progress with it.
fn moved_plan() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        (PLAN, "2025-07-01", "2026-01-01"),
        (PLAN, "2025-07-10", "2026-04-30"),
        (PLAN, "2025-07-05", "2026-02-15"),
        (PLAN, "2025-07-06", "2026-02-16"),
        (LEDGER, "2025-07-0", "2026-01-0"),
        ("data/demo/progress.csv", "2025-07-05", "2026-01-05"),
    ]
}

/// Four rows 30 days apart, as Discord's 30-day download gives them: 120,000 + 140,000 +
/// 131,460 + 140,000 = 531,460 messages over the 120 days the buckets cover.
const THIRTY_DAY_ROWS: &str = "date,group_id,members,joined,left,active_members,speakers,messages\n\
    2026-01-01,g1,100,40,10,80,60,120000\n\
    2026-01-31,g1,130,30,5,90,70,140000\n\
    2026-03-02,g1,155,20,15,85,65,131460\n\
    2026-04-01,g1,160,10,10,70,50,140000\n";

#[test]
fn thirty_day_rows_are_buckets_and_per_day_figures_divide_by_their_days() {
    let dir = site(&[(DAILY, THIRTY_DAY_ROWS)], &moved_plan());
    let k = kpis(&dir, None);
    // The last row's bucket runs 2026-04-01 … 04-30: the data reaches the period's end.
    assert_eq!(k.as_of, date(2026, 4, 30));
    let per_day = value(&k, "messages_per_day").unwrap();
    assert!((per_day - 531_460.0 / 120.0).abs() < 1e-9, "{per_day}");
    assert!((per_day - 4_428.83).abs() < 0.01);
    // A flow is the bucket's total: joins add up, 40 + 30 + 20 + 10.
    assert_eq!(value(&k, "joins"), Ok(100.0));
    // Speakers in a 30-day bucket are not a day's speakers: no daily mean can come of them.
    assert_eq!(
        value(&k, "avg_daily_speakers"),
        Err(Undefined::NeedsDailyValues(Spacing::Days(30)))
    );
    // Coverage counts the days the buckets cover, not four rows of 120 days.
    let coverage = k.quality.iter().find(|q| q.id == "coverage_low").unwrap();
    assert_eq!(coverage.value, 1.0, "{}", coverage.detail);
    assert!(!coverage.flagged);
}

#[test]
fn a_report_date_inside_a_bucket_makes_its_figures_not_computable_naming_the_bucket() {
    let dir = site(&[(DAILY, THIRTY_DAY_ROWS)], &moved_plan());
    let k = kpis(&dir, Some(date(2026, 2, 15)));
    let reason = value(&k, "messages_per_day").unwrap_err();
    assert!(
        matches!(reason, Undefined::CutsBucket { first, last, .. }
            if first == date(2026, 1, 31) && last == date(2026, 3, 1)),
        "{reason}"
    );
    assert!(value(&k, "joins").is_err());
}

#[test]
fn rows_of_two_spacings_in_one_source_are_an_error_naming_their_lines() {
    let rows = "date,group_id,members,active_members,speakers,messages\n\
                2026-01-01,g1,100,30,10,70\n\
                2026-01-08,g1,101,30,10,70\n\
                2026-01-18,g1,102,30,10,70\n";
    let dir = site(&[(DAILY, rows)], &moved_plan());
    let (_, diags) = qunce::check(dir.path());
    let error = diags
        .iter()
        .find(|d| d.code == "irregular-spacing")
        .unwrap_or_else(|| panic!("{}", diags.render()));
    assert!(error.is_error());
    assert!(
        error.message.contains("daily.csv:3") && error.message.contains("daily.csv:4"),
        "{error}"
    );
    // Said in the plan, the same rows are days with gaps, and read.
    let dir = site(
        &[(DAILY, rows)],
        &[
            moved_plan(),
            vec![(
                PLAN,
                "daily: {path: demo/daily.csv}",
                "daily: {path: demo/daily.csv, granularity: daily}",
            )],
        ]
        .concat(),
    );
    let k = kpis(&dir, Some(date(2026, 1, 18)));
    // 210 messages over the three days that have a row.
    assert_eq!(value(&k, "messages_per_day"), Ok(70.0));
}

#[test]
fn a_cost_dated_after_the_last_export_day_moves_the_report_date_and_counts() {
    // A prize of 500 paid two days after the period: incentives spend 100 + 500 of 300.
    let ledger = "2025-07-12,E5,incentives,wp_prizes,500.00,paid\n";
    let dir = site(&[], &[]);
    let path = dir.path().join(LEDGER);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(ledger);
    std::fs::write(&path, text).unwrap();
    let k = kpis(&dir, None);
    assert_eq!(k.as_of, date(2025, 7, 12));
    let incentives = &k.budget.categories[1];
    assert_eq!(incentives.ac, Some(Decimal::from(600)));
    assert_eq!(incentives.status, BudgetStatus::Over);
    // Data through the period's last day is never stale, two days after it or a week after.
    for as_of in [date(2025, 7, 12), date(2025, 7, 17)] {
        let k = kpis(&dir, Some(as_of));
        let stale = k.quality.iter().find(|q| q.id == "stale_data").unwrap();
        assert!(!stale.flagged, "{}", stale.detail);
    }
    // Read as of the last export day, the prize is left out, and the check says so.
    let k = kpis(&dir, Some(date(2025, 7, 10)));
    let future = k.quality.iter().find(|q| q.id == "future_entries").unwrap();
    assert!(future.flagged);
    assert_eq!(future.value, 1.0);
    assert!(
        future.detail.contains("1 ledger row(s) (500.00 CNY)"),
        "{}",
        future.detail
    );
}

#[test]
fn a_commitment_never_moves_the_report_date_and_a_plan_may_pin_it() {
    let dir = site(&[], &[]);
    let path = dir.path().join(LEDGER);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("2025-07-20,E6,promotion,wp_ads,90.00,committed\n");
    std::fs::write(&path, text).unwrap();
    assert_eq!(kpis(&dir, None).as_of, date(2025, 7, 10));
    let dir = site(
        &[],
        &[(PLAN, "data:\n", "report: {as_of: 2025-07-08}\ndata:\n")],
    );
    assert_eq!(kpis(&dir, None).as_of, date(2025, 7, 8));
    // The flag still wins.
    assert_eq!(kpis(&dir, Some(date(2025, 7, 9))).as_of, date(2025, 7, 9));
}

#[test]
fn a_campaign_not_started_says_so_in_words_not_zero_of_zero_days() {
    let dir = site(&[], &[]);
    let site = loaded(&dir);
    let found = qunce::findings(&site, Some(date(2025, 6, 20)));
    assert!(
        found.iter().any(|d| d.code == "not-started"
            && d.severity == qunce::diag::Severity::Note
            && d.message.contains("2025-07-01")),
        "{found:?}"
    );
    assert!(
        found.iter().all(|d| !d.message.contains("0 of 0")),
        "{found:?}"
    );
}

#[test]
fn check_strict_a_week_after_a_finished_campaign_finds_no_stale_data() {
    let dir = site(&[], &[]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_qunce"))
        .args(["check", "--strict", "--as-of", "2025-07-17", "--root"])
        .arg(dir.path())
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("stale_data"), "{stderr}");
    assert!(!stderr.contains("0 of 0"), "{stderr}");
}

#[test]
fn an_event_log_without_covers_counts_quiet_days_up_to_the_report_date() {
    // Two messages on 07-01 and 07-02, read as of 07-05: 2 / 5 a day, not 2 / 2.
    let events = "timestamp,id,actor\n\
                  2025-07-01 10:00:00,m1,ann\n\
                  2025-07-02 11:00:00,m2,bob\n";
    // The daily export keeps members and active members; messages and speakers come from the
    // log alone.
    let daily: String = std::iter::once("date,group_id,members,active_members\n".to_string())
        .chain((1..=10).map(|d| format!("2025-07-{d:02},g1,100,30\n")))
        .collect();
    let dir = site(
        &[(DAILY, &daily), ("data/demo/events.csv", events)],
        &[(
            PLAN,
            "  daily: {path: demo/daily.csv}\n",
            "  daily: {path: demo/daily.csv}\n  events: {path: demo/events.csv}\n",
        )],
    );
    let k = kpis(&dir, Some(date(2025, 7, 5)));
    assert_eq!(value(&k, "messages_per_day"), Ok(0.4));
    assert_eq!(value(&k, "avg_daily_speakers"), Ok(0.4));
}

#[test]
fn past_the_end_there_is_no_runway_and_exhaustion_is_the_day_spend_reached_the_budget() {
    // As of 07-12, two days after the end. Without more spend, 650 of 1,000 (200 + 100 + 50
    // + 300 committed) never reached the budget: no date at all.
    let dir = site(&[], &[]);
    let k = kpis(&dir, Some(date(2025, 7, 12)));
    assert_eq!(k.budget.total.runway_days, None);
    assert_eq!(k.budget.total.exhaustion_date, None);
    // 400 more on 07-09: 200, 300, 350, 650, then 1,050 ≥ 1,000 on 07-09.
    let path = dir.path().join(LEDGER);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("2025-07-09,E7,promotion,wp_ads,400.00,paid\n");
    std::fs::write(&path, text).unwrap();
    let k = kpis(&dir, Some(date(2025, 7, 12)));
    assert_eq!(k.budget.total.runway_days, None);
    assert_eq!(k.budget.total.exhaustion_date, Some(date(2025, 7, 9)));
    // While the campaign still runs (07-09, a day before its end), money already gone is dated
    // by the day it went, never forecast from the pace.
    let k = kpis(&dir, Some(date(2025, 7, 9)));
    assert_eq!(k.budget.total.exhaustion_date, Some(date(2025, 7, 9)));
}

/// A Discord download with the chart's interval at 30 days, read through the built-in profile
/// (hand numbers in `tests/fixtures/discord30d/README.md`).
#[test]
fn a_discord_download_of_thirty_day_rows_gives_messages_per_day_over_the_days_they_cover() {
    let plan = r#"schema_version: 1
campaign:
  id: discord-30d
  name: Discord
  owner: r_mod
  period: {start: 2026-01-01, end: 2026-04-30}
  timezone: Asia/Shanghai
  currency: USD
community:
  carriers:
    - {id: discord, type: forum, platform: Discord, name: Server}
team:
  roles:
    - {id: r_mod, title: Moderator, function: community_ops, fte: 0.2}
goals:
  - {id: g_talk, horizon: short, category: engagement, statement: Talk, targets: [t_msgs]}
targets:
  - {id: t_msgs, metric: messages_per_day, target: 4000, window: {start: 2026-01-01, end: 2026-04-30}}
phases:
  items:
    - {id: p1, name: All, start: 2026-01-01, end: 2026-04-30, owner: r_mod}
budget:
  total: 0.00
  categories:
    - {id: ops, name: Ops, amount: 0.00}
data:
  daily: {path: "discord30d/*.csv", profile: discord_server_insights}
"#;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/campaigns/discord-30d")).unwrap();
    std::fs::write(root.join("content/site.yaml"), "title: D\nlanguage: en\n").unwrap();
    std::fs::write(root.join("content/campaigns/discord-30d/plan.yaml"), plan).unwrap();
    common::copy_tree(
        &common::repo().join("tests/fixtures/discord30d"),
        &root.join("data/discord30d"),
    );
    let site = loaded(&dir);
    let k = compute::campaign_as_of(&site.campaigns[0], None).unwrap();
    assert_eq!(k.as_of, date(2026, 4, 30));
    let per_day = value(&k, "messages_per_day").unwrap();
    assert!((per_day - 531_460.0 / 120.0).abs() < 1e-9, "{per_day}");
    let target = &k.targets[0];
    assert_eq!(target.actual, Some(per_day));
    // Members are known on a bucket's first day: 5,800 on 04-01, 29 days before the end.
    let members = value(&k, "members_end");
    assert_eq!(members, Ok(5800.0));
}

/// One unreadable date column is one error (#25): at its first bad line, with how many rows and
/// the first values, and no follow-on "no row in the period" error; the ledger likewise.
#[test]
fn an_unreadable_date_column_is_one_error_not_one_per_row() {
    let daily: String =
        std::iter::once("date,group_id,members,active_members,speakers,messages\n".to_string())
            .chain((1..=10).map(|d| format!("Jul {d} 2025 at noon,g1,100,30,10,50\n")))
            .collect();
    let ledger = "date,entry_id,category,work_package,amount,status\n\
                  someday,E1,promotion,wp_ads,200.00,paid\n\
                  tomorrow,E2,incentives,wp_prizes,100.00,accrued\n\
                  2025-07-05,E3,reserve,,50.00,accrued\n";
    let dir = site(&[(DAILY, &daily), (LEDGER, ledger)], &[]);
    let (_, diags) = qunce::check(dir.path());
    let dates: Vec<_> = diags
        .iter()
        .filter(|d| matches!(d.code, "bad-date" | "ambiguous-date"))
        .collect();
    assert_eq!(dates.len(), 2, "{}", diags.render());
    let daily_error = dates
        .iter()
        .find(|d| d.path.ends_with("daily.csv"))
        .unwrap();
    assert_eq!(daily_error.line, Some(2));
    assert!(
        daily_error.message.starts_with("10 rows of this column cannot be read (line 2 `Jul 1 2025 at noon`, line 3 `Jul 2 2025 at noon`, line 4 `Jul 3 2025 at noon`, …)"),
        "{}",
        daily_error.message
    );
    let ledger_error = dates
        .iter()
        .find(|d| d.path.ends_with("ledger.csv"))
        .unwrap();
    assert!(
        ledger_error.message.starts_with(
            "2 rows of this column cannot be read (line 2 `someday`, line 3 `tomorrow`)"
        ),
        "{}",
        ledger_error.message
    );
    assert!(
        diags.iter().all(|d| d.code != "empty-export"),
        "{}",
        diags.render()
    );
}

/// Dates written without a year (`7月3日`, as 企业微信 and spreadsheet exports write them) take
/// the year that puts them in the campaign period, with a note; the base site's numbers by
/// hand: messages 50 + 41 + 60 = 151 on 07-01 … 07-03, over 3 days.
#[test]
fn yearless_dates_take_the_campaign_year() {
    let daily = "日期,group_id,members,joined,left,active_members,speakers,messages\n\
                 7月1日,g1,100,2,0,30,10,50\n\
                 7月2日,g1,101,1,0,28,9,41\n\
                 7月3日,g1,103,2,0,35,12,60\n";
    let ledger = "date,entry_id,category,work_package,amount,status\n\
                  7月1日,E1,promotion,wp_ads,200.00,paid\n";
    let dir = site(&[(DAILY, daily), (LEDGER, ledger)], &[]);
    let (site, diags) = qunce::check(dir.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    let notes: Vec<_> = diags.iter().filter(|d| d.code == "yearless-date").collect();
    assert_eq!(notes.len(), 2, "{}", diags.render());
    assert!(
        notes[0].message.contains("is 2025-07-01"),
        "{}",
        notes[0].message
    );
    let k = compute::campaign(&site.unwrap().campaigns[0], date(2025, 7, 3));
    assert_eq!(value(&k, "messages_per_day"), Ok(151.0 / 3.0));
    assert_eq!(k.budget.categories[0].ac, Some(Decimal::from(200)));
}

/// A `date_format` may leave the year out (`%m/%d`): the year comes from the campaign period,
/// as for `7月3日` (by hand: 50 + 41 + 60 = 151 messages over 3 days).
#[test]
fn a_yearless_date_format_takes_the_campaign_year() {
    let daily = "date,group_id,members,joined,left,active_members,speakers,messages\n\
                 07/01,g1,100,2,0,30,10,50\n\
                 07/02,g1,101,1,0,28,9,41\n\
                 07/03,g1,103,2,0,35,12,60\n";
    let dir = site(
        &[(DAILY, daily)],
        &[(
            PLAN,
            "daily: {path: demo/daily.csv}",
            "daily: {path: demo/daily.csv, date_format: \"%m/%d\"}",
        )],
    );
    let (_, diags) = qunce::check(dir.path());
    assert!(
        diags.iter().any(|d| d.code == "yearless-date"),
        "{}",
        diags.render()
    );
    let k = kpis(&dir, Some(date(2025, 7, 3)));
    assert_eq!(value(&k, "messages_per_day"), Ok(151.0 / 3.0));
}

/// Days written out as X (Twitter) analytics writes them, newest first, one- and two-digit days
/// alike, read with no `date_format` (by hand: 50 + 41 + 60 = 151 messages over 3 days).
#[test]
fn written_out_days_read_without_a_date_format() {
    let daily = "Date,group_id,members,joined,left,active_members,speakers,messages\n\
                 \"Thu, Jul 3, 2025\",g1,103,2,0,35,12,60\n\
                 \"Wed, Jul 2, 2025\",g1,101,1,0,28,9,41\n\
                 \"Tue, Jul 1, 2025\",g1,100,2,0,30,10,50\n";
    let dir = site(&[(DAILY, daily)], &[]);
    let k = kpis(&dir, Some(date(2025, 7, 3)));
    assert_eq!(value(&k, "messages_per_day"), Ok(151.0 / 3.0));
}
