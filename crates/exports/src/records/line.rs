//! Finding a line's end and its cells: the one-pass scan over unquoted lines, simple quoted
//! fields split by hand, and `csv_core`'s parser for the rest.

use super::*;

/// How much of `bytes` ends on a character boundary: a last character whose bytes have not all
/// been read is left for the next read.
pub(super) fn complete_prefix(bytes: &[u8]) -> usize {
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
pub(super) enum Line {
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
pub(super) fn simple_quoted(
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
pub(super) enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: its end, or the first of a doubled pair.
    QuoteInQuoted,
}

impl Quoting {
    pub(super) fn after(mut self, bytes: &[u8], delimiter: u8) -> Self {
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
pub(super) fn split(line: &[u8], delimiter: u8, bounds: &mut Vec<(usize, usize)>) {
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
pub(super) fn scan_line(
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
pub(super) fn line_end(
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
pub(super) fn quoted_parser(delimiter: u8) -> Box<csv_core::Reader> {
    let mut core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let _ = core.read_record(b"\n", &mut [0; 1], &mut [0; 1]);
    Box::new(core)
}
