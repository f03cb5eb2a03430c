//! Date cells: ISO and local patterns, offset timestamps named by their day, report ranges,
//! written-out and yearless days, and the evidence that settles day/month order.

use super::*;

/// Day/month order, settled by `date_format` or by the data itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayMonth {
    /// `31-08-2023`: day first.
    DayFirst,
    /// `08/31/2023`: month first.
    MonthFirst,
}

/// How to read the date column of one file.
#[derive(Debug, Clone)]
pub enum DateRule {
    /// Unambiguous shapes only; `order` is set when the file itself settled it.
    Auto { order: Option<DayMonth> },
    /// A strftime pattern from `date_format`.
    Pattern(String),
}

/// What a date cell turned into, and whether a timestamp had no zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedDate {
    /// The local calendar date.
    pub date: Date,
    /// A timestamp without a zone was read in the default zone (warn once per file).
    pub assumed_zone: bool,
}

/// Parses a date or timestamp cell. A timestamp with an offset is a day bucket under
/// [`TimestampMode::DayBuckets`] (its day as written) and otherwise an instant, converted to `tz`
/// and truncated to a date; a timestamp without an offset is taken as local to `tz`.
pub fn parse_date(
    text: &str,
    rule: &DateRule,
    tz: &TimeZone,
    stamps: TimestampMode,
) -> Result<ParsedDate, String> {
    match rule {
        DateRule::Pattern(pattern) => parse_with_pattern(text, pattern, tz, stamps),
        DateRule::Auto { order } => parse_auto(text, *order, tz, stamps),
    }
}

/// Whether `text` is too short to be an offset timestamp read by the automatic rule: ten
/// characters are a date at most, without a time or an offset. A pattern may read anything,
/// so under one nothing is too short.
pub fn too_short_for_a_stamp(text: &str, rule: &DateRule) -> bool {
    matches!(rule, DateRule::Auto { .. }) && trim(text).len() <= 10
}

/// For a timestamp with an explicit offset: whether it is exactly 00:00:00 as written. `None`
/// for anything else (plain dates, zoneless timestamps, unreadable text), which says nothing
/// about how the file's timestamps are meant.
pub fn offset_midnight(text: &str, rule: &DateRule) -> Option<bool> {
    match rule {
        DateRule::Pattern(pattern) => {
            let tm = jiff::fmt::strtime::parse(pattern, text).ok()?;
            tm.offset()?;
            Some(
                [tm.hour(), tm.minute(), tm.second()]
                    .iter()
                    .all(|v| v.unwrap_or(0) == 0)
                    && tm.subsec_nanosecond().unwrap_or(0) == 0,
            )
        }
        DateRule::Auto { .. } => {
            // Asked for every row of a file of plain dates, this answers before trying two
            // parsers.
            if too_short_for_a_stamp(text, rule) {
                return None;
            }
            let t = trim(text);
            // An ISO text (`2025-…`) is never RFC 2822.
            if t.as_bytes().get(4) != Some(&b'-')
                && let Ok(zoned) = jiff::fmt::rfc2822::parse(t)
            {
                return Some(zoned.time() == jiff::civil::Time::midnight());
            }
            let pieces = jiff::fmt::temporal::Pieces::parse(t).ok()?;
            pieces.offset()?;
            Some(
                pieces
                    .time()
                    .is_none_or(|t| t == jiff::civil::Time::midnight()),
            )
        }
    }
}

/// Settles how one file's offset timestamps name their day
/// (docs/rules.md#day-buckets-and-instants): day buckets when every offset timestamp in `cells` is
/// exactly midnight as written, instants as soon as one has a time of day.
pub fn detect_stamps(
    cells: impl IntoIterator<Item = impl AsRef<str>>,
    rule: &DateRule,
) -> TimestampMode {
    let mut midnights = false;
    for cell in cells {
        match offset_midnight(cell.as_ref(), rule) {
            Some(false) => return TimestampMode::Instants,
            Some(true) => midnights = true,
            None => {}
        }
    }
    if midnights {
        TimestampMode::DayBuckets
    } else {
        TimestampMode::Instants
    }
}

fn parse_with_pattern(
    text: &str,
    pattern: &str,
    tz: &TimeZone,
    stamps: TimestampMode,
) -> Result<ParsedDate, String> {
    let tm = jiff::fmt::strtime::parse(pattern, text)
        .map_err(|_| format!("`{text}` does not match date_format `{pattern}`"))?;
    if tm.offset().is_some() {
        let date = match stamps {
            TimestampMode::DayBuckets => tm.to_date(),
            TimestampMode::Instants => tm.to_timestamp().map(|ts| ts.to_zoned(tz.clone()).date()),
        }
        .map_err(|e| format!("`{text}`: {e}"))?;
        return Ok(ParsedDate {
            date,
            assumed_zone: false,
        });
    }
    let (Some(year), Some(month)) = (tm.year(), tm.month()) else {
        return Err(format!(
            "date_format `{pattern}` must give a year and a month, or a month and a day (the year then comes from the campaign period)"
        ));
    };
    let date = match tm.day() {
        Some(day) => Date::new(year, month, day),
        // A month-level date (`Oct-25`) stands for the last day of that month
        // (docs/rules.md#cell-values).
        None => Date::new(year, month, 1).map(|d| d.last_of_month()),
    }
    .map_err(|_| format!("`{text}` is not a valid calendar date"))?;
    Ok(ParsedDate {
        date,
        assumed_zone: false,
    })
}

/// `YYYY-MM-DDTHH:MM:SS` followed by `Z` or `±HH:MM`, as the time written and its offset;
/// `None` for any other shape or an impossible value, which the general parser then reads
/// (or refuses) as before.
fn offset_timestamp(b: &[u8]) -> Option<(jiff::civil::DateTime, jiff::tz::Offset)> {
    if !matches!(b.len(), 20 | 25) || !matches!(b.get(10), Some(b'T' | b' ')) {
        return None;
    }
    let number = |at: usize, len: usize| -> Option<i32> {
        b[at..at + len].iter().try_fold(0i32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i32::from(c - b'0'))
        })
    };
    let shape = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if shape.iter().any(|&(at, c)| b[at] != c) {
        return None;
    }
    let offset_seconds = match &b[19..] {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (hours, minutes) = (number(20, 2)?, number(23, 2)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = hours * 3600 + minutes * 60;
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    let written = jiff::civil::DateTime::new(
        i16::try_from(number(0, 4)?).ok()?,
        i8::try_from(number(5, 2)?).ok()?,
        i8::try_from(number(8, 2)?).ok()?,
        i8::try_from(number(11, 2)?).ok()?,
        i8::try_from(number(14, 2)?).ok()?,
        i8::try_from(number(17, 2)?).ok()?,
        0,
    )
    .ok()?;
    Some((
        written,
        jiff::tz::Offset::from_seconds(offset_seconds).ok()?,
    ))
}

fn parse_auto(
    text: &str,
    order: Option<DayMonth>,
    tz: &TimeZone,
    stamps: TimestampMode,
) -> Result<ParsedDate, String> {
    let t = trim(text);
    // `2025-07-07`, the most common cell of all, read without splitting or allocating.
    let b = t.as_bytes();
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        let n =
            |r: std::ops::Range<usize>| b[r].iter().fold(0i16, |a, c| a * 10 + i16::from(c - b'0'));
        let date = Date::new(n(0..4), n(5..7) as i8, n(8..10) as i8)
            .map_err(|_| format!("`{text}` is not a valid calendar date"))?;
        return Ok(ParsedDate {
            date,
            assumed_zone: false,
        });
    }
    // `2025-07-07T20:15:00+08:00`, an event log's every cell, read without jiff's general
    // parser (most of an event row's cost).
    if let Some((written, offset)) = offset_timestamp(b) {
        let date = match stamps {
            TimestampMode::DayBuckets => Some(written.date()),
            TimestampMode::Instants => offset
                .to_timestamp(written)
                .ok()
                .map(|ts| tz.to_datetime(ts).date()),
        };
        if let Some(date) = date {
            return Ok(ParsedDate {
                date,
                assumed_zone: false,
            });
        }
    }
    // RFC 3339 / ISO timestamps with an offset or `Z`.
    if t.len() > 10 && (t.contains('T') || t.contains(' ')) && t.as_bytes().get(4) == Some(&b'-') {
        if let Ok(ts) = t.parse::<jiff::Timestamp>() {
            // The day as written is read only for day buckets: a second parse of every cell
            // of an event log otherwise.
            let written = || jiff::fmt::temporal::Pieces::parse(t).ok().map(|p| p.date());
            let date = match stamps {
                TimestampMode::DayBuckets => written().unwrap_or_else(|| tz.to_datetime(ts).date()),
                TimestampMode::Instants => tz.to_datetime(ts).date(),
            };
            return Ok(ParsedDate {
                date,
                assumed_zone: false,
            });
        }
        if let Ok(dt) = t.replace(' ', "T").parse::<jiff::civil::DateTime>() {
            return Ok(ParsedDate {
                date: dt.date(),
                assumed_zone: true,
            });
        }
        return Err(format!("`{text}` is not a timestamp this tool can read"));
    }
    // RFC 2822, as mail archives write it: `Tue, 17 Apr 2018 14:37:58 -0700`.
    if t.len() > 16
        && t.as_bytes()[..3].iter().all(u8::is_ascii_alphabetic)
        && t.as_bytes()[3] == b','
    {
        let Ok(zoned) = jiff::fmt::rfc2822::parse(t) else {
            // `Tue, Feb 18, 2025` (X analytics), `Thu, 5 Feb 2026` (Google Ads): a day.
            return written_date(t)
                .map(|date| ParsedDate {
                    date,
                    assumed_zone: false,
                })
                .ok_or_else(|| written_date_error(text));
        };
        let date = match stamps {
            TimestampMode::DayBuckets => zoned.date(),
            TimestampMode::Instants => zoned.timestamp().to_zoned(tz.clone()).date(),
        };
        return Ok(ParsedDate {
            date,
            assumed_zone: false,
        });
    }
    let ambiguous = || {
        format!(
            "`{text}` is ambiguous: day and month could be either way round, and no value in this \
             file has a day above 12 to settle it"
        )
    };
    // 20250707
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        return ymd(&t[0..4], &t[4..6], &t[6..8], text);
    }
    // 2025年7月7日
    if let Some(rest) = t.strip_suffix('日')
        && let Some((y, rest)) = rest.split_once('年')
        && let Some((m, d)) = rest.split_once('月')
    {
        return ymd(y, m, d, text);
    }
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        // Written out: `February 18, 2025`, `18 Feb 2025`, `Tue, Feb 18, 2025`.
        if let Some(date) = written_date(t) {
            return Ok(ParsedDate {
                date,
                assumed_zone: false,
            });
        }
        return Err(format!(
            "expected a date such as 2025-07-07, 2025/7/7 or 2025年7月7日, found `{text}`"
        ));
    }
    if parts[0].len() == 4 {
        return ymd(parts[0], parts[1], parts[2], text);
    }
    if parts[2].len() == 4 {
        let (a, b) = (
            parts[0].parse::<u32>().unwrap_or(0),
            parts[1].parse::<u32>().unwrap_or(0),
        );
        let resolved = match order {
            Some(o) => o,
            None if a > 12 && b <= 12 => DayMonth::DayFirst,
            None if b > 12 && a <= 12 => DayMonth::MonthFirst,
            None => return Err(ambiguous()),
        };
        return match resolved {
            DayMonth::DayFirst => ymd(parts[2], parts[1], parts[0], text),
            DayMonth::MonthFirst => ymd(parts[2], parts[0], parts[1], text),
        };
    }
    Err(format!(
        "expected a date with a four-digit year, found `{text}`"
    ))
}

fn ymd(y: &str, m: &str, d: &str, text: &str) -> Result<ParsedDate, String> {
    let parse = |s: &str| s.trim().parse::<i16>().ok();
    let (Some(y), Some(m), Some(d)) = (parse(y), parse(m), parse(d)) else {
        return Err(format!("expected a date, found `{text}`"));
    };
    let date = Date::new(y, m as i8, d as i8)
        .map_err(|_| format!("`{text}` is not a valid calendar date"))?;
    Ok(ParsedDate {
        date,
        assumed_zone: false,
    })
}

/// A report's date range line: `February 1, 2026 - February 28, 2026`,
/// The written-out forms exports use for a day, English month names: `Tue, Feb 18, 2025`
/// (X analytics, newest first), `Thu, 5 Feb 2026` (Google Ads), `February 18, 2025`,
/// `Feb 18, 2025`, `18 Feb 2025`, `18 February 2025`. A weekday, when written, must be the
/// date's own.
const WRITTEN_FORMS: &[&str] = &[
    "%a, %b %d, %Y",
    "%A, %B %d, %Y",
    "%a, %d %b %Y",
    "%A, %d %B %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %b %Y",
    "%d %B %Y",
];

/// A day written out in words ([`WRITTEN_FORMS`]), if `text` is one.
fn written_date(text: &str) -> Option<Date> {
    if !text.bytes().any(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    WRITTEN_FORMS.iter().find_map(|form| {
        let tm = jiff::fmt::strtime::parse(form, text).ok()?;
        tm.to_date().ok()
    })
}

fn written_date_error(text: &str) -> String {
    format!(
        "`{text}` is neither an RFC 2822 date nor a written-out day such as `Tue, Feb 18, 2025` (is the weekday right?)"
    )
}

/// A date written without its year (`11月9日`, common in 企业微信 and spreadsheet exports, or
/// any shape a yearless `date_format` such as `%m/%d` reads): the year that puts it inside
/// `period` (a period spanning a new year picks the one that does), or for a day outside it (a
/// baseline day), the year that puts it nearest the period.
pub fn resolve_yearless(
    text: &str,
    rule: &DateRule,
    period: crate::model::plan::Period,
) -> Option<Date> {
    if let DateRule::Pattern(pattern) = rule {
        let tm = jiff::fmt::strtime::parse(pattern, trim(text)).ok()?;
        return match (tm.year(), tm.month(), tm.day()) {
            (None, Some(month), Some(day)) => nearest_year(month, day, period),
            _ => None,
        };
    }
    let t = trim(text);
    let rest = t.strip_suffix('日')?;
    if rest.contains('年') {
        return None;
    }
    let (m, d) = rest.split_once('月')?;
    let number = |s: &str| -> Option<i8> {
        let s = s.trim();
        (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    nearest_year(number(m)?, number(d)?, period)
}

/// Month `month`, day `day` in the year that puts it inside `period`, else nearest to it.
fn nearest_year(month: i8, day: i8, period: crate::model::plan::Period) -> Option<Date> {
    let years = (period.start.year() - 1)..=(period.end.year() + 1);
    let distance = |date: Date| {
        if period.contains(date) {
            0
        } else if date < period.start {
            crate::model::plan::days_between(date, period.start)
        } else {
            crate::model::plan::days_between(period.end, date)
        }
    };
    years
        .filter_map(|y| Date::new(y, month, day).ok())
        .min_by_key(|d| (distance(*d), *d))
}

/// `Feb 1, 2026 – Feb 28, 2026`, `2026-02-01 - 2026-02-28`, `2026年2月1日 至 2026年2月28日`.
pub fn date_range(line: &str) -> Option<(Date, Date)> {
    let text = line.trim().trim_matches('"').trim();
    let (start, end) = [" - ", " – ", " — ", " ~ ", "~", " 至 ", "至"]
        .iter()
        .find_map(|sep| text.split_once(sep))?;
    let day = |t: &str| -> Option<Date> {
        let t = t.trim();
        for pattern in ["%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y"] {
            if let Ok(tm) = jiff::fmt::strtime::parse(pattern, t)
                && let Ok(d) = tm.to_date()
            {
                return Some(d);
            }
        }
        let auto = DateRule::Auto { order: None };
        parse_date(t, &auto, &TimeZone::UTC, TimestampMode::Instants)
            .ok()
            .map(|p| p.date)
    };
    let (start, end) = (day(start)?, day(end)?);
    (start <= end).then_some((start, end))
}

/// For a `d-m-yyyy` or `m/d/yyyy` value, which order it proves, if any (a field above 12).
pub fn order_evidence(text: &str) -> Option<DayMonth> {
    let parts: Vec<&str> = text.trim().split(['-', '/', '.']).collect();
    if parts.len() != 3 || parts[2].len() != 4 {
        return None;
    }
    let (a, b) = (parts[0].parse::<u32>().ok()?, parts[1].parse::<u32>().ok()?);
    match (a > 12, b > 12) {
        (true, false) => Some(DayMonth::DayFirst),
        (false, true) => Some(DayMonth::MonthFirst),
        _ => None,
    }
}

/// True when a cell is in a day/month-ambiguous shape (`08/07/2025`).
pub fn is_ambiguous_shape(text: &str) -> bool {
    let parts: Vec<&str> = text.trim().split(['-', '/', '.']).collect();
    parts.len() == 3 && parts[2].len() == 4 && parts[0].len() <= 2 && parts[1].len() <= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    use jiff::civil::date;

    #[test]
    fn written_out_days_are_read_and_a_wrong_weekday_is_not() {
        let auto = DateRule::Auto { order: None };
        let tz = TimeZone::UTC;
        let day = |t: &str| parse_date(t, &auto, &tz, TimestampMode::Instants).map(|p| p.date);
        let feb18 = jiff::civil::date(2025, 2, 18);
        for text in [
            "Tue, Feb 18, 2025",
            "Tuesday, February 18, 2025",
            "February 18, 2025",
            "Feb 18, 2025",
            "18 Feb 2025",
            "18 February 2025",
        ] {
            assert_eq!(day(text), Ok(feb18), "{text}");
        }
        assert_eq!(day("Thu, 5 Feb 2026"), Ok(jiff::civil::date(2026, 2, 5)));
        assert_eq!(day("Sun, Feb 9, 2025"), Ok(jiff::civil::date(2025, 2, 9)));
        // 2025-02-18 was a Tuesday.
        assert!(day("Wed, Feb 18, 2025").is_err());
        // RFC 2822 still reads as it did.
        assert_eq!(
            day("Tue, 17 Apr 2018 14:37:58 -0700"),
            Ok(jiff::civil::date(2018, 4, 17))
        );
    }

    #[test]
    fn yearless_dates_take_the_year_of_the_period() {
        let period = |a: Date, b: Date| crate::model::plan::Period { start: a, end: b };
        let autumn = period(
            jiff::civil::date(2025, 11, 2),
            jiff::civil::date(2025, 12, 13),
        );
        assert_eq!(
            resolve_yearless("11月9日", &DateRule::Auto { order: None }, autumn),
            Some(jiff::civil::date(2025, 11, 9))
        );
        // A baseline day before the period: the nearest year.
        assert_eq!(
            resolve_yearless("10月30日", &DateRule::Auto { order: None }, autumn),
            Some(jiff::civil::date(2025, 10, 30))
        );
        // A period across a new year: each day the year that puts it inside.
        let winter = period(
            jiff::civil::date(2025, 12, 20),
            jiff::civil::date(2026, 1, 10),
        );
        assert_eq!(
            resolve_yearless("12月31日", &DateRule::Auto { order: None }, winter),
            Some(jiff::civil::date(2025, 12, 31))
        );
        assert_eq!(
            resolve_yearless("1月3日", &DateRule::Auto { order: None }, winter),
            Some(jiff::civil::date(2026, 1, 3))
        );
        assert_eq!(
            resolve_yearless("2025年1月3日", &DateRule::Auto { order: None }, winter),
            None
        );
        assert_eq!(
            resolve_yearless("13月3日", &DateRule::Auto { order: None }, winter),
            None
        );
        assert_eq!(
            resolve_yearless("1月", &DateRule::Auto { order: None }, winter),
            None
        );
        // A yearless date_format reads its days the same way.
        let slash = DateRule::Pattern("%m/%d".into());
        assert_eq!(
            resolve_yearless("12/31", &slash, winter),
            Some(date(2025, 12, 31))
        );
        assert_eq!(
            resolve_yearless("01/03", &slash, winter),
            Some(date(2026, 1, 3))
        );
        assert_eq!(resolve_yearless("2026/01/03", &slash, winter), None);
        let chinese = DateRule::Pattern("%m月%d日".into());
        assert_eq!(
            resolve_yearless("1月3日", &chinese, winter),
            Some(date(2026, 1, 3))
        );
    }

    fn auto(text: &str) -> Result<Date, String> {
        parse_date(
            text,
            &DateRule::Auto { order: None },
            &TimeZone::get("Asia/Shanghai").unwrap(),
            TimestampMode::Instants,
        )
        .map(|p| p.date)
    }

    #[test]
    fn unambiguous_dates_are_detected() {
        for t in [
            "2025-07-07",
            "2025/7/7",
            "2025年7月7日",
            "20250707",
            "2025.07.07",
        ] {
            assert_eq!(auto(t).unwrap(), date(2025, 7, 7), "{t}");
        }
        assert_eq!(auto("31-08-2023").unwrap(), date(2023, 8, 31));
    }

    #[test]
    fn ambiguous_dates_are_refused_without_evidence() {
        assert!(auto("08/07/2025").unwrap_err().contains("ambiguous"));
        let rule = DateRule::Auto {
            order: Some(DayMonth::DayFirst),
        };
        let tz = TimeZone::get("Asia/Shanghai").unwrap();
        assert_eq!(
            parse_date("08/07/2025", &rule, &tz, TimestampMode::Instants)
                .unwrap()
                .date,
            date(2025, 7, 8)
        );
        assert_eq!(order_evidence("13/07/2025"), Some(DayMonth::DayFirst));
        assert_eq!(order_evidence("07/13/2025"), Some(DayMonth::MonthFirst));
        assert_eq!(order_evidence("07/08/2025"), None);
        assert!(is_ambiguous_shape("07/08/2025"));
        assert!(!is_ambiguous_shape("2025/07/08"));
    }

    #[test]
    fn timestamps_convert_to_the_plan_timezone() {
        // 2019-03-29 20:00 UTC is already 03-30 in Shanghai.
        assert_eq!(
            auto("2019-03-29T20:00:00+00:00").unwrap(),
            date(2019, 3, 30)
        );
        assert_eq!(
            auto("2019-03-29T00:00:00+00:00").unwrap(),
            date(2019, 3, 29)
        );
        let tz = TimeZone::get("Asia/Shanghai").unwrap();
        let auto_rule = DateRule::Auto { order: None };
        let p = parse_date(
            "2019-04-29 11:49:30",
            &auto_rule,
            &tz,
            TimestampMode::Instants,
        )
        .unwrap();
        assert_eq!((p.date, p.assumed_zone), (date(2019, 4, 29), true));
    }

    #[test]
    fn day_buckets_keep_the_day_as_written_in_any_timezone() {
        let chicago = TimeZone::get("America/Chicago").unwrap();
        let rule = DateRule::Auto { order: None };
        let read = |t: &str, mode| parse_date(t, &rule, &chicago, mode).unwrap().date;
        // Discord's interval_start_timestamp: midnight UTC is 19:00 the day before in Chicago.
        let bucket = "2020-09-03T00:00:00+00:00";
        assert_eq!(read(bucket, TimestampMode::Instants), date(2020, 9, 2));
        assert_eq!(read(bucket, TimestampMode::DayBuckets), date(2020, 9, 3));
        // Discord 2026's day_pt: midnight Pacific time names that Pacific day.
        assert_eq!(
            read("2026-02-05T00:00:00-08:00", TimestampMode::DayBuckets),
            date(2026, 2, 5)
        );
        let pattern = DateRule::Pattern("%Y-%m-%d %H:%M:%S%:z".into());
        assert_eq!(
            parse_date(
                "2020-09-03 00:00:00+00:00",
                &pattern,
                &chicago,
                TimestampMode::DayBuckets
            )
            .unwrap()
            .date,
            date(2020, 9, 3)
        );
        assert_eq!(
            offset_midnight("2020-09-03 00:00:00+00:00", &pattern),
            Some(true)
        );
    }

    #[test]
    fn report_date_ranges_end_on_their_last_day() {
        for line in [
            "February 1, 2026 - February 28, 2026",
            "\"Feb 1, 2026 – Feb 28, 2026\"",
            "2026-02-01 - 2026-02-28",
            "2026年2月1日 至 2026年2月28日",
            "1 Feb 2026 - 28 Feb 2026",
        ] {
            assert_eq!(
                date_range(line),
                Some((date(2026, 2, 1), date(2026, 2, 28))),
                "{line}"
            );
        }
        assert_eq!(date_range("Campaign report"), None);
        assert_eq!(date_range("2026-03-01 - 2026-02-01"), None);
    }

    #[test]
    fn rfc_2822_dates_of_mail_archives_are_instants() {
        let shanghai = TimeZone::get("Asia/Shanghai").unwrap();
        let rule = DateRule::Auto { order: None };
        let read = |t: &str| {
            parse_date(t, &rule, &shanghai, TimestampMode::Instants)
                .unwrap()
                .date
        };
        // 14:37 at UTC−7 is 05:37 the next day in Shanghai.
        assert_eq!(read("Tue, 17 Apr 2018 14:37:58 -0700"), date(2018, 4, 18));
        assert_eq!(read("Thu, 24 Mar 2016 20:37:11 +0000"), date(2016, 3, 25));
        assert_eq!(
            offset_midnight("Tue, 17 Apr 2018 14:37:58 -0700", &rule),
            Some(false)
        );
    }

    #[test]
    fn a_file_is_day_buckets_only_when_every_offset_timestamp_is_midnight() {
        let rule = DateRule::Auto { order: None };
        let buckets = ["2020-09-03T00:00:00+00:00", "", "2020-09-04T00:00:00Z"];
        assert_eq!(detect_stamps(buckets, &rule), TimestampMode::DayBuckets);
        let events = ["2020-09-03T00:00:00+00:00", "2020-09-03T17:45:10+00:00"];
        assert_eq!(detect_stamps(events, &rule), TimestampMode::Instants);
        // Zoneless timestamps and plain dates are not offset timestamps.
        assert_eq!(offset_midnight("2020-09-03 00:00:00", &rule), None);
        assert_eq!(offset_midnight("2020-09-03", &rule), None);
        assert_eq!(
            offset_midnight("2020-09-03T00:00:00.5+08:00", &rule),
            Some(false)
        );
        assert_eq!(
            detect_stamps(["2020-09-03"], &rule),
            TimestampMode::Instants
        );
    }

    #[test]
    fn only_the_automatic_rule_rules_out_short_cells_as_timestamps() {
        let auto = DateRule::Auto { order: None };
        assert!(too_short_for_a_stamp(" 2020-09-03 ", &auto));
        assert!(!too_short_for_a_stamp("2020-09-03Z", &auto));
        assert!(!too_short_for_a_stamp("2020-09-03T00:00:00+08:00", &auto));
        // A pattern may read a short cell as a timestamp with an offset.
        let pattern = DateRule::Pattern("%y%m%d%z".into());
        assert!(!too_short_for_a_stamp("200903Z", &pattern));
    }

    #[test]
    fn patterns_handle_month_level_and_named_days() {
        let tz = TimeZone::get("Asia/Shanghai").unwrap();
        let pat = |p: &str, t: &str| {
            parse_date(
                t,
                &DateRule::Pattern(p.into()),
                &tz,
                TimestampMode::Instants,
            )
            .map(|x| x.date)
        };
        assert_eq!(pat("%b-%y", "Oct-25").unwrap(), date(2025, 10, 31));
        assert_eq!(
            pat("%a, %d %b %Y", "Thu, 05 Feb 2026").unwrap(),
            date(2026, 2, 5)
        );
        assert_eq!(pat("%d/%m/%Y", "08/07/2025").unwrap(), date(2025, 7, 8));
        assert!(
            pat("%Y-%m-%d", "07/08/2025")
                .unwrap_err()
                .contains("does not match")
        );
    }

    #[test]
    fn invalid_dates_are_named() {
        assert!(auto("2025-02-30").unwrap_err().contains("not a valid"));
        assert!(auto("yesterday").unwrap_err().contains("expected a date"));
    }

    #[test]
    fn iso_dates_read_alike_on_the_fast_path_and_the_general_one() {
        let auto = DateRule::Auto { order: None };
        let read = |t: &str| parse_date(t, &auto, &TimeZone::UTC, TimestampMode::Instants);
        assert_eq!(
            read("2025-07-07").unwrap().date,
            jiff::civil::date(2025, 7, 7)
        );
        // The same day through the general path (slashes, spaces around the cell).
        assert_eq!(
            read(" 2025/7/7 ").unwrap().date,
            read("2025-07-07").unwrap().date
        );
        assert_eq!(
            read("2025-02-30").unwrap_err(),
            "`2025-02-30` is not a valid calendar date"
        );
        assert_eq!(
            read("2025-13-01").unwrap_err(),
            "`2025-13-01` is not a valid calendar date"
        );
        assert!(read("2025-0a-01").is_err());
    }

    proptest::proptest! {
        /// Offset timestamps, well and badly formed: the one-pass reader gives the day jiff's
        /// parser gives, as an instant in the plan's zone and as a day bucket, or leaves the
        /// cell to it.
        #[test]
        fn offset_timestamps_match_jiffs_parser(
            text in "20[0-9]{2}-[01][0-9]-[0-3][0-9][T ][0-2][0-9]:[0-6][0-9]:[0-6][0-9](Z|[+-][01][0-9]:[0-6][0-9])",
        ) {
            let tz = TimeZone::get("America/New_York").unwrap();
            if let Some((written, offset)) = offset_timestamp(text.as_bytes()) {
                let general: jiff::Timestamp = text.parse().expect("jiff reads what the fast path reads");
                let pieces = jiff::fmt::temporal::Pieces::parse(&text).unwrap();
                proptest::prop_assert_eq!(written.date(), pieces.date());
                proptest::prop_assert_eq!(
                    tz.to_datetime(offset.to_timestamp(written).unwrap()).date(),
                    tz.to_datetime(general).date()
                );
            } else {
                // Left to the general path: a value out of range (month 13, second 60, …).
                let valid = text.parse::<jiff::Timestamp>().is_ok()
                    && !text[17..19].starts_with('6');
                proptest::prop_assert!(!valid, "`{}` is valid but was left to the general path", text);
            }
        }
    }
}
