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
    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    /// Whether the record has no field (only before the first read).
    pub fn is_empty(&self) -> bool {
        self.bounds.is_empty()
    }

    /// Where field `i` lies in the record's text.
    fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        self.bounds.get(i).map(|&(from, to)| from..to)
    }

    /// Field `i`.
    pub fn get(&self, i: usize) -> Option<&str> {
        self.text.get(self.range(i)?)
    }

    /// Every field in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// The line the record starts on, from 1.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The stream offset of the record's first byte.
    pub fn byte(&self) -> u64 {
        self.byte
    }

    /// The record's position, in the csv crate's terms (for its `StringRecord`s). A record
    /// not yet read is on line 1 (the csv crate refuses a line 0).
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

/// How much of `bytes` ends on a character boundary: a last character whose bytes have not all
/// been read is left for the next read.
fn complete_prefix(bytes: &[u8]) -> usize {
    let n = bytes.len();
    for back in 1..=n.min(4) {
        let b = bytes[n - back];
        // Not a continuation byte: ASCII or the first byte of a character.
        if b & 0xC0 != 0x80 {
            let needs = match b {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xFF => 4,
                _ => 1,
            };
            return if needs > back { n - back } else { n };
        }
    }
    n
}

/// How a line is read.
#[derive(Debug, Clone, Copy)]
enum Line {
    /// No quote: split at the delimiter.
    Plain { body_end: usize, next: usize },
    /// A quote (at `quote`) before the line's end: perhaps only simple quoted fields.
    Quoted { quote: usize },
    /// A lone carriage return: the full parser.
    Full,
}

/// Reads the line `from..line_end` (without its `\n`) into `record` when its quoted fields
/// are simple — a quote opens the field and another closes it right before a delimiter or the
/// line's end — as exports that quote every field write them. `None` (with `record` part
/// filled) for anything else (doubled quotes, a field running onto the next line, text after a
/// closing quote, a lone `\r`), which the full parser reads. Cells are found with plain loops:
/// they are short, and a `memchr` call per cell cost more than it saved.
fn simple_quoted(
    text: &str,
    from: usize,
    line_end: usize,
    delimiter: u8,
    record: &mut Record,
) -> Option<()> {
    let bytes = text.as_bytes();
    // The `\r` of a final `\r\n` ends the line; any other is the full parser's.
    let body_end = if line_end < bytes.len() && line_end > from && bytes[line_end - 1] == b'\r' {
        line_end - 1
    } else {
        line_end
    };
    let line = &bytes[..body_end];
    let mut at = from;
    loop {
        let (cell, end) = if line.get(at) == Some(&b'"') {
            let close = at + 1 + line[at + 1..].iter().position(|&b| b == b'"')?;
            (at + 1..close, close + 1)
        } else {
            let rest = &line[at..];
            let end = at
                + rest
                    .iter()
                    .position(|&b| b == delimiter || b == b'\r')
                    .unwrap_or(rest.len());
            (at..end, end)
        };
        let offset = record.text.len();
        record.text.push_str(text.get(cell.clone())?);
        record.bounds.push((offset, offset + cell.end - cell.start));
        if end == body_end {
            return Some(());
        }
        if line[end] != delimiter {
            return None;
        }
        at = end + 1;
    }
}

/// Where a record's bytes stand with respect to quoting, as `csv_core` reads them (quotes open
/// only at a field's start, a doubled quote inside stands for one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: its end, or the first of a doubled pair.
    QuoteInQuoted,
}

impl Quoting {
    fn after(mut self, bytes: &[u8], delimiter: u8) -> Self {
        for &b in bytes {
            self = match (self, b) {
                (Quoting::Quoted, b'"') => Quoting::QuoteInQuoted,
                (Quoting::Quoted, _) => Quoting::Quoted,
                (Quoting::QuoteInQuoted | Quoting::FieldStart, b'"') => Quoting::Quoted,
                (_, b) if b == delimiter || b == b'\n' || b == b'\r' => Quoting::FieldStart,
                _ => Quoting::Unquoted,
            };
        }
        self
    }
}

/// Appends the bounds of the fields of `line` (which holds no quote) to `bounds`. Delimiters
/// are found eight bytes at a time (a word compare with no carries between bytes): a cell
/// costs a few instructions, where a `memchr` call per cell cost tens.
fn split(line: &[u8], delimiter: u8, bounds: &mut Vec<(usize, usize)>) {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let pattern = u64::from_ne_bytes([delimiter; 8]);
    let mut from = 0;
    let mut words = line.chunks_exact(8);
    let mut offset = 0;
    for word in &mut words {
        let x = u64::from_le_bytes(word.try_into().expect("8 bytes")) ^ pattern;
        // The top bit of each byte of `x` that is zero: a delimiter.
        let mut found = !(((x & LOW7) + LOW7) | x | LOW7);
        while found != 0 {
            let at = offset + (found.trailing_zeros() / 8) as usize;
            bounds.push((from, at));
            from = at + 1;
            found &= found - 1;
        }
        offset += 8;
    }
    for (i, &b) in words.remainder().iter().enumerate() {
        if b == delimiter {
            bounds.push((from, offset + i));
            from = offset + i + 1;
        }
    }
    bounds.push((from, line.len()));
}

/// Finds how the line at `from` ends, as [`Records::plain_line`] does, and (for a plain line)
/// appends its cells' bounds, relative to `from`, to `bounds`: sixteen bytes at a time, each
/// block compared with the delimiter and with a line end or quote at once (SIMD where the
/// processor has it), where finding the line's end first (a `memchr` call) and then its cells
/// cost half of reading a record. `None` when `text` ends before the line does, or on a `\r`
/// that may be the first half of a `\r\n` (the caller reads on and splits the line itself);
/// `bounds` then holds part of the cells.
#[inline(always)]
fn scan_line(
    text: &[u8],
    from: usize,
    delimiter: u8,
    bounds: &mut Vec<(usize, usize)>,
) -> Option<Line> {
    use wide::u8x16;
    let (delimiters, newlines, returns, quotes) = (
        u8x16::splat(delimiter),
        u8x16::splat(b'\n'),
        u8x16::splat(b'\r'),
        u8x16::splat(b'"'),
    );
    let mut field = 0;
    let mut at = from;
    while let Some(bytes) = text.get(at..at + 16) {
        let block = u8x16::new(bytes.try_into().unwrap_or_default());
        // One bit a byte of the block.
        let stops =
            (block.simd_eq(newlines) | block.simd_eq(returns) | block.simd_eq(quotes)).to_bitmask();
        let mut found = block.simd_eq(delimiters).to_bitmask();
        if stops != 0 {
            // Only the delimiters before the first stop.
            found &= (1u32 << stops.trailing_zeros()) - 1;
        }
        while found != 0 {
            let cell_end = at - from + found.trailing_zeros() as usize;
            bounds.push((field, cell_end));
            field = cell_end + 1;
            found &= found - 1;
        }
        if stops != 0 {
            return line_end(
                text,
                from,
                at + stops.trailing_zeros() as usize,
                field,
                bounds,
            );
        }
        at += 16;
    }
    // The last bytes read so far, fewer than sixteen.
    for (i, &b) in text[at..].iter().enumerate() {
        if b == b'\n' || b == b'\r' || b == b'"' {
            return line_end(text, from, at + i, field, bounds);
        }
        if b == delimiter {
            bounds.push((field, at + i - from));
            field = at + i - from + 1;
        }
    }
    None
}

/// [`scan_line`]'s answer at the first line end or quote, `stop`, with the last cell starting
/// at `field`.
#[inline(always)]
fn line_end(
    text: &[u8],
    from: usize,
    stop: usize,
    field: usize,
    bounds: &mut Vec<(usize, usize)>,
) -> Option<Line> {
    let next = match (text[stop], text.get(stop + 1)) {
        (b'\n', _) => stop + 1,
        (b'\r', Some(b'\n')) => stop + 2,
        (b'\r', None) => return None,
        (b'\r', Some(_)) => return Some(Line::Full),
        _ => return Some(Line::Quoted { quote: stop }),
    };
    bounds.push((field, stop - from));
    Some(Line::Plain {
        body_end: stop,
        next,
    })
}

/// `csv_core`'s parser with the csv crate's defaults. It is fed one `\n` first: it drops a BOM
/// from the first input it is given, and a record in the middle of a file is not the start of
/// the stream (whose BOM [`Records`] drops itself).
fn quoted_parser(delimiter: u8) -> Box<csv_core::Reader> {
    let mut core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let _ = core.read_record(b"\n", &mut [0; 1], &mut [0; 1]);
    Box::new(core)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Hands out its bytes `step` at a time, to cross every buffer boundary.
    struct Trickle {
        data: Vec<u8>,
        at: usize,
        step: usize,
    }

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len() - self.at);
            buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    type Fields = (Vec<Vec<u8>>, u64, u64);

    /// Every record of `data` with its (line, byte), read `step` bytes at a time.
    fn read_all(data: &[u8], step: usize, capacity: usize) -> Vec<Fields> {
        let (all, unclosed) = read_until_unclosed(data, step, capacity);
        assert_eq!(unclosed, None);
        all
    }

    /// [`read_all`], stopping at an unclosed quote: the records before it, and its line.
    fn read_until_unclosed(
        data: &[u8],
        step: usize,
        capacity: usize,
    ) -> (Vec<Fields>, Option<u64>) {
        let stream = Trickle {
            data: data.to_vec(),
            at: 0,
            step,
        };
        let mut records = Records::new(Box::new(stream), b',', capacity);
        let mut record = Record::default();
        let mut all = Vec::new();
        loop {
            match records.read(&mut record) {
                Ok(true) => all.push((
                    record.iter().map(|f| f.as_bytes().to_vec()).collect(),
                    record.line(),
                    record.byte(),
                )),
                Ok(false) => return (all, None),
                Err(RecordError::UnclosedQuote { line }) => return (all, Some(line)),
                Err(e) => panic!("{e}"),
            }
        }
    }

    /// Whether the csv crate ends `data` inside a quoted field, found with the csv crate alone:
    /// one more quote then closes the field and reads the same, while two more put a quote in
    /// it.
    fn ends_inside_quotes(data: &[u8]) -> bool {
        let with = |tail: &[u8]| csv_crate(&[data, tail].concat());
        let records = csv_crate(data);
        with(b"\"") == records && with(b"\"\"") != records
    }

    /// Reading `data` gives the csv crate's records, or, where the csv crate reads an unclosed
    /// quote to the end of the file, the records before it and an error at its line.
    fn check_against_csv_crate(
        data: &[u8],
        step: usize,
        capacity: usize,
    ) -> Result<(), TestCaseError> {
        let (got, unclosed) = read_until_unclosed(data, step, capacity);
        let mut expected = csv_crate(data);
        if ends_inside_quotes(data) {
            let last = expected.pop().expect("a record holds the open quote");
            prop_assert_eq!(unclosed, Some(last.1));
        } else {
            prop_assert_eq!(unclosed, None);
        }
        prop_assert_eq!(got, expected);
        Ok(())
    }

    /// What the csv crate reads, with the position of the record's first byte (the csv crate
    /// names the start of any blank lines, or of the BOM, before it).
    fn csv_crate(data: &[u8]) -> Vec<(Vec<Vec<u8>>, u64, u64)> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .from_reader(data);
        reader
            .byte_records()
            .map(|r| {
                let r = r.unwrap();
                let mut byte = r.position().unwrap().byte() as usize;
                if byte == 0 && data.starts_with(b"\xEF\xBB\xBF") {
                    byte = 3;
                }
                while matches!(data.get(byte), Some(b'\r' | b'\n')) {
                    byte += 1;
                }
                let line = 1 + data[..byte].iter().filter(|&&b| b == b'\n').count() as u64;
                (r.iter().map(<[u8]>::to_vec).collect(), line, byte as u64)
            })
            .collect()
    }

    #[test]
    fn lines_are_split_at_the_delimiter_and_blank_lines_skipped() {
        let got = read_all(b"a,b\n\n\nc,,d\n,\n", 1000, 64);
        let fields = |r: &[&str]| r.iter().map(|f| f.as_bytes().to_vec()).collect::<Vec<_>>();
        assert_eq!(
            got,
            [
                (fields(&["a", "b"]), 1, 0),
                (fields(&["c", "", "d"]), 4, 6),
                (fields(&["", ""]), 5, 11),
            ]
        );
    }

    #[test]
    fn cells_are_split_eight_bytes_at_a_time() {
        for len in [0, 1, 7, 8, 9, 15, 16, 17, 64, 200] {
            // Bytes just above and below the delimiter, and with its top bit flipped, too.
            let line: Vec<u8> = (0..len)
                .map(|i| match i % 7 {
                    3 => b';',
                    4 => b';' + 1,
                    5 => b';' - 1,
                    6 => b';' | 0x80,
                    _ => b'x',
                })
                .collect();
            let mut bounds = Vec::new();
            split(&line, b';', &mut bounds);
            let cells: Vec<&[u8]> = bounds.iter().map(|&(a, b)| &line[a..b]).collect();
            let expected: Vec<&[u8]> = line.split(|&b| b == b';').collect();
            assert_eq!(cells, expected, "{len} bytes");
        }
    }

    #[test]
    fn a_crlf_file_counts_every_line_and_keeps_no_carriage_return() {
        let got = read_all(b"h,i\r\n1,2\r\n\r\n\"3\r\n4\",5\r\n6\r\n", 1000, 64);
        let lines: Vec<u64> = got.iter().map(|r| r.1).collect();
        assert_eq!(lines, [1, 2, 4, 6]);
        assert_eq!(got[2].0, [b"3\r\n4".to_vec(), b"5".to_vec()]);
        assert_eq!(got[3].0, [b"6".to_vec()]);
    }

    #[test]
    fn quoted_fields_keep_delimiters_quotes_and_line_breaks() {
        let got = read_all(b"\"a,b\",\"say \"\"hi\"\"\"\n\"x\ny\",z\nlast", 3, 64);
        assert_eq!(
            got[0].0,
            [b"a,b".to_vec(), b"say \"hi\"".to_vec()],
            "delimiter and doubled quotes inside quotes"
        );
        assert_eq!(
            (got[1].0.clone(), got[1].1),
            (vec![b"x\ny".to_vec(), b"z".to_vec()], 2)
        );
        assert_eq!((got[2].0.clone(), got[2].1), (vec![b"last".to_vec()], 4));
    }

    #[test]
    fn a_leading_bom_is_dropped_and_a_later_one_kept() {
        let got = read_all("\u{FEFF}a\n\u{FEFF}\"b\"\n".as_bytes(), 1, 64);
        assert_eq!(got[0].0, [b"a".to_vec()]);
        assert_eq!(got[1].0, [b"\xEF\xBB\xBF\"b\"".to_vec()]);
    }

    #[test]
    fn a_line_longer_than_the_buffer_is_read_whole() {
        let long = "x".repeat(10_000);
        let data = format!("{long},1\n\"{long}\",2\n");
        let got = read_all(data.as_bytes(), 4096, 64);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0[0].len(), 10_000);
        assert_eq!(got[1].0, [long.as_bytes().to_vec(), b"2".to_vec()]);
    }

    #[test]
    fn text_that_is_not_utf8_ends_the_reading_at_its_line() {
        // After a record, and far past the first read, with a character cut by each read.
        let mut data = "中,文\n".repeat(300).into_bytes();
        data.extend_from_slice(b"b,\xFF\nc\n");
        for step in [1, 7, 64, 5000] {
            let stream = Trickle {
                data: data.clone(),
                at: 0,
                step,
            };
            let mut records = Records::new(Box::new(stream), b',', 64);
            let mut record = Record::default();
            for _ in 0..300 {
                assert!(records.read(&mut record).unwrap());
                assert_eq!(record.get(1), Some("文"));
            }
            let e = records.read(&mut record).unwrap_err();
            assert_eq!(e.line(), Some(301), "step {step}");
            assert_eq!(e.to_string(), "line 301 is not valid UTF-8");
        }
        // A stream that ends inside a character.
        let cut = &"a\n中".as_bytes()[..4];
        let mut records = Records::new(Box::new(io::Cursor::new(cut.to_vec())), b',', 64);
        let mut record = Record::default();
        assert!(records.read(&mut record).unwrap());
        assert_eq!(records.read(&mut record).unwrap_err().line(), Some(2));
    }

    #[test]
    fn reading_past_the_end_keeps_giving_false() {
        let mut records = Records::new(Box::new(io::Cursor::new(b"a\n".to_vec())), b',', 64);
        let mut record = StringRecord::new();
        assert!(records.read_record(&mut record).unwrap());
        assert!(!records.read_record(&mut record).unwrap());
        assert!(!records.read_record(&mut record).unwrap());
        assert!(Record::default().position().line() >= 1);
    }

    proptest! {
        /// Any text, read in any pieces (cutting its characters), gives the csv crate's
        /// records, each at the line and byte where it starts.
        #[test]
        fn records_are_the_csv_crates(
            text in proptest::collection::vec(
                prop::sample::select(vec!['a', 'b', ',', '"', '\r', '\n', ' ', '中', '\u{FEFF}']),
                0..80,
            ),
            step in 1usize..20,
            capacity in 1usize..100,
        ) {
            let data: Vec<u8> = text.iter().collect::<String>().into_bytes();
            check_against_csv_crate(&data, step, capacity)?;
        }

        /// Exports that quote their fields (every field, some, or with quotes, delimiters and
        /// line breaks inside) read as the csv crate reads them.
        #[test]
        fn quoted_exports_are_read_as_the_csv_crate_reads_them(
            lines in proptest::collection::vec(
                (
                    proptest::collection::vec(
                        prop::sample::select(vec![
                            "a", "中文", "", "\"b\"", "\"1,234.00\"", "\"\"", "\"say \"\"hi\"\"\"",
                            "\"two\nlines\"", "x\"y", "\"q\" ", "\"cr\r\"",
                        ]),
                        1..5,
                    ),
                    prop::sample::select(vec!["\n", "\r\n", "\r", ""]),
                ),
                1..8,
            ),
            step in 1usize..40,
        ) {
            let text: String = lines
                .iter()
                .map(|(fields, end)| fields.join(",") + end)
                .collect();
            let data = text.into_bytes();
            check_against_csv_crate(&data, step, 64)?;
        }

        /// A line is seen to end, and is split, as a search for its end and a split of what
        /// comes before it see it: for any bytes, with lines long enough to cross many blocks.
        #[test]
        fn a_line_scanned_once_ends_and_splits_as_searched_then_split(
            text in proptest::collection::vec(
                prop::sample::select(vec![b'a', 0xE4, b',', b';', b'\t', b'|', b'"', b'\r', b'\n', b' ']),
                0..200,
            ),
            from in 0usize..20,
            // The usual delimiters, and ones no export uses that a plan could still name.
            delimiter in prop::sample::select(vec![b',', b';', b'\t', b'|', b'"', b'\n', b'\r']),
        ) {
            let from = from.min(text.len());
            let mut bounds = Vec::new();
            let scanned = scan_line(&text, from, delimiter, &mut bounds);
            let stop = memchr::memchr3(b'\n', b'"', b'\r', &text[from..]).map(|at| from + at);
            match stop {
                None => prop_assert!(scanned.is_none()),
                Some(at) => {
                    let next = text.get(at + 1).copied();
                    match (text[at], next, scanned) {
                        (b'\n', _, Some(Line::Plain { body_end, next })) => {
                            prop_assert_eq!((body_end, next), (at, at + 1));
                        }
                        (b'\r', Some(b'\n'), Some(Line::Plain { body_end, next })) => {
                            prop_assert_eq!((body_end, next), (at, at + 2));
                        }
                        (b'\r', None, None) | (b'\r', Some(_), Some(Line::Full)) => {}
                        (b'"', _, Some(Line::Quoted { quote })) => prop_assert_eq!(quote, at),
                        (byte, next, scanned) => prop_assert!(
                            false,
                            "{:?} then {:?}: {:?}",
                            byte as char,
                            next,
                            scanned.map(|l| matches!(l, Line::Plain { .. }))
                        ),
                    }
                    if let Some(Line::Plain { body_end, .. }) = scanned {
                        let mut expected = Vec::new();
                        split(&text[from..body_end], delimiter, &mut expected);
                        prop_assert_eq!(bounds, expected);
                    }
                }
            }
        }

        /// Any bytes are split where `<[u8]>::split` splits them.
        #[test]
        fn cells_are_split_where_the_standard_library_splits(
            line in proptest::collection::vec(any::<u8>(), 0..100),
            delimiter in prop::sample::select(vec![b',', b';', b'\t', 0x80, 0xFF, 0]),
        ) {
            let mut bounds = Vec::new();
            split(&line, delimiter, &mut bounds);
            let cells: Vec<&[u8]> = bounds.iter().map(|&(a, b)| &line[a..b]).collect();
            let expected: Vec<&[u8]> = line.split(|&b| b == delimiter).collect();
            prop_assert_eq!(cells, expected);
        }
    }
}
