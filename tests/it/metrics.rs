//! Metrics on the small base site (tests/fixtures/base), every expected number worked out by
//! hand from its CSV files, plus the edge cases of the metrics issue: a missing day, two groups,
//! zero denominators, a refund, a committed row, a revision and a campaign without progress.

use crate::common;

use jiff::civil::date;
use qunce::compute::undefined::Undefined;
use qunce::compute::{self, CampaignKpis, budget::BudgetStatus, targets::Status};
use rust_decimal::Decimal;

fn run(edits: &[(&str, &str, &str)], as_of: jiff::civil::Date) -> CampaignKpis {
    let site = common::copy_fixture("base");
    for (file, from, to) in edits {
        let path = site.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
    let (site, diags) = qunce::check(site.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    let site = site.unwrap();
    compute::campaign(&site.campaigns[0], as_of)
}

fn m(k: &CampaignKpis, id: &str) -> f64 {
    *k.metrics[id]
        .as_ref()
        .unwrap_or_else(|e| panic!("{id}: {e}"))
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

const PLAN: &str = "content/campaigns/demo/plan.yaml";
const DAILY: &str = "data/demo/daily.csv";

#[test]
fn growth_and_engagement_by_hand() {
    let k = run(&[], date(2025, 7, 10));
    // members 100 → 108; no row for 06-30, so members_start = 100 − joined 2 + left 0 = 98.
    close(m(&k, "members_end"), 108.0);
    close(m(&k, "net_growth"), 10.0);
    close(m(&k, "growth_rate"), 10.0 / 98.0);
    close(m(&k, "joins"), 11.0);
    close(m(&k, "churn_rate"), 1.0 / 98.0);
    close(
        m(&k, "churn_rate_monthly"),
        1.0 - (97.0f64 / 98.0).powf(3.0),
    );
    // Σactive 326, Σmembers 1046, Σspeakers 106, Σmessages 503 over 10 days.
    close(m(&k, "active_rate_daily"), 326.0 / 1046.0);
    close(m(&k, "dau_mean"), 32.6);
    close(m(&k, "avg_daily_speakers"), 10.6);
    close(m(&k, "speaker_rate_daily"), 106.0 / 1046.0);
    close(m(&k, "messages_per_day"), 50.3);
    close(m(&k, "messages_per_speaker"), 503.0 / 106.0);
    // Ledger: 200 paid + 100 accrued + 50 reserve; the 300 committed row is not cost.
    // Mean members 104.6 over 10 days = 34.8667 member-months.
    close(
        m(&k, "cost_per_member_month"),
        350.0 / (104.6 * 10.0 / 30.0),
    );
    // Not computable from this export: undefined with a reason, never 0.
    assert!(k.metrics["active_rate_30d"].is_err());
    assert_eq!(k.metrics["gmv"], Err(Undefined::NoColumn("gmv".into())));
}

#[test]
fn targets_are_final_on_the_last_day() {
    let k = run(&[], date(2025, 7, 10));
    let speakers = k.targets.iter().find(|t| t.id == "t_speakers").unwrap();
    assert_eq!(
        (speakers.actual, speakers.status),
        (Some(10.6), Status::Met)
    );
    let active = k.targets.iter().find(|t| t.id == "t_active").unwrap();
    assert_eq!(active.status, Status::Met);
    // Mid-window (07-05): p = 5/10, linear 20% → 30% expects 25%; actual 153/511 = 29.9%.
    let k = run(&[], date(2025, 7, 5));
    let active = k.targets.iter().find(|t| t.id == "t_active").unwrap();
    close(active.expected.unwrap(), 0.25);
    close(active.actual.unwrap(), 153.0 / 511.0);
    assert_eq!(active.status, Status::OnTrack);
}

#[test]
fn budget_with_a_committed_row_by_hand() {
    let k = run(&[], date(2025, 7, 10));
    let t = &k.budget.total;
    assert_eq!((t.bac, t.bac_total), (d("900"), d("1000")));
    assert_eq!(
        (t.ac, t.ac_total, t.committed),
        (Some(d("300")), Some(d("350")), Some(d("300")))
    );
    // PV complete (both WPs end 07-10); EV = 600 × 40% + 300 × 50% = 390.
    assert_eq!((t.pv, t.ev), (d("900"), Some(d("390"))));
    close(t.cpi.unwrap(), 1.3);
    close(t.spi.unwrap(), 390.0 / 900.0);
    close(t.tcpi_bac.unwrap(), 510.0 / 600.0);
    // EAC_typical = 900 / 1.3 = 692.31; the floor AC + commitments = 600 is lower;
    // plus 50 of direct reserve spend.
    assert_eq!(t.eac_typical.unwrap().round_dp(2), d("692.31"));
    assert_eq!(t.eac_total.unwrap().round_dp(2), d("742.31"));
    // 742.31 ≤ BAC 900: the forecast fits the performance baseline.
    assert_eq!(t.status, BudgetStatus::Ok);
    // Burn: only the 50 reserve row falls in 07-04 … 07-10 → 50/7 a day. 07-10 is the last
    // day: nothing is forecast (no runway), and 350 + 300 committed never reached 1,000.
    assert_eq!(t.burn_7d.map(|b| b.round_dp(4)), Some(d("7.1429")));
    assert_eq!(t.runway_days, None);
    assert_eq!(t.exhaustion_date, None);
    let promo = &k.budget.categories[0];
    assert_eq!(
        (promo.ac, promo.committed, promo.ev),
        (Some(d("200")), Some(d("300")), Some(d("240")))
    );
}

#[test]
fn a_refund_reduces_actual_cost() {
    let refund =
        "2025-07-01,E1,promotion,wp_ads,200.00,paid\n2025-07-02,E5,promotion,wp_ads,-80.00,accrued";
    let k = run(
        &[(
            "data/demo/ledger.csv",
            "2025-07-01,E1,promotion,wp_ads,200.00,paid",
            refund,
        )],
        date(2025, 7, 10),
    );
    assert_eq!(k.budget.categories[0].ac, Some(d("120")));
    assert_eq!(k.budget.total.ac_total, Some(d("270")));
}

#[test]
fn a_revision_moves_budget_from_the_reserve() {
    let plan_edit = (
        PLAN,
        "  work_packages:",
        "  revisions:\n    - {date: 2025-07-03, reason: 追加投放, from: reserve, to: promotion, amount: 50.00}\n  work_packages:",
    );
    let k = run(&[plan_edit], date(2025, 7, 10));
    let promo = &k.budget.categories[0];
    let reserve = &k.budget.categories[2];
    assert_eq!((promo.planned, promo.current), (d("600"), d("650")));
    assert_eq!((reserve.planned, reserve.current), (d("100"), d("50")));
    // Transfer 50 + direct spend 50; BAC stays on the original budgets.
    assert_eq!(k.budget.total.reserve_consumed, Some(d("100")));
    assert_eq!(k.budget.total.bac, d("900"));
    // 100% of the reserve consumed: warn (over 50%, not over 100%).
    assert_eq!(reserve.status, BudgetStatus::Warn);
    // Before the revision date it does not apply yet.
    let k = run(&[plan_edit], date(2025, 7, 2));
    assert_eq!(k.budget.categories[0].current, d("600"));
}

#[test]
fn without_progress_there_is_no_earned_value() {
    let k = run(
        &[(PLAN, "  progress: {path: demo/progress.csv}\n", "")],
        date(2025, 7, 5),
    );
    let t = &k.budget.total;
    assert_eq!((t.ev, t.cpi, t.eac_typical), (None, None, None));
    assert!(t.spend_rate_forecast);
    // Spend-rate forecast: AC 300 + (BAC 900 − PV) where PV at 07-05 = 900 × 5/10 = 450;
    // floor AC + commitments = 300 (the commitment is dated 07-08, after as_of); + reserve 50.
    assert_eq!(t.pv, d("450"));
    assert_eq!(t.eac_total, Some(d("800")));
    assert_eq!(k.budget.categories[0].ev, None);
}

#[test]
fn a_missing_day_is_left_out_not_counted_as_zero() {
    let k = run(
        &[(DAILY, "2025-07-05,g1,104,1,0,29,8,33\n", "")],
        date(2025, 7, 10),
    );
    // 9 days: Σspeakers 106 − 8 = 98.
    close(m(&k, "avg_daily_speakers"), 98.0 / 9.0);
    close(
        m(&k, "active_rate_daily"),
        (326.0 - 29.0) / (1046.0 - 104.0),
    );
}

#[test]
fn zero_denominators_are_undefined() {
    let mut edits = Vec::new();
    let rows = [
        (
            "2025-07-01,g1,100,2,0,30,10,50",
            "2025-07-01,g1,100,2,0,30,0,0",
        ),
        (
            "2025-07-02,g1,101,1,0,28,9,41",
            "2025-07-02,g1,101,1,0,28,0,0",
        ),
    ];
    for (from, to) in rows {
        edits.push((DAILY, from, to));
    }
    let k = run(&edits, date(2025, 7, 2));
    assert!(
        k.metrics["messages_per_speaker"].is_err(),
        "0 messages / 0 speakers is undefined"
    );
    close(m(&k, "avg_daily_speakers"), 0.0); // a real zero stays zero (G5)
}

#[test]
fn two_groups_are_summed_per_day() {
    let edits = [
        (
            PLAN,
            "    - {id: g1, type: im_group, platform: 企业微信, name: 测试1群}",
            "    - {id: g1, type: im_group, platform: 企业微信, name: 测试1群}\n    - {id: g2, type: im_group, platform: 企业微信, name: 测试2群}",
        ),
        (
            DAILY,
            "2025-07-10,g1,108,0,0,34,11,49",
            "2025-07-10,g1,108,0,0,34,11,49\n2025-07-10,g2,50,1,0,20,5,30\n2025-07-09,g2,49,0,0,18,4,22",
        ),
    ];
    let k = run(&edits, date(2025, 7, 10));
    close(m(&k, "members_end"), 158.0);
    // Speakers: 106 + 5 + 4 over 10 days.
    close(m(&k, "avg_daily_speakers"), 11.5);
}

#[test]
fn quality_checks_and_risk_triggers() {
    let k = run(&[], date(2025, 7, 10));
    let check = |id: &str| k.quality.iter().find(|c| c.id == id).unwrap().value;
    // 07-01→07-02: 100→101 with +1 −0 ✓; 07-02→07-03: +2 ✓; 07-03→07-04: 103→103 with +1 −1 ✓;
    // 07-04→07-05 +1 ✓; 07-05→07-06 +2 ✓; 07-06→07-07 0 ✓; then +1, +1, 0 ✓.
    close(check("reconciliation_mismatch_days"), 0.0);
    close(check("coverage_low"), 1.0);
    // r_churn fires when churn_rate > 10%: 1/98 never does.
    let risk = &k.risks[0];
    assert_eq!((risk.fired, risk.score), (false, 6));
    close(risk.value.unwrap(), 1.0 / 98.0);
    let k = run(
        &[(PLAN, "value: 10%}}", "value: 0.5%}}")],
        date(2025, 7, 10),
    );
    // churn over [07-01, d] exceeds 0.5% from 07-04 (the first departure), but triggers are
    // judged from the seventh day of the window on, so it fires on 07-07 (1/98 ≈ 1.0%).
    assert_eq!(k.risks[0].first_fired.as_deref(), Some("2025-07-07"));
}

#[test]
fn per_week_targets_and_stale_point_in_time_values() {
    let edits = [
        (
            PLAN,
            "targets: [t_speakers, t_active]",
            "targets: [t_speakers, t_active, t_weekly_joins, t_size]",
        ),
        (
            PLAN,
            "phases:\n",
            "  - {id: t_weekly_joins, metric: joins, target: 7, per: week, window: {start: 2025-07-01, end: 2025-07-10}}\n  - {id: t_size, metric: members_end, target: 100, window: {start: 2025-07-01, end: 2025-07-10}}\nphases:\n",
        ),
    ];
    let k = run(&edits, date(2025, 7, 10));
    let weekly = k.targets.iter().find(|t| t.id == "t_weekly_joins").unwrap();
    // ISO week 06-30 … 07-06 has 6 days in the window: target 7 × 6/7 = 6; joins 9 → met.
    // Week 07-07 … 07-13 has 4: target 4; joins 0 + 1 + 1 + 0 = 2 → missed.
    let b: Vec<_> = weekly
        .buckets
        .iter()
        .map(|b| (b.start, b.end, b.actual, b.status))
        .collect();
    assert_eq!(
        b,
        vec![
            (date(2025, 7, 1), date(2025, 7, 6), Some(9.0), Status::Met),
            (
                date(2025, 7, 7),
                date(2025, 7, 10),
                Some(2.0),
                Status::Missed
            ),
        ]
    );
    close(weekly.buckets[0].target, 6.0);
    close(weekly.buckets[1].target, 4.0);
    assert_eq!(weekly.status, Status::Missed);
    // Without member counts for 07-07 … 07-10 the last reading is 4 days old (> 3): unknown.
    let mut stale = edits.to_vec();
    for (from, to) in [
        ("2025-07-07,g1,106,", "2025-07-07,g1,,"),
        ("2025-07-08,g1,107,", "2025-07-08,g1,,"),
        ("2025-07-09,g1,108,", "2025-07-09,g1,,"),
        ("2025-07-10,g1,108,", "2025-07-10,g1,,"),
    ] {
        stale.push((DAILY, from, to));
    }
    let k = run(&stale, date(2025, 7, 10));
    let size = k.targets.iter().find(|t| t.id == "t_size").unwrap();
    assert_eq!(size.actual, Some(106.0));
    assert_eq!(size.status, Status::Unknown);
    assert!(
        matches!(
            size.reason,
            Some(Undefined::Stale {
                column: "members",
                ..
            })
        ),
        "{:?}",
        size.reason
    );
}

/// No ledger, no cost (docs/data.md#spend): every actual-cost figure is null and every status
/// `no_data`; the plan's side (BAC, PV, and EV from progress.csv) is still reported.
#[test]
fn without_a_ledger_actual_cost_is_null_never_zero() {
    let site = common::copy_fixture("base");
    let plan = site.path().join(PLAN);
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(
        &plan,
        text.replace("  ledger: {path: demo/ledger.csv}\n", ""),
    )
    .unwrap();
    let (loaded, diags) = qunce::check(site.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    let loaded = loaded.unwrap();
    let data = &loaded.campaigns[0];
    let k = compute::campaign(data, date(2025, 7, 10));
    let json = k.to_json(data);
    let total = &json["budget"]["total"];
    for key in [
        "ac",
        "ac_total",
        "committed",
        "cv",
        "cpi",
        "eac_typical",
        "eac_atypical",
        "eac_composite",
        "etc",
        "vac",
        "tcpi_bac",
        "eac_total",
        "reserve_consumed",
        "runway_days",
        "exhaustion_date",
    ] {
        assert!(total[key].is_null(), "total.{key} = {}", total[key]);
    }
    assert_eq!(total["status"], "no_data");
    // BAC 900 of 1,000; PV complete at 900; EV = 600 × 40% + 300 × 50% = 390 (as with a ledger).
    assert_eq!(total["bac"], 900.0);
    assert_eq!(total["bac_total"], 1000.0);
    assert_eq!(total["pv"], 900.0);
    assert_eq!(total["ev"], 390.0);
    for c in json["budget"]["categories"].as_array().unwrap() {
        for key in [
            "ac",
            "committed",
            "overrun",
            "overrun_pct",
            "spend_variance_pct",
            "cpi",
        ] {
            assert!(c[key].is_null(), "{}.{key} = {}", c["id"], c[key]);
        }
        assert_eq!(c["status"], "no_data", "{}", c["id"]);
    }
    for metric in ["cac_member", "cost_per_member_month", "roi_ratio"] {
        if let Some(v) = json["metrics"].get(metric) {
            assert!(v.is_null(), "{metric} = {v}");
        }
    }
}
