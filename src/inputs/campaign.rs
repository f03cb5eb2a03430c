//! One campaign folder: its plan, action items, prose, post-mortem and the exports the plan
//! names, each read through the sandbox.

use super::*;
use crate::load::exports::members::MembersContext;
use crate::load::exports::personal::{KEY_FILE, KEY_VARIABLE, Pseudonymizer};
use crate::model::members::{Attendance, Members, Writers};

pub(super) fn load_campaign(
    root: &Path,
    dir: &Path,
    playbooks: &BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Option<CampaignData> {
    let plan_path = dir.join("plan.yaml");
    if !root.join(&plan_path).exists() {
        diags.push(
            Diagnostic::error("missing-plan", &plan_path, "the campaign folder has no plan.yaml")
                .help("every folder under content/campaigns/ holds one plan.yaml (`qunce new campaign <id>` writes one)"),
        );
        return None;
    }
    let text = match sandbox::read_to_string(root, &plan_path) {
        Ok(t) => t,
        Err(refusal) => {
            diags.push(refusal.diagnostic("unreadable", &plan_path));
            return None;
        }
    };
    let (plan, doc) = match parse_plan(&plan_path, &text) {
        Ok(x) => x,
        Err(errors) => {
            diags.extend(errors);
            return None;
        }
    };
    let before = diags.error_count();
    let mut found = Vec::new();
    validate::plan(&plan, &doc, playbooks, &mut found);
    let folder = dir
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    if plan.campaign.id != folder {
        found.push(
            doc.error(
                "id-folder-mismatch",
                "campaign.id",
                format!(
                    "campaign id `{}` differs from its folder `{folder}`",
                    plan.campaign.id
                ),
            )
            .help(format!(
                "rename the folder to content/campaigns/{}/ or change the id",
                plan.campaign.id
            )),
        );
    }
    if crate::validate::refs::windows_reserved(&plan.campaign.id) {
        found.push(
            doc.error(
                "reserved-name",
                "campaign.id",
                format!(
                    "campaign id `{}` is a name Windows reserves for a device; its page folder cannot be checked out or hosted there",
                    plan.campaign.id
                ),
            )
            .help("choose another id (and folder name), e.g. `aux-2025`"),
        );
    }
    let prose = load_prose(root, &plan, &doc, &plan_path, &mut found);
    let retro = load_retro(root, &plan, &doc, &plan_path, &mut found);
    if let Some(r) = &retro {
        found.extend(crate::validate::blame::lint(r, &plan));
    }
    diags.extend(found);
    if diags.error_count() > before {
        // Reading the exports needs a sound plan (carriers, categories, timezone).
        return Some(CampaignData {
            plan_path,
            plan,
            daily: DailyTable::default(),
            ledger: None,
            progress: vec![],
            milestones: vec![],
            other_files: vec![],
            members: None,
            attendance: None,
            retro,
            prose,
            action_items: vec![],
            previous_action_items: vec![],
        });
    }
    let mut data_diags = Vec::new();
    let (items, previous) = load_actions(
        root,
        &plan,
        &doc,
        &plan_path,
        retro.as_ref(),
        &mut data_diags,
    );
    let mut campaign = load_data(root, plan, &doc, &plan_path, retro, prose, &mut data_diags);
    campaign.action_items = items;
    campaign.previous_action_items = previous;
    diags.extend(data_diags.into_iter().map(|d| doc.place(d)));
    Some(campaign)
}

/// This retro's action items and the previous retro's, both relative to the plan's folder.
fn load_actions(
    root: &Path,
    plan: &Plan,
    doc: &YamlDoc,
    plan_path: &Path,
    retro: Option<&Document>,
    out: &mut Vec<Diagnostic>,
) -> (Vec<plan::ActionItem>, Vec<plan::ActionItem>) {
    let Some(review) = &plan.review else {
        return (vec![], vec![]);
    };
    let base = plan_path.parent().unwrap_or(Path::new(""));
    let roles: Vec<&str> = plan.team.roles.iter().map(|r| r.id.as_str()).collect();
    let retro_date = retro
        .and_then(|r| r.front.retro_date)
        .or(review.final_retro.as_ref().map(|f| f.date));
    let mut read = |field: &str,
                    path: &Option<String>,
                    not_before: Option<jiff::civil::Date>|
     -> Vec<plan::ActionItem> {
        let Some(path) = path else { return vec![] };
        let Some(rel) = contained(base, path, doc, field, out) else {
            return vec![];
        };
        match sandbox::read_to_string(root, &rel) {
            Err(refusal) if root.join(&rel).exists() => {
                out.push(
                    doc.error("unreadable", field, refusal.message)
                        .help(refusal.help),
                );
                vec![]
            }
            Err(_) => {
                out.push(
                    doc.error(
                        "missing-file",
                        field,
                        format!("`{}` does not exist", rel.display()),
                    )
                    .help("paths are relative to the plan's folder"),
                );
                vec![]
            }
            Ok(text) => {
                let (items, diags) = crate::load::actions::parse(&rel, &text, &roles, not_before);
                out.extend(diags);
                items
            }
        }
    };
    let items = read("review.action_items", &review.action_items, retro_date);
    let previous = read(
        "review.previous_action_items",
        &review.previous_action_items,
        None,
    );
    (items, previous)
}

fn load_prose(
    root: &Path,
    plan: &Plan,
    doc: &YamlDoc,
    plan_path: &Path,
    out: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Document> {
    let base = plan_path.parent().unwrap_or(Path::new(""));
    let mut docs = BTreeMap::new();
    for (field, path) in plan.prose_documents() {
        if let Some(rel) = contained(base, path, doc, field, out)
            && let Some(d) = read_referenced(root, &rel, doc, field, out)
        {
            docs.insert(path.to_string(), d);
        }
    }
    for (i, p) in plan.playbooks.iter().enumerate() {
        let field = format!("playbooks[{i}].path");
        if let Some(rel) = contained(Path::new("content"), &p.path, doc, &field, out)
            && !root.join(&rel).is_file()
        {
            out.push(
                doc.error(
                    "missing-file",
                    &field,
                    format!("playbook file `{}` does not exist", rel.display()),
                )
                .help("playbook paths are relative to content/, e.g. `playbooks/welcome.md`"),
            );
        }
    }
    if let Some(a) = &plan.audience
        && let Some(f) = &a.need_tags_file
        && let Some(rel) = contained(Path::new(""), f, doc, "audience.need_tags_file", out)
    {
        match sandbox::read_to_string(root, &rel) {
            Err(refusal) if root.join(&rel).exists() => out.push(
                doc.error("unreadable", "audience.need_tags_file", refusal.message)
                    .help(refusal.help),
            ),
            Err(_) => out.push(
                doc.error(
                    "missing-file",
                    "audience.need_tags_file",
                    format!("`{}` does not exist", rel.display()),
                )
                .help("the path is relative to the site root"),
            ),
            Ok(text) => {
                let rows = text
                    .lines()
                    .skip(1)
                    .filter(|l| !l.trim().is_empty())
                    .count();
                if let Some(n) = a.need_tags_expected
                    && rows != n as usize
                {
                    out.push(doc.warning(
                        "need-tags-count",
                        "audience.need_tags_expected",
                        format!("`{}` has {rows} tags, the plan expects {n}", rel.display()),
                    ));
                }
            }
        }
    }
    docs
}

fn load_retro(
    root: &Path,
    plan: &Plan,
    doc: &YamlDoc,
    plan_path: &Path,
    out: &mut Vec<Diagnostic>,
) -> Option<Document> {
    let base = plan_path.parent().unwrap_or(Path::new(""));
    match plan.review.as_ref().and_then(|r| r.retro_md.as_ref()) {
        Some(path) => {
            let rel = contained(base, path, doc, "review.retro_md", out)?;
            read_referenced(root, &rel, doc, "review.retro_md", out)
        }
        None => {
            let rel = base.join("retro.md");
            // `exists` follows links: a link out of the site or a pipe is refused when read.
            if root.join(&rel).exists() {
                match read_markdown(root, &rel) {
                    Ok(d) => Some(d),
                    Err(d) => {
                        out.push(*d);
                        None
                    }
                }
            } else {
                None
            }
        }
    }
}

fn read_referenced(
    root: &Path,
    rel: &Path,
    doc: &YamlDoc,
    field: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<Document> {
    if !root.join(rel).exists() {
        out.push(
            doc.error(
                "missing-file",
                field,
                format!("`{}` does not exist", rel.display()),
            )
            .help("paths of `*_md` keys are relative to the plan's folder"),
        );
        return None;
    }
    match read_markdown(root, rel) {
        Ok(d) => Some(d),
        Err(d) => {
            out.push(*d);
            None
        }
    }
}

/// Joins a user path to `base`, refusing absolute paths and paths that leave the site.
fn contained(
    base: &Path,
    path: &str,
    doc: &YamlDoc,
    field: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<PathBuf> {
    let p = Path::new(path);
    // `..` is fine while the path stays inside the site (a sibling campaign's file); an
    // absolute path or one that climbs above the site root is refused.
    let resolved = (!p.is_absolute())
        .then(|| crate::model::markdown::normalize_path(&base.join(p)))
        .flatten();
    if resolved.is_none() {
        out.push(
            doc.error(
                "path-escapes",
                field,
                format!("path `{path}` leaves the site folder"),
            )
            .help("use a path relative to the plan's folder that stays inside the site"),
        );
    }
    resolved
}

fn load_data(
    root: &Path,
    plan: Plan,
    doc: &YamlDoc,
    plan_path: &Path,
    retro: Option<Document>,
    prose: BTreeMap<String, Document>,
    out: &mut Vec<Diagnostic>,
) -> CampaignData {
    let tz = TimeZone::get(&plan.campaign.timezone).unwrap_or(TimeZone::UTC);
    let settings = |name: &'static str,
                    field: &str,
                    src: &plan::DataSource,
                    out: &mut Vec<Diagnostic>|
     -> Option<SourceSettings> {
        let prof = match &src.profile {
            None => None,
            Some(p) => match profile::resolve(root, p, plan_path) {
                Ok(p) => Some(p),
                Err(d) => {
                    let span = doc.span(&format!("{field}.profile"));
                    let mut d = (*d).field(format!("{field}.profile"));
                    if let Some(s) = span {
                        d = d.at(s.line, s.col);
                    }
                    out.push(d);
                    return None;
                }
            },
        };
        match SourceSettings::new(name, src, prof, plan_path) {
            Ok(s) => Some(SourceSettings {
                currency: plan.campaign.currency.clone(),
                ..s
            }),
            Err(msg) => {
                out.push(
                    doc.error("bad-source", field, msg)
                        .help("fix the source settings"),
                );
                None
            }
        }
    };
    let mut daily = DailyTable::default();
    if let Some(src) = &plan.data.daily
        && let Some(s) = settings("daily", "data.daily", src, out)
    {
        let ctx = DailyContext {
            tz: tz.clone(),
            currency: &plan.campaign.currency,
            carriers: &plan.community.carriers,
            period: plan.campaign.period,
        };
        let (table, d) = exports::daily::read(root, &s, &ctx);
        daily = table;
        out.extend(d);
    }
    // Member ids and the writers of a message log are hashed with one key, so that they meet.
    let ids = member_key(root, &plan, doc, out);
    let with = ids.as_ref().filter(|_| plan.data.members.is_some());
    let writers = load_events(root, &plan, &tz, &settings, with, &mut daily, doc, out);
    let mut ledger: Option<Vec<_>> = None;
    let mut other_files = Vec::new();
    let reports = std::cell::RefCell::default();
    for (field, src) in plan.data.ledger.iter().flat_map(|l| l.items("data.ledger")) {
        let Some(s) = settings("ledger", &field, src, out) else {
            continue;
        };
        let ctx = LedgerContext {
            tz: tz.clone(),
            currency: &plan.campaign.currency,
            budget: &plan.budget,
            source: src,
            channels: plan.channels.iter().map(|c| c.id.clone()).collect(),
            reports: &reports,
            period: plan.campaign.period,
        };
        let (entries, files, d) = exports::ledger::read(root, &s, &ctx);
        // Cost data exists once any ledger file was read; none read is no cost data, not 0.
        if !files.is_empty() {
            ledger.get_or_insert_with(Vec::new).extend(entries);
        }
        other_files.extend(files);
        out.extend(d);
    }
    let mut progress = Vec::new();
    let mut milestones = Vec::new();
    if let Some(src) = &plan.data.progress
        && let Some(s) = settings("progress", "data.progress", src, out)
    {
        // Work packages give EV; `milestone:<id>` rows at 100 mark a milestone done.
        let milestone_keys: Vec<String> = plan
            .milestones
            .iter()
            .map(|m| format!("milestone:{}", m.id))
            .collect();
        let wps: BTreeSet<&str> = plan
            .budget
            .work_packages
            .iter()
            .map(|w| w.id.as_str())
            .chain(milestone_keys.iter().map(String::as_str))
            .collect();
        let (rows, files, d) = exports::progress::read(root, &s, &tz, &wps);
        for mut row in rows {
            match row.work_package.strip_prefix("milestone:") {
                Some(id) => {
                    row.work_package = id.to_string();
                    milestones.push(row);
                }
                None => progress.push(row),
            }
        }
        other_files.extend(files);
        out.extend(d);
    }
    let (mut members, attendance) = match &ids {
        Some(ids) => load_member_level(root, &plan, &tz, &settings, ids, out),
        None => (None, None),
    };
    if let Some(m) = &mut members {
        m.writers = writers;
    }
    let campaign = CampaignData {
        plan_path: plan_path.to_path_buf(),
        plan,
        daily,
        ledger,
        progress,
        milestones,
        other_files,
        members,
        attendance,
        retro,
        prose,
        action_items: vec![],
        previous_action_items: vec![],
    };
    validate::data(&campaign, doc, out);
    campaign
}

/// How `load_data` turns a plan's source into settings: (source name, field, source,
/// diagnostics).
type SettingsOf<'a> = dyn Fn(&'static str, &str, &plan::DataSource, &mut Vec<Diagnostic>) -> Option<SourceSettings>
    + 'a;

/// The key member ids are hashed with, when the plan has member-level files (an error, and
/// none, when its key file cannot be read).
fn member_key(
    root: &Path,
    plan: &Plan,
    doc: &YamlDoc,
    out: &mut Vec<Diagnostic>,
) -> Option<Pseudonymizer> {
    if plan.data.members.is_none() && plan.data.activities.is_none() {
        return None;
    }
    match Pseudonymizer::for_site(root) {
        Ok(ids) => Some(ids),
        Err(msg) => {
            out.push(
                doc.error("pseudonym-key", "data.members", msg)
                    .help(format!("put a secret in `{KEY_FILE}` (any text), set {KEY_VARIABLE}, or delete the file to use a key for this build only")),
            );
            None
        }
    }
}

/// The members and activities files, read with one key so that their ids meet
/// (docs/members.md#privacy).
fn load_member_level(
    root: &Path,
    plan: &Plan,
    tz: &TimeZone,
    settings: &SettingsOf,
    ids: &Pseudonymizer,
    out: &mut Vec<Diagnostic>,
) -> (Option<Members>, Option<Attendance>) {
    let mut members = None;
    if let Some(src) = &plan.data.members
        && let Some(s) = settings("members", "data.members", src, out)
    {
        let ctx = MembersContext {
            tz: tz.clone(),
            tiers: &plan.community.tiers,
            tier_map: &src.tier_map,
            exported_on: src.exported_on,
            ids,
        };
        let (read, d) = exports::members::read(root, &s, &ctx);
        members = read;
        out.extend(d);
    }
    let mut attendance = None;
    if let Some(src) = &plan.data.activities
        && let Some(s) = settings("activities", "data.activities", src, out)
    {
        let known: BTreeSet<&str> = plan.activities.iter().map(|a| a.id.as_str()).collect();
        let (read, d) = exports::activities::read(root, &s, tz, &known, ids);
        attendance = read;
        out.extend(d);
    }
    (members, attendance)
}

/// Reads every event source into `daily`; with a members file (`members` the key of its ids),
/// the writers of the logs, for activity retention.
#[allow(clippy::too_many_arguments)]
fn load_events(
    root: &Path,
    plan: &Plan,
    tz: &TimeZone,
    settings: &SettingsOf,
    members: Option<&Pseudonymizer>,
    daily: &mut DailyTable,
    doc: &YamlDoc,
    out: &mut Vec<Diagnostic>,
) -> Option<Writers> {
    let mut writers: Option<Writers> = None;
    for (field, src) in plan.data.events.iter().flat_map(|e| e.items("data.events")) {
        let Some(s) = settings("events", &field, src, out) else {
            continue;
        };
        let (mut days, d) =
            exports::events::read(root, &s, src.covers, tz, plan.campaign.period, members);
        out.extend(d);
        if let Some(w) = days.writers.take() {
            writers = Some(match writers {
                None => w,
                Some(before) => before.union(w),
            });
        }
        merge_events(daily, days, &field, doc, out);
    }
    writers
}

/// Adds one event source's days to the campaign's table. Each canonical column comes from one
/// source only: a column the daily export or an earlier event source already gives is an error.
fn merge_events(
    daily: &mut DailyTable,
    days: exports::events::EventDays,
    field: &str,
    doc: &YamlDoc,
    out: &mut Vec<Diagnostic>,
) {
    let clashes: Vec<&str> = days
        .columns
        .iter()
        .filter(|c| daily.present.contains(*c))
        .copied()
        .collect();
    if !clashes.is_empty() {
        let list = clashes
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(
            doc.error(
                "column-from-two-sources",
                &format!("{field}.path"),
                format!("{list} would come from two sources: this event log and an export read before it"),
            )
            .expected("each canonical column from exactly one source")
            .help("give the column to one source: drop the event source, or remove that header from the daily export"),
        );
        return;
    }
    // The writers' counts come whole or not at all: beside a daily export's own active counts
    // (views and reactions included) they would mix two meanings of "active" in one ratio.
    let derived: Vec<&'static str> = if days.derived.iter().any(|c| daily.present.contains(c)) {
        if !daily.present.contains("active_members_30d") {
            out.push(
                doc.note(
                    "active-from-export",
                    &format!("{field}.path"),
                    "the event log's writers are not counted as active members: the daily export has its own active counts",
                )
                .help("30-day active members then come from the export alone; map its `active_members_30d` column if it has one"),
            );
        }
        Vec::new()
    } else {
        days.derived.iter().copied().collect()
    };
    let taken: Vec<&'static str> = days.columns.iter().copied().chain(derived).collect();
    let indexes: Vec<usize> = taken
        .iter()
        .filter_map(|c| crate::model::columns::daily_index(c))
        .collect();
    daily.present.extend(taken.iter().copied());
    daily.event_columns.extend(taken.iter().copied());
    if days.open {
        daily.open_events.extend(taken.iter().copied());
    }
    for (rows, into) in [
        (days.rows, &mut daily.events),
        (days.tail, &mut daily.event_tail),
    ] {
        for (date, row) in rows {
            let slot = into.entry(date).or_default();
            for &i in &indexes {
                if row.values[i].is_some() {
                    slot.values[i] = row.values[i];
                }
            }
        }
    }
    daily.files.extend(days.files);
}
