//! Data-quality checks of docs/rules.md#data-quality-checks, computed over a window. Row-level
//! errors (`active_exceeds_members`, `duplicate_keys`) already stopped the load; what is left are
//! counts that the report's appendix shows and that risk triggers (`trigger.check`) can use.

use std::collections::BTreeMap;

use serde::Serialize;

use rust_decimal::Decimal;

use super::window::Window;
use crate::model::columns::DAILY_COLUMNS;
use crate::model::plan::{Plan, days_between};
use crate::model::site::CampaignData;
use crate::model::values::Date;

/// One check's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// Check id of docs/rules.md#data-quality-checks.
    pub id: &'static str,
    /// The measured count or share.
    pub value: f64,
    /// True when the value is a problem (a warning on the report).
    pub flagged: bool,
    /// What was found, in one sentence.
    pub detail: String,
}

/// What the campaign's sources hold dated after the report date, which no figure counts
/// (`future_entries`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Later {
    /// Daily rows (a date and group each) and event days.
    pub daily_rows: usize,
    /// Ledger rows, commitments included.
    pub ledger_rows: u64,
    /// Their amount.
    pub ledger_amount: Decimal,
    /// `progress.csv` rows, milestones included.
    pub progress_rows: usize,
}

impl Later {
    /// Counts what `data` holds dated after `as_of`.
    pub fn count(data: &CampaignData, as_of: Date) -> Self {
        let after = |d: &Date| *d > as_of;
        let ledger = data.ledger.iter().flatten().filter(|e| after(&e.date));
        Later {
            daily_rows: data.daily.rows.keys().filter(|(d, _)| after(d)).count()
                + data.daily.events.keys().filter(|d| after(d)).count(),
            ledger_rows: ledger.clone().map(|e| u64::from(e.rows)).sum(),
            ledger_amount: ledger.map(|e| e.amount).sum(),
            progress_rows: data
                .progress
                .iter()
                .chain(&data.milestones)
                .filter(|r| after(&r.as_of))
                .count(),
        }
    }

    /// Rows of every source, together.
    pub fn rows(&self) -> u64 {
        self.daily_rows as u64 + self.ledger_rows + self.progress_rows as u64
    }
}

/// Runs the data-quality checks (docs/rules.md#data-quality-checks) on `[window.start,
/// window.end]`; `later` is what the sources hold after the report date `as_of`.
pub fn checks(plan: &Plan, w: &Window, as_of: Date, later: &Later) -> Vec<Check> {
    let missing = plan.data.missing_policy();
    let mut out = Vec::new();

    // A check that cannot be made is left out, never shown as passed: reconciliation needs
    // members, joined and left on two consecutive days.
    let mut mismatches = Vec::new();
    let mut compared = 0usize;
    let mut previous: Option<(Date, rust_decimal::Decimal)> = None;
    for (d, r) in w.days() {
        if let (Some((pd, pm)), Some(m), Some(j), Some(l)) =
            (previous, r.get("members"), r.get("joined"), r.get("left"))
            && days_between(pd, d) == 1
        {
            compared += 1;
            if m - pm != j - l {
                mismatches.push(d);
            }
        }
        previous = r.get("members").map(|m| (d, m));
    }
    if compared > 0 && !w.bucketed() {
        out.push(Check {
            id: "reconciliation_mismatch_days",
            value: mismatches.len() as f64,
            flagged: !mismatches.is_empty(),
            detail: match mismatches.first() {
                Some(first) => format!(
                    "{} of {compared} consecutive day(s) where members changed by other than joined − left, first {first}",
                    mismatches.len()
                ),
                None => format!(
                    "members reconcile with joined − left on all {compared} consecutive day(s) that have all three"
                ),
            },
        });
    }

    let both: Vec<bool> = w
        .days()
        .filter_map(|(_, r)| Some(r.get("speakers")? > r.get("active_members")?))
        .collect();
    if !both.is_empty() {
        let over = both.iter().filter(|x| **x).count();
        out.push(Check {
            id: "speakers_exceed_active",
            value: over as f64,
            flagged: over > 0,
            detail: format!(
                "{over} of {} day(s) with more speakers than active members",
                both.len()
            ),
        });
    }

    if let Some(f) = &plan.funnel {
        let sums: Vec<(String, Option<rust_decimal::Decimal>)> = f
            .stages
            .iter()
            .map(|s| (s.id.clone(), w.total(&s.column)))
            .collect();
        let bad: Vec<String> = sums
            .windows(2)
            .filter(|p| matches!((p[0].1, p[1].1), (Some(a), Some(b)) if b > a))
            .map(|p| format!("{} > {}", p[1].0, p[0].0))
            .collect();
        out.push(Check {
            id: "funnel_non_monotone",
            value: bad.len() as f64,
            flagged: !bad.is_empty(),
            detail: if bad.is_empty() {
                "each funnel stage is at most the one before".into()
            } else {
                bad.join(", ")
            },
        });
    }

    // Coverage per column present in the window: a column that exists on 80 of 106 days is
    // reported as such even when every day has some row (the targets' 50% rule stays on rows).
    // Before the period starts there is nothing to cover: a note says so, not "0 of 0".
    let length = w.length();
    // Coverage and staleness are about activity data: a spend-only plan has none to cover.
    let activity = plan.data.daily.is_some() || plan.data.events.is_some();
    if length > 0 && activity {
        let per_column: Vec<(&str, i64)> = DAILY_COLUMNS
            .iter()
            .map(|c| (c.name, w.covered_days_of(c.name).min(length)))
            .filter(|(_, n)| *n > 0)
            .collect();
        let covered = w.covered_days().min(length);
        let lowest = per_column.iter().map(|(_, n)| *n).min().unwrap_or(covered);
        let coverage = lowest as f64 / length as f64;
        let mut detail = format!("{covered} of {length} days have data");
        if w.bucketed() {
            detail.push_str(&format!(
                " ({} rows, {} buckets)",
                w.days().count(),
                w.spacing().describe()
            ));
        }
        let partial: Vec<String> = per_column
            .iter()
            .filter(|(_, n)| *n < length)
            .map(|(c, n)| format!("`{c}` on {n}"))
            .collect();
        if !partial.is_empty() {
            detail.push_str(&format!("; by column: {}", partial.join(", ")));
        }
        out.push(Check {
            id: "coverage_low",
            value: coverage,
            flagged: coverage < missing.min_coverage.0,
            detail,
        });

        // Data is stale when it stops before the window's end: data that reaches the period's
        // end is never stale, however late the report date.
        let last = w
            .all
            .range(..=w.end)
            .next_back()
            .map(|(d, _)| w.spacing().bucket_end(*d).min(w.end));
        let stale_by = last.map_or(0, |l| days_between(l, w.end));
        out.push(Check {
            id: "stale_data",
            value: stale_by.max(0) as f64,
            flagged: stale_by > i64::from(missing.max_ffill_days),
            detail: match last {
                Some(l) => format!("last data {l}, {stale_by} day(s) before {}", w.end),
                None => "no data".into(),
            },
        });
    }

    let currency = &plan.campaign.currency;
    let mut parts = vec![format!("{} daily row(s)", later.daily_rows)];
    if later.ledger_rows > 0 {
        parts.push(format!(
            "{} ledger row(s) ({} {currency})",
            later.ledger_rows,
            later.ledger_amount.round_dp(2)
        ));
    }
    if later.progress_rows > 0 {
        parts.push(format!("{} progress row(s)", later.progress_rows));
    }
    out.push(Check {
        id: "future_entries",
        value: later.rows() as f64,
        flagged: later.rows() > 0,
        detail: format!("{} dated after {as_of}, left out", parts.join(", ")),
    });
    out
}

/// The checks as a map from id to value, for trigger evaluation.
pub fn values(checks: &[Check]) -> BTreeMap<&'static str, f64> {
    checks.iter().map(|c| (c.id, c.value)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::columns::daily_index;
    use crate::model::table::DayRow;
    use jiff::civil::date;
    use rust_decimal::Decimal;

    fn row(members: i64, joined: i64, left: i64) -> DayRow {
        let mut r = DayRow::default();
        for (c, v) in [("members", members), ("joined", joined), ("left", left)] {
            r.values[daily_index(c).unwrap()] = Some(Decimal::from(v));
        }
        r
    }

    #[test]
    fn reconciliation_counts_days_that_do_not_add_up() {
        // 100 → 103 with +2 −0 is off by one; 103 → 104 with +1 −0 adds up; a gap is skipped.
        let all = BTreeMap::from([
            (date(2025, 7, 1), row(100, 0, 0)),
            (date(2025, 7, 2), row(103, 2, 0)),
            (date(2025, 7, 3), row(104, 1, 0)),
            (date(2025, 7, 5), row(110, 1, 0)),
        ]);
        let plan_text = include_str!("../../tests/fixtures/base/content/campaigns/demo/plan.yaml");
        let (plan, _) =
            crate::inputs::parse_plan(std::path::Path::new("plan.yaml"), plan_text).unwrap();
        let all = crate::model::table::Days::daily(all);
        let w = Window::new(&all, date(2025, 7, 1), date(2025, 7, 5));
        let found = checks(&plan, &w, date(2025, 7, 5), &Later::default());
        let by_id = values(&found);
        assert_eq!(by_id["reconciliation_mismatch_days"], 1.0);
        assert_eq!(by_id["coverage_low"], 0.8);
        assert_eq!(by_id["stale_data"], 0.0);
        assert_eq!(by_id["future_entries"], 0.0);
    }

    fn demo_plan() -> Plan {
        let plan_text = include_str!("../../tests/fixtures/base/content/campaigns/demo/plan.yaml");
        crate::inputs::parse_plan(std::path::Path::new("plan.yaml"), plan_text)
            .unwrap()
            .0
    }

    #[test]
    fn checks_that_cannot_be_made_are_left_out_not_passed() {
        // Members only: no joined/left to reconcile, no speakers or active members to compare.
        let mut r = DayRow::default();
        r.values[daily_index("members").unwrap()] = Some(Decimal::from(100));
        let all = BTreeMap::from([(date(2025, 7, 1), r.clone()), (date(2025, 7, 2), r)]);
        let all = crate::model::table::Days::daily(all);
        let w = Window::new(&all, date(2025, 7, 1), date(2025, 7, 2));
        let by_id = values(&checks(
            &demo_plan(),
            &w,
            date(2025, 7, 2),
            &Later::default(),
        ));
        assert!(
            !by_id.contains_key("reconciliation_mismatch_days"),
            "{by_id:?}"
        );
        assert!(!by_id.contains_key("speakers_exceed_active"), "{by_id:?}");
        assert_eq!(by_id["coverage_low"], 1.0);
    }

    #[test]
    fn coverage_counts_each_column_not_just_rows() {
        // Four days, each with a row; `members` on all four, `messages` on two of them.
        let mut all = BTreeMap::new();
        for day in 1..=4 {
            let mut r = DayRow::default();
            r.values[daily_index("members").unwrap()] = Some(Decimal::from(100));
            if day <= 2 {
                r.values[daily_index("messages").unwrap()] = Some(Decimal::from(30));
            }
            all.insert(date(2025, 7, day), r);
        }
        let all = crate::model::table::Days::daily(all);
        let w = Window::new(&all, date(2025, 7, 1), date(2025, 7, 4));
        let found = checks(&demo_plan(), &w, date(2025, 7, 4), &Later::default());
        let coverage = found.iter().find(|c| c.id == "coverage_low").unwrap();
        assert_eq!(coverage.value, 0.5);
        assert!(
            coverage.flagged,
            "50% is below the default minimum coverage"
        );
        assert!(
            coverage.detail.contains("4 of 4 days have data")
                && coverage.detail.contains("`messages` on 2"),
            "{}",
            coverage.detail
        );
    }
}
