//! `risks:` and `compliance:`: the register with its triggers, and personal-data rules.

use super::*;

/// `risks:` — scale, level bands and the register.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Risks {
    #[serde(default)]
    pub scale: Option<RiskScale>,
    /// Level bands over probability × impact; none on the usual 5 × 5 scale means low 1–4,
    /// medium 5–9, high 10–16, critical 17–25.
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

impl Risks {
    /// The bands that map `probability × impact` to a level: the plan's `levels`, or — when it
    /// gives none on the usual 5 × 5 scale — the usual ones (low 1–4, medium 5–9, high 10–16,
    /// critical 17–25), so a score never stands without its level. Another scale without
    /// bands has none: there is no usual split of it.
    pub fn level_bands(&self) -> BTreeMap<String, [u32; 2]> {
        let usual_scale = self
            .scale
            .is_none_or(|s| s.probability == [1, 5] && s.impact == [1, 5]);
        if !self.levels.is_empty() || !usual_scale {
            return self.levels.clone();
        }
        [
            ("low", [1, 4]),
            ("medium", [5, 9]),
            ("high", [10, 16]),
            ("critical", [17, 25]),
        ]
        .into_iter()
        .map(|(level, band)| (level.to_string(), band))
        .collect()
    }
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
