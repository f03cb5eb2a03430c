//! Data-quality checks of reference §D.4, computed over a window. Row-level errors
//! (`active_exceeds_members`, `duplicate_keys`) already stopped the load; what is left are
//! counts that the report's appendix shows and that risk triggers (`trigger.check`) can use.

use std::collections::BTreeMap;

use serde::Serialize;

use super::window::Window;
use crate::model::plan::{Plan, days_between};
use crate::model::values::Date;

/// One check's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// Check id of §D.4.
    pub id: &'static str,
    /// The measured count or share.
    pub value: f64,
    /// True when the value is a problem (a warning on the report).
    pub flagged: bool,
    /// What was found, in one sentence.
    pub detail: String,
}

/// Runs the §D.4 checks on `[window.start, window.end]`; `last_data` is the last date of the
/// whole export (for `future_entries` and staleness).
pub fn checks(plan: &Plan, w: &Window, as_of: Date) -> Vec<Check> {
    let missing = plan.data.daily.missing.unwrap_or_default();
    let mut out = Vec::new();

    let mut mismatches = Vec::new();
    let mut previous: Option<(Date, rust_decimal::Decimal)> = None;
    for (d, r) in w.days() {
        if let (Some((pd, pm)), Some(m), Some(j), Some(l)) =
            (previous, r.get("members"), r.get("joined"), r.get("left"))
            && days_between(pd, d) == 1
            && m - pm != j - l
        {
            mismatches.push(d);
        }
        previous = r.get("members").map(|m| (d, m));
    }
    out.push(Check {
        id: "reconciliation_mismatch_days",
        value: mismatches.len() as f64,
        flagged: !mismatches.is_empty(),
        detail: match mismatches.first() {
            Some(first) => format!(
                "{} day(s) where members changed by other than joined − left, first {first}",
                mismatches.len()
            ),
            None => "members reconcile with joined − left on every consecutive day".into(),
        },
    });

    let over = w
        .days()
        .filter(|(_, r)| matches!((r.get("speakers"), r.get("active_members")), (Some(s), Some(a)) if s > a))
        .count();
    out.push(Check {
        id: "speakers_exceed_active",
        value: over as f64,
        flagged: over > 0,
        detail: format!("{over} day(s) with more speakers than active members"),
    });

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

    let coverage = w.coverage().unwrap_or(0.0);
    out.push(Check {
        id: "coverage_low",
        value: coverage,
        flagged: coverage < missing.min_coverage.0,
        detail: format!("{} of {} days have data", w.days().count(), w.length()),
    });

    let last = w.all.range(..=as_of).next_back().map(|(d, _)| *d);
    let stale_by = last.map_or(0, |l| days_between(l, as_of));
    out.push(Check {
        id: "stale_data",
        value: stale_by.max(0) as f64,
        flagged: stale_by > i64::from(missing.max_ffill_days),
        detail: match last {
            Some(l) => format!("last data {l}, {stale_by} day(s) before the report date"),
            None => "no data".into(),
        },
    });

    let future = w.all.keys().filter(|d| **d > as_of).count();
    out.push(Check {
        id: "future_entries",
        value: future as f64,
        flagged: future > 0,
        detail: format!("{future} row(s) dated after {as_of}, excluded"),
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
        let w = Window::new(&all, date(2025, 7, 1), date(2025, 7, 5));
        let found = checks(&plan, &w, date(2025, 7, 5));
        let by_id = values(&found);
        assert_eq!(by_id["reconciliation_mismatch_days"], 1.0);
        assert_eq!(by_id["coverage_low"], 0.8);
        assert_eq!(by_id["stale_data"], 0.0);
        assert_eq!(by_id["future_entries"], 0.0);
    }
}
