//! The campaign plan, reference §B.3, as typed Rust.
//!
//! The structs mirror `plan.yaml` one to one: every section of §B.3 is here, every struct denies
//! unknown keys (the YAML loader strips `x_*` extension keys first), and value types come from
//! [`super::values`]. Cross-field rules (sums, references, dates) are checked by `validate`, which
//! can locate every problem in the file; serde only checks shapes.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::values::{Date, Money, Quantity, Ratio, iso_date, iso_date_opt};

/// A whole `plan.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub schema_version: u32,
    pub campaign: Campaign,
    #[serde(default)]
    pub background: Option<Background>,
    #[serde(default)]
    pub benchmarks: Vec<Benchmark>,
    #[serde(default)]
    pub audience: Option<Audience>,
    pub community: Community,
    pub team: Team,
    pub goals: Vec<Goal>,
    pub targets: Vec<Target>,
    #[serde(default)]
    pub custom_metrics: Vec<CustomMetric>,
    pub phases: Phases,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
    #[serde(default)]
    pub content: Option<Content>,
    #[serde(default)]
    pub activities: Vec<Activity>,
    #[serde(default)]
    pub funnel: Option<Funnel>,
    #[serde(default)]
    pub incentives: Option<Incentives>,
    #[serde(default)]
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub promotion_rhythm: Vec<PromotionStep>,
    #[serde(default)]
    pub tools: Vec<Tool>,
    #[serde(default)]
    pub materials: Vec<Material>,
    #[serde(default)]
    pub suppliers: Vec<Supplier>,
    pub budget: Budget,
    #[serde(default)]
    pub attribution: Option<Attribution>,
    #[serde(default)]
    pub risks: Option<Risks>,
    #[serde(default)]
    pub compliance: Option<Compliance>,
    #[serde(default)]
    pub playbooks: Vec<PlaybookRef>,
    #[serde(default)]
    pub review: Option<Review>,
    pub data: DataSources,
    #[serde(default)]
    pub report: Option<Report>,
}

impl Plan {
    /// The Markdown documents the plan refers to, as (field path, path as written), in the
    /// order the plan page shows them.
    pub fn prose_documents(&self) -> Vec<(&'static str, &str)> {
        let compliance_notes = self.compliance.as_ref().and_then(|c| c.notes_md.as_ref());
        [
            (
                "campaign.background_md",
                self.campaign.background_md.as_ref(),
            ),
            ("campaign.market_md", self.campaign.market_md.as_ref()),
            (
                "community.visual_style_md",
                self.community.visual_style_md.as_ref(),
            ),
            ("community.culture_md", self.community.culture_md.as_ref()),
            ("team.skills_md", self.team.skills_md.as_ref()),
            ("team.performance_md", self.team.performance_md.as_ref()),
            ("compliance.notes_md", compliance_notes),
        ]
        .into_iter()
        .filter_map(|(field, path)| Some((field, path?.as_str())))
        .collect()
    }
}

/// The top-level keys of a plan, in schema order (for "did you mean" hints and key checks).
pub const PLAN_KEYS: &[&str] = &[
    "schema_version",
    "campaign",
    "background",
    "benchmarks",
    "audience",
    "community",
    "team",
    "goals",
    "targets",
    "custom_metrics",
    "phases",
    "milestones",
    "content",
    "activities",
    "funnel",
    "incentives",
    "channels",
    "promotion_rhythm",
    "tools",
    "materials",
    "suppliers",
    "budget",
    "attribution",
    "risks",
    "compliance",
    "playbooks",
    "review",
    "data",
    "report",
];

/// `campaign:` — identity, period and context of the campaign.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub brand: Option<String>,
    pub owner: String,
    pub period: Period,
    pub timezone: String,
    pub currency: String,
    #[serde(default)]
    pub locale: Option<String>,
    #[serde(default)]
    pub model: Option<CampaignModel>,
    #[serde(default)]
    pub operating_mode: Option<OperatingMode>,
    #[serde(default)]
    pub lifecycle_stage: Option<LifecycleStage>,
    #[serde(default)]
    pub framework: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub background_md: Option<String>,
    #[serde(default)]
    pub market_md: Option<String>,
}

/// An inclusive date interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Period {
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::model::values::IsoDate")]
    pub start: Date,
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::model::values::IsoDate")]
    pub end: Date,
}

impl Period {
    /// Number of calendar days, both ends included (0 when end < start).
    pub fn days(&self) -> i64 {
        (days_between(self.start, self.end) + 1).max(0)
    }

    /// True when `date` lies inside the interval.
    pub fn contains(&self, date: Date) -> bool {
        self.start <= date && date <= self.end
    }
}

/// `"1-2"` → (1, 2); weeks count from the campaign start, week 1 being days 1–7.
pub fn parse_weeks(text: &str) -> Option<(i64, i64)> {
    let (a, b) = text.split_once('-')?;
    let (a, b) = (a.trim().parse::<i64>().ok()?, b.trim().parse::<i64>().ok()?);
    (a >= 1 && b >= a).then_some((a, b))
}

impl Phase {
    /// The phase's dates, from `start`/`end` or from `weeks` counted from the campaign start.
    pub fn dates(&self, campaign: Period) -> Option<Period> {
        if let (Some(start), Some(end)) = (self.start, self.end) {
            return Some(Period { start, end });
        }
        let (a, b) = parse_weeks(self.weeks.as_deref()?)?;
        let start = campaign
            .start
            .checked_add(jiff::Span::new().days(7 * (a - 1)))
            .ok()?;
        let end = campaign
            .start
            .checked_add(jiff::Span::new().days(7 * b - 1))
            .ok()?;
        Some(Period { start, end })
    }
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    i64::from(a.until(b).map(|s| s.get_days()).unwrap_or(0))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CampaignModel {
    ProductDriven,
    ContentDriven,
    IncentiveDriven,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OperatingMode {
    SelfBuilt,
    Diverted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LifecycleStage {
    Launch,
    Growth,
    Mature,
}

/// `background:` — the pain points the campaign answers.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Background {
    #[serde(default)]
    pub pain_points: Vec<PainPoint>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PainPoint {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub evidence: Option<Evidence>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub metric: String,
    pub value: Quantity,
    #[serde(default, with = "iso_date_opt")]
    #[schemars(with = "Option<crate::model::values::IsoDate>")]
    pub as_of: Option<Date>,
}

/// `benchmarks[]` — reference lines on charts, never targets.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Benchmark {
    pub metric: String,
    pub value: Quantity,
    pub label: String,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub kind: Option<BenchmarkKind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BenchmarkKind {
    Floor,
    Ceiling,
    Reference,
}

/// `audience:` — personas and need tags.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    #[serde(default)]
    pub personas: Vec<Persona>,
    #[serde(default)]
    pub need_tags_file: Option<String>,
    #[serde(default)]
    pub need_tags_expected: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub age_range: Option<[u32; 2]>,
    #[serde(default)]
    pub gender_ratio: BTreeMap<String, Ratio>,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub occupations: Vec<String>,
    #[serde(default)]
    pub consumption: Option<Consumption>,
    #[serde(default)]
    pub interests: Vec<String>,
    #[serde(default)]
    pub info_channels: Vec<String>,
    #[serde(default)]
    pub pain_points: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Consumption {
    #[serde(default)]
    pub frequency: Option<String>,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub price_sensitivity: Option<Level3>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level3 {
    Low,
    Medium,
    High,
}

/// `community:` — positioning, carriers, entry, rules, tiers and admins.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Community {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub slogan: Option<String>,
    #[serde(default)]
    pub positioning: Option<Positioning>,
    #[serde(default)]
    pub tone: Option<String>,
    #[serde(default)]
    pub visual_style_md: Option<String>,
    #[serde(default)]
    pub value_proposition: Option<ValueProposition>,
    pub carriers: Vec<Carrier>,
    #[serde(default)]
    pub entry: Option<Entry>,
    #[serde(default)]
    pub rules: Option<Rules>,
    #[serde(default)]
    pub capacity: Option<Capacity>,
    #[serde(default)]
    pub tiers: Vec<Tier>,
    #[serde(default)]
    pub admin_levels: Vec<AdminLevel>,
    #[serde(default)]
    pub culture_md: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Positioning {
    KnowledgeSharing,
    InterestExchange,
    ProductExperience,
    ResourceMatching,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueProposition {
    #[serde(default)]
    pub explicit: Vec<String>,
    #[serde(default)]
    pub implicit: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Carrier {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: CarrierType,
    pub platform: String,
    pub name: String,
    #[serde(default)]
    pub capacity: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CarrierType {
    ImGroup,
    SocialGroup,
    Forum,
    App,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub threshold: EntryThreshold,
    #[serde(default)]
    pub quiz_pass_score: Option<u32>,
    #[serde(default)]
    pub value_list: Vec<String>,
    #[serde(default)]
    pub onboarding_steps: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryThreshold {
    Invitation,
    Quiz,
    Paid,
    Task,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    #[serde(default)]
    pub prohibited: Vec<String>,
    #[serde(default)]
    pub violation_policy: Option<String>,
    #[serde(default)]
    pub lurker_policy: Option<LurkerPolicy>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LurkerPolicy {
    pub inactive_days: u32,
    pub action: LurkerAction,
    #[serde(default)]
    pub grace_days: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LurkerAction {
    Activate,
    Remove,
    ActivateThenRemove,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Capacity {
    pub soft_limit: u32,
    #[serde(default)]
    pub subgroup_trigger: Option<Trigger>,
    #[serde(default)]
    pub subgroup_size: Option<[u32; 2]>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub id: String,
    pub name: String,
    pub criteria: String,
    #[serde(default)]
    pub benefits: Vec<String>,
    #[serde(default)]
    pub high_value: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminLevel {
    pub level: u32,
    pub title: String,
    pub count: u32,
    pub filled_by: String,
    #[serde(default)]
    pub duties: Vec<String>,
}

/// `team:` — roles (never people), advisors and RACI.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Team {
    #[serde(default)]
    pub min_weekly_hours: Option<f64>,
    pub roles: Vec<Role>,
    #[serde(default)]
    pub advisors: Vec<Advisor>,
    #[serde(default)]
    pub raci: Vec<Raci>,
    #[serde(default)]
    pub skills_md: Option<String>,
    #[serde(default)]
    pub performance_md: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub id: String,
    pub title: String,
    pub function: RoleFunction,
    pub fte: f64,
    #[serde(default)]
    pub count: Option<u32>,
    #[serde(default)]
    pub responsibilities: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoleFunction {
    Planning,
    Content,
    CommunityOps,
    TechData,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Advisor {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub count: Option<u32>,
    #[serde(default)]
    pub scope: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Raci {
    pub workstream: String,
    pub responsible: String,
    pub accountable: String,
    #[serde(default)]
    pub consulted: Vec<String>,
    #[serde(default)]
    pub informed: Vec<String>,
}

/// `goals[]` — SMART goals that group targets.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    pub id: String,
    pub horizon: Horizon,
    pub category: GoalCategory,
    pub statement: String,
    #[serde(default)]
    pub smart: Option<Smart>,
    pub targets: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Horizon {
    Short,
    Mid,
    Long,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GoalCategory {
    Growth,
    Brand,
    Engagement,
    Conversion,
    Insight,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Smart {
    #[serde(default)]
    pub specific: Option<String>,
    #[serde(default)]
    pub measurable: Option<String>,
    #[serde(default)]
    pub achievable: Option<String>,
    #[serde(default)]
    pub relevant: Option<String>,
    #[serde(default, with = "iso_date_opt")]
    #[schemars(with = "Option<crate::model::values::IsoDate>")]
    pub time_bound: Option<Date>,
}

/// `targets[]` — a KPI target with window, trajectory and tolerance (§D.3).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub id: String,
    pub metric: String,
    #[serde(default)]
    pub target: Option<Quantity>,
    #[serde(default)]
    pub change: Option<Change>,
    #[serde(default)]
    pub baseline: Option<Quantity>,
    #[serde(default)]
    pub direction: Option<Direction>,
    pub window: Period,
    #[serde(default)]
    pub trajectory: Option<Trajectory>,
    #[serde(default)]
    pub tolerance: Option<Quantity>,
    #[serde(default)]
    pub per: Option<Bucket>,
    #[serde(default)]
    pub agg: Option<Aggregation>,
    #[serde(default)]
    pub checkpoints: Vec<Checkpoint>,
    #[serde(default)]
    pub filter: Option<TargetFilter>,
}

/// `change:` — a relative (`+20%`) or absolute (`+10pp`, `+5`) change from the baseline.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Change {
    #[serde(default)]
    pub relative: Option<Ratio>,
    #[serde(default)]
    pub absolute: Option<Quantity>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Trajectory {
    Linear,
    Compound,
    Flat,
    Milestones,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    Day,
    Week,
    Month,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    RatioOfSums,
    MeanOfDaily,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::model::values::IsoDate")]
    pub date: Date,
    pub value: Quantity,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetFilter {
    #[serde(default)]
    pub activity_ids: Vec<String>,
    #[serde(default)]
    pub activity_type: Option<ActivityType>,
    #[serde(default)]
    pub group_ids: Vec<String>,
    #[serde(default)]
    pub channel: Option<String>,
}

/// `custom_metrics[]` — a ratio or aggregate of canonical columns; no expression language.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomMetric {
    pub id: String,
    pub name: LocalizedName,
    pub numerator: ColumnAgg,
    #[serde(default)]
    pub denominator: Option<ColumnAgg>,
    pub unit: MetricUnit,
    pub direction: Direction,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalizedName {
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ColumnAgg {
    pub column: String,
    pub agg: ColumnAggKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ColumnAggKind {
    Sum,
    Mean,
    Last,
    First,
    Max,
    Min,
}

/// The unit of a metric; ratios are fractions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MetricUnit {
    Ratio,
    Count,
    Money,
    Minutes,
}

/// `phases:` — the campaign's stages.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Phases {
    #[serde(default)]
    pub allow_overlap: bool,
    pub items: Vec<Phase>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub weeks: Option<String>,
    #[serde(default, with = "iso_date_opt")]
    #[schemars(with = "Option<crate::model::values::IsoDate>")]
    pub start: Option<Date>,
    #[serde(default, with = "iso_date_opt")]
    #[schemars(with = "Option<crate::model::values::IsoDate>")]
    pub end: Option<Date>,
    #[serde(default)]
    pub objectives: Vec<String>,
    #[serde(default)]
    pub key_actions: Vec<String>,
    pub owner: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub id: String,
    pub name: String,
    pub phase: String,
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::model::values::IsoDate")]
    pub due: Date,
    pub owner: String,
    #[serde(default)]
    pub evidence: Option<String>,
}

/// `content:` — pillars, sources, review, cadence and calendar.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Content {
    #[serde(default)]
    pub pillars: Vec<Pillar>,
    #[serde(default)]
    pub formats: Vec<String>,
    #[serde(default)]
    pub sources: BTreeMap<String, Ratio>,
    #[serde(default)]
    pub review_process: Option<ReviewProcess>,
    #[serde(default)]
    pub cadence: Option<Cadence>,
    #[serde(default)]
    pub calendar: Vec<CalendarEntry>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pillar {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewProcess {
    pub name: String,
    #[serde(default)]
    pub reviewers: Vec<String>,
    #[serde(default)]
    pub proofreads: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cadence {
    pub share_basis: ShareBasis,
    pub items: Vec<CadenceItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShareBasis {
    EffortHours,
    Count,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CadenceItem {
    pub id: String,
    pub name: String,
    pub frequency: Frequency,
    pub share: Ratio,
    #[serde(default)]
    pub weekday: Option<Weekday>,
    #[serde(default)]
    pub day_of_month: Option<u32>,
    #[serde(default)]
    pub time: Option<String>,
    #[serde(default)]
    pub hours_per_occurrence: Option<f64>,
    pub owner: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Daily,
    Weekly,
    Monthly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarEntry {
    #[serde(default, with = "iso_date_opt")]
    #[schemars(with = "Option<crate::model::values::IsoDate>")]
    pub date: Option<Date>,
    #[serde(default)]
    pub recurrence: Option<Recurrence>,
    #[serde(default)]
    pub time: Option<String>,
    pub title: String,
    #[serde(default)]
    pub pillar: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub cadence: Option<String>,
    pub owner: String,
    #[serde(default)]
    pub pre_launch: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Recurrence {
    pub freq: Frequency,
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::model::values::IsoDate")]
    pub from: Date,
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::model::values::IsoDate")]
    pub until: Date,
    #[serde(default)]
    pub time: Option<String>,
}

/// `activities[]` — salons, challenges and other events.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ActivityType,
    #[serde(default, with = "iso_date_opt")]
    #[schemars(with = "Option<crate::model::values::IsoDate>")]
    pub date: Option<Date>,
    #[serde(default, with = "iso_date_opt")]
    #[schemars(with = "Option<crate::model::values::IsoDate>")]
    pub start: Option<Date>,
    #[serde(default, with = "iso_date_opt")]
    #[schemars(with = "Option<crate::model::values::IsoDate>")]
    pub end: Option<Date>,
    #[serde(default)]
    pub audience_tiers: Vec<String>,
    #[serde(default)]
    pub expected_participants: Option<u32>,
    #[serde(default)]
    pub mechanics: Option<String>,
    #[serde(default)]
    pub budget_category: Option<String>,
    #[serde(default)]
    pub work_package: Option<String>,
    #[serde(default)]
    pub pre_launch: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActivityType {
    CheckinChallenge,
    Salon,
    Workshop,
    Course,
    CaseShowcase,
    GiveawayDay,
    Contest,
    Live,
    OfflineSalon,
}

/// `funnel:` — ordered stages mapped to daily columns.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Funnel {
    #[serde(default)]
    pub conversion_window_days: Option<u32>,
    pub stages: Vec<FunnelStage>,
    #[serde(default)]
    pub step_targets: BTreeMap<String, Ratio>,
    #[serde(default)]
    pub hooks: Vec<FunnelHook>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FunnelStage {
    pub id: String,
    pub name: String,
    pub column: String,
    #[serde(default)]
    pub definition: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FunnelHook {
    pub stage: String,
    pub name: String,
    #[serde(default)]
    pub detail: Option<String>,
}

/// `incentives:` — points, levels, badges, cashback and redemption.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Incentives {
    #[serde(default)]
    pub points: Vec<PointsRule>,
    #[serde(default)]
    pub levels: Vec<Level>,
    #[serde(default)]
    pub badges: Vec<Badge>,
    #[serde(default)]
    pub streak_cashback: Option<StreakCashback>,
    #[serde(default)]
    pub redemption: Vec<Redemption>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PointsRule {
    pub action: String,
    pub points: i64,
    #[serde(default)]
    pub daily_cap: Option<u32>,
    #[serde(default)]
    pub rule: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub level: u32,
    pub name: String,
    pub min_points: u64,
    #[serde(default)]
    pub tier: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Badge {
    pub id: String,
    pub name: String,
    pub criteria: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StreakCashback {
    pub days: u32,
    pub amount: Money,
    pub budget_category: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Redemption {
    pub item: String,
    pub points: u64,
    pub unit_cost: Money,
    pub budget_category: String,
}

/// `channels[]` — where members come from; `source_code` is what the CSV `source` column holds.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    pub id: String,
    pub name: String,
    pub kind: ChannelKind,
    #[serde(default)]
    pub source_code: Option<String>,
    #[serde(default)]
    pub budget_category: Option<String>,
    #[serde(default)]
    pub ad_spend: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    Internal,
    External,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PromotionStep {
    pub step: String,
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::model::values::IsoDate")]
    pub start: Date,
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::model::values::IsoDate")]
    pub end: Date,
    #[serde(default)]
    pub pre_launch: bool,
    #[serde(default)]
    pub channels: Vec<String>,
    #[serde(default)]
    pub mechanics: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub functions: Vec<String>,
    #[serde(default)]
    pub export_profile: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Material {
    pub id: String,
    pub name: String,
    pub kind: MaterialKind,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default, with = "iso_date_opt")]
    #[schemars(with = "Option<crate::model::values::IsoDate>")]
    pub due: Option<Date>,
    #[serde(default)]
    pub work_package: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MaterialKind {
    Online,
    Offline,
    Tech,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Supplier {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub contract_ref: Option<String>,
    #[serde(default)]
    pub risk_review: Option<String>,
}

/// `budget:` — categories, work packages, curve, EV method, thresholds and revisions (§E).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    #[serde(default)]
    pub basis: Option<BudgetBasis>,
    pub total: Money,
    #[serde(default)]
    pub thresholds: Option<Thresholds>,
    #[serde(default)]
    pub cpi_thresholds: Option<CpiThresholds>,
    pub categories: Vec<BudgetCategory>,
    #[serde(default)]
    pub work_packages: Vec<WorkPackage>,
    #[serde(default)]
    pub spend_curve: Option<SpendCurve>,
    #[serde(default)]
    pub phase_shares: BTreeMap<String, Ratio>,
    #[serde(default)]
    pub ev_method: Option<EvMethod>,
    #[serde(default)]
    pub revisions: Vec<Revision>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetBasis {
    pub per_member_month: Money,
    pub members: u32,
    pub months: u32,
}

/// Spend-variance bands; defaults 5% / 10% / −20% (§E.4).
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub warn: Ratio,
    pub over: Ratio,
    pub underspend: Ratio,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            warn: Ratio(0.05),
            over: Ratio(0.10),
            underspend: Ratio(-0.20),
        }
    }
}

/// CPI bands; defaults 0.95 / 0.90 (§E.4).
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CpiThresholds {
    pub green: f64,
    pub amber: f64,
}

impl Default for CpiThresholds {
    fn default() -> Self {
        CpiThresholds {
            green: 0.95,
            amber: 0.90,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetCategory {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub share: Option<Ratio>,
    #[serde(default)]
    pub amount: Option<Money>,
    #[serde(default)]
    pub reserve: bool,
    #[serde(default)]
    pub acquisition_cost: bool,
    #[serde(default)]
    pub includes: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkPackage {
    pub id: String,
    pub name: String,
    pub category: String,
    pub planned_value: Money,
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::model::values::IsoDate")]
    pub planned_start: Date,
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::model::values::IsoDate")]
    pub planned_end: Date,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub supplier: Option<String>,
    #[serde(default)]
    pub forecast: Option<Money>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SpendCurve {
    WorkPackages,
    Linear,
    ByPhase,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvMethod {
    PercentComplete,
    FiftyFifty,
    ZeroHundred,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::model::values::IsoDate")]
    pub date: Date,
    pub reason: String,
    pub from: String,
    pub to: String,
    pub amount: Money,
    #[serde(default)]
    pub approved_by: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attribution {
    #[serde(default)]
    pub model: Option<AttributionModel>,
    #[serde(default)]
    pub window_days: Option<u32>,
    #[serde(default)]
    pub gross_margin: Option<Ratio>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttributionModel {
    LastTouch,
    FirstTouch,
    Linear,
}

/// `risks:` — scale, level bands and the register.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Risks {
    #[serde(default)]
    pub scale: Option<RiskScale>,
    #[serde(default)]
    pub levels: BTreeMap<String, [u32; 2]>,
    #[serde(default)]
    pub items: Vec<Risk>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskScale {
    pub probability: [u32; 2],
    pub impact: [u32; 2],
}

impl Default for RiskScale {
    fn default() -> Self {
        RiskScale {
            probability: [1, 5],
            impact: [1, 5],
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    pub id: String,
    pub category: RiskCategory,
    pub title: String,
    pub probability: u32,
    pub impact: u32,
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub level_reason: Option<String>,
    #[serde(default)]
    pub trigger: Option<Trigger>,
    pub response: String,
    #[serde(default)]
    pub contingency: Option<String>,
    #[serde(default)]
    pub playbook: Option<String>,
    pub owner: String,
    #[serde(default)]
    pub status: Option<RiskStatus>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RiskCategory {
    Market,
    Operations,
    Content,
    Data,
    Technical,
    Reputation,
    Compliance,
    Partner,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RiskStatus {
    Open,
    Triggered,
    Mitigated,
    Closed,
}

/// A condition on a metric or a data-quality check, e.g. `churn_rate_monthly > 12%`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    #[serde(default)]
    pub metric: Option<String>,
    #[serde(default)]
    pub check: Option<String>,
    pub op: CompareOp,
    pub value: Quantity,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum CompareOp {
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
}

impl CompareOp {
    /// Applies the comparison.
    pub fn holds(self, left: f64, right: f64) -> bool {
        match self {
            CompareOp::Gt => left > right,
            CompareOp::Ge => left >= right,
            CompareOp::Lt => left < right,
            CompareOp::Le => left <= right,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Compliance {
    #[serde(default)]
    pub personal_data: Option<PersonalData>,
    #[serde(default)]
    pub ip_policy: Option<String>,
    #[serde(default)]
    pub third_party_review: Option<String>,
    #[serde(default)]
    pub notes_md: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonalData {
    #[serde(default)]
    pub legal_basis: Option<String>,
    #[serde(default)]
    pub export_policy: Option<String>,
    #[serde(default)]
    pub retention_days: Option<u32>,
}

/// `playbooks[]` — playbooks this campaign used; `path` is relative to `content/`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaybookRef {
    pub id: String,
    pub title: String,
    pub path: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Review {
    #[serde(default)]
    pub cadence: Vec<ReviewCadence>,
    #[serde(default)]
    pub final_retro: Option<FinalRetro>,
    #[serde(default)]
    pub retro_md: Option<String>,
    #[serde(default)]
    pub action_items: Option<String>,
    #[serde(default)]
    pub previous_action_items: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewCadence {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub weekday: Option<Weekday>,
    #[serde(default)]
    pub after_each_phase: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FinalRetro {
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::model::values::IsoDate")]
    pub date: Date,
    #[serde(default)]
    pub facilitator: Option<String>,
    #[serde(default)]
    pub participants: Vec<String>,
}

/// One post-mortem action item (reference §F.2), from the YAML file `review.action_items` names.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionItem {
    pub id: String,
    pub action: String,
    #[serde(rename = "type")]
    pub kind: ActionType,
    pub owner: String,
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::model::values::IsoDate")]
    pub due: Date,
    pub priority: Priority,
    pub success_criterion: String,
    #[serde(default)]
    pub links: Vec<String>,
    pub status: ActionStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionType {
    Prevent,
    Mitigate,
    Process,
    Experiment,
    Investigate,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
pub enum Priority {
    P0,
    P1,
    P2,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    InProgress,
    Done,
    Dropped,
}

impl ActionStatus {
    /// Still to be done: carried over into the next post-mortem.
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress)
    }
}

/// `data:` — where the exports are and how to read them (§C).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataSources {
    /// Daily aggregates (one row per day, or per day and group).
    #[serde(default)]
    pub daily: Option<DataSource>,
    /// Message and membership event logs (one row per event), aggregated per day.
    #[serde(default)]
    pub events: Option<OneOrMany<DataSource>>,
    /// The spend ledger: one source or several (a finance export and ad-platform reports).
    #[serde(default)]
    pub ledger: Option<OneOrMany<DataSource>>,
    #[serde(default)]
    pub members: Option<DataSource>,
    #[serde(default)]
    pub activities: Option<DataSource>,
    #[serde(default)]
    pub progress: Option<DataSource>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataSource {
    pub path: String,
    #[serde(default)]
    pub encoding: Option<Encoding>,
    #[serde(default)]
    pub delimiter: Option<String>,
    #[serde(default)]
    pub date_format: Option<String>,
    #[serde(default)]
    pub percent_scale: Option<PercentScale>,
    #[serde(default)]
    pub profile: Option<String>,
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    #[serde(default)]
    pub group_column: Option<String>,
    #[serde(default)]
    pub missing: Option<MissingPolicy>,
    #[serde(default)]
    pub category_map: BTreeMap<String, String>,
    #[serde(default)]
    pub status_map: BTreeMap<String, String>,
    #[serde(default)]
    pub optional: bool,
    /// How timestamps with an explicit offset name their day; detected per file when absent.
    #[serde(default)]
    pub timestamps: Option<TimestampMode>,
    /// Event sources: the days the log is complete for (a day without events inside is 0).
    #[serde(default)]
    pub covers: Option<Period>,
    /// Spend sources: the budget category every row of this source belongs to (an ad
    /// platform's report for one category), instead of a category column.
    #[serde(default)]
    pub category: Option<String>,
    /// Workbooks: the sheet to read (default: the first).
    #[serde(default)]
    pub sheet: Option<String>,
    /// Spend sources: the date of every entry (`2026-02-28`), for a report that carries none
    /// (an "All time" download); it overrides a profile's own way of dating entries.
    #[serde(default, with = "iso_date_opt")]
    #[schemars(with = "Option<crate::model::values::IsoDate>")]
    pub entry_date: Option<Date>,
    /// Daily sources: what one row stands for, `daily`, `weekly`, `monthly` or `"days:N"`, when
    /// the spacing of the rows cannot tell (detected otherwise: the smallest gap between dates).
    #[serde(default)]
    pub granularity: Option<String>,
}

/// One item or a list of them (`data.events: {path: …}` or `data.events: [{…}, {…}]`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

/// By hand rather than `untagged`: a mapping is read as one item and a list as several, so a
/// typo inside an item is reported as that item's unknown key, not "did not match any variant".
impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Visit<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a source (a mapping) or a list of sources")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(OneOrMany::One)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<Self::Value, A::Error> {
                Vec::<T>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
                    .map(OneOrMany::Many)
            }
        }
        d.deserialize_any(Visit(std::marker::PhantomData))
    }
}

impl<T> OneOrMany<T> {
    /// The items, with the field path of each (`data.events` or `data.events[1]`).
    pub fn items(&self, field: &str) -> Vec<(String, &T)> {
        match self {
            OneOrMany::One(x) => vec![(field.to_string(), x)],
            OneOrMany::Many(xs) => xs
                .iter()
                .enumerate()
                .map(|(i, x)| (format!("{field}[{i}]"), x))
                .collect(),
        }
    }
}

impl DataSources {
    /// The gap policy (`data.daily.missing`), or the default when there is no daily export.
    pub fn missing_policy(&self) -> MissingPolicy {
        self.daily
            .as_ref()
            .and_then(|d| d.missing)
            .unwrap_or_default()
    }
}

/// How a timestamp with an explicit offset names its day (DESIGN §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimestampMode {
    /// Each value names the calendar day as written (`2020-09-03T00:00:00+00:00` is 09-03 in any
    /// timezone): platform exports that bucket by day.
    DayBuckets,
    /// Each value is a moment, converted to the plan's timezone before the day is taken.
    Instants,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Auto,
    #[serde(rename = "utf-8", alias = "utf8")]
    Utf8,
    #[serde(alias = "gbk")]
    Gb18030,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PercentScale {
    Auto,
    Fraction,
    Percent,
}

/// Gap handling (§D.1 G2/G3): forward fill limit and the coverage below which KPIs are partial.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MissingPolicy {
    #[serde(default = "default_ffill")]
    pub max_ffill_days: u32,
    #[serde(default = "default_coverage")]
    pub min_coverage: Ratio,
}

impl Default for MissingPolicy {
    fn default() -> Self {
        MissingPolicy {
            max_ffill_days: default_ffill(),
            min_coverage: default_coverage(),
        }
    }
}

fn default_ffill() -> u32 {
    3
}

fn default_coverage() -> Ratio {
    Ratio(0.9)
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub output_dir: Option<String>,
    #[serde(default)]
    pub charts: Vec<String>,
    #[serde(default)]
    pub include_generated_at: bool,
    /// The report date, pinned (a finished campaign's report stays as it was published);
    /// `--as-of` still wins. Default: the last day any of the campaign's sources reaches.
    #[serde(default, with = "iso_date_opt")]
    #[schemars(with = "Option<crate::model::values::IsoDate>")]
    pub as_of: Option<Date>,
}

/// The chart ids a plan's `report.charts` may name.
pub const CHART_IDS: &[&str] = &[
    "members_trend",
    "active_rate",
    "speakers_vs_target",
    "churn",
    "funnel",
    "revenue_roi",
    "budget_burnup",
    "category_variance",
    "evm",
    "budget_waterfall",
    "risk_heatmap",
];

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn week_ranges() {
        assert_eq!(parse_weeks("1-2"), Some((1, 2)));
        assert_eq!(parse_weeks("5-8"), Some((5, 8)));
        assert_eq!(parse_weeks("3-1"), None);
        assert_eq!(parse_weeks("0-1"), None);
        assert_eq!(parse_weeks("week 1"), None);
    }

    #[test]
    fn phase_weeks_count_from_the_campaign_start() {
        let campaign = Period {
            start: date(2025, 7, 7),
            end: date(2025, 8, 31),
        };
        let phase = Phase {
            id: "p3".into(),
            name: "转化优化".into(),
            weeks: Some("5-8".into()),
            start: None,
            end: None,
            objectives: vec![],
            key_actions: vec![],
            owner: "r".into(),
        };
        assert_eq!(
            phase.dates(campaign),
            Some(Period {
                start: date(2025, 8, 4),
                end: date(2025, 8, 31)
            })
        );
    }
}
