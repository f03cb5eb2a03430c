//! Which encoding an export is in: BOMs, enough valid UTF-8, GB18030 and UTF-16 sniffed from
//! the head, the plan's `encoding` when it names one; and reading a file decoded.

use super::*;

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
pub(super) fn chunk_size(len: u64) -> usize {
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
pub(super) fn decoded(
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
pub(super) enum Sniffed {
    Text,
    Utf16Le,
    Utf16Be,
    Utf32,
    Utf16WithoutBom,
    ZipWorkbook,
    OleWorkbook,
    Binary,
}

pub(super) fn sniff(head: &[u8]) -> Sniffed {
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
}
