//! What the post-mortem (docs/rules.md#outline) derives from the numbers: KPIs per phase, the
//! budget bridge, the prompts shown beside the human lessons-learned sections and the next-plan
//! hints. Pure functions over the computed campaign; the page phrases them.

use rust_decimal::Decimal;

use super::CampaignKpis;
use super::budget::{BudgetReport, BudgetStatus};
use super::kpi::{self, Inputs};
use super::targets::Status;
use super::window::Window;
use crate::model::markdown::TocEntry;
use crate::model::plan::Plan;
use crate::model::table::{Days, LedgerEntry};
use crate::model::values::Date;

/// One phase with the target metrics recomputed over its window (docs/rules.md#outline item 6).
#[derive(Debug, Clone, PartialEq)]
pub struct PhaseReview {
    /// Phase id.
    pub id: String,
    /// Phase name.
    pub name: String,
    /// Planned first day.
    pub start: Date,
    /// Planned last day.
    pub end: Date,
    /// The window's last day, `min(end, as_of)`; `None` when the phase has not started.
    pub evaluated_to: Option<Date>,
    /// (metric id, value) for each metric the plan targets, in plan order, without repeats.
    pub metrics: Vec<(String, kpi::Value)>,
}

/// Recomputes every targeted metric over each phase's window (as of `as_of`).
pub fn phases(
    plan: &Plan,
    days: &Days,
    ledger: Option<&[LedgerEntry]>,
    people: super::inputs::People,
    as_of: Date,
) -> Vec<PhaseReview> {
    let mut metrics: Vec<(&str, Option<crate::model::plan::Aggregation>)> = Vec::new();
    for t in &plan.targets {
        if !metrics.iter().any(|(m, _)| *m == t.metric) {
            metrics.push((&t.metric, t.agg));
        }
    }
    plan.phases
        .items
        .iter()
        .filter_map(|p| {
            let d = p.dates(plan.campaign.period)?;
            let evaluated_to = (d.start <= as_of).then(|| d.end.min(as_of));
            let values = match evaluated_to {
                Some(end) => {
                    let inputs = Inputs {
                        plan,
                        window: Window::new(days, d.start, end),
                        ledger: ledger.unwrap_or_default(),
                        has_ledger: ledger.is_some(),
                        people,
                    };
                    metrics
                        .iter()
                        .map(|(m, agg)| (m.to_string(), kpi::metric(m, &inputs, *agg)))
                        .collect()
                }
                None => Vec::new(),
            };
            Some(PhaseReview {
                id: p.id.clone(),
                name: p.name.clone(),
                start: d.start,
                end: d.end,
                evaluated_to,
                metrics: values,
            })
        })
        .collect()
}

/// One step of the budget bridge from the planned total to the actual cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BridgeStep {
    /// The whole budget, reserve included (`BAC_total`).
    Planned(Decimal),
    /// A category's actual cost minus its current budget (positive = overspend; the reserve's
    /// unused part shows as a negative step).
    Category {
        /// Category id.
        id: String,
        /// `AC_c − B_c` (current budget, after revisions).
        delta: Decimal,
    },
    /// The actual cost (`AC_total`).
    Actual(Decimal),
    /// Signed but not yet accrued or paid (Σ committed), when there is any.
    Committed(Decimal),
    /// The actual cost and the commitments together: what the campaign owes in all.
    Owed(Decimal),
}

/// The waterfall of docs/rules.md#outline item 9: budget → one step per category whose cost differs
/// from its budget → actual cost, then, when money is signed but not yet spent, that step and the
/// total owed (so a bridge never ends under budget while the commitments put it over). Revisions
/// move money between categories and net to zero, so the steps are taken against each
/// category's current budget; the steps sum exactly to `AC − BAC`. Without a ledger there is no
/// actual cost and no bridge (`None`).
pub fn bridge(b: &BudgetReport) -> Option<Vec<BridgeStep>> {
    let actual = b.categories.iter().map(|c| c.ac).sum::<Option<Decimal>>()?;
    let planned: Decimal = b.categories.iter().map(|c| c.current).sum();
    let mut steps = vec![BridgeStep::Planned(planned)];
    steps.extend(b.categories.iter().filter_map(|c| {
        let delta = c.ac? - c.current;
        (!delta.is_zero()).then(|| BridgeStep::Category {
            id: c.id.clone(),
            delta,
        })
    }));
    steps.push(BridgeStep::Actual(actual));
    let committed: Decimal = b.categories.iter().filter_map(|c| c.committed).sum();
    if !committed.is_zero() {
        steps.push(BridgeStep::Committed(committed));
        steps.push(BridgeStep::Owed(actual + committed));
    }
    Some(steps)
}

/// What a data-derived prompt points at; the page words it and lists the ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PromptKind {
    /// Went well: targets met before their window ended.
    MetEarly,
    /// Went well: targets met.
    Met,
    /// Went well: categories with CPI ≥ 1.
    CpiAtLeastOne,
    /// Went wrong: targets missed.
    Missed,
    /// Went wrong: targets at risk.
    AtRisk,
    /// Went wrong: categories with CPI < 0.9.
    CpiBelow,
    /// Went wrong: categories over budget.
    OverBudget,
    /// Went wrong: risk triggers that fired.
    RisksFired,
    /// Got lucky: targets missed by less than their tolerance.
    MissedWithinTolerance,
    /// Got lucky: targets met on data covering too few days to be sure.
    MetLowConfidence,
}

/// Which human section a prompt sits beside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lesson {
    /// 做得好的.
    WentWell,
    /// 做得不好的.
    WentWrong,
    /// 侥幸之处.
    Lucky,
}

impl PromptKind {
    /// The section the prompt belongs beside.
    pub fn lesson(self) -> Lesson {
        use PromptKind::*;
        match self {
            MetEarly | Met | CpiAtLeastOne => Lesson::WentWell,
            Missed | AtRisk | CpiBelow | OverBudget | RisksFired => Lesson::WentWrong,
            MissedWithinTolerance | MetLowConfidence => Lesson::Lucky,
        }
    }
}

/// The prompts of docs/rules.md#outline item 11, each with the ids it names; kinds with no id are
/// left out.
pub fn prompts(k: &CampaignKpis) -> Vec<(PromptKind, Vec<String>)> {
    let targets = |f: &dyn Fn(&super::targets::TargetResult) -> bool| -> Vec<String> {
        k.targets
            .iter()
            .filter(|t| f(t))
            .map(|t| t.id.clone())
            .collect()
    };
    let categories = |f: &dyn Fn(&super::budget::CategoryBudget) -> bool| -> Vec<String> {
        k.budget
            .categories
            .iter()
            .filter(|c| f(c))
            .map(|c| c.id.clone())
            .collect()
    };
    let all = [
        (
            PromptKind::MetEarly,
            targets(&|t| t.status == Status::Met && t.progress < 1.0),
        ),
        (
            PromptKind::Met,
            targets(&|t| t.status == Status::Met && t.progress >= 1.0 && !t.low_confidence),
        ),
        (
            PromptKind::CpiAtLeastOne,
            categories(&|c| c.cpi.is_some_and(|x| x >= 1.0)),
        ),
        (PromptKind::Missed, targets(&|t| t.status == Status::Missed)),
        (PromptKind::AtRisk, targets(&|t| t.status == Status::AtRisk)),
        (
            PromptKind::CpiBelow,
            categories(&|c| c.cpi.is_some_and(|x| x < 0.9)),
        ),
        (
            PromptKind::OverBudget,
            categories(&|c| c.status == BudgetStatus::Over),
        ),
        (
            PromptKind::RisksFired,
            k.risks
                .iter()
                .filter(|r| r.fired)
                .map(|r| r.id.clone())
                .collect(),
        ),
        (
            PromptKind::MissedWithinTolerance,
            targets(&|t| t.status == Status::Missed && t.within_tolerance),
        ),
        (
            PromptKind::MetLowConfidence,
            targets(&|t| t.status == Status::Met && t.low_confidence),
        ),
    ];
    all.into_iter().filter(|(_, ids)| !ids.is_empty()).collect()
}

/// A next-plan hint of docs/rules.md#outline item 14 (labelled as a hint on the page, never a
/// decision).
#[derive(Debug, Clone, PartialEq)]
pub enum Hint {
    /// Met by more than two tolerances: the target could be more ambitious (higher, or for a
    /// lower-is-better metric, a lower ceiling).
    Raise {
        /// Target id.
        target: String,
        /// |actual − target| in tolerances.
        tolerances: f64,
        /// The metric is lower-is-better: the hint is to lower the ceiling.
        lower_is_better: bool,
    },
    /// Status unknown: the data to judge it was missing.
    FixData {
        /// Target id.
        target: String,
    },
    /// A category whose share of actual spend drifted 5 pp or more from its planned share:
    /// re-split the next budget from the actual share, read together with its CPI.
    Resplit {
        /// Category id.
        category: String,
        /// Planned share (0–1).
        planned: f64,
        /// Actual share (0–1).
        actual: f64,
        /// EV / AC, where progress data gives EV.
        cpi: Option<f64>,
    },
}

/// A share drift from which a re-split is suggested (5 pp, the docs/rules.md#thresholds-and-status
/// share-drift threshold).
const RESPLIT_DRIFT: f64 = 0.05;
/// Tolerances beyond the target above which a met target is called easy.
const RAISE_TOLERANCES: f64 = 2.0;

/// The next-plan hints, targets first (plan order), then categories (plan order).
pub fn hints(plan: &Plan, k: &CampaignKpis) -> Vec<Hint> {
    let mut out = Vec::new();
    for (r, t) in k.targets.iter().zip(&plan.targets) {
        match r.status {
            Status::Unknown => out.push(Hint::FixData {
                target: r.id.clone(),
            }),
            Status::Met => {
                let (Some(a), Some(tau)) = (r.actual, r.target) else {
                    continue;
                };
                let tolerance = super::targets::tolerance_of(t, Some(tau));
                if tolerance > 0.0 && (a - tau).abs() / tolerance > RAISE_TOLERANCES {
                    out.push(Hint::Raise {
                        target: r.id.clone(),
                        tolerances: (a - tau).abs() / tolerance,
                        lower_is_better: super::targets::target_direction(plan, t)
                            == crate::model::plan::Direction::LowerIsBetter,
                    });
                }
            }
            _ => {}
        }
    }
    for s in &k.budget.indicators.shares {
        let (Some(actual), Some(planned), Some(drift)) = (s.actual, s.planned, s.drift) else {
            continue;
        };
        if drift.abs() >= RESPLIT_DRIFT {
            let cpi = k
                .budget
                .categories
                .iter()
                .find(|c| c.id == s.id)
                .and_then(|c| c.cpi);
            out.push(Hint::Resplit {
                category: s.id.clone(),
                planned,
                actual,
                cpi,
            });
        }
    }
    out
}

/// Variances that need a written explanation (docs/rules.md#outline items 9 and 10): targets missed
/// or at risk (`t_x`), categories over or near their budget (`budget:<id>`) and risks whose trigger
/// fired (`<risk-id>`).
pub fn flagged_variances(k: &CampaignKpis) -> Vec<String> {
    k.targets
        .iter()
        .filter(|t| matches!(t.status, Status::Missed | Status::AtRisk))
        .map(|t| t.id.clone())
        .chain(
            k.budget
                .categories
                .iter()
                .filter(|b| matches!(b.status, BudgetStatus::Over | BudgetStatus::Warn))
                .map(|b| format!("budget:{}", b.id)),
        )
        .chain(k.risks.iter().filter(|r| r.fired).map(|r| r.id.clone()))
        .collect()
}

/// The heading of the post-mortem that explains `id`: one below `##` whose first word is the id
/// (`### t_active30`, `### budget:promotion 宣传推广`).
pub fn explanation<'a>(toc: &'a [TocEntry], id: &str) -> Option<&'a TocEntry> {
    toc.iter()
        .find(|h| h.level > 2 && h.text.split_whitespace().next() == Some(id))
}

/// Flagged variances that the post-mortem does not explain under a heading naming them
/// (docs/rules.md#human-sections).
pub fn unexplained_variances(k: &CampaignKpis, toc: &[TocEntry]) -> Vec<String> {
    flagged_variances(k)
        .into_iter()
        .filter(|id| explanation(toc, id).is_none())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::budget::CategoryBudget;
    use crate::model::table::DayRow;

    fn category(id: &str, current: i64, ac: i64) -> CategoryBudget {
        CategoryBudget {
            id: id.into(),
            reserve: id == "reserve",
            planned: Decimal::from(current),
            current: Decimal::from(current),
            ac: Some(Decimal::from(ac)),
            committed: Some(Decimal::ZERO),
            pv: None,
            ev: None,
            overrun: Some(Decimal::from(ac - current)),
            overrun_pct: None,
            spend_variance_pct: None,
            cpi: None,
            status: BudgetStatus::Ok,
            unknown: None,
        }
    }

    #[test]
    fn commitments_follow_the_actual_cost_to_what_is_owed() {
        // Spent 9,000 + 900 against 10,000 + 1,000; 1,500 signed for promotion, not yet paid:
        // the bridge goes on from 9,900 to 11,400 owed, over the 11,000 budget.
        let mut promotion = category("promotion", 10_000, 9_000);
        promotion.committed = Some(Decimal::from(1_500));
        let steps = bridge_of(vec![promotion, category("prizes", 1_000, 900)]);
        assert_eq!(
            steps[steps.len() - 3..],
            [
                BridgeStep::Actual(Decimal::from(9_900)),
                BridgeStep::Committed(Decimal::from(1_500)),
                BridgeStep::Owed(Decimal::from(11_400)),
            ]
        );
    }

    #[test]
    fn bridge_steps_sum_from_budget_to_actual() {
        // Budget 10,000 + 5,000 + 2,000 + 1,000 reserve = 18,000;
        // spent 12,500 + 4,000 + 2,000 + 0 = 18,500: +2,500 − 1,000 − 1,000 = +500.
        let cats = vec![
            category("promotion", 10_000, 12_500),
            category("prizes", 5_000, 4_000),
            category("tools", 2_000, 2_000),
            category("reserve", 1_000, 0),
        ];
        let steps = bridge_of(cats);
        assert_eq!(
            steps,
            vec![
                BridgeStep::Planned(Decimal::from(18_000)),
                BridgeStep::Category {
                    id: "promotion".into(),
                    delta: Decimal::from(2_500)
                },
                BridgeStep::Category {
                    id: "prizes".into(),
                    delta: Decimal::from(-1_000)
                },
                BridgeStep::Category {
                    id: "reserve".into(),
                    delta: Decimal::from(-1_000)
                },
                BridgeStep::Actual(Decimal::from(18_500)),
            ]
        );
    }

    #[test]
    fn phases_recompute_targeted_metrics_over_their_windows() {
        let plan = demo_plan();
        // Speakers 4 a day in p1 (07-01..05) and 12 a day in p2; as of 07-07 p2 has two days.
        let mut days = Days::default();
        for d in 1..=7 {
            let mut row = DayRow::default();
            let speakers = if d <= 5 { 4 } else { 12 };
            row.values[crate::model::columns::daily_index("speakers").unwrap()] =
                Some(Decimal::from(speakers));
            row.values[crate::model::columns::daily_index("members").unwrap()] =
                Some(Decimal::from(40));
            row.values[crate::model::columns::daily_index("active_members").unwrap()] =
                Some(Decimal::from(if d <= 5 { 10 } else { 20 }));
            days.rows.insert(jiff::civil::date(2025, 7, d), row);
        }
        let review = phases(
            &plan,
            &days,
            None,
            Default::default(),
            jiff::civil::date(2025, 7, 7),
        );
        assert_eq!(review.len(), 2);
        assert_eq!(review[0].evaluated_to, Some(jiff::civil::date(2025, 7, 5)));
        assert_eq!(review[1].evaluated_to, Some(jiff::civil::date(2025, 7, 7)));
        let value = |i: usize, m: &str| {
            review[i]
                .metrics
                .iter()
                .find(|(id, _)| id == m)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(value(0, "avg_daily_speakers"), Ok(4.0));
        assert_eq!(value(1, "avg_daily_speakers"), Ok(12.0));
        // Σactive / Σmembers: 50 / 200 in p1, 40 / 80 in p2.
        assert_eq!(value(0, "active_rate_daily"), Ok(0.25));
        assert_eq!(value(1, "active_rate_daily"), Ok(0.5));
        // Before a phase starts it has no window and no values.
        let early = phases(
            &plan,
            &days,
            None,
            Default::default(),
            jiff::civil::date(2025, 7, 3),
        );
        assert_eq!(early[1].evaluated_to, None);
        assert!(early[1].metrics.is_empty());
    }

    fn demo_plan() -> Plan {
        let plan_text = include_str!("../../tests/fixtures/base/content/campaigns/demo/plan.yaml");
        crate::inputs::parse_plan(std::path::Path::new("plan.yaml"), plan_text)
            .unwrap()
            .0
    }

    fn bridge_of(categories: Vec<CategoryBudget>) -> Vec<BridgeStep> {
        let example = crate::compute::budget::BudgetReport {
            categories,
            ..empty_report()
        };
        bridge(&example).expect("every category has an actual cost")
    }

    fn empty_report() -> BudgetReport {
        let plan = demo_plan();
        crate::compute::budget::compute(&plan, Some(&[]), &[], plan.campaign.period.end)
    }
}
