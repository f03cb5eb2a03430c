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
    /// The site's words (its language), for the review comment.
    pub ui: Value,
}

/// One campaign of a revision.
#[derive(Debug, Clone, Default)]
pub struct CampaignSnapshot {
    /// Flattened field → value.
    pub fields: BTreeMap<String, Value>,
    /// Each field as the pages name it, and how its value is shown.
    pub labels: BTreeMap<String, (String, Kind)>,
    /// The campaign's name on the pages.
    pub name: String,
    /// Its currency.
    pub currency: String,
    /// Its post-mortem is marked final.
    pub final_retro: bool,
    /// A digest of the plan and every export it read.
    pub inputs: String,
    /// Each input file (the plan and every export read, relative to the site) → its SHA-256.
    pub files: BTreeMap<String, String>,
}

/// How a field's value is shown in review, as the pages show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    /// A fraction, shown as a percentage; its change in percentage points.
    Ratio,
    /// Money in the campaign's currency.
    Money,
    /// An index such as CPI, two decimals.
    Index,
    /// Any other number: grouped, at most two decimals.
    #[default]
    Number,
    /// A status word.
    Status,
    /// Text or a date, as written.
    Text,
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
    let ui = site.as_ref().map_or_else(
        || crate::model::i18n::ui(Default::default()),
        |s| crate::model::i18n::ui_with(s.config.language, &s.config.ui_words),
    );
    let mut campaigns = BTreeMap::new();
    for c in site.iter().flat_map(|s| &s.campaigns) {
        let id = c.plan.campaign.id.clone();
        let mut fields = BTreeMap::new();
        if let Some(date) = as_of.or_else(|| crate::compute::default_as_of(c)) {
            flatten(&crate::compute::campaign(c, date).to_json(c), &mut fields);
        }
        let labels = fields
            .keys()
            .map(|f| (f.clone(), label(c, f, &ui)))
            .collect();
        let plan_bytes = std::fs::read(root.join(&c.plan_path)).unwrap_or_default();
        let mut files = BTreeMap::new();
        files.insert(
            c.plan_path.to_string_lossy().replace('\\', "/"),
            format!("{:x}", Sha256::digest(&plan_bytes)),
        );
        let mut digest = Sha256::new();
        digest.update(&plan_bytes);
        for f in c.source_files() {
            digest.update(f.path.to_string_lossy().as_bytes());
            digest.update(f.sha256.as_bytes());
            files.insert(
                f.path.to_string_lossy().replace('\\', "/"),
                f.sha256.clone(),
            );
        }
        campaigns.insert(
            id,
            CampaignSnapshot {
                fields,
                labels,
                name: c.plan.campaign.name.clone(),
                currency: c.plan.campaign.currency.clone(),
                final_retro: c
                    .retro
                    .as_ref()
                    .is_some_and(|r| r.front.status == Some(RetroStatus::Final)),
                inputs: format!("{:x}", digest.finalize()),
                files,
            },
        );
    }
    Snapshot {
        campaigns,
        diagnostics,
        ui,
    }
}

/// A field as the pages name it (`metrics.messages_per_day` → 日均消息数), and its kind.
fn label(c: &crate::model::site::CampaignData, field: &str, ui: &Value) -> (String, Kind) {
    use crate::render::{category_name, metric_name, ui_str};
    let word = |key: &str| ui_str(ui, key).to_string();
    let part = |name: &str| -> (String, Kind) {
        match name {
            "status" => (word("status"), Kind::Status),
            "actual" => (word("actual"), Kind::Number),
            "target" => (word("target_value"), Kind::Number),
            "expected" => (word("expected"), Kind::Number),
            "planned" => (word("planned"), Kind::Money),
            "current" => (word("current"), Kind::Money),
            "ac" | "ac_total" => (word("ev_ac"), Kind::Money),
            "bac" => (word("ev_bac"), Kind::Money),
            "bac_total" => (word("total_budget"), Kind::Money),
            "cv" => (word("ev_cv"), Kind::Money),
            "sv" => (word("ev_sv"), Kind::Money),
            "vac" => (word("ev_vac"), Kind::Money),
            "etc" => (word("diff_etc"), Kind::Money),
            "overrun" => (word("diff_overrun"), Kind::Money),
            "overrun_pct" => (word("overrun"), Kind::Ratio),
            "spend_variance_pct" => (word("diff_spend_variance"), Kind::Ratio),
            "reserve_consumed" => (word("reserve_used"), Kind::Money),
            "eac_typical" | "eac_atypical" | "eac_composite" => {
                (word(&format!("ev_{name}")), Kind::Money)
            }
            "runway_days" => (word("diff_runway"), Kind::Number),
            "exhaustion_date" => (word("diff_exhaustion"), Kind::Text),
            "committed" => (word("committed"), Kind::Money),
            "pv" => (word("ev_pv"), Kind::Money),
            "ev" => (word("ev_ev"), Kind::Money),
            "eac_total" => (word("forecast_total"), Kind::Money),
            "cpi" => (word("ev_cpi"), Kind::Index),
            "spi" => (word("ev_spi"), Kind::Index),
            "tcpi_bac" => (word("ev_tcpi"), Kind::Index),
            n if n.ends_with("_pct") => (format!("`{n}`"), Kind::Ratio),
            n if n.ends_with("_date") => (format!("`{n}`"), Kind::Text),
            n if n.ends_with("_days") => (format!("`{n}`"), Kind::Number),
            n => (format!("`{n}`"), Kind::Money),
        }
    };
    let metric_kind = |metric: &str| match crate::model::catalog::lookup(metric).map(|m| m.unit) {
        Some(crate::model::catalog::Unit::Ratio) => Kind::Ratio,
        Some(crate::model::catalog::Unit::Money) => Kind::Money,
        _ if crate::compute::is_money(c, metric) => Kind::Money,
        _ => Kind::Number,
    };
    if field == "as_of" {
        return (word("as_of"), Kind::Text);
    }
    if let Some(metric) = field.strip_prefix("metrics.") {
        return (metric_name(c, metric, ui), metric_kind(metric));
    }
    let keyed = |rest: &str| -> Option<(String, String)> {
        let (id, name) = rest.strip_prefix('[')?.split_once("].")?;
        Some((id.to_string(), name.to_string()))
    };
    if let Some((id, name)) = field.strip_prefix("targets").and_then(keyed) {
        let Some(t) = c.plan.targets.iter().position(|t| t.id == id) else {
            return (format!("`{field}`"), Kind::Number);
        };
        let target = crate::render::target_name(c, t, ui);
        let (what, kind) = part(&name);
        let kind = match kind {
            Kind::Number => metric_kind(&c.plan.targets[t].metric),
            other => other,
        };
        return (format!("{target} · {what}"), kind);
    }
    if let Some((id, name)) = field.strip_prefix("budget.categories").and_then(keyed) {
        let (what, kind) = part(&name);
        return (format!("{} · {what}", category_name(c, &id)), kind);
    }
    if let Some(name) = field.strip_prefix("budget.total.") {
        // The total's `ac` leaves the reserve out; `ac_total` is every category's.
        let (what, kind) = match name {
            "ac" => (word("diff_ac_without_reserve"), Kind::Money),
            other => part(other),
        };
        return (format!("{} · {what}", word("total")), kind);
    }
    (format!("`{field}`"), Kind::Number)
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
    /// The field as the pages name it (the field itself in backticks when unknown).
    pub label: String,
    /// How its values are shown.
    pub kind: Kind,
    /// The campaign's currency, for money.
    pub currency: String,
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
    /// Per campaign id, its name on the pages (head's, else base's).
    pub names: BTreeMap<String, String>,
    /// Per campaign id, the input files added, removed or changed.
    pub changed_files: BTreeMap<String, Vec<String>>,
    /// The site's words, for the comment.
    pub ui: Value,
}

/// Compares `base` with `head`.
pub fn compare(base: &Snapshot, head: &Snapshot) -> Report {
    let mut changes = Vec::new();
    let ids: BTreeSet<&String> = base.campaigns.keys().chain(head.campaigns.keys()).collect();
    let mut reopened = Vec::new();
    let mut changed_files = BTreeMap::new();
    let names = ids
        .iter()
        .filter_map(|id| {
            let c = head
                .campaigns
                .get(*id)
                .or_else(|| base.campaigns.get(*id))?;
            Some(((*id).clone(), c.name.clone()))
        })
        .collect();
    for id in ids {
        match (base.campaigns.get(id), head.campaigns.get(id)) {
            (None, Some(_)) => changes.push(Change {
                campaign: id.clone(),
                field: "campaign".into(),
                before: Value::Null,
                after: json!("added"),
                label: String::new(),
                kind: Kind::Text,
                currency: String::new(),
            }),
            (Some(_), None) => changes.push(Change {
                campaign: id.clone(),
                field: "campaign".into(),
                before: json!("present"),
                after: json!("removed"),
                label: String::new(),
                kind: Kind::Text,
                currency: String::new(),
            }),
            (Some(b), Some(h)) => {
                let fields: BTreeSet<&String> = b.fields.keys().chain(h.fields.keys()).collect();
                for field in fields {
                    let before = b.fields.get(field).cloned().unwrap_or(Value::Null);
                    let after = h.fields.get(field).cloned().unwrap_or(Value::Null);
                    if !same(&before, &after) {
                        let (label, kind) = h
                            .labels
                            .get(field)
                            .or_else(|| b.labels.get(field))
                            .cloned()
                            .unwrap_or_else(|| (format!("`{field}`"), Kind::Number));
                        changes.push(Change {
                            campaign: id.clone(),
                            field: field.clone(),
                            before,
                            after,
                            label,
                            kind,
                            currency: h.currency.clone(),
                        });
                    }
                }
                if b.final_retro && b.inputs != h.inputs {
                    reopened.push(id.clone());
                }
                let paths: BTreeSet<&String> = b.files.keys().chain(h.files.keys()).collect();
                let changed: Vec<String> = paths
                    .into_iter()
                    .filter(|p| b.files.get(*p) != h.files.get(*p))
                    .cloned()
                    .collect();
                if !changed.is_empty() {
                    changed_files.insert(id.clone(), changed);
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
        names,
        changed_files,
        ui: head.ui.clone(),
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
    /// `{"changes": [{"campaign", "field", "label", "before", "after", "delta"}], "diagnostics":
    /// {…}, "final_retros_reopened": […], "changed_files": {…}}`: numbers as numbers, `delta`
    /// (after − before) where both are numbers.
    pub fn to_json(&self) -> Value {
        json!({
            "changes": self.changes.iter().map(|c| json!({
                "campaign": c.campaign, "field": c.field, "label": c.label.trim_matches('`'),
                "before": c.before, "after": c.after,
                "delta": delta(c).map_or(Value::Null, |d| json!(d)),
            })).collect::<Vec<_>>(),
            "diagnostics": {"new": self.new_diagnostics, "resolved": self.resolved_diagnostics},
            "final_retros_reopened": self.final_retros_reopened,
            "changed_files": self.changed_files,
        })
    }

    /// A pull-request comment in the site's language: campaigns and fields named as on the
    /// pages, values formatted as the pages format them, a change column, status flips first,
    /// then the input files each campaign's change touched. Long tables fold.
    pub fn to_markdown(&self, base: &str, head: &str) -> String {
        let ui = &self.ui;
        let word = |key: &str| crate::render::ui_str(ui, key).to_string();
        let mut out = format!("### qunce diff `{base}` → `{head}`\n\n");
        if self.changes.is_empty()
            && self.new_diagnostics.is_empty()
            && self.resolved_diagnostics.is_empty()
            && self.final_retros_reopened.is_empty()
        {
            let _ = writeln!(out, "{}", word("diff_none"));
            return out;
        }
        let name = |id: &str| {
            self.names
                .get(id)
                .cloned()
                .unwrap_or_else(|| format!("`{id}`"))
        };
        if !self.final_retros_reopened.is_empty() {
            let _ = writeln!(out, "⚠ {}\n", word("diff_reopened"));
            for id in &self.final_retros_reopened {
                let _ = writeln!(out, "- {}", name(id));
            }
            out.push('\n');
        }
        let header = format!(
            "| {} | {} | {} | {} |\n|---|--:|--:|--:|\n",
            word("diff_field"),
            word("diff_before"),
            word("diff_after"),
            word("diff_change")
        );
        let campaigns: Vec<&String> = {
            let mut seen = Vec::new();
            for c in &self.changes {
                if !seen.contains(&&c.campaign) {
                    seen.push(&c.campaign);
                }
            }
            for id in self.changed_files.keys() {
                if !seen.contains(&id) {
                    seen.push(id);
                }
            }
            seen
        };
        for id in campaigns {
            let _ = writeln!(out, "#### {}\n", name(id));
            let rows: Vec<String> = self
                .changes
                .iter()
                .filter(|c| &c.campaign == id)
                .map(|c| {
                    if c.field == "campaign" {
                        let what = if c.after == json!("added") {
                            "diff_added"
                        } else {
                            "diff_removed"
                        };
                        return format!("| {} | | | |", word(what));
                    }
                    format!(
                        "| {} | {} | {} | {} |",
                        c.label.replace('|', "\\|"),
                        shown(c, &c.before, ui),
                        shown(c, &c.after, ui),
                        change_of(c, ui)
                    )
                })
                .collect();
            const SHOWN: usize = 12;
            if !rows.is_empty() {
                out.push_str(&header);
                for row in rows.iter().take(SHOWN) {
                    let _ = writeln!(out, "{row}");
                }
                if rows.len() > SHOWN {
                    let _ = write!(
                        out,
                        "\n<details><summary>{}</summary>\n\n{header}",
                        word("diff_more").replace("{0}", &(rows.len() - SHOWN).to_string())
                    );
                    for row in &rows[SHOWN..] {
                        let _ = writeln!(out, "{row}");
                    }
                    out.push_str("\n</details>\n");
                }
                out.push('\n');
            }
            if let Some(files) = self.changed_files.get(id) {
                let _ = write!(
                    out,
                    "<details><summary>{}{}{}{}</summary>\n\n",
                    word("diff_files"),
                    word("paren_open"),
                    files.len(),
                    word("paren_close")
                );
                for f in files {
                    let _ = writeln!(out, "- `{f}`");
                }
                out.push_str("\n</details>\n\n");
            }
        }
        for (title, list) in [
            (word("diff_new"), &self.new_diagnostics),
            (word("diff_resolved"), &self.resolved_diagnostics),
        ] {
            if !list.is_empty() {
                let _ = write!(out, "{title}{}\n\n", word("colon"));
                for d in list {
                    let _ = writeln!(out, "- `{}`", d.replace('`', "'"));
                }
                out.push('\n');
            }
        }
        out
    }
}

/// after − before, where both are numbers.
fn delta(c: &Change) -> Option<f64> {
    Some(c.after.as_f64()? - c.before.as_f64()?)
}

/// A value as the pages show it.
fn shown(c: &Change, v: &Value, ui: &Value) -> String {
    use crate::render::format;
    let Some(x) = v.as_f64() else {
        return match v {
            Value::Null => "—".into(),
            Value::String(s) if c.kind == Kind::Status => status(s, ui),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
    };
    match c.kind {
        Kind::Ratio => format::pct(Some(x)),
        Kind::Money => rust_decimal::Decimal::from_f64_retain(x).map_or_else(
            || format::grouped(x, 2),
            |d| format::money_in(d.round_dp(2), &c.currency),
        ),
        Kind::Index => format!("{x:.2}"),
        Kind::Number | Kind::Status | Kind::Text => number(x),
    }
}

/// The change column: percentage points for ratios, signed amounts otherwise, empty for
/// words.
fn change_of(c: &Change, ui: &Value) -> String {
    use crate::render::format;
    let Some(d) = delta(c) else {
        return String::new();
    };
    let sign = if d > 0.0 { "+" } else { "" };
    match c.kind {
        Kind::Ratio => format::pp_in(Some(d), ui),
        Kind::Money => rust_decimal::Decimal::from_f64_retain(d).map_or_else(
            || format::grouped(d, 2),
            |x| format!("{sign}{}", format::money_in(x.round_dp(2), &c.currency)),
        ),
        Kind::Index => format!("{d:+.2}"),
        Kind::Number | Kind::Status | Kind::Text => format!("{sign}{}", number(d)),
    }
}

/// A count grouped by thousands, or a figure with at most two decimals.
fn number(x: f64) -> String {
    let digits = if (x - x.round()).abs() < 1e-9 { 0 } else { 2 };
    crate::render::format::grouped(x, digits)
}

/// A status in the site's words, with ✔ for met or within budget and ✖ for missed or over.
fn status(key: &str, ui: &Value) -> String {
    let icon = match key {
        "met" | "ok" => "✔ ",
        "missed" | "over" => "✖ ",
        _ => "",
    };
    let words = crate::render::ui_str(ui, key);
    format!("{icon}{words}")
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
                ..Default::default()
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
    fn values_and_changes_read_as_the_pages_write_them() {
        let ui = crate::model::i18n::ui(crate::model::site::Language::ZhCn);
        let change = |kind, before: Value, after: Value| Change {
            campaign: "a".into(),
            field: "f".into(),
            before,
            after,
            label: "x".into(),
            kind,
            currency: "CNY".into(),
        };
        let ratio = change(
            Kind::Ratio,
            json!(0.5913962033067973),
            json!(0.5990508266993264),
        );
        assert_eq!(shown(&ratio, &ratio.before, &ui), "59.1%");
        assert_eq!(change_of(&ratio, &ui), "+0.8 个百分点");
        let money = change(Kind::Money, json!(-250.0), json!(-650.0));
        assert_eq!(shown(&money, &money.after, &ui), "-¥650.00");
        assert_eq!(change_of(&money, &ui), "-¥400.00");
        let count = change(Kind::Number, json!(1200), json!(1234));
        assert_eq!(shown(&count, &count.after, &ui), "1,234");
        assert_eq!(change_of(&count, &ui), "+34");
        let status = change(Kind::Status, json!("met"), json!("missed"));
        assert_eq!(shown(&status, &status.after, &ui), "✖ 未达成");
        assert_eq!(change_of(&status, &ui), "");
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
