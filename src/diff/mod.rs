//! `qunce diff`: what a change does to the numbers, for pull-request review. Each revision is
//! loaded and computed as its own site would show it (its own default as-of, unless one is
//! pinned), flattened into fields named like the `kpis` JSON (`metrics.messages_per_day`,
//! `targets[t_members].status`, `budget.categories[promotion].ac`), and compared.

pub mod git;
pub mod scratch;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::model::site::RetroStatus;
use crate::model::values::Date;

/// One revision of a site, reduced to what review compares.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Per campaign id.
    pub campaigns: BTreeMap<String, CampaignSnapshot>,
    /// Every diagnostic as one line (`error[code] path: message`), warnings and errors.
    pub diagnostics: BTreeSet<String>,
}

/// One campaign of a revision.
#[derive(Debug, Clone, Default)]
pub struct CampaignSnapshot {
    /// Flattened field → value.
    pub fields: BTreeMap<String, Value>,
    /// Its post-mortem is marked final.
    pub final_retro: bool,
    /// A digest of the plan and every export it read.
    pub inputs: String,
}

/// Loads and computes the site at `root`.
pub fn snapshot(root: &Path, as_of: Option<Date>) -> Snapshot {
    let (site, diags) = crate::check(root);
    let diagnostics = diags
        .iter()
        .filter(|d| d.severity != crate::diag::Severity::Note)
        .map(|d| {
            let label = if d.is_error() { "error" } else { "warning" };
            format!(
                "{label}[{}] {}: {}",
                d.code,
                d.path.display().to_string().replace('\\', "/"),
                d.message
            )
        })
        .collect();
    let mut campaigns = BTreeMap::new();
    for c in site.iter().flat_map(|s| &s.campaigns) {
        let id = c.plan.campaign.id.clone();
        let mut fields = BTreeMap::new();
        if let Some(date) = as_of.or_else(|| crate::compute::default_as_of(c)) {
            flatten(&crate::compute::campaign(c, date).to_json(c), &mut fields);
        }
        let mut digest = Sha256::new();
        digest.update(std::fs::read(root.join(&c.plan_path)).unwrap_or_default());
        for f in c.daily.files.iter().chain(&c.other_files) {
            digest.update(f.path.to_string_lossy().as_bytes());
            digest.update(f.sha256.as_bytes());
        }
        campaigns.insert(
            id,
            CampaignSnapshot {
                fields,
                final_retro: c
                    .retro
                    .as_ref()
                    .is_some_and(|r| r.front.status == Some(RetroStatus::Final)),
                inputs: format!("{:x}", digest.finalize()),
            },
        );
    }
    Snapshot {
        campaigns,
        diagnostics,
    }
}

/// The `kpis` JSON as `field → value`, arrays keyed by their items' ids.
fn flatten(json: &Value, out: &mut BTreeMap<String, Value>) {
    if let Some(a) = json.get("as_of") {
        out.insert("as_of".into(), a.clone());
    }
    if let Some(metrics) = json.get("metrics").and_then(Value::as_object) {
        for (k, v) in metrics {
            out.insert(format!("metrics.{k}"), v.clone());
        }
    }
    let keyed = |items: Option<&Value>, prefix: &str, out: &mut BTreeMap<String, Value>| {
        for item in items.and_then(Value::as_array).into_iter().flatten() {
            let id = item.get("id").and_then(Value::as_str).unwrap_or("?");
            for (k, v) in item.as_object().into_iter().flatten() {
                if k != "id" {
                    out.insert(format!("{prefix}[{id}].{k}"), v.clone());
                }
            }
        }
    };
    keyed(json.get("targets"), "targets", out);
    let budget = json.get("budget");
    keyed(
        budget.and_then(|b| b.get("categories")),
        "budget.categories",
        out,
    );
    for (k, v) in budget
        .and_then(|b| b.get("total"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        out.insert(format!("budget.total.{k}"), v.clone());
    }
}

/// One changed field.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Campaign id.
    pub campaign: String,
    /// Field name (`campaign` for a campaign added or removed).
    pub field: String,
    /// Value in base (null when absent).
    pub before: Value,
    /// Value in head (null when absent).
    pub after: Value,
}

/// What changed between two snapshots.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Field changes, worst first (targets falling from met, then other statuses, then values).
    pub changes: Vec<Change>,
    /// Diagnostics only in head.
    pub new_diagnostics: Vec<String>,
    /// Diagnostics only in base.
    pub resolved_diagnostics: Vec<String>,
    /// Campaigns whose post-mortem was final in base while their plan or data changed.
    pub final_retros_reopened: Vec<String>,
}

/// Compares `base` with `head`.
pub fn compare(base: &Snapshot, head: &Snapshot) -> Report {
    let mut changes = Vec::new();
    let ids: BTreeSet<&String> = base.campaigns.keys().chain(head.campaigns.keys()).collect();
    let mut reopened = Vec::new();
    for id in ids {
        match (base.campaigns.get(id), head.campaigns.get(id)) {
            (None, Some(_)) => changes.push(Change {
                campaign: id.clone(),
                field: "campaign".into(),
                before: Value::Null,
                after: json!("added"),
            }),
            (Some(_), None) => changes.push(Change {
                campaign: id.clone(),
                field: "campaign".into(),
                before: json!("present"),
                after: json!("removed"),
            }),
            (Some(b), Some(h)) => {
                let fields: BTreeSet<&String> = b.fields.keys().chain(h.fields.keys()).collect();
                for field in fields {
                    let before = b.fields.get(field).cloned().unwrap_or(Value::Null);
                    let after = h.fields.get(field).cloned().unwrap_or(Value::Null);
                    if !same(&before, &after) {
                        changes.push(Change {
                            campaign: id.clone(),
                            field: field.clone(),
                            before,
                            after,
                        });
                    }
                }
                if b.final_retro && b.inputs != h.inputs {
                    reopened.push(id.clone());
                }
            }
            (None, None) => {}
        }
    }
    changes.sort_by_key(|c| (rank(c), c.campaign.clone(), c.field.clone()));
    Report {
        changes,
        new_diagnostics: head
            .diagnostics
            .difference(&base.diagnostics)
            .cloned()
            .collect(),
        resolved_diagnostics: base
            .diagnostics
            .difference(&head.diagnostics)
            .cloned()
            .collect(),
        final_retros_reopened: reopened,
    }
}

/// Equal values; numbers compare as numbers (`1.0` is `1`).
fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Review order: campaigns added or removed, targets that got worse (met → missed first),
/// other status changes, then numbers.
fn rank(c: &Change) -> u8 {
    let order = |s: &Value| match s.as_str() {
        Some("met") => 0,
        Some("on_track") => 1,
        Some("at_risk") => 2,
        Some("missed") => 3,
        _ => 4,
    };
    if c.field == "campaign" {
        0
    } else if c.field.ends_with(".status") {
        let (b, a) = (order(&c.before), order(&c.after));
        match (b, a) {
            (0, 3) => 1,
            _ if a > b && a < 4 => 2,
            _ => 3,
        }
    } else {
        4
    }
}

impl Report {
    /// `{"changes": [{"campaign", "field", "before", "after"}], "diagnostics": {…},
    /// "final_retros_reopened": […]}`, numbers as numbers.
    pub fn to_json(&self) -> Value {
        json!({
            "changes": self.changes.iter().map(|c| json!({
                "campaign": c.campaign, "field": c.field, "before": c.before, "after": c.after,
            })).collect::<Vec<_>>(),
            "diagnostics": {"new": self.new_diagnostics, "resolved": self.resolved_diagnostics},
            "final_retros_reopened": self.final_retros_reopened,
        })
    }

    /// A pull-request comment.
    pub fn to_markdown(&self, base: &str, head: &str) -> String {
        let mut out = format!("### qunce diff `{base}` → `{head}`\n\n");
        if self.changes.is_empty()
            && self.new_diagnostics.is_empty()
            && self.resolved_diagnostics.is_empty()
            && self.final_retros_reopened.is_empty()
        {
            out.push_str("No number, status or diagnostic changes.\n");
            return out;
        }
        if !self.final_retros_reopened.is_empty() {
            out.push_str("⚠ Final post-mortems whose plan or data changed (review them again):\n");
            for id in &self.final_retros_reopened {
                let _ = writeln!(out, "- `{id}`");
            }
            out.push('\n');
        }
        let mut campaign: Option<&str> = None;
        for c in &self.changes {
            if campaign != Some(c.campaign.as_str()) {
                let _ = write!(
                    out,
                    "{}#### `{}`\n\n| field | before | after |\n|---|---|---|\n",
                    if campaign.is_some() { "\n" } else { "" },
                    c.campaign
                );
                campaign = Some(&c.campaign);
            }
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                c.field,
                shown(&c.before),
                shown(&c.after)
            );
        }
        for (title, list) in [
            ("New diagnostics", &self.new_diagnostics),
            ("Resolved diagnostics", &self.resolved_diagnostics),
        ] {
            if !list.is_empty() {
                let _ = write!(out, "\n{title}:\n\n");
                for d in list {
                    let _ = writeln!(out, "- `{}`", d.replace('`', "'"));
                }
            }
        }
        out
    }
}

fn shown(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(id: &str, fields: &[(&str, Value)]) -> Snapshot {
        let mut s = Snapshot::default();
        s.campaigns.insert(
            id.into(),
            CampaignSnapshot {
                fields: fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect(),
                final_retro: false,
                inputs: "x".into(),
            },
        );
        s
    }

    #[test]
    fn only_changed_fields_are_reported_worst_first() {
        let base = snap(
            "a",
            &[
                ("metrics.x", json!(1.0)),
                ("targets[t].status", json!("met")),
                ("targets[u].status", json!("on_track")),
                ("budget.total.ac", json!(100.0)),
            ],
        );
        let head = snap(
            "a",
            &[
                ("metrics.x", json!(1)),
                ("targets[t].status", json!("missed")),
                ("targets[u].status", json!("at_risk")),
                ("budget.total.ac", json!(600.5)),
            ],
        );
        let r = compare(&base, &head);
        let fields: Vec<&str> = r.changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            fields,
            ["targets[t].status", "targets[u].status", "budget.total.ac"]
        );
        assert_eq!(r.changes[2].after, json!(600.5));
        assert!(compare(&base, &base).changes.is_empty());
    }

    #[test]
    fn added_and_removed_campaigns_are_named() {
        let r = compare(&snap("old", &[]), &snap("new", &[]));
        let got: Vec<(&str, Value)> = r
            .changes
            .iter()
            .map(|c| (c.campaign.as_str(), c.after.clone()))
            .collect();
        assert_eq!(got, [("new", json!("added")), ("old", json!("removed"))]);
    }
}
