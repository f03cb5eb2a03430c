//! Splitting a decoded export into CSV records.
//!
//! The stream is checked as UTF-8 a read at a time, so a record's text needs no second check.
//! Most lines of an export hold no quote: their end and their cells are found in one scan,
//! sixteen bytes at a time (`scan_line`). A line whose quoted fields are simple (each whole
//! between two quotes) is split by hand too; only the rest (doubled quotes, a field running
//! over lines, a lone carriage return) goes through `csv_core`'s parser. The records are the
//! ones the csv crate reads (flexible rows, no header handling, `\r`, `\n` and `\r\n` all
//! ending a record, blank lines skipped, a leading BOM dropped); property tests pin that. Each
//! record's position is the line and byte where the record itself starts, after any blank
//! lines before it (the csv crate names the first of those blank lines), so a CRLF file needs
//! no rewriting to get its line numbers right.

use std::io::{self, Read};

use csv::{Position, StringRecord};
use csv_core::ReadRecordResult;

mod line;

use line::*;

/// A problem that ends the reading of a file.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The stream could not be read (or decoded).
    #[error("{0}")]
    Io(#[from] io::Error),
    /// A quoted cell opened on this line is never closed.
    #[error("a quote opened on line {line} is never closed")]
    UnclosedQuote {
        /// The line of the record with the open quote.
        line: u64,
    },
    /// The stream is not UTF-8 from this line on: a file settled as UTF-8 that mixes
    /// encodings, or one that changed while it was read (decoded streams always are UTF-8).
    #[error("line {line} is not valid UTF-8")]
    Utf8 {
        /// The line of the first byte that is not.
        line: u64,
    },
}

impl RecordError {
    /// The line the problem is on, when it is inside the file.
    #[inline]
    pub fn line(&self) -> Option<u64> {
        match self {
            RecordError::Io(_) => None,
            RecordError::Utf8 { line } | RecordError::UnclosedQuote { line } => Some(*line),
        }
    }
}

/// The records of a stream, read one at a time into a caller's record.
pub struct Records {
    stream: Box<dyn Read + Send>,
    delimiter: u8,
    /// Bytes as read; the first `pending` are the start of a character the last read cut.
    raw: Vec<u8>,
    pending: usize,
    /// Text read and checked; what is not yet used starts at `start`.
    text: String,
    start: usize,
    /// The stream has no more bytes.
    eof: bool,
    /// The bytes after `text` are not UTF-8.
    invalid: bool,
    /// The stream offset of `text`'s first byte.
    base: u64,
    /// The line of `text[start]`, from 1.
    line: u64,
    /// Records handed out so far.
    records: u64,
    /// Whether a leading BOM has been looked for.
    started: bool,
    /// The parser for lines with quotes, built the first time one is met.
    quoted: Option<Box<csv_core::Reader>>,
    /// The quoted parser's output: field bytes and where each field ends.
    out: Vec<u8>,
    ends: Vec<usize>,
    /// The record behind [`Records::read_record`], kept for its buffers.
    scratch: Record,
}

/// One record: the text of its line (or, for a line with quotes, of its fields) and where each
/// field lies in it.
#[derive(Debug, Clone, Default)]
pub struct Record {
    text: String,
    bounds: Vec<(usize, usize)>,
    line: u64,
    byte: u64,
    index: u64,
}

impl Record {
    /// How many fields the record has.
    #[inline]
    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    /// Whether the record has no field (only before the first read).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.bounds.is_empty()
    }

    /// Where field `i` lies in the record's text.
    fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        self.bounds.get(i).map(|&(from, to)| from..to)
    }

    /// Field `i`.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&str> {
        self.text.get(self.range(i)?)
    }

    /// Every field in order.
    #[inline]
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// The line the record starts on, from 1.
    #[inline]
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The stream offset of the record's first byte.
    #[inline]
    pub fn byte(&self) -> u64 {
        self.byte
    }

    /// The record's position, in the csv crate's terms (for its `StringRecord`s). A record
    /// not yet read is on line 1 (the csv crate refuses a line 0).
    #[inline]
    pub fn position(&self) -> Position {
        let mut position = Position::new();
        position
            .set_byte(self.byte)
            .set_line(self.line.max(1))
            .set_record(self.index);
        position
    }
}

impl Records {
    /// Records of `stream` separated by `delimiter`, read `capacity` bytes at a time.
    pub fn new(stream: Box<dyn Read + Send>, delimiter: u8, capacity: usize) -> Self {
        Records {
            stream,
            delimiter,
            raw: vec![0; capacity.max(64)],
            pending: 0,
            text: String::new(),
            start: 0,
            eof: false,
            invalid: false,
            base: 0,
            line: 1,
            records: 0,
            started: false,
            quoted: None,
            out: Vec::new(),
            ends: Vec::new(),
            scratch: Record::default(),
        }
    }

    /// A reader with nothing to read, left behind when a file's reader moves to another thread.
    pub fn empty() -> Self {
        Records::new(Box::new(io::empty()), b',', 0)
    }

    /// Reads the next record into `record`; `false` at the end of the stream.
    pub fn read(&mut self, record: &mut Record) -> Result<bool, RecordError> {
        record.text.clear();
        record.bounds.clear();
        if !self.started {
            self.drop_bom()?;
        }
        if !self.skip_blank_lines()? {
            return Ok(false);
        }
        record.byte = self.base + self.start as u64;
        record.line = self.line;
        record.index = self.records;
        self.records += 1;
        // The line is looked at once, its end and its cells found together; only a line the
        // text read so far does not hold whole is looked for again after reading more.
        let line = match scan_line(
            self.text.as_bytes(),
            self.start,
            self.delimiter,
            &mut record.bounds,
        ) {
            Some(line) => line,
            None => {
                record.bounds.clear();
                let line = self.plain_line()?;
                if let Line::Plain { body_end, .. } = line {
                    let body = &self.text.as_bytes()[self.start..body_end];
                    split(body, self.delimiter, &mut record.bounds);
                }
                line
            }
        };
        if !matches!(line, Line::Plain { .. }) {
            record.bounds.clear();
        }
        match line {
            Line::Plain { body_end, next } => {
                record.text.push_str(&self.text[self.start..body_end]);
                if next > body_end {
                    self.line += 1;
                }
                self.start = next;
            }
            Line::Quoted { quote } => {
                let line_end = self.read_to_line_end(quote)?;
                match simple_quoted(&self.text, self.start, line_end, self.delimiter, record) {
                    Some(()) if line_end < self.text.len() => {
                        self.start = line_end + 1;
                        self.line += 1;
                    }
                    Some(()) => self.start = line_end,
                    None => {
                        record.text.clear();
                        record.bounds.clear();
                        self.read_quoted(record)?;
                    }
                }
            }
            Line::Full => self.read_quoted(record)?,
        }
        Ok(true)
    }

    /// Reads on until the text from `from` (where the line holds no `\n` before it) holds a
    /// `\n` or the stream ends; the index of that `\n`, or the text's end.
    fn read_to_line_end(&mut self, mut from: usize) -> Result<usize, RecordError> {
        loop {
            if let Some(at) = memchr::memchr(b'\n', &self.text.as_bytes()[from..]) {
                return Ok(from + at);
            }
            match self.read_more(self.text.len())? {
                Some(resume) => from = resume,
                None => return Ok(self.text.len()),
            }
        }
    }

    /// Reads more text for a search that has looked at everything before `at`: where the
    /// search resumes (reading moves the text), or `None` at the end of the stream.
    fn read_more(&mut self, at: usize) -> Result<Option<usize>, RecordError> {
        let searched = at - self.start;
        Ok(self.fill()?.then(|| self.start + searched))
    }

    /// Reads the next record into a csv `StringRecord`; `false` at the end of the stream.
    pub fn read_record(&mut self, record: &mut StringRecord) -> Result<bool, RecordError> {
        let mut scratch = std::mem::take(&mut self.scratch);
        let more = self.read(&mut scratch);
        if let Ok(true) = more {
            record.clear();
            for field in scratch.iter() {
                record.push_field(field);
            }
            record.set_position(Some(scratch.position()));
        }
        self.scratch = scratch;
        more
    }

    /// What the line at `start` needs: a plain line (no quote, and no carriage return but the
    /// one of a final `\r\n`) ends its cells at `body_end` and the next line starts at `next`.
    fn plain_line(&mut self) -> Result<Line, RecordError> {
        let mut from = self.start;
        loop {
            let bytes = self.text.as_bytes();
            match memchr::memchr3(b'\n', b'"', b'\r', &bytes[from..]) {
                Some(at) => {
                    let at = from + at;
                    return Ok(match bytes[at] {
                        b'\n' => Line::Plain {
                            body_end: at,
                            next: at + 1,
                        },
                        b'\r' if bytes.get(at + 1) == Some(&b'\n') => Line::Plain {
                            body_end: at,
                            next: at + 2,
                        },
                        // A `\r` that ends the text read so far: read on to see what follows.
                        b'\r' if at + 1 == bytes.len() && !self.eof => {
                            match self.read_more(at)? {
                                Some(resume) => from = resume,
                                None => return Ok(Line::Full),
                            }
                            continue;
                        }
                        b'"' => Line::Quoted { quote: at },
                        _ => Line::Full,
                    });
                }
                None => match self.read_more(bytes.len())? {
                    Some(resume) => from = resume,
                    None => {
                        // Reading may have moved the text before finding the end.
                        let end = self.text.len();
                        return Ok(Line::Plain {
                            body_end: end,
                            next: end,
                        });
                    }
                },
            }
        }
    }

    /// Drops a byte order mark at the start of the stream, as the csv crate does.
    fn drop_bom(&mut self) -> Result<(), RecordError> {
        self.started = true;
        while self.text.len() - self.start < 3 {
            match self.fill() {
                Ok(true) => {}
                // Text that is not UTF-8 is reported where the records reach it.
                Ok(false) | Err(RecordError::Utf8 { .. }) => break,
                Err(e) => return Err(e),
            }
        }
        if self.text[self.start..].starts_with('\u{FEFF}') {
            self.start += 3;
        }
        Ok(())
    }

    /// Moves past `\r` and `\n` bytes before a record (blank lines carry no record); `false`
    /// when the stream ends first.
    fn skip_blank_lines(&mut self) -> Result<bool, RecordError> {
        loop {
            let bytes = self.text.as_bytes();
            while self.start < bytes.len() {
                match bytes[self.start] {
                    b'\n' => self.line += 1,
                    b'\r' => {}
                    _ => return Ok(true),
                }
                self.start += 1;
            }
            if !self.fill()? {
                return Ok(false);
            }
        }
    }

    /// Reads one record from `start` with `csv_core`: quoted fields may hold delimiters, quotes
    /// and line breaks.
    fn read_quoted(&mut self, record: &mut Record) -> Result<(), RecordError> {
        let mut core = self
            .quoted
            .take()
            .unwrap_or_else(|| quoted_parser(self.delimiter));
        let read = self.parse_quoted(&mut core, record);
        self.quoted = Some(core);
        read
    }

    fn parse_quoted(
        &mut self,
        core: &mut csv_core::Reader,
        record: &mut Record,
    ) -> Result<(), RecordError> {
        core.set_line(self.line);
        let (mut out_len, mut ends_len) = (0, 0);
        let mut quoting = Quoting::FieldStart;
        loop {
            let input = &self.text.as_bytes()[self.start..];
            let at_end = input.is_empty() && self.eof;
            let (result, read, wrote, ended) =
                core.read_record(input, &mut self.out[out_len..], &mut self.ends[ends_len..]);
            quoting = quoting.after(&input[..read], self.delimiter);
            self.start += read;
            out_len += wrote;
            ends_len += ended;
            match result {
                ReadRecordResult::InputEmpty if !at_end => {
                    self.fill()?;
                }
                ReadRecordResult::OutputFull => {
                    self.out.resize((self.out.len() * 2).max(256), 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    self.ends.resize((self.ends.len() * 2).max(16), 0);
                }
                ReadRecordResult::Record | ReadRecordResult::End | ReadRecordResult::InputEmpty => {
                    break;
                }
            }
        }
        // The csv crate reads an unclosed quote's field to the end of the file: every row after
        // it would be lost in one cell, and their amounts with them.
        if quoting == Quoting::Quoted {
            return Err(RecordError::UnclosedQuote { line: self.line });
        }
        // The parser only drops quotes (ASCII) from text, so its fields are text too.
        let fields = std::str::from_utf8(&self.out[..out_len])
            .map_err(|_| RecordError::Utf8 { line: self.line })?;
        record.text.push_str(fields);
        let mut from = 0;
        for &end in &self.ends[..ends_len] {
            record.bounds.push((from, end));
            from = end;
        }
        self.line = core.line();
        Ok(())
    }

    /// Reads more of the stream onto the unused text, checking it as UTF-8 (a character cut
    /// by the read waits for the next); `false` when the stream has no more.
    fn fill(&mut self) -> Result<bool, RecordError> {
        if self.invalid {
            return Err(self.not_utf8());
        }
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 {
            self.text.drain(..self.start);
            self.base += self.start as u64;
            self.start = 0;
        }
        loop {
            let n = match self.stream.read(&mut self.raw[self.pending..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            };
            if n == 0 {
                self.eof = true;
                if self.pending > 0 {
                    // The stream ends inside a character.
                    self.invalid = true;
                    return Err(self.not_utf8());
                }
                return Ok(false);
            }
            let filled = self.pending + n;
            let whole = complete_prefix(&self.raw[..filled]);
            match simdutf8::basic::from_utf8(&self.raw[..whole]) {
                Ok(text) => self.text.push_str(text),
                Err(_) => {
                    // Keep the text before the first bad byte; the error comes when it is used.
                    let valid = self.raw[..whole]
                        .utf8_chunks()
                        .next()
                        .map_or("", |c| c.valid());
                    self.text.push_str(valid);
                    self.invalid = true;
                    return if valid.is_empty() {
                        Err(self.not_utf8())
                    } else {
                        Ok(true)
                    };
                }
            }
            self.raw.copy_within(whole..filled, 0);
            self.pending = filled - whole;
            if whole > 0 {
                return Ok(true);
            }
        }
    }

    /// The error for text that is not UTF-8 right after what was read, on its own line.
    fn not_utf8(&self) -> RecordError {
        let after = memchr::memchr_iter(b'\n', &self.text.as_bytes()[self.start..]).count();
        RecordError::Utf8 {
            line: self.line + after as u64,
        }
    }
}

#[cfg(test)]
mod tests;
