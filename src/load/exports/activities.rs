//! The activities file (`data.activities`, docs/members.md#the-activities-file): who attended
//! each activity (`activity_id, member_id`), or a count per activity (`activity_id, date,
//! participants, unique_new_participants`). Attendees are keyed hashes, as members are.

use std::collections::BTreeSet;
use std::path::Path;

use jiff::tz::TimeZone;

use super::SourceSettings;
use super::keyed::read_keyed;
use super::personal::Pseudonymizer;
use super::value;
use crate::diag::{Diagnostic, did_you_mean};
use crate::model::columns::ACTIVITY_COLUMNS;
use crate::model::members::{ActivityCount, Attendance};

/// Reads the activities source; `activities` are the plan's activity ids.
pub fn read(
    root: &Path,
    settings: &SourceSettings,
    tz: &TimeZone,
    activities: &BTreeSet<&str>,
    ids: &Pseudonymizer,
) -> (Option<Attendance>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut out = Attendance::default();
    let rule = settings.date_rule();
    // Files with neither an attendee nor a count column: said once each, not on every row.
    let mut unkeyed = BTreeSet::new();
    let files = read_keyed(
        root,
        settings,
        ACTIVITY_COLUMNS,
        "date",
        &mut diags,
        |row, diags| {
            if row.columns.contains_key("member_id") || row.columns.contains_key("participants") {
                read_row(row, &rule, tz, activities, ids, &mut out, diags);
            } else if unkeyed.insert(row.file) {
                diags.push(no_attendee_column(row, settings.name));
            }
        },
    );
    // One member at one activity is one attendance, however many rows (sign-in and sign-out).
    for ids in out.attendees.values_mut() {
        ids.sort();
        ids.dedup();
    }
    if files.is_empty() {
        return (None, diags);
    }
    out.files = files;
    (Some(out), diags)
}

/// The error for a file that says neither who attended nor how many: its headers, and the
/// headers qunce knows for the two columns.
fn no_attendee_column(row: &crate::load::exports::keyed::Row, source: &str) -> Diagnostic {
    let known = |name: &str| {
        ACTIVITY_COLUMNS
            .iter()
            .find(|(c, _, _)| *c == name)
            .map(|(c, _, aliases)| {
                std::iter::once(*c)
                    .chain(aliases.iter().copied())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    };
    // The headers go in the message: a member-level file's `found` is never shown.
    let headers: Vec<String> = row.headers.iter().map(|h| format!("`{h}`")).collect();
    Diagnostic::error(
        "missing-column",
        row.rel,
        format!(
            "no column says who attended (`member_id`) or how many (`participants`): the headers are {}",
            headers.join(", ")
        ),
    )
    .at_line(row.line())
    .expected(format!(
        "a member id header ({}) or a participants header ({})",
        known("member_id"),
        known("participants")
    ))
    .help(format!(
        "map your attendee column: `data.{source}.columns: {{member_id: <your header>}}`"
    ))
}

/// One row of the activities file into `out`: an attendee, or an activity's counts.
fn read_row(
    row: &crate::load::exports::keyed::Row,
    rule: &value::DateRule,
    tz: &TimeZone,
    activities: &BTreeSet<&str>,
    ids: &Pseudonymizer,
    out: &mut Attendance,
    diags: &mut Vec<Diagnostic>,
) {
    let error = |code: &'static str, column: &str, message: String| {
        row.private_error(code, column, message)
    };
    let Some(activity) = row.cell("activity_id").map(|a| a.trim().to_string()) else {
        diags.push(
            error(
                "missing-value",
                "activity_id",
                "the activity id is empty".into(),
            )
            .help("every row names the activity of the plan it is about"),
        );
        return;
    };
    if !activities.contains(activity.as_str()) {
        let mut d = error(
            "unknown-activity",
            "activity_id",
            format!("activity `{activity}` is not in the plan's `activities`"),
        );
        d = match did_you_mean(&activity, activities.iter().copied()) {
            Some(best) => d.help(format!("did you mean `{best}`?")),
            None => d.help("use an id from the plan's `activities`"),
        };
        diags.push(d);
        return;
    }
    if let Some(member) = row.cell("member_id") {
        out.attendees
            .entry(activity)
            .or_default()
            .push(ids.member(&member));
        return;
    }
    let count = |column: &str, diags: &mut Vec<Diagnostic>| -> Result<Option<u32>, ()> {
        let Some(text) = row.cell(column) else {
            return Ok(None);
        };
        match value::parse_number(&text)
            .ok()
            .filter(|n| n.fract().is_zero() && !n.is_sign_negative())
            .and_then(|n| u32::try_from(n).ok())
        {
            Some(n) => Ok(Some(n)),
            None => {
                diags.push(
                    error(
                        "bad-number",
                        column,
                        format!("`{text}` is not a count of people"),
                    )
                    .expected("a whole number, 0 or more"),
                );
                Err(())
            }
        }
    };
    let Ok(participants) = count("participants", diags) else {
        return;
    };
    let Ok(unique_new) = count("unique_new_participants", diags) else {
        return;
    };
    let Some(participants) = participants else {
        diags.push(
            error(
                "missing-value",
                "member_id",
                "the row names no member and counts no participants".into(),
            )
            .help("give each attendee a row with their member id, or each activity its `participants`"),
        );
        return;
    };
    let date = match row.cell("date") {
        None => None,
        Some(text) => match value::parse_date(&text, rule, tz, row.stamps) {
            Ok(p) => Some(p.date),
            Err(msg) => {
                diags.push(error("bad-date", "date", msg));
                return;
            }
        },
    };
    if out.counts.contains_key(&activity) {
        diags.push(
            error(
                "activity-repeated",
                "activity_id",
                format!("activity `{activity}` is counted on an earlier row too"),
            )
            .help("give each activity one row of counts"),
        );
        return;
    }
    out.counts.insert(
        activity,
        ActivityCount {
            date,
            participants,
            unique_new_participants: unique_new,
        },
    );
}
