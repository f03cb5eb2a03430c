//! The headline figures of one campaign for the portfolio page: targets by status, budget used,
//! forecast against budget, and the three largest deviations.

use std::collections::BTreeMap;

use serde::Serialize;

use super::CampaignKpis;
use super::targets::Status;
use crate::model::plan::{Direction, Plan};

/// The money answer of a report in figures: what was spent (paid and accrued), what is signed
/// but not paid, the one forecast (`eac_total`), by how much it passes the budget, and the day
/// the budget ran out — or, while the campaign runs, will.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoneyStory {
    /// AC_total: accrued and paid, dated ≤ as_of.
    pub spent: Option<rust_decimal::Decimal>,
    /// Of it, paid.
    pub paid: Option<rust_decimal::Decimal>,
    /// Of it, accrued (incurred, not yet paid).
    pub accrued: Option<rust_decimal::Decimal>,
    /// Signed, not yet incurred.
    pub committed: Option<rust_decimal::Decimal>,
    /// BAC_total, the whole budget.
    pub budget: rust_decimal::Decimal,
    /// The forecast at completion, `eac_total`.
    pub forecast: Option<rust_decimal::Decimal>,
    /// forecast − budget when above 0.
    pub overrun: Option<rust_decimal::Decimal>,
    /// The day actual and committed spend reached the budget (past the end), or the day it
    /// will at the current pace (while running).
    pub runs_out: Option<crate::model::values::Date>,
    /// True once the report date is on or after the period's end.
    pub finished: bool,
}

/// The money answer of one campaign.
pub fn money_story(
    plan: &Plan,
    k: &CampaignKpis,
    ledger: Option<&[crate::model::table::LedgerEntry]>,
) -> MoneyStory {
    use crate::model::table::LedgerStatus;
    let t = &k.budget.total;
    let of = |status: LedgerStatus| {
        ledger.filter(|_| t.ac_total.is_some()).map(|l| {
            l.iter()
                .filter(|e| e.status == status && e.date <= k.as_of)
                .map(|e| e.amount)
                .sum()
        })
    };
    let overrun = t
        .eac_total
        .map(|f| f - t.bac_total)
        .filter(|o| *o > rust_decimal::Decimal::ZERO);
    MoneyStory {
        spent: t.ac_total,
        paid: of(LedgerStatus::Paid),
        accrued: of(LedgerStatus::Accrued),
        committed: t.committed,
        budget: t.bac_total,
        forecast: t.eac_total,
        overrun,
        runs_out: t.exhaustion_date,
        finished: k.as_of >= plan.campaign.period.end,
    }
}

/// Headline figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// How many targets have each status.
    pub targets_by_status: BTreeMap<String, usize>,
    /// AC_total / BAC_total.
    pub budget_used: Option<f64>,
    /// EAC_total / BAC_total.
    pub eac_vs_budget: Option<f64>,
    /// Up to three targets that are behind where they should be, the furthest behind first
    /// (a target ahead of plan is no deviation to act on).
    pub top_deviations: Vec<Deviation>,
}

/// A target's distance from where it should be, in tolerances.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deviation {
    /// Target id.
    pub target: String,
    /// How far the actual is on the wrong side of the reference, in tolerances (always above
    /// 0): the reference is the target once final and the trajectory value before, and the
    /// wrong side is below it for higher-is-better targets, above it for lower-is-better ones.
    pub tolerances: f64,
}

/// Builds the summary.
pub fn summarize(plan: &Plan, k: &CampaignKpis) -> Summary {
    let mut targets_by_status = BTreeMap::new();
    for t in &k.targets {
        let key = serde_json::to_value(t.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        *targets_by_status.entry(key).or_insert(0) += 1;
    }
    let total = &k.budget.total;
    let ratio = |a: rust_decimal::Decimal| super::window::ratio(a, total.bac_total);
    let mut deviations: Vec<Deviation> = k
        .targets
        .iter()
        .zip(&plan.targets)
        .filter(|(r, _)| r.status != Status::Unknown)
        .filter_map(|(r, t)| {
            let actual = r.actual?;
            let reference = if matches!(r.status, Status::Met | Status::Missed) {
                r.target?
            } else {
                r.expected?
            };
            let tolerance = super::targets::tolerance_of(t, Some(r.target?));
            let behind = match super::targets::target_direction(plan, t) {
                Direction::HigherIsBetter => reference - actual,
                Direction::LowerIsBetter => actual - reference,
            };
            (tolerance > 0.0 && behind > 0.0).then(|| Deviation {
                target: r.id.clone(),
                tolerances: behind / tolerance,
            })
        })
        .collect();
    deviations.sort_by(|a, b| {
        b.tolerances
            .total_cmp(&a.tolerances)
            .then_with(|| a.target.cmp(&b.target))
    });
    deviations.truncate(3);
    Summary {
        targets_by_status,
        budget_used: total.ac_total.and_then(ratio),
        eac_vs_budget: total.eac_total.and_then(ratio),
        top_deviations: deviations,
    }
}
