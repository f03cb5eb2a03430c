//! Exports as platforms download them, CSV and workbooks (docs/data.md#sources): decoding,
//! globbing, profiles and header mapping shared by the daily, event, ledger and progress
//! readers. Files are streamed record by record; nothing here holds a whole file in memory.

pub mod activities;
pub mod daily;
mod diagnostics;
mod encoding;
pub mod events;
mod glob;
pub mod header;
pub mod keyed;
pub mod ledger;
pub mod members;
pub mod personal;
pub mod profile;
pub mod progress;
pub mod value;

// The export-reading engine (its own crate), under the paths the loaders use.
pub use qunce_exports::{cell_map, ids, records, workbook};

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use globset::GlobBuilder;
use sha2::{Digest, Sha256};

use crate::diag::Diagnostic;
use crate::model::plan::{DataSource, Encoding, PercentScale, TimestampMode};
use profile::Profile;
use records::{Record, RecordError, Records};

pub use diagnostics::*;
pub use encoding::*;
pub use glob::*;

/// The settings one source is read with: the plan's `data.<source>` over its profile.
#[derive(Debug, Clone)]
pub struct SourceSettings {
    /// Which source (`daily`, `ledger`, `progress`), for messages.
    pub name: &'static str,
    /// Glob relative to `data/`.
    pub path: String,
    /// Where the glob was written (the plan), for "no file matched" errors.
    pub declared_in: PathBuf,
    /// Encoding rule.
    pub encoding: Encoding,
    /// Field delimiter.
    pub delimiter: u8,
    /// `None` for auto.
    pub date_format: Option<String>,
    /// Percent scale rule.
    pub percent_scale: PercentScale,
    /// The profile, if one was named.
    pub profile: Option<Profile>,
    /// The plan's explicit `columns` (canonical → header).
    pub columns: std::collections::BTreeMap<String, String>,
    /// The plan's `group_column`.
    pub group_column: Option<String>,
    /// A missing source is a warning, not an error.
    pub optional: bool,
    /// Forced reading of offset timestamps; `None`: detected per file.
    pub timestamps: Option<TimestampMode>,
    /// The plan's currency, against which currency columns and money prefixes are checked.
    pub currency: String,
    /// Whether the plan or profile named the delimiter (otherwise a tab-separated file is
    /// recognised as such).
    pub delimiter_declared: bool,
    /// Workbooks: the sheet to read.
    pub sheet: Option<String>,
    /// Daily sources: what a row stands for, when the plan says; detected otherwise.
    pub granularity: Option<crate::model::table::Spacing>,
    /// Spend sources: the date of every entry, when the plan fixes it.
    pub entry_date: Option<crate::model::values::Date>,
    /// Member-level sources: the headers naming a person that the plan accepts (its
    /// `pseudonymize`); every other such header is refused. `None` for other sources.
    pub pseudonymize: Option<Vec<String>>,
}

impl SourceSettings {
    /// Combines a plan source with its profile (the plan wins).
    pub fn new(
        name: &'static str,
        source: &DataSource,
        profile: Option<Profile>,
        declared_in: &Path,
    ) -> Result<Self, String> {
        let declared = source
            .delimiter
            .clone()
            .or_else(|| profile.as_ref().and_then(|p| p.delimiter.clone()));
        let delimiter_declared = declared.is_some();
        let pick_delim = declared.unwrap_or_else(|| ",".into());
        let delimiter = match pick_delim.as_str() {
            "\\t" | "\t" | "tab" => b'\t',
            d if d.len() == 1 => d.as_bytes()[0],
            other => return Err(format!("delimiter must be one character, found `{other}`")),
        };
        let date_format = source
            .date_format
            .clone()
            .or_else(|| profile.as_ref().and_then(|p| p.date_format.clone()))
            .filter(|f| f != "auto");
        let timestamps = source
            .timestamps
            .or_else(|| profile.as_ref().and_then(|p| p.timestamps));
        Ok(SourceSettings {
            name,
            path: source.path.clone(),
            declared_in: declared_in.to_path_buf(),
            encoding: source
                .encoding
                .or_else(|| profile.as_ref().and_then(|p| p.encoding))
                .unwrap_or(Encoding::Auto),
            delimiter,
            date_format,
            percent_scale: source
                .percent_scale
                .or_else(|| profile.as_ref().and_then(|p| p.percent_scale))
                .unwrap_or(PercentScale::Auto),
            profile,
            columns: source.columns.clone(),
            group_column: source.group_column.clone(),
            optional: source.optional,
            timestamps,
            currency: String::new(),
            delimiter_declared,
            sheet: source.sheet.clone(),
            granularity: source
                .granularity
                .as_deref()
                .map(crate::model::table::Spacing::parse)
                .transpose()
                .map_err(|e| format!("granularity: {e}"))?,
            entry_date: source.entry_date,
            pseudonymize: matches!(name, "members" | "activities")
                .then(|| source.pseudonymize.clone()),
        })
    }
}

impl SourceSettings {
    /// How to read this source's date column.
    pub fn date_rule(&self) -> value::DateRule {
        match &self.date_format {
            Some(p) => value::DateRule::Pattern(p.clone()),
            None => value::DateRule::Auto { order: None },
        }
    }

    /// The files of this source's glob, sorted; a glob that matches nothing is an error (a
    /// warning for an optional source).
    pub fn files(&self, root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
        let field = format!("data.{}.path", self.name);
        match expand_glob(root, &self.path) {
            Err(msg) => {
                diags.push(Diagnostic::error("data-path", &self.declared_in, msg).field(field));
                Vec::new()
            }
            Ok(files) if files.is_empty() => {
                let d = Diagnostic::error(
                    "data-missing",
                    &self.declared_in,
                    format!("no file under data/ matches `{}`", self.path),
                )
                .field(field)
                .expected("a path or glob relative to the site's data/ folder")
                .help("check the file name; paths are relative to data/, not to the plan");
                diags.push(if self.optional { d.downgraded() } else { d });
                Vec::new()
            }
            Ok(files) => files,
        }
    }
}

/// An open CSV file: its encoding, a streaming reader positioned after the header, the headers.
pub struct OpenCsv {
    /// The encoding used.
    pub encoding: UsedEncoding,
    /// The record reader.
    pub reader: Records,
    /// The header row.
    pub headers: Vec<String>,
    /// The header's line (1 unless a preamble was skipped).
    pub header_line: usize,
    /// Lines above the header (a report's title and date range), cells joined by the delimiter.
    pub preamble: Vec<String>,
    /// Workbooks: the sheet read, for cell references (`数据!C14`).
    pub sheet: Option<String>,
    /// The file's size in bytes (0 when it could not be read).
    pub file_bytes: u64,
    /// SHA-256 of the raw bytes read so far (shared with the reader, which may run on a
    /// thread of its own).
    digest: Arc<Mutex<Sha256>>,
}

/// Passes bytes through while hashing them, so a source's checksum costs no second read.
struct Hashing<R> {
    inner: R,
    digest: Arc<Mutex<Sha256>>,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        // A poisoned lock still holds the bytes hashed so far.
        self.digest
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .update(&buf[..n]);
        Ok(n)
    }
}

impl OpenCsv {
    /// The SHA-256 of the file, in lower-case hex, once every record has been read.
    pub fn sha256(&self) -> String {
        let digest = self
            .digest
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
            .finalize();
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Opens `rel` under `root` with the source's encoding and delimiter. Unreadable, undecodable
    /// or empty files are reported and give `None`.
    pub fn open(
        root: &Path,
        rel: &Path,
        settings: &SourceSettings,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Self> {
        let abs = match crate::load::sandbox::check(root, rel) {
            Ok((real, _)) => real,
            Err(refusal) => {
                diags.push(refusal.diagnostic("unreadable", rel));
                return None;
            }
        };
        let (encoding, warning) = match choose_encoding(&abs, rel, settings.encoding) {
            Ok(x) => x,
            Err(d) => {
                diags.push(*d);
                return None;
            }
        };
        diags.extend(warning);
        let file_bytes = std::fs::metadata(&abs).map_or(0, |m| m.len());
        let chunk = chunk_size(file_bytes);
        let digest = Arc::new(Mutex::new(Sha256::new()));
        let hashed = File::open(&abs).map(|file| Hashing {
            inner: file,
            digest: Arc::clone(&digest),
        });
        let mut sheet = None;
        let opened = hashed.and_then(|mut h| {
            if encoding != UsedEncoding::Workbook {
                return decoded(h, encoding, chunk);
            }
            let mut bytes = Vec::new();
            h.read_to_end(&mut bytes)?;
            let budget = crate::load::sandbox::max_bytes(root).saturating_mul(workbook::EXPANSION);
            let (text, name) = workbook::to_csv(bytes, settings.sheet.as_deref(), budget)
                .map_err(io::Error::other)?;
            sheet = Some(name);
            Ok(Box::new(io::Cursor::new(text)) as Box<dyn Read + Send>)
        });
        let stream = match opened {
            Ok(s) => s,
            Err(e) => {
                let d = if encoding == UsedEncoding::Workbook {
                    Diagnostic::error("bad-workbook", rel, e.to_string()).help(
                        "name an existing sheet with `sheet:` on the source, or save the workbook again",
                    )
                } else {
                    Diagnostic::error("io", rel, format!("cannot read file: {e}"))
                };
                diags.push(d);
                return None;
            }
        };
        // Read without header handling, so that a preamble can be skipped and every record
        // keeps its true line number.
        let mut reader = Records::new(stream, settings.delimiter, chunk);
        let skip = settings.profile.as_ref().and_then(|p| p.skip_rows);
        let named: Vec<String> = settings
            .profile
            .iter()
            .flat_map(|p| p.columns.values().flat_map(|h| h.to_vec()))
            .chain(settings.columns.values().cloned())
            .map(|h| header::normalize(&h).key)
            .collect();
        let mut preamble = Vec::new();
        let mut record = csv::StringRecord::new();
        let (headers, header_line) = loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break (Vec::new(), preamble.len() + 1),
                Err(e) => {
                    diags.push(record_error(rel, &e));
                    return None;
                }
            }
            let line = record.position().map_or(1, |p| p.line() as usize);
            let cells: Vec<String> = record.iter().map(str::to_string).collect();
            let is_header = match skip {
                None => true,
                Some(profile::SkipRows::Count(n)) => preamble.len() >= n,
                Some(profile::SkipRows::Auto(_)) => {
                    cells
                        .iter()
                        .any(|c| named.contains(&header::normalize(c).key))
                        || preamble.len() >= 50
                }
            };
            if is_header {
                break (cells, line);
            }
            preamble.push(cells.join(&(settings.delimiter as char).to_string()));
        };
        if headers.iter().all(|h| h.trim().is_empty()) {
            diags.push(
                Diagnostic::error("empty-export", rel, "the file is empty: no header row")
                    .at_line(header_line)
                    .expected("a header row naming the columns, then data rows")
                    .help("re-export the data; an empty export is never read as zero"),
            );
            return None;
        }
        Some(OpenCsv {
            encoding,
            reader,
            headers,
            header_line,
            preamble,
            sheet,
            file_bytes,
            digest,
        })
    }

    /// Reads the next non-blank record into `record`; `false` at the end or after a read
    /// error (which is reported).
    pub fn next_record(
        &mut self,
        rel: &Path,
        record: &mut csv::StringRecord,
        diags: &mut Vec<Diagnostic>,
    ) -> bool {
        loop {
            match self.reader.read_record(record) {
                Ok(false) => return false,
                Ok(true) if record.iter().all(|f| f.trim().is_empty()) => continue,
                Ok(true) => return true,
                Err(e) => {
                    diags.push(record_error(rel, &e));
                    return false;
                }
            }
        }
    }

    /// The record reader, for reading on another thread (an empty reader is left behind).
    pub fn take_reader(&mut self) -> Records {
        std::mem::replace(&mut self.reader, Records::empty())
    }

    /// Reads the next record into `record`, blank ones included; `false` at the end or after
    /// a read error (which is reported).
    pub fn next_any_record(
        &mut self,
        rel: &Path,
        record: &mut Record,
        diags: &mut Vec<Diagnostic>,
    ) -> bool {
        match self.reader.read(record) {
            Ok(more) => more,
            Err(e) => {
                diags.push(record_error(rel, &e));
                false
            }
        }
    }

    /// The header row as one line, for snippets.
    pub fn header_line(&self, delimiter: u8) -> String {
        self.headers.join(&(delimiter as char).to_string())
    }
}

/// The cleaned cells of one column below the header (on `header_line`), read again from the
/// file's start. For per-file decisions that need every value before the first row is folded
/// (day/month order, day buckets): a report's preamble (a title, its date range, when it was
/// generated) is not data and must not decide them. A file that cannot be reopened yields
/// nothing (the main pass reports why).
pub fn rescan_column(
    abs: &Path,
    encoding: UsedEncoding,
    sheet: Option<&str>,
    delimiter: u8,
    column: usize,
    header_line: usize,
) -> impl Iterator<Item = String> {
    let mut reader = open_decoded(abs, encoding, sheet)
        .ok()
        .map(|stream| Records::new(stream, delimiter, 64 * 1024));
    let mut record = Record::default();
    std::iter::from_fn(move || {
        let reader = reader.as_mut()?;
        loop {
            if !reader.read(&mut record).ok()? {
                return None;
            }
            if record.line() as usize <= header_line {
                continue;
            }
            return Some(record.get(column).and_then(value::clean));
        }
    })
    .flatten()
}

/// How one file's offset timestamps name their day: the source's setting, or, the first time a date
/// cell is an offset timestamp, what the whole column shows
/// (docs/rules.md#day-buckets-and-instants).
pub struct StampReading {
    settled: Option<TimestampMode>,
}

impl StampReading {
    /// A reading for one file of `settings`' source.
    pub fn new(settings: &SourceSettings) -> Self {
        StampReading {
            settled: settings.timestamps,
        }
    }

    /// The mode once settled (by the source's setting or by the file's column), after which no
    /// cell needs looking at.
    pub fn settled(&self) -> Option<TimestampMode> {
        self.settled
    }

    /// The mode for `cell`, settling it from the file's column on the first offset timestamp.
    pub fn mode(
        &mut self,
        cell: &str,
        rule: &value::DateRule,
        rescan: impl FnOnce() -> TimestampMode,
    ) -> TimestampMode {
        if self.settled.is_none() && value::offset_midnight(cell, rule).is_some() {
            self.settled = Some(rescan());
        }
        self.settled.unwrap_or(TimestampMode::Instants)
    }
}

/// The source's settings for one file: a workbook is read as comma-separated text, and a file
/// whose lines are tab-separated is read with tabs unless the plan or profile named a
/// delimiter (Google Ads' "Excel CSV" is UTF-16 with tabs).
pub fn file_settings<'a>(
    root: &Path,
    rel: &Path,
    settings: &'a SourceSettings,
) -> std::borrow::Cow<'a, SourceSettings> {
    use std::borrow::Cow;
    if workbook::is_workbook(rel) {
        return Cow::Owned(SourceSettings {
            delimiter: b',',
            ..settings.clone()
        });
    }
    // Nothing is opened before the sandbox has seen it (a pipe would block here).
    if settings.delimiter_declared || crate::load::sandbox::check(root, rel).is_err() {
        return Cow::Borrowed(settings);
    }
    let mut head = vec![0u8; 16 * 1024];
    let n = File::open(root.join(rel))
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    head.truncate(n);
    let text = match sniff(&head) {
        Sniffed::Utf16Le => {
            encoding_rs::UTF_16LE
                .decode_without_bom_handling(&head[2..])
                .0
        }
        Sniffed::Utf16Be => {
            encoding_rs::UTF_16BE
                .decode_without_bom_handling(&head[2..])
                .0
        }
        _ => String::from_utf8_lossy(&head),
    };
    let (mut tabbed, mut commas) = (0, 0);
    for line in text.lines().take(12) {
        let (t, c) = (line.matches('\t').count(), line.matches(',').count());
        if t > c {
            tabbed += 1;
        } else if c > t {
            commas += 1;
        }
    }
    if tabbed > commas {
        Cow::Owned(SourceSettings {
            delimiter: b'\t',
            ..settings.clone()
        })
    } else {
        Cow::Borrowed(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rescan_reads_only_the_rows_below_the_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.csv");
        // A report's preamble (its title, when it was generated) above the header on line 4.
        // UTC day buckets below it: read as instants, they would fall on the day before in a
        // zone west of UTC.
        std::fs::write(
            &path,
            "群数据日报,\n2025-07-02T10:15:00+08:00,导出时间\n\ndate,members\n\
             2025-07-01T00:00:00+00:00,100\n2025-07-02T00:00:00+00:00,101\n",
        )
        .unwrap();
        let cells: Vec<String> =
            rescan_column(&path, UsedEncoding::Utf8, None, b',', 0, 4).collect();
        assert_eq!(
            cells,
            ["2025-07-01T00:00:00+00:00", "2025-07-02T00:00:00+00:00"]
        );
        // The generated-at stamp is not midnight: had it been read, the column would not be
        // day buckets.
        let rule = value::DateRule::Auto { order: None };
        assert_eq!(
            value::detect_stamps(&cells, &rule),
            crate::model::plan::TimestampMode::DayBuckets
        );
        // A header on line 1 (no preamble): every row after it.
        std::fs::write(&path, "date,members\n2025-07-01,100\n").unwrap();
        let cells: Vec<String> =
            rescan_column(&path, UsedEncoding::Utf8, None, b',', 0, 1).collect();
        assert_eq!(cells, ["2025-07-01"]);
    }
}
