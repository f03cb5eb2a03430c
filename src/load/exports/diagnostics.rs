//! Diagnostics of export cells and records: the sheet and header line a message names, mapping
//! problems, and one error per unreadable column with its first lines.

use super::*;

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
