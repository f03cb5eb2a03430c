//! Member-level data (`data.members`, `data.activities`): who joined and left when, their tier,
//! their orders, and who attended which activity. Members are pseudonymous by construction: an
//! id is held only as a keyed hash ([`MemberId`]), which has no way to be printed, so no id,
//! name or hash can reach a page, a diagnostic or the KPI JSON; only counts leave.

use std::collections::BTreeMap;

use super::table::SourceFile;
use super::values::Date;

/// A member, known only by a keyed hash of the id the export gave (docs/members.md#privacy).
/// It implements neither `Display` nor a `Debug` that shows the hash.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MemberId([u8; 16]);

impl MemberId {
    /// The id of the 16 bytes of a keyed hash.
    pub fn from_hash(bytes: [u8; 16]) -> Self {
        MemberId(bytes)
    }
}

impl std::fmt::Debug for MemberId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MemberId(…)")
    }
}

/// One row of the members file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: MemberId,
    /// The day they joined, in the plan's timezone.
    pub joined_on: Date,
    /// The day they left; `None` while they are a member.
    pub left_on: Option<Date>,
    /// Their tier's id in the plan (`community.tiers`), after `tier_map`.
    pub tier: Option<String>,
    /// The day they entered that tier.
    pub tier_since: Option<Date>,
    /// Where they came from (a channel id or the export's word).
    pub source: Option<String>,
    /// The day of their first order ever.
    pub first_order_on: Option<Date>,
    /// Their orders in the campaign window, as the export counts them.
    pub orders_in_window: Option<u32>,
    /// The last day they were active.
    pub last_active_on: Option<Date>,
}

impl Member {
    /// A member on `day`: joined by then and not yet left (`left_on` is the first day away).
    pub fn present_on(&self, day: Date) -> bool {
        self.joined_on <= day && self.left_on.is_none_or(|left| left > day)
    }

    /// A member on some day of `first..=last`: a list may still hold people who had left
    /// before the campaign began, or joined after it ended, and they were never its members.
    pub fn member_during(&self, first: Date, last: Date) -> bool {
        self.joined_on <= last && self.left_on.is_none_or(|left| left > first)
    }
}

/// The members file of a campaign, with which of its optional columns it has: a column the
/// export lacks makes the metrics that need it not computable, never 0.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Members {
    pub rows: Vec<Member>,
    /// Optional columns the files mapped (`tier`, `tier_since`, `orders_in_window` …).
    pub columns: std::collections::BTreeSet<&'static str>,
    /// Without `left_on`: the day the list was exported (`exported_on`), the one day whose
    /// members it gives.
    pub exported_on: Option<Date>,
    /// The days each member wrote, when a message log's writers are the members' ids.
    pub writers: Option<Writers>,
    /// The files read.
    pub files: Vec<SourceFile>,
}

/// The days each member wrote, from a message log whose writers are the members' ids
/// (`retention_activity.<N>`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Writers {
    /// Each writer's days, sorted.
    pub days: BTreeMap<MemberId, Vec<Date>>,
    /// The first day the log is complete from.
    pub known_from: Date,
    /// The last day it is complete to (`covers.end`); `None`: up to the report date.
    pub through: Option<Date>,
}

impl Writers {
    /// Both logs' writers: a member's days from either, the coverage both share.
    pub fn union(mut self, other: Writers) -> Writers {
        for (id, days) in other.days {
            let mine = self.days.entry(id).or_default();
            mine.extend(days);
            mine.sort_unstable();
            mine.dedup();
        }
        self.known_from = self.known_from.max(other.known_from);
        self.through = match (self.through, other.through) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self
    }

    /// Whether `member` wrote on `day`.
    pub fn wrote_on(&self, member: MemberId, day: Date) -> bool {
        self.days
            .get(&member)
            .is_some_and(|d| d.binary_search(&day).is_ok())
    }
}

/// What `data.activities` gives: who attended (one row per member and activity), or a count
/// per activity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attendance {
    /// Attendees per activity id, when the file names members.
    pub attendees: BTreeMap<String, Vec<MemberId>>,
    /// Counts per activity id, when the file gives them instead.
    pub counts: BTreeMap<String, ActivityCount>,
    /// The files read.
    pub files: Vec<SourceFile>,
}

/// One activity's counted participants (the per-activity form of the file).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityCount {
    /// The day it took place, if the file says.
    pub date: Option<Date>,
    pub participants: u32,
    /// Participants not at any earlier activity of the file, if the file says: summed, they
    /// give the union of attendees without naming anyone.
    pub unique_new_participants: Option<u32>,
}

impl Members {
    /// The members on `day`, or `None` when the file cannot tell: a list without `left_on`
    /// gives only the members of the day it was exported.
    pub fn present_on(&self, day: Date) -> Option<Vec<&Member>> {
        if !self.columns.contains("left_on") && self.exported_on != Some(day) {
            return None;
        }
        Some(self.rows.iter().filter(|m| m.present_on(day)).collect())
    }
}

impl Attendance {
    /// The activity ids the file names, in order.
    pub fn activities(&self) -> impl Iterator<Item = &String> {
        let mut ids: Vec<&String> = self.attendees.keys().chain(self.counts.keys()).collect();
        ids.sort();
        ids.dedup();
        ids.into_iter()
    }

    /// Participants of `activity` (distinct members, or the file's count).
    pub fn participants(&self, activity: &str) -> Option<u32> {
        if let Some(ids) = self.attendees.get(activity) {
            return u32::try_from(ids.len()).ok();
        }
        self.counts.get(activity).map(|c| c.participants)
    }
}
