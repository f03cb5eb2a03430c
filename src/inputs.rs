//! Loads and validates a whole site (the load and validate stages in order): `content/site.yaml`, every campaign (plan, exports, post-mortem, prose)
//! and every playbook. Problems are collected, never thrown; a campaign whose plan cannot be
//! read is skipped, so the rest still gets checked.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::csv::{
    self as csvload, SourceSettings, daily::DailyContext, ledger::LedgerContext, profile,
};
use crate::load::markdown;
use crate::load::sandbox;
use crate::load::yaml::YamlDoc;
use crate::model::plan::{self, PLAN_KEYS, Plan};
use crate::model::site::{CampaignData, Document, Site, SiteConfig};
use crate::model::table::DailyTable;
use crate::validate;

/// Top-level plan keys that must be present.
const REQUIRED_KEYS: &[&str] = &[
    "schema_version",
    "campaign",
    "community",
    "team",
    "goals",
    "targets",
    "phases",
    "budget",
    "data",
];

/// Loads and validates everything under `root`. The site is returned even when there are
/// errors (with the campaigns that could be read), so callers can report on it.
pub fn load(root: &Path) -> (Option<Site>, Diagnostics) {
    let loaded = load_parts(root);
    let diags = loaded.diagnostics();
    let site = loaded.config.map(|config| Site {
        config,
        campaigns: loaded.campaigns,
        playbooks: loaded.playbooks,
        assets: loaded.assets,
    });
    (site, diags)
}

/// A site as loaded, with its problems kept apart by where they were found: what `serve`
/// needs to load one campaign again and report the rest as they were. [`load`] joins them in
/// this order.
pub struct Loaded {
    /// `content/site.yaml`, when usable.
    pub config: Option<SiteConfig>,
    /// Playbooks, sorted by id.
    pub playbooks: Vec<Document>,
    /// Their ids, which plans may name.
    pub playbook_ids: BTreeSet<String>,
    /// Problems in the settings and playbooks.
    pub frame_diags: Diagnostics,
    /// Campaign folders, sorted, with the problems found loading each.
    pub dirs: Vec<(PathBuf, Diagnostics)>,
    /// The campaigns that could be read, sorted by id.
    pub campaigns: Vec<CampaignData>,
    /// Problems in the documents' links.
    pub link_diags: Vec<Diagnostic>,
    /// The files the documents link to.
    pub assets: BTreeMap<PathBuf, Vec<u8>>,
}

impl Loaded {
    /// Every problem, in the order [`load`] reports them.
    pub fn diagnostics(&self) -> Diagnostics {
        joined(&self.frame_diags, &self.dirs, &self.link_diags)
    }
}

/// Settings and playbook problems, then each folder's, then the links': the order of a load.
pub fn joined(
    frame: &Diagnostics,
    dirs: &[(PathBuf, Diagnostics)],
    links: &[Diagnostic],
) -> Diagnostics {
    let mut all = frame.clone();
    for (_, found) in dirs {
        all.extend(found.iter().cloned());
    }
    all.extend(links.iter().cloned());
    all
}

/// Loads everything under `root`, keeping each folder's problems apart.
pub fn load_parts(root: &Path) -> Loaded {
    let frame = load_frame(root);
    // Campaigns load independently: in parallel, results merged in folder order.
    let loaded: Vec<(Option<CampaignData>, Diagnostics)> = frame
        .dirs
        .par_iter()
        .map(|dir| load_campaign_dir(root, dir, &frame.playbook_ids))
        .collect();
    let mut campaigns = Vec::new();
    let mut dirs = Vec::new();
    for (dir, (c, found)) in frame.dirs.iter().zip(loaded) {
        campaigns.extend(c);
        dirs.push((dir.clone(), found));
    }
    campaigns.sort_by(|a, b| a.plan.campaign.id.cmp(&b.plan.campaign.id));
    let (link_diags, assets) = links_and_assets(root, &frame.dirs, &frame.playbooks, &campaigns);
    Loaded {
        config: frame.config,
        playbooks: frame.playbooks,
        playbook_ids: frame.playbook_ids,
        frame_diags: frame.diags,
        dirs,
        campaigns,
        link_diags,
        assets,
    }
}

/// What a site holds besides its campaigns: settings, playbooks, the campaign folders, and the
/// problems found reading them.
struct Frame {
    /// `content/site.yaml`, when usable.
    pub config: Option<SiteConfig>,
    /// Playbooks, sorted by id.
    pub playbooks: Vec<Document>,
    /// Their ids, which plans may name.
    pub playbook_ids: BTreeSet<String>,
    /// Campaign folders (`content/campaigns/<id>`), sorted.
    pub dirs: Vec<PathBuf>,
    /// Problems in the settings and playbooks.
    pub diags: Diagnostics,
}

/// Reads the site settings and playbooks, and lists the campaign folders.
fn load_frame(root: &Path) -> Frame {
    let mut diags = Diagnostics::new();
    let config = load_config(root, &mut diags);
    let playbooks = load_playbooks(root, &mut diags);
    let playbook_ids = playbooks.iter().map(|p| p.id.clone()).collect();
    Frame {
        config,
        playbooks,
        playbook_ids,
        dirs: campaign_dirs(root),
        diags,
    }
}

/// Loads and validates one campaign folder: its plan, post-mortem, prose and exports.
pub fn load_campaign_dir(
    root: &Path,
    dir: &Path,
    playbook_ids: &BTreeSet<String>,
) -> (Option<CampaignData>, Diagnostics) {
    let mut found = Diagnostics::new();
    let c = load_campaign(root, dir, playbook_ids, &mut found);
    (c, found)
}

/// Checks the links of every Markdown document (playbooks, post-mortems, prose) and reads the
/// files they link to, which are published with the site.
pub fn links_and_assets(
    root: &Path,
    dirs: &[PathBuf],
    playbooks: &[Document],
    campaigns: &[CampaignData],
) -> (Vec<Diagnostic>, BTreeMap<PathBuf, Vec<u8>>) {
    // Links may name any campaign folder, even one whose plan has errors of its own.
    let campaign_ids: BTreeSet<String> = dirs
        .iter()
        .filter_map(|d| d.file_name())
        .map(|f| f.to_string_lossy().into_owned())
        .chain(campaigns.iter().map(|c| c.plan.campaign.id.clone()))
        .collect();
    let mut docs: Vec<&Document> = playbooks.iter().collect();
    for c in campaigns {
        docs.extend(c.retro.iter());
        docs.extend(c.prose.values());
    }
    let (mut problems, linked) = validate::links::check(root, &docs, &campaign_ids);
    let mut assets = BTreeMap::new();
    for rel in linked {
        match sandbox::read(root, &rel) {
            Ok(bytes) => {
                assets.insert(rel, bytes);
            }
            Err(refusal) => problems.push(refusal.diagnostic("unreadable", &rel)),
        }
    }
    (problems, assets)
}

/// A theme's own words for the site's language (`themes/<theme>/i18n/<lang>.yaml`, key: words),
/// each key checked against the built-in catalog.
fn theme_words(
    root: &Path,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> BTreeMap<String, String> {
    use crate::model::site::Language;
    let Some(theme) = config.theme.as_deref() else {
        return BTreeMap::new();
    };
    let lang = match config.language {
        Language::ZhCn => "zh-CN",
        Language::En => "en",
    };
    let rel = PathBuf::from("themes")
        .join(theme)
        .join("i18n")
        .join(format!("{lang}.yaml"));
    if !root.join(&rel).exists() {
        return BTreeMap::new();
    }
    let text = match sandbox::read_to_string(root, &rel) {
        Ok(t) => t,
        Err(refusal) => {
            diags.push(refusal.diagnostic("unreadable", &rel));
            return BTreeMap::new();
        }
    };
    let parsed = YamlDoc::parse(&rel, &text).and_then(|doc| {
        doc.section::<BTreeMap<String, String>>("")
            .map(|w| (w, doc))
    });
    let (words, doc) = match parsed {
        Ok(x) => x,
        Err(d) => {
            diags.push(*d);
            return BTreeMap::new();
        }
    };
    let mut known = BTreeMap::new();
    for (key, word) in words {
        if crate::model::i18n::is_key(&key) {
            known.insert(key, word);
            continue;
        }
        let mut d = doc
            .error(
                "unknown-key",
                &key,
                format!("`{key}` is not a word of the pages"),
            )
            .expected("a key of the built-in catalog (src/model/i18n.rs), e.g. `verdict_money`");
        if let Some(best) = did_you_mean(&key, crate::model::i18n::UI.iter().map(|(k, _, _)| *k)) {
            d = d.help(format!("did you mean `{best}`?"));
        }
        diags.push(d);
    }
    known
}

fn load_config(root: &Path, diags: &mut Diagnostics) -> Option<SiteConfig> {
    let rel = Path::new("content/site.yaml");
    if !root.join(rel).exists() {
        diags.push(
            Diagnostic::error("missing-site-config", rel, "there is no content/site.yaml")
                .help("create content/site.yaml with at least `title:` and `language: zh-CN` (or pass --root)"),
        );
        return None;
    }
    let text = match sandbox::read_to_string(root, rel) {
        Ok(t) => t,
        Err(refusal) => {
            diags.push(refusal.diagnostic("unreadable", rel));
            return None;
        }
    };
    let parsed =
        YamlDoc::parse(rel, &text).and_then(|doc| doc.section::<SiteConfig>("").map(|c| (c, doc)));
    match parsed {
        Ok((c, doc)) => {
            let mut trusted = Vec::new();
            for (i, p) in c.trusted_paths.iter().enumerate() {
                let field = format!("trusted_paths[{i}]");
                match p.canonicalize() {
                    Ok(real) if p.is_absolute() && real.is_dir() => trusted.push(real),
                    _ => diags.push(
                        doc.error(
                            "bad-path",
                            &field,
                            format!("`{}` is not an existing absolute folder", p.display()),
                        )
                        .help("list absolute folders, e.g. `/mnt/shared/exports`"),
                    ),
                }
            }
            if let Some(theme) = &c.theme {
                let plain = !theme.is_empty()
                    && !theme.contains(['/', '\\', ':'])
                    && theme != ".."
                    && theme != ".";
                if !plain {
                    diags.push(
                        doc.error("bad-theme", "theme", format!("theme `{theme}` is not a plain folder name"))
                            .expected("the name of a folder under themes/")
                            .help("write `theme: <name>` for themes/<name>/; leave it out for the built-in theme"),
                    );
                } else if !root.join("themes").join(theme).is_dir() {
                    diags.push(
                        doc.error("unknown-theme", "theme", format!("there is no theme folder `themes/{theme}`"))
                            .help("create themes/<name>/templates/, or leave `theme:` out for the built-in theme"),
                    );
                }
            }
            sandbox::set_policy(
                root,
                sandbox::Policy {
                    trusted,
                    max_bytes: c.limits.max_file_mb.saturating_mul(1 << 20),
                },
            );
            let mut c = c;
            c.ui_words = theme_words(root, &c, diags);
            Some(c)
        }
        Err(d) => {
            diags.push(*d);
            None
        }
    }
}

fn load_playbooks(root: &Path, diags: &mut Diagnostics) -> Vec<Document> {
    let dir = root.join("content/playbooks");
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|entry| {
            // Links are read too (and refused when they lead out of the site), never skipped.
            let kind = entry.file_type();
            (kind.is_file() || kind.is_symlink())
                && entry.path().extension().is_some_and(|e| e == "md")
        })
        .map(|entry| {
            let path = entry.path();
            path.strip_prefix(root).unwrap_or(path).to_path_buf()
        })
        .collect();
    // Read and parsed in parallel; kept, and reported, in file order.
    let read: Vec<Result<Document, Box<Diagnostic>>> = files
        .par_iter()
        .map(|rel| read_markdown(root, rel))
        .collect();
    let mut docs: Vec<Document> = Vec::new();
    // Id (lower-cased: `Salon` and `salon` are one folder on macOS and Windows, and on most
    // hosting) → its playbook in `docs`, so a repeat is found without a pass over the others.
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (rel, doc) in files.iter().zip(read) {
        match doc {
            Ok(doc) => {
                if crate::validate::refs::windows_reserved(&doc.id) {
                    diags.push(
                        Diagnostic::error(
                            "reserved-name",
                            rel,
                            format!(
                                "playbook id `{}` is a name Windows reserves for a device; its page folder cannot be checked out or hosted there",
                                doc.id
                            ),
                        )
                        .at_line(1)
                        .help("rename the file or give it a `slug:` such as `aux-guide`"),
                    );
                    continue;
                }
                if let Some(&first) = by_id.get(&doc.id.to_lowercase()) {
                    let same = docs[first].id == doc.id;
                    diags.push(
                        Diagnostic::error(
                            "duplicate-id",
                            rel,
                            format!(
                                "playbook id `{}` {} {}",
                                doc.id,
                                if same {
                                    "is also used by".to_string()
                                } else {
                                    format!(
                                        "differs only by case from `{}`, used by",
                                        docs[first].id
                                    )
                                },
                                docs[first].path.display()
                            ),
                        )
                        .at_line(1)
                        .help("rename one file or give it a different `slug:`; pages whose paths differ only by case collide on macOS, Windows and most hosting"),
                    );
                } else {
                    by_id.insert(doc.id.to_lowercase(), docs.len());
                    docs.push(doc);
                }
            }
            Err(d) => diags.push(*d),
        }
    }
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    docs
}

fn read_markdown(root: &Path, rel: &Path) -> Result<Document, Box<Diagnostic>> {
    let text = sandbox::read_to_string(root, rel)
        .map_err(|refusal| Box::new(refusal.diagnostic("unreadable", rel)))?;
    markdown::parse(rel, &text)
}

fn campaign_dirs(root: &Path) -> Vec<PathBuf> {
    let dir = root.join("content/campaigns");
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_dir())
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .unwrap_or(e.path())
                .to_path_buf()
        })
        .collect();
    out.sort();
    out
}

/// Parses a plan, collecting one problem per top-level section rather than stopping at the
/// first, and checks top-level keys.
pub fn parse_plan(rel: &Path, text: &str) -> Result<(Plan, YamlDoc), Vec<Diagnostic>> {
    let doc = YamlDoc::parse(rel, text).map_err(|d| vec![*d])?;
    let Some(map) = doc.value.as_mapping() else {
        return Err(vec![
            doc.error("type-error", "", "a plan is a mapping of sections")
                .help("start with `schema_version: 1` and `campaign:`"),
        ]);
    };
    let mut errors = Vec::new();
    for key in map.keys() {
        let Some(name) = key.as_str() else { continue };
        if !PLAN_KEYS.contains(&name) {
            let mut d = Diagnostic::error(
                "unknown-key",
                rel,
                format!("unknown top-level key `{name}`"),
            )
            .field(name)
            .expected("a top-level section listed in docs/reference.md#planyaml");
            if let Some(span) = doc.key_span(name) {
                d = d.at(span.line, span.col);
                if let Some(line) = text
                    .trim_start_matches('\u{feff}')
                    .lines()
                    .nth(span.line - 1)
                {
                    d = d.snippet(line);
                }
            }
            d = match did_you_mean(name, PLAN_KEYS.iter().copied()) {
                Some(best) => d.help(format!("did you mean `{best}`?")),
                None => d.help("remove it, or prefix it with `x_` to keep it as a local extension"),
            };
            errors.push(d);
        } else if let Some(e) = check_section(&doc, name) {
            errors.push(*e);
        }
    }
    for key in REQUIRED_KEYS {
        if !map.contains_key(*key) {
            errors.push(
                doc.error(
                    "missing-key",
                    "",
                    format!("required section `{key}` is missing"),
                )
                .field(*key)
                .help(format!("add `{key}:` (see docs/reference.md#planyaml)")),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    match doc.section::<Plan>("") {
        Ok(plan) => Ok((plan, doc)),
        Err(d) => Err(vec![*d]),
    }
}

/// Deserializes one top-level section on its own, so that each section reports its problem.
fn check_section(doc: &YamlDoc, key: &str) -> Option<Box<Diagnostic>> {
    fn try_as<T: serde::de::DeserializeOwned>(doc: &YamlDoc, key: &str) -> Option<Box<Diagnostic>> {
        doc.section::<T>(key).err()
    }
    match key {
        "schema_version" => try_as::<u32>(doc, key),
        "campaign" => try_as::<plan::Campaign>(doc, key),
        "background" => try_as::<plan::Background>(doc, key),
        "benchmarks" => try_as::<Vec<plan::Benchmark>>(doc, key),
        "audience" => try_as::<plan::Audience>(doc, key),
        "community" => try_as::<plan::Community>(doc, key),
        "team" => try_as::<plan::Team>(doc, key),
        "goals" => try_as::<Vec<plan::Goal>>(doc, key),
        "targets" => try_as::<Vec<plan::Target>>(doc, key),
        "custom_metrics" => try_as::<Vec<plan::CustomMetric>>(doc, key),
        "phases" => try_as::<plan::Phases>(doc, key),
        "milestones" => try_as::<Vec<plan::Milestone>>(doc, key),
        "content" => try_as::<plan::Content>(doc, key),
        "activities" => try_as::<Vec<plan::Activity>>(doc, key),
        "funnel" => try_as::<plan::Funnel>(doc, key),
        "incentives" => try_as::<plan::Incentives>(doc, key),
        "channels" => try_as::<Vec<plan::Channel>>(doc, key),
        "promotion_rhythm" => try_as::<Vec<plan::PromotionStep>>(doc, key),
        "tools" => try_as::<Vec<plan::Tool>>(doc, key),
        "materials" => try_as::<Vec<plan::Material>>(doc, key),
        "suppliers" => try_as::<Vec<plan::Supplier>>(doc, key),
        "budget" => try_as::<plan::Budget>(doc, key),
        "attribution" => try_as::<plan::Attribution>(doc, key),
        "risks" => try_as::<plan::Risks>(doc, key),
        "compliance" => try_as::<plan::Compliance>(doc, key),
        "playbooks" => try_as::<Vec<plan::PlaybookRef>>(doc, key),
        "review" => try_as::<plan::Review>(doc, key),
        "data" => try_as::<plan::DataSources>(doc, key),
        "report" => try_as::<plan::Report>(doc, key),
        _ => None,
    }
}

fn load_campaign(
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
        let (table, d) = csvload::daily::read(root, &s, &ctx);
        daily = table;
        out.extend(d);
    }
    for (field, src) in plan.data.events.iter().flat_map(|e| e.items("data.events")) {
        let Some(s) = settings("events", &field, src, out) else {
            continue;
        };
        let (days, d) = csvload::events::read(root, &s, src.covers, &tz, plan.campaign.period);
        out.extend(d);
        merge_events(&mut daily, days, &field, doc, out);
    }
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
        let (entries, files, d) = csvload::ledger::read(root, &s, &ctx);
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
        let (rows, files, d) = csvload::progress::read(root, &s, &tz, &wps);
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
    let campaign = CampaignData {
        plan_path: plan_path.to_path_buf(),
        plan,
        daily,
        ledger,
        progress,
        milestones,
        other_files,
        retro,
        prose,
        action_items: vec![],
        previous_action_items: vec![],
    };
    validate::data(&campaign, doc, out);
    campaign
}

/// Adds one event source's days to the campaign's table. Each canonical column comes from one
/// source only: a column the daily export or an earlier event source already gives is an error.
fn merge_events(
    daily: &mut DailyTable,
    days: csvload::events::EventDays,
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
    daily.present.extend(days.columns.iter().copied());
    daily.event_columns.extend(days.columns.iter().copied());
    if days.open {
        daily.open_events.extend(days.columns.iter().copied());
    }
    for (date, row) in days.rows {
        let slot = daily.events.entry(date).or_default();
        for (i, v) in row.values.into_iter().enumerate() {
            if v.is_some() {
                slot.values[i] = v;
            }
        }
    }
    daily.files.extend(days.files);
}
