//! What the `retro.html` template reads, section by section in the order of
//! docs/rules.md#outline. Every figure is already a string in its unit; `None` is shown as a
//! dash or left out by the template.

use serde::Serialize;

use super::super::charts::Chart;
use super::super::report::{CategoryRow, MetricRow, QualityRow};
use super::super::verdict::StatusCount;

/// The whole post-mortem page.
#[derive(Debug, Serialize)]
pub(crate) struct Retro<'a> {
    pub header: Header,
    pub summary: Summary,
    pub target_groups: Vec<TargetGroup>,
    pub goals: Vec<Goal>,
    pub results: &'a [Chart],
    pub timeline: Timeline,
    pub phases: Phases,
    pub funnel: Option<Funnel>,
    pub content: Content,
    pub budget: Budget<'a>,
    pub risks: Vec<RiskRow>,
    pub risks_human: Option<Part>,
    pub lessons: Vec<Lesson>,
    pub root_causes: RootCauses,
    /// The action items table, already HTML.
    pub actions: String,
    pub next: Next,
    pub appendix: Appendix,
    /// The team's sections the outline does not name, in their order.
    pub others: Vec<Other>,
    /// The team's text before its first section.
    pub preamble: String,
    /// Tiers, cohorts and activity turnout, from member-level files (outline item 8).
    pub people: super::super::people::People,
}

/// A section of the team's `retro.md`, rendered.
#[derive(Debug, Serialize)]
pub(crate) struct Part {
    pub id: String,
    pub html: String,
}

/// A section of the team's `retro.md` the outline does not name.
#[derive(Debug, Serialize)]
pub(crate) struct Other {
    pub id: String,
    pub title: String,
    pub html: String,
}

/// Something the page names and links to: a target, a budget category, a risk.
#[derive(Debug, Serialize)]
pub(crate) struct Link {
    pub id: String,
    pub name: String,
    pub href: String,
}

/// Outline item 1: what, when, who, from which data.
#[derive(Debug, Serialize)]
pub(crate) struct Header {
    pub id: String,
    pub name: String,
    pub start: String,
    pub end: String,
    pub as_of: String,
    pub status: Option<&'static str>,
    pub status_label: Option<String>,
    pub authors: Vec<Author>,
    pub retro_date: Option<String>,
    pub sources: Vec<Source>,
    /// The coverage of the daily data, when the coverage check flags it.
    pub coverage: Option<String>,
    pub tool_version: &'static str,
    pub catalog_version: &'static str,
}

/// An author of the post-mortem, by role.
#[derive(Debug, Serialize)]
pub(crate) struct Author {
    pub title: String,
    pub href: String,
}

/// An input file the figures were computed from.
#[derive(Debug, Serialize)]
pub(crate) struct Source {
    pub path: String,
    pub encoding: &'static str,
    pub rows: usize,
    pub sha256: String,
}

/// Outline item 2: the headline strip and the three largest deviations.
#[derive(Debug, Serialize)]
pub(crate) struct Summary {
    pub counts: Vec<StatusCount>,
    pub ac_total: String,
    pub bac_total: String,
    pub cpi: String,
    pub eac_total: String,
    pub eac_vs_budget: String,
    pub reserve_used: String,
    pub deviations: Vec<Deviation>,
    pub human: Option<Part>,
}

/// A target far from its value, in tolerances.
#[derive(Debug, Serialize)]
pub(crate) struct Deviation {
    pub id: String,
    pub name: String,
    pub href: String,
    pub tolerances: String,
    /// The tolerance itself, in the metric's unit.
    pub tolerance: String,
}

/// Outline item 3: the targets under the goal they serve.
#[derive(Debug, Serialize)]
pub(crate) struct TargetGroup {
    /// The goal's statement; `None` for targets no goal lists.
    pub goal: Option<String>,
    pub rows: Vec<TargetRow>,
}

/// A target with its baseline, value, gap and status.
#[derive(Debug, Serialize)]
pub(crate) struct TargetRow {
    pub id: String,
    pub metric_name: String,
    pub baseline: String,
    pub target: String,
    pub actual: String,
    pub gap: String,
    pub expected: String,
    pub status: &'static str,
    pub icon: &'static str,
    pub status_label: String,
    pub low_confidence: bool,
    pub reason: Option<String>,
}

/// A goal with its SMART breakdown (shown folded).
#[derive(Debug, Serialize)]
pub(crate) struct Goal {
    pub id: String,
    pub statement: String,
    pub targets: Vec<String>,
    /// (letter, text) for each SMART part written.
    pub smart: Vec<(&'static str, String)>,
}

/// Outline item 5: dated events, and the team's text.
#[derive(Debug, Serialize)]
pub(crate) struct Timeline {
    pub events: Vec<Event>,
    pub human: Option<Part>,
}

/// A dated event: a phase, a milestone, an activity, a fired risk, a note.
#[derive(Debug, Serialize)]
pub(crate) struct Event {
    pub date: String,
    pub kind: String,
    pub id: String,
    pub text: String,
    pub status: Option<&'static str>,
    pub detail: Option<String>,
}

/// Outline item 6: the targeted metrics per phase.
#[derive(Debug, Serialize)]
pub(crate) struct Phases {
    pub metrics: Vec<Column>,
    pub rows: Vec<PhaseRow>,
    pub human: Option<Part>,
}

/// A metric column of the phase table.
#[derive(Debug, Serialize)]
pub(crate) struct Column {
    pub name: String,
    pub anchor: String,
}

/// A phase with its values of the targeted metrics.
#[derive(Debug, Serialize)]
pub(crate) struct PhaseRow {
    pub id: String,
    pub name: String,
    pub start: String,
    pub end: String,
    /// The last day evaluated; `None` before the phase starts.
    pub to: Option<String>,
    pub values: Vec<String>,
}

/// Outline item 7: the funnel's stages.
#[derive(Debug, Serialize)]
pub(crate) struct Funnel {
    pub rows: Vec<FunnelRow>,
    pub human: Option<Part>,
}

/// A funnel stage: its total, step rate against its target, and the drop from the stage before.
#[derive(Debug, Serialize)]
pub(crate) struct FunnelRow {
    pub name: String,
    pub count: Option<String>,
    pub rate: Option<String>,
    pub target: Option<String>,
    pub status: Option<&'static str>,
    pub status_label: Option<String>,
    pub drop: Option<String>,
}

/// Outline item 8: the activities and the content measures.
#[derive(Debug, Serialize)]
pub(crate) struct Content {
    pub activities: Vec<Activity>,
    pub metrics: Vec<MetricRow>,
}

/// A planned activity with its expected size.
#[derive(Debug, Serialize)]
pub(crate) struct Activity {
    pub id: String,
    pub name: String,
    /// Its day, or its first and last day.
    pub dates: Vec<String>,
    pub expected: Option<u32>,
}

/// Outline item 9: the budget tables, the charts, and the variances to explain.
#[derive(Debug, Serialize)]
pub(crate) struct Budget<'a> {
    pub categories: Vec<CategoryRow>,
    /// (label, value) of the earned-value table.
    pub evm: Vec<(String, String)>,
    pub shares: Vec<Share>,
    pub reserve_used: String,
    pub committed: String,
    pub charts: &'a [Chart],
    pub flagged: Vec<Flagged>,
    pub human: Option<Part>,
}

/// A category's share of the spend, planned against actual.
#[derive(Debug, Serialize)]
pub(crate) struct Share {
    pub id: String,
    pub name: String,
    pub planned: String,
    pub actual: String,
    pub drift: String,
}

/// A flagged variance, and where the team explains it if it does.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Flagged {
    pub id: String,
    pub name: String,
    pub explained: bool,
    pub href: Option<String>,
}

/// Outline item 10: a risk, whether it fired, and where the team says how it went.
#[derive(Debug, Serialize)]
pub(crate) struct RiskRow {
    pub id: String,
    pub title: String,
    pub level: String,
    /// Why the plan sets another level than probability × impact gives.
    pub level_reason: Option<String>,
    /// `2×4 = 8`: probability × impact, and the score they give.
    pub score: String,
    pub watches: String,
    pub fired: bool,
    pub first_fired: Option<String>,
    pub value: String,
    pub response: String,
    pub note_href: Option<String>,
}

/// Outline item 11: one of the three lessons, with its prompts beside the team's text.
#[derive(Debug, Serialize)]
pub(crate) struct Lesson {
    pub id: &'static str,
    pub title: String,
    pub prompts: Vec<Prompt>,
    pub human: Option<Part>,
}

/// A prompt from the numbers, with what it concerns.
#[derive(Debug, Serialize)]
pub(crate) struct Prompt {
    pub label: String,
    pub ids: Vec<Link>,
}

/// Outline item 12: the team's root causes and the blameless linter's findings.
#[derive(Debug, Serialize)]
pub(crate) struct RootCauses {
    pub human: Option<Part>,
    pub warnings: Vec<Blame>,
}

/// A line that blames a person.
#[derive(Debug, Serialize)]
pub(crate) struct Blame {
    pub line: usize,
    pub role: String,
    pub word: String,
    pub text: Option<String>,
}

/// Outline item 14: hints for the next plan, and the team's text.
#[derive(Debug, Serialize)]
pub(crate) struct Next {
    pub hints: Vec<HintRow>,
    pub human: Option<Part>,
}

/// A hint: what it concerns and what it suggests.
#[derive(Debug, Serialize)]
pub(crate) struct HintRow {
    pub subject: String,
    pub href: String,
    pub text: String,
}

/// Outline item 15: the definitions of the KPIs targeted, and the data-quality checks.
#[derive(Debug, Serialize)]
pub(crate) struct Appendix {
    pub kpis: Vec<KpiDefinition>,
    pub quality: Vec<QualityRow>,
    pub catalog_version: &'static str,
    pub playbooks: Vec<String>,
}

/// A targeted KPI's definition.
#[derive(Debug, Serialize)]
pub(crate) struct KpiDefinition {
    pub name: String,
    pub id: String,
    pub anchor: String,
    pub formula: Option<&'static str>,
    pub aggregation: Option<&'static str>,
    /// The target's `agg:` option in words.
    pub option: Option<&'static str>,
}
