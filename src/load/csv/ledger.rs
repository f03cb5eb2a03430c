//! The spend ledger (reference §C.2) → [`LedgerEntry`] rows with plan category ids, and the
//! shared reader for small keyed sources (ledger, progress): map headers, then visit records.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use jiff::tz::TimeZone;

use super::header::{Candidates, map_headers};
use super::profile::EntryDate;
use super::value;
use super::{OpenCsv, SourceSettings, cell_error};
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
}

/// Reports dated by their preamble: campaign key → (range, file), to refuse two reports that
/// count the same days.
pub type ReportSpans = BTreeMap<String, Vec<((Date, Date), std::path::PathBuf)>>;

/// One mapped record handed to a visitor: cells by canonical name, plus what is needed to
/// report a problem at a cell.
pub struct Row<'r> {
    /// File relative to root.
    pub rel: &'r Path,
    /// The record.
    pub record: &'r csv::StringRecord,
    /// canonical → header index.
    pub columns: &'r BTreeMap<String, usize>,
    /// The headers.
    pub headers: &'r [String],
    /// Delimiter, for snippets.
    pub delimiter: u8,
    /// How this file's offset timestamps name their day.
    pub stamps: TimestampMode,
    /// The date range a report's preamble gives its rows (`entry_date: preamble_range_end`).
    pub preamble_range: Option<(Date, Date)>,
}

impl Row<'_> {
    /// The raw text of a canonical column's cell, as written.
    pub fn raw(&self, canonical: &str) -> Option<&str> {
        self.columns
            .get(canonical)
            .and_then(|&i| self.record.get(i))
    }

    /// The cleaned cell of a canonical column (`None` when unmapped or missing).
    pub fn get(&self, canonical: &str) -> Option<String> {
        self.cell(canonical).map(std::borrow::Cow::into_owned)
    }

    /// [`Row::get`] without a copy when the cell needs no folding.
    pub fn cell(&self, canonical: &str) -> Option<std::borrow::Cow<'_, str>> {
        self.columns
            .get(canonical)
            .and_then(|&i| self.record.get(i))
            .and_then(value::clean_ref)
    }

    /// An error at the cell of `canonical` (or the row start).
    pub fn error(
        &self,
        code: &'static str,
        canonical: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let index = self.columns.get(canonical).copied().unwrap_or(0);
        let name = self.headers.get(index).map_or(canonical, String::as_str);
        cell_error(
            code,
            self.rel,
            self.record,
            index,
            name,
            self.delimiter,
            message,
        )
    }

    /// 1-based line.
    pub fn line(&self) -> usize {
        self.record.position().map_or(0, |p| p.line() as usize)
    }
}

/// Reads every file of a keyed source, mapping its headers against `columns` (name, required,
/// aliases) and calling `visit` for each non-empty record. `date_column` names the canonical
/// column whose offset timestamps are settled as day buckets or instants per file.
pub fn read_keyed(
    root: &Path,
    settings: &SourceSettings,
    columns: &[(&str, bool, &[&str])],
    date_column: &str,
    diags: &mut Vec<Diagnostic>,
    mut visit: impl FnMut(&Row, &mut Vec<Diagnostic>),
) -> Vec<SourceFile> {
    let mut files_read = Vec::new();
    let all_settings = settings;
    for rel in &all_settings.files(root, diags) {
        let settings = &*super::file_settings(root, rel, all_settings);
        let first_diag = diags.len();
        let Some(mut csv) = OpenCsv::open(root, rel, settings, diags) else {
            continue;
        };
        let headers = std::mem::take(&mut csv.headers);
        let header_text = headers.join(&(settings.delimiter as char).to_string());
        let profile = settings.profile.as_ref();
        let only_named = profile.is_some_and(|p| p.only_named);
        let wanted: Vec<Candidates> = columns
            .iter()
            .map(|(name, _, aliases)| Candidates {
                canonical: name.to_string(),
                explicit: settings
                    .columns
                    .get(*name)
                    .cloned()
                    .into_iter()
                    .chain(
                        profile
                            .and_then(|p| p.columns.get(*name))
                            .into_iter()
                            .flat_map(|h| h.to_vec()),
                    )
                    .collect(),
                aliases: if only_named {
                    Vec::new()
                } else {
                    std::iter::once(*name)
                        .chain(aliases.iter().copied())
                        .map(str::to_string)
                        .collect()
                },
            })
            .collect();
        let preamble_range = match profile.and_then(|p| p.entry_date) {
            None => None,
            Some(EntryDate::PreambleRangeEnd) => {
                match csv.preamble.iter().find_map(|l| value::date_range(l)) {
                    Some(d) => Some(d),
                    None => {
                        diags.push(
                            Diagnostic::error(
                                "missing-date",
                                rel,
                                "the report's date range was not found above its header",
                            )
                            .at_line(csv.header_line)
                            .expected("a line such as \"February 1, 2026 - February 28, 2026\" before the header")
                            .help("download the report again with its title and date range, or add a date column"),
                        );
                        continue;
                    }
                }
            }
        };
        let find_header = |name: &str| {
            headers
                .iter()
                .position(|h| super::header::normalize(h).key == super::header::normalize(name).key)
        };
        let drops: Vec<(usize, &super::profile::DropRule)> = profile
            .iter()
            .flat_map(|p| &p.drop_rows)
            .filter_map(|r| Some((find_header(&r.column)?, r)))
            .collect();
        let currency_column = profile
            .and_then(|p| p.currency_column.as_deref())
            .and_then(find_header);
        for name in settings.columns.keys() {
            if !columns.iter().any(|(c, _, _)| c == name) {
                let known = columns.iter().map(|(c, _, _)| *c);
                let mut d = Diagnostic::error(
                    "unknown-column",
                    &settings.declared_in,
                    format!("`{name}` is not a canonical {} column", settings.name),
                )
                .field(format!("data.{}.columns.{name}", settings.name));
                if let Some(best) = did_you_mean(name, known) {
                    d = d.help(format!("did you mean `{best}`?"));
                }
                diags.push(d);
            }
        }
        let map = map_headers(&headers, &wanted, &[]);
        let mut fatal = false;
        for p in &map.problems {
            fatal = true;
            let d = super::mapping_diagnostic(rel, &headers, p, settings);
            diags.push(d.at(csv.header_line, 1));
        }
        for (name, required, aliases) in columns {
            if *required && !map.columns.contains_key(*name) {
                fatal = true;
                diags.push(
                    Diagnostic::error(
                        "missing-column",
                        rel,
                        format!("required column `{name}` is not mapped"),
                    )
                    .at(csv.header_line, 1)
                    .snippet(header_text.clone())
                    .expected(format!(
                        "a header such as {}",
                        std::iter::once(*name)
                            .chain(aliases.iter().copied())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                    .help(format!(
                        "map it: `data.{}.columns: {{{name}: <your header>}}`",
                        settings.name
                    )),
                );
            }
        }
        if !map.unmapped.is_empty() && !only_named {
            // Other columns of an export (subjects, message texts, vendors' extras) are normal:
            // one note per file says which were left out.
            let names: Vec<String> = map
                .unmapped
                .iter()
                .map(|&i| format!("`{}`", headers[i]))
                .collect();
            diags.push(
                Diagnostic::note(
                    "unmapped-header",
                    rel,
                    format!("not used: {}", names.join(", ")),
                )
                .at(csv.header_line, 1)
                .snippet(header_text.clone())
                .help(format!(
                    "map a header in `data.{}.columns` if it holds a canonical column",
                    settings.name
                )),
            );
        }
        if fatal {
            continue;
        }
        let mut record = csv::StringRecord::new();
        let mut rows = 0;
        let mut dropped: Vec<usize> = Vec::new();
        let rule = settings.date_rule();
        let mut reading = super::StampReading::new(settings);
        let date_index = map.columns.get(date_column).copied();
        while csv.next_record(rel, &mut record, diags) {
            rows += 1;
            let date_cell = date_index
                .and_then(|i| record.get(i))
                .and_then(value::clean);
            let stamps = match (date_cell, date_index) {
                (Some(cell), Some(i)) => reading.mode(&cell, &rule, || {
                    let abs = root.join(rel);
                    let cells = super::rescan_column(
                        &abs,
                        csv.encoding,
                        settings.sheet.as_deref(),
                        settings.delimiter,
                        i,
                    );
                    value::detect_stamps(cells, &rule)
                }),
                _ => TimestampMode::Instants,
            };
            let row = Row {
                rel,
                record: &record,
                columns: &map.columns,
                headers: &headers,
                delimiter: settings.delimiter,
                stamps,
                preamble_range,
            };
            if drops
                .iter()
                .any(|(i, r)| record.get(*i).is_some_and(|c| r.matches(c)))
            {
                dropped.push(row.line());
                continue;
            }
            if let Some(ci) = currency_column
                && let Some(code) = record.get(ci).and_then(value::clean)
                && !code.eq_ignore_ascii_case(&settings.currency)
            {
                let d = cell_error(
                    "wrong-currency",
                    rel,
                    &record,
                    ci,
                    &headers[ci],
                    settings.delimiter,
                    format!(
                        "this row is in {code}, but the plan's currency is {}",
                        settings.currency
                    ),
                )
                .found(format!("`{code}`"))
                .expected(settings.currency.clone())
                .help("qunce never converts currencies: export the report in the plan's currency, or keep it out of this plan");
                diags.push(d);
                continue;
            }
            if record.len() != headers.len() {
                diags.push(row.error(
                    "ragged-row",
                    "",
                    format!(
                        "row has {} fields but the header has {}",
                        record.len(),
                        headers.len()
                    ),
                ));
                continue;
            }
            visit(&row, diags);
        }
        if let Some(&first) = dropped.first() {
            diags.push(
                Diagnostic::note(
                    "rows-dropped",
                    rel,
                    format!(
                        "{} row(s) left out as the profile says (totals and the like)",
                        dropped.len()
                    ),
                )
                .at_line(first),
            );
        }
        super::name_sheet(&mut diags[first_diag..], rel, csv.sheet.as_deref());
        files_read.push(SourceFile {
            path: rel.clone(),
            encoding: csv.encoding.name(),
            rows,
            sha256: csv.sha256(),
        });
    }
    files_read
}

/// Reads the ledger. Categories resolve through `category_map`, then category aliases, then
/// bare ids; statuses through `status_map`, then the canonical words.
pub fn read(
    root: &Path,
    settings: &SourceSettings,
    ctx: &LedgerContext,
) -> (Vec<LedgerEntry>, Vec<SourceFile>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut entries: Vec<LedgerEntry> = Vec::new();
    let mut seen_ids = super::ids::IdSet::default();
    let mut file: Option<std::sync::Arc<Path>> = None;
    // Rows of one file that every computation treats alike, added into one entry: the index
    // of that entry in `entries` by what tells rows apart downstream.
    type Key = (
        Date,
        String,
        Option<String>,
        Option<String>,
        LedgerStatus,
        Option<(Date, Date)>,
    );
    let mut totals: hashbrown::HashMap<Key, usize> = hashbrown::HashMap::new();
    let rule = settings.date_rule();
    let category_ids: Vec<&str> = ctx
        .budget
        .categories
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let wp_ids: BTreeSet<&str> = ctx
        .budget
        .work_packages
        .iter()
        .map(|w| w.id.as_str())
        .collect();
    // A report dated by its preamble needs no date column; a source with a fixed `category`
    // needs no category column.
    let dated_by_preamble = settings
        .profile
        .as_ref()
        .is_some_and(|p| p.entry_date.is_some());
    let columns: Vec<(&str, bool, &[&str])> = crate::model::columns::LEDGER_COLUMNS
        .iter()
        .map(|&(name, required, aliases)| {
            let optional = (name == "date" && dated_by_preamble)
                || (name == "category" && ctx.source.category.is_some());
            (name, required && !optional, aliases)
        })
        .collect();
    let files = read_keyed(
        root,
        settings,
        &columns,
        "date",
        &mut diags,
        |row, diags| {
            let date = match (row.cell("date"), row.preamble_range) {
                (None, Some((_, end))) => end,
                (None, None) => {
                    diags.push(
                        row.error("missing-date", "date", "the date is empty")
                            .help("every ledger row needs its accrual date"),
                    );
                    return;
                }
                (Some(date_text), _) => {
                    match value::parse_date(&date_text, &rule, &ctx.tz, row.stamps) {
                        Ok(p) => p.date,
                        Err(msg) => {
                            let code = if msg.contains("ambiguous") {
                                "ambiguous-date"
                            } else {
                                "bad-date"
                            };
                            diags.push(
                                row.error(code, "date", msg)
                                    .help("write ISO dates, or set `data.ledger.date_format`"),
                            );
                            return;
                        }
                    }
                }
            };
            if let Some(range) = row.preamble_range {
                let key = row
                    .get("category")
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
                        .help("keep one report per period, or download reports whose date ranges do not overlap"),
                    );
                    return;
                }
                if !seen.iter().any(|(_, p)| p == row.rel) {
                    seen.push((range, row.rel.to_path_buf()));
                }
            }
            let category = match &ctx.source.category {
                Some(fixed) => fixed.clone(),
                None => {
                    let Some(raw_category) = row.get("category") else {
                        diags.push(
                            row.error("missing-category", "category", "the category is empty")
                                .help("every cost belongs to a budget category"),
                        );
                        return;
                    };
                    let Some(category) = resolve_category(&raw_category, ctx) else {
                        diags.push(unknown_category(row, &raw_category, &category_ids));
                        return;
                    };
                    category
                }
            };
            let Some(amount_text) = row.cell("amount") else {
                let raw = row.raw("amount").unwrap_or_default().trim().to_string();
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
                Err(msg) => {
                    diags.push(
                        row.error("bad-amount", "amount", msg)
                            .found(format!("`{amount_text}`"))
                            .expected("an amount such as 1200.00 or -120.00")
                            .help("refunds are negative amounts"),
                    );
                    return;
                }
            };
            let status = match row.cell("status") {
                None => LedgerStatus::Accrued,
                Some(text) => {
                    let mapped = ctx
                        .source
                        .status_map
                        .get(text.as_ref())
                        .map_or(text.as_ref(), String::as_str);
                    match LedgerStatus::parse(mapped) {
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
            let work_package = row.get("work_package");
            if let Some(wp) = &work_package
                && !wp_ids.contains(wp.as_str())
            {
                let mut d = row.error(
                    "unknown-work-package",
                    "work_package",
                    format!("work package `{wp}` is not in the plan"),
                );
                if let Some(best) = did_you_mean(wp, wp_ids.iter().copied()) {
                    d = d.help(format!("did you mean `{best}`?"));
                } else {
                    d = d.help("use an id from `budget.work_packages`, or leave the cell empty");
                }
                diags.push(d);
                return;
            }
            let channel = row.get("channel");
            if let Some(ch) = &channel
                && !ctx.channels.contains(ch)
            {
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
            if let Some(id) = row.cell("entry_id")
                && let Some(first) = seen_ids.first_or_insert(&id, row.line())
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
                Some(f) if **f == *row.rel => f.clone(),
                _ => {
                    totals.clear();
                    file.insert(std::sync::Arc::from(row.rel)).clone()
                }
            };
            let key: Key = (
                date,
                category,
                work_package,
                channel,
                status,
                row.preamble_range,
            );
            match totals.get(&key) {
                Some(&i) => entries[i].amount += amount,
                None => {
                    totals.insert(key.clone(), entries.len());
                    let (date, category, work_package, channel, status, report_days) = key;
                    entries.push(LedgerEntry {
                        path,
                        date,
                        category,
                        amount,
                        status,
                        work_package,
                        channel,
                        report_days,
                    });
                }
            }
        },
    );
    (entries, files, diags)
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
