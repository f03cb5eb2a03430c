//! Findings on computed figures, for `qunce check` (warnings and notes beyond the inputs' own
//! problems): data quality as of the report date, reports not yet counted, campaigns not started,
//! and what a final post-mortem still lacks. It sits above compute and beside render, and draws
//! nothing: a post-mortem is read through its Markdown outline.

use crate::compute::{self, CampaignKpis, review};
use crate::diag::Diagnostic;
use crate::model::markdown;
use crate::model::retro::{REQUIRED, Section};
use crate::model::site::{RetroStatus, Site};
use crate::model::values::Date;

/// What `qunce check` reports beyond the inputs' own problems, as warnings: each campaign's
/// flagged data-quality checks as of `as_of` (default: its last data day) — coverage, gaps,
/// stale values, reconciliation — and what a final post-mortem still lacks.
pub fn findings(site: &Site, as_of: Option<Date>) -> Vec<Diagnostic> {
    findings_computed(site, &compute::site(site, as_of))
}

/// [`findings`] from the campaigns' already computed KPIs (in site order, as
/// [`compute::site`] returns them), so `check` computes each campaign once.
pub fn findings_computed(site: &Site, kpis: &[Option<CampaignKpis>]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (c, k) in site.campaigns.iter().zip(kpis) {
        let Some(k) = k else { continue };
        let date = k.as_of;
        let period = c.plan.campaign.period;
        if date < period.start {
            out.push(
                Diagnostic::note(
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
                    Diagnostic::note(
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
        // A target the members file cannot answer on its day: the fix is a different export,
        // which `check` should say before the page shows "unknown".
        for t in &k.targets {
            if let Some(
                reason @ (compute::undefined::Undefined::NoLeaveDates { .. }
                | compute::undefined::Undefined::TierOnlyOnReportDate { .. }),
            ) = &t.reason
            {
                out.push(
                    Diagnostic::warning(
                        "target-unknown",
                        &c.plan_path,
                        format!("target `{}` ({}) is unknown as of {date}", t.id, t.metric),
                    )
                    .field(format!("targets.{}", t.id))
                    // The reason says what the list lacks and which export gives it.
                    .help(format!("{reason}; see docs/members.md")),
                );
            }
        }
        for q in &k.quality {
            if !q.flagged {
                continue;
            }
            let (what, help) = quality_words(q.id);
            out.push(
                Diagnostic::warning(
                    "data-quality",
                    &c.plan_path,
                    format!("{what} (as of {date}): {}", q.detail),
                )
                .field(format!("{} (data.daily)", q.id))
                .help(help),
            );
        }
    }
    out.extend(final_retro_findings(site, kpis));
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

/// What a post-mortem marked final still lacks, as warnings for `qunce check` (and failures
/// under `--strict`): every flagged variance without its `### <id>` note, every required
/// section missing or left empty. Read from the Markdown's outline: nothing is drawn.
fn final_retro_findings(site: &Site, kpis: &[Option<CampaignKpis>]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (c, k) in site.campaigns.iter().zip(kpis) {
        let Some(retro) = &c.retro else { continue };
        if retro.front.status != Some(RetroStatus::Final) {
            continue;
        }
        let Some(k) = k else { continue };
        let outline = markdown::outline(&retro.body);
        for id in review::unexplained_variances(k, &outline.toc) {
            out.push(
                Diagnostic::warning(
                    "unexplained-variance",
                    &retro.path,
                    format!("the final post-mortem does not explain `{id}`"),
                )
                .at_line(retro.body_line)
                .help(format!(
                    "add a `### {id}` section under `## 关键偏差说明` (or `## 风险回顾` for a risk), or set `status: draft`"
                )),
            );
        }
        // Each `##` heading with whether anything follows it; the first of a section counts.
        let sections: Vec<(Option<Section>, bool)> = outline
            .toc
            .iter()
            .filter(|h| h.level == 2)
            .map(|h| Section::of_heading(&h.text))
            .zip(outline.h2_filled.iter().copied())
            .collect();
        for section in REQUIRED {
            let (_, zh, en) = Section::ALL
                .iter()
                .find(|(s, _, _)| s == section)
                .copied()
                .unwrap_or((*section, "", ""));
            let problem = match sections.iter().find(|(s, _)| s == &Some(*section)) {
                None => "is missing",
                Some((_, false)) => "is empty",
                Some(_) => continue,
            };
            out.push(
                Diagnostic::warning(
                    "unfilled-section",
                    &retro.path,
                    format!("the final post-mortem's section `## {zh}` ({en}) {problem}"),
                )
                .at_line(retro.body_line)
                .help(format!(
                    "write `## {zh}` and what the team learned, or set `status: draft`"
                )),
            );
        }
    }
    out
}
