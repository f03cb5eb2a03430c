//! Computation: pure functions over validated inputs (no I/O, no clock). One call per campaign
//! gives its metrics, target statuses and budget as of a date (docs/rules.md#the-json-contract).

pub mod budget;
pub mod inputs;
pub mod kpi;
pub mod members;
pub mod people;
pub mod quality;
pub mod review;
pub mod risks;
pub mod series;
pub mod summary;
pub mod targets;
pub mod undefined;
pub mod window;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Value as Json, json};

use crate::model::catalog::{self, Unit};
use crate::model::site::{CampaignData, Site};
use crate::model::values::Date;
use budget::BudgetReport;
use targets::TargetResult;
use window::Window;

/// Everything computed for one campaign.
#[derive(Debug, Clone)]
pub struct CampaignKpis {
    /// Campaign id.
    pub campaign: String,
    /// The report date.
    pub as_of: Date,
    /// Metrics over [period.start, min(period.end, as_of)], by id.
    pub metrics: BTreeMap<String, kpi::Value>,
    /// Targets in plan order.
    pub targets: Vec<TargetResult>,
    /// Budget and EVM.
    pub budget: BudgetReport,
    /// Data-quality checks of docs/rules.md#data-quality-checks over the campaign window.
    pub quality: Vec<quality::Check>,
    /// The risk register with fired triggers.
    pub risks: Vec<risks::RiskResult>,
}

/// The report date when `--as-of` is not given: the plan's `report.as_of`, else the last day
/// any of the campaign's sources reaches — daily rows (a bucket's last day), events, ledger
/// entries (also after the period: prizes are paid after it ends) and progress rows. A
/// commitment is not a day the data reaches, so it never moves the date.
pub fn default_as_of(campaign: &CampaignData) -> Option<Date> {
    if let Some(pinned) = campaign.plan.report.as_ref().and_then(|r| r.as_of) {
        return Some(pinned);
    }
    let daily = campaign.daily.date_range().map(|(_, last)| last);
    let ledger = campaign
        .ledger
        .iter()
        .flatten()
        .filter(|e| e.status != crate::model::table::LedgerStatus::Committed)
        .map(|e| e.date)
        .max();
    let progress = campaign
        .progress
        .iter()
        .chain(&campaign.milestones)
        .map(|r| r.as_of)
        .max();
    [daily, ledger, progress].into_iter().flatten().max()
}

/// Every campaign's KPIs, in site order, as of `as_of` (default: each campaign's own last daily
/// date; `None` for a campaign without daily data). Computing is the costly part of a build and
/// campaigns are independent, so they are computed in parallel, once, and shared by the checks
/// and the pages.
pub fn site(site: &Site, as_of: Option<Date>) -> Vec<Option<CampaignKpis>> {
    use rayon::prelude::*;
    site.campaigns
        .par_iter()
        .map(|c| campaign_as_of(c, as_of))
        .collect()
}

/// A campaign's metrics as of `as_of`, or as of its last data day; `None` without data.
pub fn campaign_as_of(data: &CampaignData, as_of: Option<Date>) -> Option<CampaignKpis> {
    as_of
        .or_else(|| default_as_of(data))
        .map(|d| campaign(data, d))
}

/// Computes a campaign's metrics, targets and budget as of `as_of`.
pub fn campaign(data: &CampaignData, as_of: Date) -> CampaignKpis {
    let plan = &data.plan;
    let days = data.daily.by_day_through(Some(as_of));
    let period = plan.campaign.period;
    let end = period.end.min(as_of);
    let inputs = kpi::Inputs {
        plan,
        window: Window::new(&days, period.start, end),
        ledger: data.ledger.as_deref().unwrap_or_default(),
        has_ledger: data.ledger.is_some(),
        people: inputs::People::of(data, as_of),
    };
    let metrics = kpi::all(&inputs);
    let missing = plan.data.missing_policy();
    let targets = plan
        .targets
        .iter()
        .map(|t| targets::evaluate(t, plan, &inputs, as_of, missing))
        .collect();
    let budget = budget::compute(plan, data.ledger.as_deref(), &data.progress, as_of);
    let later = quality::Later::count(data, as_of);
    let quality = quality::checks(plan, &inputs.window, as_of, &later);
    let risks = risks::evaluate(plan, &inputs, as_of, &later);
    CampaignKpis {
        campaign: plan.campaign.id.clone(),
        as_of,
        metrics,
        targets,
        budget,
        quality,
        risks,
    }
}

/// True for metrics in money, which the JSON rounds to cents (golden README rule 9).
pub fn is_money(data: &CampaignData, metric: &str) -> bool {
    catalog::lookup(metric)
        .map(|m| m.unit == Unit::Money)
        .unwrap_or_else(|| {
            data.plan
                .custom_metrics
                .iter()
                .any(|m| m.id == metric && m.unit == crate::model::plan::MetricUnit::Money)
        })
}

fn cents(x: f64) -> f64 {
    (Decimal::from_f64_retain(x).unwrap_or_default().round_dp(2))
        .to_f64()
        .unwrap_or(x)
}

fn money(d: Decimal) -> Json {
    json!(d.round_dp(2).to_f64())
}

fn money_opt(d: Option<Decimal>) -> Json {
    d.map_or(Json::Null, money)
}

impl CampaignKpis {
    /// The JSON contract (docs/rules.md#the-json-contract): keys sorted, ratios unrounded, money to
    /// 2 decimals, undefined as null.
    pub fn to_json(&self, data: &CampaignData) -> Json {
        let num = |metric: &str, v: Option<f64>| -> Json {
            match v {
                Some(x) if is_money(data, metric) => json!(cents(x)),
                Some(x) => json!(x),
                None => Json::Null,
            }
        };
        let metrics: serde_json::Map<String, Json> = self
            .metrics
            .iter()
            .map(|(k, v)| (k.clone(), num(k, v.as_ref().ok().copied())))
            .collect();
        let targets: Vec<Json> = self
            .targets
            .iter()
            .map(|t| {
                json!({
                    "id": t.id,
                    "metric": t.metric,
                    "actual": num(&t.metric, t.actual),
                    "target": num(&t.metric, t.target),
                    "expected": num(&t.metric, t.expected),
                    "status": t.status,
                })
            })
            .collect();
        let categories: Vec<Json> = self
            .budget
            .categories
            .iter()
            .map(|c| {
                json!({
                    "id": c.id,
                    "planned": money(c.planned),
                    "current": money(c.current),
                    "ac": money_opt(c.ac),
                    "committed": money_opt(c.committed),
                    "pv": money_opt(c.pv),
                    "ev": money_opt(c.ev),
                    "overrun": money_opt(c.overrun),
                    "overrun_pct": c.overrun_pct,
                    "spend_variance_pct": c.spend_variance_pct,
                    "cpi": c.cpi,
                    "status": c.status,
                })
            })
            .collect();
        let t = &self.budget.total;
        let total = json!({
            "bac": money(t.bac),
            "bac_total": money(t.bac_total),
            "ac": money_opt(t.ac),
            "ac_total": money_opt(t.ac_total),
            "committed": money_opt(t.committed),
            "pv": money(t.pv),
            "ev": money_opt(t.ev),
            "cv": money_opt(t.cv),
            "sv": money_opt(t.sv),
            "cpi": t.cpi,
            "spi": t.spi,
            "eac_typical": money_opt(t.eac_typical),
            "eac_atypical": money_opt(t.eac_atypical),
            "eac_composite": money_opt(t.eac_composite),
            "etc": money_opt(t.etc),
            "vac": money_opt(t.vac),
            "tcpi_bac": t.tcpi_bac,
            "eac_total": money_opt(t.eac_total),
            "reserve_consumed": money_opt(t.reserve_consumed),
            "runway_days": t.runway_days,
            "exhaustion_date": t.exhaustion_date.map(|d| d.to_string()),
            "status": t.status,
        });
        json!({
            "campaign": self.campaign,
            "as_of": self.as_of.to_string(),
            "metrics": metrics,
            "targets": targets,
            "budget": {"categories": categories, "total": total},
        })
    }
}
