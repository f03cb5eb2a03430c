//! Metrics from member-level data (docs/members.md#metrics): repurchase, buyer penetration,
//! cost per new buyer, membership retention, tier shares, new high-value members, and
//! attendance. Pure functions over the members and activities files; every count a formula
//! needs and the file cannot give makes the metric undefined with the reason, never 0.

use rust_decimal::Decimal;

use super::inputs::{Inputs, People, Value, acquisition_cost};
use super::undefined::Undefined;
use super::window::{ratio, to_f64};
use crate::model::catalog::Export;
use crate::model::members::{Attendance, Member, Members};
use crate::model::values::Date;

/// The days of `retention_membership.<N>` computed whether or not a target names them.
pub const RETENTION_DAYS: [u32; 2] = [7, 30];

/// The value of member-level metric `id`, or `None` when `id` is not one.
pub fn metric(id: &str, inp: &Inputs) -> Option<Value> {
    let (family, suffix) = match id.split_once('.') {
        Some((f, s)) => (f, Some(s)),
        None => (id, None),
    };
    Some(match (family, suffix) {
        ("repurchase_rate", None) => repurchase_rate(inp),
        ("buyer_penetration", None) => buyer_penetration(inp),
        ("cac_customer", None) => cac_customer(inp),
        ("new_high_value_members", None) => new_high_value_members(inp),
        ("retention_membership", Some(n)) => match n.parse::<u32>() {
            Ok(n) if n > 0 => retention_membership(inp, n),
            _ => Err(Undefined::NotComputed(id.to_string())),
        },
        ("retention_activity", Some(n)) => match n.parse::<u32>() {
            Ok(n) if n > 0 => retention_activity(inp, n),
            _ => Err(Undefined::NotComputed(id.to_string())),
        },
        ("tier_share", Some(tier)) => tier_share(inp, tier),
        ("tier_conversion", Some(_)) => members(inp).and(Err(Undefined::NoTierHistory)),
        ("event_coverage", None) => event_coverage(inp),
        ("event_attendance_rate", None) => attendance_rate(inp, None),
        ("event_attendance_rate", Some(activity)) => attendance_rate(inp, Some(activity)),
        _ => return None,
    })
}

/// The member-level metric ids a campaign gets in its KPIs: those of the files it has (an
/// optional file that is absent adds none), with the suffixed families spelled out
/// (`retention_membership.7`, `tier_share.<tier>`, `event_attendance_rate.<activity>`).
pub fn ids(plan: &crate::model::plan::Plan, people: &People) -> Vec<String> {
    let mut ids = Vec::new();
    if people.members.is_some() {
        ids.extend(
            [
                "repurchase_rate",
                "buyer_penetration",
                "cac_customer",
                "new_high_value_members",
            ]
            .map(String::from),
        );
        ids.extend(retention_ids(plan, "retention_membership"));
        if people.members.is_some_and(|m| m.writers.is_some()) {
            ids.extend(retention_ids(plan, "retention_activity"));
        }
        ids.extend(
            plan.community
                .tiers
                .iter()
                .map(|t| format!("tier_share.{}", t.id)),
        );
    }
    if people.attendance.is_some() {
        ids.extend(["event_coverage", "event_attendance_rate"].map(String::from));
        ids.extend(
            plan.activities
                .iter()
                .map(|a| format!("event_attendance_rate.{}", a.id)),
        );
    }
    ids
}

/// `<family>.7`, `<family>.30` and every other day a target of the plan names, in order.
fn retention_ids(plan: &crate::model::plan::Plan, family: &str) -> Vec<String> {
    let mut days: Vec<u32> = RETENTION_DAYS.to_vec();
    days.extend(plan.targets.iter().filter_map(|t| {
        t.metric
            .strip_prefix(family)
            .and_then(|rest| rest.strip_prefix('.'))
            .and_then(|n| n.parse::<u32>().ok())
    }));
    days.sort_unstable();
    days.dedup();
    days.iter().map(|n| format!("{family}.{n}")).collect()
}

fn members<'a>(inp: &Inputs<'a>) -> Result<&'a Members, Undefined> {
    inp.people.members.ok_or(Undefined::Needs(Export::Members))
}

/// The file's rows, once it is known to have `column`.
fn with_column<'a>(inp: &Inputs<'a>, column: &'static str) -> Result<&'a [Member], Undefined> {
    let m = members(inp)?;
    if !m.columns.contains(column) {
        return Err(Undefined::MemberColumnMissing(column));
    }
    Ok(&m.rows)
}

/// The rows of those who were members on some day of the window, once the file is known to
/// have `column`: someone who left before it began counts as no buyer and no new high-value
/// member of this campaign, whatever the list says of them.
fn members_in_window<'a>(
    inp: &Inputs<'a>,
    column: &'static str,
) -> Result<Vec<&'a Member>, Undefined> {
    let w = &inp.window;
    Ok(with_column(inp, column)?
        .iter()
        .filter(|m| m.member_during(w.start, w.end))
        .collect())
}

/// Every window member's orders in the window; an empty cell is unknown, and one unknown makes
/// every figure over orders unknown (it could be any member's second order).
fn orders(inp: &Inputs) -> Result<Vec<u32>, Undefined> {
    let rows = members_in_window(inp, "orders_in_window")?;
    let unknown = rows.iter().filter(|m| m.orders_in_window.is_none()).count();
    if unknown > 0 {
        return Err(Undefined::EmptyCells {
            column: "orders_in_window",
            members: unknown,
        });
    }
    Ok(rows.iter().filter_map(|m| m.orders_in_window).collect())
}

/// Window members with ≥ 2 orders in the window ÷ those with ≥ 1, leavers included.
fn repurchase_rate(inp: &Inputs) -> Value {
    let orders = orders(inp)?;
    let buyers = orders.iter().filter(|&&n| n >= 1).count();
    let repeat = orders.iter().filter(|&&n| n >= 2).count();
    share(repeat, buyers, Undefined::NoBuyers)
}

/// Window members who bought in it (leavers included) ÷ members present on its last day.
fn buyer_penetration(inp: &Inputs) -> Value {
    let orders = orders(inp)?;
    let buyers = orders.iter().filter(|&&n| n >= 1).count();
    let present = present_on(inp, inp.window.end)?.len();
    share(buyers, present, Undefined::NoPresentMembers)
}

/// Actual cost of the acquisition categories in the window ÷ members whose first order falls
/// in it (an empty `first_order_on` is a member who never ordered).
fn cac_customer(inp: &Inputs) -> Value {
    let rows = members_in_window(inp, "first_order_on")?;
    let w = &inp.window;
    let new = rows
        .iter()
        .filter(|m| m.first_order_on.is_some_and(|d| w.start <= d && d <= w.end))
        .count();
    let ac = acquisition_cost(inp)?;
    if new == 0 {
        return Err(Undefined::NoNewBuyers);
    }
    Ok(to_f64(ac) / new as f64)
}

/// Window members whose `tier_since` in a `high_value` tier falls in it, leavers included.
fn new_high_value_members(inp: &Inputs) -> Value {
    let rows = members_in_window(inp, "tier")?;
    with_column(inp, "tier_since")?;
    let high: Vec<&str> = inp
        .plan
        .community
        .tiers
        .iter()
        .filter(|t| t.high_value)
        .map(|t| t.id.as_str())
        .collect();
    if high.is_empty() {
        return Err(Undefined::NoHighValueTier);
    }
    let in_high = rows
        .iter()
        .filter(|m| m.tier.as_deref().is_some_and(|t| high.contains(&t)));
    let unknown = in_high.clone().filter(|m| m.tier_since.is_none()).count();
    if unknown > 0 {
        return Err(Undefined::EmptyCells {
            column: "tier_since",
            members: unknown,
        });
    }
    let w = &inp.window;
    Ok(in_high
        .filter(|m| m.tier_since.is_some_and(|d| w.start <= d && d <= w.end))
        .count() as f64)
}

/// Of the members who joined in the window and have been members `n` days by the report date
/// (`joined_on + n ≤ as-of`), pooled, those still members on day `n` (`left_on` empty or
/// later). Later joiners are censored: never counted as lost, nor as kept.
fn retention_membership(inp: &Inputs, n: u32) -> Value {
    // A list of those still here has everyone retained: leave days are the figure.
    let rows = with_column(inp, "left_on")?;
    let w = &inp.window;
    let as_of = inp.people.as_of.unwrap_or(w.end);
    let mut cohort = 0usize;
    let mut kept = 0usize;
    for m in rows {
        if m.joined_on < w.start || m.joined_on > w.end {
            continue;
        }
        let Ok(day_n) = m
            .joined_on
            .checked_add(jiff::Span::new().days(i64::from(n)))
        else {
            continue;
        };
        if day_n > as_of {
            continue;
        }
        cohort += 1;
        if m.left_on.is_none_or(|left| left > day_n) {
            kept += 1;
        }
    }
    share(kept, cohort, Undefined::AllCensored { days: n })
}

/// Of the members who joined in the window whose day `n` (`joined_on + n`) the message log
/// covers by the report date, those who wrote on that day (the classic day-N definition,
/// calendar days in the plan's timezone). Needs a log whose writers are the members' ids.
fn retention_activity(inp: &Inputs, n: u32) -> Value {
    let m = members(inp)?;
    let writers = m
        .writers
        .as_ref()
        .ok_or(Undefined::Needs(Export::ActivityLog))?;
    if !m.rows.iter().any(|r| writers.days.contains_key(&r.id)) {
        return Err(Undefined::WritersNotMembers);
    }
    let w = &inp.window;
    let as_of = inp.people.as_of.unwrap_or(w.end);
    let through = writers.through.map_or(as_of, |t| t.min(as_of));
    let (mut cohort, mut kept) = (0usize, 0usize);
    for member in &m.rows {
        if member.joined_on < w.start || member.joined_on > w.end {
            continue;
        }
        let Ok(day_n) = member
            .joined_on
            .checked_add(jiff::Span::new().days(i64::from(n)))
        else {
            continue;
        };
        if day_n > through || day_n < writers.known_from {
            continue;
        }
        cohort += 1;
        if writers.wrote_on(member.id, day_n) {
            kept += 1;
        }
    }
    share(kept, cohort, Undefined::AllCensored { days: n })
}

/// Members present on the window's last day in `tier` ÷ members present then.
fn tier_share(inp: &Inputs, tier: &str) -> Value {
    with_column(inp, "tier")?;
    if !inp.plan.community.tiers.iter().any(|t| t.id == tier) {
        return Err(Undefined::NotComputed(format!("tier_share.{tier}")));
    }
    let present = present_on(inp, inp.window.end)?;
    let in_tier = present
        .iter()
        .filter(|m| m.tier.as_deref() == Some(tier))
        .count();
    share(in_tier, present.len(), Undefined::NoPresentMembers)
}

/// The community's members on `day`: the daily export's, or without it the members file's
/// members present that day.
fn members_on(inp: &Inputs, day: Date) -> Result<Decimal, Undefined> {
    if inp.window.all.present.contains("members") {
        return inp
            .window
            .all
            .get(&day)
            .and_then(|r| r.get("members"))
            .ok_or(Undefined::NoMembersOnDay);
    }
    match inp.people.members {
        Some(_) => Ok(Decimal::from(present_on(inp, day)?.len())),
        None => Err(Undefined::NoMembersOnDay),
    }
}

/// The members file's members on `day`, when it can tell (docs/members.md#who-is-a-member).
fn present_on<'a>(inp: &Inputs<'a>, day: Date) -> Result<Vec<&'a Member>, Undefined> {
    let m = members(inp)?;
    m.present_on(day).ok_or(Undefined::NoLeaveDates {
        day,
        exported_on: m.exported_on,
    })
}

/// An activity's day: the plan's (`date`, or `start`), else the activities file's.
fn activity_day(inp: &Inputs, attendance: &Attendance, id: &str) -> Option<Date> {
    let planned = inp
        .plan
        .activities
        .iter()
        .find(|a| a.id == id)
        .and_then(|a| a.date.or(a.start));
    planned.or_else(|| attendance.counts.get(id).and_then(|c| c.date))
}

/// The activities of the file held in the window (undated ones too: the file says they took
/// place), in id order.
fn held(inp: &Inputs, attendance: &Attendance) -> Vec<String> {
    let w = &inp.window;
    attendance
        .activities()
        .filter(|id| activity_day(inp, attendance, id).is_none_or(|d| w.start <= d && d <= w.end))
        .cloned()
        .collect()
}

fn attendance<'a>(inp: &Inputs<'a>) -> Result<&'a Attendance, Undefined> {
    inp.people
        .attendance
        .ok_or(Undefined::Needs(Export::Activities))
}

/// Distinct attendees of the window's activities ÷ members on its last day. Attendance counts
/// per activity give the union only through every activity's `unique_new_participants`; a sum
/// of participants counts people once per activity and is never used.
fn event_coverage(inp: &Inputs) -> Value {
    let a = attendance(inp)?;
    let held = held(inp, a);
    if held.is_empty() {
        return Err(Undefined::NoActivitiesHeld);
    }
    let mut union: Vec<_> = Vec::new();
    let mut counted = 0u64;
    for id in &held {
        if let Some(ids) = a.attendees.get(id) {
            union.extend(ids.iter().copied());
        } else {
            match a.counts.get(id).and_then(|c| c.unique_new_participants) {
                Some(n) => counted += u64::from(n),
                None => return Err(Undefined::ParticipantsNotUnique),
            }
        }
    }
    if counted > 0 && !union.is_empty() {
        // Some activities name people, others count new ones: the two cannot be joined.
        return Err(Undefined::ParticipantsNotUnique);
    }
    union.sort();
    union.dedup();
    let attendees = Decimal::from(union.len() as u64 + counted);
    let members = members_on(inp, inp.window.end)?;
    ratio(attendees, members)
        .filter(|x| x.is_finite())
        .ok_or(Undefined::NoMembers)
}

/// One activity's participants ÷ members on its day; without `activity`, the window's
/// activities pooled (Σ participants ÷ Σ members on their days).
fn attendance_rate(inp: &Inputs, activity: Option<&str>) -> Value {
    let a = attendance(inp)?;
    let ids: Vec<String> = match activity {
        Some(id) => vec![id.to_string()],
        None => held(inp, a),
    };
    if ids.is_empty() {
        return Err(Undefined::NoActivitiesHeld);
    }
    let (mut came, mut could) = (Decimal::ZERO, Decimal::ZERO);
    for id in &ids {
        let participants = a.participants(id).ok_or(Undefined::NoAttendance)?;
        let day = activity_day(inp, a, id).ok_or(Undefined::NoActivityDate)?;
        came += Decimal::from(participants);
        could += members_on(inp, day)?;
    }
    ratio(came, could)
        .filter(|x| x.is_finite())
        .ok_or(Undefined::NoMembers)
}

fn share(part: usize, whole: usize, why: Undefined) -> Value {
    if whole == 0 {
        return Err(why);
    }
    Ok(part as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalog::{CATALOG, FAMILIES, FROM_MEMBER_FILES, Source};
    use crate::model::table::Days;

    /// The catalog says which external metrics are computed (the reference's "needs" column
    /// reads it); this pins that list to the formulas here, both ways.
    #[test]
    fn the_catalog_lists_exactly_the_member_level_formulas() {
        let plan = crate::inputs::parse_plan(
            std::path::Path::new("plan.yaml"),
            include_str!("../../tests/fixtures/base/content/campaigns/demo/plan.yaml"),
        )
        .unwrap()
        .0;
        let days = Days::default();
        let day = jiff::civil::date(2025, 7, 1);
        let inputs = Inputs {
            plan: &plan,
            window: super::super::window::Window::new(&days, day, day),
            ledger: &[],
            has_ledger: false,
            people: People::default(),
        };
        for m in CATALOG {
            let Source::External(_) = m.source else {
                continue;
            };
            let id = if FAMILIES.contains(&m.id) {
                format!("{}.7", m.id)
            } else {
                m.id.to_string()
            };
            // tier_conversion has an arm only to say what it needs: a tier history.
            let computed = metric(&id, &inputs).is_some() && m.id != "tier_conversion";
            assert_eq!(
                computed,
                FROM_MEMBER_FILES.contains(&m.id),
                "{}: computed here, listed in the catalog",
                m.id
            );
        }
    }
}
