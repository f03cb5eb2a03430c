//! The campaign plan, docs/reference.md#planyaml, as typed Rust.
//!
//! The structs mirror `plan.yaml` one to one: every section of docs/reference.md#planyaml is here,
//! every struct denies unknown keys (the YAML loader strips `x_*` extension keys first), and value
//! types come from [`super::values`]. Cross-field rules (sums, references, dates) are checked by
//! `validate`, which can locate every problem in the file; serde only checks shapes.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::values::{Date, Money, Quantity, Ratio, iso_date, iso_date_opt};

mod budget;
mod campaign;
mod community;
mod content;
mod data;
mod review;
mod risks;
mod targets;
pub use budget::*;
pub use campaign::*;
pub use community::*;
pub use content::*;
pub use data::*;
pub use review::*;
pub use risks::*;
pub use targets::*;

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

/// The top-level sections of a plan: every key `plan.yaml` may have, and those it must have.
#[derive(Debug)]
pub struct TopLevelKeys {
    /// Every top-level key, sorted (for key checks and "did you mean" hints).
    pub known: Vec<String>,
    /// The keys that must be present, in the order `Plan` declares them.
    pub required: Vec<String>,
}

/// The top-level keys, read once from the JSON schema `Plan` derives: a new section of the
/// struct needs no second list here, and a section made optional stops being required.
pub fn top_level_keys() -> &'static TopLevelKeys {
    static KEYS: LazyLock<TopLevelKeys> = LazyLock::new(|| {
        let schema = schemars::schema_for!(Plan);
        let names = |key: &str| -> Vec<String> {
            match schema.get(key) {
                Some(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
                Some(serde_json::Value::Array(list)) => list
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
                _ => Vec::new(),
            }
        };
        let mut known = names("properties");
        known.sort();
        TopLevelKeys {
            known,
            required: names("required"),
        }
    });
    &KEYS
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
    fn the_top_level_keys_are_the_plan_structs_fields() {
        let keys = top_level_keys();
        assert_eq!(keys.known.len(), 29);
        for key in ["schema_version", "campaign", "promotion_rhythm", "report"] {
            assert!(keys.known.iter().any(|k| k == key), "{key}");
        }
        assert!(keys.known.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            keys.required,
            [
                "schema_version",
                "campaign",
                "community",
                "team",
                "goals",
                "targets",
                "phases",
                "budget",
                "data"
            ]
        );
    }

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
