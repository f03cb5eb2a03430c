//! Spend from ad platforms (docs/data.md#spend): Google Ads downloads as they come, through the
//! built-in profiles, into one or several ledger sources — totals never added twice, currencies
//! never converted. Hand totals are in `fixtures/google_ads/README.md`.

use crate::common;

use jiff::civil::date;
use qunce::compute::undefined::Undefined;
use rust_decimal::Decimal;

const PLAN: &str = r#"schema_version: 1
campaign:
  id: ads-demo
  name: Ads
  owner: r_mod
  period: {start: 2026-02-01, end: 2026-02-28}
  timezone: America/Chicago
  currency: CURRENCY
community:
  carriers:
    - {id: discord, type: forum, platform: Discord, name: Server}
team:
  roles:
    - {id: r_mod, title: Moderator, function: community_ops, fte: 0.2}
goals:
  - {id: g_talk, horizon: short, category: engagement, statement: Talk, targets: [t_msgs]}
targets:
  - {id: t_msgs, metric: messages_per_day, target: 1, window: {start: 2026-02-01, end: 2026-02-28}}
phases:
  items:
    - {id: p1, name: All, start: 2026-02-01, end: 2026-02-28, owner: r_mod}
budget:
  total: 2000.00
  categories:
    - {id: search, name: Search ads, amount: 800.00}
    - {id: pmax, name: Performance Max, amount: 1000.00}
    - {id: reserve, name: Reserve, amount: 200.00, reserve: true}
data:
  daily: {path: daily.csv}
  ledger:
LEDGER
"#;

const CAMPAIGN_REPORT: &str = "    - path: ads/campaign_report_feb.csv
      profile: google_ads_campaign_report
      category_map: {Brand search: search, Spring push: pmax, Paused test: search}";

fn site(currency: &str, ledger: &str, extra: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/campaigns/ads-demo")).unwrap();
    std::fs::write(root.join("content/site.yaml"), "title: Ads\nlanguage: en\n").unwrap();
    std::fs::write(
        root.join("content/campaigns/ads-demo/plan.yaml"),
        PLAN.replace("CURRENCY", currency).replace("LEDGER", ledger),
    )
    .unwrap();
    common::copy_tree(
        &common::repo().join("tests/fixtures/google_ads"),
        &root.join("data/ads"),
    );
    let daily: String = std::iter::once("date,messages\n".to_string())
        .chain((1..=28).map(|d| format!("2026-02-{d:02},10\n")))
        .collect();
    std::fs::write(root.join("data/daily.csv"), daily).unwrap();
    for (name, text) in extra {
        std::fs::write(root.join("data/ads").join(name), text).unwrap();
    }
    dir
}

fn ac(dir: &tempfile::TempDir, as_of: jiff::civil::Date) -> Vec<(String, Option<Decimal>)> {
    let (loaded, diags) = qunce::check(dir.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    let k = qunce::compute::campaign(&loaded.unwrap().campaigns[0], as_of);
    k.budget
        .categories
        .iter()
        .map(|c| (c.id.clone(), c.ac))
        .collect()
}

/// The three categories' actual cost as `ac` lists them: search, pmax, reserve.
fn spent(
    search: Option<Decimal>,
    pmax: Option<Decimal>,
    reserve: Option<Decimal>,
) -> Vec<(String, Option<Decimal>)> {
    vec![
        ("search".to_string(), search),
        ("pmax".to_string(), pmax),
        ("reserve".to_string(), reserve),
    ]
}

fn d(s: &str) -> Option<Decimal> {
    Some(s.parse().unwrap())
}

#[test]
fn a_campaign_report_as_downloaded_gives_spend_per_campaign_not_totals() {
    let dir = site("USD", CAMPAIGN_REPORT, &[]);
    // search = Brand search 120.50 + Paused test 0.00; pmax = Spring push 310.25; the two
    // `Total:` rows of 430.75 are dropped.
    assert_eq!(
        ac(&dir, date(2026, 2, 28)),
        spent(d("120.50"), d("310.25"), d("0"))
    );
    let (_, diags) = qunce::check(dir.path());
    let dropped = diags.iter().find(|d| d.code == "rows-dropped").unwrap();
    assert!(dropped.message.starts_with("2 row(s)"), "{dropped}");
    assert_eq!(dropped.line, Some(7));
    // Entries are dated the range's last day: on 02-27 the report's spend so far is unknown
    // (issue #22), never 0; the reserve, which no report feeds, spent nothing.
    assert_eq!(ac(&dir, date(2026, 2, 27)), spent(None, None, d("0")));
}

#[test]
fn a_report_in_another_currency_is_refused_naming_both() {
    let dir = site("CNY", CAMPAIGN_REPORT, &[]);
    let (_, diags) = qunce::check(dir.path());
    let wrong: Vec<_> = diags
        .iter()
        .filter(|d| d.code == "wrong-currency")
        .collect();
    // Three campaign rows, each refused at its `Currency code` cell (column 12).
    assert_eq!(wrong.len(), 3, "{}", diags.render());
    assert_eq!(wrong[0].line, Some(4));
    assert!(
        wrong[0].message.contains("USD") && wrong[0].message.contains("CNY"),
        "{}",
        wrong[0]
    );
}

#[test]
fn a_cost_of_dashes_on_a_campaign_row_is_an_error() {
    let report = "Campaign report\n\"March 1, 2026 - March 31, 2026\"\nCampaign,Cost,Currency code\nBrand search, --,USD\n";
    let ledger =
        "    - {path: ads/march.csv, profile: google_ads_campaign_report, category: search}";
    let dir = site("USD", ledger, &[("march.csv", report)]);
    let (_, diags) = qunce::check(dir.path());
    let d = diags
        .iter()
        .find(|d| d.code == "missing-amount")
        .unwrap_or_else(|| panic!("{}", diags.render()));
    assert_eq!((d.line, d.found.as_deref()), (Some(4), Some("`--`")));
}

#[test]
fn two_reports_over_overlapping_days_are_an_error() {
    let overlapping = "Campaign report\n\"February 15, 2026 - March 14, 2026\"\nCampaign,Cost,Currency code\nBrand search,10.00,USD\n";
    let ledger = format!(
        "{CAMPAIGN_REPORT}\n    - path: ads/late.csv\n      profile: google_ads_campaign_report\n      category_map: {{Brand search: search}}"
    );
    let dir = site("USD", &ledger, &[("late.csv", overlapping)]);
    let (_, diags) = qunce::check(dir.path());
    assert!(
        diags.iter().any(|d| d.code == "overlapping-reports"),
        "{}",
        diags.render()
    );
}

#[test]
fn a_time_series_with_a_fixed_category_is_one_entry_a_day() {
    let ledger =
        "    - {path: ads/time_series_feb.csv, profile: google_ads_time_series, category: pmax}";
    let dir = site("USD", ledger, &[]);
    // 50.00 + 42.10 by 02-06; all four days 153.45.
    assert_eq!(ac(&dir, date(2026, 2, 6))[1].1, d("92.10"));
    assert_eq!(ac(&dir, date(2026, 2, 28))[1].1, d("153.45"));
    // In a CNY plan, `US$` is refused.
    let dir = site("CNY", ledger, &[]);
    let (_, diags) = qunce::check(dir.path());
    let bad = diags
        .iter()
        .find(|d| d.code == "bad-amount")
        .unwrap_or_else(|| panic!("{}", diags.render()));
    assert!(
        bad.message.contains("USD") && bad.message.contains("CNY"),
        "{bad}"
    );
    // The hint is about currencies, not the generic one for a malformed amount.
    assert!(
        bad.help
            .as_deref()
            .is_some_and(|h| h.contains("never converts")),
        "{bad}"
    );
}

#[test]
fn several_ledger_sources_add_up() {
    let ledger = format!(
        "{CAMPAIGN_REPORT}\n    - {{path: ads/time_series_feb.csv, profile: google_ads_time_series, category: reserve}}"
    );
    let dir = site("USD", &ledger, &[]);
    assert_eq!(ac(&dir, date(2026, 2, 28))[2].1, d("153.45"));
    assert_eq!(ac(&dir, date(2026, 2, 28))[1].1, d("310.25"));
}

/// Google Ads' "Excel CSV" is the same report in UTF-16LE with a BOM and tabs: read alike.
#[test]
fn the_excel_csv_download_in_utf16_with_tabs_reads_the_same() {
    let text = std::fs::read_to_string(
        common::repo().join("tests/fixtures/google_ads/campaign_report_feb.csv"),
    )
    .unwrap();
    // Re-separate with tabs (the quoted fields hold the only commas).
    let tabbed: String = text
        .lines()
        .map(|line| {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(line.as_bytes());
            let record = reader.records().next().unwrap().unwrap();
            record.iter().collect::<Vec<_>>().join("\t") + "\r\n"
        })
        .collect();
    let mut bytes = vec![0xFF, 0xFE];
    for unit in tabbed.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let dir = site("USD", CAMPAIGN_REPORT, &[]);
    std::fs::write(dir.path().join("data/ads/campaign_report_feb.csv"), &bytes).unwrap();
    assert_eq!(
        ac(&dir, date(2026, 2, 28))[..2],
        [
            ("search".to_string(), d("120.50")),
            ("pmax".to_string(), d("310.25"))
        ]
    );
    let (_, diags) = qunce::check(dir.path());
    let note = diags
        .iter()
        .find(|d| d.code == "encoding-detected")
        .unwrap();
    assert!(note.message.contains("UTF-16LE"), "{note}");
}

/// Content that is not CSV text behind a `.csv` name is one clear error naming the format.
#[test]
fn a_workbook_or_bomless_utf16_behind_a_csv_name_is_refused() {
    let workbook =
        std::fs::read(common::repo().join("tests/fixtures/golden_xlsx/ledger.xlsx")).unwrap();
    let mut bomless = Vec::new();
    for unit in "Campaign,Cost\nBrand,1.00\n".encode_utf16() {
        bomless.extend_from_slice(&unit.to_le_bytes());
    }
    for (bytes, named) in [
        (workbook, "workbook"),
        (bomless, "UTF-16 text without a byte-order mark"),
    ] {
        let dir = site("USD", CAMPAIGN_REPORT, &[]);
        std::fs::write(dir.path().join("data/ads/campaign_report_feb.csv"), &bytes).unwrap();
        let (_, diags) = qunce::check(dir.path());
        let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 1, "{}", diags.render());
        assert_eq!(errors[0].code, "not-text");
        assert!(errors[0].message.contains(named), "{}", errors[0]);
    }
}

/// An as-of inside a report's range does not count the report yet, and `check` says so.
#[test]
fn a_report_not_yet_counted_at_the_as_of_date_is_noted() {
    let dir = site("USD", CAMPAIGN_REPORT, &[]);
    let (loaded, diags) = qunce::check(dir.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    let loaded = loaded.unwrap();
    let notes = qunce::findings(&loaded, Some(date(2026, 2, 20)));
    let note = notes
        .iter()
        .find(|d| d.code == "report-not-yet-counted")
        .expect("a note");
    assert!(note.message.contains("2026-02-01 … 2026-02-28"), "{note}");
    assert_eq!(note.severity, qunce::diag::Severity::Note);
    // On its last day it counts, and nothing is said.
    let notes = qunce::findings(&loaded, Some(date(2026, 2, 28)));
    assert!(notes.iter().all(|d| d.code != "report-not-yet-counted"));
}

/// The same timestamp text names different days in two files: day buckets in one (every stamp
/// a UTC midnight), instants in the other (one stamp is not), read in the plan's zone
/// (America/Chicago, six hours behind UTC in February).
#[test]
fn the_same_stamp_in_two_files_is_read_by_each_file_s_own_rule() {
    let ledger = "    - {path: \"ads/stamps_*.csv\"}";
    let buckets = "date,category,amount\n\
                   2026-02-10T00:00:00+00:00,search,100.00\n\
                   2026-02-11T00:00:00+00:00,search,1.00\n";
    let instants = "date,category,amount\n\
                    2026-02-10T00:00:00+00:00,pmax,20.00\n\
                    2026-02-11T15:30:00+00:00,pmax,2.00\n";
    let dir = site(
        "USD",
        ledger,
        &[("stamps_a.csv", buckets), ("stamps_b.csv", instants)],
    );
    // By 2026-02-09: the instant 2026-02-10T00:00Z is 18:00 on the 9th in Chicago (pmax 20.00);
    // the day bucket of the 10th is not spent yet (search nothing).
    let by_9th = ac(&dir, date(2026, 2, 9));
    assert_eq!(by_9th[0].1, d("0.00"));
    assert_eq!(by_9th[1].1, d("20.00"));
    // By the 11th both files count in full.
    let by_11th = ac(&dir, date(2026, 2, 11));
    assert_eq!(by_11th[0].1, d("101.00"));
    assert_eq!(by_11th[1].1, d("22.00"));
}

/// An export that is UTF-8 (a long Chinese description early on) and later holds a row saved
/// as GB18030 mixes encodings: the bad row is an error at its line. It is not read as GB18030
/// whole, which would garble its UTF-8 rows without a word.
#[test]
fn a_large_export_that_turns_from_utf8_to_gb18030_is_an_error_at_that_line() {
    let mut bytes = String::from("date,category,amount,description\n");
    bytes.push_str(&format!(
        "2026-02-01,search,10.00,{}\n",
        "首批投放".repeat(25)
    ));
    for _ in 0..12_000 {
        bytes.push_str("2026-02-02,search,1.00,plain ascii row\n");
    }
    let mut bytes = bytes.into_bytes();
    // Header on line 1, the Chinese row on 2, the ASCII rows on 3–12002.
    let (gb, _, _) = encoding_rs::GB18030.encode("2026-02-03,search,5.00,首批投放\n");
    bytes.extend_from_slice(&gb);
    assert!(bytes.len() > 256 * 1024, "larger than one read");
    let dir = site("USD", "    - {path: ads/mixed.csv}", &[]);
    std::fs::write(dir.path().join("data/ads/mixed.csv"), &bytes).unwrap();
    let (_, diags) = qunce::check(dir.path());
    let bad = diags
        .iter()
        .find(|d| d.code == "encoding")
        .unwrap_or_else(|| panic!("{}", diags.render()));
    assert_eq!(bad.line, Some(12_003), "{bad}");
    assert!(
        bad.help
            .as_deref()
            .is_some_and(|h| h.contains("mixes encodings")),
        "{bad}"
    );
    assert!(!diags.iter().any(|d| d.code == "encoding-fallback"));
}

/// A hand-made ledger whose statuses, categories, work packages and channels repeat, so that
/// each distinct cell is resolved once and remembered: every row still gets its own answer.
const REPEATS: &str = "date,entry_id,category,amount,status,work_package,channel
2026-02-02,E1,search,100.00,已付,,
2026-02-03,E2,search,50.00,已付,,
2026-02-03,E3,search,7.00,pending,,
2026-02-04,E4,search,8.00,pending,,
2026-02-04,E5,nope,9.00,paid,,
2026-02-05,E6,nope,9.00,paid,,
2026-02-05,E7,search,1.00,paid,wp_x,
2026-02-06,E8,search,1.00,paid,wp_x,
2026-02-06,E9,pmax,2.00,paid,,ch_x
2026-02-07,E10,pmax,2.00,paid,,ch_x
2026-02-07,E11,pmax,30.00,PAID,,
";

#[test]
fn every_row_with_a_cell_that_resolves_to_nothing_is_an_error_at_its_own_line() {
    let ledger = "    - {path: ads/repeats.csv, status_map: {已付: paid}}";
    let dir = site("USD", ledger, &[("repeats.csv", REPEATS)]);
    let (_, diags) = qunce::check(dir.path());
    let lines = |code: &str| -> Vec<usize> {
        diags
            .sorted()
            .into_iter()
            .filter(|d| d.code == code)
            .filter_map(|d| d.line)
            .collect()
    };
    assert_eq!(lines("unknown-status"), [4, 5], "{}", diags.render());
    assert_eq!(lines("unknown-category"), [6, 7]);
    assert_eq!(lines("unknown-work-package"), [8, 9]);
    assert_eq!(lines("unknown-channel"), [10, 11]);
}

#[test]
fn a_mapped_or_differently_cased_status_counts_on_every_row() {
    // Only the rows that resolve: the mapped `已付` twice (100 + 50) and `PAID` (30).
    let good: String = REPEATS
        .lines()
        .enumerate()
        .filter(|(i, _)| [0, 1, 2, 11].contains(i))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let ledger = "    - {path: ads/repeats.csv, status_map: {已付: paid}}";
    let dir = site("USD", ledger, &[("repeats.csv", &good)]);
    assert_eq!(
        ac(&dir, date(2026, 2, 28)),
        vec![
            ("search".into(), d("150.00")),
            ("pmax".into(), d("30.00")),
            ("reserve".into(), d("0")),
        ]
    );
}

/// A report whose days straddle the report date has a cost nobody knows yet: the categories it
/// feeds, and every total built on them, are unknown with the report named, never 0.
#[test]
fn a_report_straddling_the_report_date_makes_its_categories_unknown_not_zero() {
    use qunce::compute::budget::BudgetStatus;
    let dir = site("USD", CAMPAIGN_REPORT, &[]);
    let (loaded, diags) = qunce::check(dir.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    let k = qunce::compute::campaign(&loaded.unwrap().campaigns[0], date(2026, 2, 20));
    for id in ["search", "pmax"] {
        let c = k.budget.categories.iter().find(|c| c.id == id).unwrap();
        assert_eq!(c.ac, None, "{id}");
        assert_eq!(c.status, BudgetStatus::NoData, "{id}");
        let straddles = |why: &Undefined| {
            matches!(why, Undefined::ReportStraddles { file, first, last, .. }
                if file.ends_with("campaign_report_feb.csv")
                    && *first == date(2026, 2, 1)
                    && *last == date(2026, 2, 28))
        };
        assert!(c.unknown.as_ref().is_some_and(straddles), "{:?}", c.unknown);
    }
    let t = &k.budget.total;
    assert_eq!(
        (t.ac, t.ac_total, t.cpi, t.eac_total),
        (None, None, None, None)
    );
    assert_eq!(t.status, BudgetStatus::NoData);
    let cost = k.metrics["cost_per_member_month"].clone().unwrap_err();
    assert!(
        matches!(&cost, Undefined::ReportStraddles { file, .. } if file.ends_with("campaign_report_feb.csv")),
        "{cost}"
    );
}

/// A spend-only plan (an ad campaign read from its report, no daily export or event log) checks
/// and builds: its activity target is "not computable" with the reason, its budget is computed
/// (hand totals in fixtures/google_ads/README.md: 120.50 + 310.25 on 02-28).
#[test]
fn a_spend_only_plan_checks_and_builds() {
    let dir = site("USD", CAMPAIGN_REPORT, &[]);
    let plan = dir.path().join("content/campaigns/ads-demo/plan.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, text.replace("  daily: {path: daily.csv}\n", "")).unwrap();
    let (loaded, diags) = qunce::check(dir.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    assert!(diags.iter().any(|d| d.code == "spend-only"));
    let not_computable = diags.iter().find(|d| d.code == "not-computable").unwrap();
    assert_eq!(not_computable.severity, qunce::diag::Severity::Warning);
    let loaded = loaded.unwrap();
    let k = qunce::compute::campaign_as_of(&loaded.campaigns[0], None).unwrap();
    // The report is dated its last day: the default report date reaches it.
    assert_eq!(k.as_of, date(2026, 2, 28));
    let spent: Vec<_> = k
        .budget
        .categories
        .iter()
        .map(|c| (c.id.as_str(), c.ac))
        .collect();
    assert_eq!(
        spent,
        [
            ("search", d("120.50")),
            ("pmax", d("310.25")),
            ("reserve", d("0"))
        ]
    );
    assert!(k.targets[0].actual.is_none() && k.targets[0].reason.is_some());
    // No coverage warning about activity data the plan does not read.
    assert!(k.quality.iter().all(|q| q.id != "coverage_low"));
    common::build_site(dir.path());
    let page =
        std::fs::read_to_string(dir.path().join("public/campaigns/ads-demo/index.html")).unwrap();
    assert!(page.contains("data-answer=\"money\""));
}

/// An "All time" report has no date range to date its entries: refused with a help naming
/// `entry_date`; with `entry_date` in the plan every entry takes that date, whatever the
/// profile's own way of dating (hand totals as in fixtures/google_ads/README.md).
#[test]
fn an_all_time_report_is_dated_by_hand_with_entry_date() {
    let all_time = std::fs::read_to_string(
        common::repo().join("tests/fixtures/google_ads/campaign_report_feb.csv"),
    )
    .unwrap()
    .replace("\"February 1, 2026 - February 28, 2026\"", "All time");
    let report = "    - path: ads/campaign_report_all.csv
      profile: google_ads_campaign_report
      category_map: {Brand search: search, Spring push: pmax, Paused test: search}";
    let dir = site("USD", report, &[("campaign_report_all.csv", &all_time)]);
    let (_, diags) = qunce::check(dir.path());
    let refused = diags.iter().find(|d| d.code == "missing-date").unwrap();
    let help = refused.help.as_deref().unwrap_or_default();
    assert!(help.contains("entry_date: YYYY-MM-DD"), "{help}");
    let dated = format!("{report}\n      entry_date: 2026-02-20");
    let dir = site("USD", &dated, &[("campaign_report_all.csv", &all_time)]);
    assert_eq!(
        ac(&dir, date(2026, 2, 20)),
        spent(d("120.50"), d("310.25"), d("0"))
    );
    // Before that date nothing is counted yet.
    assert_eq!(ac(&dir, date(2026, 2, 19))[0].1, d("0"));
}

/// The example plan with its ledger read from Meta Ads Manager exports under `data/meta/`
/// (`fixtures/meta_ads`, hand totals in its README).
fn meta_site(currency: &str, file: &str, category_map: &str) -> tempfile::TempDir {
    let ledger = format!(
        "    - path: meta/{file}\n      profile: meta_ads_report\n      category_map: {category_map}"
    );
    let dir = site(currency, &ledger, &[]);
    common::copy_tree(
        &common::repo().join("tests/fixtures/meta_ads"),
        &dir.path().join("data/meta"),
    );
    dir
}

const META_MAP: &str = "{Spring push: pmax, Brand awareness: search}";

#[test]
fn a_meta_export_broken_down_by_day_is_each_day_s_spend() {
    let dir = meta_site("USD", "by_day_feb.csv", META_MAP);
    assert_eq!(
        ac(&dir, date(2026, 2, 28)),
        spent(d("15.90"), d("31.25"), d("0"))
    );
    // Day rows are days, not reports: on 02-01 the first day's spend is known.
    assert_eq!(
        ac(&dir, date(2026, 2, 1)),
        spent(d("8.00"), d("15.00"), d("0"))
    );
}

#[test]
fn a_meta_export_over_a_range_is_dated_its_last_day_and_unknown_while_it_straddles() {
    let dir = meta_site("USD", "range_feb.csv", META_MAP);
    assert_eq!(
        ac(&dir, date(2026, 2, 28)),
        spent(d("120.50"), d("310.25"), d("0"))
    );
    assert_eq!(ac(&dir, date(2026, 2, 27)), spent(None, None, d("0")));
}

#[test]
fn a_usd_meta_export_in_a_cny_plan_is_one_error_naming_both() {
    let dir = meta_site("CNY", "by_day_feb.csv", META_MAP);
    let (_, diags) = qunce::check(dir.path());
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{}", diags.render());
    let e = errors[0];
    assert_eq!(e.code, "wrong-currency");
    assert!(
        e.message.contains("USD") && e.message.contains("CNY"),
        "{e}"
    );
    // At the header, on the `Amount spent (USD)` column: 10th of the header line.
    assert_eq!(e.line, Some(1));
    let before: usize = "Reporting starts,Reporting ends,Campaign name,Campaign delivery,Results,Result indicator,Reach,Impressions,Cost per results,".chars().count();
    assert_eq!(e.col, Some(before + 1));
}

#[test]
fn the_chinese_header_vintage_of_meta_reads_alike() {
    let dir = meta_site(
        "CNY",
        "zh_by_day_feb.csv",
        "{春季推广: pmax, 品牌曝光: search}",
    );
    assert_eq!(
        ac(&dir, date(2026, 2, 28)),
        spent(d("60.00"), d("203.50"), d("0"))
    );
}

#[test]
fn a_meta_export_that_says_no_data_available_is_nothing_spent_with_a_note() {
    let dir = meta_site("USD", "no_data.csv", META_MAP);
    assert_eq!(ac(&dir, date(2026, 2, 28)), spent(d("0"), d("0"), d("0")));
    let (_, diags) = qunce::check(dir.path());
    let note = diags.iter().find(|d| d.code == "no-data-export").unwrap();
    assert!(note.message.contains("No data available."), "{note}");
    assert!(
        !diags
            .iter()
            .any(|d| d.code == "ragged-row" || d.code == "missing-column")
    );
}
