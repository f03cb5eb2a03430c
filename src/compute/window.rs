//! A date window over the community's daily totals, with the aggregation primitives of
//! docs/rules.md#general-rules: sums over the days present (G2), ratios of sums over the days where
//! both columns are present (G7), and point-in-time reads on the last day present (G3).

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::undefined::Undefined;
use crate::model::columns::{DAILY_COLUMNS, Nature, daily_index};
use crate::model::plan::days_between;
use crate::model::table::{DayRow, Days, Spacing};
use crate::model::values::Date;

/// The daily totals between `start` and `end` (both inclusive).
///
/// When the export's rows are buckets of several days ([`Spacing`]), a row is read as its
/// bucket: a flow (`Nature::Additive`) is the bucket's total and a level (`Nature::Stock`) its
/// value on the bucket's first day; per-day figures divide by the days the buckets cover, and
/// same-day or rolling unique counts cannot be read at all (`docs/data.md`, "Buckets").
#[derive(Debug, Clone, Copy)]
pub struct Window<'a> {
    /// All days of the campaign's data, for reads just outside the window (`members_start`).
    pub all: &'a Days,
    /// First day, `s`.
    pub start: Date,
    /// Evaluation end, `E = min(e, as_of)`.
    pub end: Date,
    /// Reads the rows as days whatever their spacing: only to tell whether a figure failed
    /// because of the buckets ([`Window::as_days`]).
    as_days: bool,
}

impl<'a> Window<'a> {
    /// A window over `all`.
    pub fn new(all: &'a Days, start: Date, end: Date) -> Self {
        Window {
            all,
            start,
            end,
            as_days: false,
        }
    }

    /// The same window with every row read as one day: a figure that can be computed this way
    /// but not over the buckets fails because of them.
    pub fn as_days(self) -> Self {
        Window {
            as_days: true,
            ..self
        }
    }

    /// What a row stands for (a day unless [`Window::as_days`]).
    pub fn spacing(&self) -> Spacing {
        if self.as_days {
            Spacing::Daily
        } else {
            self.all.spacing
        }
    }

    /// True when rows are buckets of several days.
    pub fn bucketed(&self) -> bool {
        !self.spacing().is_daily()
    }

    /// Why the window cannot be read over buckets: it starts or ends inside one, whose total
    /// cannot be split between days.
    pub fn cut(&self) -> Option<Undefined> {
        let spacing = self.spacing();
        if spacing.is_daily() || self.start > self.end {
            return None;
        }
        // The bucket under the window's start, and every bucket that starts inside it.
        let before = self.all.range(..self.start).next_back();
        let inside = self.all.range(self.start..=self.end);
        before.into_iter().chain(inside).find_map(|(first, _)| {
            let last = spacing.bucket_end(*first);
            let runs_in = *first < self.start && last >= self.start;
            let runs_out = *first >= self.start && last > self.end;
            (runs_in || runs_out).then_some(Undefined::CutsBucket {
                start: self.start,
                end: self.end,
                spacing,
                first: *first,
                last,
            })
        })
    }

    /// How many days the row dated `date` stands for.
    fn span(&self, date: Date) -> i64 {
        if !self.bucketed() {
            return 1;
        }
        days_between(date, self.spacing().bucket_end(date)) + 1
    }

    /// Whether `col` can be read from the rows: over buckets only flows (any read) and levels
    /// (point reads, `level_ok`) can.
    fn readable(&self, col: &str, level_ok: bool) -> bool {
        if !self.bucketed() {
            return true;
        }
        match daily_index(col).map(|i| DAILY_COLUMNS[i].nature) {
            Some(Nature::Additive) => true,
            Some(Nature::Stock) => level_ok,
            _ => false,
        }
    }

    /// The days with a row inside the window, in date order.
    pub fn days(&self) -> impl DoubleEndedIterator<Item = (Date, &'a DayRow)> + 'a {
        let (all, start, end) = (self.all, self.start, self.end);
        let range = if start <= end {
            Some(start..=end)
        } else {
            None
        };
        range
            .into_iter()
            .flat_map(move |r| all.range(r))
            .map(|(d, r)| (*d, r))
    }

    /// Calendar days in the window, `L = E − s + 1`.
    pub fn length(&self) -> i64 {
        (days_between(self.start, self.end) + 1).max(0)
    }

    /// The calendar days of the window that some row covers.
    pub fn covered_days(&self) -> i64 {
        self.days().map(|(d, _)| self.span(d)).sum()
    }

    /// The calendar days of the window covered by rows where `col` is present.
    pub fn covered_days_of(&self, col: &str) -> i64 {
        self.days()
            .filter(|(_, r)| r.get(col).is_some())
            .map(|(d, _)| self.span(d))
            .sum()
    }

    /// Share of calendar days that have a row (coverage, docs/rules.md#general-rules G2).
    pub fn coverage(&self) -> Option<f64> {
        let l = self.length();
        (l > 0).then(|| self.covered_days().min(l) as f64 / l as f64)
    }

    /// Σ of a column over the days it is present, and how many rows that was.
    pub fn sum(&self, col: &str) -> (Decimal, usize) {
        if !self.readable(col, false) {
            return (Decimal::ZERO, 0);
        }
        self.days()
            .filter_map(|(_, r)| r.get(col))
            .fold((Decimal::ZERO, 0), |(s, n), v| (s + v, n + 1))
    }

    /// Σ of a column, or `None` when it is never present.
    pub fn total(&self, col: &str) -> Option<Decimal> {
        let (s, n) = self.sum(col);
        (n > 0).then_some(s)
    }

    /// Mean per day present (`Σx / n`); over buckets Σ over the days the buckets cover.
    pub fn mean(&self, col: &str) -> Option<f64> {
        let (s, n) = self.sum(col);
        // A row is a day unless the rows are buckets: then the days they cover count.
        let days = if self.bucketed() {
            self.covered_days_of(col)
        } else {
            n as i64
        };
        (n > 0 && days > 0).then(|| to_f64(s) / days as f64)
    }

    /// Why `col` gives nothing in the window: the data lacks the column, or has it on other
    /// days only. Saying which tells the reader whether to export another column or other dates.
    pub fn missing(&self, col: &str) -> Undefined {
        if self.all.present.contains(col) {
            Undefined::NoData(col.into())
        } else {
            Undefined::NoColumn(col.into())
        }
    }

    /// Σ of a column, or why there is none ([`Window::missing`]).
    pub fn total_or_why(&self, col: &str) -> Result<Decimal, Undefined> {
        self.total(col).ok_or_else(|| self.missing(col))
    }

    /// Mean per day present ([`Window::mean`]), or why there is none ([`Window::missing`]).
    pub fn mean_or_why(&self, col: &str) -> Result<f64, Undefined> {
        self.mean(col).ok_or_else(|| self.missing(col))
    }

    /// `Σa / Σb` over the days where both are present, or the one reason it has no value: a
    /// column without data in the window, no day with both, or `Σb` = 0.
    pub fn ratio_of_sums_or_why(&self, a: &str, b: &str) -> Result<f64, Undefined> {
        match self.paired_sums(a, b) {
            Some((_, sb)) if sb.is_zero() => Err(Undefined::ZeroSum(b.into())),
            Some((sa, sb)) => ratio(sa, sb)
                .filter(|r| r.is_finite())
                .ok_or(Undefined::TooLarge),
            None => Err([a, b]
                .into_iter()
                .find(|c| self.total(c).is_none())
                .map(|c| self.missing(c))
                .unwrap_or_else(|| Undefined::NoRatio {
                    numerator: a.into(),
                    denominator: b.into(),
                })),
        }
    }

    /// `Σa / Σb` over the days where both are present; `None` when `Σb` is 0 (G1).
    pub fn ratio_of_sums(&self, a: &str, b: &str) -> Option<f64> {
        let (sa, sb) = self.paired_sums(a, b)?;
        ratio(sa, sb)
    }

    /// `(Σa, Σb)` over the days where both are present, `None` when there is no such day.
    pub fn paired_sums(&self, a: &str, b: &str) -> Option<(Decimal, Decimal)> {
        if !self.readable(a, false) || !self.readable(b, false) {
            return None;
        }
        let mut any = false;
        let (mut sa, mut sb) = (Decimal::ZERO, Decimal::ZERO);
        for (_, r) in self.days() {
            if let (Some(x), Some(y)) = (r.get(a), r.get(b)) {
                any = true;
                sa += x;
                sb += y;
            }
        }
        any.then_some((sa, sb))
    }

    /// Mean of the daily ratios `a/b` over days where both are present and `b > 0`.
    pub fn mean_of_daily(&self, a: &str, b: &str) -> Option<f64> {
        if self.bucketed() {
            return None;
        }
        let ratios: Vec<f64> = self
            .days()
            .filter_map(|(_, r)| ratio(r.get(a)?, r.get(b)?))
            .collect();
        (!ratios.is_empty()).then(|| ratios.iter().sum::<f64>() / ratios.len() as f64)
    }

    /// The last day in the window where `col` is present, with its value (over buckets: a
    /// level on its bucket's first day).
    pub fn last(&self, col: &str) -> Option<(Date, Decimal)> {
        if !self.readable(col, true) {
            return None;
        }
        self.days()
            .rev()
            .find_map(|(d, r)| r.get(col).map(|v| (d, v)))
    }

    /// The value of `col` on a given day, if present (any day of the data).
    pub fn at(&self, date: Date, col: &str) -> Option<Decimal> {
        if !self.readable(col, true) {
            return None;
        }
        self.all.get(&date).and_then(|r| r.get(col))
    }

    /// Whether an aggregate of `col` can be read: over buckets a sum of a flow, or the first or
    /// last value of a flow or a level.
    pub fn can_aggregate(&self, col: &str, point: bool) -> bool {
        self.readable(col, point)
    }
}

/// `a / b` as f64, `None` when `b` is zero.
pub fn ratio(a: Decimal, b: Decimal) -> Option<f64> {
    (!b.is_zero()).then(|| to_f64(a) / to_f64(b))
}

/// Decimal → f64 (exact for every amount a CSV can hold in practice).
pub fn to_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::columns::daily_index;
    use jiff::civil::date;
    use std::collections::BTreeMap;

    fn row(pairs: &[(&str, i64)]) -> DayRow {
        let mut r = DayRow::default();
        for (c, v) in pairs {
            r.values[daily_index(c).unwrap()] = Some(Decimal::from(*v));
        }
        r
    }

    fn data() -> Days {
        Days::daily(BTreeMap::from([
            (
                date(2025, 7, 1),
                row(&[("members", 100), ("speakers", 10), ("messages", 50)]),
            ),
            // 07-02 missing entirely; 07-03 has no messages.
            (date(2025, 7, 3), row(&[("members", 102), ("speakers", 20)])),
            (
                date(2025, 7, 4),
                row(&[("members", 104), ("speakers", 0), ("messages", 0)]),
            ),
        ]))
    }

    #[test]
    fn sums_and_means_use_days_present() {
        let all = data();
        let w = Window::new(&all, date(2025, 7, 1), date(2025, 7, 4));
        assert_eq!(w.length(), 4);
        assert_eq!(w.coverage(), Some(0.75));
        assert_eq!(w.sum("speakers"), (Decimal::from(30), 3));
        assert_eq!(w.mean("speakers"), Some(10.0)); // 30 / 3 days, not / 4
        assert_eq!(w.mean("messages"), Some(25.0)); // 50 / 2 days with messages
    }

    #[test]
    fn ratio_of_sums_pairs_days_and_is_undefined_on_zero() {
        let all = data();
        let w = Window::new(&all, date(2025, 7, 1), date(2025, 7, 4));
        // messages/speakers over 07-01 and 07-04 only: 50 / 10.
        assert_eq!(w.ratio_of_sums("messages", "speakers"), Some(5.0));
        let w4 = Window::new(&all, date(2025, 7, 4), date(2025, 7, 4));
        assert_eq!(w4.ratio_of_sums("messages", "speakers"), None);
        assert_eq!(w4.ratio_of_sums("speakers", "members"), Some(0.0));
    }

    #[test]
    fn a_ratio_without_value_names_its_one_reason() {
        let mut all = data();
        all.present
            .extend(["members", "speakers", "messages", "checkins"]);
        all.rows
            .insert(date(2025, 7, 6), row(&[("checkins", 3), ("posts", 4)]));
        let w = Window::new(&all, date(2025, 7, 1), date(2025, 7, 4));
        // 07-01 and 07-04 pair messages with speakers: (50 + 0) / (10 + 0).
        assert_eq!(w.ratio_of_sums_or_why("messages", "speakers"), Ok(5.0));
        // `joined` is in no source: the export lacks the column.
        assert_eq!(
            w.ratio_of_sums_or_why("referral_joins", "joined"),
            Err(Undefined::NoColumn("referral_joins".into()))
        );
        // `checkins` is in the data, but only on 07-06, after the window.
        assert_eq!(
            w.ratio_of_sums_or_why("checkins", "members"),
            Err(Undefined::NoData("checkins".into()))
        );
        // On 07-04 alone: Σspeakers = 0.
        let w4 = Window::new(&all, date(2025, 7, 4), date(2025, 7, 4));
        assert_eq!(
            w4.ratio_of_sums_or_why("messages", "speakers"),
            Err(Undefined::ZeroSum("speakers".into()))
        );
        // 07-03 has speakers and 07-01 messages, but each misses the other on its day.
        let mut apart = data();
        apart.rows.remove(&date(2025, 7, 4));
        apart.rows.get_mut(&date(2025, 7, 1)).unwrap().values[daily_index("speakers").unwrap()] =
            None;
        let w = Window::new(&apart, date(2025, 7, 1), date(2025, 7, 3));
        assert_eq!(
            w.ratio_of_sums_or_why("messages", "speakers"),
            Err(Undefined::NoRatio {
                numerator: "messages".into(),
                denominator: "speakers".into()
            })
        );
        assert_eq!(w.total_or_why("speakers"), Ok(Decimal::from(20)));
    }

    #[test]
    fn last_reads_the_latest_present_value() {
        let all = data();
        let w = Window::new(&all, date(2025, 7, 1), date(2025, 7, 3));
        assert_eq!(
            w.last("messages"),
            Some((date(2025, 7, 1), Decimal::from(50)))
        );
        assert_eq!(
            w.last("members"),
            Some((date(2025, 7, 3), Decimal::from(102)))
        );
    }
}
