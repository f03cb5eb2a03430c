//! The daily metrics export (reference §C.1) → [`DailyTable`]. Streams every file of the glob
//! once, folding records into per-(date, group) rows, so memory grows with days, not rows.

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

/// Where each date was first read: a file and line, for messages about the rows' spacing.
type DateLines = BTreeMap<jiff::civil::Date, (PathBuf, usize)>;

/// What a row stands for: the plan's `granularity`, else the smallest gap between distinct
/// dates, of which every other gap must be a multiple (a larger gap is missing buckets). Rows
/// that are all on one day of the month, at least 28 days apart, are calendar months.
fn spacing(
    settings: &SourceSettings,
    lines: &DateLines,
    diags: &mut Vec<Diagnostic>,
) -> crate::model::table::Spacing {
    use crate::model::table::Spacing;
    if let Some(declared) = settings.granularity {
        return declared;
    }
    let dates: Vec<jiff::civil::Date> = lines.keys().copied().collect();
    let gaps: Vec<i64> = dates
        .windows(2)
        .map(|p| crate::model::plan::days_between(p[0], p[1]))
        .collect();
    let Some(&smallest) = gaps.iter().min() else {
        return Spacing::Daily;
    };
    if smallest <= 1 {
        return Spacing::Daily;
    }
    let at = |d: &jiff::civil::Date| {
        let (path, line) = &lines[d];
        format!("{}:{line}", path.to_string_lossy().replace('\\', "/"))
    };
    let first = lines.values().next().map(|(p, l)| (p.clone(), *l));
    let note = |what: String, spacing: Spacing| {
        let (path, line) = first.clone().unwrap_or_default();
        Diagnostic::note(
            "buckets",
            path,
            format!("rows are {what} apart: each is read as a {} bucket dated by its first day", spacing.describe()),
        )
        .at_line(line)
        .help(format!(
            "a flow (joins, messages) is the bucket's total, a level (members) its value on the first day; if the rows are days with gaps, set `data.{}.granularity: daily`",
            settings.name
        ))
    };
    let same_day_of_month = dates
        .iter()
        .all(|d| d.day() == dates[0].day() && d.day() <= 28);
    if smallest >= 28 && same_day_of_month {
        diags.push(note("whole months".into(), Spacing::Monthly));
        return Spacing::Monthly;
    }
    if let Some(i) = gaps.iter().position(|g| g % smallest != 0) {
        let (a, b) = (dates[i], dates[i + 1]);
        let path = first.map(|(p, _)| p).unwrap_or_default();
        diags.push(
            Diagnostic::error(
                "irregular-spacing",
                path,
                format!(
                    "rows are {smallest} days apart, but {a} ({}) and {b} ({}) are {} days apart",
                    at(&a),
                    at(&b),
                    gaps[i]
                ),
            )
            .at_line(lines[&b].1)
            .field("column `date`")
            .expected(format!("dates every {smallest} days (a longer gap only as a multiple of it: missing buckets)"))
            .help(format!(
                "set `data.{}.granularity` (daily, weekly, monthly or \"days:N\") to say what a row stands for, or export one spacing per source",
                settings.name
            )),
        );
        return Spacing::Daily;
    }
    let spacing = Spacing::from_days(u16::try_from(smallest).unwrap_or(u16::MAX));
    diags.push(note(format!("{smallest} days"), spacing));
    spacing
}

/// Running totals ("截至当天客户群消息总数") become each day's increase over the day before. The
/// first day, and a day after a gap, have no day before: missing, never the running total. A
/// total that falls is an error (a running total cannot decrease).
fn differences(
    table: &mut DailyTable,
    cumulative: &BTreeMap<usize, String>,
    first: &Path,
    diags: &mut Vec<Diagnostic>,
) {
    if cumulative.is_empty() {
        return;
    }
    let snapshot = table.rows.clone();
    for ((date, group), row) in table.rows.iter_mut() {
        let previous = date
            .yesterday()
            .ok()
            .and_then(|d| snapshot.get(&(d, group.clone())));
        for (&ci, header) in cumulative {
            let Some(today) = row.values[ci] else {
                continue;
            };
            row.values[ci] = match previous.and_then(|p| p.values[ci]) {
                Some(before) if today < before => {
                    let whose = group
                        .as_deref()
                        .map(|g| format!(" in `{g}`"))
                        .unwrap_or_default();
                    diags.push(
                        Diagnostic::error(
                            "cumulative-decrease",
                            first,
                            format!(
                                "running total `{header}`{whose} falls from {before} to {today} on {date}"
                            ),
                        )
                        .field(format!("column `{header}`"))
                        .expected("a running total that never decreases")
                        .help("check the export's dates and groups; a daily (not running) column should not be listed under `cumulative`"),
                    );
                    None
                }
                Some(before) => Some(today - before),
                None => None,
            };
        }
    }
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
    let inside = table
        .rows
        .keys()
        .filter(|(d, _)| ctx.period.contains(*d))
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
                let day = value::resolve_yearless(&date_text, ctx.period).ok_or(msg)?;
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

/// Merges one file's rows into the table (§C.4 "several files"): columns the table lacks are
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

/// Builds the header → column plan for one file, reporting mapping problems.
fn plan_columns(
    rel: &Path,
    headers: &[String],
    settings: &SourceSettings,
    table: &mut DailyTable,
    cumulative: &mut BTreeMap<usize, String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<FileColumns> {
    let profile = settings.profile.as_ref();
    let explicit = |canonical: &str| -> Vec<String> {
        let mut out: Vec<String> = settings
            .columns
            .get(canonical)
            .cloned()
            .into_iter()
            .collect();
        if canonical == "group_id"
            && let Some(g) = &settings.group_column
        {
            out.insert(0, g.clone());
        }
        if let Some(p) = profile
            && let Some(list) = p.columns.get(canonical)
        {
            out.extend(list.to_vec());
        }
        out
    };
    let only_named = profile.is_some_and(|p| p.only_named);
    let aliases = |canonical: &str, list: &[&str]| -> Vec<String> {
        if only_named {
            return Vec::new();
        }
        std::iter::once(canonical)
            .chain(list.iter().copied())
            .map(str::to_string)
            .collect()
    };
    let mut wanted = vec![
        Candidates {
            canonical: "date".into(),
            explicit: explicit("date"),
            aliases: aliases("date", DATE_ALIASES),
        },
        Candidates {
            canonical: "group_id".into(),
            explicit: explicit("group_id"),
            aliases: aliases("group_id", GROUP_ALIASES),
        },
        Candidates {
            canonical: "source".into(),
            explicit: explicit("source"),
            aliases: aliases("source", SOURCE_ALIASES),
        },
    ];
    for col in DAILY_COLUMNS {
        wanted.push(Candidates {
            canonical: col.name.into(),
            explicit: explicit(col.name),
            aliases: aliases(col.name, col.aliases),
        });
    }
    // Unknown canonical names in the plan or profile are typos worth catching.
    let known: Vec<&str> = daily_names().collect();
    let mut named: Vec<&String> = settings.columns.keys().collect();
    if let Some(p) = profile {
        named.extend(p.columns.keys());
        named.extend(p.derived.keys());
    }
    for name in named {
        if !known.contains(&name.as_str()) {
            let mut d = Diagnostic::error(
                "unknown-column",
                &settings.declared_in,
                format!("`{name}` is not a canonical daily column"),
            )
            .field(format!("data.{}.columns.{name}", settings.name))
            .expected("a canonical daily column (docs/reference.md#daily-export-columns)");
            if let Some(best) = did_you_mean(name, known.iter().copied()) {
                d = d.help(format!("did you mean `{best}`?"));
            }
            diags.push(d);
        }
    }
    let mut ignore: Vec<String> = profile.map(|p| p.ignore.clone()).unwrap_or_default();
    if let Some(p) = profile {
        ignore.extend(p.breakdown.iter().cloned());
        for d in p.derived.values() {
            ignore.push(d.from_pct.clone());
            ignore.push(d.times.clone());
        }
    }
    let map = map_headers(headers, &wanted, &ignore);
    let header_text = headers.join(&(settings.delimiter as char).to_string());
    let mut fatal = false;
    for problem in &map.problems {
        fatal = true;
        diags.push(super::mapping_diagnostic(rel, headers, problem, settings));
    }
    for &i in map.unmapped.iter().filter(|_| !only_named) {
        diags.push(
            Diagnostic::warning(
                "unmapped-header",
                rel,
                format!(
                    "header `{}` is not mapped to any canonical column; ignored",
                    headers[i]
                ),
            )
            .at(1, 1)
            .snippet(header_text.clone())
            .help(format!(
                "map it in `data.{}.columns`, or list it under `ignore` in a profile",
                settings.name
            )),
        );
    }
    let Some(&date) = map.columns.get("date") else {
        diags.push(
            Diagnostic::error("missing-column", rel, "no date column")
                .at(1, 1)
                .snippet(header_text)
                .expected("a header such as date, 日期 or 统计日期")
                .help(format!(
                    "map it: `data.{}.columns: {{date: <your header>}}`",
                    settings.name
                )),
        );
        return None;
    };
    let group = map.columns.get("group_id").copied();
    let mut breakdown = map.columns.contains_key("source");
    if let Some(p) = profile {
        let keys: Vec<String> = headers.iter().map(|h| normalize(h).key).collect();
        breakdown |= p.breakdown.iter().any(|b| keys.contains(&normalize(b).key));
    }
    let mut values = Vec::new();
    for (ci, col) in DAILY_COLUMNS.iter().enumerate() {
        if let Some(&hi) = map.columns.get(col.name) {
            if breakdown && col.nature != Nature::Additive {
                fatal = true;
                diags.push(
                    Diagnostic::error(
                        "breakdown-not-additive",
                        rel,
                        format!("`{}` cannot be summed across a breakdown: it is a stock or unique count", col.name),
                    )
                    .at(1, 1)
                    .snippet(header_text.clone())
                    .field(format!("column `{}`", headers[hi]))
                    .help("export this column in a file without a breakdown (one row per date and group)"),
                );
                continue;
            }
            if let Some(p) = profile
                && p.cumulative
                    .iter()
                    .any(|c| normalize(c).key == normalize(&headers[hi]).key)
            {
                cumulative.insert(ci, headers[hi].clone());
            }
            values.push((ci, hi));
            table.present.insert(col.name);
        }
    }
    let mut derived = Vec::new();
    if let Some(p) = profile {
        let find = |h: &str| {
            headers
                .iter()
                .position(|x| normalize(x).key == normalize(h).key)
        };
        for (name, spec) in &p.derived {
            let (Some(target), Some(pct)) = (daily_index(name), find(&spec.from_pct)) else {
                continue;
            };
            if map.columns.contains_key(name.as_str()) {
                continue;
            }
            let times =
                match daily_index(&spec.times).filter(|ci| values.iter().any(|(c, _)| c == ci)) {
                    Some(ci) => TimesSource::Column(ci),
                    None => match find(&spec.times) {
                        Some(hi) => TimesSource::Header(hi),
                        None => continue,
                    },
                };
            let header = &headers[pct];
            let percent = match settings.percent_scale {
                PercentScale::Percent => true,
                PercentScale::Fraction => false,
                PercentScale::Auto => {
                    let key = normalize(header).key;
                    let looks = ["pct", "%", "占比", "率"].iter().any(|m| key.contains(m));
                    if looks {
                        diags.push(
                            Diagnostic::warning("percent-scale", rel, format!("`{header}` is read as a percentage (0–100)"))
                                .at(1, 1)
                                .help(format!("set `data.{}.percent_scale: percent` (or `fraction`) to make this explicit", settings.name)),
                        );
                    }
                    looks
                }
            };
            let scale = if percent {
                Decimal::new(1, 2)
            } else {
                Decimal::ONE
            };
            derived.push(DerivedCol {
                target,
                pct,
                times,
                scale,
            });
            table.present.insert(DAILY_COLUMNS[target].name);
        }
    }
    if fatal {
        return None;
    }
    Some(FileColumns {
        date,
        group,
        values,
        breakdown,
        derived,
    })
}

/// Reads only the date column to find a value that settles day/month order (§C.4).
fn scan_order(
    abs: &Path,
    encoding: super::UsedEncoding,
    sheet: Option<&str>,
    delimiter: u8,
    date: usize,
    header_line: usize,
) -> Option<DayMonth> {
    super::rescan_column(abs, encoding, sheet, delimiter, date, header_line)
        .find_map(|t| value::order_evidence(&t))
}
