//! Incremental rebuilds for `qunce serve`. After a change, only the campaigns whose inputs
//! changed are loaded, computed and rendered again; every other campaign keeps its data, KPIs
//! and pages, and the pages drawn from all campaigns (portfolio, roll-ups, search) are drawn
//! again from the mix. The result is always the site a full build of the same files gives:
//! any change whose reach is not known (site settings, playbooks, themes, profiles, a campaign
//! folder added or removed) rebuilds everything. A campaign whose plan breaks leaves the site
//! order and one whose id changes moves in it, as in a full build.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use bytes::Bytes;
use rayon::prelude::*;

use crate::compute::{self, CampaignKpis};
use crate::diag::{Diagnostic, Diagnostics};
use crate::inputs;
use crate::model::site::{CampaignData, Site};
use crate::model::values::Date;
use crate::render::RenderOptions;
use crate::render::markdown::UrlMap;
use crate::render::pages::{CampaignPages, PlaybookCache, Renderer};

/// The site's files, path → bytes.
pub type Files = BTreeMap<String, Bytes>;

/// Builds a site and rebuilds it after changes, reusing what the changes cannot reach.
pub struct Rebuilder {
    root: PathBuf,
    /// `root` as the file system names it, for the paths a watcher reports.
    real_root: Option<PathBuf>,
    as_of: Option<Date>,
    /// What the last build loaded; `None` until a build has read the site settings.
    state: Option<State>,
    /// What the last build or rebuild loaded again.
    last: Scope,
}

/// What a build loaded again.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Scope {
    /// Every input.
    #[default]
    Everything,
    /// These campaign folders only (`content/campaigns/<id>`), sorted.
    Campaigns(Vec<PathBuf>),
}

/// Everything one build read and made, kept for the next.
struct State {
    frame_diags: Diagnostics,
    playbook_ids: BTreeSet<String>,
    /// Campaign folders, sorted, with the problems found loading each.
    dirs: Vec<(PathBuf, Diagnostics)>,
    site: Site,
    /// What was made of each campaign, in site order.
    made: Vec<Made>,
    link_diags: Vec<Diagnostic>,
    /// The link map the pages were drawn with; when it changes, every page is drawn again.
    urls: UrlMap,
    playbooks: PlaybookCache,
}

/// What one campaign reads and what was made of it.
#[derive(Default)]
struct Made {
    reads: Reads,
    kpis: Option<CampaignKpis>,
    pages: CampaignPages,
    /// Loaded since its KPIs and pages were made (a build with errors makes none): made again
    /// at the next build without errors.
    stale: bool,
}

impl Made {
    fn new(c: &CampaignData) -> Self {
        Made {
            reads: reads_of(c),
            stale: true,
            ..Made::default()
        }
    }
}

/// The files a campaign reads outside its folder.
#[derive(Default)]
struct Reads {
    /// Documents and action-item files its plan names (`*_md`, `action_items`), as paths
    /// from the site root.
    documents: BTreeSet<PathBuf>,
    /// Its exports' globs, relative to `data/`.
    exports: Vec<globset::GlobMatcher>,
}

/// What a set of changed files reaches.
#[derive(Debug, PartialEq, Eq)]
enum Reach {
    /// These campaign folders (indices into the sorted folder list).
    Campaigns(BTreeSet<usize>),
    /// Anything: build everything again.
    Everything,
}

impl Rebuilder {
    /// A rebuilder for the site at `root`, reporting as of `as_of` (default: each campaign's
    /// last data day). Nothing is read until [`Rebuilder::build`].
    pub fn new(root: &Path, as_of: Option<Date>) -> Self {
        Rebuilder {
            root: root.to_path_buf(),
            real_root: root.canonicalize().ok(),
            as_of,
            state: None,
            last: Scope::Everything,
        }
    }

    /// What the last [`Rebuilder::build`] or [`Rebuilder::rebuild`] loaded again.
    pub fn last_scope(&self) -> &Scope {
        &self.last
    }

    /// Builds the whole site: the files, or the rendered diagnostics that stopped it.
    pub fn build(&mut self) -> Result<Files, String> {
        self.last = Scope::Everything;
        let loaded = inputs::load_parts(&self.root);
        let Some(config) = loaded.config else {
            self.state = None;
            return Err(loaded.diagnostics().render());
        };
        let site = Site {
            config,
            campaigns: loaded.campaigns,
            playbooks: loaded.playbooks,
            assets: loaded.assets,
        };
        let made = site.campaigns.iter().map(Made::new).collect();
        let state = self.state.insert(State {
            frame_diags: loaded.frame_diags,
            playbook_ids: loaded.playbook_ids,
            dirs: loaded.dirs,
            site,
            made,
            link_diags: loaded.link_diags,
            urls: UrlMap::new(),
            playbooks: PlaybookCache::default(),
        });
        state.finish(&self.root, self.as_of)
    }

    /// Builds again after `changed` files (as a watcher reports them: absolute, or relative to
    /// the current folder) changed, reusing every campaign they cannot reach.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Files, String> {
        let reach = match &self.state {
            None => Reach::Everything,
            Some(state) => {
                let relative: Option<Vec<PathBuf>> =
                    changed.iter().map(|p| self.relative(p)).collect();
                match relative {
                    Some(paths) => state.reach(&self.root, &paths),
                    None => Reach::Everything,
                }
            }
        };
        let reloaded = match (reach, self.state.as_mut()) {
            (Reach::Campaigns(dirty), Some(state)) => {
                self.last =
                    Scope::Campaigns(dirty.iter().map(|&i| state.dirs[i].0.clone()).collect());
                state.reload(&self.root, &dirty)
            }
            _ => None,
        };
        match (reloaded, self.state.as_mut()) {
            (Some(()), Some(state)) => state.finish(&self.root, self.as_of),
            _ => self.build(),
        }
    }

    /// `path` relative to the site root, or `None` when it is not under it.
    fn relative(&self, path: &Path) -> Option<PathBuf> {
        let candidates = [Some(&self.root), self.real_root.as_ref()];
        candidates
            .into_iter()
            .flatten()
            .find_map(|root| path.strip_prefix(root).ok())
            .map(Path::to_path_buf)
    }
}

impl State {
    /// The campaigns that files `changed` (relative to the root) can reach.
    fn reach(&self, root: &Path, changed: &[PathBuf]) -> Reach {
        let mut dirty = BTreeSet::new();
        for path in changed {
            let parts: Vec<&str> = path
                .components()
                .map(|c| match c {
                    Component::Normal(p) => p.to_str().unwrap_or("\u{fffd}"),
                    _ => "\u{fffd}",
                })
                .collect();
            match parts.as_slice() {
                ["content", "campaigns", folder, ..] => {
                    let dir = Path::new("content/campaigns").join(folder);
                    let Some(i) = self.dirs.iter().position(|(d, _)| *d == dir) else {
                        // A new campaign folder.
                        return Reach::Everything;
                    };
                    if !root.join(&dir).is_dir() {
                        // A campaign folder removed or renamed.
                        return Reach::Everything;
                    }
                    dirty.insert(i);
                    // Campaigns whose plans name this file (a sibling's post-mortem).
                    for (c, made) in self.site.campaigns.iter().zip(&self.made) {
                        if made.reads.documents.contains(path.as_path()) {
                            dirty.extend(self.dir_index(c));
                        }
                    }
                }
                ["data", "profiles", ..] => return Reach::Everything,
                ["data", rest @ ..] if !rest.is_empty() => {
                    let under_data = rest.join("/");
                    for (c, made) in self.site.campaigns.iter().zip(&self.made) {
                        if made.reads.exports.iter().any(|g| g.is_match(&under_data)) {
                            dirty.extend(self.dir_index(c));
                        }
                    }
                }
                _ => return Reach::Everything,
            }
        }
        Reach::Campaigns(dirty)
    }

    /// The index of a campaign's folder.
    fn dir_index(&self, c: &CampaignData) -> Option<usize> {
        let dir = c.plan_path.parent()?;
        self.dirs.iter().position(|(d, _)| d == dir)
    }

    /// Loads the campaign folders `dirty` again and puts each campaign in its place in the
    /// site order (a campaign whose plan broke leaves it; one whose id changed moves). `None`
    /// when two folders would hold one id: the full build reports that.
    fn reload(&mut self, root: &Path, dirty: &BTreeSet<usize>) -> Option<()> {
        let loaded: Vec<(usize, Option<CampaignData>, Diagnostics)> = dirty
            .par_iter()
            .map(|&i| {
                let (c, diags) =
                    inputs::load_campaign_dir(root, &self.dirs[i].0, &self.playbook_ids);
                (i, c, diags)
            })
            .collect();
        for (i, campaign, diags) in loaded {
            let dir = self.dirs[i].0.clone();
            self.dirs[i].1 = diags;
            let campaigns = &mut self.site.campaigns;
            if let Some(at) = campaigns
                .iter()
                .position(|c| c.plan_path.parent() == Some(dir.as_path()))
            {
                campaigns.remove(at);
                self.made.remove(at);
            }
            if let Some(c) = campaign {
                let id = &c.plan.campaign.id;
                if campaigns.iter().any(|other| other.plan.campaign.id == *id) {
                    return None;
                }
                let at = campaigns.partition_point(|other| other.plan.campaign.id < *id);
                self.made.insert(at, Made::new(&c));
                campaigns.insert(at, c);
            }
        }
        let (link_diags, assets) = inputs::links_and_assets(
            root,
            &self.dirs.iter().map(|(d, _)| d.clone()).collect::<Vec<_>>(),
            &self.site.playbooks,
            &self.site.campaigns,
        );
        self.link_diags = link_diags;
        self.site.assets = assets;
        Some(())
    }

    /// Every problem, in the order a full load reports them.
    fn diagnostics(&self) -> Diagnostics {
        inputs::joined(&self.frame_diags, &self.dirs, &self.link_diags)
    }

    /// Computes and renders the stale campaigns (all of them when the link map changed), draws
    /// the site-wide pages, and gives the files.
    fn finish(&mut self, root: &Path, as_of: Option<Date>) -> Result<Files, String> {
        let diags = self.diagnostics();
        if diags.has_errors() {
            return Err(diags.render());
        }
        let site = &self.site;
        let fresh: Vec<(usize, Option<CampaignKpis>)> = self
            .made
            .par_iter()
            .enumerate()
            .filter(|(_, m)| m.stale)
            .map(|(i, _)| (i, compute::campaign_as_of(&site.campaigns[i], as_of)))
            .collect();
        let stale: BTreeSet<usize> = fresh.iter().map(|(i, _)| *i).collect();
        for (i, k) in fresh {
            self.made[i].kpis = k;
        }
        let mut opts = RenderOptions {
            as_of,
            ..RenderOptions::default()
        };
        if let Some(theme) = &self.site.config.theme {
            opts.theme_dir = Some(root.join("themes").join(theme));
        }
        let renderer = Renderer::new(&self.site, &opts);
        let previous = crate::render::previous_campaigns(&self.site.campaigns);
        let redraw: BTreeSet<usize> = if *renderer.urls() == self.urls {
            // A report shows its predecessor's figures: it is drawn again when they change.
            (0..previous.len())
                .filter(|i| stale.contains(i) || previous[*i].is_some_and(|p| stale.contains(&p)))
                .collect()
        } else {
            (0..self.site.campaigns.len()).collect()
        };
        let (site, made) = (&self.site, &self.made);
        let drawn: Vec<(usize, CampaignPages)> = redraw
            .par_iter()
            .map(|&i| {
                let before =
                    previous[i].and_then(|p| Some((&site.campaigns[p], made[p].kpis.as_ref()?)));
                Ok((
                    i,
                    renderer.campaign(&site.campaigns[i], made[i].kpis.as_ref(), before)?,
                ))
            })
            .collect::<Result<_, minijinja::Error>>()
            .map_err(template_error)?;
        for (i, pages) in drawn {
            self.made[i].pages = pages;
        }
        for i in stale {
            self.made[i].stale = false;
        }
        let computed: Vec<(&CampaignData, Option<&CampaignKpis>)> = site
            .campaigns
            .iter()
            .zip(self.made.iter().map(|m| m.kpis.as_ref()))
            .collect();
        let campaign_pages: Vec<&CampaignPages> = self.made.iter().map(|m| &m.pages).collect();
        let own = renderer
            .site_pages(&computed, &campaign_pages, &mut self.playbooks)
            .map_err(template_error)?;
        self.urls = renderer.urls().clone();
        let mut files: Files = own.into_iter().map(|o| (o.path, o.bytes)).collect();
        for m in &self.made {
            files.extend(
                m.pages
                    .outputs
                    .iter()
                    .map(|o| (o.path.clone(), o.bytes.clone())),
            );
        }
        Ok(files)
    }
}

fn template_error(e: minijinja::Error) -> String {
    format!("template error: {e:#}")
}

/// What campaign `c` reads outside its own folder: the documents its plan names and its
/// exports. Read from the plan as data (every `*_md` and `*action_items` key, every export
/// `path`), so a key added to the plan later is covered without a list to keep up.
fn reads_of(c: &CampaignData) -> Reads {
    let base = c.plan_path.parent().unwrap_or(Path::new(""));
    let plan = serde_json::to_value(&c.plan).unwrap_or_default();
    let mut documents = BTreeSet::new();
    collect_documents(&plan, &mut |text| {
        if let Some(path) = crate::model::markdown::normalize_path(&base.join(text)) {
            documents.insert(path);
        }
    });
    let mut exports = Vec::new();
    collect_paths(&plan["data"], &mut |pattern| {
        if let Ok(glob) = crate::load::exports::data_glob(pattern) {
            exports.push(glob);
        }
    });
    Reads { documents, exports }
}

fn collect_documents(value: &serde_json::Value, found: &mut impl FnMut(&str)) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                match v {
                    serde_json::Value::String(text)
                        if key.ends_with("_md") || key.ends_with("action_items") =>
                    {
                        found(text);
                    }
                    _ => collect_documents(v, found),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_documents(v, found)),
        _ => {}
    }
}

fn collect_paths(value: &serde_json::Value, found: &mut impl FnMut(&str)) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                match v {
                    serde_json::Value::String(text) if key == "path" => found(text),
                    _ => collect_paths(v, found),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_paths(v, found)),
        _ => {}
    }
}
