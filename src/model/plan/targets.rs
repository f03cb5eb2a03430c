//! `goals:`, `targets:` and `custom_metrics:`: what the campaign promises, in numbers.

use super::*;

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

/// `targets[]` — a KPI target with window, trajectory and tolerance (docs/rules.md#target-status).
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

impl Direction {
    /// Whether `a` is strictly on the good side of `b`: above it when higher is better, below
    /// it when lower is.
    pub fn better(self, a: f64, b: f64) -> bool {
        match self {
            Direction::HigherIsBetter => a > b,
            Direction::LowerIsBetter => a < b,
        }
    }
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
