//! qunce (群策) turns community-operations plans and metrics exports into a reviewed, static
//! report site. The stages are load → validate → compute → render → write (DESIGN §4).

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod compute;
pub mod diag;
pub mod inputs;
pub mod load;
pub mod model;
pub mod render;
pub mod report;
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
    let outputs = render_site(root, site, opts)?;
    write::write_site(out, &outputs)?;
    Ok(outputs.len())
}

/// Renders a validated site in memory, with the site's own theme folder when it names one.
pub fn render_site(
    root: &Path,
    site: &Site,
    opts: &render::RenderOptions,
) -> Result<Vec<write::Output>, minijinja::Error> {
    let mut opts = opts.clone();
    if opts.theme_dir.is_none()
        && let Some(theme) = &site.config.theme
    {
        opts.theme_dir = Some(root.join("themes").join(theme));
    }
    render::render(site, &opts)
}
