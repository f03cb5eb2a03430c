//! The top of a campaign report: three answers before any evidence — did we meet the goals,
//! where is the money, what happens next — each linking to where the report explains it.

use serde::Serialize;
use serde_json::Value;

use super::{format, metric_name, role_title, status_icon, status_key, ui_str};
use crate::compute::budget::BudgetStatus;
use crate::compute::targets::Status;
use crate::compute::{CampaignKpis, summary};
use crate::model::plan::{ActionStatus, Direction};
use crate::model::site::CampaignData;

/// The three answers, as the `campaign.html` template reads them under `verdict`.
#[derive(Debug, Serialize)]
pub(crate) struct Verdict {
    /// One tile per target, in plan order.
    goals: Vec<GoalTile>,
    /// Targets met or on track (a running campaign's good news).
    on_course: usize,
    /// The community's previous campaign, whose values stand beside the goals.
    previous_name: Option<String>,
    /// Targets per status, for the strip under the goals answer.
    counts: Vec<StatusCount>,
    met: usize,
    total: usize,
    /// The goal furthest behind among those missed or at risk.
    worst: Option<Goal>,
    money: Money,
    next: Next,
}

/// How many targets have one status: `✓ 3 达成`.
#[derive(Debug, PartialEq, Serialize)]
pub(crate) struct StatusCount {
    status: &'static str,
    icon: &'static str,
    count: usize,
    label: String,
}

/// The targets per status, in the order of the strip (met first), statuses no target has left
/// out.
pub(crate) fn status_counts(k: &CampaignKpis, ui: &Value) -> Vec<StatusCount> {
    [
        Status::Met,
        Status::OnTrack,
        Status::AtRisk,
        Status::Missed,
        Status::Unknown,
    ]
    .into_iter()
    .filter_map(|s| {
        let count = k.targets.iter().filter(|t| t.status == s).count();
        (count > 0).then(|| StatusCount {
            status: status_key(s),
            icon: status_icon(s),
            count,
            label: ui_str(ui, status_key(s)).to_string(),
        })
    })
    .collect()
}

/// A goal tile: the target's name, figures, sparkline and status.
#[derive(Debug, Serialize)]
struct GoalTile {
    id: String,
    name: String,
    spark: Option<String>,
    actual: String,
    target: String,
    previous: Option<String>,
    /// On track while the window runs: where the trajectory stands today, and whether the
    /// figure is behind it but within the tolerance (why a figure short of its target is
    /// 进度正常).
    pace: Option<String>,
    status: &'static str,
    icon: &'static str,
    status_label: String,
}

/// A goal named in an answer (the one furthest behind).
#[derive(Debug, Serialize)]
struct Goal {
    id: String,
    name: String,
    actual: String,
    target: String,
    status: &'static str,
}

/// The money answer.
#[derive(Debug, Serialize)]
struct Money {
    sentence: String,
    verdict: String,
    runs_out: Option<String>,
    spent: String,
    budget: String,
    forecast: Option<String>,
    used: String,
    status: &'static str,
    status_label: String,
    /// Categories over or near their budget.
    flagged: Vec<Flagged>,
    no_data: bool,
    /// Categories spending slowly, joined for a sentence.
    underspent: String,
}

/// A category over or near its budget.
#[derive(Debug, Serialize)]
struct Flagged {
    id: String,
    name: String,
    status: &'static str,
    status_label: String,
    spent: String,
    budget: String,
}

/// The next-step answer.
#[derive(Debug, Serialize)]
struct Next {
    headline: Option<String>,
    /// Open actions after the first (which is the headline).
    actions: Vec<Action>,
    deviations: Vec<Deviation>,
    milestones: Vec<Milestone>,
    running: bool,
    has_retro: bool,
}

/// An open action item.
#[derive(Debug, Clone, Serialize)]
struct Action {
    text: String,
    owner: String,
    due: String,
    overdue: bool,
}

/// A goal missed or at risk, to act on.
#[derive(Debug, Serialize)]
struct Deviation {
    id: String,
    name: String,
    status_label: String,
    status: &'static str,
}

/// A milestone still to come.
#[derive(Debug, Serialize)]
struct Milestone {
    name: String,
    due: String,
    owner: String,
}

/// The verdict's context for the template.
/// `sparks` are the goal cards' sparklines, in `k.targets` order.
pub(crate) fn verdict(
    c: &CampaignData,
    k: &CampaignKpis,
    previous: Option<(&CampaignData, &CampaignKpis)>,
    sparks: &[Option<String>],
    ui: &Value,
) -> Verdict {
    let fmt = |metric: &str, v: Option<f64>| format::metric_value(c, metric, v);
    // The same metric in the community's campaign before this one, over its whole period.
    let before = |metric: &str| {
        let (p, pk) = previous?;
        let value = pk.metrics.get(metric)?.as_ref().ok().copied()?;
        Some(format!(
            "{} {}",
            ui_str(ui, "previous_campaign"),
            format::metric_value(p, metric, Some(value))
        ))
    };
    let goals: Vec<GoalTile> = k
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| GoalTile {
            id: t.id.clone(),
            name: super::target_name(c, i, ui),
            spark: sparks.get(i).cloned().flatten(),
            actual: fmt(&t.metric, t.actual),
            target: bounded(c, i, fmt(&t.metric, t.target)),
            previous: before(&t.metric),
            pace: pace(c, i, t, ui),
            status: status_key(t.status),
            icon: status_icon(t.status),
            status_label: ui_str(ui, status_key(t.status)).to_string(),
        })
        .collect();
    let total = &k.budget.total;
    let currency = &c.plan.campaign.currency;
    let money = |d: Option<rust_decimal::Decimal>| {
        d.map_or_else(
            || ui_str(ui, "no_data").to_string(),
            |d| format::money_short(d, currency),
        )
    };
    let flagged: Vec<Flagged> = k
        .budget
        .categories
        .iter()
        .filter(|b| matches!(b.status, BudgetStatus::Over | BudgetStatus::Warn))
        .map(|b| Flagged {
            id: b.id.clone(),
            name: super::category_name(c, &b.id),
            status: format::budget_key(b.status),
            status_label: ui_str(ui, format::budget_key(b.status)).to_string(),
            spent: money(b.ac),
            budget: format::money_short(b.current, currency),
        })
        .collect();
    let used = summary::summarize(&c.plan, k);
    let running = k.as_of < c.plan.campaign.period.end;
    let open = open_actions(c);
    let actions: Vec<Action> = open
        .iter()
        .map(|a| Action {
            text: a.action.clone(),
            owner: role_title(c, &a.owner),
            due: a.due.to_string(),
            overdue: a.due < k.as_of,
        })
        .collect();
    // A running campaign without action items: what is furthest off, and what comes next.
    let mut deviations: Vec<Deviation> = if actions.is_empty() && running {
        used.top_deviations
            .iter()
            .filter_map(|d| {
                let t = k.targets.iter().find(|t| t.id == d.target)?;
                // A goal on track is no deviation to act on, however far from its trajectory.
                if !matches!(t.status, Status::Missed | Status::AtRisk) {
                    return None;
                }
                Some(Deviation {
                    id: t.id.clone(),
                    name: metric_name(c, &t.metric, ui),
                    status_label: ui_str(ui, status_key(t.status)).to_string(),
                    status: status_key(t.status),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let milestones: Vec<Milestone> = if running {
        let mut next: Vec<_> = c
            .plan
            .milestones
            .iter()
            .filter(|m| m.due >= k.as_of)
            .collect();
        next.sort_by_key(|m| (m.due, m.id.clone()));
        next.iter()
            .take(3)
            .map(|m| Milestone {
                name: m.name.clone(),
                due: m.due.to_string(),
                owner: role_title(c, &m.owner),
            })
            .collect()
    } else {
        Vec::new()
    };
    // Goals: how many met, and the one furthest behind among those missed or at risk.
    let met = k.targets.iter().filter(|t| t.status == Status::Met).count();
    let worst = worst_goal(c, k, &used, ui);
    let story = summary::money_story(&c.plan, k, c.ledger.as_deref());
    let underspent: Vec<String> = k
        .budget
        .categories
        .iter()
        .filter(|b| b.status == BudgetStatus::Underspend)
        .map(|b| super::category_name(c, &b.id))
        .collect();
    let next_headline = next_step(c, k, &open, worst.as_ref(), running, ui);
    // The goal the headline already names is not listed again under it.
    if open.is_empty()
        && let Some(w) = &worst
    {
        deviations.retain(|d| d.id != w.id);
    }
    // While it runs, goals on track count as good news beside those already met.
    let on_course = k
        .targets
        .iter()
        .filter(|t| matches!(t.status, Status::Met | Status::OnTrack))
        .count();
    Verdict {
        goals,
        on_course,
        previous_name: previous.map(|(p, _)| p.plan.campaign.name.clone()),
        counts: super::status_counts(k, ui),
        met,
        total: k.targets.len(),
        worst,
        money: Money {
            sentence: money_sentence(&story, currency, ui),
            verdict: money_verdict(&story, total.status, currency, ui),
            runs_out: runs_out_sentence(&story, c.plan.campaign.period.end, ui),
            spent: money(total.ac_total),
            budget: format::money_short(total.bac_total, currency),
            forecast: total.eac_total.map(|e| format::money_short(e, currency)),
            used: format::pct(used.budget_used),
            status: format::budget_key(total.status),
            status_label: ui_str(ui, format::budget_key(total.status)).to_string(),
            flagged,
            no_data: total.status == BudgetStatus::NoData,
            underspent: underspent.join(ui_str(ui, "list_sep")),
        },
        next: Next {
            headline: next_headline,
            actions: actions.iter().skip(1).cloned().collect(),
            deviations,
            milestones,
            running,
            has_retro: c.retro.is_some(),
        },
    }
}

/// The report's next step in one line: the first open action (what, who, by when); a running
/// campaign without one, what to do about the goal furthest behind (the response of a risk
/// that watches its metric, when the plan has one). The portfolio shows the same line.
fn next_step(
    c: &CampaignData,
    k: &CampaignKpis,
    open: &[&crate::model::plan::ActionItem],
    worst: Option<&Goal>,
    running: bool,
    ui: &Value,
) -> Option<String> {
    // Next: the first open action; a running campaign without one, what to do about the goal
    // furthest behind (the response of a risk that watches its metric, when the plan has one).
    match (open.first(), worst) {
        (Some(a), _) => Some(format!(
            "{} · {} · {} {}",
            a.action,
            role_title(c, &a.owner),
            ui_str(ui, "due"),
            a.due
        )),
        (None, Some(w)) if running => {
            let metric = k
                .targets
                .iter()
                .find(|t| t.id == w.id)
                .map(|t| t.metric.as_str());
            let response = c
                .plan
                .risks
                .iter()
                .flat_map(|r| r.items.iter())
                .find(|r| {
                    r.trigger.as_ref().and_then(|t| t.metric.as_deref()) == metric
                        && metric.is_some()
                })
                .map(|r| r.response.clone());
            let name = &w.name;
            // A window already closed is missed, not behind.
            let (said, said_do) = if w.status == "missed" {
                ("missed_goal", "missed_goal_do")
            } else {
                ("behind_plan", "behind_plan_do")
            };
            Some(match response {
                Some(r) => format!("{name}{}{r}", ui_str(ui, said_do)),
                None => format!("{name}{}", ui_str(ui, said)),
            })
        }
        _ => None,
    }
}

/// The open and in-progress action items, most urgent first: by priority (P0 first), then
/// soonest due — the next step is the most important open item, not the nearest small one.
fn open_actions(c: &CampaignData) -> Vec<&crate::model::plan::ActionItem> {
    let mut open: Vec<&crate::model::plan::ActionItem> = c
        .action_items
        .iter()
        .filter(|a| matches!(a.status, ActionStatus::Open | ActionStatus::InProgress))
        .collect();
    open.sort_by_key(|a| (a.priority, a.due));
    open
}

/// The goal furthest behind among those missed or at risk.
fn worst_goal(
    c: &CampaignData,
    k: &CampaignKpis,
    used: &summary::Summary,
    ui: &Value,
) -> Option<Goal> {
    let fmt = |metric: &str, v: Option<f64>| format::metric_value(c, metric, v);
    used.top_deviations.iter().find_map(|d| {
        let (i, t) = k
            .targets
            .iter()
            .enumerate()
            .find(|(_, t)| t.id == d.target)?;
        matches!(t.status, Status::Missed | Status::AtRisk).then(|| Goal {
            id: t.id.clone(),
            name: super::target_name(c, i, ui),
            actual: fmt(&t.metric, t.actual),
            target: bounded(c, i, fmt(&t.metric, t.target)),
            status: status_key(t.status),
        })
    })
}

/// The portfolio's next step for campaign `c`: as the report's, see [`next_step`].
pub(crate) fn next_step_of(
    c: &CampaignData,
    k: &CampaignKpis,
    used: &summary::Summary,
    ui: &Value,
) -> Option<String> {
    let running = k.as_of < c.plan.campaign.period.end;
    let open = open_actions(c);
    let worst = worst_goal(c, k, used, ui);
    next_step(c, k, &open, worst.as_ref(), running, ui)
}

/// "按进度应达 168.8" under an on-track goal, with "，差于进度但在容差内" when the figure is
/// on the wrong side of that pace: the status is 进度正常 then only by the tolerance.
fn pace(
    c: &CampaignData,
    i: usize,
    t: &crate::compute::targets::TargetResult,
    ui: &Value,
) -> Option<String> {
    if t.status != Status::OnTrack {
        return None;
    }
    let (expected, actual) = (t.expected?, t.actual?);
    let plan_target = c.plan.targets.get(i)?;
    let behind =
        crate::compute::targets::target_direction(&c.plan, plan_target).better(expected, actual);
    let mut text = ui_str(ui, "pace_expected")
        .replace("{0}", &format::metric_value(c, &t.metric, Some(expected)));
    if behind {
        text.push_str(ui_str(ui, "pace_within_tolerance"));
    }
    Some(text)
}

/// A target's value with the side it must be on: `≥ 60.0%` for higher-is-better, `≤ 12.0%` for
/// lower-is-better. `i` is the target's place in the plan.
pub(crate) fn bounded(c: &CampaignData, i: usize, value: String) -> String {
    let Some(t) = c.plan.targets.get(i) else {
        return value;
    };
    if value == "—" {
        return value;
    }
    match crate::compute::targets::target_direction(&c.plan, t) {
        Direction::HigherIsBetter => format!("≥ {value}"),
        Direction::LowerIsBetter => format!("≤ {value}"),
    }
}

/// The money answer's first words: over by how much, or within the budget, or no spend data.
fn money_verdict(
    s: &summary::MoneyStory,
    status: BudgetStatus,
    currency: &str,
    ui: &Value,
) -> String {
    match (status, s.overrun) {
        (BudgetStatus::NoData, _) => ui_str(ui, "no_data").to_string(),
        (_, Some(over)) => format!(
            "{} {}",
            ui_str(ui, "over_by"),
            format::money_short(over, currency)
        ),
        _ => ui_str(ui, "within_budget").to_string(),
    }
}

/// The money answer's figures in one sentence: spent and budget, the forecast, and what makes
/// the spending up — paid and accrued whenever part of it is not paid yet (a reader must not
/// take it all for cash out), and signed but unpaid too when the forecast passes the budget.
fn money_sentence(s: &summary::MoneyStory, currency: &str, ui: &Value) -> String {
    let m = |d: rust_decimal::Decimal| format::money_short(d, currency);
    let Some(spent) = s.spent else {
        return format!(
            "{}{} · {} {}",
            ui_str(ui, "total_budget"),
            ui_str(ui, "colon"),
            m(s.budget),
            ui_str(ui, "no_data")
        );
    };
    let sep = ui_str(ui, "sentence_sep");
    let over = s.overrun.is_some();
    // What the spending is made of, in brackets: after the spent figure, or after the forecast
    // when the forecast passes the budget (signed but unpaid then explains the rest).
    let mut parts = Vec::new();
    for (key, amount) in [
        ("paid", s.paid),
        ("accrued", s.accrued),
        ("signed_unpaid", s.committed.filter(|_| over)),
    ] {
        if let Some(a) = amount.filter(|a| !a.is_zero()) {
            parts.push(format!("{} {}", ui_str(ui, key), m(a)));
        }
    }
    let unpaid = s.accrued.is_some_and(|a| !a.is_zero());
    let made_of = (over || unpaid) && !parts.is_empty();
    let made_of = made_of.then(|| {
        format!(
            "{}{}{}",
            ui_str(ui, "paren_open"),
            parts.join(ui_str(ui, "list_sep")),
            ui_str(ui, "paren_close")
        )
    });
    let mut out = format!("{} {}", ui_str(ui, "spent"), m(spent));
    if !over {
        if let Some(p) = &made_of {
            out.push_str(p);
        }
        // Signed but unpaid is no spending yet, but it is money promised: said beside it.
        if let Some(c) = s.committed.filter(|c| !c.is_zero()) {
            out.push_str(&format!("{sep}{} {}", ui_str(ui, "signed_unpaid"), m(c)));
        }
    }
    out.push_str(&format!(
        "{sep}{} {}",
        ui_str(ui, "total_budget"),
        m(s.budget)
    ));
    if let Some(f) = s.forecast {
        out.push_str(&format!("{sep}{} {}", ui_str(ui, "forecast_total"), m(f)));
    }
    if over && let Some(p) = &made_of {
        out.push_str(p);
    }
    out
}

/// The day the budget ran out (past the end), or will at the last seven days' pace (running).
fn runs_out_sentence(
    s: &summary::MoneyStory,
    end: crate::model::values::Date,
    ui: &Value,
) -> Option<String> {
    let day = s.runs_out?;
    // The day is the one spending and signed commitments together reached the budget: with
    // commitments, spending alone may still be under it, and the sentence says so.
    let signed = s.committed.is_some_and(|c| !c.is_zero());
    Some(if s.finished {
        let key = if signed {
            "budget_ran_out_signed"
        } else {
            "budget_ran_out"
        };
        format!("{} {day}", ui_str(ui, key))
    } else if day <= end {
        format!("{} {day}", ui_str(ui, "budget_runs_out"))
    } else {
        ui_str(ui, "budget_lasts").to_string()
    })
}
