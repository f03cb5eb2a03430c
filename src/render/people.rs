//! The member sections of the report and the post-mortem (docs/members.md#on-the-pages): tiers at
//! the start and on the report date against their targets, weekly cohorts' retention as a heat
//! table (censored cells blank), and each activity's turnout and cost per participant.

use serde::Serialize;
use serde_json::Value;

use super::{format, status_icon, status_key, ui_str};
use crate::compute::CampaignKpis;
use crate::compute::people::{self, COHORT_DAYS};
use crate::compute::undefined::Undefined;
use crate::model::site::CampaignData;

/// The three sections; each is `None` when the campaign has no file to feed it.
#[derive(Debug, Serialize)]
pub(crate) struct People {
    tiers: Option<Tiers>,
    cohorts: Option<Cohorts>,
    activities: Option<Activities>,
}

/// Members per tier at the start and on the report date.
#[derive(Debug, Serialize)]
struct Tiers {
    start: String,
    end: String,
    rows: Vec<TierRow>,
    /// Members present on each day, under the rows.
    total_start: String,
    total_end: String,
    /// Whether any tier has a target (the column is left out otherwise).
    targeted: bool,
    /// Why the distribution cannot be told, when it cannot.
    reason: Option<String>,
    new_high_value: Figure,
    /// What counts as a new high-value member, naming the plan's high-value tiers.
    new_high_value_note: Option<String>,
    conversion: String,
}

/// A tier's members and share on both days (`48 人 · 48.5%`), and its target.
#[derive(Debug, Serialize)]
struct TierRow {
    name: String,
    start: String,
    end: String,
    target: Option<TargetMark>,
}

/// A target on a figure of the section, with its status.
#[derive(Debug, Serialize)]
struct TargetMark {
    value: String,
    status: &'static str,
    icon: &'static str,
    label: String,
}

/// A labelled figure, or why it has none.
#[derive(Debug, Serialize)]
struct Figure {
    value: String,
    reason: Option<String>,
    target: Option<TargetMark>,
}

/// The cohort heat table.
#[derive(Debug, Serialize)]
struct Cohorts {
    days: Vec<String>,
    /// What each shade stands for, lightest first.
    legend: Vec<LegendStep>,
    rows: Vec<CohortRow>,
    reason: Option<String>,
}

/// One shade of the heat table and the range of kept shares it stands for.
#[derive(Debug, Serialize)]
struct LegendStep {
    shade: u8,
    label: String,
}

#[derive(Debug, Serialize)]
struct CohortRow {
    week: String,
    /// Members who joined that week (`6 人`).
    size: String,
    cells: Vec<HeatCell>,
}

/// One cell: its share, and a shade from 0 (low) to 4 (high); censored cells are blank.
#[derive(Debug, Serialize)]
struct HeatCell {
    text: String,
    shade: u8,
    censored: bool,
}

/// The activity table and the coverage under it.
#[derive(Debug, Serialize)]
struct Activities {
    rows: Vec<ActivityRow>,
    coverage: Figure,
    /// Said once when some activity has no work package to take its cost from.
    cost_note: Option<String>,
    /// One sentence per group of activities that share a work package, saying their cost per
    /// participant spreads it over all their participants.
    shared_cost_notes: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ActivityRow {
    id: String,
    name: String,
    /// The activity's day, or its first and last day.
    dates: Vec<String>,
    expected: String,
    actual: String,
    rate: String,
    cost: String,
    /// Why the rate or the cost is missing.
    reason: Option<String>,
}

/// The member sections of campaign `c` with its figures `k`.
pub(crate) fn people(c: &CampaignData, k: &CampaignKpis, ui: &Value) -> People {
    People {
        tiers: tiers(c, k, ui),
        cohorts: cohorts(c, k, ui),
        activities: activities(c, k, ui),
    }
}

/// The window's last day: the report date, or the campaign's end if earlier.
fn window_end(c: &CampaignData, k: &CampaignKpis) -> crate::model::values::Date {
    c.plan.campaign.period.end.min(k.as_of)
}

/// The target on `metric`, if the plan has one, with its status.
fn target_on(c: &CampaignData, k: &CampaignKpis, metric: &str, ui: &Value) -> Option<TargetMark> {
    let (i, t) = c
        .plan
        .targets
        .iter()
        .enumerate()
        .find(|(_, t)| t.metric == metric)?;
    let r = k.targets.get(i)?;
    Some(TargetMark {
        value: format::metric_value(c, &t.metric, r.target),
        status: status_key(r.status),
        icon: status_icon(r.status),
        label: ui_str(ui, status_key(r.status)).to_string(),
    })
}

fn figure(c: &CampaignData, k: &CampaignKpis, metric: &str, ui: &Value) -> Figure {
    let v = k.metrics.get(metric);
    let value = v.and_then(|v| v.as_ref().ok().copied());
    let persons = crate::model::catalog::lookup(metric)
        .is_some_and(|m| m.unit == crate::model::catalog::Unit::Count);
    Figure {
        value: match value {
            // A count of people says so: 2 人.
            Some(x) if persons => ui_str(ui, "people_count").replace("{0}", &format::count(x)),
            _ => format::metric_value(c, metric, value),
        },
        reason: v
            .and_then(|v| v.as_ref().err())
            .map(|r| format::reason(r, ui)),
        target: target_on(c, k, metric, ui),
    }
}

fn tiers(c: &CampaignData, k: &CampaignKpis, ui: &Value) -> Option<Tiers> {
    let m = c.members.as_ref()?;
    let tiers = &c.plan.community.tiers;
    if tiers.is_empty() {
        return None;
    }
    let (start_day, end_day) = (c.plan.campaign.period.start, window_end(c, k));
    let start = people::tier_counts(m, tiers, start_day, k.as_of);
    let end = people::tier_counts(m, tiers, end_day, k.as_of);
    let count = |n: usize| ui_str(ui, "people_count").replace("{0}", &n.to_string());
    let share = |n: usize, total: usize| format::pct((total > 0).then(|| n as f64 / total as f64));
    // A row: a tier's index, or the members in no tier, or those whose tier then is unknown.
    #[derive(Clone, Copy)]
    enum Of {
        Tier(usize),
        NoTier,
        Unknown,
    }
    let side = |counts: &Result<people::TierCounts, _>, of: Of| match counts {
        Ok(t) => {
            let n = match of {
                Of::Tier(i) => t.counts[i].1,
                Of::NoTier => t.untiered,
                Of::Unknown => t.unknown,
            };
            format!("{} · {}", count(n), share(n, t.total))
        }
        Err(_) => "—".to_string(),
    };
    let mut rows: Vec<TierRow> = tiers
        .iter()
        .enumerate()
        .map(|(i, t)| TierRow {
            name: t.name.clone(),
            start: side(&start, Of::Tier(i)),
            end: side(&end, Of::Tier(i)),
            target: target_on(c, k, &format!("tier_share.{}", t.id), ui),
        })
        .collect();
    for (of, key, any) in [
        (
            Of::NoTier,
            "untiered",
            [&start, &end]
                .iter()
                .any(|t| t.as_ref().is_ok_and(|t| t.untiered > 0)),
        ),
        (
            Of::Unknown,
            "tier_unknown",
            [&start, &end]
                .iter()
                .any(|t| t.as_ref().is_ok_and(|t| t.unknown > 0)),
        ),
    ] {
        if any {
            rows.push(TierRow {
                name: ui_str(ui, key).to_string(),
                start: side(&start, of),
                end: side(&end, of),
                target: None,
            });
        }
    }
    let reason = end
        .as_ref()
        .err()
        .or(start.as_ref().err())
        .map(|r| format::reason(r, ui));
    let conversion = tiers
        .first()
        .and_then(|t| k.metrics.get(&format!("tier_conversion.{}", t.id)))
        .and_then(|v| v.as_ref().err())
        .map_or_else(
            || format::reason(&crate::compute::undefined::Undefined::NoTierHistory, ui),
            |r| format::reason(r, ui),
        );
    let total = |t: &Result<people::TierCounts, _>| {
        t.as_ref().map_or("—".to_string(), |t| count(t.total))
    };
    Some(Tiers {
        start: start_day.to_string(),
        end: end_day.to_string(),
        total_start: total(&start),
        total_end: total(&end),
        targeted: rows.iter().any(|r| r.target.is_some()),
        rows,
        reason,
        new_high_value: figure(c, k, "new_high_value_members", ui),
        new_high_value_note: {
            let high: Vec<&str> = tiers
                .iter()
                .filter(|t| t.high_value)
                .map(|t| t.name.as_str())
                .collect();
            (!high.is_empty()).then(|| {
                ui_str(ui, "new_high_value_note")
                    .replace("{0}", &high.join(ui_str(ui, "tier_list_sep")))
            })
        },
        conversion,
    })
}

fn cohorts(c: &CampaignData, k: &CampaignKpis, ui: &Value) -> Option<Cohorts> {
    let m = c.members.as_ref()?;
    let days = COHORT_DAYS
        .iter()
        .map(|n| ui_str(ui, "day_n").replace("{0}", &n.to_string()))
        .collect();
    let (rows, reason) =
        match people::cohorts(m, c.plan.campaign.period.start, window_end(c, k), k.as_of) {
            Ok(weeks) => (
                weeks
                    .into_iter()
                    .map(|w| CohortRow {
                        week: w.week.to_string(),
                        size: ui_str(ui, "people_count").replace("{0}", &w.size.to_string()),
                        cells: w
                            .kept
                            .into_iter()
                            .map(|kept| match kept {
                                Some(x) => HeatCell {
                                    text: format::pct(Some(x)),
                                    shade: shade(x),
                                    censored: false,
                                },
                                None => HeatCell {
                                    text: String::new(),
                                    shade: 0,
                                    censored: true,
                                },
                            })
                            .collect(),
                    })
                    .collect(),
                None,
            ),
            Err(r) => (Vec::new(), Some(format::reason(&r, ui))),
        };
    Some(Cohorts {
        days,
        legend: legend(),
        rows,
        reason,
    })
}

/// Where the shades change: retention is mostly high, so the steps are finer at the top.
const SHADE_STEPS: [u32; 4] = [50, 70, 85, 95];

/// A kept share's shade, 0 (below 50 %) to 4 (95 % and above).
fn shade(kept: f64) -> u8 {
    SHADE_STEPS
        .iter()
        .filter(|&&step| kept * 100.0 >= f64::from(step))
        .count() as u8
}

/// The legend of the shades: `<50%`, `50–70%`, …, `≥95%`.
fn legend() -> Vec<LegendStep> {
    let last = SHADE_STEPS.len();
    (0..=last)
        .map(|i| LegendStep {
            shade: i as u8,
            label: match i {
                0 => format!("<{}%", SHADE_STEPS[0]),
                i if i == last => format!("≥{}%", SHADE_STEPS[last - 1]),
                i => format!("{}–{}%", SHADE_STEPS[i - 1], SHADE_STEPS[i]),
            },
        })
        .collect()
}

/// An activity's day (`date`), or its first and last day (`start`, `end`); empty when the plan
/// gives neither. The template joins two days with a dash.
pub(crate) fn activity_dates(a: &crate::model::plan::Activity) -> Vec<String> {
    match (a.date, a.start, a.end) {
        (Some(d), _, _) => vec![d.to_string()],
        (None, Some(s), Some(e)) if e > s => vec![s.to_string(), e.to_string()],
        (None, Some(s), _) => vec![s.to_string()],
        _ => Vec::new(),
    }
}

fn activities(c: &CampaignData, k: &CampaignKpis, ui: &Value) -> Option<Activities> {
    c.attendance.as_ref()?;
    let count = |n: Option<u32>| {
        n.map_or("—".to_string(), |n| {
            ui_str(ui, "people_count").replace("{0}", &n.to_string())
        })
    };
    let turnout = people::turnout_of(c, k.as_of);
    let shared_cost_notes = shared_cost_notes(&turnout, c, ui);
    let rows = turnout
        .into_iter()
        .zip(&c.plan.activities)
        .map(|(t, a)| {
            // A plan that ties no cost to its activities says so once, under the table.
            let cost_reason = t
                .cost_per_participant
                .as_ref()
                .err()
                .filter(|r| !matches!(r, Undefined::NoWorkPackage));
            let reason = t
                .rate
                .as_ref()
                .err()
                .or(cost_reason)
                .map(|r| format::reason(r, ui));
            ActivityRow {
                id: t.id.clone(),
                name: a.name.clone(),
                dates: activity_dates(a),
                expected: t
                    .expected
                    .map_or_else(|| ui_str(ui, "not_set").to_string(), |n| count(Some(n))),
                actual: count(t.participants),
                rate: format::pct(t.rate.as_ref().ok().copied()),
                cost: t
                    .cost_per_participant
                    .as_ref()
                    .map_or("—".to_string(), |d| {
                        format::money_in(*d, &c.plan.campaign.currency)
                    }),
                reason,
            }
        })
        .collect();
    Some(Activities {
        rows,
        coverage: figure(c, k, "event_coverage", ui),
        cost_note: c
            .plan
            .activities
            .iter()
            .any(|a| a.work_package.is_none())
            .then(|| ui_str(ui, "cost_needs_work_package").to_string()),
        shared_cost_notes,
    })
}

/// "「A」、「B」共用一个工作包：…" once per group of activities sharing a work package, in
/// the plan order of each group's first activity.
fn shared_cost_notes(turnout: &[people::Turnout], c: &CampaignData, ui: &Value) -> Vec<String> {
    let name = |id: &str| {
        c.plan
            .activities
            .iter()
            .find(|a| a.id == id)
            .map_or(id, |a| a.name.as_str())
            .to_string()
    };
    let mut seen = std::collections::BTreeSet::new();
    turnout
        .iter()
        .filter(|t| !t.shares_cost_with.is_empty())
        .filter_map(|t| {
            let mut group: Vec<&str> = std::iter::once(t.id.as_str())
                .chain(t.shares_cost_with.iter().map(String::as_str))
                .collect();
            group.sort_unstable();
            seen.insert(group.join("\u{0}")).then(|| {
                let names: Vec<String> = std::iter::once(t.id.as_str())
                    .chain(t.shares_cost_with.iter().map(String::as_str))
                    .map(|id| {
                        format!(
                            "{}{}{}",
                            ui_str(ui, "quote_open"),
                            name(id),
                            ui_str(ui, "quote_close")
                        )
                    })
                    .collect();
                ui_str(ui, "shared_cost_note")
                    .replace("{0}", &names.join(ui_str(ui, "tier_list_sep")))
            })
        })
        .collect()
}
