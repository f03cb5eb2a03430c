//! qunce (群策) turns community-operations plans and metrics exports into a reviewed, static
//! report site. The stages are load → validate → compute → render → write (docs/architecture.md).

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod compute;
pub mod diag;
pub mod diff;
pub mod findings;
pub mod inputs;
pub mod load;
pub mod model;
pub mod output;
pub mod rebuild;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod validate;
pub mod write;

use std::path::Path;

use diag::Diagnostics;
use model::site::Site;

/// Loads and validates every input under `root`: the work of `qunce check`, and the first half
/// of `qunce build`. The site is `None` only when `content/site.yaml` is unusable.
pub fn check(root: &Path) -> (Option<Site>, Diagnostics) {
    inputs::load(root)
}

pub use findings::{findings, findings_computed};

/// Why a build failed after validation.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// A template failed to render.
    #[error("template error: {0:#}")]
    Template(#[from] minijinja::Error),
    /// The site could not be written.
    #[error(transparent)]
    Write(#[from] write::WriteError),
}

/// Renders a validated site and writes it atomically to `out`; returns the number of files.
pub fn build(
    root: &Path,
    site: &Site,
    out: &Path,
    opts: &render::RenderOptions,
) -> Result<usize, BuildError> {
    // Each file is written as it is drawn, into a folder swapped in only once every link
    // checks out: the site is never held whole in memory.
    let staging = write::Staging::begin(out)?;
    render_site_into(root, site, compute::site(site, opts.as_of), opts, &|o| {
        staging.put(&o).map_err(BuildError::from)
    })?;
    Ok(staging.finish()?)
}

/// Renders a validated site from its computed KPIs, handing each file to `sink` as it is drawn
/// (see [`render::render_computed_into`]).
pub fn render_site_into<E>(
    root: &Path,
    site: &Site,
    kpis: Vec<Option<compute::CampaignKpis>>,
    opts: &render::RenderOptions,
    sink: &(impl Fn(write::Output) -> Result<(), E> + Sync),
) -> Result<(), E>
where
    E: From<minijinja::Error> + Send,
{
    render::render_computed_into(site, kpis, &with_theme(root, site, opts), sink)
}

/// `opts` with the site's own theme folder when it names one and `opts` does not.
fn with_theme(root: &Path, site: &Site, opts: &render::RenderOptions) -> render::RenderOptions {
    let mut opts = opts.clone();
    if opts.theme_dir.is_none()
        && let Some(theme) = &site.config.theme
    {
        opts.theme_dir = Some(root.join("themes").join(theme));
    }
    opts
}

/// Renders a validated site in memory, with the site's own theme folder when it names one.
pub fn render_site(
    root: &Path,
    site: &Site,
    opts: &render::RenderOptions,
) -> Result<Vec<write::Output>, minijinja::Error> {
    let kpis = compute::site(site, opts.as_of);
    render::render_computed(site, kpis, &with_theme(root, site, opts))
}
