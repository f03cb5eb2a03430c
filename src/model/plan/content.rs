//! `content:`, `activities:`, `funnel:`, `incentives:`, `channels:`, `tools:`, `materials:` and
//! `suppliers:`: what the team does to reach the targets.

use super::*;

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
