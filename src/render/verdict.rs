//! The top of a campaign report: three answers before any evidence — did we meet the goals,
//! where is the money, what happens next — each linking to where the report explains it.

use serde_json::{Value, json};

use super::{format, metric_name, role_title, status_icon, status_key, ui_str};
use crate::compute::budget::BudgetStatus;
use crate::compute::{CampaignKpis, summary};
use crate::model::plan::ActionStatus;
use crate::model::site::CampaignData;

/// The verdict's context for the template.
/// `sparks` are the goal cards' sparklines, in `k.targets` order.
pub(crate) fn verdict(
    c: &CampaignData,
    k: &CampaignKpis,
    sparks: &[Option<String>],
    ui: &Value,
) -> Value {
    let fmt = |metric: &str, v: Option<f64>| format::metric_value(c, metric, v);
    let goals: Vec<Value> = k
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            json!({
                "id": t.id,
                "name": metric_name(c, &t.metric, ui),
                "spark": sparks.get(i).cloned().flatten(),
                "actual": fmt(&t.metric, t.actual),
                "target": fmt(&t.metric, t.target),
                "status": status_key(t.status),
                "icon": status_icon(t.status),
                "status_label": ui_str(ui, status_key(t.status)),
            })
        })
        .collect();
    let total = &k.budget.total;
    let currency = &c.plan.campaign.currency;
    let money = |d: Option<rust_decimal::Decimal>| format::spend_in(d, currency, ui);
    let flagged: Vec<Value> = k
        .budget
        .categories
        .iter()
        .filter(|b| matches!(b.status, BudgetStatus::Over | BudgetStatus::Warn))
        .map(|b| {
            json!({
                "id": b.id,
                "name": super::category_name(c, &b.id),
                "status": format::budget_key(b.status),
                "status_label": ui_str(ui, format::budget_key(b.status)),
                "spent": money(b.ac),
                "budget": format::money_in(b.current, currency),
            })
        })
        .collect();
    let used = summary::summarize(&c.plan, k);
    let running = k.as_of < c.plan.campaign.period.end;
    let actions: Vec<Value> = c
        .action_items
        .iter()
        .filter(|a| matches!(a.status, ActionStatus::Open | ActionStatus::InProgress))
        .map(|a| {
            json!({
                "text": a.action,
                "owner": role_title(c, &a.owner),
                "due": a.due.to_string(),
                "overdue": a.due < k.as_of,
            })
        })
        .collect();
    // A running campaign without action items: what is furthest off, and what comes next.
    let deviations: Vec<Value> = if actions.is_empty() && running {
        used.top_deviations
            .iter()
            .filter_map(|d| {
                let t = k.targets.iter().find(|t| t.id == d.target)?;
                Some(json!({
                    "id": t.id,
                    "name": metric_name(c, &t.metric, ui),
                    "status_label": ui_str(ui, status_key(t.status)),
                    "status": status_key(t.status),
                }))
            })
            .collect()
    } else {
        Vec::new()
    };
    let milestones: Vec<Value> = if running {
        let mut next: Vec<_> = c
            .plan
            .milestones
            .iter()
            .filter(|m| m.due >= k.as_of)
            .collect();
        next.sort_by_key(|m| (m.due, m.id.clone()));
        next.iter()
            .take(3)
            .map(|m| json!({"name": m.name, "due": m.due.to_string(), "owner": role_title(c, &m.owner)}))
            .collect()
    } else {
        Vec::new()
    };
    json!({
        "goals": goals,
        "counts": super::status_counts(k, ui),
        "money": {
            "spent": money(total.ac_total),
            "budget": format::money_in(total.bac_total, currency),
            "forecast": total.eac_total.map(|e| format::money_in(e, currency)),
            "used": format::pct(used.budget_used),
            "status": format::budget_key(total.status),
            "status_label": ui_str(ui, format::budget_key(total.status)),
            "flagged": flagged,
        },
        "next": {
            "actions": actions,
            "deviations": deviations,
            "milestones": milestones,
            "running": running,
            "has_retro": c.retro.is_some(),
        },
    })
}
