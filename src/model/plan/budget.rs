//! `budget:` and `attribution:`: the money planned, its thresholds and revisions.

use super::*;

/// `budget:` — categories, work packages, curve, EV method, thresholds and revisions
/// (docs/rules.md#budget).
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

/// Spend-variance bands; defaults 5% / 10% / −20% (docs/rules.md#thresholds-and-status).
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

/// CPI bands; defaults 0.95 / 0.90 (docs/rules.md#thresholds-and-status).
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
