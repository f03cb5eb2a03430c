//! The export-reading engine of qunce: what turns the bytes of a platform's download into
//! records and cells fast and in bounded memory, knowing nothing of plans or metrics.
//!
//! - [`records`]: a decoded stream split into CSV records, one pass over unquoted lines;
//! - [`workbook`]: one sheet of an `.xlsx`/`.xls`/`.ods` workbook as CSV text, within a
//!   memory budget checked before anything is unpacked;
//! - [`cell_map`] and [`ids`]: packed maps of cells and sets of ids that keep a million-row
//!   export's bookkeeping small.
//!
//! qunce's loaders (`qunce::load::exports`) map headers, parse values and report problems on top
//! of it. Property tests pin each part against a reference (the csv crate for records); the
//! Criterion bench `cargo bench -p qunce-exports` times the record scanner.

pub mod cell_map;
pub mod ids;
pub mod records;
pub mod workbook;
