//! The reader shared by keyed exports (ledger, event log, progress): map a file's headers once,
//! then stream its records (text checked once per read, see [`super::records`]) and hand the
//! visitor borrowed cells by column slot. Nothing is allocated per record unless a cell needs
//! folding.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use super::header::{Candidates, map_headers};
use super::profile::EntryDate;
use super::records::Record;
use super::value;
use super::{OpenCsv, SourceSettings, cell_error};
use crate::diag::{Diagnostic, did_you_mean};
use crate::model::plan::TimestampMode;
use crate::model::table::SourceFile;
use crate::model::values::Date;

/// The canonical columns a keyed source asks for: (name, required, aliases).
pub type Columns<'a> = [(&'a str, bool, &'a [&'a str])];

/// The slot of `name` among `columns`, for [`Row::at`]: resolved once, before any record, so
/// that no record looks a column up by name. A name not asked for gets a slot that is never
/// mapped.
pub fn slot(columns: &Columns, name: &str) -> usize {
    columns
        .iter()
        .position(|(c, _, _)| *c == name)
        .unwrap_or(usize::MAX)
}

/// The cells of one record, by header index.
#[derive(Clone, Copy)]
pub struct Cells<'r> {
    record: &'r Record,
}

impl<'r> Cells<'r> {
    /// The cell at header index `i`, as written.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&'r str> {
        self.record.get(i)
    }

    /// Every cell in order.
    pub fn iter(&self) -> impl Iterator<Item = &'r str> + 'r {
        self.record.iter()
    }

    /// How many cells the record has.
    pub fn count(&self) -> usize {
        self.record.len()
    }
}

/// One mapped record handed to a visitor: its cells, by column slot or canonical name, plus
/// what is needed to report a problem at a cell.
pub struct Row<'r> {
    /// File relative to root.
    pub rel: &'r Path,
    /// Which file of the source this is (0, 1, …), for per-file state without comparing paths.
    pub file: usize,
    /// The record as read, for its position and for snippets.
    record: &'r Record,
    /// Its cells.
    pub cells: Cells<'r>,
    /// Slot (position in the reader's columns) → header index.
    slots: &'r [Option<usize>],
    /// canonical → header index.
    pub columns: &'r BTreeMap<String, usize>,
    /// The headers.
    pub headers: &'r [String],
    /// Delimiter, for snippets.
    pub delimiter: u8,
    /// How this file's offset timestamps name their day.
    pub stamps: TimestampMode,
    /// The date range a report's preamble gives its rows (`entry_date: preamble_range_end`).
    pub preamble_range: Option<(Date, Date)>,
    /// Records from this one to the end of the file, estimated from its size once per file (0
    /// on every other record): visitors that keep a set per record reserve it once instead of
    /// growing it.
    pub rows_ahead: usize,
}

impl Row<'_> {
    /// The raw text of a canonical column's cell, as written.
    pub fn raw(&self, canonical: &str) -> Option<&str> {
        self.columns.get(canonical).and_then(|&i| self.cells.get(i))
    }

    /// The cleaned cell of a canonical column (`None` when unmapped or missing).
    pub fn get(&self, canonical: &str) -> Option<String> {
        self.cell(canonical).map(Cow::into_owned)
    }

    /// [`Row::get`] without a copy when the cell needs no folding.
    pub fn cell(&self, canonical: &str) -> Option<Cow<'_, str>> {
        self.raw(canonical).and_then(value::clean_ref)
    }

    /// Whether the column at `slot` (see [`slot`]) is mapped in this file.
    pub fn has(&self, slot: usize) -> bool {
        self.slots.get(slot).is_some_and(Option::is_some)
    }

    /// The raw cell at `slot`, as written.
    #[inline]
    pub fn raw_at(&self, slot: usize) -> Option<&str> {
        let index = (*self.slots.get(slot)?)?;
        self.cells.get(index)
    }

    /// The cleaned cell at `slot` (`None` when unmapped or missing): [`Row::cell`] without the
    /// lookup by name.
    #[inline(always)]
    pub fn at(&self, slot: usize) -> Option<Cow<'_, str>> {
        self.raw_at(slot).and_then(value::clean_ref)
    }

    /// The header `canonical` was read from, as written (the canonical name if unmapped).
    pub fn header_of(&self, canonical: &str) -> String {
        self.columns
            .get(canonical)
            .and_then(|&i| self.headers.get(i))
            .map_or(canonical.to_string(), |h| h.trim().to_string())
    }

    /// An error on this row of a member-level file, at its line and the column's header,
    /// never with the row or a cell shown (docs/members.md#privacy).
    pub fn private_error(
        &self,
        code: &'static str,
        canonical: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(code, self.rel, message)
            .at_line(self.line())
            .field(self.header_of(canonical))
    }

    /// An error at the cell of `canonical` (or the row start).
    pub fn error(
        &self,
        code: &'static str,
        canonical: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let index = self.columns.get(canonical).copied().unwrap_or(0);
        let name = self.headers.get(index).map_or(canonical, String::as_str);
        self.error_at(code, index, name, message)
    }

    /// An error at the cell of header `index`, named `column`.
    pub fn error_at(
        &self,
        code: &'static str,
        index: usize,
        column: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        cell_error(
            code,
            self.rel,
            &self.string_record(),
            index,
            column,
            self.delimiter,
            message,
        )
    }

    /// The record as a `StringRecord`, for the shared snippet code (errors only).
    fn string_record(&self) -> csv::StringRecord {
        let mut record: csv::StringRecord = self.cells.iter().collect();
        record.set_position(Some(self.record.position()));
        record
    }

    /// 1-based line.
    pub fn line(&self) -> usize {
        self.record.line() as usize
    }
}

/// Files from this size on are read ahead on a thread of their own.
const READ_AHEAD_BYTES: u64 = 8 << 20;

/// Records a read-ahead thread hands over at a time.
const BATCH: usize = 1024;

/// A batch of records (the first `.1` of them filled), or the error that ended the file.
type Batch = Result<(Vec<Record>, usize), super::records::RecordError>;

/// Where a file's records come from: its reader, here, or a thread reading ahead.
enum Source<'a> {
    Here(&'a mut OpenCsv),
    Ahead {
        batches: std::sync::mpsc::Receiver<Batch>,
        /// Used batches go back to the reader, so record buffers are reused.
        recycle: std::sync::mpsc::SyncSender<Vec<Record>>,
        current: Vec<Record>,
        filled: usize,
        next: usize,
    },
}

impl Source<'_> {
    /// The next record into `record`, as [`OpenCsv::next_any_record`]; `false` at the end or
    /// after a read error (reported).
    fn next(&mut self, rel: &Path, record: &mut Record, diags: &mut Vec<Diagnostic>) -> bool {
        match self {
            Source::Here(csv) => csv.next_any_record(rel, record, diags),
            Source::Ahead {
                batches,
                recycle,
                current,
                filled,
                next,
            } => loop {
                if *next < *filled {
                    std::mem::swap(record, &mut current[*next]);
                    *next += 1;
                    return true;
                }
                if !current.is_empty() {
                    let _ = recycle.try_send(std::mem::take(current));
                }
                match batches.recv() {
                    Ok(Ok((batch, n))) => {
                        *current = batch;
                        *filled = n;
                        *next = 0;
                    }
                    Ok(Err(e)) => {
                        diags.push(super::record_error(rel, &e));
                        return false;
                    }
                    // The reader has finished.
                    Err(_) => return false,
                }
            },
        }
    }
}

/// Reads every record of `reader` into batches for [`Source::Ahead`], reusing the batches that
/// come back; stops at the end, at an error (sent after the records before it), or when the
/// receiving side is gone.
fn read_ahead(
    mut reader: super::records::Records,
    batches: &std::sync::mpsc::SyncSender<Batch>,
    recycled: &std::sync::mpsc::Receiver<Vec<Record>>,
) {
    loop {
        let mut batch = recycled
            .try_recv()
            .ok()
            .filter(|b| b.len() == BATCH)
            .unwrap_or_else(|| vec![Record::default(); BATCH]);
        let mut filled = 0;
        let mut failed = None;
        while filled < BATCH {
            match reader.read(&mut batch[filled]) {
                Ok(true) => filled += 1,
                Ok(false) => break,
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        let last = filled < BATCH;
        if batches.send(Ok((batch, filled))).is_err() {
            return;
        }
        if let Some(e) = failed {
            let _ = batches.send(Err(e));
        }
        if last {
            return;
        }
    }
}

/// Estimates, once per file, how many records are still to come, from the file's size and the
/// bytes its first records took.
struct RowsAhead {
    file_bytes: u64,
    first_byte: Option<u64>,
}

impl RowsAhead {
    /// Records read before the estimate is made.
    const SAMPLE: usize = 256;

    fn new(file_bytes: u64) -> Self {
        RowsAhead {
            file_bytes,
            first_byte: None,
        }
    }

    /// The estimate on the [`Self::SAMPLE`]th record; 0 on every other.
    fn observe(&mut self, rows: usize, record: &Record) -> usize {
        let at = record.byte();
        if rows == 1 {
            self.first_byte = Some(at);
        }
        match self.first_byte {
            Some(first) if rows == Self::SAMPLE && at > first => {
                let per_row = (at - first) / (Self::SAMPLE as u64 - 1);
                usize::try_from(self.file_bytes.saturating_sub(at) / per_row.max(1)).unwrap_or(0)
            }
            _ => 0,
        }
    }
}

/// Reads every file of a keyed source, mapping its headers against `columns` (name, required,
/// aliases) and calling `visit` for each non-empty record. `date_column` names the canonical
/// column whose offset timestamps are settled as day buckets or instants per file.
pub fn read_keyed(
    root: &Path,
    settings: &SourceSettings,
    columns: &Columns,
    date_column: &str,
    diags: &mut Vec<Diagnostic>,
    visit: impl FnMut(&Row, &mut Vec<Diagnostic>),
) -> Vec<SourceFile> {
    let reading = Reading {
        columns,
        date_column,
        // With one worker (one core, or `RAYON_NUM_THREADS=1`) the hand-over would only add
        // work: the build's own thread pool already knows how many cores it may use.
        read_ahead_from: if rayon::current_num_threads() > 1 {
            READ_AHEAD_BYTES
        } else {
            u64::MAX
        },
    };
    read_files(root, settings, &reading, diags, visit)
}

/// How [`read_files`] reads: the columns asked for, the column whose timestamps are settled
/// per file, and the file size from which records are read ahead on another thread.
struct Reading<'a> {
    columns: &'a Columns<'a>,
    date_column: &'a str,
    read_ahead_from: u64,
}

fn read_files(
    root: &Path,
    settings: &SourceSettings,
    how: &Reading,
    diags: &mut Vec<Diagnostic>,
    mut visit: impl FnMut(&Row, &mut Vec<Diagnostic>),
) -> Vec<SourceFile> {
    let (columns, date_column) = (how.columns, how.date_column);
    let mut files_read = Vec::new();
    let all_settings = settings;
    for rel in &all_settings.files(root, diags) {
        let settings = &*super::file_settings(root, rel, all_settings);
        let first_diag = diags.len();
        let Some(mut csv) = OpenCsv::open(root, rel, settings, diags) else {
            continue;
        };
        let headers = std::mem::take(&mut csv.headers);
        if let [only] = &headers[..]
            && let Some(said) = settings
                .profile
                .iter()
                .flat_map(|p| &p.no_data)
                .find(|said| said.as_str() == only.trim())
        {
            diags.push(
                Diagnostic::note(
                    "no-data-export",
                    rel,
                    format!("the export says \"{said}\": read as no rows (nothing spent in it)"),
                )
                .at_line(csv.header_line)
                .help("if money was spent in its range, download it again with the right account and dates"),
            );
            files_read.push(SourceFile {
                path: rel.clone(),
                encoding: csv.encoding.name(),
                rows: 0,
                sha256: csv.sha256(),
            });
            continue;
        }
        let header_text = headers.join(&(settings.delimiter as char).to_string());
        let profile = settings.profile.as_ref();
        let only_named = profile.is_some_and(|p| p.only_named);
        let wanted: Vec<Candidates> = columns
            .iter()
            .map(|(name, _, aliases)| Candidates {
                canonical: name.to_string(),
                explicit: settings
                    .columns
                    .get(*name)
                    .cloned()
                    .into_iter()
                    .chain(
                        profile
                            .and_then(|p| p.columns.get(*name))
                            .into_iter()
                            .flat_map(|h| h.to_vec()),
                    )
                    .collect(),
                aliases: if only_named {
                    Vec::new()
                } else {
                    std::iter::once(*name)
                        .chain(aliases.iter().copied())
                        .map(str::to_string)
                        .collect()
                },
            })
            .collect();
        // A date the plan fixes (`entry_date: 2026-02-28`) overrides the profile's way.
        let by_profile = profile
            .and_then(|p| p.entry_date)
            .filter(|_| settings.entry_date.is_none());
        let preamble_range = match by_profile {
            None => None,
            Some(EntryDate::PreambleRangeEnd) => {
                match csv.preamble.iter().find_map(|l| value::date_range(l)) {
                    Some(d) => Some(d),
                    None => {
                        diags.push(
                            Diagnostic::error(
                                "missing-date",
                                rel,
                                "the report's date range was not found above its header",
                            )
                            .at_line(csv.header_line)
                            .expected("a line such as \"February 1, 2026 - February 28, 2026\" before the header")
                            .help(format!("download the report again with its title and date range (an \"All time\" report has none), or date every entry by hand: `data.{}.entry_date: YYYY-MM-DD`", settings.name)),
                        );
                        continue;
                    }
                }
            }
        };
        let find_header = |name: &str| {
            headers
                .iter()
                .position(|h| super::header::normalize(h).key == super::header::normalize(name).key)
        };
        let drops: Vec<(usize, &super::profile::DropRule)> = profile
            .iter()
            .flat_map(|p| &p.drop_rows)
            .filter_map(|r| Some((find_header(&r.column)?, r)))
            .collect();
        let currency_column = profile
            .and_then(|p| p.currency_column.as_deref())
            .and_then(find_header);
        for name in settings.columns.keys() {
            if !columns.iter().any(|(c, _, _)| c == name) {
                let known = columns.iter().map(|(c, _, _)| *c);
                let mut d = Diagnostic::error(
                    "unknown-column",
                    &settings.declared_in,
                    format!("`{name}` is not a canonical {} column", settings.name),
                )
                .field(format!("data.{}.columns.{name}", settings.name));
                if let Some(best) = did_you_mean(name, known) {
                    d = d.help(format!("did you mean `{best}`?"));
                }
                diags.push(d);
            }
        }
        let map = map_headers(&headers, &wanted, &[]);
        let mut fatal = false;
        if let Some(accepted) = &settings.pseudonymize {
            let problems = super::personal::refused_headers(&headers, accepted, &map.columns);
            for d in problems {
                fatal = true;
                diags.push(
                    d.into_diagnostic(rel, settings.name)
                        .at(csv.header_line, 1)
                        .snippet(header_text.clone()),
                );
            }
        }
        // An amount header that names its currency (`Amount spent (USD)`, `金额（元）`) must name
        // the plan's: one error for the file, never one per row, never a conversion.
        if let Some(&i) = map.columns.get("amount")
            && let Some(code) = header_currency(&headers[i])
            && !code.eq_ignore_ascii_case(&settings.currency)
        {
            fatal = true;
            let col = headers[..i]
                .iter()
                .map(|h| h.chars().count() + 1)
                .sum::<usize>()
                + 1;
            diags.push(
                Diagnostic::error(
                    "wrong-currency",
                    rel,
                    format!(
                        "the amounts in `{}` are in {code}, but the plan's currency is {}",
                        headers[i], settings.currency
                    ),
                )
                .at(csv.header_line, col)
                .snippet(header_text.clone())
                .found(code.clone())
                .expected(settings.currency.clone())
                .help("qunce never converts currencies: export the report in the plan's currency (an ad account's own currency), or keep it out of this plan"),
            );
        }
        for p in &map.problems {
            fatal = true;
            let d = super::mapping_diagnostic(rel, &headers, p, settings);
            diags.push(d.at(csv.header_line, 1));
        }
        for (name, required, aliases) in columns {
            if *required && !map.columns.contains_key(*name) {
                fatal = true;
                diags.push(
                    Diagnostic::error(
                        "missing-column",
                        rel,
                        format!("required column `{name}` is not mapped"),
                    )
                    .at(csv.header_line, 1)
                    .snippet(header_text.clone())
                    .expected(format!(
                        "a header such as {}",
                        std::iter::once(*name)
                            .chain(aliases.iter().copied())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                    .help(format!(
                        "map it: `data.{}.columns: {{{name}: <your header>}}`",
                        settings.name
                    )),
                );
            }
        }
        // Columns that name a person, listed in `pseudonymize`, are left out on purpose.
        let listed = |h: &str| {
            settings.pseudonymize.as_ref().is_some_and(|list| {
                let key = super::header::normalize(h).key;
                list.iter().any(|l| super::header::normalize(l).key == key)
            })
        };
        let unmapped: Vec<usize> = map
            .unmapped
            .iter()
            .copied()
            .filter(|&i| !listed(&headers[i]))
            .collect();
        if !unmapped.is_empty() && !only_named {
            // Other columns of an export (subjects, message texts, vendors' extras) are normal:
            // one note per file says which were left out.
            let names: Vec<String> = unmapped
                .iter()
                .map(|&i| format!("`{}`", headers[i]))
                .collect();
            diags.push(
                Diagnostic::note(
                    "unmapped-header",
                    rel,
                    format!("not used: {}", names.join(", ")),
                )
                .at(csv.header_line, 1)
                .snippet(header_text.clone())
                .help(format!(
                    "map a header in `data.{}.columns` if it holds a canonical column",
                    settings.name
                )),
            );
        }
        if fatal {
            continue;
        }
        let mut record = Record::default();
        let slots: Vec<Option<usize>> = columns
            .iter()
            .map(|(name, _, _)| map.columns.get(*name).copied())
            .collect();
        let mut rows = 0;
        let mut dropped: Vec<usize> = Vec::new();
        let rule = settings.date_rule();
        let mut reading = super::StampReading::new(settings);
        let date_index = map.columns.get(date_column).copied();
        let mut sizing = RowsAhead::new(csv.file_bytes);
        let (encoding, header_line) = (csv.encoding, csv.header_line);
        let rows_from = diags.len();
        // A large file is read (decoded, hashed, split into records) on a thread of its own
        // while its rows are visited here: the two take about as long as each other.
        std::thread::scope(|scope| {
            let mut source = if sizing.file_bytes >= how.read_ahead_from {
                let reader = csv.take_reader();
                let (batches, received) = std::sync::mpsc::sync_channel(4);
                let (recycle, recycled) = std::sync::mpsc::sync_channel(4);
                scope.spawn(move || read_ahead(reader, &batches, &recycled));
                Source::Ahead {
                    batches: received,
                    recycle,
                    current: Vec::new(),
                    filled: 0,
                    next: 0,
                }
            } else {
                Source::Here(&mut csv)
            };
            while source.next(rel, &mut record, diags) {
                let cells = Cells { record: &record };
                if cells.iter().all(|c| value::trim(c).is_empty()) {
                    continue;
                }
                rows += 1;
                let stamps = match reading.settled() {
                    Some(mode) => mode,
                    // A date cell too short to be an offset timestamp has nothing to settle,
                    // and a file of plain dates is not cleaned twice a row. Only an ASCII cell
                    // is asked before cleaning: folding can lengthen other text.
                    None if date_index.and_then(|i| cells.get(i)).is_some_and(|c| {
                        c.is_ascii() && value::too_short_for_a_stamp(c, &rule)
                    }) =>
                    {
                        TimestampMode::Instants
                    }
                    None => {
                        let date_cell = date_index
                            .and_then(|i| cells.get(i))
                            .and_then(value::clean_ref);
                        match (date_cell, date_index) {
                            (Some(cell), Some(i)) => reading.mode(&cell, &rule, || {
                                let abs = root.join(rel);
                                let cells = super::rescan_column(
                                    &abs,
                                    encoding,
                                    settings.sheet.as_deref(),
                                    settings.delimiter,
                                    i,
                                    header_line,
                                );
                                value::detect_stamps(cells, &rule)
                            }),
                            _ => TimestampMode::Instants,
                        }
                    }
                };
                let row = Row {
                    rel,
                    file: files_read.len(),
                    record: &record,
                    cells,
                    slots: &slots,
                    columns: &map.columns,
                    headers: &headers,
                    delimiter: settings.delimiter,
                    stamps,
                    preamble_range,
                    rows_ahead: sizing.observe(rows, &record),
                };
                if drops
                    .iter()
                    .any(|(i, r)| cells.get(*i).is_some_and(|c| r.matches(c)))
                {
                    dropped.push(row.line());
                    continue;
                }
                if let Some(ci) = currency_column
                    && let Some(code) = cells.get(ci).and_then(value::clean_ref)
                    && !code.eq_ignore_ascii_case(&settings.currency)
                {
                    let d = row
                        .error_at(
                            "wrong-currency",
                            ci,
                            &headers[ci],
                            format!(
                                "this row is in {code}, but the plan's currency is {}",
                                settings.currency
                            ),
                        )
                        .found(format!("`{code}`"))
                        .expected(settings.currency.clone())
                        .help("qunce never converts currencies: export the report in the plan's currency, or keep it out of this plan");
                    diags.push(d);
                    continue;
                }
                if cells.count() != headers.len() {
                    diags.push(row.error(
                        "ragged-row",
                        "",
                        format!(
                            "row has {} fields but the header has {}",
                            cells.count(),
                            headers.len()
                        ),
                    ));
                    continue;
                }
                visit(&row, diags);
            }
        });
        if settings.pseudonymize.is_some() {
            // A member-level row names people: its problems are told by line and column,
            // never with the row or the cell shown.
            for d in &mut diags[rows_from..] {
                d.snippet = None;
                d.found = None;
            }
        }
        if let Some(&first) = dropped.first() {
            diags.push(
                Diagnostic::note(
                    "rows-dropped",
                    rel,
                    format!(
                        "{} row(s) left out as the profile says (totals and the like)",
                        dropped.len()
                    ),
                )
                .at_line(first),
            );
        }
        super::name_sheet(&mut diags[first_diag..], rel, csv.sheet.as_deref());
        files_read.push(SourceFile {
            path: rel.clone(),
            encoding: csv.encoding.name(),
            rows,
            sha256: csv.sha256(),
        });
    }
    files_read
}

/// The currency a header names in its trailing brackets (`Amount spent (USD)` → USD,
/// `金额（元）` → CNY), if it names one: three ASCII letters, or the yuan written out.
fn header_currency(header: &str) -> Option<String> {
    let unit = super::header::normalize(header).unit?;
    match unit.as_str() {
        "元" | "人民币" | "人民币元" => Some("CNY".to_string()),
        code if code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Some(code.to_ascii_uppercase())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_names_its_currency_in_brackets() {
        assert_eq!(
            header_currency("Amount spent (USD)").as_deref(),
            Some("USD")
        );
        assert_eq!(header_currency("已花费金额（usd）").as_deref(), Some("USD"));
        assert_eq!(header_currency("金额（元）").as_deref(), Some("CNY"));
        assert_eq!(header_currency("Amount spent"), None);
        assert_eq!(header_currency("Share (%)"), None);
        assert_eq!(header_currency("Cost (times)"), None);
    }

    const COLUMNS: &Columns = &[
        ("id", true, &[]),
        ("name", false, &["名称"]),
        ("amount", true, &["金额"]),
    ];

    /// Reads `text` as `data/x.csv`; gives each visited row's (line, id, name, raw amount,
    /// rows ahead) and the diagnostics.
    #[allow(clippy::type_complexity)]
    fn visit_all(
        text: &str,
    ) -> (
        Vec<(usize, String, Option<String>, Option<String>, usize)>,
        Vec<Diagnostic>,
    ) {
        visit_all_reading_ahead_from(text, READ_AHEAD_BYTES).0
    }

    /// [`visit_all`] with records read ahead on another thread from `read_ahead_from` bytes
    /// on; also gives the file's checksum.
    #[allow(clippy::type_complexity)]
    fn visit_all_reading_ahead_from(
        text: &str,
        read_ahead_from: u64,
    ) -> (
        (
            Vec<(usize, String, Option<String>, Option<String>, usize)>,
            Vec<Diagnostic>,
        ),
        String,
    ) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("data")).unwrap();
        std::fs::write(dir.path().join("data/x.csv"), text).unwrap();
        let source: crate::model::plan::DataSource = serde_yaml::from_str("path: x.csv").unwrap();
        let settings =
            SourceSettings::new("ledger", &source, None, Path::new("content/plan.yaml")).unwrap();
        let [id, name, amount] = ["id", "name", "amount"].map(|n| slot(COLUMNS, n));
        let mut seen = Vec::new();
        let mut diags = Vec::new();
        let reading = Reading {
            columns: COLUMNS,
            date_column: "none",
            read_ahead_from,
        };
        let files = read_files(dir.path(), &settings, &reading, &mut diags, |row, _| {
            seen.push((
                row.line(),
                row.at(id).unwrap().into_owned(),
                row.at(name).map(Cow::into_owned),
                row.raw_at(amount).map(str::to_string),
                row.rows_ahead,
            ));
        });
        ((seen, diags), files[0].sha256.clone())
    }

    #[test]
    fn records_read_ahead_on_another_thread_are_the_records_read_here() {
        // Several batches' worth, with blank, quoted, multi-line, ragged and CRLF rows.
        let mut text = String::from("id,名称,金额\n");
        for i in 0..(3 * BATCH + 17) {
            text.push_str(&match i % 7 {
                0 => format!("{i},\"多行\n名称\",{i}.50\n"),
                1 => ",,\n".to_string(),
                2 => format!("{i},短\n"),
                3 => format!("{i},\"a,b\",1\r\n"),
                _ => format!("{i},名{i},{i}.00\n"),
            });
        }
        let here = visit_all_reading_ahead_from(&text, u64::MAX);
        let ahead = visit_all_reading_ahead_from(&text, 0);
        assert!(here.0.0.len() > 2 * BATCH, "{}", here.0.0.len());
        assert_eq!(ahead.0.0, here.0.0);
        assert_eq!(
            format!("{:?}", ahead.0.1),
            format!("{:?}", here.0.1),
            "the same diagnostics"
        );
        assert!(here.0.1.iter().any(|d| d.code == "ragged-row"));
        assert_eq!(ahead.1, here.1, "the same checksum");
    }

    #[test]
    fn cells_are_read_by_slot_with_quotes_blanks_and_ragged_rows() {
        let (seen, diags) = visit_all(
            "id,名称,金额\n1,\"中文,带逗号\",12\n,,\n\"2\",\"  全角\u{3000}\",\" 3 \"\r\n3,x\n4,,5\n",
        );
        assert_eq!(
            seen,
            vec![
                (
                    2,
                    "1".into(),
                    Some("中文,带逗号".into()),
                    Some("12".into()),
                    0
                ),
                (4, "2".into(), Some("全角".into()), Some(" 3 ".into()), 0),
                (6, "4".into(), None, Some("5".into()), 0),
            ]
        );
        let ragged: Vec<_> = diags.iter().filter(|d| d.code == "ragged-row").collect();
        assert_eq!(ragged.len(), 1, "{diags:?}");
        assert_eq!(ragged[0].line, Some(5));
    }

    #[test]
    fn a_large_file_tells_once_how_many_rows_are_ahead() {
        let mut text = String::from("id,名称,金额\n");
        for i in 0..1000 {
            text.push_str(&format!("{:05},名字,1.00\n", i));
        }
        let (seen, _) = visit_all(&text);
        let told: Vec<(usize, usize)> = seen
            .iter()
            .enumerate()
            .filter(|(_, r)| r.4 > 0)
            .map(|(i, r)| (i + 1, r.4))
            .collect();
        // Every row is 19 bytes: from the 256th on, 745 rows are left, that one included.
        assert_eq!(told, vec![(RowsAhead::SAMPLE, 745)]);
    }
}
