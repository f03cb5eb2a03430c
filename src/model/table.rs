//! Loaded exports: the daily aggregates, the spend ledger and progress rows, in canonical form.
//! These are what the compute stage reads; they carry no file handles and no raw text.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use rust_decimal::Decimal;

use super::columns::{DAILY_COLUMNS, Nature};
use super::values::Date;

/// One day's values for one group (or the whole community), indexed like [`DAILY_COLUMNS`].
/// `None` is a missing value, never zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRow {
    /// Values by column index.
    pub values: Vec<Option<Decimal>>,
}

impl Default for DayRow {
    fn default() -> Self {
        DayRow {
            values: vec![None; DAILY_COLUMNS.len()],
        }
    }
}

impl DayRow {
    /// The value of a canonical column by name.
    pub fn get(&self, column: &str) -> Option<Decimal> {
        super::columns::daily_index(column).and_then(|i| self.values[i])
    }
}

/// What one row of a daily-type source stands for: a day, or a bucket of days dated by its
/// first day (Discord's 7- and 30-day downloads). A flow in a bucket is the bucket's total; a
/// level is its value on the bucket's first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Spacing {
    /// One row a day.
    #[default]
    Daily,
    /// Buckets of this many days (more than one; 7 is weekly).
    Days(u16),
    /// Calendar months, each row dated its first day.
    Monthly,
}

impl Spacing {
    /// Parses `daily`, `weekly`, `monthly` or `days:N` (N ≥ 1).
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        match t {
            "daily" => return Ok(Spacing::Daily),
            "weekly" => return Ok(Spacing::Days(7)),
            "monthly" => return Ok(Spacing::Monthly),
            _ => {}
        }
        let n = t
            .strip_prefix("days:")
            .and_then(|n| n.trim().parse::<u16>().ok())
            .filter(|n| *n >= 1)
            .ok_or_else(|| {
                format!("expected daily, weekly, monthly or \"days:N\", found `{text}`")
            })?;
        Ok(Spacing::from_days(n))
    }

    /// A spacing of `n` days (1 is daily).
    pub fn from_days(n: u16) -> Self {
        if n <= 1 {
            Spacing::Daily
        } else {
            Spacing::Days(n)
        }
    }

    /// True for one row a day.
    pub fn is_daily(self) -> bool {
        self == Spacing::Daily
    }

    /// The last day of the bucket that starts on `start`.
    pub fn bucket_end(self, start: Date) -> Date {
        let later = match self {
            Spacing::Daily => return start,
            Spacing::Days(n) => start.checked_add(jiff::Span::new().days(i64::from(n) - 1)),
            Spacing::Monthly => start
                .checked_add(jiff::Span::new().months(1))
                .and_then(|d| d.checked_sub(jiff::Span::new().days(1))),
        };
        later.unwrap_or(start)
    }

    /// The spacing in words, for messages: `30-day`, `monthly`.
    pub fn describe(self) -> String {
        match self {
            Spacing::Daily => "daily".into(),
            Spacing::Days(n) => format!("{n}-day"),
            Spacing::Monthly => "monthly".into(),
        }
    }
}

/// The community's values by date, with what a row stands for: the compute stage's view of
/// the daily data ([`DailyTable::by_day`]). It reads like the map it holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Days {
    /// Rows by their date (a bucket's first day).
    pub rows: BTreeMap<Date, DayRow>,
    /// What one row stands for.
    pub spacing: Spacing,
    /// The columns some source gives, on some days at least: a figure that needs one of these
    /// and finds no value can say that the data has the column but not for that day.
    pub present: BTreeSet<&'static str>,
}

impl Days {
    /// Rows a day each.
    pub fn daily(rows: BTreeMap<Date, DayRow>) -> Self {
        Days {
            rows,
            spacing: Spacing::Daily,
            present: BTreeSet::new(),
        }
    }
}

impl std::ops::Deref for Days {
    type Target = BTreeMap<Date, DayRow>;
    fn deref(&self) -> &Self::Target {
        &self.rows
    }
}

/// Which file a source was read from and how, for the report's data appendix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the site root.
    pub path: PathBuf,
    /// `UTF-8` or `GB18030`.
    pub encoding: &'static str,
    /// Data rows read.
    pub rows: usize,
    /// SHA-256 of the file's bytes, lower-case hex (shown in the post-mortem's header).
    pub sha256: String,
}

/// The daily export of one campaign: per (date, group) aggregates.
#[derive(Debug, Clone, Default)]
pub struct DailyTable {
    /// Rows keyed by date and carrier id (`None` for community-level rows).
    pub rows: BTreeMap<(Date, Option<String>), DayRow>,
    /// Canonical columns that some file mapped.
    pub present: BTreeSet<&'static str>,
    /// The files read, in order.
    pub files: Vec<SourceFile>,
    /// Community-level values aggregated from event logs, by day. Each of their columns
    /// (`event_columns`) comes from the events alone, never mixed with daily rows.
    pub events: BTreeMap<Date, DayRow>,
    /// The canonical columns the event logs give.
    pub event_columns: BTreeSet<&'static str>,
    /// Event columns of logs without `covers`: complete up to the report date, so a quiet day
    /// after the last event is 0 up to it (filled in by [`DailyTable::by_day_through`]).
    pub open_events: BTreeSet<&'static str>,
    /// The rolling uniques of those logs on the days after their last event, while earlier
    /// writers are still in the window (`active_members_30d` falls to 0 only 30 days after).
    pub event_tail: BTreeMap<Date, DayRow>,
    /// What a row of the daily export stands for.
    pub spacing: Spacing,
}

impl DailyTable {
    /// Community totals per day (golden README rule 4): counts and money are summed across
    /// groups, groups being disjoint; rolling uniques are kept only with a single group; a day's
    /// value is missing if any group's is.
    pub fn by_day(&self) -> Days {
        self.by_day_through(None)
    }

    /// [`by_day`](Self::by_day) as of a report date: the event logs that are complete up to it
    /// give 0 on their quiet days after their last event, through `as_of`.
    pub fn by_day_through(&self, as_of: Option<Date>) -> Days {
        let mut days = self.sum_groups();
        // Event columns are community-wide already (a person in two groups is one speaker).
        let event_indexes: Vec<usize> = self
            .event_columns
            .iter()
            .filter_map(|c| super::columns::daily_index(c))
            .collect();
        for (date, event_row) in &self.events {
            let row = days.entry(*date).or_default();
            for &i in &event_indexes {
                row.values[i] = event_row.values[i];
            }
        }
        let open: Vec<usize> = self
            .open_events
            .iter()
            .filter_map(|c| super::columns::daily_index(c))
            .collect();
        if let (Some(as_of), Some(last), false) =
            (as_of, self.events.keys().next_back(), open.is_empty())
        {
            // Each open log gave every day from the period's start to its own last event; a
            // day after that, up to the report date, is a quiet day: 0, never missing.
            let mut quiet: Vec<Date> = self.events.keys().copied().collect();
            let mut day = *last;
            while let Ok(next) = day.tomorrow() {
                if next > as_of {
                    break;
                }
                quiet.push(next);
                day = next;
            }
            let last = *last;
            let tail_end = self.event_tail.keys().next_back().copied();
            for date in quiet {
                let row = days.entry(date).or_default();
                let tail = self.event_tail.get(&date);
                for &i in &open {
                    if DAILY_COLUMNS[i].nature != Nature::RollingUnique {
                        row.values[i].get_or_insert(Decimal::ZERO);
                    } else if date > last {
                        // A rolling count is the log's own: unknown stays unknown on its days;
                        // after them the writers still in the window, and 0 once all have left.
                        row.values[i] = tail.and_then(|t| t.values[i]).or_else(|| {
                            tail_end
                                .is_none_or(|end| date > end)
                                .then_some(Decimal::ZERO)
                        });
                    }
                }
            }
        }
        Days {
            rows: days,
            spacing: self.spacing,
            present: self.present.clone(),
        }
    }

    fn sum_groups(&self) -> BTreeMap<Date, DayRow> {
        let groups: BTreeSet<&Option<String>> = self.rows.keys().map(|(_, g)| g).collect();
        let several = groups.len() > 1;
        let mut out: BTreeMap<Date, (DayRow, Vec<bool>)> = BTreeMap::new();
        for ((date, _), row) in &self.rows {
            let (acc, missing) = out
                .entry(*date)
                .or_insert_with(|| (DayRow::default(), vec![false; DAILY_COLUMNS.len()]));
            for (i, col) in DAILY_COLUMNS.iter().enumerate() {
                if several && col.nature == Nature::RollingUnique {
                    missing[i] = true;
                    continue;
                }
                match row.values[i] {
                    Some(v) => acc.values[i] = Some(acc.values[i].unwrap_or_default() + v),
                    None => missing[i] = true,
                }
            }
        }
        out.into_iter()
            .map(|(date, (mut row, missing))| {
                for (i, m) in missing.into_iter().enumerate() {
                    if m {
                        row.values[i] = None;
                    }
                }
                (date, row)
            })
            .collect()
    }

    /// First and last day the data covers, daily rows (the last one's whole bucket) and event
    /// days alike.
    pub fn date_range(&self) -> Option<(Date, Date)> {
        let firsts = [
            self.rows.keys().next().map(|k| k.0),
            self.events.keys().next().copied(),
        ];
        let lasts = [
            self.rows
                .keys()
                .next_back()
                .map(|k| self.spacing.bucket_end(k.0)),
            self.events.keys().next_back().copied(),
        ];
        Some((
            firsts.into_iter().flatten().min()?,
            lasts.into_iter().flatten().max()?,
        ))
    }
}

/// Whether a ledger row counts toward actual cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LedgerStatus {
    /// Incurred, not yet paid: part of AC.
    Accrued,
    /// Paid: part of AC.
    Paid,
    /// Signed but not incurred: excluded from AC, shown separately and in the forecast floor.
    Committed,
}

impl LedgerStatus {
    /// Parses a canonical status word, already trimmed.
    pub fn parse(text: &str) -> Option<Self> {
        [
            ("accrued", LedgerStatus::Accrued),
            ("paid", LedgerStatus::Paid),
            ("committed", LedgerStatus::Committed),
        ]
        .into_iter()
        .find_map(|(word, status)| text.eq_ignore_ascii_case(word).then_some(status))
    }
}

/// The spend of one ledger file on one day, for one category, work package, channel, status
/// and report range: the ledger's rows that every computation treats alike, added up as they
/// are read. The category is a plan category id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    /// The file, for messages (one allocation per file, shared by its entries).
    pub path: std::sync::Arc<std::path::Path>,
    /// Accrual date.
    pub date: Date,
    /// Budget category id.
    pub category: String,
    /// Signed amount; refunds are negative.
    pub amount: Decimal,
    /// How many of the file's rows were added into this entry.
    pub rows: u32,
    /// Accrued, paid or committed.
    pub status: LedgerStatus,
    /// Work package id, if given.
    pub work_package: Option<String>,
    /// Channel id, if given.
    pub channel: Option<String>,
    /// For an entry of a report dated by its preamble: the days the report covers (the entry
    /// is dated the last of them).
    pub report_days: Option<(Date, Date)>,
}

/// One `progress.csv` row: percent complete of a work package as of a date.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressRow {
    /// The date the estimate was made.
    pub as_of: Date,
    /// Work package id.
    pub work_package: String,
    /// Fraction complete, 0–1.
    pub complete: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn row(members: i64, active30: Option<i64>) -> DayRow {
        let mut r = DayRow::default();
        r.values[super::super::columns::daily_index("members").unwrap()] = Some(members.into());
        r.values[super::super::columns::daily_index("active_members_30d").unwrap()] =
            active30.map(Decimal::from);
        r
    }

    #[test]
    fn by_day_sums_groups_and_drops_rolling_uniques() {
        let mut t = DailyTable::default();
        let d = date(2025, 7, 7);
        t.rows.insert((d, Some("a".into())), row(100, Some(60)));
        t.rows.insert((d, Some("b".into())), row(50, Some(30)));
        let day = &t.by_day()[&d];
        assert_eq!(day.get("members"), Some(Decimal::from(150)));
        assert_eq!(day.get("active_members_30d"), None);
    }

    #[test]
    fn by_day_is_missing_when_any_group_is() {
        let mut t = DailyTable::default();
        let d = date(2025, 7, 7);
        let mut partial = DayRow::default();
        partial.values[0] = None;
        t.rows.insert((d, Some("a".into())), row(100, None));
        t.rows.insert((d, Some("b".into())), partial);
        assert_eq!(t.by_day()[&d].get("members"), None);
    }

    #[test]
    fn single_group_keeps_rolling_uniques() {
        let mut t = DailyTable::default();
        let d = date(2025, 7, 7);
        t.rows.insert((d, None), row(100, Some(60)));
        assert_eq!(
            t.by_day()[&d].get("active_members_30d"),
            Some(Decimal::from(60))
        );
    }
}
