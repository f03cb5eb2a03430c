//! The spend ledger (docs/reference.md#ledger-columns) → [`LedgerEntry`] totals with plan category
//! ids.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use jiff::tz::TimeZone;

use super::SourceSettings;
use super::cell_map::CellMap;
use super::ids::IdCheck;
use super::keyed::{Row, read_keyed, slot};
use super::value;
use crate::diag::{Diagnostic, did_you_mean};
use crate::model::plan::{Budget, DataSource, TimestampMode};
use crate::model::table::{LedgerEntry, LedgerStatus, SourceFile};
use crate::model::values::Date;

/// What the ledger reader needs from the plan.
#[derive(Debug, Clone)]
pub struct LedgerContext<'a> {
    /// `campaign.timezone`.
    pub tz: TimeZone,
    /// `campaign.currency`.
    pub currency: &'a str,
    /// The plan's budget: category ids and aliases, work packages.
    pub budget: &'a Budget,
    /// The plan's `data.ledger`: category and status maps.
    pub source: &'a DataSource,
    /// Channel ids.
    pub channels: BTreeSet<String>,
    /// Date ranges of the reports read so far, by campaign key, across every ledger source.
    pub reports: &'a std::cell::RefCell<ReportSpans>,
    /// The campaign period: a date written without its year takes the year that puts it there.
    pub period: crate::model::plan::Period,
}

/// Reports dated by their preamble: campaign key → (range, file), to refuse two reports that
/// count the same days.
pub type ReportSpans = BTreeMap<String, Vec<((Date, Date), std::path::PathBuf)>>;

/// Reads the ledger. Categories resolve through `category_map`, then category aliases, then
/// bare ids; statuses through `status_map`, then the canonical words.
pub fn read(
    root: &Path,
    settings: &SourceSettings,
    ctx: &LedgerContext,
) -> (Vec<LedgerEntry>, Vec<SourceFile>, Vec<Diagnostic>) {
    // Entry ids are written down and checked for repeats once at the end; only a ledger with a
    // repeat (an error) is read again, checking each id as it comes, to name the repeat's line
    // and leave it out of every sum.
    let (entries, files, diags, ids) = read_with(root, settings, ctx, IdCheck::later());
    if ids.must_reread() {
        let (entries, files, diags, _) = read_with(root, settings, ctx, IdCheck::now());
        return (entries, files, diags);
    }
    (entries, files, diags)
}

/// Each distinct date cell of a file → its day. A ledger lists many rows a day, and a date's
/// parsing (a `date_format` pattern's above all) depends only on its text, the file and its
/// timestamp mode: the map is emptied when those change, and bounded for files of
/// all-different timestamps. Cells that do not parse are not kept.
#[derive(Default)]
struct DateCells {
    days: CellMap<Date>,
    file_and_mode: Option<(usize, TimestampMode)>,
}

impl DateCells {
    #[inline]
    fn day(
        &mut self,
        text: &str,
        row: &Row,
        parse: impl FnOnce() -> Result<Date, String>,
    ) -> Result<Date, String> {
        if self.file_and_mode != Some((row.file, row.stamps)) {
            self.days.clear();
            self.file_and_mode = Some((row.file, row.stamps));
        }
        if let Some(day) = self.days.get(text) {
            return Ok(day);
        }
        let day = parse()?;
        self.days.insert(text, day);
        Ok(day)
    }
}

/// What tells a file's rows apart downstream, with category, work package and channel as
/// indices into the plan's lists. (A report's date range is the same for every row of its file,
/// and totals never span files.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct TotalKey {
    date: Date,
    category: usize,
    work_package: Option<usize>,
    channel: Option<usize>,
    status: LedgerStatus,
}

impl TotalKey {
    /// The key in one word — day, category, work package, channel and status side by side, so
    /// that equal words are equal keys — when its indices fit (a plan with fewer than 65,536
    /// categories, 1,023 work packages and 4,095 channels, as every plan has).
    #[inline]
    fn packed(&self) -> Option<u64> {
        let index = |i: Option<usize>, bits: u32| {
            let n = i.map_or(0, |i| i as u64 + 1);
            (n < 1 << bits).then_some(n)
        };
        // Years −9999…9999 in 15 bits, months in 4, days in 5.
        let day = ((i64::from(self.date.year()) + 10_000) << 9)
            | (i64::from(self.date.month()) << 5)
            | i64::from(self.date.day());
        let category = Some(self.category as u64).filter(|&c| c < 1 << 16)?;
        Some(
            (day as u64) << 40
                | category << 24
                | index(self.work_package, 10)? << 14
                | index(self.channel, 12)? << 2
                | self.status as u64,
        )
    }
}

/// The entry each [`TotalKey`] of one file is added into. Keys are looked up as one word: a
/// table keyed by the five fields hashed and compared each of them on every row, and that was
/// a sixth of reading a large ledger on one core.
#[derive(Default)]
struct Totals {
    packed: hashbrown::HashMap<u64, usize>,
    /// Keys whose indices do not fit in a word.
    wide: hashbrown::HashMap<TotalKey, usize>,
}

impl Totals {
    /// The index of `key`'s entry; `None` when it had none, and now has `next`.
    #[inline]
    fn get_or_insert(&mut self, key: TotalKey, next: usize) -> Option<usize> {
        let mut found = None;
        match key.packed() {
            Some(word) => {
                self.packed
                    .entry(word)
                    .and_modify(|&mut at| found = Some(at))
                    .or_insert(next);
            }
            None => {
                self.wide
                    .entry(key)
                    .and_modify(|&mut at| found = Some(at))
                    .or_insert(next);
            }
        }
        found
    }

    fn clear(&mut self) {
        self.packed.clear();
        self.wide.clear();
    }
}

fn read_with(
    root: &Path,
    settings: &SourceSettings,
    ctx: &LedgerContext,
    mut ids: IdCheck,
) -> (Vec<LedgerEntry>, Vec<SourceFile>, Vec<Diagnostic>, IdCheck) {
    let mut diags = Vec::new();
    let mut entries: Vec<LedgerEntry> = Vec::new();
    // Rows of one file that every computation treats alike are added into one entry: the
    // index of that entry in `entries` by what tells rows apart downstream.
    let mut totals = Totals::default();
    let mut file: Option<(usize, Arc<Path>)> = None;
    // A category, status, work package or channel cell as written → what it resolves to
    // (`None`: nothing), so that each distinct cell is resolved once.
    let mut categories: CellMap<Option<usize>> = CellMap::default();
    let mut statuses: CellMap<Option<LedgerStatus>> = CellMap::default();
    let mut work_packages: CellMap<Option<usize>> = CellMap::default();
    let mut channels: CellMap<Option<usize>> = CellMap::default();
    let rule = settings.date_rule();
    let mut dates = DateCells::default();
    let mut category_ids: Vec<&str> = ctx
        .budget
        .categories
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    // A fixed category outside the plan is reported by validation; its rows are still read
    // (and checked) under that id, as written.
    let fixed_category = ctx.source.category.as_deref().map(|fixed| {
        category_ids
            .iter()
            .position(|c| *c == fixed)
            .unwrap_or_else(|| {
                category_ids.push(fixed);
                category_ids.len() - 1
            })
    });
    let wp_ids: Vec<&str> = ctx
        .budget
        .work_packages
        .iter()
        .map(|w| w.id.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let channel_ids: Vec<&str> = ctx.channels.iter().map(String::as_str).collect();
    // A report dated by its preamble needs no date column; a source with a fixed `category`
    // needs no category column.
    let dated_by_preamble = settings.entry_date.is_some()
        || settings
            .profile
            .as_ref()
            .is_some_and(|p| p.entry_date.is_some());
    let fixed_date = settings.entry_date;
    let columns: Vec<(&str, bool, &[&str])> = crate::model::columns::LEDGER_COLUMNS
        .iter()
        .map(|&(name, required, aliases)| {
            let optional = (name == "date" && dated_by_preamble)
                || (name == "category" && ctx.source.category.is_some());
            (name, required && !optional, aliases)
        })
        .collect();
    let [
        date_at,
        category_at,
        amount_at,
        status_at,
        wp_at,
        channel_at,
        id_at,
        start_at,
    ] = [
        "date",
        "category",
        "amount",
        "status",
        "work_package",
        "channel",
        "entry_id",
        "period_start",
    ]
    .map(|name| slot(&columns, name));
    // One unreadable date column is one error, not one per row.
    let mut bad_dates = super::ColumnErrors::default();
    let mut bad_starts = super::ColumnErrors::default();
    // The first date read without its year, for one note.
    let yearless: std::cell::RefCell<Option<(String, Date)>> = std::cell::RefCell::default();
    let files = read_keyed(
        root,
        settings,
        &columns,
        "date",
        &mut diags,
        |row, diags| {
            let date = match (fixed_date, row.at(date_at), row.preamble_range) {
                (Some(fixed), _, _) => fixed,
                (None, None, Some((_, end))) => end,
                (None, None, None) => {
                    diags.push(
                        row.error("missing-date", "date", "the date is empty")
                            .help("every ledger row needs its accrual date"),
                    );
                    return;
                }
                // The closure takes the cell's text by value: taking the cell by reference
                // sent it through memory, and the row stalled reading it back.
                (None, Some(date_text), _) => match dates.day(&date_text, row, {
                    let (text, rule, tz, stamps) = (&*date_text, &rule, &ctx.tz, row.stamps);
                    let (period, yearless) = (ctx.period, &yearless);
                    move || {
                        value::parse_date(text, rule, tz, stamps)
                            .map(|p| p.date)
                            .or_else(|msg| {
                                // A day written without its year takes the campaign's.
                                let day = value::resolve_yearless(text, rule, period).ok_or(msg)?;
                                yearless.borrow_mut().get_or_insert((text.to_string(), day));
                                Ok(day)
                            })
                    }
                }) {
                    Ok(date) => date,
                    Err(msg) => {
                        let code = if msg.contains("ambiguous") {
                            "ambiguous-date"
                        } else {
                            "bad-date"
                        };
                        bad_dates.add(
                            row.error(code, "date", msg)
                                .help("write ISO dates, or set `data.ledger.date_format`"),
                            row.line(),
                            &date_text,
                        );
                        return;
                    }
                },
            };
            // A row that carries its own range (Meta's `Reporting starts` … `Reporting ends`)
            // is dated its last day; a range of several days counts as a report's does
            // (unknown while it straddles the report date), a range of one day is a day.
            let report_days = match row.at(start_at) {
                None => row.preamble_range,
                Some(text) => match value::parse_date(&text, &rule, &ctx.tz, row.stamps) {
                    Ok(start) if start.date < date => Some((start.date, date)),
                    Ok(start) if start.date == date => None,
                    Ok(start) => {
                        diags.push(
                            row.error(
                                "bad-range",
                                "period_start",
                                format!("the row's range starts on {} after it ends on {date}", start.date),
                            )
                            .help("map `period_start` to the report's first day and `date` to its last"),
                        );
                        return;
                    }
                    Err(msg) => {
                        bad_starts.add(
                            row.error("bad-date", "period_start", msg)
                                .help("write ISO dates, or set `data.ledger.date_format`"),
                            row.line(),
                            &text,
                        );
                        return;
                    }
                },
            };
            if let Some(range) = report_days
                && !report_is_new(row, range, row.at(category_at), ctx, diags)
            {
                return;
            }
            let category = match fixed_category {
                Some(fixed) => fixed,
                None => {
                    let Some(raw_category) = row.at(category_at) else {
                        diags.push(
                            row.error("missing-category", "category", "the category is empty")
                                .help("every cost belongs to a budget category"),
                        );
                        return;
                    };
                    let resolved = categories.resolve(&raw_category, || {
                        resolve_category(&raw_category, ctx)
                            .and_then(|id| category_ids.iter().position(|c| *c == id))
                    });
                    let Some(category) = resolved else {
                        diags.push(unknown_category(row, &raw_category, &category_ids));
                        return;
                    };
                    category
                }
            };
            let Some(amount_text) = row.at(amount_at) else {
                let raw = row.raw_at(amount_at).unwrap_or_default().trim().to_string();
                let mut d = row
                    .error("missing-amount", "amount", "the amount is empty")
                    .expected("an amount such as 1200.00 (0.00 for a zero-cost entry)")
                    .help("write 0.00 for a zero-cost entry; a report's `--` means it has no cost data for that row");
                if !raw.is_empty() {
                    d = d.found(format!("`{raw}`"));
                }
                diags.push(d);
                return;
            };
            let amount = match value::parse_money(&amount_text, ctx.currency) {
                Ok(a) => a,
                Err(e) => {
                    diags.push(
                        row.error("bad-amount", "amount", e.message)
                            .found(format!("`{amount_text}`"))
                            .expected("an amount such as 1200.00 or -120.00")
                            .help(e.help),
                    );
                    return;
                }
            };
            let status = match row.at(status_at) {
                None => LedgerStatus::Accrued,
                Some(text) => {
                    let status = statuses.resolve(&text, || {
                        let mapped = ctx
                            .source
                            .status_map
                            .get(text.as_ref())
                            .map_or(text.as_ref(), String::as_str);
                        LedgerStatus::parse(value::trim(mapped))
                    });
                    match status {
                        Some(s) => s,
                        None => {
                            diags.push(
                            row.error("unknown-status", "status", format!("status `{text}` is not accrued, paid or committed"))
                                .found(format!("`{text}`"))
                                .expected("accrued, paid, committed, or a key of `data.ledger.status_map`")
                                .help(format!("add `{text}: accrued|paid|committed` to `data.ledger.status_map`")),
                        );
                            return;
                        }
                    }
                }
            };
            let work_package = match row.at(wp_at) {
                None => None,
                Some(wp) => {
                    match work_packages.resolve(&wp, || wp_ids.binary_search(&wp.as_ref()).ok()) {
                        Some(i) => Some(i),
                        None => {
                            let mut d = row.error(
                                "unknown-work-package",
                                "work_package",
                                format!("work package `{wp}` is not in the plan"),
                            );
                            if let Some(best) = did_you_mean(&wp, wp_ids.iter().copied()) {
                                d = d.help(format!("did you mean `{best}`?"));
                            } else {
                                d = d.help(
                                "use an id from `budget.work_packages`, or leave the cell empty",
                            );
                            }
                            diags.push(d);
                            return;
                        }
                    }
                }
            };
            let channel = match row.at(channel_at) {
                None => None,
                Some(ch) => {
                    match channels.resolve(&ch, || channel_ids.binary_search(&ch.as_ref()).ok()) {
                        Some(i) => Some(i),
                        None => {
                            diags.push(
                                row.error(
                                    "unknown-channel",
                                    "channel",
                                    format!("channel `{ch}` is not in the plan's `channels`"),
                                )
                                .help("use a channel id, or leave the cell empty"),
                            );
                            return;
                        }
                    }
                }
            };
            ids.reserve(row.rows_ahead);
            if let Some(id) = row.at(id_at)
                && let Some(first) = ids.see(&id, row.line())
            {
                diags.push(
                    row.error(
                        "duplicate-key",
                        "entry_id",
                        format!("entry id `{id}` appears twice (first on line {first})"),
                    )
                    .help("each ledger entry needs a unique id"),
                );
                return;
            }
            // Totals never span files: a report's note names its own file.
            let path = match &file {
                Some((index, path)) if *index == row.file => path,
                _ => {
                    totals.clear();
                    &file.insert((row.file, Arc::from(row.rel))).1
                }
            };
            let key = TotalKey {
                date,
                category,
                work_package,
                channel,
                status,
            };
            match totals.get_or_insert(key, entries.len()) {
                Some(at) => {
                    let entry = &mut entries[at];
                    entry.amount += amount;
                    entry.rows = entry.rows.saturating_add(1);
                }
                None => {
                    entries.push(LedgerEntry {
                        path: Arc::clone(path),
                        date,
                        category: category_ids[category].to_string(),
                        amount,
                        rows: 1,
                        status,
                        work_package: work_package.map(|i| wp_ids[i].to_string()),
                        channel: channel.map(|i| channel_ids[i].to_string()),
                        report_days,
                    });
                }
            }
        },
    );
    diags.extend(bad_dates.finish());
    diags.extend(bad_starts.finish());
    if let (Some((text, day)), Some(file)) = (yearless.into_inner(), files.first()) {
        diags.push(super::daily::yearless_note(
            &file.path, None, &text, day, ctx.period,
        ));
    }
    (entries, files, diags, ids)
}

/// Records that `row`'s report covers `range` for its campaign key (its category cell, or the
/// source's fixed category); `false`, with the error, when another file's report for the same
/// key overlaps it.
fn report_is_new(
    row: &Row,
    range: (Date, Date),
    category_cell: Option<std::borrow::Cow<'_, str>>,
    ctx: &LedgerContext,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let key = category_cell
        .map(std::borrow::Cow::into_owned)
        .or_else(|| ctx.source.category.clone())
        .unwrap_or_default();
    let mut reports = ctx.reports.borrow_mut();
    let seen = reports.entry(key.clone()).or_default();
    if let Some((other, path)) = seen
        .iter()
        .find(|(r, p)| p != row.rel && r.0 <= range.1 && range.0 <= r.1)
    {
        diags.push(
            row.error(
                "overlapping-reports",
                "category",
                format!(
                    "`{key}` is also in {} for {} … {}, which overlaps this report's {} … {}",
                    path.display(),
                    other.0,
                    other.1,
                    range.0,
                    range.1
                ),
            )
            .help(
                "keep one report per period, or download reports whose date ranges do not overlap",
            ),
        );
        return false;
    }
    if !seen.iter().any(|(_, p)| p == row.rel) {
        seen.push((range, row.rel.to_path_buf()));
    }
    true
}

fn unknown_category(row: &Row, raw: &str, category_ids: &[&str]) -> Diagnostic {
    let d = row
        .error(
            "unknown-category",
            "category",
            format!("ledger category `{raw}` maps to no budget category"),
        )
        .found(format!("`{raw}`"))
        .expected(format!(
            "a category id ({}), one of its aliases, or a key of `data.ledger.category_map`",
            category_ids.join(", ")
        ));
    match did_you_mean(raw, category_ids.iter().copied()) {
        Some(best) => d.help(format!(
            "did you mean `{best}`? Otherwise add `{raw}: <category id>` to `data.ledger.category_map`"
        )),
        None => d.help(format!(
            "add `{raw}: <category id>` to `data.ledger.category_map`"
        )),
    }
}

fn resolve_category(raw: &str, ctx: &LedgerContext) -> Option<String> {
    if let Some(id) = ctx.source.category_map.get(raw) {
        return Some(id.clone());
    }
    let cats = &ctx.budget.categories;
    cats.iter()
        .find(|c| c.aliases.iter().any(|a| a == raw))
        .or_else(|| cats.iter().find(|c| c.id == raw || c.name == raw))
        .map(|c| c.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn key(
        date: Date,
        category: usize,
        work_package: Option<usize>,
        channel: Option<usize>,
        status: LedgerStatus,
    ) -> TotalKey {
        TotalKey {
            date,
            category,
            work_package,
            channel,
            status,
        }
    }

    #[test]
    fn keys_that_do_not_fit_in_a_word_are_kept_apart_all_the_same() {
        let day = date(2025, 7, 1);
        let keys = [
            key(day, 0, None, None, LedgerStatus::Paid),
            key(
                day,
                65_535,
                Some(1_022),
                Some(4_094),
                LedgerStatus::Committed,
            ),
            // Past a word: a category, a work package, a channel.
            key(day, 65_536, None, None, LedgerStatus::Paid),
            key(day, 0, Some(1_023), None, LedgerStatus::Paid),
            key(day, 0, None, Some(4_095), LedgerStatus::Paid),
        ];
        assert!(keys[..2].iter().all(|k| k.packed().is_some()));
        assert!(keys[2..].iter().all(|k| k.packed().is_none()));
        let mut totals = Totals::default();
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(totals.get_or_insert(*k, i), None, "{k:?}");
        }
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(totals.get_or_insert(*k, 99), Some(i), "{k:?}");
        }
        totals.clear();
        assert_eq!(totals.get_or_insert(keys[2], 7), None);
    }

    proptest::proptest! {
        /// Every field of a key that fits comes back out of its word: no field's bits overlap
        /// another's, so equal words are equal keys.
        #[test]
        fn a_packed_key_gives_back_its_fields(
            year in -9999i16..=9999,
            month in 1i8..=12,
            day in 1i8..=28,
            category in 0usize..65_536,
            work_package in proptest::option::of(0usize..1_023),
            channel in proptest::option::of(0usize..4_095),
            status in 0usize..3,
        ) {
            let status = [LedgerStatus::Accrued, LedgerStatus::Paid, LedgerStatus::Committed][status];
            let k = key(date(year, month, day), category, work_package, channel, status);
            let word = k.packed().expect("fits");
            let bits = |from: u32, len: u32| (word >> from) & ((1 << len) - 1);
            let index = |n: u64| n.checked_sub(1).map(|i| i as usize);
            proptest::prop_assert_eq!(bits(40 + 9, 15) as i64 - 10_000, i64::from(year));
            proptest::prop_assert_eq!(bits(40 + 5, 4) as i8, month);
            proptest::prop_assert_eq!(bits(40, 5) as i8, day);
            proptest::prop_assert_eq!(bits(24, 16) as usize, category);
            proptest::prop_assert_eq!(index(bits(14, 10)), work_package);
            proptest::prop_assert_eq!(index(bits(2, 12)), channel);
            proptest::prop_assert_eq!(bits(0, 2), status as u64);
        }
    }
}
