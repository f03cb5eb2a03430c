//! Loads and validates a whole site (the load and validate stages in order): `content/site.yaml`, every campaign (plan, exports, post-mortem, prose)
//! and every playbook. Problems are collected, never thrown; a campaign whose plan cannot be
//! read is skipped, so the rest still gets checked.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::exports::{
    self as exports, SourceSettings, daily::DailyContext, ledger::LedgerContext, profile,
};
use crate::load::markdown;
use crate::load::sandbox;
use crate::load::yaml::YamlDoc;
use crate::model::plan::{self, Plan, top_level_keys};
use crate::model::site::{CampaignData, Document, Site, SiteConfig};
use crate::model::table::DailyTable;
use crate::validate;

mod campaign;
mod sections;

use campaign::load_campaign;
pub use sections::parse_plan;
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
