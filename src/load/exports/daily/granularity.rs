//! What a row of the daily export stands for (a day, a week, a month), and cumulative columns
//! turned into daily differences.

use super::*;

/// Where each date was first read: a file and line, for messages about the rows' spacing.
pub(super) type DateLines = BTreeMap<jiff::civil::Date, (PathBuf, usize)>;

/// What a row stands for: the plan's `granularity`, else the smallest gap between distinct
/// dates, of which every other gap must be a multiple (a larger gap is missing buckets). Rows
/// that are all on one day of the month, at least 28 days apart, are calendar months.
pub(super) fn spacing(
    settings: &SourceSettings,
    lines: &DateLines,
    diags: &mut Vec<Diagnostic>,
) -> crate::model::table::Spacing {
    use crate::model::table::Spacing;
    if let Some(declared) = settings.granularity {
        return declared;
    }
    let dates: Vec<jiff::civil::Date> = lines.keys().copied().collect();
    let gaps: Vec<i64> = dates
        .windows(2)
        .map(|p| crate::model::plan::days_between(p[0], p[1]))
        .collect();
    let Some(&smallest) = gaps.iter().min() else {
        return Spacing::Daily;
    };
    if smallest <= 1 {
        return Spacing::Daily;
    }
    let at = |d: &jiff::civil::Date| {
        let (path, line) = &lines[d];
        format!("{}:{line}", path.to_string_lossy().replace('\\', "/"))
    };
    let first = lines.values().next().map(|(p, l)| (p.clone(), *l));
    let note = |what: String, spacing: Spacing| {
        let (path, line) = first.clone().unwrap_or_default();
        Diagnostic::note(
            "buckets",
            path,
            format!("rows are {what} apart: each is read as a {} bucket dated by its first day", spacing.describe()),
        )
        .at_line(line)
        .help(format!(
            "a flow (joins, messages) is the bucket's total, a level (members) its value on the first day; if the rows are days with gaps, set `data.{}.granularity: daily`",
            settings.name
        ))
    };
    let same_day_of_month = dates
        .iter()
        .all(|d| d.day() == dates[0].day() && d.day() <= 28);
    if smallest >= 28 && same_day_of_month {
        diags.push(note("whole months".into(), Spacing::Monthly));
        return Spacing::Monthly;
    }
    if let Some(i) = gaps.iter().position(|g| g % smallest != 0) {
        let (a, b) = (dates[i], dates[i + 1]);
        let path = first.map(|(p, _)| p).unwrap_or_default();
        diags.push(
            Diagnostic::error(
                "irregular-spacing",
                path,
                format!(
                    "rows are {smallest} days apart, but {a} ({}) and {b} ({}) are {} days apart",
                    at(&a),
                    at(&b),
                    gaps[i]
                ),
            )
            .at_line(lines[&b].1)
            .field("column `date`")
            .expected(format!("dates every {smallest} days (a longer gap only as a multiple of it: missing buckets)"))
            .help(format!(
                "set `data.{}.granularity` (daily, weekly, monthly or \"days:N\") to say what a row stands for, or export one spacing per source",
                settings.name
            )),
        );
        return Spacing::Daily;
    }
    let spacing = Spacing::from_days(u16::try_from(smallest).unwrap_or(u16::MAX));
    diags.push(note(format!("{smallest} days"), spacing));
    spacing
}

/// Running totals ("截至当天客户群消息总数") become each row's increase over the row before: the
/// day before, or for weekly and monthly rows the bucket that ends the day before this one
/// starts. The first row, and a row after a gap, have none: missing, never the running total. A
/// total that falls is an error (a running total cannot decrease).
pub(super) fn differences(
    table: &mut DailyTable,
    cumulative: &BTreeMap<usize, String>,
    first: &Path,
    diags: &mut Vec<Diagnostic>,
) {
    if cumulative.is_empty() {
        return;
    }
    let snapshot = table.rows.clone();
    let spacing = table.spacing;
    for ((date, group), row) in table.rows.iter_mut() {
        // The group's row just before this one, if its bucket ends the day before.
        let previous = snapshot
            .range(..(*date, group.clone()))
            .rev()
            .find(|((_, g), _)| g == group)
            .filter(|((d, _), _)| {
                date.yesterday()
                    .is_ok_and(|before| spacing.bucket_end(*d) == before)
            })
            .map(|(_, r)| r);
        for (&ci, header) in cumulative {
            let Some(today) = row.values[ci] else {
                continue;
            };
            row.values[ci] = match previous.and_then(|p| p.values[ci]) {
                Some(before) if today < before => {
                    let whose = group
                        .as_deref()
                        .map(|g| format!(" in `{g}`"))
                        .unwrap_or_default();
                    diags.push(
                        Diagnostic::error(
                            "cumulative-decrease",
                            first,
                            format!(
                                "running total `{header}`{whose} falls from {before} to {today} on {date}"
                            ),
                        )
                        .field(format!("column `{header}`"))
                        .expected("a running total that never decreases")
                        .help("check the export's dates and groups; a daily (not running) column should not be listed under `cumulative`"),
                    );
                    None
                }
                Some(before) => Some(today - before),
                None => None,
            };
        }
    }
}
