//! The member tables of the report and the post-mortem (docs/members.md#on-the-pages): the tier
//! distribution at the start and the end of the window, weekly join cohorts' retention on day
//! N (a cell only once the whole week has had N days), and each planned activity's turnout and
//! cost per participant.

use rust_decimal::Decimal;

use super::kpi::{Inputs, Value};
use super::undefined::Undefined;
use crate::model::members::Members;
use crate::model::plan::Tier;
use crate::model::values::Date;

/// Members per tier on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct TierCounts {
    pub day: Date,
    /// (tier id, members), in the plan's order of tiers (lowest first).
    pub counts: Vec<(String, usize)>,
    /// Members present in no tier of the plan.
    pub untiered: usize,
    /// Members present whose tier on that day cannot be told: they entered their tier later
    /// (or the file leaves their `tier_since` empty).
    pub unknown: usize,
    /// Members present.
    pub total: usize,
}

/// Members per tier on `day`, when the file can tell who was a member then and has tiers. The
/// file gives each member's current tier: it was their tier on `day` if they entered it by then
/// (`tier_since ≤ day`); a file without `tier_since` tells tiers on the report date `as_of`
/// only, and any other day is undefined (never a table of zeros).
pub fn tier_counts(
    m: &Members,
    tiers: &[Tier],
    day: Date,
    as_of: Date,
) -> Result<TierCounts, Undefined> {
    if !m.columns.contains("tier") {
        return Err(Undefined::MemberColumnMissing("tier"));
    }
    let present = m.present_on(day).ok_or(Undefined::NoLeaveDates {
        day,
        exported_on: m.exported_on,
    })?;
    let has_since = m.columns.contains("tier_since");
    if !has_since && day != as_of {
        return Err(Undefined::TierOnlyOnReportDate { day });
    }
    let known = |p: &&crate::model::members::Member| match (p.tier.as_ref(), p.tier_since) {
        (None, _) => true,
        (Some(_), Some(since)) => since <= day,
        (Some(_), None) => !has_since,
    };
    let (known, unknown): (Vec<&crate::model::members::Member>, Vec<_>) =
        present.iter().copied().partition(known);
    let counts: Vec<(String, usize)> = tiers
        .iter()
        .map(|t| {
            let n = known
                .iter()
                .filter(|p| p.tier.as_deref() == Some(t.id.as_str()))
                .count();
            (t.id.clone(), n)
        })
        .collect();
    let tiered: usize = counts.iter().map(|(_, n)| n).sum();
    Ok(TierCounts {
        day,
        counts,
        untiered: known.len() - tiered,
        unknown: unknown.len(),
        total: present.len(),
    })
}

/// The days after joining at which cohorts are read.
pub const COHORT_DAYS: [u32; 4] = [1, 7, 14, 30];

/// The members who joined in one week.
#[derive(Debug, Clone, PartialEq)]
pub struct Cohort {
    /// The week's Monday (or the window's first day, for a week it starts inside).
    pub week: Date,
    pub size: usize,
    /// For each of [`COHORT_DAYS`]: the share still members on that day after joining, or
    /// `None` while some of the week has not had that many days by the report date
    /// (right-censored: blank, never 0).
    pub kept: Vec<Option<f64>>,
}

/// Weekly join cohorts of the window `[start, end]`, observed up to `as_of`. Needs leave days.
pub fn cohorts(m: &Members, start: Date, end: Date, as_of: Date) -> Result<Vec<Cohort>, Undefined> {
    if !m.columns.contains("left_on") {
        return Err(Undefined::MemberColumnMissing("left_on"));
    }
    let week_of = |d: Date| {
        let back = i64::from(d.weekday().to_monday_zero_offset());
        d.checked_sub(jiff::Span::new().days(back))
            .unwrap_or(d)
            .max(start)
    };
    let mut weeks: std::collections::BTreeMap<Date, Vec<&crate::model::members::Member>> =
        std::collections::BTreeMap::new();
    for member in m
        .rows
        .iter()
        .filter(|x| start <= x.joined_on && x.joined_on <= end)
    {
        weeks
            .entry(week_of(member.joined_on))
            .or_default()
            .push(member);
    }
    Ok(weeks
        .into_iter()
        .map(|(week, members)| {
            let last_join = members.iter().map(|x| x.joined_on).max().unwrap_or(week);
            let kept = COHORT_DAYS
                .iter()
                .map(|&n| {
                    let days = jiff::Span::new().days(i64::from(n));
                    if last_join.checked_add(days).map_or(true, |d| d > as_of) {
                        return None;
                    }
                    let stayed = members
                        .iter()
                        .filter(|x| {
                            let day_n = x.joined_on.checked_add(days).unwrap_or(x.joined_on);
                            x.left_on.is_none_or(|left| left > day_n)
                        })
                        .count();
                    Some(stayed as f64 / members.len() as f64)
                })
                .collect();
            Cohort {
                week,
                size: members.len(),
                kept,
            }
        })
        .collect())
}

/// A planned activity's turnout.
#[derive(Debug, Clone, PartialEq)]
pub struct Turnout {
    pub id: String,
    pub expected: Option<u32>,
    /// Distinct attendees or the file's count; `None` when the file says nothing of it.
    pub participants: Option<u32>,
    /// Participants ÷ members on its day.
    pub rate: Value,
    /// The spend of its work package in the window ÷ the participants of every activity that
    /// names that work package: a shared cost is spread per head, never charged whole to each.
    pub cost_per_participant: Result<Decimal, Undefined>,
    /// The other activities (ids, plan order) that name the same work package.
    pub shares_cost_with: Vec<String>,
}

/// Every planned activity's turnout, in plan order, when there is an activities file.
pub fn turnout(inp: &Inputs) -> Vec<Turnout> {
    let Some(attendance) = inp.people.attendance else {
        return Vec::new();
    };
    let activities = &inp.plan.activities;
    activities
        .iter()
        .map(|a| {
            let participants = attendance.participants(&a.id);
            let rate = super::kpi::metric(&format!("event_attendance_rate.{}", a.id), inp, None);
            let sharers: Vec<_> = activities
                .iter()
                .filter(|o| a.work_package.is_some() && o.work_package == a.work_package)
                .collect();
            // Everyone the shared cost is spread over; an activity without a count leaves the
            // head count, and so every sharer's cost, unknown.
            let heads =
                sharers
                    .iter()
                    .try_fold(0u32, |sum, o| match attendance.participants(&o.id) {
                        Some(n) => Ok(sum + n),
                        None if o.id == a.id => Err(Undefined::NoAttendance),
                        None => Err(Undefined::SharedCostUnknownHeads(o.name.clone())),
                    });
            let cost_per_participant = match (&a.work_package, participants, heads) {
                (None, _, _) => Err(Undefined::NoWorkPackage),
                (_, None, _) => Err(Undefined::NoAttendance),
                (_, Some(0), _) => Err(Undefined::NoParticipants),
                _ if !inp.has_ledger => Err(Undefined::NoLedger),
                (_, _, Err(why)) => Err(why),
                (Some(wp), Some(_), Ok(heads)) => {
                    super::inputs::ac_in(inp, |e| e.work_package.as_deref() == Some(wp.as_str()))
                        .map(|ac| ac / Decimal::from(heads))
                }
            };
            Turnout {
                id: a.id.clone(),
                expected: a.expected_participants,
                participants,
                rate,
                cost_per_participant,
                shares_cost_with: sharers
                    .iter()
                    .filter(|o| o.id != a.id)
                    .map(|o| o.id.clone())
                    .collect(),
            }
        })
        .collect()
}

/// [`turnout`] of campaign `c` over its window as of `as_of`.
pub fn turnout_of(c: &crate::model::site::CampaignData, as_of: Date) -> Vec<Turnout> {
    if c.attendance.is_none() {
        return Vec::new();
    }
    let days = c.daily.by_day_through(Some(as_of));
    let period = c.plan.campaign.period;
    let inputs = Inputs {
        plan: &c.plan,
        window: super::window::Window::new(&days, period.start, period.end.min(as_of)),
        ledger: c.ledger.as_deref().unwrap_or_default(),
        has_ledger: c.ledger.is_some(),
        people: super::inputs::People::of(c, as_of),
    };
    turnout(&inputs)
}
