//! The campaign report's context (`campaign.html`), and the rows it shares with the post-mortem
//! and the portfolio: targets per status, budget categories, data-quality checks, metrics.

use serde::Serialize;
use serde_json::Value;

use super::charts::Chart;
use super::markdown::relative_url;
use super::{
    CampaignCharts, PlaybookIndex, anchor, category_name, format, level_word, metric_name,
    role_title, status_icon, status_key, target_name, trigger_words, ui_str, verdict,
};
use crate::compute::CampaignKpis;
use crate::model::site::CampaignData;

/// A data-quality check: its name, the measured value and whether it is flagged.
#[derive(Debug, Serialize)]
pub(crate) struct QualityRow {
    id: String,
    flagged: bool,
    name: String,
    value: String,
    /// The check's own sentence, on English pages only.
    detail: Option<String>,
}

/// The data-quality checks in the page's language: a name, the measured value, a ✓ or ⚠, and
/// the check's own sentence on English pages (the Chinese page shows name and value).
pub(crate) fn quality_rows(k: &CampaignKpis, ui: &Value) -> Vec<QualityRow> {
    let zh = ui_str(ui, "lang") == "zh";
    k.quality
        .iter()
        .map(|q| QualityRow {
            id: q.id.to_string(),
            flagged: q.flagged,
            name: ui_str(ui, &format!("check_{}", q.id)).to_string(),
            value: if q.id == "coverage_low" {
                format::pct(Some(q.value))
            } else {
                crate::model::values::fmt_num(q.value)
            },
            detail: (!zh).then(|| q.detail.clone()),
        })
        .collect()
}

/// A budget category's row of the budget table (docs/rules.md#budget).
#[derive(Debug, Serialize)]
pub(crate) struct CategoryRow {
    id: String,
    name: String,
    planned: String,
    current: String,
    ac: String,
    committed: String,
    pv: String,
    ev: String,
    cpi: String,
    status: &'static str,
    status_label: String,
    /// Why the actual cost is unknown, when it is.
    reason: Option<String>,
}

/// The budget table's rows (docs/rules.md#budget), shared by the report and the post-mortem.
pub(crate) fn category_rows(c: &CampaignData, k: &CampaignKpis, ui: &Value) -> Vec<CategoryRow> {
    let currency = &c.plan.campaign.currency;
    let money = |d| format::money_in(d, currency);
    let money_opt = |d: Option<rust_decimal::Decimal>| d.map_or_else(|| "—".to_string(), money);
    k.budget
        .categories
        .iter()
        .map(|b| CategoryRow {
            id: b.id.clone(),
            name: category_name(c, &b.id),
            planned: money(b.planned),
            current: money(b.current),
            ac: money_opt(b.ac),
            committed: money_opt(b.committed),
            pv: money_opt(b.pv),
            ev: money_opt(b.ev),
            cpi: b.cpi.map_or("—".into(), |x| format!("{x:.3}")),
            status: format::budget_key(b.status),
            status_label: ui_str(ui, format::budget_key(b.status)).to_string(),
            reason: b
                .unknown
                .as_ref()
                .map(|r| format::reason(r, ui))
                .or_else(|| format::slow_spend(b, ui).map(|w| format::escape(&w))),
        })
        .collect()
}

/// Where metric `id` goes in the report's list: by the catalog's order, then a family's
/// members in their plan's order (funnel stages, activities, tiers) or by their days (7 before
/// 30), then by id.
fn metric_order(c: &CampaignData, id: &str) -> (usize, usize, String) {
    let plan = &c.plan;
    let within = id.split_once('.').map_or(0, |(family, suffix)| {
        let place = |found: Option<usize>| found.map_or(usize::MAX, |i| i + 1);
        match family {
            "funnel_step_rate" => place(
                plan.funnel
                    .as_ref()
                    .and_then(|f| f.stages.iter().position(|s| s.id == suffix)),
            ),
            "event_attendance_rate" => place(plan.activities.iter().position(|a| a.id == suffix)),
            "tier_share" | "tier_conversion" => {
                place(plan.community.tiers.iter().position(|t| t.id == suffix))
            }
            _ => suffix.parse::<usize>().unwrap_or(usize::MAX),
        }
    });
    (crate::model::catalog::position(id), within, id.to_string())
}

/// What a figure's bare value leaves out: the range of a score that has no unit (`净情感值
/// 0.6` out of −1 to 1), the gross margin a profit ROI assumes.
fn scale_note(c: &CampaignData, id: &str, ui: &Value) -> Option<String> {
    match id {
        "net_sentiment" => Some(ui_str(ui, "scale_net_sentiment").to_string()),
        "nps" => Some(ui_str(ui, "scale_nps").to_string()),
        "roi" | "payback_day" => {
            let margin = c.plan.attribution.as_ref()?.gross_margin?;
            Some(ui_str(ui, "at_gross_margin").replace("{0}", &format::pct(Some(margin.0))))
        }
        _ => None,
    }
}

/// A computed metric: its name, value in its unit, and why it is not computable when it is not.
#[derive(Debug, Serialize)]
pub(crate) struct MetricRow {
    pub name: String,
    pub anchor: String,
    pub value: String,
    /// Why it is not computable, or what its bare value leaves out (a score's range).
    pub reason: Option<String>,
    /// Whether it has a value: the report lists those first and folds the rest away.
    pub known: bool,
}

impl MetricRow {
    /// The row of metric `id` with its computed value or reason.
    pub(crate) fn new(
        c: &CampaignData,
        id: &str,
        v: &crate::compute::kpi::Value,
        ui: &Value,
    ) -> Self {
        MetricRow {
            name: metric_name(c, id, ui),
            anchor: anchor(id),
            value: format::metric_value(c, id, v.as_ref().ok().copied()),
            reason: match v {
                Err(r) => Some(format::reason(r, ui)),
                Ok(_) => scale_note(c, id, ui).map(|n| format::escape(&n)),
            },
            known: v.is_ok(),
        }
    }
}

/// Everything `campaign.html` shows.
#[derive(Debug, Serialize)]
pub(crate) struct Report<'a> {
    c: Header,
    as_of: String,
    targets: Vec<TargetRow>,
    metrics: Vec<MetricRow>,
    /// Over which days the metrics are computed (the campaign so far), said above them: a
    /// target's own window may differ, and so may its figure.
    metrics_note: String,
    budget: Budget,
    verdict: verdict::Verdict,
    phases: Vec<Phase>,
    risks: Vec<RiskRow>,
    quality: Vec<QualityRow>,
    playbooks: Vec<PlaybookLink>,
    charts: Vec<&'a Chart>,
    /// Tiers, cohorts and activity turnout, from member-level files.
    people: super::people::People,
}

/// The campaign's name, dates and owner.
#[derive(Debug, Serialize)]
struct Header {
    name: String,
    start: String,
    end: String,
    owner: String,
    owner_id: String,
    has_retro: bool,
}

/// A target with its figures in the metric's unit.
#[derive(Debug, Serialize)]
struct TargetRow {
    id: String,
    metric_name: String,
    metric_anchor: String,
    actual: String,
    target: String,
    expected: String,
    status: &'static str,
    icon: &'static str,
    status_label: String,
    reason: Option<String>,
}

/// The budget summary above the category table.
#[derive(Debug, Serialize)]
struct Budget {
    categories: Vec<CategoryRow>,
    bac: String,
    bac_total: String,
    ac_total: String,
    eac_total: String,
    status: &'static str,
    status_label: String,
}

/// A phase with its dates.
#[derive(Debug, Serialize)]
struct Phase {
    name: String,
    start: String,
    end: String,
}

/// A risk with its score, level and trigger in words.
#[derive(Debug, Serialize)]
struct RiskRow {
    id: String,
    title: String,
    /// `2×4 = 8`: probability × impact, and the score they give.
    score: String,
    level: String,
    /// Why the plan sets another level than probability × impact gives.
    level_reason: Option<String>,
    fired: bool,
    first_fired: Option<String>,
    trigger: String,
}

/// A playbook the plan refers to, linked when the site has it.
#[derive(Debug, Serialize)]
struct PlaybookLink {
    title: String,
    href: Option<String>,
}

/// The report of campaign `c` at `path`, with the charts already drawn.
pub(crate) fn report<'a>(
    c: &CampaignData,
    k: &CampaignKpis,
    previous: Option<(&CampaignData, &CampaignKpis)>,
    charts: &'a CampaignCharts,
    playbooks: &PlaybookIndex,
    ui: &Value,
    path: &str,
) -> Report<'a> {
    let fmt = |metric: &str, v: Option<f64>| format::metric_value(c, metric, v);
    let targets = k
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| TargetRow {
            id: t.id.clone(),
            metric_name: target_name(c, i, ui),
            metric_anchor: anchor(&t.metric),
            actual: fmt(&t.metric, t.actual),
            target: fmt(&t.metric, t.target),
            expected: fmt(&t.metric, t.expected),
            status: status_key(t.status),
            icon: status_icon(t.status),
            status_label: ui_str(ui, status_key(t.status)).to_string(),
            reason: t.reason.as_ref().map(|r| format::reason(r, ui)),
        })
        .collect();
    let currency = &c.plan.campaign.currency;
    let t = &k.budget.total;
    let campaign = &c.plan.campaign;
    Report {
        c: Header {
            name: campaign.name.clone(),
            start: campaign.period.start.to_string(),
            end: campaign.period.end.to_string(),
            owner: role_title(c, &campaign.owner),
            owner_id: campaign.owner.clone(),
            has_retro: c.retro.is_some(),
        },
        as_of: k.as_of.to_string(),
        targets,
        metrics_note: {
            let period = c.plan.campaign.period;
            ui_str(ui, "metrics_period_note")
                .replace("{0}", &period.start.to_string())
                .replace("{1}", &period.end.min(k.as_of).to_string())
        },
        metrics: {
            // In the catalog's order (growth, activity, …, cost), related figures together;
            // ids break ties, so suffixed ones (`tier_share.*`) keep their order.
            let mut ids: Vec<(&String, _)> = k.metrics.iter().collect();
            ids.sort_by_cached_key(|(id, _)| metric_order(c, id));
            ids.into_iter()
                .map(|(id, v)| MetricRow::new(c, id, v, ui))
                .collect()
        },
        budget: Budget {
            categories: category_rows(c, k, ui),
            bac: format::money_in(t.bac, currency),
            bac_total: format::money_in(t.bac_total, currency),
            ac_total: format::spend_in(t.ac_total, currency, ui),
            eac_total: t
                .eac_total
                .map_or_else(|| "—".to_string(), |e| format::money_in(e, currency)),
            status: format::budget_key(t.status),
            status_label: ui_str(ui, format::budget_key(t.status)).to_string(),
        },
        verdict: verdict::verdict(c, k, previous, &charts.sparks, ui),
        phases: c
            .plan
            .phases
            .items
            .iter()
            .filter_map(|p| {
                p.dates(campaign.period).map(|d| Phase {
                    name: p.name.clone(),
                    start: d.start.to_string(),
                    end: d.end.to_string(),
                })
            })
            .collect(),
        risks: k
            .risks
            .iter()
            .zip(c.plan.risks.iter().flat_map(|r| r.items.iter()))
            .map(|(r, item)| RiskRow {
                id: r.id.clone(),
                title: item.title.clone(),
                score: format!("{}×{} = {}", item.probability, item.impact, r.score),
                level: level_word(r.level.as_deref(), ui),
                level_reason: item.level_reason.clone(),
                fired: r.fired,
                first_fired: r.first_fired.clone(),
                trigger: trigger_words(c, item, r.value, ui).0,
            })
            .collect(),
        quality: quality_rows(k, ui),
        playbooks: c
            .plan
            .playbooks
            .iter()
            .map(|r| PlaybookLink {
                title: r.title.clone(),
                href: playbooks
                    .find(r)
                    .map(|p| relative_url(path, &format!("playbooks/{}/index.html", p.id))),
            })
            .collect(),
        charts: charts.results.iter().chain(&charts.budget).collect(),
        people: super::people::people(c, k, ui),
    }
}
