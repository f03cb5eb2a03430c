//! CSV exports (reference §C): decoding, globbing, profiles and header mapping shared by the
//! daily, ledger and progress readers. Files are streamed record by record; nothing here holds
//! a whole file in memory.

pub mod cell_map;
pub mod daily;
pub mod events;
pub mod header;
pub mod ids;
pub mod keyed;
pub mod ledger;
pub mod profile;
pub mod progress;
pub mod records;
pub mod value;
pub mod workbook;

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

/// How one file's offset timestamps name their day: the source's setting, or, the first time
/// a date cell is an offset timestamp, what the whole column shows (DESIGN §5).
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

/// Puts the sheet's name into a workbook's cell references: `cell C14` → `cell 数据!C14`.
pub fn name_sheet(diags: &mut [Diagnostic], rel: &Path, sheet: Option<&str>) {
    let Some(sheet) = sheet else {
        return;
    };
    for d in diags {
        if d.path == rel
            && let Some(field) = &mut d.field
            && let Some(at) = field.find(", cell ")
        {
            field.insert_str(at + ", cell ".len(), &format!("{sheet}!"));
        }
    }
}

/// Moves header diagnostics (made on line 1) to the header's real line when a preamble was
/// skipped.
pub fn on_header_line(diags: &mut [Diagnostic], rel: &Path, header_line: usize) {
    for d in diags {
        if d.path == rel && d.line == Some(1) {
            d.line = Some(header_line);
        }
    }
}

/// A header-mapping problem as a diagnostic on the header line.
pub fn mapping_diagnostic(
    rel: &Path,
    headers: &[String],
    problem: &header::MappingProblem,
    settings: &SourceSettings,
) -> Diagnostic {
    let d = match problem {
        header::MappingProblem::TwoHeaders {
            canonical,
            first,
            second,
        } => Diagnostic::error(
            "ambiguous-header",
            rel,
            format!(
                "headers `{}` and `{}` both map to `{canonical}`",
                headers[*first], headers[*second]
            ),
        )
        .help(format!(
            "say which one to use: `data.{}.columns: {{{canonical}: {}}}`",
            settings.name, headers[*first]
        )),
        header::MappingProblem::ClaimedTwice {
            header,
            first,
            second,
        } => Diagnostic::error(
            "ambiguous-header",
            rel,
            format!(
                "header `{}` is named for both `{first}` and `{second}`",
                headers[*header]
            ),
        )
        .help("map each source header to one canonical column"),
    };
    d.at(1, 1)
        .snippet(headers.join(&(settings.delimiter as char).to_string()))
}

/// A problem that ended a file's records (unreadable part way, invalid UTF-8 after decoding) as
/// a diagnostic.
pub fn record_error(rel: &Path, e: &RecordError) -> Diagnostic {
    match e {
        RecordError::Io(e) => Diagnostic::error("io", rel, format!("cannot read file: {e}"))
            .help("check that the file is readable and complete, then build again"),
        RecordError::UnclosedQuote { line } => Diagnostic::error(
            "unclosed-quote",
            rel,
            "a quote opened in this row is never closed: every line after it would be read into one cell",
        )
        .at_line(*line as usize)
        .expected("a closing `\"` at the end of the quoted cell")
        .help("close the quote, or write a quote inside a quoted cell twice (`\"\"`); nothing after this row is read until it is fixed"),
        RecordError::Utf8 { line } => {
            Diagnostic::error("encoding", rel, "this line is not valid UTF-8")
                .at_line(*line as usize)
                .expected("text in the file's encoding")
                .help("the lines above are UTF-8, this one is not: the file mixes encodings (rows pasted in from a GBK/GB18030 file, say) or changed while it was read; save the whole file again as UTF-8")
        }
    }
}

/// The encoding a file was actually read with, recorded for the data appendix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsedEncoding {
    /// UTF-8 (a BOM, if any, was stripped).
    Utf8,
    /// GB18030 (GBK-compatible), typical of Excel on Chinese Windows.
    Gb18030,
    /// UTF-16 little-endian with a BOM (Google Ads' "Excel CSV", Excel's "Unicode text").
    Utf16Le,
    /// UTF-16 big-endian with a BOM.
    Utf16Be,
    /// A workbook, read through calamine.
    Workbook,
}

impl UsedEncoding {
    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            UsedEncoding::Utf8 => "UTF-8",
            UsedEncoding::Gb18030 => "GB18030",
            UsedEncoding::Utf16Le => "UTF-16LE",
            UsedEncoding::Utf16Be => "UTF-16BE",
            UsedEncoding::Workbook => "workbook",
        }
    }
}

/// The chunk size for reading a file of `len` bytes: the whole file when small (8 KiB at
/// least), 256 KiB at most. A buffer is zeroed when first used, and a site of a thousand
/// campaigns opens thousands of small exports: 256 KiB for each was a tenth of loading them.
fn chunk_size(len: u64) -> usize {
    usize::try_from(len.saturating_add(16)).map_or(256 * 1024, |n| n.clamp(8 * 1024, 256 * 1024))
}

/// The chunk size for the file at `path` (the largest when its size cannot be read).
fn chunk_size_of(path: &Path) -> usize {
    chunk_size(std::fs::metadata(path).map_or(u64::MAX, |m| m.len()))
}

/// Non-ASCII bytes that, all valid UTF-8, settle that a file is UTF-8 (about 85 Chinese
/// characters). GB18030 text forms valid UTF-8 only by accident, a character or two at a time,
/// never for this long. The main pass still checks every read, so a later byte that is not
/// UTF-8 is an `encoding` error at its line.
const UTF8_EVIDENCE: usize = 256;

/// Whether a file reads as UTF-8: valid to its end, or valid through `UTF8_EVIDENCE`
/// non-ASCII bytes, which is as sure and saves reading a large export twice. Streams the
/// file in chunks; only the bytes of a sequence cut by a chunk's end are carried over.
pub fn is_utf8(path: &Path) -> io::Result<bool> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; chunk_size_of(path)];
    // Bytes of an incomplete sequence at the end of the previous chunk, moved to the front.
    let mut carried = 0;
    let mut non_ascii = 0;
    loop {
        let n = file.read(&mut buf[carried..])?;
        if n == 0 {
            return Ok(carried == 0);
        }
        let filled = carried + n;
        let valid = match simdutf8::compat::from_utf8(&buf[..filled]) {
            Ok(_) => filled,
            // At most three bytes of a four-byte sequence can be cut off.
            Err(e) if e.error_len().is_none() && filled - e.valid_up_to() <= 3 => e.valid_up_to(),
            Err(_) => return Ok(false),
        };
        non_ascii += buf[..valid].iter().filter(|b| !b.is_ascii()).count();
        if non_ascii >= UTF8_EVIDENCE {
            return Ok(true);
        }
        buf.copy_within(valid..filled, 0);
        carried = filled - valid;
    }
}

/// Opens a file as a UTF-8 byte stream: BOM stripped, GB18030 transcoded on the fly.
pub fn open_decoded(
    path: &Path,
    encoding: UsedEncoding,
    sheet: Option<&str>,
) -> io::Result<Box<dyn Read + Send>> {
    if encoding == UsedEncoding::Workbook {
        // Only files already read whole under the site's budget are read again.
        let (text, _) =
            workbook::to_csv(std::fs::read(path)?, sheet, u64::MAX).map_err(io::Error::other)?;
        return Ok(Box::new(io::Cursor::new(text)));
    }
    decoded(File::open(path)?, encoding, chunk_size_of(path))
}

/// A byte stream as a UTF-8 stream: GB18030 and UTF-16 transcoded on the fly (UTF-8 read as it
/// is; the record reader drops its BOM).
fn decoded(
    file: impl Read + Send + 'static,
    encoding: UsedEncoding,
    chunk: usize,
) -> io::Result<Box<dyn Read + Send>> {
    match encoding {
        // Read as it is: the record reader checks the text and drops a BOM.
        UsedEncoding::Utf8 => Ok(Box::new(file)),
        UsedEncoding::Gb18030 => Ok(Box::new(BufReader::with_capacity(
            chunk,
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding_rs::GB18030))
                .build(file),
        ))),
        // The BOM is sniffed and stripped by the decoder.
        UsedEncoding::Utf16Le | UsedEncoding::Utf16Be => Ok(Box::new(BufReader::with_capacity(
            chunk,
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .bom_sniffing(true)
                .build(file),
        ))),
        UsedEncoding::Workbook => Err(io::Error::other("a workbook is not a text stream")),
    }
}

/// What the first bytes of a file say it is, before any text decoding is tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sniffed {
    Text,
    Utf16Le,
    Utf16Be,
    Utf32,
    Utf16WithoutBom,
    ZipWorkbook,
    OleWorkbook,
    Binary,
}

fn sniff(head: &[u8]) -> Sniffed {
    if head.starts_with(b"\xFF\xFE\x00\x00") || head.starts_with(b"\x00\x00\xFE\xFF") {
        return Sniffed::Utf32;
    }
    if head.starts_with(b"\xFF\xFE") {
        return Sniffed::Utf16Le;
    }
    if head.starts_with(b"\xFE\xFF") {
        return Sniffed::Utf16Be;
    }
    if head.starts_with(b"PK\x03\x04") {
        return Sniffed::ZipWorkbook;
    }
    if head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Sniffed::OleWorkbook;
    }
    let nuls = head.iter().filter(|b| **b == 0).count();
    if nuls == 0 {
        return Sniffed::Text;
    }
    // ASCII text in UTF-16 puts a NUL in every other byte.
    let odd = head.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let even = head.iter().step_by(2).filter(|b| **b == 0).count();
    let half = head.len() / 2;
    if half > 0 && (odd * 10 >= half * 8 || even * 10 >= half * 8) {
        Sniffed::Utf16WithoutBom
    } else {
        Sniffed::Binary
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

/// Decides the encoding of one file under the source's rule; returns a warning for a fallback.
pub fn choose_encoding(
    abs: &Path,
    rel: &Path,
    rule: Encoding,
) -> Result<(UsedEncoding, Option<Diagnostic>), Box<Diagnostic>> {
    let io_err = |e: io::Error| {
        Diagnostic::error("io", rel, format!("cannot read file: {e}"))
            .help("check the file's permissions")
    };
    if workbook::is_workbook(rel) {
        return Ok((UsedEncoding::Workbook, None));
    }
    let mut head = vec![0u8; 4096];
    let n = File::open(abs)
        .and_then(|mut f| f.read(&mut head))
        .map_err(io_err)?;
    head.truncate(n);
    let refuse = |what: &str, help: &str| {
        Err(Box::new(
            Diagnostic::error(
                "not-text",
                rel,
                format!("this file is {what}, not CSV text"),
            )
            .at_line(1)
            .expected("comma- or tab-separated text (UTF-8, GB18030 or UTF-16 with a BOM)")
            .help(help.to_string()),
        ))
    };
    let utf16 = |used: UsedEncoding| {
        let note = Diagnostic::note(
            "encoding-detected",
            rel,
            format!("read as {} (byte-order mark)", used.name()),
        );
        Ok((used, Some(note)))
    };
    match sniff(&head) {
        Sniffed::Text => {}
        Sniffed::Utf16Le => return utf16(UsedEncoding::Utf16Le),
        Sniffed::Utf16Be => return utf16(UsedEncoding::Utf16Be),
        Sniffed::Utf32 => {
            return refuse(
                "UTF-32 text",
                "save the export as UTF-8 (or UTF-16 with a BOM)",
            );
        }
        Sniffed::Utf16WithoutBom => {
            return refuse(
                "UTF-16 text without a byte-order mark",
                "save the export as UTF-8, or as UTF-16 with a BOM",
            );
        }
        Sniffed::ZipWorkbook => {
            return refuse(
                "an Excel (.xlsx) or OpenDocument (.ods) workbook with a .csv name",
                "rename it to .xlsx (or .ods): workbooks are read directly",
            );
        }
        Sniffed::OleWorkbook => {
            return refuse(
                "an Excel 97–2003 (.xls) workbook with a .csv name",
                "rename it to .xls: workbooks are read directly",
            );
        }
        Sniffed::Binary => {
            return refuse("binary data", "point the path at the CSV export itself");
        }
    }
    match rule {
        Encoding::Gb18030 => Ok((UsedEncoding::Gb18030, None)),
        Encoding::Utf8 => {
            if is_utf8(abs).map_err(io_err)? {
                Ok((UsedEncoding::Utf8, None))
            } else {
                Err(Box::new(Diagnostic::error("encoding", rel, "file is not valid UTF-8")
                    .expected("UTF-8, as `encoding: utf-8` says")
                    .help("set `encoding: gb18030` (or `auto`) for an export saved by Excel on Chinese Windows")))
            }
        }
        Encoding::Auto => {
            if is_utf8(abs).map_err(io_err)? {
                Ok((UsedEncoding::Utf8, None))
            } else {
                let warning = Diagnostic::note(
                    "encoding-fallback",
                    rel,
                    "file is not valid UTF-8; read it as GB18030",
                )
                .help("save the export as UTF-8, or set `encoding: gb18030` to make this explicit");
                Ok((UsedEncoding::Gb18030, Some(warning)))
            }
        }
    }
}

/// A source's `path` glob, matched against paths relative to `data/` with `/` separators (`*`
/// stays within one folder).
pub fn data_glob(pattern: &str) -> Result<globset::GlobMatcher, String> {
    Ok(GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| format!("invalid glob `{pattern}`: {e}"))?
        .compile_matcher())
}

/// The files under `data_dir` that match `pattern`, as paths relative to the site root, in
/// sorted order (so concatenation order is stable).
pub fn expand_glob(root: &Path, pattern: &str) -> Result<Vec<PathBuf>, String> {
    if pattern.split(['/', '\\']).any(|part| part == "..") || Path::new(pattern).is_absolute() {
        return Err(format!("path `{pattern}` must stay inside data/"));
    }
    // A plain path (most sources) needs no glob: building one (a regex) for every source of
    // every campaign was a hundredth of a site build.
    let plain = !pattern.contains(['*', '?', '[', ']', '{', '}', '\\']);
    let glob = if plain {
        None
    } else {
        Some(data_glob(pattern)?)
    };
    let data = root.join("data");
    // Walk only below the glob's literal prefix (`exports/` of `exports/群统计_*.csv`), so each
    // source costs what its own folder holds, not the whole data/ tree.
    let literal: Vec<&str> = pattern
        .split('/')
        .take_while(|part| !part.contains(['*', '?', '[', '{']))
        .collect();
    let whole = literal.len() == pattern.split('/').count();
    let base = if whole {
        data.join(pattern)
    } else {
        data.join(literal.join("/"))
    };
    let mut found = Vec::new();
    if whole {
        // `exists` follows links; the sandbox then judges what the path really is.
        if base.exists() {
            found.push(Path::new("data").join(pattern));
        }
        return Ok(found);
    }
    for entry in walkdir::WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        // Links and special files are listed too: reading refuses them with a reason,
        // where skipping them would lose data without a word.
        if entry.file_type().is_dir() {
            continue;
        }
        if let Ok(rel) = entry.path().strip_prefix(&data) {
            let rel_text = rel.to_string_lossy().replace('\\', "/");
            if glob.as_ref().is_some_and(|g| g.is_match(&rel_text)) {
                found.push(Path::new("data").join(rel));
            }
        }
    }
    Ok(found)
}

/// A CSV record's text, re-joined, and the 1-based column where field `index` starts: enough to
/// show the offending line with a caret.
pub fn record_snippet(record: &csv::StringRecord, index: usize, delimiter: u8) -> (String, usize) {
    let sep = delimiter as char;
    let mut line = String::new();
    let mut col = 1;
    for (i, field) in record.iter().enumerate() {
        if i > 0 {
            line.push(sep);
        }
        if i == index {
            col = line.chars().count() + 1;
        }
        if field.contains(sep) || field.contains('"') {
            line.push('"');
            line.push_str(&field.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(field);
        }
    }
    (line, col)
}

/// A located diagnostic for a cell.
/// The rows of one column that cannot be read, reported once (#25): at the first of them,
/// saying how many there are and showing the first three lines and values, so one unreadable
/// column is one error, not one per row.
#[derive(Debug, Default)]
pub struct ColumnErrors {
    first: Option<Diagnostic>,
    count: usize,
    examples: Vec<(PathBuf, usize, String)>,
}

impl ColumnErrors {
    /// One more unreadable cell: its diagnostic (kept for the first only), line and text.
    pub fn add(&mut self, d: Diagnostic, line: usize, value: &str) {
        self.count += 1;
        if self.examples.len() < 3 {
            self.examples
                .push((d.path.clone(), line, value.chars().take(40).collect()));
        }
        self.first.get_or_insert(d);
    }

    /// Whether any cell was unreadable.
    pub fn any(&self) -> bool {
        self.count > 0
    }

    /// The one diagnostic: the first cell's, with the count and examples when there are more.
    pub fn finish(self) -> Option<Diagnostic> {
        let mut d = self.first?;
        if self.count > 1 {
            let several_files = self.examples.iter().any(|(p, _, _)| *p != d.path);
            let shown: Vec<String> = self
                .examples
                .iter()
                .map(|(path, line, text)| {
                    if several_files {
                        format!(
                            "{}:{line} `{text}`",
                            path.to_string_lossy().replace('\\', "/")
                        )
                    } else {
                        format!("line {line} `{text}`")
                    }
                })
                .collect();
            d.message = format!(
                "{} rows of this column cannot be read ({}{}); the first: {}",
                self.count,
                shown.join(", "),
                if self.count > shown.len() {
                    ", …"
                } else {
                    ""
                },
                d.message
            );
        }
        Some(d)
    }
}

pub fn cell_error(
    code: &'static str,
    rel: &Path,
    record: &csv::StringRecord,
    index: usize,
    column: &str,
    delimiter: u8,
    message: impl Into<String>,
) -> Diagnostic {
    let (line_text, col) = record_snippet(record, index, delimiter);
    let line = record.position().map_or(0, |p| p.line() as usize);
    let field = if workbook::is_workbook(rel) {
        // A workbook row is its sheet row; [`name_sheet`] adds the sheet's name.
        format!(
            "column `{column}`, cell {}{line}",
            workbook::column_letters(index)
        )
    } else {
        format!("column `{column}`")
    };
    let mut d = Diagnostic::error(code, rel, message)
        .field(field)
        .snippet(line_text);
    if line > 0 {
        d = d.at(line, col);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_checked_across_chunk_boundaries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.csv");
        // "中" (three bytes) cut by the 256 KiB read at each of its inner boundaries.
        for before in [256 * 1024 - 1, 256 * 1024 - 2] {
            let mut bytes = vec![b'a'; before];
            bytes.extend_from_slice("中,𠀀\n".as_bytes());
            bytes.extend(std::iter::repeat_n(b'b', 300 * 1024));
            std::fs::write(&path, &bytes).unwrap();
            assert!(is_utf8(&path).unwrap(), "cut after {before} bytes");
            // A GB18030 byte pair far past the first chunk.
            bytes.extend_from_slice(&[0xD6, 0xD0]);
            std::fs::write(&path, &bytes).unwrap();
            assert!(!is_utf8(&path).unwrap());
        }
        // A sequence cut by the end of the file is not UTF-8.
        std::fs::write(&path, &"中".as_bytes()[..2]).unwrap();
        assert!(!is_utf8(&path).unwrap());
    }

    #[test]
    fn enough_valid_chinese_settles_utf8_and_gb18030_never_passes_for_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.csv");
        let text = "日期,类别,金额,说明\n2025-07-01,宣传推广,200.00,第二轮合作按固定费用签约\n";
        // GB18030 Chinese over several reads is never taken for UTF-8.
        let many = text.repeat(8_000);
        let (gb, _, _) = encoding_rs::GB18030.encode(&many);
        assert!(gb.len() > 512 * 1024);
        std::fs::write(&path, &gb).unwrap();
        assert!(!is_utf8(&path).unwrap());
        // UTF-8 with a hundred Chinese characters in its first read is UTF-8 without reading
        // on to the GB18030 bytes far below (the main pass names their line).
        let mut bytes = "说明".repeat(50).into_bytes();
        bytes.extend(std::iter::repeat_n(b'a', 600 * 1024));
        bytes.extend_from_slice(&[0xD6, 0xD0]);
        std::fs::write(&path, &bytes).unwrap();
        assert!(is_utf8(&path).unwrap());
        // Too little evidence (ten characters): the whole file is checked.
        let mut bytes = "说明".repeat(5).into_bytes();
        bytes.extend(std::iter::repeat_n(b'a', 600 * 1024));
        bytes.extend_from_slice(&[0xD6, 0xD0]);
        std::fs::write(&path, &bytes).unwrap();
        assert!(!is_utf8(&path).unwrap());
    }

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
