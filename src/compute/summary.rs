//! The headline figures of one campaign for the portfolio page: targets by status, budget used,
//! forecast against budget, and the three largest deviations.

use std::collections::BTreeMap;

use serde::Serialize;

use super::CampaignKpis;
use super::targets::Status;
use crate::model::plan::Plan;

/// Headline figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// How many targets have each status.
    pub targets_by_status: BTreeMap<String, usize>,
    /// AC_total / BAC_total.
    pub budget_used: Option<f64>,
    /// EAC_total / BAC_total.
    pub eac_vs_budget: Option<f64>,
    /// Up to three target ids with the largest |gap| / tolerance, largest first.
    pub top_deviations: Vec<Deviation>,
}

/// A target's distance from where it should be, in tolerances.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deviation {
    /// Target id.
    pub target: String,
    /// |actual − reference| / tolerance, where the reference is the target once final and the
    /// trajectory value before.
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
            let tolerance = t
                .tolerance
                .map(|q| q.value())
                .unwrap_or(0.05 * r.target?.abs());
            (tolerance > 0.0).then(|| Deviation {
                target: r.id.clone(),
                tolerances: (actual - reference).abs() / tolerance,
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
