//! The post-mortem page of reference §F.3: generated results, the human sections of `retro.md`
//! with "待填写" for the missing ones, and "⚠ 待说明" for flagged variances it does not explain.

use serde_json::{Value, json};

use super::markdown::{self, UrlMap};
use super::{format, metric_name, status_icon, status_key, ui_str};
use crate::compute::{self, CampaignKpis, targets::Status};
use crate::model::plan::{ActionItem, ActionStatus};
use crate::model::site::{CampaignData, Document, Site};
use crate::model::values::Date;

/// Flagged variances (missed targets, categories over budget) that the post-mortem does not
/// explain under a heading naming them (`### t_active30`, `### budget:promotion`, §F.2).
pub fn unexplained_variances(k: &CampaignKpis, toc: &[markdown::TocEntry]) -> Vec<String> {
    k.targets
        .iter()
        .filter(|t| t.status == Status::Missed)
        .map(|t| t.id.clone())
        .chain(
            k.budget
                .categories
                .iter()
                .filter(|b| b.status == compute::budget::BudgetStatus::Over)
                .map(|b| format!("budget:{}", b.id)),
        )
        .filter(|id| !toc.iter().any(|h| h.text.contains(id.as_str())))
        .collect()
}

/// Problems of a final post-mortem for `check --strict`: flagged variances it does not explain.
pub fn strict_retro_problems(site: &Site, as_of: Option<Date>) -> Vec<crate::diag::Diagnostic> {
    let mut out = Vec::new();
    for c in &site.campaigns {
        let Some(retro) = &c.retro else { continue };
        if retro.front.status != Some(crate::model::site::RetroStatus::Final) {
            continue;
        }
        let Some(date) = as_of.or_else(|| compute::default_as_of(c)) else {
            continue;
        };
        let k = compute::campaign(c, date);
        let toc = markdown::render(
            &retro.body,
            &retro.path,
            "x/index.html",
            &UrlMap::new(),
            true,
        )
        .toc;
        for id in unexplained_variances(&k, &toc) {
            out.push(
                crate::diag::Diagnostic::error(
                    "unexplained-variance",
                    &retro.path,
                    format!("the final post-mortem does not explain `{id}`"),
                )
                .at_line(retro.body_line)
                .help(format!(
                    "add a `### {id}` section under `## 关键偏差说明`, or set `status: draft`"
                )),
            );
        }
    }
    out
}

/// The human sections of §F.2, in order; a missing one is shown as "待填写".
const RETRO_SECTIONS: &[&str] = &[
    "总结",
    "关键偏差说明",
    "做得好的",
    "做得不好的",
    "侥幸之处",
    "根因分析",
    "下期调整建议",
];

pub(crate) fn retro_context(
    c: &CampaignData,
    k: &CampaignKpis,
    retro: &Document,
    ui: &Value,
    urls: &UrlMap,
    page: &str,
    raw: bool,
) -> Value {
    let r = markdown::render(&retro.body, &retro.path, page, urls, raw);
    let mut html = String::new();
    html.push_str(&format!(
        "<h2 id=\"generated\">{}</h2>\n<ul>\n",
        format::escape(ui_str(ui, "generated_summary"))
    ));
    for t in &k.targets {
        html.push_str(&format!(
            "<li><span class=\"status {}\">{} {}</span> {} — {} {}</li>\n",
            status_key(t.status),
            status_icon(t.status),
            format::escape(ui_str(ui, status_key(t.status))),
            format::escape(&t.id),
            format::escape(&metric_name(c, &t.metric, ui)),
            format::escape(&format::metric_value(c, &t.metric, t.actual)),
        ));
    }
    html.push_str("</ul>\n");
    let missing = unexplained_variances(k, &r.toc);
    if !missing.is_empty() {
        html.push_str(&format!(
            "<p class=\"status at_risk\">⚠ 待说明: {}</p>\n",
            format::escape(
                &missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        ));
    }
    html.push_str(&r.html);
    for s in RETRO_SECTIONS {
        if !r.toc.iter().any(|h| h.level == 2 && h.text.starts_with(s)) {
            html.push_str(&format!(
                "<h2 id=\"todo-{}\">{}</h2>\n<p class=\"status unknown\">待填写</p>\n",
                markdown::slug(s),
                format::escape(s)
            ));
        }
    }
    html.push_str(&action_items(c, k.as_of, ui));
    json!({"summary": (), "toc": r.toc, "body": html, "backlinks": []})
}

/// §F.3 item 13: this retro's action items sorted by priority then due date, followed by the
/// previous retro's items that are still open (carried over); overdue items are flagged.
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
    let mut html = format!(
        "<h2 id=\"action-items\">{}</h2>\n<table>\n<thead><tr><th>id</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        format::escape(ui_str(ui, "action_items")),
        format::escape(ui_str(ui, "action")),
        format::escape(ui_str(ui, "owner")),
        format::escape(ui_str(ui, "due")),
        format::escape(ui_str(ui, "priority")),
        format::escape(ui_str(ui, "status")),
    );
    for (item, from_previous) in items {
        let overdue = item.status.is_open() && item.due < as_of;
        let mut status = match item.status {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
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
            "<tr id=\"{}\"><td>{}</td><td>{action}<br><small>{}</small></td><td>{}</td><td>{}</td><td>{:?}</td><td>{}</td></tr>\n",
            format::escape(&item.id),
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
