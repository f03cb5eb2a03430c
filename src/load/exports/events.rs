//! Event logs (`data.events`: one row per message or membership event) → per-day `messages`,
//! `speakers`, `joined` and `left` in the plan's timezone (docs/data.md#event-logs). Rows with the
//! same `id` count once (split and repeated rows); a person is one speaker a day however many
//! groups they wrote in. Actors are only counted: no name leaves this module.
//!
//! With an actor column the log also gives distinct writers: `active_members` a day, and the
//! rolling uniques `active_members_7d` and `active_members_30d` (everyone who wrote in the N
//! calendar days ending that day, each counted once). A rolling count is given only for days
//! whose whole window the log covers: a 30-day count from 21 days of log would be a lower bound
//! presented as the number. These are offered, not imposed: a daily export that has its own
//! active counts keeps them (docs/data.md#event-logs).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use jiff::tz::TimeZone;
use rust_decimal::Decimal;

use super::ids::IdCheck;
use super::keyed::{Row, read_keyed, slot};
use super::{SourceSettings, value};
use crate::diag::Diagnostic;
use crate::model::columns::{EVENT_COLUMNS, daily_index};
use crate::model::members::{MemberId, Writers};
use crate::model::plan::Period;
use crate::model::table::{DayRow, SourceFile};
use crate::model::values::Date;

/// What an event row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Message,
    Join,
    Leave,
}

impl Kind {
    /// `message` (the default), `join` or `leave`, in the words exports use.
    fn parse(text: &str) -> Option<Kind> {
        const WORDS: [(&str, Kind); 22] = [
            ("message", Kind::Message),
            ("msg", Kind::Message),
            ("post", Kind::Message),
            ("reply", Kind::Message),
            ("comment", Kind::Message),
            ("消息", Kind::Message),
            ("发言", Kind::Message),
            ("帖子", Kind::Message),
            ("join", Kind::Join),
            ("joined", Kind::Join),
            ("subscribe", Kind::Join),
            ("member_join", Kind::Join),
            ("加入", Kind::Join),
            ("入群", Kind::Join),
            ("进群", Kind::Join),
            ("leave", Kind::Leave),
            ("left", Kind::Leave),
            ("unsubscribe", Kind::Leave),
            ("member_leave", Kind::Leave),
            ("quit", Kind::Leave),
            ("退出", Kind::Leave),
            ("退群", Kind::Leave),
        ];
        let text = text.trim();
        // Compared without a lower-cased copy per row; the Chinese words have no case.
        WORDS
            .iter()
            .find(|(word, _)| text.eq_ignore_ascii_case(word))
            .map(|(_, kind)| *kind)
    }
}

/// One event source, aggregated per day.
#[derive(Debug, Clone, Default)]
pub struct EventDays {
    /// Community-level rows: every day of the coverage, plus any other day with events.
    pub rows: BTreeMap<Date, DayRow>,
    /// The canonical columns this source gives (`messages`; `speakers` with an actor column;
    /// `joined` and `left` with a kind column).
    pub columns: BTreeSet<&'static str>,
    /// The files read.
    pub files: Vec<SourceFile>,
    /// Without `covers`, the log is complete up to the report date: its quiet days after the
    /// last event are 0 up to it.
    pub open: bool,
    /// Columns counted from the writers (`active_members` and its rolling uniques), in `rows`
    /// but not in `columns`: they yield to a daily export's own active counts.
    pub derived: BTreeSet<&'static str>,
    /// An open log's rolling uniques on the days after its last event (the writers of the days
    /// before are still in the window), for the report date to reach; later days are 0.
    pub tail: BTreeMap<Date, DayRow>,
    /// With a members file: each writer's days, by their member hash.
    pub writers: Option<Writers>,
}

/// The rolling windows counted from a log's writers: column, days.
const ROLLING: [(&str, u32); 2] = [("active_members_7d", 7), ("active_members_30d", 30)];

/// Running counts while the files stream by.
#[derive(Default)]
struct Tally {
    ids: super::ids::IdCheck,
    /// Counts by day, looked up once a row (a hash map: sorted once at the end).
    days: hashbrown::HashMap<Date, DayTally>,
    actor_column: bool,
    kind_column: bool,
    repeated_headers: BTreeMap<std::path::PathBuf, Vec<usize>>,
    rows: usize,
    /// Everyone who wrote, numbered: a day's speakers are their numbers.
    actors: super::ids::Names,
    /// [`Tally::actors`] could take no more names (reported once).
    actors_full: bool,
    /// Kind cells seen, as written, with what they name.
    kinds: Vec<(Box<str>, Option<Kind>)>,
    /// With a members file: the key its ids are hashed with, and each actor's hash by their
    /// number in [`Tally::actors`], so that writers meet members (never a name kept).
    hash_with: Option<super::personal::Pseudonymizer>,
    member_ids: Vec<Option<MemberId>>,
    /// The current file (by index) and its headers, trimmed once, to tell a repeated header
    /// line from a row.
    headers: Option<(usize, Vec<String>)>,
}

/// One day's counts. A day is counted only once it has an event, so each has at least one.
#[derive(Default)]
struct DayTally {
    messages: u64,
    /// Who wrote, by their number in [`Tally::actors`]. A speaker's mark there is the last
    /// day they were put in a day's set: whoever is marked with a day is in its set.
    speakers: hashbrown::HashSet<u32>,
    joined: u64,
    left: u64,
}

/// Reads one event source. `covers` is the source's own `covers:`; without it the log is
/// taken as complete from the campaign start to its last event day here, and on to the report
/// date once that is known ([`EventDays::open`]).
pub fn read(
    root: &Path,
    settings: &SourceSettings,
    covers: Option<Period>,
    tz: &TimeZone,
    period: Period,
    members: Option<&super::personal::Pseudonymizer>,
) -> (EventDays, Vec<Diagnostic>) {
    // Ids are written down and checked once at the end; a log with repeated ids (split or
    // overlapping exports) is read again checking each as it comes, so repeats count once.
    let (mut diags, mut tally, mut files) = tally(root, settings, tz, IdCheck::later(), members);
    if std::mem::take(&mut tally.ids).must_reread() {
        (diags, tally, files) = self::tally(root, settings, tz, IdCheck::now(), members);
    }
    for (path, lines) in &tally.repeated_headers {
        let shown: Vec<String> = lines.iter().take(20).map(ToString::to_string).collect();
        diags.push(
            Diagnostic::warning(
                "repeated-header",
                path,
                format!(
                    "the header line is repeated {} time(s) inside the file; those lines are skipped",
                    lines.len()
                ),
            )
            .at_line(lines[0])
            .found(format!("header lines at {}", shown.join(", ")))
            .help("exports appended in chunks repeat their header; nothing to fix unless rows are missing"),
        );
    }
    let mut days = EventDays {
        files,
        open: covers.is_none(),
        ..EventDays::default()
    };
    let last = tally.days.keys().max().copied();
    let Some(last) = last else {
        if tally.rows == 0 && !days.files.is_empty() {
            diags.push(
                Diagnostic::error(
                    "empty-export",
                    &settings.declared_in,
                    "the event log has no event rows",
                )
                .field(format!("data.{}.path", settings.name))
                .help("an empty export is never read as zero activity; check the file"),
            );
        }
        return (days, diags);
    };
    days.columns.insert("messages");
    if tally.actor_column {
        days.columns.insert("speakers");
    }
    if tally.kind_column {
        days.columns.extend(["joined", "left"]);
    }
    // Without `covers`, the log is complete from the campaign start to its last event day.
    let coverage = covers.unwrap_or(Period {
        start: period.start,
        end: last,
    });
    let mut dates: BTreeSet<Date> = tally.days.keys().copied().collect();
    let mut day = coverage.start;
    while day <= coverage.end {
        dates.insert(day);
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    // Without `covers`, a log with events before the campaign is taken as complete from its
    // first event: the windows of the campaign's first days reach into that history.
    let known_from = match covers {
        Some(c) => c.start,
        None => coverage
            .start
            .min(*dates.first().unwrap_or(&coverage.start)),
    };
    let rolling = if tally.actor_column {
        days.derived.insert("active_members");
        days.derived.extend(ROLLING.map(|(column, _)| column));
        let through = *dates.last().unwrap_or(&coverage.end);
        let tail_days = if days.open { 29 } else { 0 };
        rolling_uniques(&tally.days, known_from, through, tail_days)
    } else {
        BTreeMap::new()
    };
    days.writers = writers(&tally, known_from, covers);
    let set_rolling = |row: &mut DayRow, counts: &[Option<u64>; 2]| {
        for ((column, _), n) in ROLLING.iter().zip(counts) {
            if let (Some(i), Some(n)) = (daily_index(column), n) {
                row.values[i] = Some(Decimal::from(*n));
            }
        }
    };
    for (date, counts) in rolling.range(dates.last().map_or(coverage.end, |d| *d)..) {
        if Some(date) > dates.last() {
            set_rolling(days.tail.entry(*date).or_default(), counts);
        }
    }
    for date in dates {
        let mut row = DayRow::default();
        let mut set = |column: &str, n: u64| {
            if days.columns.contains(column)
                && let Some(i) = daily_index(column)
            {
                row.values[i] = Some(Decimal::from(n));
            }
        };
        let counts = tally.days.get(&date);
        set("messages", counts.map_or(0, |c| c.messages));
        set("speakers", counts.map_or(0, |c| c.speakers.len() as u64));
        set("joined", counts.map_or(0, |c| c.joined));
        set("left", counts.map_or(0, |c| c.left));
        if tally.actor_column
            && let Some(i) = daily_index("active_members")
        {
            row.values[i] = Some(Decimal::from(counts.map_or(0, |c| c.speakers.len() as u64)));
        }
        if let Some(counts) = rolling.get(&date) {
            set_rolling(&mut row, counts);
        }
        days.rows.insert(date, row);
    }
    (days, diags)
}

/// Each member's writing days, when the log is read beside a members file and names its
/// writers.
fn writers(tally: &Tally, known_from: Date, covers: Option<Period>) -> Option<Writers> {
    if tally.hash_with.is_none() || !tally.actor_column {
        return None;
    }
    let mut by_member: BTreeMap<MemberId, Vec<Date>> = BTreeMap::new();
    for (date, t) in &tally.days {
        for &number in &t.speakers {
            if let Some(Some(id)) = tally.member_ids.get(number as usize) {
                by_member.entry(*id).or_default().push(*date);
            }
        }
    }
    for dates in by_member.values_mut() {
        dates.sort_unstable();
    }
    Some(Writers {
        days: by_member,
        known_from,
        through: covers.map(|c| c.end),
    })
}

/// The distinct writers of the 7 and 30 calendar days ending each day from the first event
/// through `through` plus `tail` days, by sliding both windows a day at a time (each writer's
/// days in the window are counted, so one who leaves a window is dropped when their count falls
/// to 0). A day's count is `None` while its window starts before `known_from`.
fn rolling_uniques(
    days: &hashbrown::HashMap<Date, DayTally>,
    known_from: Date,
    through: Date,
    tail: i64,
) -> BTreeMap<Date, [Option<u64>; 2]> {
    let mut out = BTreeMap::new();
    let Some(first) = days.keys().min().copied().map(|d| d.min(known_from)) else {
        return out;
    };
    let Ok(end) = through.checked_add(jiff::Span::new().days(tail)) else {
        return out;
    };
    let none = hashbrown::HashSet::new();
    let writers = |d: Date| days.get(&d).map_or(&none, |t| &t.speakers);
    let mut in_window: [hashbrown::HashMap<u32, u32>; 2] = Default::default();
    let mut day = first;
    while day <= end {
        for (w, (_, n)) in ROLLING.iter().enumerate() {
            for &a in writers(day) {
                *in_window[w].entry(a).or_default() += 1;
            }
            if let Ok(gone) = day.checked_sub(jiff::Span::new().days(i64::from(*n))) {
                for a in writers(gone) {
                    if let Some(k) = in_window[w].get_mut(a) {
                        *k -= 1;
                        if *k == 0 {
                            in_window[w].remove(a);
                        }
                    }
                }
            }
        }
        let counts = std::array::from_fn(|w| {
            let from = day.checked_sub(jiff::Span::new().days(i64::from(ROLLING[w].1 - 1)));
            from.is_ok_and(|from| from >= known_from)
                .then(|| in_window[w].len() as u64)
        });
        if day >= known_from {
            out.insert(day, counts);
        }
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    out
}

/// A day as a [`Names`](super::ids::Names) mark: its year, month and day packed, never
/// [`Names::UNMARKED`](super::ids::Names::UNMARKED).
fn day_mark(date: Date) -> u32 {
    let year = u32::from(date.year().cast_unsigned());
    let month = u32::from(date.month().cast_unsigned());
    let day = u32::from(date.day().cast_unsigned());
    (year << 16) | (month << 8) | day
}

/// Where the columns a row is read by sit among [`EVENT_COLUMNS`].
struct Slots {
    timestamp: usize,
    kind: usize,
    id: usize,
    actor: usize,
}

impl Tally {
    /// The kind of a row from its raw kind cell (`None`: unmapped), `Err` for a word that
    /// names none. An export has a handful of distinct kind cells: each is cleaned and parsed
    /// once, not once a row.
    fn kind_of(&mut self, raw: Option<&str>) -> Result<Kind, ()> {
        let Some(raw) = raw else {
            return Ok(Kind::Message);
        };
        if let Some((_, kind)) = self.kinds.iter().find(|(text, _)| **text == *raw) {
            return kind.ok_or(());
        }
        let kind = match value::clean_ref(raw) {
            None => Some(Kind::Message),
            Some(k) => Kind::parse(&k),
        };
        if self.kinds.len() < 32 {
            self.kinds.push((raw.into(), kind));
        }
        kind.ok_or(())
    }
}

/// Reads every file of the source into per-day counts, checking ids with `ids`.
fn tally(
    root: &Path,
    settings: &SourceSettings,
    tz: &TimeZone,
    ids: IdCheck,
    members: Option<&super::personal::Pseudonymizer>,
) -> (Vec<Diagnostic>, Tally, Vec<SourceFile>) {
    let mut diags = Vec::new();
    let mut tally = Tally {
        ids,
        hash_with: members.cloned(),
        ..Tally::default()
    };
    let rule = settings.date_rule();
    let [timestamp, kind, id, actor] =
        ["timestamp", "kind", "id", "actor"].map(|name| slot(EVENT_COLUMNS, name));
    let slots = Slots {
        timestamp,
        kind,
        id,
        actor,
    };
    let files = read_keyed(
        root,
        settings,
        EVENT_COLUMNS,
        "timestamp",
        &mut diags,
        |row, diags| visit(row, &slots, &rule, tz, &mut tally, diags),
    );
    (diags, tally, files)
}

fn visit(
    row: &Row,
    at: &Slots,
    rule: &value::DateRule,
    tz: &TimeZone,
    tally: &mut Tally,
    diags: &mut Vec<Diagnostic>,
) {
    let headers = match &tally.headers {
        Some((file, headers)) if *file == row.file => headers,
        _ => {
            let trimmed = row.headers.iter().map(|h| h.trim().to_string()).collect();
            &tally.headers.insert((row.file, trimmed)).1
        }
    };
    if row
        .cells
        .iter()
        .zip(headers)
        .all(|(cell, header)| value::trim(cell) == header)
    {
        tally
            .repeated_headers
            .entry(row.rel.to_path_buf())
            .or_default()
            .push(row.line());
        return;
    }
    tally.rows += 1;
    tally.actor_column |= row.has(at.actor);
    tally.kind_column |= row.has(at.kind);
    let Some(text) = row.at(at.timestamp) else {
        diags.push(
            row.error("missing-date", "timestamp", "the timestamp is empty")
                .help("every event needs its time"),
        );
        return;
    };
    let date = match value::parse_date(&text, rule, tz, row.stamps) {
        Ok(p) => p.date,
        Err(msg) => {
            diags.push(
                row.error("bad-date", "timestamp", msg)
                    .expected("a timestamp such as 2025-07-07T20:15:00+08:00")
                    .help("set `date_format` on the source (strftime) if the export uses another shape"),
            );
            return;
        }
    };
    let kind = match tally.kind_of(row.raw_at(at.kind)) {
        Ok(kind) => kind,
        Err(()) => {
            let k = row.at(at.kind).unwrap_or_default();
            diags.push(
                row.error("unknown-kind", "kind", format!("event kind `{k}` is not known"))
                    .found(format!("`{k}`"))
                    .expected("message, join or leave (消息, 入群, 退群)")
                    .help("map the export's words to these, or leave the kind column unmapped if every row is a message"),
            );
            return;
        }
    };
    tally.ids.reserve(row.rows_ahead);
    if let Some(id) = row.at(at.id)
        && tally.ids.see(&id, row.line()).is_some()
    {
        return;
    }
    let day = tally.days.entry(date).or_default();
    match kind {
        Kind::Message => {
            day.messages += 1;
            if let Some(actor) = row.at(at.actor) {
                let today = day_mark(date);
                match tally.actors.mark(&actor) {
                    // Counted on this day already (the last day they were counted on).
                    Some((_, last)) if *last == today => {}
                    Some((number, last)) => {
                        if *last == super::ids::Names::UNMARKED
                            && let Some(p) = &tally.hash_with
                        {
                            let at = number as usize;
                            if tally.member_ids.len() <= at {
                                tally.member_ids.resize(at + 1, None);
                            }
                            tally.member_ids[at] = Some(p.member(&actor));
                        }
                        *last = today;
                        day.speakers.insert(number);
                    }
                    None if tally.actors_full => {}
                    None => {
                        tally.actors_full = true;
                        diags.push(
                            row.error(
                                "too-many-actors",
                                "actor",
                                "the event log names more distinct people than can be counted exactly (4 GB of names)",
                            )
                            .help("split the log by period into separate sources"),
                        );
                    }
                }
            }
        }
        Kind::Join => day.joined += 1,
        Kind::Leave => day.left += 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_cells_are_parsed_once_and_read_alike_every_time() {
        let mut tally = Tally::default();
        for _ in 0..2 {
            assert_eq!(tally.kind_of(Some(" 消息 ")), Ok(Kind::Message));
            assert_eq!(tally.kind_of(Some("入群")), Ok(Kind::Join));
            assert_eq!(tally.kind_of(Some("LEAVE")), Ok(Kind::Leave));
            // A missing marker or an unmapped column: a message; an unknown word: an error.
            assert_eq!(tally.kind_of(Some("-")), Ok(Kind::Message));
            assert_eq!(tally.kind_of(None), Ok(Kind::Message));
            assert_eq!(tally.kind_of(Some("点赞")), Err(()));
        }
        assert_eq!(tally.kinds.len(), 5);
    }

    /// By hand: a and b write on 07-01, a on 07-03, c on 07-09; the log is known from 06-20.
    #[test]
    fn rolling_uniques_count_each_writer_once_per_window_and_only_whole_windows() {
        let d = |m: i8, day: i8| jiff::civil::date(2025, m, day);
        let mut days = hashbrown::HashMap::new();
        for (day, writers) in [
            (d(7, 1), vec![1, 2]),
            (d(7, 3), vec![1]),
            (d(7, 9), vec![3]),
        ] {
            days.insert(
                day,
                DayTally {
                    speakers: writers.into_iter().collect(),
                    ..DayTally::default()
                },
            );
        }
        let counts = rolling_uniques(&days, d(6, 20), d(7, 10), 29);
        let at = |m, day| counts.get(&d(m, day)).copied();
        // 7-day windows are whole from 06-26; 30-day windows from 07-19.
        assert_eq!(at(6, 25), Some([None, None]));
        assert_eq!(at(6, 26), Some([Some(0), None]));
        assert_eq!(at(7, 1), Some([Some(2), None]));
        assert_eq!(at(7, 7), Some([Some(2), None]));
        assert_eq!(at(7, 8), Some([Some(1), None]));
        assert_eq!(at(7, 9), Some([Some(2), None]));
        assert_eq!(at(7, 10), Some([Some(1), None]));
        assert_eq!(at(7, 19), Some([Some(0), Some(3)]));
        assert_eq!(at(7, 30), Some([Some(0), Some(3)]));
        assert_eq!(at(7, 31), Some([Some(0), Some(2)]));
        assert_eq!(at(8, 2), Some([Some(0), Some(1)]));
        assert_eq!(at(8, 7), Some([Some(0), Some(1)]));
        assert_eq!(at(8, 8), Some([Some(0), Some(0)]));
        // Nothing before the log is known, nothing past the tail.
        assert_eq!(at(6, 19), None);
        assert_eq!(at(8, 9), None);
    }

    #[test]
    fn kinds_are_read_in_english_and_chinese() {
        assert_eq!(Kind::parse("Message"), Some(Kind::Message));
        assert_eq!(Kind::parse("入群"), Some(Kind::Join));
        assert_eq!(Kind::parse(" leave "), Some(Kind::Leave));
        assert_eq!(Kind::parse("reaction"), None);
    }
}
