//! Validation: the cross-document rules of docs/rules.md#validation-rules over a parsed plan and
//! its loaded exports. Every check pushes located diagnostics; nothing here reads files.

pub mod blame;
pub mod links;
pub mod refs;
pub mod rules;

use std::collections::BTreeSet;

use crate::diag::Diagnostic;
use crate::load::yaml::YamlDoc;
use crate::model::catalog::{self, Export, Source};
use crate::model::columns::daily_index;
use crate::model::plan::Plan;
use crate::model::site::CampaignData;

/// Every plan-only rule: ids, references, sums, dates, targets.
pub fn plan(
    plan: &Plan,
    doc: &YamlDoc,
    site_playbooks: &BTreeSet<String>,
    out: &mut Vec<Diagnostic>,
) {
    refs::check(plan, doc, site_playbooks, out);
    rules::check(plan, doc, out);
    if plan.data.daily.is_none() && plan.data.events.is_none() {
        // A spend-only plan (an ad campaign read from its reports) is fine: its activity
        // figures are not computable, its budget is. With no spend either, it reads nothing.
        if plan.data.ledger.is_none() {
            out.push(
                doc.error(
                    "no-data-source",
                    "data",
                    "the plan reads no data: none of `data.daily`, `data.events` or `data.ledger` is set",
                )
                .expected("a daily export (`daily: {path: …}`), an event log (`events: {path: …}`) or a spend ledger (`ledger: {path: …}`)")
                .help("add `daily: {path: <campaign>/daily.csv}` under `data:`"),
            );
        } else {
            out.push(
                doc.note(
                    "spend-only",
                    "data",
                    "the plan reads spend only (no `data.daily` or `data.events`): activity figures are not computable, budget figures are",
                )
                .help("add `daily:` or `events:` under `data:` when the campaign's activity should be measured too"),
            );
        }
    }
    if let Some(text) = plan
        .data
        .daily
        .as_ref()
        .and_then(|d| d.granularity.as_deref())
        && let Err(msg) = crate::model::table::Spacing::parse(text)
    {
        out.push(
            doc.error("bad-granularity", "data.daily.granularity", msg)
                .found(format!("`{text}`"))
                .expected("daily, weekly, monthly or \"days:N\"")
                .help("write what one row of the export stands for, e.g. `granularity: \"days:30\"` for 30-day buckets"),
        );
    }
    for (field, src) in plan.data.events.iter().flat_map(|e| e.items("data.events")) {
        if let Some(c) = src.covers
            && c.start > c.end
        {
            out.push(
                doc.error(
                    "bad-period",
                    &format!("{field}.covers"),
                    "`covers` ends before it starts",
                )
                .found(format!("{} … {}", c.start, c.end))
                .help("swap the dates"),
            );
        }
    }
    let ledgers: Vec<(String, &crate::model::plan::DataSource)> = plan
        .data
        .ledger
        .iter()
        .flat_map(|l| l.items("data.ledger"))
        .collect();
    let mut not_events: Vec<(String, &crate::model::plan::DataSource)> = ledgers.clone();
    not_events.extend(
        plan.data
            .daily
            .iter()
            .map(|s| ("data.daily".to_string(), s)),
    );
    not_events.extend(
        plan.data
            .progress
            .iter()
            .map(|s| ("data.progress".to_string(), s)),
    );
    for (field, src) in &not_events {
        if src.covers.is_some() {
            out.push(
                doc.error(
                    "invalid-key",
                    &format!("{field}.covers"),
                    "`covers` belongs to event sources only",
                )
                .help("a daily export or ledger covers the days it has rows for; remove the key"),
            );
        }
    }
    let mut with_category: Vec<(String, &crate::model::plan::DataSource)> = not_events;
    with_category.extend(plan.data.events.iter().flat_map(|e| e.items("data.events")));
    for (field, src) in &with_category {
        let Some(category) = &src.category else {
            continue;
        };
        let ids: Vec<&str> = plan
            .budget
            .categories
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        if !field.starts_with("data.ledger") {
            out.push(
                doc.error(
                    "invalid-key",
                    &format!("{field}.category"),
                    "`category` belongs to spend sources (`data.ledger`) only",
                )
                .help("remove the key"),
            );
        } else if !ids.contains(&category.as_str()) {
            let mut d = doc
                .error(
                    "unresolved-reference",
                    &format!("{field}.category"),
                    format!("`{category}` is not a budget category"),
                )
                .found(format!("`{category}`"))
                .expected(format!("one of {}", ids.join(", ")));
            if let Some(best) = crate::diag::did_you_mean(category, ids.iter().copied()) {
                d = d.help(format!("did you mean `{best}`?"));
            }
            out.push(d);
        }
    }
    for (i, m) in plan.custom_metrics.iter().enumerate() {
        let cols = std::iter::once(("numerator", &m.numerator))
            .chain(m.denominator.as_ref().map(|d| ("denominator", d)));
        for (key, c) in cols {
            if daily_index(&c.column).is_none() {
                let mut d = doc
                    .error(
                        "unknown-column",
                        &format!("custom_metrics[{i}].{key}.column"),
                        format!("`{}` is not a canonical daily column", c.column),
                    )
                    .expected("a canonical daily column (docs/reference.md#daily-export-columns)");
                if let Some(best) =
                    crate::diag::did_you_mean(&c.column, crate::model::columns::daily_names())
                {
                    d = d.help(format!("did you mean `{best}`?"));
                }
                out.push(d);
            }
        }
    }
}

/// Rule 2 and rule 8 of docs/rules.md#validation-rules: the exports must feed every targeted
/// metric, and target windows are compared with the data's dates.
pub fn data(campaign: &CampaignData, doc: &YamlDoc, out: &mut Vec<Diagnostic>) {
    let plan = &campaign.plan;
    // A spend-only plan knows its activity targets cannot be computed: said, not refused.
    let spend_only = plan.data.daily.is_none() && plan.data.events.is_none();
    let present = &campaign.daily.present;
    let range = campaign.daily.date_range();
    for (i, t) in plan.targets.iter().enumerate() {
        let field = format!("targets[{i}].metric");
        for problem in missing_inputs(plan, &t.metric, present) {
            let d = doc
                .error(
                    "not-computable",
                    &field,
                    format!(
                        "target `{}` cannot be computed: `{}` needs {}",
                        t.id, t.metric, problem.needs
                    ),
                )
                .help(problem.help);
            out.push(if problem.optional || spend_only {
                d.downgraded()
            } else {
                d
            });
        }
        if let Some((first, last)) = range {
            if t.window.end > last {
                out.push(
                    doc.note("in-progress", &format!("targets[{i}].window.end"), format!("target `{}` ends {} after the last data date {last}; it is evaluated as in progress", t.id, t.window.end))
                        .help("this is expected while a campaign or a long target window is running"),
                );
            }
            if t.window.start < first && t.baseline.is_none() {
                out.push(
                    doc.warning("no-baseline", &format!("targets[{i}].window.start"), format!("target `{}` starts {} before the first data date {first} and has no baseline", t.id, t.window.start))
                        .help("add a `baseline:` so the start of the window has a value"),
                );
            }
        }
    }
    members_outside_the_period(campaign, doc, out);
    if let Some(risks) = &plan.risks {
        for (i, r) in risks.items.iter().enumerate() {
            let Some(metric) = r.trigger.as_ref().and_then(|t| t.metric.as_deref()) else {
                continue;
            };
            for problem in missing_inputs(plan, metric, present) {
                out.push(
                    doc.warning(
                        "trigger-not-computable",
                        &format!("risks.items[{i}].trigger.metric"),
                        format!(
                            "the trigger of risk `{}` cannot be evaluated: `{metric}` needs {}",
                            r.id, problem.needs
                        ),
                    )
                    .help(problem.help),
                );
            }
        }
    }
}

/// Members of the list who were no members on any day of the campaign: said once, with how
/// many and why, so that an analyst who counts the file's buyers knows why the page has fewer.
/// Never an id: the file is private.
fn members_outside_the_period(campaign: &CampaignData, doc: &YamlDoc, out: &mut Vec<Diagnostic>) {
    let Some(members) = &campaign.members else {
        return;
    };
    let period = campaign.plan.campaign.period;
    let left_before = members
        .rows
        .iter()
        .filter(|m| m.left_on.is_some_and(|l| l <= period.start))
        .count();
    let joined_after = members
        .rows
        .iter()
        .filter(|m| m.joined_on > period.end)
        .count();
    if left_before + joined_after == 0 {
        return;
    }
    out.push(
        doc.note(
            "member-outside-period",
            "data.members.path",
            format!(
                "{} member(s) of the list were no members during the campaign ({left_before} left on or before {}, {joined_after} joined after {}): no figure of it counts them",
                left_before + joined_after,
                period.start,
                period.end
            ),
        )
        .help("a store's customer list keeps those who left the group; their orders and tiers are not this campaign's"),
    );
}

/// What a metric lacks in this campaign's data.
struct Missing {
    needs: String,
    help: String,
    optional: bool,
}

fn missing_inputs(plan: &Plan, metric: &str, present: &BTreeSet<&'static str>) -> Vec<Missing> {
    let column = |c: &str| Missing {
        needs: format!("the daily column `{c}`, which the export does not map"),
        help: format!("map it in `data.daily.columns` (e.g. `{c}: <header>`), or drop the target"),
        optional: false,
    };
    let mut out = Vec::new();
    if metric == "funnel_overall_rate" || metric.starts_with("funnel_step_rate.") {
        match &plan.funnel {
            None => out.push(Missing {
                needs: "a `funnel` section".into(),
                help: "define `funnel.stages`".into(),
                optional: false,
            }),
            Some(f) => out.extend(
                f.stages
                    .iter()
                    .filter(|s| !present.contains(s.column.as_str()))
                    .map(|s| column(&s.column)),
            ),
        }
        return out;
    }
    if let Some(cm) = plan.custom_metrics.iter().find(|m| m.id == metric) {
        let cols = std::iter::once(&cm.numerator).chain(cm.denominator.as_ref());
        out.extend(
            cols.filter(|c| !present.contains(c.column.as_str()))
                .map(|c| column(&c.column)),
        );
        return out;
    }
    let Some(def) = catalog::lookup(metric) else {
        return out;
    };
    if def.needs_members()
        && !present.contains("members")
        && !matches!(def.source, Source::External(_))
    {
        out.push(column("members"));
    }
    match def.source {
        Source::Daily(cols) => out.extend(
            cols.iter()
                .filter(|c| !present.contains(**c))
                .map(|c| column(c)),
        ),
        Source::DailyAndLedger(cols) => {
            out.extend(
                cols.iter()
                    .filter(|c| !present.contains(**c))
                    .map(|c| column(c)),
            );
            if plan.data.ledger.is_none() {
                out.push(Missing {
                    needs: "a spend ledger".into(),
                    help: "declare `data.ledger`".into(),
                    optional: false,
                });
            }
        }
        Source::External(what) => {
            let declared = match what {
                Export::Members | Export::MembersWithTierSince => plan.data.members.as_ref(),
                Export::Activities => plan.data.activities.as_ref(),
                _ => None,
            };
            // A declared members or activities file feeds it; what the file lacks, the figure
            // says itself (a column, empty cells), once computed.
            if declared.is_some_and(|s| !s.optional) {
                return out;
            }
            out.push(Missing {
                needs: what.to_string(),
                help: format!("this version computes it only from {what}; it is reported as \"not computable\""),
                optional: declared.is_some_and(|s| s.optional),
            });
        }
    }
    out
}
