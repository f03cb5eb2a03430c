//! Risk register evaluation: each risk's level from probability × impact, and its trigger
//! checked against the actuals — whether it fired, on which date first, and the value now.

use serde::Serialize;

use super::kpi::{self, Inputs};
use super::quality;
use super::window::Window;
use crate::model::plan::{Plan, Risk};
use crate::model::values::Date;

/// One risk, evaluated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskResult {
    /// Risk id.
    pub id: String,
    /// probability × impact.
    pub score: u32,
    /// The band the score falls in (or the declared override).
    pub level: Option<String>,
    /// The trigger's metric or check, if any.
    pub watches: Option<String>,
    /// The watched value over the whole window so far.
    pub value: Option<f64>,
    /// True when the trigger condition holds on the value so far, or held on some day.
    pub fired: bool,
    /// The first day on which the condition held for the window up to that day.
    pub first_fired: Option<String>,
}

/// Evaluates every risk of the plan over the campaign window.
pub fn evaluate(
    plan: &Plan,
    inputs: &Inputs,
    as_of: Date,
    later: &quality::Later,
) -> Vec<RiskResult> {
    let Some(risks) = &plan.risks else {
        return Vec::new();
    };
    risks
        .items
        .iter()
        .map(|r| one(plan, r, inputs, as_of, later))
        .collect()
}

fn one(plan: &Plan, r: &Risk, inputs: &Inputs, as_of: Date, later: &quality::Later) -> RiskResult {
    let score = r.probability * r.impact;
    let computed = plan.risks.as_ref().and_then(|rs| {
        rs.level_bands()
            .into_iter()
            .find(|(_, [lo, hi])| (*lo..=*hi).contains(&score))
            .map(|(k, _)| k)
    });
    let mut result = RiskResult {
        id: r.id.clone(),
        score,
        level: r.level.clone().or(computed),
        watches: None,
        value: None,
        fired: false,
        first_fired: None,
    };
    let Some(t) = &r.trigger else { return result };
    let measure = |w: Window| -> Option<f64> {
        match (&t.metric, &t.check) {
            (Some(m), _) => kpi::metric(
                m,
                &Inputs {
                    window: w,
                    ..*inputs
                },
                None,
            )
            .ok(),
            (None, Some(c)) => quality::values(&quality::checks(plan, &w, w.end, later))
                .get(c.as_str())
                .copied(),
            (None, None) => None,
        }
    };
    result.watches = t.metric.clone().or_else(|| t.check.clone());
    let w = inputs.window;
    // A window of under 7 days gives low-confidence values (docs/rules.md#kpi-notes: monthly churn
    // over L < 7 days explodes), so a trigger is judged from the seventh day on.
    let first_day = w
        .start
        .checked_add(jiff::Span::new().days(6))
        .unwrap_or(w.start);
    for (day, _) in w.days().filter(|(d, _)| *d >= first_day) {
        if let Some(v) = measure(Window::new(w.all, w.start, day))
            && t.op.holds(v, t.value.value())
        {
            result.first_fired = Some(day.to_string());
            result.fired = true;
            break;
        }
    }
    result.value = measure(Window::new(w.all, w.start, w.end.min(as_of)));
    result
}
