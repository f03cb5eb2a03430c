//! The members file (`data.members`, docs/members.md#the-members-file): one row per member, with
//! when they joined and left, their tier, orders and last activity. Ids become keyed hashes as
//! they are read; a problem is told by line and column, never with the row shown.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use jiff::tz::TimeZone;

use super::SourceSettings;
use super::keyed::{Row, read_keyed};
use super::personal::Pseudonymizer;
use super::value;
use crate::diag::Diagnostic;
use crate::model::columns::MEMBER_COLUMNS;
use crate::model::members::{Member, MemberId, Members};
use crate::model::plan::Tier;
use crate::model::values::Date;

/// What reading a members file needs from the plan.
pub struct MembersContext<'a> {
    pub tz: TimeZone,
    /// The plan's tiers, lowest first.
    pub tiers: &'a [Tier],
    /// The source's `tier_map` (export word → tier id).
    pub tier_map: &'a BTreeMap<String, String>,
    /// The source's `exported_on`.
    pub exported_on: Option<Date>,
    pub ids: &'a Pseudonymizer,
}

/// Reads the members source. A member on several rows (a customer added by two staff, split
/// exports that overlap) is one member: joined on the earliest day, left only if every row says
/// so (on the latest day), in the highest tier any row gives, with the most orders any row
/// counts (overlapping exports count the same orders twice; a sum would too).
pub fn read(
    root: &Path,
    settings: &SourceSettings,
    ctx: &MembersContext,
) -> (Option<Members>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let rule = settings.date_rule();
    let mut by_id: BTreeMap<MemberId, Member> = BTreeMap::new();
    let mut columns = BTreeSet::new();
    let mut repeated = 0usize;
    let mut untiered: BTreeSet<String> = BTreeSet::new();
    let mut untiered_rows = 0usize;
    let files = read_keyed(
        root,
        settings,
        MEMBER_COLUMNS,
        "joined_on",
        &mut diags,
        |row, diags| {
            for (name, _, _) in MEMBER_COLUMNS {
                if row.columns.contains_key(*name) {
                    columns.insert(*name);
                }
            }
            let Some(member) = parse_row(row, &rule, ctx, diags, &mut untiered, &mut untiered_rows)
            else {
                return;
            };
            match by_id.entry(member.id) {
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(member);
                }
                std::collections::btree_map::Entry::Occupied(mut o) => {
                    repeated += 1;
                    merge(o.get_mut(), member, ctx.tiers);
                }
            }
        },
    );
    if repeated > 0 {
        diags.push(
            Diagnostic::note(
                "member-repeated",
                &settings.declared_in,
                format!("{repeated} row(s) repeat a member of an earlier row: each member is counted once"),
            )
            .field(format!("data.{}.path", settings.name))
            .help("a customer added by two staff, or exports that overlap, list a member twice; the earliest join, the highest tier and the most orders are kept"),
        );
    }
    if untiered_rows > 0 {
        let words: Vec<String> = untiered.iter().take(8).map(|w| format!("`{w}`")).collect();
        diags.push(
            Diagnostic::warning(
                "tier-not-found",
                &settings.declared_in,
                format!("{untiered_rows} member(s) have a tier cell naming no tier of the plan: they count in no tier"),
            )
            .field(format!("data.{}.tier_map", settings.name))
            .found(words.join(", "))
            .expected("a tier id or name of `community.tiers`")
            .help("map the export's words to tier ids, and words that are no tier to \"\": `tier_map: {核心用户: core, 北京: \"\"}`"),
        );
    }
    if files.is_empty() {
        return (None, diags);
    }
    let members = Members {
        rows: by_id.into_values().collect(),
        columns,
        exported_on: ctx.exported_on,
        writers: None,
        files,
    };
    (Some(members), diags)
}

/// One row as a member, or `None` (with its problems pushed) when it cannot be one.
fn parse_row(
    row: &Row,
    rule: &value::DateRule,
    ctx: &MembersContext,
    diags: &mut Vec<Diagnostic>,
    untiered: &mut BTreeSet<String>,
    untiered_rows: &mut usize,
) -> Option<Member> {
    let header = |c: &str| row.header_of(c);
    let error = |code: &'static str, column: &str, message: String| {
        row.private_error(code, column, message)
    };
    let Some(raw_id) = row.cell("member_id") else {
        diags.push(
            error(
                "missing-value",
                "member_id",
                "the member id is empty".into(),
            )
            .help("every member needs the id the platform gives them; delete rows without one"),
        );
        return None;
    };
    let mut bad = false;
    let mut date = |column: &str, diags: &mut Vec<Diagnostic>| -> Option<Date> {
        let text = row.cell(column)?;
        match value::parse_date(&text, rule, &ctx.tz, row.stamps) {
            Ok(p) => Some(p.date),
            Err(msg) => {
                bad = true;
                diags.push(
                    error("bad-date", column, format!("`{}`: {msg}", header(column)))
                        .expected("a date such as 2025-07-01 or a timestamp")
                        .help("set `date_format` on the source (strftime) if the export writes dates another way"),
                );
                None
            }
        }
    };
    let joined_on = date("joined_on", diags);
    let left_on = date("left_on", diags);
    let tier_since = date("tier_since", diags);
    let first_order_on = date("first_order_on", diags);
    let last_active_on = date("last_active_on", diags);
    let Some(joined_on) = joined_on else {
        if !bad {
            diags.push(
                error(
                    "missing-date",
                    "joined_on",
                    "the day the member joined is empty".into(),
                )
                .help("every member needs the day they joined"),
            );
        }
        return None;
    };
    if bad {
        return None;
    }
    if let Some(left) = left_on
        && left < joined_on
    {
        diags.push(
            error(
                "left-before-joined",
                "left_on",
                format!("the member left on {left}, before joining on {joined_on}"),
            )
            .help("check the export's columns: a member leaves on or after the day they join"),
        );
        return None;
    }
    let orders_in_window = match row.cell("orders_in_window") {
        None => None,
        Some(text) => match value::parse_number(&text)
            .ok()
            .filter(|n| n.fract().is_zero() && !n.is_sign_negative())
            .and_then(|n| u32::try_from(n).ok())
        {
            Some(n) => Some(n),
            None => {
                diags.push(
                    error(
                        "bad-number",
                        "orders_in_window",
                        format!("`{}` is not a count of orders", header("orders_in_window")),
                    )
                    .expected("a whole number, 0 or more")
                    .help("write the member's orders in the campaign window as a whole number"),
                );
                return None;
            }
        },
    };
    let tier = match row.cell("tier") {
        None => None,
        Some(text) => {
            let found = tier_of(&text, ctx);
            if found.is_none() && !all_tags_left_out(&text, ctx) {
                *untiered_rows += 1;
                if untiered.len() < 8 {
                    untiered.insert(text.trim().to_string());
                }
            }
            found
        }
    };
    Some(Member {
        id: ctx.ids.member(&raw_id),
        joined_on,
        left_on,
        tier,
        tier_since,
        source: row.cell("source").map(|s| s.trim().to_string()),
        first_order_on,
        orders_in_window,
        last_active_on,
    })
}

/// A cell's tags: `核心用户,北京` → `核心用户`, `北京`.
fn tags(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([',', '，', ';', '；', '、', '|'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// Whether every tag of the cell is mapped to `""` in `tier_map`: words the plan says are no
/// tier (a city, a campaign tag), so a member with only those is in no tier without a warning.
fn all_tags_left_out(cell: &str, ctx: &MembersContext) -> bool {
    tags(cell).all(|tag| ctx.tier_map.get(tag).is_some_and(|id| id.trim().is_empty()))
}

/// The tier a cell names: the cell, or each of its tags (`核心用户,北京`), through `tier_map`,
/// then as a tier id, name or criteria; the highest tier named wins.
fn tier_of(cell: &str, ctx: &MembersContext) -> Option<String> {
    let tags = std::iter::once(cell.trim()).chain(tags(cell));
    tags.filter_map(|tag| {
        let id = ctx.tier_map.get(tag).map_or(tag, String::as_str);
        ctx.tiers
            .iter()
            .position(|t| t.id == id || t.name == id || t.criteria == id)
    })
    .max()
    .map(|i| ctx.tiers[i].id.clone())
}

/// `row` folded into `kept`, the same member read again.
fn merge(kept: &mut Member, row: Member, tiers: &[Tier]) {
    kept.joined_on = kept.joined_on.min(row.joined_on);
    kept.left_on = match (kept.left_on, row.left_on) {
        (Some(a), Some(b)) => Some(a.max(b)),
        _ => None,
    };
    let rank = |t: &Option<String>| {
        t.as_ref()
            .and_then(|id| tiers.iter().position(|x| &x.id == id))
    };
    if rank(&row.tier) > rank(&kept.tier) {
        kept.tier = row.tier;
        kept.tier_since = row.tier_since;
    }
    kept.first_order_on = min_some(kept.first_order_on, row.first_order_on);
    kept.orders_in_window = kept.orders_in_window.max(row.orders_in_window);
    kept.last_active_on = kept.last_active_on.max(row.last_active_on);
    if kept.source.is_none() {
        kept.source = row.source;
    }
}

fn min_some(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
