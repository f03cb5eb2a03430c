//! Site-wide pages: the KPI glossary and the budget and risk roll-ups across campaigns.

use std::collections::BTreeMap;

use serde_json::Value;

use super::format::{self, pct};
use super::plan_page::{Cell, Row, Section};
use super::{anchor, metric_name, ui_str};
use crate::compute::CampaignKpis;
use crate::model::catalog;
use crate::model::site::CampaignData;

/// The catalog's aggregation words in Chinese (the English text is the catalog's own).
pub(crate) fn aggregation_zh(english: &str) -> &str {
    match english {
        "last" => "取期末值",
        "last − start" => "期末减期初",
        "first crossing" => "首次达到的日期",
        "ratio" => "比值",
        "ratio of sums" => "合计之比",
        "ratio of sums (option: mean_of_daily)" => "合计之比（可选：每日比率的均值）",
        "ratio of uniques" => "去重人数之比",
        "sum" => "求和",
        "count per period" => "期内计数",
        "sum per bucket" => "按周期求和",
        "over responses in W" => "窗口内答卷",
        "point-in-time" => "时点值",
        "mean of days present" => "有数据日的均值",
        "mean" => "均值",
        "sum ÷ stock at start" => "合计 ÷ 期初存量",
        "uniques ÷ point-in-time" => "去重人数 ÷ 时点值",
        "union ÷ point-in-time" => "并集人数 ÷ 时点值",
        "per event" => "按场次",
        "unique count" => "去重计数",
        "per complete week" => "按完整周",
        "question-weighted mean of daily medians (approximate)" => {
            "按问题数加权的每日中位数均值（近似）"
        }
        "normalised to 30 days" => "折算为 30 天",
        "Σretained / Σcohort" => "留存合计 ÷ 队列合计",
        "Σretained / Σcohort (later joiners censored)" => "留存合计 ÷ 队列合计（未满期的不计入）",
        other => other,
    }
}

pub(crate) fn glossary(
    computed: &[(&CampaignData, Option<&CampaignKpis>)],
    ui: &Value,
) -> Vec<Section> {
    let zh = ui_str(ui, "lang") == "zh";
    let groups = [
        (catalog::Group::Growth, "growth"),
        (catalog::Group::Engagement, "engagement"),
        (catalog::Group::Commercial, "commercial"),
        (catalog::Group::Chaoss, "chaoss"),
    ];
    groups
        .iter()
        .map(|(g, key)| {
            let rows = catalog::CATALOG
                .iter()
                .filter(|m| m.group == *g)
                .map(|m| {
                    let used: Vec<String> = computed
                        .iter()
                        .filter(|(c, _)| c.plan.targets.iter().any(|t| t.metric == m.id))
                        .map(|(c, _)| c.plan.campaign.name.clone())
                        .collect();
                    Row::with_id(
                        anchor(m.id),
                        vec![
                            Cell::text(if zh { m.zh } else { m.en }),
                            if zh {
                                Cell::lang(m.en, "en")
                            } else {
                                Cell::lang(m.zh, "zh-CN")
                            },
                            Cell::code(m.id),
                            Cell::code(m.formula),
                            Cell::text(if zh {
                                aggregation_zh(m.aggregation)
                            } else {
                                m.aggregation
                            }),
                            Cell::text(ui_str(
                                ui,
                                &format!("unit_{}", format!("{:?}", m.unit).to_lowercase()),
                            )),
                            Cell::text(
                                if m.direction == crate::model::plan::Direction::HigherIsBetter {
                                    "↑"
                                } else {
                                    "↓"
                                },
                            ),
                            Cell::text(used.join(", ")),
                        ],
                    )
                })
                .collect();
            Section::table(
                key,
                ui_str(ui, key),
                vec![
                    ui_str(ui, "name"),
                    ui_str(ui, "other_name"),
                    ui_str(ui, "id_column"),
                    ui_str(ui, "formula"),
                    ui_str(ui, "aggregation"),
                    ui_str(ui, "unit"),
                    ui_str(ui, "direction"),
                    ui_str(ui, "targeted_by"),
                ],
                rows,
            )
        })
        .chain(std::iter::once({
            // Family members and custom metrics targeted or computed by the campaigns.
            let mut extra: BTreeMap<String, String> = BTreeMap::new();
            for (c, k) in computed {
                if let Some(k) = k {
                    for id in k.metrics.keys().filter(|id| catalog::lookup(id).is_none()) {
                        extra.insert(id.clone(), metric_name(c, id, ui));
                    }
                }
            }
            let rows = extra
                .into_iter()
                .map(|(id, name)| {
                    Row::with_id(
                        anchor(&id),
                        vec![
                            Cell::text(name),
                            Cell::text(""),
                            Cell::code(id),
                            Cell::text(""),
                            Cell::text(""),
                            Cell::text(""),
                            Cell::text(""),
                            Cell::text(""),
                        ],
                    )
                })
                .collect();
            Section::table(
                "other",
                ui_str(ui, "other_metrics"),
                vec![
                    ui_str(ui, "name"),
                    "",
                    ui_str(ui, "id_column"),
                    "",
                    "",
                    "",
                    "",
                    "",
                ],
                rows,
            )
        }))
        .chain(std::iter::once(budget_terms(ui)))
        .collect()
}

/// The budget's words as the pages use them, with the `qunce kpis` field each one is: above all
/// the one forecast every page shows, `eac_total`.
fn budget_terms(ui: &Value) -> Section {
    let zh = ui_str(ui, "lang") == "zh";
    let terms: [(&str, &str, &str, &str); 6] = [
        (
            "forecast_total",
            "Forecast total",
            "budget.total.eac_total",
            "max(BAC / CPI, AC + committed) + reserve AC",
        ),
        (
            "ev_ac",
            "Actual cost (AC)",
            "budget.total.ac",
            "Σ accrued + paid, dated ≤ as_of",
        ),
        (
            "ev_pv",
            "Planned value (PV)",
            "budget.total.pv",
            "Σ planned spend to as_of",
        ),
        (
            "ev_ev",
            "Earned value (EV)",
            "budget.total.ev",
            "Σ planned_value × percent_complete",
        ),
        (
            "ev_cpi",
            "Cost performance index (CPI)",
            "budget.total.cpi",
            "EV / AC",
        ),
        (
            "ev_bac",
            "Budget at completion (BAC)",
            "budget.total.bac",
            "Σ original non-reserve budgets",
        ),
    ];
    let rows: Vec<Row> = terms
        .iter()
        .map(|(key, en, field, formula)| {
            let local = ui_str(ui, key);
            Row::with_id(
                anchor(field),
                vec![
                    Cell::text(local),
                    if zh {
                        Cell::lang(*en, "en")
                    } else {
                        Cell::text("")
                    },
                    Cell::code(*field),
                    Cell::code(*formula),
                    Cell::text(""),
                    Cell::text(ui_str(ui, "unit_money")),
                    Cell::text(""),
                    Cell::text(""),
                ],
            )
        })
        .collect();
    Section::table(
        "budget-terms",
        ui_str(ui, "budget_terms"),
        vec![
            ui_str(ui, "name"),
            ui_str(ui, "other_name"),
            ui_str(ui, "id_column"),
            ui_str(ui, "formula"),
            "",
            ui_str(ui, "unit"),
            "",
            "",
        ],
        rows,
    )
}

/// A currency's campaigns summed: how many, their total budget, and their spending (`None`
/// once one of them has no cost data: unknown, never a smaller sum).
struct CurrencyTotal {
    campaigns: usize,
    budget: rust_decimal::Decimal,
    spent: Option<rust_decimal::Decimal>,
}

/// The campaigns with figures summed per currency (upper-cased code), never across currencies.
fn totals_by_currency(
    computed: &[(&CampaignData, Option<&CampaignKpis>)],
) -> BTreeMap<String, CurrencyTotal> {
    let mut by_currency: BTreeMap<String, CurrencyTotal> = BTreeMap::new();
    for (c, k) in computed
        .iter()
        .filter_map(|(c, k)| k.as_ref().map(|k| (c, k)))
    {
        let t = &k.budget.total;
        let entry = by_currency
            .entry(c.plan.campaign.currency.to_uppercase())
            .or_insert(CurrencyTotal {
                campaigns: 0,
                budget: rust_decimal::Decimal::ZERO,
                spent: Some(rust_decimal::Decimal::ZERO),
            });
        entry.campaigns += 1;
        entry.budget += t.bac_total;
        entry.spent = entry.spent.zip(t.ac_total).map(|(a, b)| a + b);
    }
    by_currency
}

/// The budget roll-up: one table per campaign (its categories and a total row, money in the
/// campaign's currency), then totals per currency — never summed across currencies.
pub(crate) fn budget_rollup(
    computed: &[(&CampaignData, Option<&CampaignKpis>)],
    ui: &Value,
) -> Vec<Section> {
    let mut sections = Vec::new();
    for (c, k) in computed
        .iter()
        .filter_map(|(c, k)| k.as_ref().map(|k| (c, k)))
    {
        let id = &c.plan.campaign.id;
        let currency = &c.plan.campaign.currency;
        let money = |d: rust_decimal::Decimal| format::money_in(d, currency);
        let spent = |d: Option<rust_decimal::Decimal>| format::spend_in(d, currency, ui);
        let mut rows: Vec<Row> = k
            .budget
            .categories
            .iter()
            .map(|b| Row {
                // `.` separates campaign and category: neither id may contain one, so
                // `a-b`+`c` and `a`+`b-c` never share an anchor.
                id: Some(format!("cat-{id}.{}", b.id)),
                cells: vec![
                    Cell::link(
                        super::category_name(c, &b.id),
                        format!("../campaigns/{id}/index.html#budget-{}", b.id),
                    ),
                    Cell::text(money(b.planned)),
                    Cell::text(money(b.current)),
                    Cell::text(spent(b.ac)),
                    // The one forecast is the campaign's (`eac_total`): categories have none.
                    Cell::text("—"),
                    Cell::text(against_budget(b.overrun_pct, ui)),
                    Cell::text(status_words(b, ui)),
                ],
            })
            .collect();
        let t = &k.budget.total;
        rows.push(Row {
            id: None,
            cells: vec![
                Cell::text(ui_str(ui, "total")),
                Cell::text(money(t.bac_total)),
                Cell::text("—"),
                Cell::text(spent(t.ac_total)),
                Cell::text(t.eac_total.map_or_else(|| "—".to_string(), money)),
                Cell::text("—"),
                Cell::text(ui_str(ui, format::budget_key(t.status))),
            ],
        });
        sections.push(Section::table(
            &format!("budget-{id}"),
            &c.plan.campaign.name,
            vec![
                ui_str(ui, "category"),
                ui_str(ui, "planned"),
                ui_str(ui, "current"),
                ui_str(ui, "spent"),
                ui_str(ui, "forecast_total"),
                ui_str(ui, "overrun"),
                ui_str(ui, "status"),
            ],
            rows,
        ));
    }
    let totals: Vec<Row> = totals_by_currency(computed)
        .iter()
        .map(|(currency, sum)| Row {
            id: None,
            cells: vec![
                Cell::text(currency.clone()),
                Cell::text(format::money_in(sum.budget, currency)),
                Cell::text(format::spend_in(sum.spent, currency, ui)),
            ],
        })
        .collect();
    sections.push(Section::table(
        "totals",
        ui_str(ui, "totals_by_currency"),
        vec![
            ui_str(ui, "currency"),
            ui_str(ui, "total_budget"),
            ui_str(ui, "spent"),
        ],
        totals,
    ));
    sections
}

/// The budget page's answer in one line, per currency: how many campaigns, their budget and
/// spending with the share used, and which campaigns have a category over budget (and which
/// categories), or that none has.
pub(crate) fn budget_headline(
    computed: &[(&CampaignData, Option<&CampaignKpis>)],
    ui: &Value,
) -> Option<String> {
    use crate::compute::budget::BudgetStatus;
    let by_currency = totals_by_currency(computed);
    let mut over = Vec::new();
    for (c, k) in computed
        .iter()
        .filter_map(|(c, k)| k.as_ref().map(|k| (c, k)))
    {
        let categories: Vec<String> = k
            .budget
            .categories
            .iter()
            .filter(|b| b.status == BudgetStatus::Over)
            .map(|b| super::category_name(c, &b.id))
            .collect();
        if !categories.is_empty() {
            over.push(format!(
                "{}{}{}{}",
                c.plan.campaign.name,
                ui_str(ui, "paren_open"),
                categories.join(ui_str(ui, "list_sep")),
                ui_str(ui, "paren_close")
            ));
        }
    }
    if by_currency.is_empty() {
        return None;
    }
    let sep = " · ";
    let mut parts: Vec<String> = by_currency
        .iter()
        .map(|(currency, sum)| {
            let spent = match sum.spent {
                Some(s) => {
                    let used = super::format::ratio_pct(s, sum.budget);
                    format!(
                        "{} {}{}",
                        ui_str(ui, "spent"),
                        format::money_short(s, currency),
                        used.map_or(String::new(), |u| format!(
                            "{}{u}{}",
                            ui_str(ui, "paren_open"),
                            ui_str(ui, "paren_close")
                        ))
                    )
                }
                None => format!("{} {}", ui_str(ui, "spent"), ui_str(ui, "no_data")),
            };
            format!(
                "{}{sep}{} {}{sep}{spent}",
                ui_str(ui, "campaign_count").replace("{0}", &sum.campaigns.to_string()),
                ui_str(ui, "total_budget"),
                format::money_short(sum.budget, currency),
            )
        })
        .collect();
    parts.push(if over.is_empty() {
        ui_str(ui, "none_over").to_string()
    } else {
        format!(
            "{}{}{}",
            ui_str(ui, "over_in"),
            ui_str(ui, "colon"),
            over.join(ui_str(ui, "list_sep"))
        )
    });
    Some(parts.join(sep))
}

pub(crate) fn risk_rollup(
    computed: &[(&CampaignData, Option<&CampaignKpis>)],
    ui: &Value,
) -> Vec<Section> {
    // Heat map: impact rows (5 → 1) × probability columns (1 → 5), counts of risks.
    let mut grid = [[0usize; 5]; 5];
    let mut rows = Vec::new();
    for (c, k) in computed {
        for item in c.plan.risks.iter().flat_map(|r| r.items.iter()) {
            let (p, i) = (
                item.probability.clamp(1, 5) as usize,
                item.impact.clamp(1, 5) as usize,
            );
            grid[5 - i][p - 1] += 1;
            let fired = k
                .as_ref()
                .and_then(|k| k.risks.iter().find(|r| r.id == item.id))
                .is_some_and(|r| r.fired);
            let id = &c.plan.campaign.id;
            rows.push(Row::with_id(
                format!("risk-{id}.{}", item.id),
                vec![
                    Cell::link(
                        &c.plan.campaign.name,
                        format!("../campaigns/{id}/index.html"),
                    ),
                    Cell::link(
                        &item.title,
                        format!("../campaigns/{id}/index.html#risk-{}", item.id),
                    ),
                    Cell::text(format!(
                        "{}×{} = {}",
                        item.probability,
                        item.impact,
                        item.probability * item.impact
                    )),
                    Cell::text(if fired { "⚠" } else { "" }),
                    Cell::text(&item.response),
                ],
            ));
        }
    }
    // Each cell as the map draws it: its score (probability × impact) and how many risks sit there.
    let heat = grid
        .iter()
        .enumerate()
        .map(|(r, counts)| {
            let impact = 5 - r;
            let mut cells = vec![Cell::text(format!("{} {impact}", ui_str(ui, "impact")))];
            cells.extend(counts.iter().enumerate().map(|(p, n)| {
                Cell::text(if *n == 0 {
                    "·".to_string()
                } else {
                    format!(
                        "{} {}{}{n} {}{}",
                        ui_str(ui, "score"),
                        (p + 1) * impact,
                        ui_str(ui, "paren_open"),
                        ui_str(ui, "risks_count"),
                        ui_str(ui, "paren_close")
                    )
                })
            }));
            Row::of(cells)
        })
        .collect();
    let probability = ui_str(ui, "probability");
    let columns: Vec<String> = (1..=5).map(|p| format!("{probability} {p}")).collect();
    let mut header = vec![""];
    header.extend(columns.iter().map(String::as_str));
    vec![
        Section::table("heatmap", ui_str(ui, "heatmap"), header, heat),
        Section::table(
            "register",
            ui_str(ui, "register"),
            vec![
                ui_str(ui, "campaign"),
                ui_str(ui, "risk"),
                ui_str(ui, "score_formula"),
                ui_str(ui, "fired"),
                ui_str(ui, "response"),
            ],
            rows,
        ),
    ]
}

#[cfg(test)]
mod aggregation_words {
    #[test]
    fn every_catalog_aggregation_has_chinese_words() {
        for m in crate::model::catalog::CATALOG {
            assert_ne!(
                super::aggregation_zh(m.aggregation),
                m.aggregation,
                "{}",
                m.id
            );
        }
    }
}

/// A category's status, with why when it is slow: spending behind the plan to date is what
/// makes it so, not the budget left (two categories 60 % under budget can differ).
fn status_words(b: &crate::compute::budget::CategoryBudget, ui: &Value) -> String {
    let label = ui_str(ui, format::budget_key(b.status));
    match format::slow_spend(b, ui) {
        Some(why) => format!(
            "{label}{}{why}{}",
            ui_str(ui, "paren_open"),
            ui_str(ui, "paren_close")
        ),
        None => label.to_string(),
    }
}

/// A category's actual cost against its budget in words: `超出 12.0%` or `低于预算 85.0%`, never
/// a bare negative overrun a reader takes for a loss.
fn against_budget(overrun_pct: Option<f64>, ui: &Value) -> String {
    match overrun_pct {
        None => "—".to_string(),
        Some(x) if x > 0.0 => ui_str(ui, "over_by_pct").replace("{0}", &pct(Some(x))),
        Some(x) if x < 0.0 => ui_str(ui, "under_by_pct").replace("{0}", &pct(Some(-x))),
        Some(_) => pct(Some(0.0)),
    }
}

#[cfg(test)]
mod against_budget_tests {
    use super::against_budget;
    use crate::model::i18n::ui;
    use crate::model::site::Language;

    #[test]
    fn a_category_under_budget_reads_as_under_not_as_a_negative_overrun() {
        let zh = ui(Language::ZhCn);
        assert_eq!(against_budget(Some(0.12), &zh), "超出 12.0%");
        assert_eq!(against_budget(Some(-0.85), &zh), "低于预算 85.0%");
        assert_eq!(against_budget(Some(0.0), &zh), "0.0%");
        assert_eq!(against_budget(None, &zh), "—");
    }
}
