//! Workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) read directly with calamine (DESIGN
//! §5). One sheet becomes CSV text that the ordinary reader maps with the same rules, profiles
//! and diagnostics: every sheet row keeps its row number as the line, date cells become ISO
//! dates, and number cells their shortest round-trip text, so money carries no binary-float
//! drift (`1200.1` stays `1200.1`).

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};

/// File extensions read as workbooks.
const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Whether `path` names a workbook (by its extension).
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// The sheet `sheet` (or the first one) of the workbook in `bytes`, as comma-separated UTF-8
/// text, and the sheet's name.
pub fn to_csv(bytes: Vec<u8>, sheet: Option<&str>) -> Result<(Vec<u8>, String), String> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("cannot open the workbook: {e}"))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .cloned()
            .ok_or_else(|| {
                format!(
                    "the workbook has no sheet `{wanted}`; its sheets are {}",
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?,
        None => names.first().cloned().ok_or("the workbook has no sheet")?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| format!("cannot read sheet `{name}`: {e}"))?;
    // Rows and columns before the used range keep their place, so lines and cells stay true.
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut out = vec![b'\n'; top as usize];
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(&mut out);
    let padding = vec![String::new(); left as usize];
    for row in range.rows() {
        let cells = padding.iter().cloned().chain(row.iter().map(cell_text));
        writer
            .write_record(cells.collect::<Vec<_>>())
            .map_err(|e| e.to_string())?;
    }
    writer.flush().map_err(|e| e.to_string())?;
    drop(writer);
    Ok((out, name))
}

/// A cell as the text an export would hold.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // Rust prints the shortest text that reads back as the same float.
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::Error(e) => e.to_string(),
        Data::DateTime(dt) if dt.is_duration() => dt.as_f64().to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
            if (h, mi, s, ms) == (0, 0, 0, 0) {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
            }
        }
    }
}

/// The spreadsheet letters of a 0-based column index: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_count_like_a_spreadsheet() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(2), "C");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn floats_keep_their_shortest_text() {
        assert_eq!(cell_text(&Data::Float(1200.1)), "1200.1");
        assert_eq!(cell_text(&Data::Float(19.99)), "19.99");
        assert_eq!(cell_text(&Data::Float(3.0)), "3");
        assert_eq!(cell_text(&Data::Int(42)), "42");
    }

    #[test]
    fn extensions_decide_what_is_a_workbook() {
        assert!(is_workbook(Path::new("data/x.XLSX")));
        assert!(is_workbook(Path::new("data/x.ods")));
        assert!(!is_workbook(Path::new("data/x.csv")));
    }
}
