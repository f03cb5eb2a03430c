//! The readable plan page: every section of the schema that a plan contains, as tables.

use serde_json::Value;

use super::format::{self, pct};
use super::markdown::{self, UrlMap};
use super::{anchor, metric_name, role_title, ui_str};
use crate::compute;
use crate::model::plan::Plan;
use crate::model::site::CampaignData;

/// A table section as the `sections.html` template reads it, typed (the plan page, the budget,
/// risk and KPI roll-ups): no `serde_json` tree of every cell to build and free on a large page.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Section {
    pub id: String,
    pub title: String,
    pub text: Option<String>,
    pub html: Option<String>,
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

/// A table row; `id` for rows other pages link to.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Row {
    pub id: Option<String>,
    pub cells: Vec<Cell>,
}

/// A table cell, linked when `href` is given.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Cell {
    pub text: String,
    pub href: Option<String>,
    /// Shown as code: an id or a formula a plan author types.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub code: bool,
    /// The cell's language when it is not the page's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<&'static str>,
}

impl Cell {
    pub(crate) fn text(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            href: None,
            code: false,
            lang: None,
        }
    }

    /// A cell shown as code.
    pub(crate) fn code(text: impl Into<String>) -> Self {
        Cell {
            code: true,
            ..Cell::text(text)
        }
    }

    /// A cell in another language than the page's (`lang` on the cell, so readers and screen
    /// readers know it is, e.g., the English name beside the Chinese one).
    pub(crate) fn lang(text: impl Into<String>, lang: &'static str) -> Self {
        Cell {
            lang: Some(lang),
            ..Cell::text(text)
        }
    }

    /// A cell linked to `href`.
    pub(crate) fn link(text: impl Into<String>, href: String) -> Self {
        Cell {
            href: Some(href),
            ..Cell::text(text)
        }
    }
}

impl Row {
    /// A row of cells.
    pub(crate) fn of(cells: Vec<Cell>) -> Self {
        Row { id: None, cells }
    }

    /// A row that other pages link to (`#role-r_manager`, `#cat-promotion`, `#risk-r_churn`).
    pub(crate) fn with_id(id: String, cells: Vec<Cell>) -> Self {
        Row {
            id: Some(id),
            cells,
        }
    }
}

impl Section {
    pub(crate) fn table(id: &str, title: &str, header: Vec<&str>, rows: Vec<Row>) -> Self {
        Section {
            id: id.to_string(),
            title: title.to_string(),
            text: None,
            html: None,
            header: header.into_iter().map(str::to_string).collect(),
            rows,
        }
    }
}

/// A role's title, linked to its row in the team table of the same page.
fn role_cell(c: &CampaignData, id: &str) -> Cell {
    Cell::link(role_title(c, id), format!("#role-{id}"))
}

/// Every section of the plan page, in the schema's order; optional sections only when the
/// plan has them.
pub(crate) fn sections(
    c: &CampaignData,
    ui: &Value,
    urls: &UrlMap,
    page: &str,
    raw: bool,
) -> Vec<Section> {
    let mut out = vec![
        goals(c, ui),
        targets(c, ui),
        phases(c, ui),
        team(c, ui),
        budget(c, ui),
    ];
    out.extend(work_packages(c, ui));
    out.extend(funnel(c, ui));
    out.extend(risks(c, ui));
    out.push(community(c, ui));
    let optional = [
        audience,
        content,
        activities,
        incentives,
        channels,
        promotion_rhythm,
        materials,
        suppliers,
        tools,
        compliance,
    ];
    out.extend(optional.iter().filter_map(|build| build(c, ui)));
    out.extend(prose(c, ui, urls, page, raw));
    out
}

/// The goals, each with what its targets measure.
fn goals(c: &CampaignData, ui: &Value) -> Section {
    let p = &c.plan;
    let goals = p
        .goals
        .iter()
        .map(|g| {
            // A goal's targets by what they measure: the plan's ids are for its authors.
            let measures: Vec<String> = g
                .targets
                .iter()
                .map(|id| match p.targets.iter().find(|t| &t.id == id) {
                    Some(t) => metric_name(c, &t.metric, ui),
                    None => id.clone(),
                })
                .collect();
            Row::of(vec![
                Cell::text(&g.statement),
                Cell::text(measures.join("、")),
            ])
        })
        .collect();
    Section::table(
        "goals",
        ui_str(ui, "goals"),
        vec![ui_str(ui, "statement"), ui_str(ui, "targets")],
        goals,
    )
}

/// The targets: what, how much, over which days.
fn targets(c: &CampaignData, ui: &Value) -> Section {
    let p = &c.plan;
    let targets = p
        .targets
        .iter()
        .map(|t| {
            let tau = compute::targets::target_value(t);
            Row::of(vec![
                Cell::text(metric_name(c, &t.metric, ui)),
                Cell::text(format::metric_value(c, &t.metric, tau)),
                Cell::text(format!("{} – {}", t.window.start, t.window.end)),
            ])
        })
        .collect();
    Section::table(
        "targets",
        ui_str(ui, "targets"),
        vec![
            ui_str(ui, "metric"),
            ui_str(ui, "target_value"),
            ui_str(ui, "period"),
        ],
        targets,
    )
}

/// The phases with their dates, objectives and owners.
fn phases(c: &CampaignData, ui: &Value) -> Section {
    let p = &c.plan;
    let phases = p
        .phases
        .items
        .iter()
        .map(|ph| {
            let d = ph
                .dates(p.campaign.period)
                .map_or("—".into(), |d| format!("{} – {}", d.start, d.end));
            Row::of(vec![
                Cell::text(&ph.name),
                Cell::text(d),
                Cell::text(ph.objectives.join("；")),
                role_cell(c, &ph.owner),
            ])
        })
        .collect();
    Section::table(
        "phases",
        ui_str(ui, "phases"),
        vec![
            ui_str(ui, "phase"),
            ui_str(ui, "period"),
            ui_str(ui, "objectives"),
            ui_str(ui, "owner"),
        ],
        phases,
    )
}

/// The team's roles (other sections link to their rows).
fn team(c: &CampaignData, ui: &Value) -> Section {
    let p = &c.plan;
    let roles = p
        .team
        .roles
        .iter()
        .map(|r| {
            Row::with_id(
                format!("role-{}", r.id),
                vec![
                    Cell::text(&r.title),
                    Cell::text(format!("{}", r.fte)),
                    Cell::text(r.responsibilities.join("、")),
                ],
            )
        })
        .collect();
    Section::table(
        "team",
        ui_str(ui, "team"),
        vec![
            ui_str(ui, "role"),
            ui_str(ui, "fte"),
            ui_str(ui, "responsibilities"),
        ],
        roles,
    )
}

/// The budget categories as first planned (other pages link to their rows).
fn budget(c: &CampaignData, ui: &Value) -> Section {
    let p = &c.plan;
    let cats = p
        .budget
        .categories
        .iter()
        .map(|b| {
            Row::with_id(
                format!("cat-{}", b.id),
                vec![
                    Cell::text(&b.name),
                    Cell::text(format::money_in(
                        compute::budget::original(&p.budget, &b.id),
                        &p.campaign.currency,
                    )),
                    Cell::text(if b.reserve { "✔" } else { "" }),
                ],
            )
        })
        .collect();
    Section::table(
        "budget",
        ui_str(ui, "budget"),
        vec![
            ui_str(ui, "category"),
            ui_str(ui, "planned"),
            ui_str(ui, "reserve"),
        ],
        cats,
    )
}

/// The work packages, if the plan has them.
fn work_packages(c: &CampaignData, ui: &Value) -> Option<Section> {
    let p = &c.plan;
    if !p.budget.work_packages.is_empty() {
        let wps = p
            .budget
            .work_packages
            .iter()
            .map(|w| {
                Row::of(vec![
                    Cell::text(&w.name),
                    Cell::text(super::category_name(c, &w.category)),
                    Cell::text(format::money_in(w.planned_value.0, &p.campaign.currency)),
                    Cell::text(format!("{} – {}", w.planned_start, w.planned_end)),
                ])
            })
            .collect();
        return Some(Section::table(
            "work-packages",
            ui_str(ui, "work_packages"),
            vec![
                ui_str(ui, "name"),
                ui_str(ui, "category"),
                ui_str(ui, "planned"),
                ui_str(ui, "period"),
            ],
            wps,
        ));
    }
    None
}

/// The funnel's stages and step targets.
fn funnel(c: &CampaignData, ui: &Value) -> Option<Section> {
    let p = &c.plan;
    if let Some(f) = &p.funnel {
        let stages = f
            .stages
            .iter()
            .map(|s| {
                Row::of(vec![
                    Cell::text(&s.name),
                    Cell::text(s.definition.clone().unwrap_or_default()),
                    Cell::text(
                        f.step_targets
                            .get(&s.id)
                            .map_or("—".into(), |r| pct(Some(r.0))),
                    ),
                ])
            })
            .collect();
        return Some(Section::table(
            "funnel",
            ui_str(ui, "funnel"),
            vec![
                ui_str(ui, "stage"),
                ui_str(ui, "definition"),
                ui_str(ui, "target_value"),
            ],
            stages,
        ));
    }
    None
}

/// The risk register (other pages link to its rows).
fn risks(c: &CampaignData, ui: &Value) -> Option<Section> {
    let p = &c.plan;
    if let Some(r) = &p.risks {
        let items = r
            .items
            .iter()
            .map(|i| {
                Row::with_id(
                    format!("risk-{}", i.id),
                    vec![
                        Cell::text(&i.title),
                        Cell::text(format!(
                            "{}×{} = {}",
                            i.probability,
                            i.impact,
                            i.probability * i.impact
                        )),
                        Cell::text(&i.response),
                        role_cell(c, &i.owner),
                    ],
                )
            })
            .collect();
        return Some(Section::table(
            "risks",
            ui_str(ui, "risks"),
            vec![
                ui_str(ui, "risk"),
                ui_str(ui, "risk_score"),
                ui_str(ui, "response"),
                ui_str(ui, "owner"),
            ],
            items,
        ));
    }
    None
}

/// The community's groups.
fn community(c: &CampaignData, ui: &Value) -> Section {
    let p = &c.plan;
    let community = &p.community;
    let carriers = community
        .carriers
        .iter()
        .map(|g| {
            Row::of(vec![
                Cell::text(&g.name),
                Cell::text(&g.platform),
                Cell::text(g.capacity.map_or("—".into(), |x| x.to_string())),
            ])
        })
        .collect();
    Section::table(
        "community",
        ui_str(ui, "community"),
        vec![
            ui_str(ui, "name"),
            ui_str(ui, "platform"),
            ui_str(ui, "capacity"),
        ],
        carriers,
    )
}

/// The personas.
fn audience(c: &CampaignData, ui: &Value) -> Option<Section> {
    let p = &c.plan;
    if let Some(a) = &p.audience {
        let rows = a
            .personas
            .iter()
            .map(|x| {
                let age = x
                    .age_range
                    .map_or("—".into(), |[lo, hi]| format!("{lo}–{hi}"));
                let gender = x
                    .gender_ratio
                    .iter()
                    .map(|(k, v)| format!("{k} {}", pct(Some(v.0))))
                    .collect::<Vec<_>>()
                    .join(" / ");
                Row::of(vec![
                    Cell::text(&x.name),
                    Cell::text(age),
                    Cell::text(gender),
                    Cell::text(x.interests.join("、")),
                    Cell::text(x.pain_points.join("；")),
                ])
            })
            .collect();
        return Some(Section::table(
            "audience",
            ui_str(ui, "audience"),
            vec![
                ui_str(ui, "name"),
                ui_str(ui, "age"),
                ui_str(ui, "gender"),
                ui_str(ui, "interests"),
                ui_str(ui, "pain_points"),
            ],
            rows,
        ));
    }
    None
}

/// The content plan: pillars, cadence, sources, review and calendar.
fn content(c: &CampaignData, ui: &Value) -> Option<Section> {
    let p = &c.plan;
    if let Some(content) = &p.content {
        let mut rows: Vec<Row> = content
            .pillars
            .iter()
            .map(|x| Row::of(vec![Cell::text(ui_str(ui, "pillar")), Cell::text(&x.name)]))
            .collect();
        if let Some(cad) = &content.cadence {
            rows.extend(cad.items.iter().map(|x| {
                Row::of(vec![
                    Cell::text(ui_str(ui, "cadence")),
                    Cell::text(format!("{} · {}", x.name, pct(Some(x.share.0)))),
                ])
            }));
        }
        rows.extend(content.sources.iter().map(|(k, v)| {
            Row::of(vec![
                Cell::text(ui_str(ui, "source")),
                Cell::text(format!("{k} {}", pct(Some(v.0)))),
            ])
        }));
        if let Some(r) = &content.review_process {
            rows.push(Row::of(vec![
                Cell::text(ui_str(ui, "review")),
                Cell::text(&r.name),
            ]));
        }
        rows.extend(content.calendar.iter().map(|e| {
            let when = match (&e.date, &e.recurrence) {
                (Some(d), _) => d.to_string(),
                (None, Some(r)) => format!("{} – {}", r.from, r.until),
                _ => "—".into(),
            };
            Row::of(vec![
                Cell::text(ui_str(ui, "calendar")),
                Cell::text(format!("{when} · {}", e.title)),
            ])
        }));
        return Some(Section::table(
            "content",
            ui_str(ui, "content"),
            vec!["", ""],
            rows,
        ));
    }
    None
}

/// The activities.
fn activities(c: &CampaignData, ui: &Value) -> Option<Section> {
    let p = &c.plan;
    if !p.activities.is_empty() {
        let rows = p
            .activities
            .iter()
            .map(|x| {
                let when = match (x.date, x.start, x.end) {
                    (Some(d), _, _) => d.to_string(),
                    (None, Some(a), Some(b)) => format!("{a} – {b}"),
                    _ => "—".into(),
                };
                Row::of(vec![
                    Cell::text(&x.name),
                    Cell::text(when),
                    Cell::text(
                        x.expected_participants
                            .map_or("—".into(), |n| n.to_string()),
                    ),
                    Cell::text(x.mechanics.clone().unwrap_or_default()),
                ])
            })
            .collect();
        return Some(Section::table(
            "activities",
            ui_str(ui, "activities"),
            vec![
                ui_str(ui, "name"),
                ui_str(ui, "period"),
                ui_str(ui, "expected_participants"),
                ui_str(ui, "mechanics"),
            ],
            rows,
        ));
    }
    None
}

/// Points, levels and badges.
fn incentives(c: &CampaignData, ui: &Value) -> Option<Section> {
    let p = &c.plan;
    if let Some(inc) = &p.incentives {
        let mut rows: Vec<Row> = inc
            .points
            .iter()
            .map(|x| {
                Row::of(vec![
                    Cell::text(ui_str(ui, "points")),
                    Cell::text(format!("{} +{}", x.action, x.points)),
                ])
            })
            .collect();
        rows.extend(inc.levels.iter().map(|x| {
            Row::of(vec![
                Cell::text(ui_str(ui, "level")),
                Cell::text(format!("{} · ≥{}", x.name, x.min_points)),
            ])
        }));
        rows.extend(inc.badges.iter().map(|x| {
            Row::of(vec![
                Cell::text(ui_str(ui, "badge")),
                Cell::text(format!("{} · {}", x.name, x.criteria)),
            ])
        }));
        return Some(Section::table(
            "incentives",
            ui_str(ui, "incentives"),
            vec![ui_str(ui, "item"), ui_str(ui, "detail")],
            rows,
        ));
    }
    None
}

/// Where members come from, with the code the exports use.
fn channels(c: &CampaignData, ui: &Value) -> Option<Section> {
    let p = &c.plan;
    if !p.channels.is_empty() {
        let rows = p
            .channels
            .iter()
            .map(|x| {
                Row::of(vec![
                    Cell::text(&x.name),
                    x.source_code.as_deref().map_or(Cell::text("—"), Cell::code),
                ])
            })
            .collect();
        return Some(Section::table(
            "channels",
            ui_str(ui, "channels"),
            vec![ui_str(ui, "name"), ui_str(ui, "source_code")],
            rows,
        ));
    }
    None
}

/// The promotion steps.
fn promotion_rhythm(c: &CampaignData, ui: &Value) -> Option<Section> {
    let p = &c.plan;
    if !p.promotion_rhythm.is_empty() {
        let rows = p
            .promotion_rhythm
            .iter()
            .map(|x| {
                Row::of(vec![
                    Cell::text(&x.step),
                    Cell::text(format!("{} – {}", x.start, x.end)),
                    Cell::text(x.mechanics.clone().unwrap_or_default()),
                ])
            })
            .collect();
        return Some(Section::table(
            "promotion-rhythm",
            ui_str(ui, "promotion_rhythm"),
            vec![
                ui_str(ui, "step"),
                ui_str(ui, "period"),
                ui_str(ui, "mechanics"),
            ],
            rows,
        ));
    }
    None
}

/// The materials with due dates and owners.
fn materials(c: &CampaignData, ui: &Value) -> Option<Section> {
    let p = &c.plan;
    if !p.materials.is_empty() {
        let rows = p
            .materials
            .iter()
            .map(|x| {
                Row::of(vec![
                    Cell::text(&x.name),
                    Cell::text(x.due.map_or("—".into(), |d| d.to_string())),
                    x.owner
                        .as_deref()
                        .map_or(Cell::text("—"), |o| role_cell(c, o)),
                ])
            })
            .collect();
        return Some(Section::table(
            "materials",
            ui_str(ui, "materials"),
            vec![ui_str(ui, "name"), ui_str(ui, "due"), ui_str(ui, "owner")],
            rows,
        ));
    }
    None
}

/// The suppliers and their review.
fn suppliers(c: &CampaignData, ui: &Value) -> Option<Section> {
    let p = &c.plan;
    if !p.suppliers.is_empty() {
        let rows = p
            .suppliers
            .iter()
            .map(|x| {
                Row::of(vec![
                    Cell::text(&x.name),
                    Cell::text(x.scope.clone().unwrap_or_default()),
                    Cell::text(match x.risk_review.as_deref() {
                        Some("passed") => super::ui_str(ui, "review_passed").to_string(),
                        Some("pending") => super::ui_str(ui, "review_pending").to_string(),
                        Some("failed") => super::ui_str(ui, "review_failed").to_string(),
                        other => other.unwrap_or("—").to_string(),
                    }),
                ])
            })
            .collect();
        return Some(Section::table(
            "suppliers",
            ui_str(ui, "suppliers"),
            vec![
                ui_str(ui, "name"),
                ui_str(ui, "scope"),
                ui_str(ui, "risk_review"),
            ],
            rows,
        ));
    }
    None
}

/// The tools.
fn tools(c: &CampaignData, ui: &Value) -> Option<Section> {
    let p = &c.plan;
    if !p.tools.is_empty() {
        let rows = p
            .tools
            .iter()
            .map(|x| {
                Row::of(vec![
                    Cell::text(&x.name),
                    Cell::text(x.functions.join("、")),
                ])
            })
            .collect();
        return Some(Section::table(
            "tools",
            ui_str(ui, "tools"),
            vec![ui_str(ui, "name"), ui_str(ui, "functions")],
            rows,
        ));
    }
    None
}

/// Personal data, IP and third-party review.
fn compliance(c: &CampaignData, ui: &Value) -> Option<Section> {
    let p = &c.plan;
    if let Some(comp) = &p.compliance {
        let mut rows = Vec::new();
        if let Some(pd) = &comp.personal_data {
            rows.push(Row::of(vec![
                Cell::text(ui_str(ui, "personal_data")),
                Cell::text(pd.export_policy.clone().unwrap_or_default()),
            ]));
        }
        if let Some(ip) = &comp.ip_policy {
            rows.push(Row::of(vec![
                Cell::text(ui_str(ui, "ip_policy")),
                Cell::text(ip),
            ]));
        }
        if let Some(t) = &comp.third_party_review {
            rows.push(Row::of(vec![
                Cell::text(ui_str(ui, "third_party")),
                Cell::text(t),
            ]));
        }
        return Some(Section::table(
            "compliance",
            ui_str(ui, "compliance"),
            vec![ui_str(ui, "item"), ui_str(ui, "detail")],
            rows,
        ));
    }
    None
}

/// The plan's prose documents (background, strategy …), rendered from Markdown.
fn prose(c: &CampaignData, ui: &Value, urls: &UrlMap, page: &str, raw: bool) -> Vec<Section> {
    let mut out = Vec::new();
    for (key, doc) in &c.prose {
        let r = markdown::render(&doc.body, &doc.path, page, urls, raw);
        let title = doc.front.title.clone().unwrap_or_else(|| {
            first_heading(&doc.body).unwrap_or_else(|| prose_role(ui, &c.plan, key).to_string())
        });
        // The section prints the title; a body opening with the same heading would repeat it.
        let html = super::drop_leading_title(&r.html, &r.toc, &title);
        out.push(Section {
            id: anchor(&markdown::slug(key)),
            title,
            text: None,
            html: Some(html),
            header: Vec::new(),
            rows: Vec::new(),
        });
    }
    out
}

/// A plan document's first `# ` heading.
fn first_heading(body: &str) -> Option<String> {
    body.lines()
        .find_map(|l| l.strip_prefix("# ").map(str::trim))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// What the plan document at `path` is for, named in the page language by its plan field
/// (`campaign.background_md` → `doc_campaign_background`, 项目背景): the title of a document
/// with no title or heading of its own, never its file name, which is often English.
fn prose_role<'u>(ui: &'u Value, plan: &Plan, path: &str) -> &'u str {
    plan.prose_documents()
        .into_iter()
        .find(|&(_, p)| p == path)
        .map(|(field, _)| format!("doc_{}", field.trim_end_matches("_md").replace('.', "_")))
        .and_then(|key| ui.get(&key).and_then(Value::as_str))
        .unwrap_or_else(|| ui_str(ui, "doc_other"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typed_sections_serialize_as_the_json_ones() {
        let typed = Section::table(
            "budget-x",
            "活动",
            vec!["类别", "预算"],
            vec![Row {
                id: Some("cat-x.a".into()),
                cells: vec![
                    Cell::link("宣传", "../x.html".into()),
                    Cell::text("1,000.00"),
                ],
            }],
        );
        let json = json!({
            "id": "budget-x", "title": "活动", "text": null, "html": null,
            "header": ["类别", "预算"],
            "rows": [{"id": "cat-x.a", "cells": [
                {"text": "宣传", "href": "../x.html"},
                {"text": "1,000.00", "href": null},
            ]}],
        });
        assert_eq!(serde_json::to_value(&typed).unwrap(), json);
        assert_eq!(
            serde_json::to_value(Cell::lang("Members", "en")).unwrap(),
            json!({"text": "Members", "href": null, "lang": "en"})
        );
        assert_eq!(
            serde_json::to_value(Cell::code("funnel_awareness")).unwrap(),
            json!({"text": "funnel_awareness", "href": null, "code": true})
        );
    }
}
