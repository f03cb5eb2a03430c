//! Post-mortem action items (docs/rules.md#action-items): a YAML list validated so that every item
//! has a role as owner, a due date on or after the retro date, and a unique id.

use std::collections::BTreeSet;
use std::path::Path;

use super::yaml::YamlDoc;
use crate::diag::{Diagnostic, did_you_mean};
use crate::model::plan::ActionItem;
use crate::model::values::Date;

/// Parses and checks one action-item file. `roles` are the plan's role ids; `not_before` is the
/// retro date, when known (only this retro's items are held to it).
pub fn parse(
    rel: &Path,
    text: &str,
    roles: &[&str],
    not_before: Option<Date>,
) -> (Vec<ActionItem>, Vec<Diagnostic>) {
    let doc = match YamlDoc::parse(rel, text) {
        Ok(d) => d,
        Err(e) => return (Vec::new(), vec![*e]),
    };
    let items: Vec<ActionItem> = match doc.section("") {
        Ok(items) => items,
        Err(e) => return (Vec::new(), vec![*e]),
    };
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        if !seen.insert(item.id.as_str()) {
            out.push(
                doc.error(
                    "duplicate-id",
                    &format!("[{i}].id"),
                    format!("action item `{}` is listed twice", item.id),
                )
                .help("give every action item its own id"),
            );
        }
        if !roles.contains(&item.owner.as_str()) {
            let mut d = doc
                .error(
                    "unresolved-reference",
                    &format!("[{i}].owner"),
                    format!("owner `{}` is not a role of the plan", item.owner),
                )
                .expected(
                    "a role id from `team.roles` (roles, not people: post-mortems stay blameless)",
                );
            if let Some(best) = did_you_mean(&item.owner, roles.iter().copied()) {
                d = d.help(format!("did you mean `{best}`?"));
            } else {
                d = d.help("use a role id");
            }
            out.push(d);
        }
        if let Some(date) = not_before
            && item.due < date
        {
            out.push(
                doc.error(
                    "due-before-retro",
                    &format!("[{i}].due"),
                    format!(
                        "action item `{}` is due {} , before the retro on {date}",
                        item.id, item.due
                    ),
                )
                .help("an action decided at the retro is due on or after it"),
            );
        }
        if item.success_criterion.trim().is_empty() {
            out.push(
                doc.error(
                    "missing-value",
                    &format!("[{i}].success_criterion"),
                    "a success criterion is required",
                )
                .help("say how you will know it worked"),
            );
        }
    }
    (items, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ITEMS: &str = "- id: ai_01\n  action: KOL 按效果付费\n  type: prevent\n  owner: r_manager\n  due: 2025-09-30\n  priority: P1\n  success_criterion: CPI ≥ 0.95\n  status: open\n- id: ai_01\n  action: 复盘模板\n  type: process\n  owner: r_boss\n  due: 2025-09-01\n  priority: P2\n  success_criterion: 用上\n  status: done\n";

    #[test]
    fn owners_due_dates_and_ids_are_checked() {
        let (items, diags) = parse(
            Path::new("actions.yaml"),
            ITEMS,
            &["r_manager"],
            Some(jiff::civil::date(2025, 9, 5)),
        );
        assert_eq!(items.len(), 2);
        let codes: Vec<(&str, Option<usize>)> = diags.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(
            codes,
            [
                ("duplicate-id", Some(9)),
                ("unresolved-reference", Some(12)),
                ("due-before-retro", Some(13))
            ]
        );
    }
}
