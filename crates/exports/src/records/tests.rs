//! Records against the csv crate's, across every buffer boundary and shape of quoting.

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
fn read_until_unclosed(data: &[u8], step: usize, capacity: usize) -> (Vec<Fields>, Option<u64>) {
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
fn check_against_csv_crate(data: &[u8], step: usize, capacity: usize) -> Result<(), TestCaseError> {
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
