//! The readable plan page: every section of the schema that a plan contains, as tables.

use serde_json::{Value, json};

use super::format::{self, pct};
use super::markdown::{self, UrlMap};
use super::{anchor, metric_name, role_title, ui_str};
use crate::compute;
use crate::model::plan::Plan;
use crate::model::site::CampaignData;

/// A table section as the `sections.html` template reads it, typed: for pages large enough
/// that building a `serde_json` tree of every cell (and freeing it) shows (the budget
/// roll-up of a thousand campaigns). Serializes like [`section`], [`row`] and [`cell`].
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
}

impl Cell {
    pub(crate) fn text(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            href: None,
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

pub(crate) fn cell(text: impl Into<String>) -> Value {
    json!({"text": text.into(), "href": ()})
}

/// A cell shown as code: an id or a formula a plan author types.
pub(crate) fn code_cell(text: impl Into<String>) -> Value {
    json!({"text": text.into(), "href": (), "code": true})
}

/// A cell in another language than the page's (`lang` on the cell, so readers and screen
/// readers know it is, e.g., the English name beside the Chinese one).
pub(crate) fn lang_cell(text: impl Into<String>, lang: &str) -> Value {
    json!({"text": text.into(), "href": (), "lang": lang})
}

pub(crate) fn row(cells: Vec<Value>) -> Value {
    json!({"id": (), "cells": cells})
}

/// A row that other pages link to (`#role-r_manager`, `#cat-promotion`, `#risk-r_churn`).
fn row_with_id(id: String, cells: Vec<Value>) -> Value {
    json!({"id": id, "cells": cells})
}

/// A role's title, linked to its row in the team table of the same page.
fn role_cell(c: &CampaignData, id: &str) -> Value {
    json!({"text": role_title(c, id), "href": format!("#role-{id}")})
}

pub(crate) fn section(id: &str, title: &str, header: Vec<&str>, rows: Vec<Value>) -> Value {
    object!({"id": id, "title": title, "text": Value::Null, "html": Value::Null, "header": header, "rows": rows})
}

pub(crate) fn sections(
    c: &CampaignData,
    ui: &Value,
    urls: &UrlMap,
    page: &str,
    raw: bool,
) -> Vec<Value> {
    let p = &c.plan;
    let mut out = Vec::new();
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
            row(vec![cell(&g.statement), cell(measures.join("、"))])
        })
        .collect();
    out.push(section(
        "goals",
        ui_str(ui, "goals"),
        vec![ui_str(ui, "statement"), ui_str(ui, "targets")],
        goals,
    ));
    let targets = p
        .targets
        .iter()
        .map(|t| {
            let tau = compute::targets::target_value(t);
            row(vec![
                cell(metric_name(c, &t.metric, ui)),
                cell(format::metric_value(c, &t.metric, tau)),
                cell(format!("{} – {}", t.window.start, t.window.end)),
            ])
        })
        .collect();
    out.push(section(
        "targets",
        ui_str(ui, "targets"),
        vec![
            ui_str(ui, "metric"),
            ui_str(ui, "target_value"),
            ui_str(ui, "period"),
        ],
        targets,
    ));
    let phases = p
        .phases
        .items
        .iter()
        .map(|ph| {
            let d = ph
                .dates(p.campaign.period)
                .map_or("—".into(), |d| format!("{} – {}", d.start, d.end));
            row(vec![
                cell(&ph.name),
                cell(d),
                cell(ph.objectives.join("；")),
                role_cell(c, &ph.owner),
            ])
        })
        .collect();
    out.push(section(
        "phases",
        ui_str(ui, "phases"),
        vec![
            ui_str(ui, "phase"),
            ui_str(ui, "period"),
            ui_str(ui, "objectives"),
            ui_str(ui, "owner"),
        ],
        phases,
    ));
    let roles = p
        .team
        .roles
        .iter()
        .map(|r| {
            row_with_id(
                format!("role-{}", r.id),
                vec![
                    cell(&r.title),
                    cell(format!("{}", r.fte)),
                    cell(r.responsibilities.join("、")),
                ],
            )
        })
        .collect();
    out.push(section(
        "team",
        ui_str(ui, "team"),
        vec![
            ui_str(ui, "role"),
            ui_str(ui, "fte"),
            ui_str(ui, "responsibilities"),
        ],
        roles,
    ));
    let cats = p
        .budget
        .categories
        .iter()
        .map(|b| {
            row_with_id(
                format!("cat-{}", b.id),
                vec![
                    cell(&b.name),
                    cell(format::money(compute::budget::original(&p.budget, &b.id))),
                    cell(if b.reserve { "✔" } else { "" }),
                ],
            )
        })
        .collect();
    out.push(section(
        "budget",
        ui_str(ui, "budget"),
        vec![
            ui_str(ui, "category"),
            ui_str(ui, "planned"),
            ui_str(ui, "reserve"),
        ],
        cats,
    ));
    if !p.budget.work_packages.is_empty() {
        let wps = p
            .budget
            .work_packages
            .iter()
            .map(|w| {
                row(vec![
                    cell(&w.name),
                    cell(super::category_name(c, &w.category)),
                    cell(format::money(w.planned_value.0)),
                    cell(format!("{} – {}", w.planned_start, w.planned_end)),
                ])
            })
            .collect();
        out.push(section(
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
    if let Some(f) = &p.funnel {
        let stages = f
            .stages
            .iter()
            .map(|s| {
                row(vec![
                    cell(&s.name),
                    cell(s.definition.clone().unwrap_or_default()),
                    cell(
                        f.step_targets
                            .get(&s.id)
                            .map_or("—".into(), |r| pct(Some(r.0))),
                    ),
                ])
            })
            .collect();
        out.push(section(
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
    if let Some(r) = &p.risks {
        let items = r
            .items
            .iter()
            .map(|i| {
                row_with_id(
                    format!("risk-{}", i.id),
                    vec![
                        cell(&i.title),
                        cell(format!("{}×{}", i.probability, i.impact)),
                        cell(&i.response),
                        role_cell(c, &i.owner),
                    ],
                )
            })
            .collect();
        out.push(section(
            "risks",
            ui_str(ui, "risks"),
            vec![
                ui_str(ui, "risk"),
                "P×I",
                ui_str(ui, "response"),
                ui_str(ui, "owner"),
            ],
            items,
        ));
    }
    let community = &p.community;
    let carriers = community
        .carriers
        .iter()
        .map(|g| {
            row(vec![
                cell(&g.name),
                cell(&g.platform),
                cell(g.capacity.map_or("—".into(), |x| x.to_string())),
            ])
        })
        .collect();
    out.push(section(
        "community",
        ui_str(ui, "community"),
        vec![
            ui_str(ui, "name"),
            ui_str(ui, "platform"),
            ui_str(ui, "capacity"),
        ],
        carriers,
    ));

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
                row(vec![
                    cell(&x.name),
                    cell(age),
                    cell(gender),
                    cell(x.interests.join("、")),
                    cell(x.pain_points.join("；")),
                ])
            })
            .collect();
        out.push(section(
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
    if let Some(content) = &p.content {
        let mut rows: Vec<Value> = content
            .pillars
            .iter()
            .map(|x| row(vec![cell(ui_str(ui, "pillar")), cell(&x.name)]))
            .collect();
        if let Some(cad) = &content.cadence {
            rows.extend(cad.items.iter().map(|x| {
                row(vec![
                    cell(ui_str(ui, "cadence")),
                    cell(format!("{} · {}", x.name, pct(Some(x.share.0)))),
                ])
            }));
        }
        rows.extend(content.sources.iter().map(|(k, v)| {
            row(vec![
                cell(ui_str(ui, "source")),
                cell(format!("{k} {}", pct(Some(v.0)))),
            ])
        }));
        if let Some(r) = &content.review_process {
            rows.push(row(vec![cell(ui_str(ui, "review")), cell(&r.name)]));
        }
        rows.extend(content.calendar.iter().map(|e| {
            let when = match (&e.date, &e.recurrence) {
                (Some(d), _) => d.to_string(),
                (None, Some(r)) => format!("{} – {}", r.from, r.until),
                _ => "—".into(),
            };
            row(vec![
                cell(ui_str(ui, "calendar")),
                cell(format!("{when} · {}", e.title)),
            ])
        }));
        out.push(section(
            "content",
            ui_str(ui, "content"),
            vec!["", ""],
            rows,
        ));
    }
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
                row(vec![
                    cell(&x.name),
                    cell(when),
                    cell(
                        x.expected_participants
                            .map_or("—".into(), |n| n.to_string()),
                    ),
                    cell(x.mechanics.clone().unwrap_or_default()),
                ])
            })
            .collect();
        out.push(section(
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
    if let Some(inc) = &p.incentives {
        let mut rows: Vec<Value> = inc
            .points
            .iter()
            .map(|x| {
                row(vec![
                    cell(ui_str(ui, "points")),
                    cell(format!("{} +{}", x.action, x.points)),
                ])
            })
            .collect();
        rows.extend(inc.levels.iter().map(|x| {
            row(vec![
                cell(ui_str(ui, "level")),
                cell(format!("{} · ≥{}", x.name, x.min_points)),
            ])
        }));
        rows.extend(inc.badges.iter().map(|x| {
            row(vec![
                cell(ui_str(ui, "badge")),
                cell(format!("{} · {}", x.name, x.criteria)),
            ])
        }));
        out.push(section(
            "incentives",
            ui_str(ui, "incentives"),
            vec![ui_str(ui, "item"), ui_str(ui, "detail")],
            rows,
        ));
    }
    if !p.channels.is_empty() {
        let rows = p
            .channels
            .iter()
            .map(|x| {
                row(vec![
                    cell(&x.name),
                    x.source_code.as_deref().map_or(cell("—"), code_cell),
                ])
            })
            .collect();
        out.push(section(
            "channels",
            ui_str(ui, "channels"),
            vec![ui_str(ui, "name"), ui_str(ui, "source_code")],
            rows,
        ));
    }
    if !p.promotion_rhythm.is_empty() {
        let rows = p
            .promotion_rhythm
            .iter()
            .map(|x| {
                row(vec![
                    cell(&x.step),
                    cell(format!("{} – {}", x.start, x.end)),
                    cell(x.mechanics.clone().unwrap_or_default()),
                ])
            })
            .collect();
        out.push(section(
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
    if !p.materials.is_empty() {
        let rows = p
            .materials
            .iter()
            .map(|x| {
                row(vec![
                    cell(&x.name),
                    cell(x.due.map_or("—".into(), |d| d.to_string())),
                    x.owner.as_deref().map_or(cell("—"), |o| role_cell(c, o)),
                ])
            })
            .collect();
        out.push(section(
            "materials",
            ui_str(ui, "materials"),
            vec![ui_str(ui, "name"), ui_str(ui, "due"), ui_str(ui, "owner")],
            rows,
        ));
    }
    if !p.suppliers.is_empty() {
        let rows = p
            .suppliers
            .iter()
            .map(|x| {
                row(vec![
                    cell(&x.name),
                    cell(x.scope.clone().unwrap_or_default()),
                    cell(match x.risk_review.as_deref() {
                        Some("passed") => super::ui_str(ui, "review_passed").to_string(),
                        Some("pending") => super::ui_str(ui, "review_pending").to_string(),
                        Some("failed") => super::ui_str(ui, "review_failed").to_string(),
                        other => other.unwrap_or("—").to_string(),
                    }),
                ])
            })
            .collect();
        out.push(section(
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
    if !p.tools.is_empty() {
        let rows = p
            .tools
            .iter()
            .map(|x| row(vec![cell(&x.name), cell(x.functions.join("、"))]))
            .collect();
        out.push(section(
            "tools",
            ui_str(ui, "tools"),
            vec![ui_str(ui, "name"), ui_str(ui, "functions")],
            rows,
        ));
    }
    if let Some(comp) = &p.compliance {
        let mut rows = Vec::new();
        if let Some(pd) = &comp.personal_data {
            rows.push(row(vec![
                cell(ui_str(ui, "personal_data")),
                cell(pd.export_policy.clone().unwrap_or_default()),
            ]));
        }
        if let Some(ip) = &comp.ip_policy {
            rows.push(row(vec![cell(ui_str(ui, "ip_policy")), cell(ip)]));
        }
        if let Some(t) = &comp.third_party_review {
            rows.push(row(vec![cell(ui_str(ui, "third_party")), cell(t)]));
        }
        out.push(section(
            "compliance",
            ui_str(ui, "compliance"),
            vec![ui_str(ui, "item"), ui_str(ui, "detail")],
            rows,
        ));
    }
    for (key, doc) in &c.prose {
        let r = markdown::render(&doc.body, &doc.path, page, urls, raw);
        let title = doc.front.title.clone().unwrap_or_else(|| {
            first_heading(&doc.body).unwrap_or_else(|| prose_role(ui, &c.plan, key).to_string())
        });
        // The section prints the title; a body opening with the same heading would repeat it.
        let html = super::drop_leading_title(&r.html, &r.toc, &title);
        out.push(json!({"id": anchor(&markdown::slug(key)), "title": title, "text": (), "html": html, "header": [], "rows": []}));
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

    #[test]
    fn typed_sections_serialize_as_the_json_ones() {
        let typed = Section::table(
            "budget-x",
            "活动",
            vec!["类别", "预算"],
            vec![Row {
                id: Some("cat-x.a".into()),
                cells: vec![
                    Cell {
                        text: "宣传".into(),
                        href: Some("../x.html".into()),
                    },
                    Cell::text("1,000.00"),
                ],
            }],
        );
        let json = section(
            "budget-x",
            "活动",
            vec!["类别", "预算"],
            vec![json!({"id": "cat-x.a", "cells": [
                json!({"text": "宣传", "href": "../x.html"}), cell("1,000.00"),
            ]})],
        );
        assert_eq!(serde_json::to_value(&typed).unwrap(), json);
    }
}
