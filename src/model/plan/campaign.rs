//! `campaign:`, `background:`, `benchmarks:`, `audience:` and `phases:`: what the campaign is,
//! when, for whom, and its stages.

use super::*;

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
