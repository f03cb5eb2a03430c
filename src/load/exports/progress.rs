//! `progress.csv` (docs/reference.md#progresscsv): percent complete per work package, for earned
//! value. `62.5%` and `62.5` both mean 0.625 (golden README rule 12).

use std::collections::BTreeSet;
use std::path::Path;

use jiff::tz::TimeZone;
use rust_decimal::prelude::ToPrimitive;

use super::SourceSettings;
use super::keyed::read_keyed;
use super::value;
use crate::diag::{Diagnostic, did_you_mean};
use crate::model::columns::PROGRESS_COLUMNS;
use crate::model::table::{ProgressRow, SourceFile};

/// Reads the progress source; `work_packages` are the plan's ids.
pub fn read(
    root: &Path,
    settings: &SourceSettings,
    tz: &TimeZone,
    work_packages: &BTreeSet<&str>,
) -> (Vec<ProgressRow>, Vec<SourceFile>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut rows = Vec::new();
    let rule = settings.date_rule();
    let files = read_keyed(
        root,
        settings,
        PROGRESS_COLUMNS,
        "as_of",
        &mut diags,
        |row, diags| {
            let (Some(date_text), Some(wp), Some(pct_text)) = (
                row.get("as_of"),
                row.get("work_package"),
                row.get("percent_complete"),
            ) else {
                diags.push(
                    row.error(
                        "missing-value",
                        "",
                        "as_of, work_package and percent_complete are all required",
                    )
                    .help("fill every cell of the row, or delete it"),
                );
                return;
            };
            let as_of = match value::parse_date(&date_text, &rule, tz, row.stamps) {
                Ok(p) => p.date,
                Err(msg) => {
                    diags.push(
                        row.error("bad-date", "as_of", msg)
                            .help("write ISO dates such as 2025-07-13"),
                    );
                    return;
                }
            };
            if !work_packages.contains(wp.as_str()) {
                let mut d = row
                    .error(
                        "unknown-work-package",
                        "work_package",
                        format!("work package `{wp}` is not in the plan"),
                    )
                    .found(format!("`{wp}`"));
                d = match did_you_mean(&wp, work_packages.iter().copied()) {
                    Some(best) => d.help(format!("did you mean `{best}`?")),
                    None => d.help(
                        "use an id from `budget.work_packages`, or `milestone:<id>` for a milestone",
                    ),
                };
                diags.push(d);
                return;
            }
            let percent = pct_text.trim_end_matches('%').trim();
            let complete = value::parse_number(percent)
                .ok()
                .and_then(|v| v.to_f64())
                .filter(|v| (0.0..=100.0).contains(v));
            match complete {
                Some(v) => rows.push(ProgressRow {
                    as_of,
                    work_package: wp,
                    complete: v / 100.0,
                }),
                None => diags.push(
                    row.error(
                        "bad-percent",
                        "percent_complete",
                        format!("percent complete must be 0–100, found `{pct_text}`"),
                    )
                    .found(format!("`{pct_text}`"))
                    .expected("a number from 0 to 100 (62.5 or 62.5%)")
                    .help("write percentages on a 0–100 scale"),
                ),
            }
        },
    );
    (rows, files, diags)
}
