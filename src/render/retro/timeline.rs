//! The post-mortem timeline of docs/rules.md#outline item 5: phases, milestones (due against done,
//! from `milestone:<id>` rows of `progress.csv`), activities, promotion steps, budget revisions,
//! fired risk triggers and the retro's own `timeline_notes`, in date order.

use crate::compute::CampaignKpis;
use crate::model::site::CampaignData;
use crate::model::values::Date;

/// What happened on a date.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A phase begins (planned).
    PhaseStart,
    /// A milestone falls due; `done` is the first day progress reached 100 %.
    Milestone {
        /// When it was done, if it was.
        done: Option<Date>,
        /// Whether progress data says anything of it (a `milestone:<id>` row by the report
        /// date): without one, "not done" would be a guess.
        recorded: bool,
    },
    /// An activity (its first day).
    Activity,
    /// A promotion-rhythm step begins.
    Promotion,
    /// A budget revision moved money between categories.
    Revision,
    /// A risk trigger fired for the first time.
    RiskFired,
    /// A note from the retro's front matter.
    Note,
    /// A phase ends (planned).
    PhaseEnd,
}

/// One row of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Event {
    /// The day.
    pub date: Date,
    /// What kind of event.
    pub kind: Kind,
    /// The id it concerns (phase, milestone, activity, risk; empty for notes and steps).
    pub id: String,
    /// Its name or text.
    pub text: String,
}

/// Every dated event of the campaign up to `as_of`, plus milestones due later, in date order.
pub fn events(c: &CampaignData, k: &CampaignKpis, notes: &[(Date, String)]) -> Vec<Event> {
    let plan = &c.plan;
    let mut out = Vec::new();
    let mut push = |date: Date, kind: Kind, id: &str, text: &str| {
        out.push(Event {
            date,
            kind,
            id: id.to_string(),
            text: text.to_string(),
        })
    };
    for p in &plan.phases.items {
        if let Some(d) = p.dates(plan.campaign.period) {
            push(d.start, Kind::PhaseStart, &p.id, &p.name);
            push(d.end, Kind::PhaseEnd, &p.id, &p.name);
        }
    }
    for m in &plan.milestones {
        let mut rows: Vec<_> = c
            .milestones
            .iter()
            .filter(|r| r.work_package == m.id && r.as_of <= k.as_of)
            .collect();
        rows.sort_by_key(|r| r.as_of);
        // `complete` is a fraction (percent_complete / 100).
        let done = rows.iter().find(|r| r.complete >= 1.0).map(|r| r.as_of);
        let recorded = !rows.is_empty();
        push(m.due, Kind::Milestone { done, recorded }, &m.id, &m.name);
    }
    for a in &plan.activities {
        if let Some(d) = a.date.or(a.start) {
            push(d, Kind::Activity, &a.id, &a.name);
        }
    }
    for s in &plan.promotion_rhythm {
        push(s.start, Kind::Promotion, "", &s.step);
    }
    for r in &plan.budget.revisions {
        let text = format!(
            "{} → {} · {} · {}",
            super::super::category_name(c, &r.from),
            super::super::category_name(c, &r.to),
            super::super::format::money_in(r.amount.0, &plan.campaign.currency),
            r.reason
        );
        push(r.date, Kind::Revision, "", &text);
    }
    let risks = plan.risks.iter().flat_map(|r| r.items.iter());
    for (r, item) in k.risks.iter().zip(risks) {
        if let Some(d) = r.first_fired.as_deref().and_then(|d| d.parse().ok()) {
            push(d, Kind::RiskFired, &r.id, &item.title);
        }
    }
    for (d, note) in notes {
        push(*d, Kind::Note, "", note);
    }
    out.sort();
    out
}
