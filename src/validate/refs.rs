//! Ids and references (docs/rules.md#validation-rules, rule 1, 6, 7): id shapes, uniqueness within
//! each collection, and every reference resolving to an id of the right collection.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostic, did_you_mean};
use crate::load::yaml::YamlDoc;
use crate::model::catalog;
use crate::model::plan::Plan;

/// Checks of one plan's ids and references. `site_playbooks` are the ids under content/playbooks.
pub fn check(
    plan: &Plan,
    doc: &YamlDoc,
    site_playbooks: &BTreeSet<String>,
    out: &mut Vec<Diagnostic>,
) {
    let mut c = Checker {
        doc,
        out,
        collections: BTreeMap::new(),
    };
    c.campaign_id(&plan.campaign.id);

    c.collection("team.roles", plan.team.roles.iter().map(|r| r.id.as_str()));
    c.collection(
        "team.advisors",
        plan.team.advisors.iter().map(|r| r.id.as_str()),
    );
    c.collection(
        "community.carriers",
        plan.community.carriers.iter().map(|r| r.id.as_str()),
    );
    c.collection(
        "community.tiers",
        plan.community.tiers.iter().map(|r| r.id.as_str()),
    );
    c.collection("goals", plan.goals.iter().map(|r| r.id.as_str()));
    c.collection("targets", plan.targets.iter().map(|r| r.id.as_str()));
    c.collection(
        "custom_metrics",
        plan.custom_metrics.iter().map(|r| r.id.as_str()),
    );
    c.collection(
        "phases.items",
        plan.phases.items.iter().map(|r| r.id.as_str()),
    );
    c.collection("milestones", plan.milestones.iter().map(|r| r.id.as_str()));
    c.collection("activities", plan.activities.iter().map(|r| r.id.as_str()));
    c.collection("channels", plan.channels.iter().map(|r| r.id.as_str()));
    c.collection("tools", plan.tools.iter().map(|r| r.id.as_str()));
    c.collection("materials", plan.materials.iter().map(|r| r.id.as_str()));
    c.collection("suppliers", plan.suppliers.iter().map(|r| r.id.as_str()));
    c.collection(
        "budget.categories",
        plan.budget.categories.iter().map(|r| r.id.as_str()),
    );
    c.collection(
        "budget.work_packages",
        plan.budget.work_packages.iter().map(|r| r.id.as_str()),
    );
    c.collection("playbooks", plan.playbooks.iter().map(|r| r.id.as_str()));
    if let Some(bg) = &plan.background {
        c.collection(
            "background.pain_points",
            bg.pain_points.iter().map(|r| r.id.as_str()),
        );
    }
    if let Some(a) = &plan.audience {
        c.collection(
            "audience.personas",
            a.personas.iter().map(|r| r.id.as_str()),
        );
    }
    if let Some(content) = &plan.content {
        c.collection(
            "content.pillars",
            content.pillars.iter().map(|r| r.id.as_str()),
        );
        if let Some(cad) = &content.cadence {
            c.collection(
                "content.cadence.items",
                cad.items.iter().map(|r| r.id.as_str()),
            );
        }
    }
    if let Some(f) = &plan.funnel {
        c.collection("funnel.stages", f.stages.iter().map(|r| r.id.as_str()));
    }
    if let Some(i) = &plan.incentives {
        c.collection("incentives.badges", i.badges.iter().map(|r| r.id.as_str()));
    }
    if let Some(r) = &plan.risks {
        c.collection("risks.items", r.items.iter().map(|r| r.id.as_str()));
    }
    c.cross_collection_warnings();

    let roles = "team.roles";
    c.reference("campaign.owner", &plan.campaign.owner, roles);
    for (i, p) in plan.phases.items.iter().enumerate() {
        c.reference(&format!("phases.items[{i}].owner"), &p.owner, roles);
    }
    for (i, m) in plan.milestones.iter().enumerate() {
        c.reference(&format!("milestones[{i}].owner"), &m.owner, roles);
        c.reference(&format!("milestones[{i}].phase"), &m.phase, "phases.items");
    }
    for (i, l) in plan.community.admin_levels.iter().enumerate() {
        c.reference(
            &format!("community.admin_levels[{i}].filled_by"),
            &l.filled_by,
            roles,
        );
    }
    for (i, r) in plan.team.raci.iter().enumerate() {
        c.reference(
            &format!("team.raci[{i}].responsible"),
            &r.responsible,
            roles,
        );
        c.reference(
            &format!("team.raci[{i}].accountable"),
            &r.accountable,
            roles,
        );
        for (j, x) in r.consulted.iter().enumerate() {
            c.reference(&format!("team.raci[{i}].consulted[{j}]"), x, roles);
        }
        for (j, x) in r.informed.iter().enumerate() {
            c.reference(&format!("team.raci[{i}].informed[{j}]"), x, roles);
        }
    }
    let mut referenced: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (i, g) in plan.goals.iter().enumerate() {
        for (j, t) in g.targets.iter().enumerate() {
            let field = format!("goals[{i}].targets[{j}]");
            c.reference(&field, t, "targets");
            referenced.entry(t.as_str()).or_default().push(field);
        }
    }
    for (i, t) in plan.targets.iter().enumerate() {
        match referenced.get(t.id.as_str()).map(Vec::len).unwrap_or(0) {
            0 => c.out.push(
                doc.error(
                    "orphan-target",
                    &format!("targets[{i}].id"),
                    format!("target `{}` belongs to no goal", t.id),
                )
                .help("list it under exactly one goal's `targets`"),
            ),
            1 => {}
            n => c.out.push(
                doc.error(
                    "orphan-target",
                    &format!("targets[{i}].id"),
                    format!("target `{}` is listed by {n} goals", t.id),
                )
                .help("every target belongs to exactly one goal"),
            ),
        }
    }
    for (i, w) in plan.budget.work_packages.iter().enumerate() {
        c.reference(
            &format!("budget.work_packages[{i}].category"),
            &w.category,
            "budget.categories",
        );
        if let Some(o) = &w.owner {
            c.reference(&format!("budget.work_packages[{i}].owner"), o, roles);
        }
        if let Some(s) = &w.supplier {
            c.reference(
                &format!("budget.work_packages[{i}].supplier"),
                s,
                "suppliers",
            );
        }
    }
    for (i, r) in plan.budget.revisions.iter().enumerate() {
        c.reference(
            &format!("budget.revisions[{i}].from"),
            &r.from,
            "budget.categories",
        );
        c.reference(
            &format!("budget.revisions[{i}].to"),
            &r.to,
            "budget.categories",
        );
        if let Some(a) = &r.approved_by {
            c.reference(&format!("budget.revisions[{i}].approved_by"), a, roles);
        }
    }
    for key in plan.budget.phase_shares.keys() {
        c.reference(&format!("budget.phase_shares.{key}"), key, "phases.items");
    }
    for (i, a) in plan.activities.iter().enumerate() {
        for (j, t) in a.audience_tiers.iter().enumerate() {
            c.reference(
                &format!("activities[{i}].audience_tiers[{j}]"),
                t,
                "community.tiers",
            );
        }
        if let Some(b) = &a.budget_category {
            c.reference(
                &format!("activities[{i}].budget_category"),
                b,
                "budget.categories",
            );
        }
        if let Some(w) = &a.work_package {
            c.reference(
                &format!("activities[{i}].work_package"),
                w,
                "budget.work_packages",
            );
        }
    }
    for (i, ch) in plan.channels.iter().enumerate() {
        if let Some(b) = &ch.budget_category {
            c.reference(
                &format!("channels[{i}].budget_category"),
                b,
                "budget.categories",
            );
        }
    }
    for (i, p) in plan.promotion_rhythm.iter().enumerate() {
        for (j, ch) in p.channels.iter().enumerate() {
            c.reference_any(
                &format!("promotion_rhythm[{i}].channels[{j}]"),
                ch,
                &["channels", "community.carriers"],
            );
        }
    }
    for (i, m) in plan.materials.iter().enumerate() {
        if let Some(o) = &m.owner {
            c.reference(&format!("materials[{i}].owner"), o, roles);
        }
        if let Some(w) = &m.work_package {
            c.reference(
                &format!("materials[{i}].work_package"),
                w,
                "budget.work_packages",
            );
        }
    }
    if let Some(content) = &plan.content {
        if let Some(rp) = &content.review_process {
            for (j, r) in rp.reviewers.iter().enumerate() {
                c.reference(&format!("content.review_process.reviewers[{j}]"), r, roles);
            }
        }
        if let Some(cad) = &content.cadence {
            for (i, item) in cad.items.iter().enumerate() {
                c.reference(
                    &format!("content.cadence.items[{i}].owner"),
                    &item.owner,
                    roles,
                );
            }
        }
        for (i, e) in content.calendar.iter().enumerate() {
            c.reference(&format!("content.calendar[{i}].owner"), &e.owner, roles);
            if let Some(p) = &e.pillar {
                c.reference(
                    &format!("content.calendar[{i}].pillar"),
                    p,
                    "content.pillars",
                );
            }
            if let Some(ch) = &e.channel {
                c.reference_any(
                    &format!("content.calendar[{i}].channel"),
                    ch,
                    &["community.carriers", "channels"],
                );
            }
            if let Some(cd) = &e.cadence {
                c.reference(
                    &format!("content.calendar[{i}].cadence"),
                    cd,
                    "content.cadence.items",
                );
            }
        }
    }
    if let Some(f) = &plan.funnel {
        for key in f.step_targets.keys() {
            c.reference(&format!("funnel.step_targets.{key}"), key, "funnel.stages");
        }
        for (i, h) in f.hooks.iter().enumerate() {
            c.reference(
                &format!("funnel.hooks[{i}].stage"),
                &h.stage,
                "funnel.stages",
            );
        }
    }
    if let Some(inc) = &plan.incentives {
        for (i, l) in inc.levels.iter().enumerate() {
            if let Some(t) = &l.tier {
                c.reference(
                    &format!("incentives.levels[{i}].tier"),
                    t,
                    "community.tiers",
                );
            }
        }
        if let Some(sc) = &inc.streak_cashback {
            c.reference(
                "incentives.streak_cashback.budget_category",
                &sc.budget_category,
                "budget.categories",
            );
        }
        for (i, r) in inc.redemption.iter().enumerate() {
            c.reference(
                &format!("incentives.redemption[{i}].budget_category"),
                &r.budget_category,
                "budget.categories",
            );
        }
    }
    if let Some(risks) = &plan.risks {
        for (i, r) in risks.items.iter().enumerate() {
            c.reference(&format!("risks.items[{i}].owner"), &r.owner, roles);
            if let Some(p) = &r.playbook {
                let known = c
                    .collections
                    .get("playbooks")
                    .is_some_and(|s| s.contains(p.as_str()))
                    || site_playbooks.contains(p);
                if !known {
                    c.missing(
                        &format!("risks.items[{i}].playbook"),
                        p,
                        "playbooks",
                        site_playbooks.iter().map(String::as_str).collect(),
                    );
                }
            }
        }
    }
    if let Some(review) = &plan.review
        && let Some(fr) = &review.final_retro
    {
        if let Some(f) = &fr.facilitator {
            c.reference("review.final_retro.facilitator", f, roles);
        }
        for (j, p) in fr.participants.iter().enumerate() {
            c.reference(&format!("review.final_retro.participants[{j}]"), p, roles);
        }
    }
    for (i, t) in plan.targets.iter().enumerate() {
        if let Some(filter) = &t.filter {
            for (j, a) in filter.activity_ids.iter().enumerate() {
                c.reference(
                    &format!("targets[{i}].filter.activity_ids[{j}]"),
                    a,
                    "activities",
                );
            }
            for (j, g) in filter.group_ids.iter().enumerate() {
                c.reference(
                    &format!("targets[{i}].filter.group_ids[{j}]"),
                    g,
                    "community.carriers",
                );
            }
            if let Some(ch) = &filter.channel {
                c.reference(&format!("targets[{i}].filter.channel"), ch, "channels");
            }
        }
    }
    check_metrics(plan, &mut c);
}

/// Rule 1: every metric reference names a catalog metric, a family member or a custom metric.
fn check_metrics(plan: &Plan, c: &mut Checker) {
    let custom: BTreeSet<&str> = plan.custom_metrics.iter().map(|m| m.id.as_str()).collect();
    let stages: BTreeSet<&str> = plan
        .funnel
        .iter()
        .flat_map(|f| f.stages.iter().map(|s| s.id.as_str()))
        .collect();
    let mut refs: Vec<(String, &str)> = Vec::new();
    for (i, t) in plan.targets.iter().enumerate() {
        refs.push((format!("targets[{i}].metric"), &t.metric));
    }
    for (i, b) in plan.benchmarks.iter().enumerate() {
        refs.push((format!("benchmarks[{i}].metric"), &b.metric));
    }
    if let Some(bg) = &plan.background {
        for (i, p) in bg.pain_points.iter().enumerate() {
            if let Some(e) = &p.evidence {
                refs.push((
                    format!("background.pain_points[{i}].evidence.metric"),
                    &e.metric,
                ));
            }
        }
    }
    if let Some(risks) = &plan.risks {
        for (i, r) in risks.items.iter().enumerate() {
            if let Some(t) = &r.trigger {
                c.trigger(
                    &format!("risks.items[{i}].trigger"),
                    t.metric.as_deref(),
                    t.check.as_deref(),
                    &mut refs,
                );
            }
        }
    }
    if let Some(cap) = plan.community.capacity.as_ref()
        && let Some(t) = &cap.subgroup_trigger
    {
        c.trigger(
            "community.capacity.subgroup_trigger",
            t.metric.as_deref(),
            t.check.as_deref(),
            &mut refs,
        );
    }
    for (field, metric) in refs {
        if known_metric(metric, &custom, &stages) {
            continue;
        }
        let candidates: Vec<&str> = catalog::CATALOG
            .iter()
            .map(|m| m.id)
            .chain(custom.iter().copied())
            .collect();
        let mut d = c
            .doc
            .error(
                "unknown-metric",
                &field,
                format!("unknown metric `{metric}`"),
            )
            .found(format!("`{metric}`"))
            .expected("a metric id of the KPI catalog (docs/reference.md#kpi-catalog) or of `custom_metrics`");
        d = match did_you_mean(metric, candidates) {
            Some(best) => d.help(format!("did you mean `{best}`?")),
            None => d.help("run `qunce kpis` on a campaign to list the metric ids, or define it under `custom_metrics`"),
        };
        c.out.push(d);
    }
}

/// True for a catalog id, a custom metric, or a family member with a valid suffix.
pub fn known_metric(metric: &str, custom: &BTreeSet<&str>, stages: &BTreeSet<&str>) -> bool {
    if custom.contains(metric) {
        return true;
    }
    match metric.split_once('.') {
        Some(("funnel_step_rate", stage)) => stages.contains(stage),
        Some(("retention_membership" | "retention_activity", days)) => {
            days.parse::<u32>().is_ok_and(|n| n > 0)
        }
        Some((family, rest)) => catalog::FAMILIES.contains(&family) && !rest.is_empty(),
        None => catalog::lookup(metric).is_some() || custom.contains(metric),
    }
}

/// The data-quality check ids of docs/rules.md#data-quality-checks, usable as `trigger.check`.
pub const CHECK_IDS: &[&str] = &[
    "reconciliation_mismatch_days",
    "active_exceeds_members",
    "speakers_exceed_active",
    "funnel_non_monotone",
    "coverage_low",
    "stale_data",
    "duplicate_keys",
    "unmapped_headers",
    "unmapped_categories",
    "future_entries",
];

struct Checker<'a> {
    doc: &'a YamlDoc,
    out: &'a mut Vec<Diagnostic>,
    collections: BTreeMap<&'static str, BTreeSet<String>>,
}

impl Checker<'_> {
    fn campaign_id(&mut self, id: &str) {
        if !valid_slug(id) {
            self.out.push(
                self.doc
                    .error("bad-id", "campaign.id", format!("campaign id `{id}` is not a valid slug"))
                    .found(format!("`{id}`"))
                    .expected("3–64 characters: lower-case letters, digits, `_` and `-`, starting with a letter or digit")
                    .help("the id becomes a folder of the site, e.g. `nuanbake-summer-2025`"),
            );
        }
    }

    fn collection<'i>(&mut self, name: &'static str, ids: impl Iterator<Item = &'i str>) {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (i, id) in ids.enumerate() {
            let field = format!("{name}[{i}].id");
            if !valid_id(id) {
                self.out.push(
                    self.doc
                        .error("bad-id", &field, format!("id `{id}` is not a valid id"))
                        .found(format!("`{id}`"))
                        .expected("lower-case letters, digits, `_` and `-`, starting with a letter, at most 48 characters")
                        .help("ids are stable keys used in links and references; write e.g. `t_active30`"),
                );
            }
            if let Some(first) = seen.get(id) {
                self.out.push(
                    self.doc
                        .error(
                            "duplicate-id",
                            &field,
                            format!("id `{id}` is used twice in `{name}` (first at index {first})"),
                        )
                        .help("ids must be unique within their collection"),
                );
            } else {
                seen.insert(id.to_string(), i);
            }
        }
        self.collections.insert(name, seen.into_keys().collect());
    }

    fn cross_collection_warnings(&mut self) {
        let mut owners: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (name, ids) in &self.collections {
            for id in ids {
                owners.entry(id.as_str()).or_default().push(name);
            }
        }
        for (id, names) in owners {
            // Playbook references may share ids with site playbooks: that is the point.
            if names.len() > 1 {
                self.out.push(
                    self.doc
                        .warning(
                            "shared-id",
                            "",
                            format!(
                                "id `{id}` is used in several collections: {}",
                                names.join(", ")
                            ),
                        )
                        .help("this is allowed, but distinct ids make references easier to read"),
                );
            }
        }
    }

    fn reference(&mut self, field: &str, id: &str, collection: &'static str) {
        self.reference_any(field, id, &[collection]);
    }

    fn reference_any(&mut self, field: &str, id: &str, collections: &[&'static str]) {
        let found = collections
            .iter()
            .any(|c| self.collections.get(c).is_some_and(|s| s.contains(id)));
        if !found {
            let candidates: Vec<&str> = collections
                .iter()
                .filter_map(|c| self.collections.get(c))
                .flat_map(|s| s.iter().map(String::as_str))
                .collect();
            let candidates: Vec<String> = candidates.into_iter().map(str::to_string).collect();
            self.missing(
                field,
                id,
                &collections.join(" or "),
                candidates.iter().map(String::as_str).collect(),
            );
        }
    }

    fn missing(&mut self, field: &str, id: &str, collection: &str, candidates: Vec<&str>) {
        let mut d = self
            .doc
            .error(
                "unresolved-reference",
                field,
                format!("`{id}` does not name an entry of `{collection}`"),
            )
            .found(format!("`{id}`"));
        if !candidates.is_empty() {
            d = d.expected(format!(
                "one of {}",
                candidates
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        d = match did_you_mean(id, candidates.iter().copied()) {
            Some(best) => d.help(format!("did you mean `{best}`?")),
            None => d.help(format!(
                "add `{id}` to `{collection}`, or fix the reference"
            )),
        };
        self.out.push(d);
    }

    fn trigger<'p>(
        &mut self,
        field: &str,
        metric: Option<&'p str>,
        check: Option<&str>,
        refs: &mut Vec<(String, &'p str)>,
    ) {
        match (metric, check) {
            (Some(m), None) => refs.push((format!("{field}.metric"), m)),
            (None, Some(ch)) => {
                if !CHECK_IDS.contains(&ch) {
                    let mut d = self.doc.error(
                        "unknown-check",
                        &format!("{field}.check"),
                        format!("unknown data-quality check `{ch}`"),
                    );
                    d = match did_you_mean(ch, CHECK_IDS.iter().copied()) {
                        Some(best) => d.help(format!("did you mean `{best}`?")),
                        None => d.help(format!("use one of {}", CHECK_IDS.join(", "))),
                    };
                    self.out.push(d);
                }
            }
            _ => self.out.push(
                self.doc
                    .error(
                        "bad-trigger",
                        field,
                        "a trigger names exactly one of `metric` or `check`",
                    )
                    .help("write e.g. `{metric: churn_rate_monthly, op: \">\", value: 12%}`"),
            ),
        }
    }
}

/// A campaign id (it becomes a folder of the site): 3–64 lower-case letters, digits, `_` and
/// `-`, starting with a letter or digit.
/// Names Windows reserves for devices (`CON`, `aux`, `com1.md` alike): a page folder with
/// such a name cannot be checked out or hosted on Windows.
pub fn windows_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ["COM", "LPT"].iter().any(|p| {
            stem.strip_prefix(p)
                .is_some_and(|n| n.len() == 1 && n.as_bytes()[0].is_ascii_digit())
        })
}

pub fn valid_slug(id: &str) -> bool {
    (3..=64).contains(&id.len())
        && id.as_bytes()[0].is_ascii_alphanumeric()
        && !id.as_bytes()[0].is_ascii_uppercase()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// `^[a-z][a-z0-9_-]{0,47}$`: the id rule of docs/rules.md#plan-values widened by `-`, as campaign
/// ids have it, so that ids copied from a platform (`wecom-group-1`) need no renaming.
pub fn valid_id(id: &str) -> bool {
    let b = id.as_bytes();
    !b.is_empty()
        && b.len() <= 48
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_' || *c == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_shapes() {
        assert!(valid_id("t_active30"));
        assert!(!valid_id("T_active"));
        assert!(!valid_id("1abc"));
        assert!(valid_id("wecom-group-1"));
        assert!(!valid_id("-ab"));
        assert!(!valid_id("a.b"));
        assert!(!valid_id(&"a".repeat(49)));
    }

    #[test]
    fn family_metrics_need_a_valid_suffix() {
        let stages: BTreeSet<&str> = ["awareness", "interest"].into();
        let custom = BTreeSet::new();
        assert!(known_metric("funnel_step_rate.interest", &custom, &stages));
        assert!(!known_metric("funnel_step_rate.nope", &custom, &stages));
        assert!(known_metric("active_rate_30d", &custom, &stages));
        assert!(!known_metric("active_rate_31d", &custom, &stages));
    }
}
