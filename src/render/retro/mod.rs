//! The post-mortem page of docs/rules.md#outline, in the outline's order: generated sections from
//! the plan and the numbers, the human sections of `retro.md` placed beside them ("待填写" where one
//! is missing), "⚠ 待说明" for flagged variances the text does not explain, and data-derived prompts
//! and hints shown beside, never inside, the human text. The human file is never written.

mod context;
mod human;
mod timeline;

use std::collections::BTreeMap;

use serde_json::Value;

use super::markdown::{self, UrlMap};
use super::report::{MetricRow, category_rows, quality_rows};
use super::verdict::status_counts;
use super::{anchor, format, metric_name, role_title, status_icon, status_key, ui_str};
use crate::compute::review::{self, Hint, PromptKind, explanation, flagged_variances};
use crate::compute::{self, CampaignKpis, summary};
use crate::model::catalog;
use crate::model::plan::{ActionItem, ActionStatus};
use crate::model::site::{CampaignData, Document, RetroStatus};
use crate::model::values::Date;
pub(crate) use context::Retro;
use context::*;
use human::{Human, Section};

/// What a reader calls the thing an id names: a target by its metric, `budget:<id>` by the
/// category, a risk by its title. Anything else is returned as written.
fn label_of(c: &CampaignData, k: &CampaignKpis, id: &str, ui: &Value) -> String {
    if let Some(t) = k.targets.iter().find(|t| t.id == id) {
        return super::metric_name(c, &t.metric, ui);
    }
    if let Some(cat) = id.strip_prefix("budget:") {
        return super::category_name(c, cat);
    }
    if let Some(r) = c
        .plan
        .risks
        .iter()
        .flat_map(|r| r.items.iter())
        .find(|r| r.id == id)
    {
        return r.title.clone();
    }
    id.to_string()
}

/// Everything the `retro.html` template shows, in the order of docs/rules.md#outline. Generated
/// anchors start with `s-` so they never collide with the heading ids of the team's Markdown.
#[allow(clippy::too_many_arguments)]
pub(crate) fn retro_context<'a>(
    c: &CampaignData,
    k: &CampaignKpis,
    retro: &Document,
    days: &super::charts::Days,
    charts: &'a super::CampaignCharts,
    ui: &Value,
    urls: &UrlMap,
    page: &str,
    raw: bool,
) -> Retro<'a> {
    let mut rendered = markdown::render(&retro.body, &retro.path, page, urls, raw);
    // `### t_active30` headings show the target's name; the id stays in the anchor only.
    for entry in &rendered.toc {
        let name = label_of(c, k, &entry.text, ui);
        if name != entry.text {
            let plain = format!("id=\"{}\">{}</h", entry.id, entry.text);
            let named = format!("id=\"{}\">{}</h", entry.id, super::format::escape(&name));
            rendered.html = rendered.html.replace(&plain, &named);
        }
    }
    let human = human::split(&rendered);
    let part = |s: Section| human.get(s).map(part_of);
    let target_href = |id: &str| format!("#s-target-{id}");
    let flagged: Vec<Flagged> = flagged_variances(k)
        .iter()
        .map(|id| {
            let heading = explanation(&rendered.toc, id);
            Flagged {
                id: id.clone(),
                name: label_of(c, k, id, ui),
                explained: heading.is_some(),
                href: heading.map(|h| format!("#{}", h.id)),
            }
        })
        .collect();
    Retro {
        header: header(c, k, retro, ui),
        summary: summary_section(c, k, ui, &human, &target_href),
        target_groups: target_groups(c, k, ui),
        goals: goals(c),
        results: &charts.results,
        timeline: Timeline {
            events: timeline_rows(c, k, retro, ui),
            human: part(Section::Timeline),
        },
        phases: phase_table(c, k, days, ui, part(Section::Phases)),
        funnel: funnel_table(c, k, days, ui, part(Section::Funnel)),
        content: content_rows(c, k, ui),
        budget: budget_section(c, k, ui, &charts.budget, flagged, part(Section::Variances)),
        risks: risk_rows(c, k, &rendered.toc, ui),
        risks_human: part(Section::Risks),
        lessons: lessons(k, ui, &human, &target_href, &|id: &str| {
            label_of(c, k, id, ui)
        }),
        root_causes: RootCauses {
            human: part(Section::RootCauses),
            warnings: blame_rows(c, retro),
        },
        actions: action_items(c, k.as_of, ui),
        next: Next {
            hints: hint_rows(c, k, ui),
            human: part(Section::NextPlan),
        },
        appendix: appendix(c, k, ui),
        others: human
            .others()
            .map(|p| Other {
                id: p.heading.id.clone(),
                title: p.heading.text.clone(),
                html: p.html.clone(),
            })
            .collect(),
        preamble: human.preamble.clone(),
        people: super::people::people(c, k, ui),
    }
}

/// A section of the team's text as the page shows it.
fn part_of(p: &human::Part) -> Part {
    Part {
        id: p.heading.id.clone(),
        html: p.html.clone(),
    }
}

/// docs/rules.md#outline item 1: what, when, who, from which data.
fn header(c: &CampaignData, k: &CampaignKpis, retro: &Document, ui: &Value) -> Header {
    let status = retro.front.status.map(|s| match s {
        RetroStatus::Draft => "draft",
        RetroStatus::InReview => "in_review",
        RetroStatus::Final => "final",
    });
    let sources = c
        .source_files()
        .map(|f| Source {
            path: f.path.to_string_lossy().replace('\\', "/"),
            encoding: f.encoding,
            rows: f.rows,
            sha256: f.sha256.clone(),
        })
        .collect();
    let coverage = k.quality.iter().find(|q| q.id == "coverage_low").map(|q| {
        if ui_str(ui, "lang") == "zh" {
            format::pct(Some(q.value))
        } else {
            q.detail.clone()
        }
    });
    let campaign = &c.plan.campaign;
    Header {
        id: campaign.id.clone(),
        name: campaign.name.clone(),
        start: campaign.period.start.to_string(),
        end: campaign.period.end.to_string(),
        as_of: k.as_of.to_string(),
        status,
        status_label: status.map(|s| ui_str(ui, s).to_string()),
        authors: retro
            .front
            .authors
            .iter()
            .map(|a| Author {
                title: role_title(c, a),
                href: format!("../plan/index.html#role-{a}"),
            })
            .collect(),
        retro_date: retro.front.retro_date.map(|d| d.to_string()),
        sources,
        coverage,
        tool_version: env!("CARGO_PKG_VERSION"),
        catalog_version: catalog::VERSION,
    }
}

/// docs/rules.md#outline item 2: the headline strip and the three largest deviations.
fn summary_section(
    c: &CampaignData,
    k: &CampaignKpis,
    ui: &Value,
    human: &Human,
    target_href: &dyn Fn(&str) -> String,
) -> Summary {
    let s = summary::summarize(&c.plan, k);
    let t = &k.budget.total;
    let currency = &c.plan.campaign.currency;
    Summary {
        counts: status_counts(k, ui),
        // The same figures, labels and currency as the report's verdict: spent of the total
        // budget (reserve included), and the forecast that decides the budget status.
        ac_total: format::spend_in(t.ac_total, currency, ui),
        bac_total: format::money_in(t.bac_total, currency),
        cpi: t.cpi.map_or("—".into(), |x| format!("{x:.3}")),
        eac_total: t
            .eac_total
            .map_or_else(|| "—".to_string(), |e| format::money_in(e, currency)),
        eac_vs_budget: format::pct(s.eac_vs_budget),
        reserve_used: format::spend_in(t.reserve_consumed, currency, ui),
        deviations: s
            .top_deviations
            .iter()
            .map(|d| Deviation {
                id: d.target.clone(),
                name: label_of(c, k, &d.target, ui),
                href: target_href(&d.target),
                tolerances: format!("{:.1}", d.tolerances),
                tolerance: tolerance_words(c, k, &d.target, ui),
            })
            .collect(),
        human: human.get(Section::Summary).map(part_of),
    }
}

/// docs/rules.md#outline item 3: one row per target, under the goal it serves (the first goal that
/// lists it, in the plan's order of goals; validation holds every target to a goal).
fn target_groups(c: &CampaignData, k: &CampaignKpis, ui: &Value) -> Vec<TargetGroup> {
    // By the goal's index; a target no goal lists (never in a built site) comes last.
    let mut groups: BTreeMap<usize, Vec<TargetRow>> = BTreeMap::new();
    for (row, target) in target_rows(c, k, ui).into_iter().zip(&c.plan.targets) {
        let goal = c
            .plan
            .goals
            .iter()
            .position(|g| g.targets.contains(&target.id));
        groups
            .entry(goal.unwrap_or(usize::MAX))
            .or_default()
            .push(row);
    }
    groups
        .into_iter()
        .map(|(goal, rows)| TargetGroup {
            goal: c.plan.goals.get(goal).map(|g| g.statement.clone()),
            rows,
        })
        .collect()
}

fn target_rows(c: &CampaignData, k: &CampaignKpis, ui: &Value) -> Vec<TargetRow> {
    k.targets
        .iter()
        .zip(&c.plan.targets)
        .enumerate()
        .map(|(i, (r, t))| {
            let fmt = |v: Option<f64>| format::metric_value(c, &t.metric, v);
            TargetRow {
                id: r.id.clone(),
                metric_name: super::target_name(c, i, ui),
                baseline: fmt(t.baseline.map(|b| b.value())),
                target: fmt(r.target),
                actual: fmt(r.actual),
                gap: format::target_gap(c, t, r.actual, r.target, ui),
                expected: fmt(r.expected),
                status: status_key(r.status),
                icon: status_icon(r.status),
                status_label: ui_str(ui, status_key(r.status)).to_string(),
                low_confidence: r.low_confidence,
                reason: r.reason.as_ref().map(|x| format::reason(x, ui)),
            }
        })
        .collect()
}

/// Goals with their SMART breakdown (shown collapsed).
fn goals(c: &CampaignData) -> Vec<Goal> {
    c.plan
        .goals
        .iter()
        .map(|g| Goal {
            id: g.id.clone(),
            statement: g.statement.clone(),
            targets: g.targets.clone(),
            smart: g
                .smart
                .iter()
                .flat_map(|s| {
                    [
                        ("S", s.specific.clone()),
                        ("M", s.measurable.clone()),
                        ("A", s.achievable.clone()),
                        ("R", s.relevant.clone()),
                        ("T", s.time_bound.map(|d| d.to_string())),
                    ]
                })
                .filter_map(|(k, v)| v.map(|v| (k, v)))
                .collect(),
        })
        .collect()
}

/// docs/rules.md#outline item 5.
fn timeline_rows(c: &CampaignData, k: &CampaignKpis, retro: &Document, ui: &Value) -> Vec<Event> {
    let notes: Vec<(Date, String)> = retro
        .front
        .timeline_notes
        .iter()
        .map(|n| (n.date, n.note.clone()))
        .collect();
    timeline::events(c, k, &notes)
        .into_iter()
        .map(|e| {
            use timeline::Kind;
            let (label, status, detail) = match &e.kind {
                Kind::PhaseStart => ("ev_phase_start", None, None),
                Kind::PhaseEnd => ("ev_phase_end", None, None),
                Kind::Milestone { done: Some(d), .. } => {
                    let late = crate::model::plan::days_between(e.date, *d);
                    let detail = if late > 0 {
                        format!(
                            "{} {d} · {late} {}",
                            ui_str(ui, "done_on"),
                            ui_str(ui, "days_late")
                        )
                    } else {
                        format!("{} {d} · {}", ui_str(ui, "done_on"), ui_str(ui, "on_time"))
                    };
                    (
                        "ev_milestone",
                        Some(if late > 0 { "at_risk" } else { "met" }),
                        Some(detail),
                    )
                }
                Kind::Milestone {
                    done: None,
                    recorded: true,
                } => (
                    "ev_milestone",
                    (e.date < k.as_of).then_some("missed"),
                    Some(ui_str(ui, "not_done").to_string()),
                ),
                // No progress row speaks of it: neither done nor missed, and the page says so.
                Kind::Milestone {
                    done: None,
                    recorded: false,
                } => (
                    "ev_milestone",
                    None,
                    Some(ui_str(ui, "no_milestone_record").to_string()),
                ),
                Kind::Activity => ("ev_activity", None, None),
                Kind::Promotion => ("ev_promotion", None, None),
                Kind::Revision => ("ev_revision", None, None),
                Kind::RiskFired => ("ev_risk_fired", Some("missed"), None),
                Kind::Note => ("ev_note", None, None),
            };
            Event {
                date: e.date.to_string(),
                kind: ui_str(ui, label).to_string(),
                id: e.id,
                text: e.text,
                status,
                detail,
            }
        })
        .collect()
}

/// docs/rules.md#outline item 6: the targeted metrics per phase.
fn phase_table(
    c: &CampaignData,
    k: &CampaignKpis,
    days: &super::charts::Days,
    ui: &Value,
    human: Option<Part>,
) -> Phases {
    let people = compute::inputs::People::of(c, k.as_of);
    let phases = review::phases(&c.plan, days, c.ledger.as_deref(), people, k.as_of);
    let metrics = phases
        .iter()
        .find(|p| !p.metrics.is_empty())
        .map(|p| {
            p.metrics
                .iter()
                .map(|(m, _)| Column {
                    name: metric_name(c, m, ui),
                    anchor: anchor(m),
                })
                .collect()
        })
        .unwrap_or_default();
    let rows = phases
        .iter()
        .map(|p| PhaseRow {
            id: p.id.clone(),
            name: p.name.clone(),
            start: p.start.to_string(),
            end: p.end.to_string(),
            to: p.evaluated_to.map(|d| d.to_string()),
            values: p
                .metrics
                .iter()
                .map(|(m, v)| format::metric_value(c, m, v.as_ref().ok().copied()))
                .collect(),
        })
        .collect();
    Phases {
        metrics,
        rows,
        human,
    }
}

/// docs/rules.md#outline item 7: stage totals, step rates against `step_targets`, drop-off.
fn funnel_table(
    c: &CampaignData,
    k: &CampaignKpis,
    days: &super::charts::Days,
    ui: &Value,
    human: Option<Part>,
) -> Option<Funnel> {
    let f = c.plan.funnel.as_ref()?;
    let window = compute::window::Window::new(
        days,
        c.plan.campaign.period.start,
        c.plan.campaign.period.end.min(k.as_of),
    );
    let mut previous: Option<rust_decimal::Decimal> = None;
    let rows = f
        .stages
        .iter()
        .map(|s| {
            let total = window.total(&s.column);
            let rate = k
                .metrics
                .get(&format!("funnel_step_rate.{}", s.id))
                .and_then(|v| v.as_ref().ok().copied());
            let target = f.step_targets.get(&s.id).map(|r| r.0);
            let status = match (rate, target) {
                (Some(a), Some(t)) => Some(if a >= t { "met" } else { "missed" }),
                _ => None,
            };
            let drop = match (previous, total) {
                (Some(p), Some(t)) => Some(format::count(compute::window::to_f64(p - t))),
                _ => None,
            };
            previous = total;
            FunnelRow {
                name: s.name.clone(),
                count: total.map(|t| format::count(compute::window::to_f64(t))),
                rate: rate.map(|r| format::pct(Some(r))),
                target: target.map(|t| format::pct(Some(t))),
                status,
                status_label: status.map(|s| ui_str(ui, s).to_string()),
                drop,
            }
        })
        .collect();
    Some(Funnel { rows, human })
}

/// docs/rules.md#outline item 8: the activities with their planned size, and the content measures
/// computed.
fn content_rows(c: &CampaignData, k: &CampaignKpis, ui: &Value) -> Content {
    let activities = c
        .plan
        .activities
        .iter()
        .map(|a| Activity {
            id: a.id.clone(),
            name: a.name.clone(),
            dates: super::people::activity_dates(a),
            expected: a.expected_participants,
        })
        .collect();
    // With an attendance file the activity section above states the coverage, with its note.
    let metrics = [
        "ugc_share",
        "event_coverage",
        "calendar_execution_rate",
        "checkin_rate",
    ]
    .iter()
    .filter(|m| !(**m == "event_coverage" && c.attendance.is_some()))
    .filter_map(|m| Some(MetricRow::new(c, m, k.metrics.get(*m)?, ui)))
    .collect();
    Content {
        activities,
        metrics,
    }
}

/// docs/rules.md#outline item 9: the budget tables (docs/rules.md#budget), the bridge and the
/// burn-up, and which variances are explained.
fn budget_section<'a>(
    c: &CampaignData,
    k: &CampaignKpis,
    ui: &Value,
    charts: &'a [super::charts::Chart],
    flagged: Vec<Flagged>,
    human: Option<Part>,
) -> Budget<'a> {
    let t = &k.budget.total;
    let ratio = |x: Option<f64>| x.map_or("—".into(), |x| format!("{x:.3}"));
    // BAC and AC here are the plan without its reserve (the EVM baseline), named so, never
    // confused with the total budget and total spend of the summary. The report's one forecast
    // is `eac_total`; the three EVM estimates are shown here only, as alternatives.
    let named = |key: &str, plain: &str| format!("{} · {}", ui_str(ui, key), ui_str(ui, plain));
    let alternative = |key: &str| format!("{}{}", ui_str(ui, key), ui_str(ui, "ev_alternative"));
    let currency = &c.plan.campaign.currency;
    let money = |d| format::money_in(d, currency);
    let money_opt = |d: Option<rust_decimal::Decimal>| d.map_or_else(|| "—".to_string(), money);
    let evm: Vec<(String, String)> = vec![
        (named("ev_bac", "planned_budget"), money(t.bac)),
        (ui_str(ui, "ev_pv").to_string(), money(t.pv)),
        (ui_str(ui, "ev_ev").to_string(), money_opt(t.ev)),
        (
            named("ev_ac", "spent_in_plan"),
            format::spend_in(t.ac, currency, ui),
        ),
        (ui_str(ui, "ev_cv").to_string(), money_opt(t.cv)),
        (ui_str(ui, "ev_sv").to_string(), money_opt(t.sv)),
        (ui_str(ui, "ev_cpi").to_string(), ratio(t.cpi)),
        (ui_str(ui, "ev_spi").to_string(), ratio(t.spi)),
        (alternative("ev_eac_typical"), money_opt(t.eac_typical)),
        (alternative("ev_eac_atypical"), money_opt(t.eac_atypical)),
        (alternative("ev_eac_composite"), money_opt(t.eac_composite)),
        (ui_str(ui, "ev_vac").to_string(), money_opt(t.vac)),
        (ui_str(ui, "ev_tcpi").to_string(), ratio(t.tcpi_bac)),
    ];
    let shares = k
        .budget
        .indicators
        .shares
        .iter()
        .map(|s| Share {
            id: s.id.clone(),
            name: super::category_name(c, &s.id),
            planned: format::pct(s.planned),
            actual: format::pct(s.actual),
            drift: format::pp_in(s.drift, ui),
        })
        .collect();
    Budget {
        categories: category_rows(c, k, ui),
        evm,
        shares,
        reserve_used: format::spend_in(t.reserve_consumed, currency, ui),
        committed: format::spend_in(t.committed, currency, ui),
        charts,
        flagged,
        human,
    }
}

/// docs/rules.md#outline item 10: per risk, whether it fired, and whether the post-mortem says how
/// it went.
fn risk_rows(
    c: &CampaignData,
    k: &CampaignKpis,
    toc: &[markdown::TocEntry],
    ui: &Value,
) -> Vec<RiskRow> {
    k.risks
        .iter()
        .zip(c.plan.risks.iter().flat_map(|r| r.items.iter()))
        .map(|(r, item)| {
            let note = explanation(toc, &r.id);
            let (watches, value) = super::trigger_words(c, item, r.value, ui);
            RiskRow {
                id: r.id.clone(),
                title: item.title.clone(),
                level: super::level_word(r.level.as_deref(), ui),
                level_reason: item.level_reason.clone(),
                score: format!("{}×{} = {}", item.probability, item.impact, r.score),
                watches,
                fired: r.fired,
                first_fired: r.first_fired.clone(),
                value,
                response: item.response.clone(),
                note_href: note.map(|h| format!("#{}", h.id)),
            }
        })
        .collect()
}

/// docs/rules.md#outline item 11: the three human sections, each with its prompts beside it.
fn lessons(
    k: &CampaignKpis,
    ui: &Value,
    human: &Human,
    target_href: &dyn Fn(&str) -> String,
    name: &dyn Fn(&str) -> String,
) -> Vec<Lesson> {
    let prompts = review::prompts(k);
    [
        (
            Section::WentWell,
            review::Lesson::WentWell,
            "s_went_well",
            "went-well",
        ),
        (
            Section::WentWrong,
            review::Lesson::WentWrong,
            "s_went_wrong",
            "went-wrong",
        ),
        (Section::Lucky, review::Lesson::Lucky, "s_lucky", "lucky"),
    ]
    .into_iter()
    .map(|(section, lesson, title, id)| {
        let items = prompts
            .iter()
            .filter(|(kind, _)| kind.lesson() == lesson)
            .map(|(kind, ids)| {
                let href = |id: &str| match kind {
                    PromptKind::CpiAtLeastOne | PromptKind::CpiBelow | PromptKind::OverBudget => {
                        format!("#s-cat-{id}")
                    }
                    PromptKind::RisksFired => format!("#s-risk-{id}"),
                    _ => target_href(id),
                };
                let named = |i: &str| match kind {
                    PromptKind::CpiAtLeastOne | PromptKind::CpiBelow | PromptKind::OverBudget => {
                        name(&format!("budget:{i}"))
                    }
                    _ => name(i),
                };
                Prompt {
                    label: ui_str(ui, prompt_key(*kind)).to_string(),
                    ids: ids
                        .iter()
                        .map(|i| Link {
                            id: i.clone(),
                            name: named(i),
                            href: href(i),
                        })
                        .collect(),
                }
            })
            .collect();
        Lesson {
            id,
            title: ui_str(ui, title).to_string(),
            prompts: items,
            human: human.get(section).map(part_of),
        }
    })
    .collect()
}

fn prompt_key(kind: PromptKind) -> &'static str {
    match kind {
        PromptKind::MetEarly => "p_met_early",
        PromptKind::Met => "p_met",
        PromptKind::CpiAtLeastOne => "p_cpi_ok",
        PromptKind::Missed => "p_missed",
        PromptKind::AtRisk => "p_at_risk",
        PromptKind::CpiBelow => "p_cpi_below",
        PromptKind::OverBudget => "p_over",
        PromptKind::RisksFired => "p_risks_fired",
        PromptKind::MissedWithinTolerance => "p_within_tolerance",
        PromptKind::MetLowConfidence => "p_low_confidence",
    }
}

/// docs/rules.md#outline item 12: the blameless linter's findings, shown beside the root causes.
fn blame_rows(c: &CampaignData, retro: &Document) -> Vec<Blame> {
    let lines: Vec<&str> = retro.body.lines().collect();
    crate::validate::blame::findings(&retro.body, retro.body_line, &c.plan)
        .into_iter()
        .map(|f| Blame {
            text: lines
                .get(f.line - retro.body_line)
                .map(|l| l.trim().to_string()),
            line: f.line,
            role: f.role,
            word: f.word,
        })
        .collect()
}

/// Target `id`'s tolerance in its metric's unit (`2.0 个百分点`, `1.0`): "the gap is 6.4
/// tolerances" means nothing without it.
fn tolerance_words(c: &CampaignData, k: &CampaignKpis, id: &str, ui: &Value) -> String {
    let found = k
        .targets
        .iter()
        .zip(&c.plan.targets)
        .find(|(r, _)| r.id == id);
    let Some((r, t)) = found else {
        return "—".to_string();
    };
    let tolerance = compute::targets::tolerance_of(t, r.target);
    format::metric_gap(c, &t.metric, Some(tolerance), Some(0.0), ui)
        .trim_start_matches('+')
        .to_string()
}

/// docs/rules.md#outline item 14: hints, labelled as hints.
fn hint_rows(c: &CampaignData, k: &CampaignKpis, ui: &Value) -> Vec<HintRow> {
    review::hints(&c.plan, k)
        .into_iter()
        .map(|h| match h {
            Hint::Raise {
                target,
                tolerances,
                lower_is_better,
            } => HintRow {
                subject: label_of(c, k, &target, ui),
                href: format!("#s-target-{target}"),
                text: format!(
                    "{}{}{}{}",
                    ui_str(
                        ui,
                        if lower_is_better {
                            "h_lower"
                        } else {
                            "h_raise"
                        }
                    ),
                    ui_str(ui, "paren_open"),
                    ui_str(ui, "gap_tolerances")
                        .replace("{0}", &format!("{tolerances:.1}"))
                        .replace("{1}", &tolerance_words(c, k, &target, ui)),
                    ui_str(ui, "paren_close")
                ),
            },
            Hint::FixData { target } => HintRow {
                subject: label_of(c, k, &target, ui),
                href: format!("#s-target-{target}"),
                text: ui_str(ui, "h_fix_data").to_string(),
            },
            Hint::Resplit {
                category,
                planned,
                actual,
                cpi,
            } => HintRow {
                subject: super::category_name(c, &category),
                href: format!("#s-cat-{category}"),
                text: format!(
                    "{}{}{} {} → {} {}{}{} {}",
                    ui_str(ui, "h_resplit"),
                    ui_str(ui, "colon"),
                    ui_str(ui, "planned_share"),
                    format::pct(Some(planned)),
                    ui_str(ui, "actual_share"),
                    format::pct(Some(actual)),
                    ui_str(ui, "sentence_sep"),
                    ui_str(ui, "ev_cpi"),
                    cpi.map_or("—".into(), |x| format!("{x:.2}"))
                ),
            },
        })
        .collect()
}

/// docs/rules.md#outline item 15: definitions of the KPIs targeted, and the data-quality checks.
fn appendix(c: &CampaignData, k: &CampaignKpis, ui: &Value) -> Appendix {
    let zh = ui_str(ui, "lang") == "zh";
    let mut seen = Vec::new();
    let kpis = c
        .plan
        .targets
        .iter()
        .filter(|t| {
            let new = !seen.contains(&t.metric);
            seen.push(t.metric.clone());
            new
        })
        .map(|t| {
            let def = catalog::lookup(&t.metric);
            KpiDefinition {
                name: metric_name(c, &t.metric, ui),
                id: t.metric.clone(),
                anchor: anchor(&t.metric),
                formula: def.map(|d| d.formula),
                aggregation: def.map(|d| {
                    if zh {
                        super::rollups::aggregation_zh(d.aggregation)
                    } else {
                        d.aggregation
                    }
                }),
                option: t.agg.map(|a| aggregation_option(a, ui)),
            }
        })
        .collect();
    Appendix {
        kpis,
        quality: quality_rows(k, ui),
        catalog_version: catalog::VERSION,
        playbooks: c.plan.playbooks.iter().map(|p| p.title.clone()).collect(),
    }
}

/// docs/rules.md#outline item 13: this retro's action items sorted by priority then due date,
/// followed by the previous retro's items that are still open (carried over); overdue items are
/// flagged.
fn action_items(c: &CampaignData, as_of: Date, ui: &Value) -> String {
    if c.action_items.is_empty() && c.previous_action_items.is_empty() {
        return String::new();
    }
    let mut items: Vec<(&ActionItem, bool)> = c.action_items.iter().map(|i| (i, false)).collect();
    items.sort_by(|(a, _), (b, _)| (a.priority, a.due, &a.id).cmp(&(b.priority, b.due, &b.id)));
    let mut carried: Vec<(&ActionItem, bool)> = c
        .previous_action_items
        .iter()
        .filter(|i| i.status.is_open())
        .map(|i| (i, true))
        .collect();
    carried.sort_by(|(a, _), (b, _)| (a.priority, a.due, &a.id).cmp(&(b.priority, b.due, &b.id)));
    items.extend(carried);
    let label = |key: &str| format::escape(ui_str(ui, key));
    let (owner, due, priority, status_label) = (
        label("owner"),
        label("due"),
        label("priority"),
        label("status"),
    );
    let mut html = format!(
        "<table class=\"cards\">\n<thead><tr><th>{}</th><th>{owner}</th><th>{due}</th><th>{priority}</th><th>{status_label}</th></tr></thead>\n<tbody>\n",
        label("action"),
    );
    for (item, from_previous) in items {
        let overdue = item.status.is_open() && item.due < as_of;
        let mut status = ui_str(
            ui,
            match item.status {
                ActionStatus::Open => "action_open",
                ActionStatus::InProgress => "action_in_progress",
                ActionStatus::Done => "action_done",
                ActionStatus::Dropped => "action_dropped",
            },
        )
        .to_string();
        if overdue {
            status = format!("⚠ {} · {}", ui_str(ui, "overdue"), status);
        }
        let mut action = format::escape(&item.action);
        if from_previous {
            action = format!(
                "↪ {} · {action}",
                format::escape(ui_str(ui, "carried_over"))
            );
        }
        html.push_str(&format!(
            "<tr id=\"{}\"><td class=\"card-title\">{action}<br><small>{}</small></td><td data-label=\"{owner}\">{}</td><td data-label=\"{due}\">{}</td><td data-label=\"{priority}\">{:?}</td><td data-label=\"{status_label}\">{}</td></tr>\n",
            format::escape(&item.id),
            format::escape(&item.success_criterion),
            format::escape(&super::role_title(c, &item.owner)),
            item.due,
            item.priority,
            format::escape(&status),
        ));
    }
    html.push_str("</tbody>\n</table>\n");
    html
}

/// A target's `agg:` option in words.
fn aggregation_option(a: crate::model::plan::Aggregation, ui: &Value) -> &'static str {
    use crate::model::plan::Aggregation::*;
    match (a, ui_str(ui, "lang") == "zh") {
        (RatioOfSums, true) => "合计之比",
        (MeanOfDaily, true) => "每日比率的均值",
        (RatioOfSums, false) => "ratio of sums",
        (MeanOfDaily, false) => "mean of daily ratios",
    }
}
