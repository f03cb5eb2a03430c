//! Workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) read directly with calamine
//! (docs/data.md#workbooks-and-encodings). One sheet becomes CSV text that the ordinary reader maps
//! with the same rules, profiles and diagnostics: every sheet row keeps its row number as the line,
//! date cells become ISO dates, and number cells their shortest round-trip text, so money carries
//! no binary-float drift (`1200.1` stays `1200.1`).

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

/// How much larger than the file cap (`limits.max_file_mb`) a workbook may grow once unzipped
/// and written out as text: each use of a shared string counts its whole length, and the empty
/// cells between used ones count a byte each.
pub const EXPANSION: u64 = 8;

/// The sheet `sheet` (or the first one) of the workbook in `bytes`, as comma-separated UTF-8
/// text, and the sheet's name. The text may hold at most `budget` bytes: the budget is checked
/// against the zip's unpacked sizes and the sheet's used range before anything that large is
/// allocated, and as cells are read, so a small crafted file (one cell at `XFD1048576`, one long
/// shared string used by every cell) is an error naming the sheet and range, not an abort.
pub fn to_csv(
    bytes: Vec<u8>,
    sheet: Option<&str>,
    budget: u64,
) -> Result<(Vec<u8>, String), String> {
    // Zip-based workbooks (.xlsx, .xlsm, .xlsb, .ods) say how large they unpack: checked first.
    unpacked_fits(&bytes, budget)?;
    if let Ok(book) = calamine::Xlsx::new(Cursor::new(bytes.clone())) {
        return xlsx_to_csv(book, sheet, budget);
    }
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("cannot open the workbook: {e}"))?;
    let name = pick_sheet(&book.sheet_names(), sheet)?;
    let range = book
        .worksheet_range(&name)
        .map_err(|e| format!("cannot read sheet `{name}`: {e}"))?;
    let cells = range
        .cells()
        .filter(|(_, _, v)| !matches!(v, Data::Empty))
        .map(|(r, c, v)| {
            let (top, left) = range.start().unwrap_or((0, 0));
            (top + r as u32, left + c as u32, cell_text(v))
        });
    let cells = collect_within(cells, &name, budget)?;
    Ok((write_rows(&cells, &name, budget)?, name))
}

/// The sheet a source names, or the first.
fn pick_sheet(names: &[String], sheet: Option<&str>) -> Result<String, String> {
    match sheet {
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
            }),
        None => names
            .first()
            .cloned()
            .ok_or_else(|| "the workbook has no sheet".into()),
    }
}

/// The zip's own account of its unpacked size must fit the budget (a zip bomb is refused before
/// it is unpacked; the reading below also counts what it actually gets).
fn unpacked_fits(bytes: &[u8], budget: u64) -> Result<(), String> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        if let Ok(entry) = zip.by_index_raw(i) {
            total = total.saturating_add(entry.size());
        }
    }
    if total > budget {
        return Err(format!(
            "the workbook unpacks to {} MB, over the {} MB a workbook may unpack to (limits.max_file_mb × {EXPANSION})",
            total.div_ceil(1 << 20),
            budget >> 20
        ));
    }
    Ok(())
}

/// An `.xlsx`/`.xlsm` sheet read cell by cell: shared strings are borrowed, never copied per
/// cell, and no dense range is built from a dimension the file claims.
fn xlsx_to_csv(
    mut book: calamine::Xlsx<Cursor<Vec<u8>>>,
    sheet: Option<&str>,
    budget: u64,
) -> Result<(Vec<u8>, String), String> {
    let name = pick_sheet(&book.sheet_names(), sheet)?;
    let mut reader = book
        .worksheet_cells_reader(&name)
        .map_err(|e| format!("cannot read sheet `{name}`: {e}"))?;
    let mut failed = None;
    let cells = std::iter::from_fn(|| match reader.next_cell() {
        Ok(Some(cell)) => Some(cell),
        Ok(None) => None,
        Err(e) => {
            failed = Some(e.to_string());
            None
        }
    })
    .filter(|cell| !matches!(cell.get_value(), calamine::DataRef::Empty))
    .map(|cell| {
        let (row, col) = cell.get_position();
        (row, col, cell_text(&Data::from(cell.get_value().clone())))
    });
    let cells = collect_within(cells, &name, budget)?;
    if let Some(e) = failed {
        return Err(format!("cannot read sheet `{name}`: {e}"));
    }
    Ok((write_rows(&cells, &name, budget)?, name))
}

/// The used cells (row, column, text), sorted, while their text fits the budget.
fn collect_within(
    cells: impl Iterator<Item = (u32, u32, String)>,
    sheet: &str,
    budget: u64,
) -> Result<Vec<(u32, u32, String)>, String> {
    let mut used: u64 = 0;
    let mut out = Vec::new();
    for (row, col, text) in cells {
        used = used.saturating_add(text.len() as u64 + 1);
        if used > budget {
            return Err(format!(
                "sheet `{sheet}` holds more than {} MB of text by cell {}{} (limits.max_file_mb × {EXPANSION}); a shared string counts at every cell that uses it",
                budget >> 20,
                column_letters(col as usize),
                row + 1
            ));
        }
        out.push((row, col, text));
    }
    out.sort_by_key(|(r, c, _)| (*r, *c));
    Ok(out)
}

/// The cells as CSV text: rows and columns before the used range keep their place (lines and
/// cell references stay true), and every row of the range is as wide as the range.
fn write_rows(cells: &[(u32, u32, String)], sheet: &str, budget: u64) -> Result<Vec<u8>, String> {
    let Some(top) = cells.first().map(|c| c.0) else {
        return Ok(Vec::new());
    };
    let bottom = cells.last().map_or(top, |c| c.0);
    let left = cells.iter().map(|c| c.1).min().unwrap_or(0);
    let right = cells.iter().map(|c| c.1).max().unwrap_or(0);
    // Every row of the range is written with a separator per column: counted before writing.
    let rows = u64::from(bottom - top) + 1;
    let width = u64::from(right) + 1;
    let text: u64 = cells.iter().map(|c| c.2.len() as u64).sum();
    let size = u64::from(top) + rows.saturating_mul(width) + text;
    if size > budget {
        return Err(format!(
            "sheet `{sheet}` uses cells {}{} … {}{}: {rows} rows × {width} columns is more than the {} MB a sheet may fill (limits.max_file_mb × {EXPANSION})",
            column_letters(left as usize),
            top + 1,
            column_letters(right as usize),
            bottom + 1,
            budget >> 20
        ));
    }
    let mut out = vec![b'\n'; top as usize];
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(&mut out);
    let mut at = 0;
    let mut record: Vec<&str> = Vec::with_capacity(right as usize + 1);
    for row in top..=bottom {
        record.clear();
        record.resize(right as usize + 1, "");
        while let Some((r, c, text)) = cells.get(at).filter(|c| c.0 == row) {
            debug_assert_eq!(*r, row);
            record[*c as usize] = text;
            at += 1;
        }
        writer.write_record(&record).map_err(|e| e.to_string())?;
    }
    writer.flush().map_err(|e| e.to_string())?;
    drop(writer);
    Ok(out)
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
