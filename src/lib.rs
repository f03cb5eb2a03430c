//! qunce (群策) turns community-operations plans and metrics exports into a reviewed, static
//! report site. The stages are load → validate → compute → render → write (DESIGN §4).

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod compute;
pub mod diag;
pub mod diff;
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

/// What `qunce check` reports beyond the inputs' own problems, as warnings: each campaign's
/// flagged data-quality checks as of `as_of` (default: its last data day) — coverage, gaps,
/// stale values, reconciliation — and what a final post-mortem still lacks.
pub fn findings(site: &Site, as_of: Option<model::values::Date>) -> Vec<diag::Diagnostic> {
    findings_computed(site, &compute::site(site, as_of))
}

/// [`findings`] from the campaigns' already computed KPIs (in site order, as
/// [`compute::site`] returns them), so `check` computes each campaign once.
pub fn findings_computed(
    site: &Site,
    kpis: &[Option<compute::CampaignKpis>],
) -> Vec<diag::Diagnostic> {
    let mut out = Vec::new();
    for (c, k) in site.campaigns.iter().zip(kpis) {
        let Some(k) = k else { continue };
        let date = k.as_of;
        let period = c.plan.campaign.period;
        if date < period.start {
            out.push(
                diag::Diagnostic::note(
                    "not-started",
                    &c.plan_path,
                    format!(
                        "the campaign starts on {}, after the report date {date}: nothing to measure yet",
                        period.start
                    ),
                )
                .help("its figures appear once the period has begun and its exports reach it"),
            );
        }
        // A report dated by its last day is not counted before that day: say so, once a file.
        let mut told = std::collections::BTreeSet::new();
        for e in c.ledger.iter().flatten() {
            if let Some((first, last)) = e.report_days
                && first <= date
                && date < last
                && told.insert(e.path.clone())
            {
                out.push(
                    diag::Diagnostic::note(
                        "report-not-yet-counted",
                        &*e.path,
                        format!(
                            "this report covers {first} … {last} and its costs are dated {last}; as of {date} they are unknown, so the categories it feeds have no actual cost yet"
                        ),
                    )
                    .help("pass --as-of on or after the report's last day, or download a report that ends by the report date"),
                );
            }
        }
        for q in &k.quality {
            if !q.flagged {
                continue;
            }
            let (what, help) = quality_words(q.id);
            out.push(
                diag::Diagnostic::warning(
                    "data-quality",
                    &c.plan_path,
                    format!("{what} (as of {date}): {}", q.detail),
                )
                .field(format!("{} (data.daily)", q.id))
                .help(help),
            );
        }
    }
    out.extend(render::final_retro_findings(site, kpis));
    out
}

fn quality_words(id: &str) -> (&'static str, &'static str) {
    match id {
        "coverage_low" => (
            "days or columns are missing",
            "export the missing days; targets over windows under 50% coverage are not judged",
        ),
        "stale_data" => (
            "the data stops before the report date",
            "add the latest export, or pass --as-of for the last day the data covers",
        ),
        "reconciliation_mismatch_days" => (
            "members do not add up with joined − left",
            "check for removed members, merged groups or a missing day",
        ),
        "speakers_exceed_active" => (
            "more speakers than active members on some days",
            "check that the two columns come from the same definition and day",
        ),
        "funnel_non_monotone" => (
            "a funnel stage is larger than the one before it",
            "check the funnel's stage columns and their order",
        ),
        "future_entries" => (
            "rows dated after the report date are left out",
            "this is expected with an --as-of before the end of the data",
        ),
        _ => (
            "a data-quality check failed",
            "see the report's data-quality appendix",
        ),
    }
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
