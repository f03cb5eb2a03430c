//! The daily metrics export (docs/reference.md#daily-export-columns) → [`DailyTable`]. Streams
//! every file of the glob once, folding records into per-(date, group) rows, so memory grows with
//! days, not rows.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use rust_decimal::Decimal;

use super::header::{Candidates, map_headers, normalize};
use super::value::{self, DateRule, DayMonth};
use super::{OpenCsv, SourceSettings, cell_error};
use crate::diag::{Diagnostic, did_you_mean};
use crate::model::columns::{
    DAILY_COLUMNS, DATE_ALIASES, GROUP_ALIASES, Nature, SOURCE_ALIASES, ValueKind, daily_index,
    daily_names,
};
use crate::model::plan::{Carrier, PercentScale, Period};
use crate::model::table::{DailyTable, DayRow, SourceFile};

mod columns;
mod granularity;
use columns::{plan_columns, scan_order};
use granularity::{DateLines, differences, spacing};

/// What the daily reader needs from the plan.
#[derive(Debug, Clone)]
pub struct DailyContext<'a> {
    /// `campaign.timezone`.
    pub tz: TimeZone,
    /// `campaign.currency`.
    pub currency: &'a str,
    /// Carriers: a group cell may hold a carrier's id or its name.
    pub carriers: &'a [Carrier],
    /// The campaign period: an export with no row inside it is an error.
    pub period: Period,
}

/// Reads every file of the daily source. Returns the table (if any file was readable) and every
/// problem found.
pub fn read(
    root: &Path,
    settings: &SourceSettings,
    ctx: &DailyContext,
) -> (DailyTable, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut table = DailyTable::default();
    let files = settings.files(root, &mut diags);
    if files.is_empty() {
        return (table, diags);
    }
    let mut skipped = Vec::new();
    let mut used = Vec::new();
    let mut cumulative: BTreeMap<usize, String> = BTreeMap::new();
    let mut lines: DateLines = BTreeMap::new();
    for rel in &files {
        // A profile that names its file types reads each file with that type's columns.
        let narrowed = match settings.profile.as_ref().map(|p| p.for_file(rel)) {
            Some(None) => {
                skipped.push(rel);
                continue;
            }
            Some(Some(p)) => Some(SourceSettings {
                profile: Some(p),
                ..settings.clone()
            }),
            None => None,
        };
        used.push(rel.clone());
        let file_settings = super::file_settings(root, rel, narrowed.as_ref().unwrap_or(settings));
        let rows = read_file(
            root,
            rel,
            &file_settings,
            ctx,
            &mut table,
            &mut cumulative,
            &mut lines,
            &mut diags,
        );
        if let Some((encoding, rows, sha256)) = rows {
            table.files.push(SourceFile {
                path: rel.clone(),
                encoding,
                rows,
                sha256,
            });
        }
    }
    if !skipped.is_empty() {
        let names: Vec<String> = skipped
            .iter()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect();
        let profile = settings.profile.as_ref().map_or("", |p| p.profile.as_str());
        diags.push(
            Diagnostic::note(
                "file-skipped",
                &settings.declared_in,
                format!(
                    "{} file(s) matched by `{}` are not read by profile `{profile}`: {}",
                    skipped.len(),
                    settings.path,
                    names.join(", ")
                ),
            )
            .field(format!("data.{}.path", settings.name)),
        );
    }
    if used.is_empty() {
        diags.push(
            Diagnostic::error(
                "data-missing",
                &settings.declared_in,
                format!(
                    "none of the files matched by `{}` is one the profile reads",
                    settings.path
                ),
            )
            .field(format!("data.{}.path", settings.name))
            .help("point the glob at the download folder that holds the export's files"),
        );
    } else if table.files.len() == used.len() {
        table.spacing = spacing(settings, &lines, &mut diags);
        differences(&mut table, &cumulative, &used[0], &mut diags);
        check_required(&table, settings, &used[0], &mut diags);
        // No row in the period is a consequence of unreadable dates, already reported.
        let unreadable_dates = diags
            .iter()
            .any(|d| matches!(d.code, "bad-date" | "ambiguous-date"));
        if !unreadable_dates {
            check_window(&table, settings, ctx, &used, &mut diags);
        }
    }
    (table, diags)
}

/// A daily export must give at least one canonical value column. None is required on its own
/// (`members` included): a metric that lacks its column is "not computable", with the reason.
fn check_required(
    table: &DailyTable,
    settings: &SourceSettings,
    first: &Path,
    diags: &mut Vec<Diagnostic>,
) {
    if table.present.is_empty() {
        diags.push(
            Diagnostic::error(
                "missing-column",
                first,
                "no header of the daily export maps to a canonical daily column",
            )
            .at_line(1)
            .expected("headers such as 群成员数, 发言人数, 发言数 (members, speakers, messages)")
            .help(format!(
                "map them in the plan: `data.{}.columns: {{members: <your header>}}`, or name a `profile`",
                settings.name
            )),
        );
    }
}

fn check_window(
    table: &DailyTable,
    settings: &SourceSettings,
    ctx: &DailyContext,
    files: &[PathBuf],
    diags: &mut Vec<Diagnostic>,
) {
    // A weekly or monthly row is inside when its bucket overlaps the period.
    let inside = table
        .rows
        .keys()
        .filter(|(d, _)| *d <= ctx.period.end && table.spacing.bucket_end(*d) >= ctx.period.start)
        .count();
    if inside > 0 {
        return;
    }
    let found = match table.date_range() {
        Some((a, b)) => format!("dates {a} … {b}"),
        None => "no data rows".to_string(),
    };
    let path = files
        .first()
        .map_or(settings.declared_in.clone(), Clone::clone);
    diags.push(
        Diagnostic::error(
            "empty-export",
            path,
            format!(
                "the daily export has no row inside the campaign period {} … {}",
                ctx.period.start, ctx.period.end
            ),
        )
        .found(found)
        .expected(format!("rows dated {} … {}", ctx.period.start, ctx.period.end))
        .help("check that `data.daily.path` points at this campaign's export and that dates parse as intended"),
    );
}

/// The per-file column plan: which header index feeds which canonical column.
struct FileColumns {
    date: usize,
    group: Option<usize>,
    values: Vec<(usize, usize)>,
    breakdown: bool,
    derived: Vec<DerivedCol>,
}

impl FileColumns {
    /// The index of the last header this file's plan reads.
    fn last_read(&self) -> usize {
        let derived = self.derived.iter().flat_map(|d| {
            let times = match d.times {
                TimesSource::Header(h) => Some(h),
                TimesSource::Column(_) => None,
            };
            std::iter::once(d.pct).chain(times)
        });
        std::iter::once(self.date)
            .chain(self.group)
            .chain(self.values.iter().map(|(_, h)| *h))
            .chain(derived)
            .max()
            .unwrap_or(0)
    }
}

struct DerivedCol {
    target: usize,
    pct: usize,
    times: TimesSource,
    scale: Decimal,
}

enum TimesSource {
    Column(usize),
    Header(usize),
}

#[allow(clippy::too_many_arguments)]
fn read_file(
    root: &Path,
    rel: &Path,
    settings: &SourceSettings,
    ctx: &DailyContext,
    table: &mut DailyTable,
    cumulative: &mut BTreeMap<usize, String>,
    lines: &mut DateLines,
    diags: &mut Vec<Diagnostic>,
) -> Option<(&'static str, usize, String)> {
    let abs = root.join(rel);
    let first_diag = diags.len();
    let mut csv = OpenCsv::open(root, rel, settings, diags)?;
    let (encoding, header_line) = (csv.encoding, csv.header_line);
    let headers = std::mem::take(&mut csv.headers);
    let before = diags.len();
    let columns = plan_columns(rel, &headers, settings, table, cumulative, diags);
    super::on_header_line(&mut diags[before..], rel, csv.header_line);
    let columns = columns?;
    let mut local: BTreeMap<Key, (DayRow, usize)> = BTreeMap::new();
    let mut short_warned = false;
    let tz = normalize(&headers[columns.date])
        .unit
        .and_then(|u| TimeZone::get(&u).ok())
        .unwrap_or_else(|| ctx.tz.clone());
    let mut rule = settings.date_rule();
    let mut order_scanned = false;
    let mut stamps = super::StampReading::new(settings);
    let mut assumed_zone_warned = false;
    let mut rows = 0usize;
    let mut bad_dates = super::ColumnErrors::default();
    let mut yearless_noted = false;
    let mut record = csv::StringRecord::new();
    // A short row only loses something when a cell this file reads is among those left out.
    let last_read = columns.last_read();
    while csv.next_record(rel, &mut record, diags) {
        rows += 1;
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.len() <= last_read && !short_warned {
            // Real exports (Discord's guild-activation.csv) drop trailing empty cells.
            short_warned = true;
            diags.push(
                Diagnostic::warning(
                    "short-row",
                    rel,
                    format!(
                        "row has {} fields but the header has {}; the missing trailing cells are read as missing",
                        record.len(),
                        headers.len()
                    ),
                )
                .at(line, 1)
                .snippet(super::record_snippet(&record, 0, settings.delimiter).0)
                .help("this is reported once per file; re-export with every column if values were lost"),
            );
        }
        if record.len() > headers.len() {
            diags.push(
                Diagnostic::error(
                    "ragged-row",
                    rel,
                    format!(
                        "row has {} fields but the header has {}",
                        record.len(),
                        headers.len()
                    ),
                )
                .at(line, 1)
                .snippet(super::record_snippet(&record, 0, settings.delimiter).0)
                .help("quote values that contain the delimiter, or fix the export"),
            );
            continue;
        }
        let err = |code, idx: usize, msg: String| {
            cell_error(
                code,
                rel,
                &record,
                idx,
                &headers[idx],
                settings.delimiter,
                msg,
            )
        };
        // Date.
        let Some(date_text) = value::clean(cell(&record, columns.date)) else {
            diags.push(
                err("missing-date", columns.date, "the date is empty".into())
                    .help("every row needs a date"),
            );
            continue;
        };
        if matches!(rule, DateRule::Auto { order: None })
            && !order_scanned
            && value::is_ambiguous_shape(&date_text)
        {
            order_scanned = true;
            if let Some(order) = scan_order(
                &abs,
                encoding,
                settings.sheet.as_deref(),
                settings.delimiter,
                columns.date,
                header_line,
            ) {
                rule = DateRule::Auto { order: Some(order) };
            }
        }
        let mode = stamps.mode(&date_text, &rule, || {
            let cells = super::rescan_column(
                &abs,
                encoding,
                settings.sheet.as_deref(),
                settings.delimiter,
                columns.date,
                header_line,
            );
            value::detect_stamps(cells, &rule)
        });
        let parsed: Result<value::ParsedDate, String> =
            value::parse_date(&date_text, &rule, &tz, mode).or_else(|msg| {
                // A day written without its year takes the campaign's (said once a file).
                let day = value::resolve_yearless(&date_text, &rule, ctx.period).ok_or(msg)?;
                if !yearless_noted {
                    yearless_noted = true;
                    diags.push(yearless_note(rel, Some(line), &date_text, day, ctx.period));
                }
                Ok(value::ParsedDate {
                    date: day,
                    assumed_zone: false,
                })
            });
        let date = match parsed {
            Ok(p) => {
                if p.assumed_zone && !assumed_zone_warned {
                    assumed_zone_warned = true;
                    diags.push(
                        Diagnostic::warning(
                            "timestamp-without-zone",
                            rel,
                            format!("timestamps have no zone; read them as {}", tz.iana_name().unwrap_or("the plan's timezone")),
                        )
                        .at(line, 1)
                        .field(format!("column `{}`", headers[columns.date]))
                        .help("name the zone in the header, e.g. `time(Asia/Shanghai)`, or export with an offset"),
                    );
                }
                p.date
            }
            Err(msg) => {
                let ambiguous = msg.contains("ambiguous");
                let d = err("bad-date", columns.date, msg)
                    .expected("an unambiguous date such as 2025-07-07");
                bad_dates.add(
                    if ambiguous {
                        d.code_as("ambiguous-date").help(format!(
                            "set `data.{}.date_format` to \"%d/%m/%Y\" or \"%m/%d/%Y\"",
                            settings.name
                        ))
                    } else {
                        d.help(format!("write ISO dates, or set `data.{}.date_format` (strftime, e.g. \"%Y/%m/%d\")", settings.name))
                    },
                    line,
                    &date_text,
                );
                continue;
            }
        };
        // Group.
        let group = match columns.group {
            None => None,
            Some(gi) => match value::clean(cell(&record, gi)) {
                None => {
                    diags.push(
                        err("missing-group", gi, "the group is empty".into())
                            .help("every row needs its group"),
                    );
                    continue;
                }
                Some(text) => match resolve_carrier(&text, ctx.carriers) {
                    Some(id) => Some(id),
                    None => {
                        let ids: Vec<&str> = ctx.carriers.iter().map(|c| c.id.as_str()).collect();
                        diags.push(
                            err(
                                "unknown-group",
                                gi,
                                format!("group `{text}` is not a carrier of this plan"),
                            )
                            .found(format!("`{text}`"))
                            .expected(format!("a carrier id or name: {}", ids.join(", ")))
                            .help("add the group to `community.carriers`, or fix the export"),
                        );
                        continue;
                    }
                },
            },
        };
        // Values.
        let mut row = DayRow::default();
        let mut bad = false;
        for &(ci, hi) in &columns.values {
            let col = &DAILY_COLUMNS[ci];
            let Some(text) = value::clean(cell(&record, hi)) else {
                continue;
            };
            let parsed = match col.kind {
                ValueKind::Count => value::parse_count(&text),
                ValueKind::Money => value::parse_money(&text, ctx.currency).map_err(|e| e.message),
                ValueKind::Number => value::parse_number(&text).and_then(|v| {
                    if v.is_sign_negative() && !v.is_zero() {
                        Err(format!("`{}` cannot be negative, found `{text}`", col.name))
                    } else {
                        Ok(v)
                    }
                }),
            };
            match parsed {
                Ok(v) => row.values[ci] = Some(v),
                Err(msg) => {
                    bad = true;
                    let code = if msg.contains("negative") {
                        "negative-count"
                    } else {
                        "bad-number"
                    };
                    let expected = match col.kind {
                        ValueKind::Count => "a whole, non-negative number",
                        ValueKind::Money => "an amount such as 1200.00",
                        ValueKind::Number => "a non-negative number",
                    };
                    diags.push(
                        err(code, hi, format!("`{}`: {msg}", col.name))
                            .found(format!("`{text}`"))
                            .expected(expected)
                            .help("leave the cell empty if the value is unknown; empty means missing, never 0"),
                    );
                }
            }
        }
        for d in &columns.derived {
            if row.values[d.target].is_some() {
                continue;
            }
            let pct = value::clean(cell(&record, d.pct)).and_then(|t| value::parse_number(&t).ok());
            let times = match d.times {
                TimesSource::Column(ci) => row.values[ci],
                TimesSource::Header(hi) => {
                    value::clean(cell(&record, hi)).and_then(|t| value::parse_number(&t).ok())
                }
            };
            if let (Some(p), Some(t)) = (pct, times) {
                row.values[d.target] = Some((p * d.scale * t).round());
            }
        }
        if bad {
            continue;
        }
        if let (Some(active), Some(members)) = (row.get("active_members"), row.get("members"))
            && active > members
            && !columns.breakdown
        {
            let ai = columns
                .values
                .iter()
                .find(|(c, _)| DAILY_COLUMNS[*c].name == "active_members")
                .map_or(0, |x| x.1);
            diags.push(
                err(
                    "active-exceeds-members",
                    ai,
                    format!("active_members ({active}) is greater than members ({members})"),
                )
                .expected("active_members ≤ members")
                .help("check that the two columns are not swapped and come from the same day"),
            );
            continue;
        }
        fold(
            &mut local,
            (date, group),
            row,
            line,
            columns.breakdown,
            rel,
            &record,
            settings.delimiter,
            diags,
        );
    }
    for ((date, _), (_, line)) in &local {
        lines
            .entry(*date)
            .or_insert_with(|| (rel.to_path_buf(), *line));
    }
    // One unreadable date column is one error, not one per row.
    diags.extend(bad_dates.finish());
    merge_file(table, local, rel, diags);
    super::name_sheet(&mut diags[first_diag..], rel, csv.sheet.as_deref());
    Some((encoding.name(), rows, csv.sha256()))
}

/// The note that dates without a year were given the campaign's.
pub(crate) fn yearless_note(
    rel: &Path,
    line: Option<usize>,
    text: &str,
    day: jiff::civil::Date,
    period: Period,
) -> Diagnostic {
    let note = Diagnostic::note(
        "yearless-date",
        rel,
        format!(
            "dates are written without a year (`{text}`): each takes the year that puts it in the campaign period {} … {} (`{text}` is {day})",
            period.start, period.end
        ),
    )
    .help("if a date belongs to another year, export the dates with their year");
    match line {
        Some(line) => note.at_line(line),
        None => note,
    }
}

trait CodeAs {
    fn code_as(self, code: &'static str) -> Self;
}

impl CodeAs for Diagnostic {
    fn code_as(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }
}

type Key = (jiff::civil::Date, Option<String>);

/// Folds one record into this file's rows: a repeated key is summed across a declared breakdown,
/// and is an error otherwise.
#[allow(clippy::too_many_arguments)]
fn fold(
    local: &mut BTreeMap<Key, (DayRow, usize)>,
    key: Key,
    row: DayRow,
    line: usize,
    breakdown: bool,
    rel: &Path,
    record: &csv::StringRecord,
    delimiter: u8,
    diags: &mut Vec<Diagnostic>,
) {
    let Some((existing, first_line)) = local.get_mut(&key) else {
        local.insert(key, (row, line));
        return;
    };
    if breakdown {
        for (i, v) in row.values.iter().enumerate() {
            if let Some(v) = v {
                existing.values[i] = Some(existing.values[i].unwrap_or_default() + v);
            }
        }
        return;
    }
    diags.push(
        Diagnostic::error(
            "duplicate-key",
            rel,
            format!("{} appears twice in this file (first on line {first_line})", describe(&key)),
        )
        .at(line, 1)
        .snippet(super::record_snippet(record, 0, delimiter).0)
        .help("keep one row per date and group, or declare the breakdown column in a profile (`breakdown: [...]`)"),
    );
}

/// Merges one file's rows into the table (docs/rules.md#several-files): columns the table lacks are
/// filled in, equal values are kept once with a warning, different values are an error.
fn merge_file(
    table: &mut DailyTable,
    local: BTreeMap<Key, (DayRow, usize)>,
    rel: &Path,
    diags: &mut Vec<Diagnostic>,
) {
    // Overlapping download windows repeat days: equal values merge (one note per file).
    let mut repeated: Vec<usize> = Vec::new();
    for (key, (row, line)) in local {
        let Some(existing) = table.rows.get_mut(&key) else {
            table.rows.insert(key, row);
            continue;
        };
        let mut overlap = false;
        let mut conflict = false;
        for (i, v) in row.values.iter().enumerate() {
            match (existing.values[i], v) {
                (Some(a), Some(b)) if a != *b => {
                    conflict = true;
                    diags.push(
                        Diagnostic::error(
                            "conflicting-duplicate",
                            rel,
                            format!(
                                "{} is also in an earlier file with a different `{}` ({a} there, {b} here)",
                                describe(&key),
                                DAILY_COLUMNS[i].name
                            ),
                        )
                        .at_line(line)
                        .help("remove the overlapping rows from one of the exports"),
                    );
                }
                (Some(_), Some(_)) => overlap = true,
                (None, Some(b)) => existing.values[i] = Some(*b),
                _ => {}
            }
        }
        if overlap && !conflict {
            repeated.push(line);
        }
    }
    if let Some(&first) = repeated.iter().min() {
        diags.push(
            Diagnostic::note(
                "duplicate-row",
                rel,
                format!(
                    "{} row(s) repeat the values of an earlier file (overlapping exports); kept once",
                    repeated.len()
                ),
            )
            .at_line(first),
        );
    }
}

/// A cell by index; cells past the end of a short row are empty (missing).
fn cell(record: &csv::StringRecord, index: usize) -> &str {
    record.get(index).unwrap_or("")
}

fn describe(key: &Key) -> String {
    match &key.1 {
        Some(g) => format!("({}, {g})", key.0),
        None => key.0.to_string(),
    }
}

fn resolve_carrier(text: &str, carriers: &[Carrier]) -> Option<String> {
    carriers
        .iter()
        .find(|c| c.id == text || c.name == text)
        .map(|c| c.id.clone())
}
