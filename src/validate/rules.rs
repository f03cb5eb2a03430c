//! Arithmetic, date and shape rules of one plan (reference §B.3 and §B.4 rules 3–5, 8–10):
//! shares that must sum to 100%, budget totals, phases, targets, risk bands and the like.

use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

use crate::diag::Diagnostic;
use crate::load::yaml::YamlDoc;
use crate::model::catalog::{self, Unit};
use crate::model::plan::parse_weeks;
use crate::model::plan::{
    CHART_IDS, Direction, EntryThreshold, Period, Plan, ShareBasis, SpendCurve, Target, Trajectory,
    days_between,
};
use crate::model::values::{Date, Quantity, fmt_num};

/// Runs every rule of this module on one plan.
pub fn check(plan: &Plan, doc: &YamlDoc, out: &mut Vec<Diagnostic>) {
    let r = Rules { plan, doc };
    r.campaign(out);
    r.shares(out);
    r.budget(out);
    let phases = r.phases(out);
    r.milestones(&phases, out);
    r.targets(out);
    r.dated_entries(out);
    r.community(out);
    r.risks(out);
    r.metric_values(out);
    r.misc(out);
}

struct Rules<'a> {
    plan: &'a Plan,
    doc: &'a YamlDoc,
}

impl Rules<'_> {
    fn campaign(&self, out: &mut Vec<Diagnostic>) {
        let c = &self.plan.campaign;
        if self.plan.schema_version != 1 {
            out.push(
                self.doc
                    .error(
                        "schema-version",
                        "schema_version",
                        format!(
                            "schema_version {} is not supported",
                            self.plan.schema_version
                        ),
                    )
                    .expected("1")
                    .help("write `schema_version: 1`"),
            );
        }
        self.period("campaign.period", &c.period, out);
        if jiff::tz::TimeZone::get(&c.timezone).is_err() {
            out.push(
                self.doc
                    .error(
                        "bad-timezone",
                        "campaign.timezone",
                        format!("`{}` is not an IANA time zone", c.timezone),
                    )
                    .found(format!("`{}`", c.timezone))
                    .expected("an IANA zone name such as Asia/Shanghai")
                    .help("write e.g. `timezone: Asia/Shanghai`"),
            );
        }
        if !(c.currency.len() == 3 && c.currency.bytes().all(|b| b.is_ascii_uppercase())) {
            out.push(
                self.doc
                    .error(
                        "bad-currency",
                        "campaign.currency",
                        format!("`{}` is not an ISO 4217 code", c.currency),
                    )
                    .expected("three upper-case letters such as CNY")
                    .help("write e.g. `currency: CNY`"),
            );
        }
    }

    fn period(&self, field: &str, p: &Period, out: &mut Vec<Diagnostic>) {
        if p.end < p.start {
            out.push(
                self.doc
                    .error(
                        "bad-period",
                        &format!("{field}.end"),
                        format!("end {} is before start {}", p.end, p.start),
                    )
                    .help("swap the dates, or fix the typo"),
            );
        }
    }

    /// Rule 3: ratio groups sum to 100%.
    fn shares(&self, out: &mut Vec<Diagnostic>) {
        let plan = self.plan;
        let shares: Vec<(String, f64)> = plan
            .budget
            .categories
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                c.share
                    .map(|s| (format!("budget.categories[{i}].share"), s.0))
            })
            .collect();
        if !shares.is_empty() && shares.len() == plan.budget.categories.len() {
            self.sum_to_one("budget.categories", &shares, 0.0001, out);
        }
        if let Some(content) = &plan.content {
            if let Some(cad) = &content.cadence {
                let s: Vec<_> = cad
                    .items
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (format!("content.cadence.items[{i}].share"), c.share.0))
                    .collect();
                self.sum_to_one("content.cadence.items", &s, 0.005, out);
            }
            if !content.sources.is_empty() {
                let s: Vec<_> = content
                    .sources
                    .iter()
                    .map(|(k, v)| (format!("content.sources.{k}"), v.0))
                    .collect();
                self.sum_to_one("content.sources", &s, 0.005, out);
            }
        }
        if let Some(a) = &plan.audience {
            for (i, p) in a.personas.iter().enumerate() {
                if !p.gender_ratio.is_empty() {
                    let s: Vec<_> = p
                        .gender_ratio
                        .iter()
                        .map(|(k, v)| (format!("audience.personas[{i}].gender_ratio.{k}"), v.0))
                        .collect();
                    self.sum_to_one(
                        &format!("audience.personas[{i}].gender_ratio"),
                        &s,
                        0.005,
                        out,
                    );
                }
            }
        }
        if !plan.budget.phase_shares.is_empty() {
            let s: Vec<_> = plan
                .budget
                .phase_shares
                .iter()
                .map(|(k, v)| (format!("budget.phase_shares.{k}"), v.0))
                .collect();
            self.sum_to_one("budget.phase_shares", &s, 0.0001, out);
        }
    }

    fn sum_to_one(
        &self,
        group: &str,
        items: &[(String, f64)],
        tolerance: f64,
        out: &mut Vec<Diagnostic>,
    ) {
        let total: f64 = items.iter().map(|(_, v)| v).sum();
        if (total - 1.0).abs() > tolerance + 1e-12 {
            let parts: Vec<String> = items
                .iter()
                .map(|(_, v)| format!("{}%", fmt_num(v * 100.0)))
                .collect();
            out.push(
                self.doc
                    .error(
                        "shares-sum",
                        group,
                        format!(
                            "shares in `{group}` sum to {}%, not 100%",
                            fmt_num(total * 100.0)
                        ),
                    )
                    .found(parts.join(" + "))
                    .expected(format!(
                        "a total of 100% (± {}pp)",
                        fmt_num(tolerance * 100.0)
                    ))
                    .help("adjust the shares so they add up to 100%"),
            );
        }
    }

    /// Rule 4: totals, basis, category amounts and work packages agree.
    fn budget(&self, out: &mut Vec<Diagnostic>) {
        let b = &self.plan.budget;
        let cent = Decimal::new(1, 2);
        let total = b.total.0;
        let mut sum = Decimal::ZERO;
        let mut amounts: Vec<Option<Decimal>> = Vec::new();
        for (i, c) in b.categories.iter().enumerate() {
            let from_share = c
                .share
                .and_then(|s| Decimal::from_f64(s.0))
                .map(|s| (s * total).round_dp(2));
            let amount = match (c.amount, from_share) {
                (Some(a), Some(s)) => {
                    if (a.0 - s).abs() > cent {
                        out.push(
                            self.doc
                                .error(
                                    "budget-mismatch",
                                    &format!("budget.categories[{i}].amount"),
                                    format!(
                                        "amount {} disagrees with share {} of total {} (= {s})",
                                        a,
                                        c.share.unwrap_or_default(),
                                        b.total
                                    ),
                                )
                                .help("give either `share` or `amount`, or make them agree"),
                        );
                    }
                    Some(a.0)
                }
                (Some(a), None) => Some(a.0),
                (None, Some(s)) => Some(s),
                (None, None) => {
                    out.push(
                        self.doc
                            .error(
                                "missing-key",
                                &format!("budget.categories[{i}]"),
                                format!("category `{}` has neither `share` nor `amount`", c.id),
                            )
                            .help("write `share: 40%` or `amount: 24000.00`"),
                    );
                    None
                }
            };
            if let Some(a) = amount {
                if a.is_sign_negative() {
                    out.push(
                        self.doc
                            .error(
                                "negative-amount",
                                &format!("budget.categories[{i}]"),
                                "a budget category cannot be negative",
                            )
                            .help("use a revision to move money"),
                    );
                }
                sum += a;
            }
            amounts.push(amount);
        }
        if amounts.iter().all(Option::is_some) && (sum - total).abs() > cent {
            out.push(
                self.doc
                    .error(
                        "budget-mismatch",
                        "budget.total",
                        format!(
                            "total {} is not the sum of the categories ({sum:.2})",
                            b.total
                        ),
                    )
                    .found(format!("{sum:.2}"))
                    .expected(format!("{}", b.total))
                    .help("make the category shares or amounts add up to the total"),
            );
        }
        if let Some(basis) = &b.basis {
            let expected = basis.per_member_month.0
                * Decimal::from(basis.members)
                * Decimal::from(basis.months);
            if (expected - total).abs() > cent {
                out.push(
                    self.doc
                        .error(
                            "budget-mismatch",
                            "budget.basis",
                            format!(
                                "basis gives {} × {} × {} = {expected:.2}, but total is {}",
                                basis.per_member_month, basis.members, basis.months, b.total
                            ),
                        )
                        .help("fix the basis or the total so that they agree"),
                );
            }
        }
        let reserves: Vec<usize> = b
            .categories
            .iter()
            .enumerate()
            .filter(|(_, c)| c.reserve)
            .map(|(i, _)| i)
            .collect();
        if reserves.len() > 1 {
            out.push(
                self.doc
                    .error(
                        "two-reserves",
                        &format!("budget.categories[{}].reserve", reserves[1]),
                        "at most one category may be the reserve",
                    )
                    .help("merge the reserves into one category"),
            );
        }
        if !b.work_packages.is_empty() {
            for (i, c) in b.categories.iter().enumerate() {
                if c.reserve {
                    continue;
                }
                let Some(Some(amount)) = amounts.get(i) else {
                    continue;
                };
                let wp_sum: Decimal = b
                    .work_packages
                    .iter()
                    .filter(|w| w.category == c.id)
                    .map(|w| w.planned_value.0)
                    .sum();
                if (wp_sum - amount).abs() > cent {
                    out.push(
                        self.doc
                            .error("budget-mismatch", &format!("budget.categories[{i}]"), format!("work packages of `{}` plan {wp_sum:.2}, but the category has {amount:.2}", c.id))
                            .found(format!("{wp_sum:.2}"))
                            .expected(format!("{amount:.2}"))
                            .help("the planned values of a category's work packages must add up to its amount"),
                    );
                }
            }
            for (i, w) in b.work_packages.iter().enumerate() {
                let field = format!("budget.work_packages[{i}]");
                if w.planned_end < w.planned_start {
                    out.push(
                        self.doc
                            .error(
                                "bad-period",
                                &format!("{field}.planned_end"),
                                "planned_end is before planned_start",
                            )
                            .help("swap the dates"),
                    );
                }
                let p = self.plan.campaign.period;
                if !p.contains(w.planned_start) || !p.contains(w.planned_end) {
                    out.push(
                        self.doc
                            .error(
                                "outside-campaign",
                                &format!("{field}.planned_start"),
                                format!(
                                    "work package `{}` runs {} … {}, outside the campaign {} … {}",
                                    w.id, w.planned_start, w.planned_end, p.start, p.end
                                ),
                            )
                            .help("work packages must lie inside the campaign period"),
                    );
                }
                if w.planned_value.0.is_sign_negative() {
                    out.push(
                        self.doc
                            .error(
                                "negative-amount",
                                &format!("{field}.planned_value"),
                                "planned value cannot be negative",
                            )
                            .help("write a positive amount"),
                    );
                }
            }
        }
        if let Some(t) = &b.thresholds
            && t.warn.0 >= t.over.0
        {
            out.push(
                self.doc
                    .error(
                        "bad-thresholds",
                        "budget.thresholds",
                        format!("warn ({}) must be below over ({})", t.warn, t.over),
                    )
                    .help("e.g. `{warn: 5%, over: 10%, underspend: -20%}`"),
            );
        }
        if let Some(t) = &b.cpi_thresholds
            && t.amber >= t.green
        {
            out.push(
                self.doc
                    .error(
                        "bad-thresholds",
                        "budget.cpi_thresholds",
                        "amber must be below green",
                    )
                    .help("e.g. `{green: 0.95, amber: 0.90}`"),
            );
        }
        if b.spend_curve == Some(SpendCurve::ByPhase) && b.phase_shares.is_empty() {
            out.push(
                self.doc
                    .error(
                        "missing-key",
                        "budget.spend_curve",
                        "`spend_curve: by_phase` needs `phase_shares`",
                    )
                    .help("add `phase_shares: {p1: 30%, …}` summing to 100%"),
            );
        }
        if b.spend_curve == Some(SpendCurve::WorkPackages) && b.work_packages.is_empty() {
            out.push(
                self.doc
                    .error(
                        "missing-key",
                        "budget.spend_curve",
                        "`spend_curve: work_packages` needs `budget.work_packages`",
                    )
                    .help("add work packages, or use `spend_curve: linear`"),
            );
        }
        for (i, r) in b.revisions.iter().enumerate() {
            if r.amount.0 <= Decimal::ZERO {
                out.push(
                    self.doc
                        .error(
                            "negative-amount",
                            &format!("budget.revisions[{i}].amount"),
                            "a revision moves a positive amount",
                        )
                        .help("swap `from` and `to` instead of using a negative amount"),
                );
            }
            if r.from == r.to {
                out.push(
                    self.doc
                        .error(
                            "bad-revision",
                            &format!("budget.revisions[{i}].to"),
                            "a revision moves money between two different categories",
                        )
                        .help("fix `from` or `to`"),
                );
            }
        }
    }

    /// Rule 5: phases lie inside the campaign, are ordered, and do not overlap unless allowed.
    fn phases(&self, out: &mut Vec<Diagnostic>) -> Vec<(String, Period)> {
        let camp = self.plan.campaign.period;
        let mut resolved = Vec::new();
        for (i, p) in self.plan.phases.items.iter().enumerate() {
            let field = format!("phases.items[{i}]");
            let period = match (&p.weeks, p.start, p.end) {
                (Some(w), None, None) => match parse_weeks(w) {
                    Some((a, b)) => {
                        let start = camp
                            .start
                            .saturating_add(jiff::Span::new().days(7 * (a - 1)));
                        let end = camp.start.saturating_add(jiff::Span::new().days(7 * b - 1));
                        Some(Period { start, end })
                    }
                    None => {
                        out.push(
                            self.doc
                                .error(
                                    "bad-weeks",
                                    &format!("{field}.weeks"),
                                    format!("`{w}` is not a week range"),
                                )
                                .found(format!("`{w}`"))
                                .expected("\"a-b\" with 1 ≤ a ≤ b, e.g. \"1-2\"")
                                .help("quote it: `weeks: \"1-2\"`"),
                        );
                        None
                    }
                },
                (None, Some(start), Some(end)) => Some(Period { start, end }),
                _ => {
                    out.push(
                        self.doc
                            .error(
                                "bad-phase",
                                &field,
                                format!(
                                    "phase `{}` needs either `weeks` or both `start` and `end`",
                                    p.id
                                ),
                            )
                            .help("write `weeks: \"1-2\"` or `start:` and `end:` dates"),
                    );
                    None
                }
            };
            let Some(period) = period else { continue };
            if period.end < period.start {
                out.push(
                    self.doc
                        .error(
                            "bad-period",
                            &format!("{field}.end"),
                            format!("phase `{}` ends before it starts", p.id),
                        )
                        .help("swap the dates"),
                );
            } else if !camp.contains(period.start) || !camp.contains(period.end) {
                out.push(
                    self.doc
                        .error(
                            "outside-campaign",
                            &field,
                            format!(
                                "phase `{}` ({} … {}) is outside the campaign {} … {}",
                                p.id, period.start, period.end, camp.start, camp.end
                            ),
                        )
                        .help("phases must lie inside `campaign.period`"),
                );
            }
            resolved.push((p.id.clone(), period, i));
        }
        let mut sorted = resolved.clone();
        sorted.sort_by_key(|(_, p, _)| p.start);
        for pair in sorted.windows(2) {
            let (a, pa, _) = &pair[0];
            let (b, pb, ib) = &pair[1];
            if pb.start <= pa.end && !self.plan.phases.allow_overlap {
                out.push(
                    self.doc
                        .error(
                            "phase-overlap",
                            &format!("phases.items[{ib}]"),
                            format!(
                                "phase `{b}` ({} … {}) overlaps `{a}` ({} … {})",
                                pb.start, pb.end, pa.start, pa.end
                            ),
                        )
                        .help("move the dates apart, or set `phases.allow_overlap: true`"),
                );
            } else if days_between(pa.end, pb.start) > 1 {
                out.push(
                    self.doc
                        .warning(
                            "phase-gap",
                            &format!("phases.items[{ib}]"),
                            format!(
                                "{} day(s) between `{a}` and `{b}` belong to no phase",
                                days_between(pa.end, pb.start) - 1
                            ),
                        )
                        .help("extend a phase to close the gap, if that was not intended"),
                );
            }
        }
        resolved.into_iter().map(|(id, p, _)| (id, p)).collect()
    }

    fn milestones(&self, phases: &[(String, Period)], out: &mut Vec<Diagnostic>) {
        for (i, m) in self.plan.milestones.iter().enumerate() {
            if let Some((_, p)) = phases.iter().find(|(id, _)| *id == m.phase)
                && !p.contains(m.due)
            {
                out.push(
                    self.doc
                        .warning(
                            "milestone-outside-phase",
                            &format!("milestones[{i}].due"),
                            format!(
                                "milestone `{}` is due {} , outside its phase `{}` ({} … {})",
                                m.id, m.due, m.phase, p.start, p.end
                            ),
                        )
                        .help(
                            "move the due date, or attach the milestone to the phase it falls in",
                        ),
                );
            }
        }
    }

    /// Rule 9 and the target rules of §B.3.
    fn targets(&self, out: &mut Vec<Diagnostic>) {
        for (i, t) in self.plan.targets.iter().enumerate() {
            self.target(i, t, out);
        }
    }

    fn target(&self, i: usize, t: &Target, out: &mut Vec<Diagnostic>) {
        let f = |k: &str| format!("targets[{i}].{k}");
        let def = catalog::lookup(&t.metric);
        let custom = self.plan.custom_metrics.iter().find(|m| m.id == t.metric);
        let is_ratio = self.is_ratio_metric(&t.metric).unwrap_or(false);
        self.period(&format!("targets[{i}].window"), &t.window, out);
        match (&t.target, &t.change) {
            (Some(_), Some(_)) => out.push(
                self.doc
                    .error(
                        "target-and-change",
                        &f("change"),
                        format!("target `{}` gives both `target` and `change`", t.id),
                    )
                    .help("keep one: an absolute `target`, or a `change` from the baseline"),
            ),
            (None, None) => out.push(
                self.doc
                    .error(
                        "missing-key",
                        &f("id"),
                        format!("target `{}` gives neither `target` nor `change`", t.id),
                    )
                    .help("add `target: 60%` or `change: {relative: +20%}` with a `baseline`"),
            ),
            (None, Some(change)) => {
                if t.baseline.is_none() {
                    out.push(
                        self.doc
                            .error(
                                "change-without-baseline",
                                &f("change"),
                                format!("target `{}` uses `change` but has no `baseline`", t.id),
                            )
                            .help("add `baseline:` — a change needs something to change from"),
                    );
                }
                match (&change.relative, &change.absolute) {
                    (Some(_), Some(_)) | (None, None) => out.push(
                        self.doc
                            .error(
                                "bad-change",
                                &f("change"),
                                "`change` takes exactly one of `relative` or `absolute`",
                            )
                            .help(
                                "write `change: {relative: +20%}` or `change: {absolute: +10pp}`",
                            ),
                    ),
                    (None, Some(Quantity::Percent(_))) if is_ratio => out.push(
                        self.doc
                            .error(
                                "bad-change",
                                &f("change.absolute"),
                                "an absolute change of a rate is in percentage points",
                            )
                            .help(
                                "write `+10pp`, not `+10%`; use `relative:` for a relative change",
                            ),
                    ),
                    _ => {}
                }
            }
            (Some(_), None) => {}
        }
        // An unknown metric is reported once (refs); its unit is unknown, so its values are
        // not judged here.
        let known = def.is_some() || custom.is_some() || t.metric.contains('.');
        for (key, q) in [("target", t.target), ("baseline", t.baseline)]
            .into_iter()
            .filter(|_| known)
        {
            if let Some(q) = q {
                self.quantity_fits(&f(key), q, is_ratio, out);
            }
        }
        if let Some(tol) = t.tolerance {
            if tol.value() < 0.0 {
                out.push(
                    self.doc
                        .error(
                            "bad-tolerance",
                            &f("tolerance"),
                            "tolerance cannot be negative",
                        )
                        .help("write e.g. `3pp` or `2`"),
                );
            }
            if is_ratio && matches!(tol, Quantity::Number(v) if v > 1.0) {
                out.push(
                    self.doc
                        .error(
                            "bad-ratio",
                            &f("tolerance"),
                            format!("tolerance {} of a rate is ambiguous", tol),
                        )
                        .help(format!("write {}pp", fmt_num(tol.value()))),
                );
            }
        }
        let trajectory = t.trajectory;
        if matches!(trajectory, Some(Trajectory::Linear | Trajectory::Compound))
            && t.baseline.is_none()
        {
            out.push(
                self.doc
                    .error(
                        "missing-baseline",
                        &f("trajectory"),
                        format!(
                            "trajectory `{}` needs a `baseline`",
                            if trajectory == Some(Trajectory::Linear) {
                                "linear"
                            } else {
                                "compound"
                            }
                        ),
                    )
                    .help("add `baseline:`, or use `trajectory: flat`"),
            );
        }
        if trajectory == Some(Trajectory::Compound) && t.baseline.is_some_and(|b| b.value() <= 0.0)
        {
            out.push(
                self.doc
                    .error(
                        "bad-baseline",
                        &f("baseline"),
                        "a compound trajectory needs a baseline above 0",
                    )
                    .help("use `trajectory: linear` for a start at 0"),
            );
        }
        if trajectory == Some(Trajectory::Milestones) && t.checkpoints.is_empty() {
            out.push(
                self.doc
                    .error(
                        "missing-key",
                        &f("trajectory"),
                        "`trajectory: milestones` needs `checkpoints`",
                    )
                    .help("add `checkpoints: [{date: …, value: …}]`"),
            );
        }
        let mut last: Option<Date> = None;
        for (j, c) in t.checkpoints.iter().enumerate() {
            if !t.window.contains(c.date) {
                out.push(
                    self.doc
                        .error(
                            "checkpoint-outside-window",
                            &format!("targets[{i}].checkpoints[{j}].date"),
                            format!(
                                "checkpoint {} is outside the window {} … {}",
                                c.date, t.window.start, t.window.end
                            ),
                        )
                        .help("checkpoints lie inside the target's window"),
                );
            }
            if last.is_some_and(|l| c.date <= l) {
                out.push(
                    self.doc
                        .error(
                            "checkpoints-order",
                            &format!("targets[{i}].checkpoints[{j}].date"),
                            "checkpoint dates must be strictly ascending",
                        )
                        .help("sort the checkpoints by date"),
                );
            }
            last = Some(c.date);
            if !known {
                continue;
            }
            self.quantity_fits(
                &format!("targets[{i}].checkpoints[{j}].value"),
                c.value,
                is_ratio,
                out,
            );
        }
        if t.agg.is_some() && !catalog::allows_mean_of_daily(&t.metric) {
            out.push(
                self.doc
                    .error(
                        "agg-not-allowed",
                        &f("agg"),
                        format!("`agg` is not an option for `{}`", t.metric),
                    )
                    .help(
                        "only active_rate_daily and speaker_rate_daily offer `agg: mean_of_daily`",
                    ),
            );
        }
        if let (Some(dir), Some(def)) = (t.direction, def)
            && dir != def.direction
        {
            let name = if dir == Direction::HigherIsBetter {
                "higher_is_better"
            } else {
                "lower_is_better"
            };
            out.push(
                self.doc
                    .warning(
                        "direction-override",
                        &f("direction"),
                        format!(
                            "`{name}` is the opposite of the catalog direction of `{}`",
                            t.metric
                        ),
                    )
                    .help("make sure this is intended"),
            );
        }
    }

    /// Whether a metric is measured as a ratio; `None` for a metric no catalog or plan defines
    /// (reported once by the reference checks, so its values are not judged).
    fn is_ratio_metric(&self, metric: &str) -> Option<bool> {
        if let Some(def) = catalog::lookup(metric) {
            return Some(def.unit == Unit::Ratio);
        }
        if let Some(c) = self.plan.custom_metrics.iter().find(|m| m.id == metric) {
            return Some(c.unit == crate::model::plan::MetricUnit::Ratio);
        }
        metric.starts_with("funnel_step_rate.").then_some(true)
    }

    /// Every other plan value in a metric's unit (benchmarks, evidence, risk triggers) follows
    /// the targets' rule: a ratio is `12%` or `0.12`, never a bare number above 1.
    fn metric_values(&self, out: &mut Vec<Diagnostic>) {
        for (i, b) in self.plan.benchmarks.iter().enumerate() {
            if let Some(is_ratio) = self.is_ratio_metric(&b.metric) {
                self.quantity_fits(&format!("benchmarks[{i}].value"), b.value, is_ratio, out);
            }
        }
        let pain_points = self.plan.background.iter().flat_map(|b| &b.pain_points);
        for (i, p) in pain_points.enumerate() {
            if let Some(e) = &p.evidence
                && let Some(is_ratio) = self.is_ratio_metric(&e.metric)
            {
                let field = format!("background.pain_points[{i}].evidence.value");
                self.quantity_fits(&field, e.value, is_ratio, out);
            }
        }
        let risks = self
            .plan
            .risks
            .iter()
            .flat_map(|r| r.items.iter().enumerate());
        for (i, r) in risks {
            let Some(t) = &r.trigger else { continue };
            // `coverage_low` is a share of days; the other checks count days or rows.
            let is_ratio = match (&t.metric, &t.check) {
                (Some(m), _) => self.is_ratio_metric(m),
                (None, Some(c)) if crate::validate::refs::CHECK_IDS.contains(&c.as_str()) => {
                    Some(c == "coverage_low")
                }
                _ => None,
            };
            if let Some(is_ratio) = is_ratio {
                let field = format!("risks.items[{i}].trigger.value");
                self.quantity_fits(&field, t.value, is_ratio, out);
            }
        }
    }

    /// A ratio field takes `40%` or a fraction; a bare number above 1 is ambiguous.
    fn quantity_fits(&self, field: &str, q: Quantity, is_ratio: bool, out: &mut Vec<Diagnostic>) {
        match q {
            Quantity::Number(v) if is_ratio && v.abs() > 1.0 => out.push(
                self.doc
                    .error(
                        "bad-ratio",
                        field,
                        format!(
                            "a bare number greater than 1 in a ratio field is ambiguous, found {}",
                            fmt_num(v)
                        ),
                    )
                    .found(fmt_num(v))
                    .expected("a ratio such as 40% or 0.40")
                    .help(format!("write {}% or {}", fmt_num(v), fmt_num(v / 100.0))),
            ),
            Quantity::Percent(_) if !is_ratio => out.push(
                self.doc
                    .error(
                        "bad-quantity",
                        field,
                        "this metric is not a rate; a percentage makes no sense here",
                    )
                    .found(q.to_string())
                    .help("write a plain number in the metric's unit"),
            ),
            Quantity::Points(_) => out.push(
                self.doc
                    .error(
                        "bad-quantity",
                        field,
                        "percentage points are for changes and tolerances, not values",
                    )
                    .found(q.to_string())
                    .help("write a value such as 60%"),
            ),
            _ => {}
        }
    }

    /// Rule 10: dated entries outside the campaign without `pre_launch`.
    fn dated_entries(&self, out: &mut Vec<Diagnostic>) {
        let camp = self.plan.campaign.period;
        let outside = |d: Date| !camp.contains(d);
        for (i, a) in self.plan.activities.iter().enumerate() {
            let dates: Vec<Date> = a.date.into_iter().chain(a.start).chain(a.end).collect();
            if a.date.is_some() == (a.start.is_some() || a.end.is_some())
                || a.start.is_some() != a.end.is_some()
            {
                out.push(
                    self.doc
                        .error(
                            "bad-activity-dates",
                            &format!("activities[{i}]"),
                            format!(
                                "activity `{}` needs either `date` or both `start` and `end`",
                                a.id
                            ),
                        )
                        .help("write `date:` for a one-day event"),
                );
            }
            if !a.pre_launch && dates.iter().any(|d| outside(*d)) {
                out.push(
                    self.doc
                        .warning(
                            "outside-campaign",
                            &format!("activities[{i}]"),
                            format!("activity `{}` is outside the campaign period", a.id),
                        )
                        .help("set `pre_launch: true` if it happens before the start on purpose"),
                );
            }
        }
        if let Some(content) = &self.plan.content {
            for (i, e) in content.calendar.iter().enumerate() {
                let field = format!("content.calendar[{i}]");
                match (&e.date, &e.recurrence) {
                    (Some(d), None) => {
                        if !e.pre_launch && outside(*d) {
                            out.push(self.doc.warning("outside-campaign", &format!("{field}.date"), format!("calendar entry `{}` on {d} is outside the campaign", e.title)).help("set `pre_launch: true` if intended"));
                        }
                    }
                    (None, Some(r)) => {
                        if r.until < r.from {
                            out.push(self.doc.error("bad-period", &format!("{field}.recurrence.until"), "recurrence ends before it starts").help("swap `from` and `until`"));
                        }
                        if !e.pre_launch && (outside(r.from) || outside(r.until)) {
                            out.push(self.doc.warning("outside-campaign", &format!("{field}.recurrence"), format!("recurring entry `{}` runs outside the campaign", e.title)).help("set `pre_launch: true` if intended"));
                        }
                    }
                    _ => out.push(self.doc.error("bad-calendar", &field, format!("calendar entry `{}` needs exactly one of `date` or `recurrence`", e.title)).help("write `date: 2025-07-07` or `recurrence: {freq: daily, from: …, until: …}`")),
                }
            }
            if let Some(cad) = &content.cadence
                && cad.share_basis == ShareBasis::EffortHours
            {
                for (i, item) in cad.items.iter().enumerate() {
                    if item.hours_per_occurrence.is_none() {
                        out.push(self.doc.error("missing-key", &format!("content.cadence.items[{i}]"), format!("cadence item `{}` needs `hours_per_occurrence` with `share_basis: effort_hours`", item.id)).help("add e.g. `hours_per_occurrence: 0.5`"));
                    }
                }
            }
        }
        for (i, p) in self.plan.promotion_rhythm.iter().enumerate() {
            let field = format!("promotion_rhythm[{i}]");
            if p.end < p.start {
                out.push(
                    self.doc
                        .error(
                            "bad-period",
                            &format!("{field}.end"),
                            "the step ends before it starts",
                        )
                        .help("swap the dates"),
                );
            } else if p.pre_launch {
                if p.end >= camp.start {
                    out.push(
                        self.doc
                            .error(
                                "pre-launch-overlap",
                                &format!("{field}.end"),
                                format!(
                                    "pre-launch step `{}` must end before the campaign starts ({})",
                                    p.step, camp.start
                                ),
                            )
                            .help("end it the day before the campaign, or drop `pre_launch`"),
                    );
                }
            } else if outside(p.start) || outside(p.end) {
                out.push(
                    self.doc
                        .warning(
                            "outside-campaign",
                            &field,
                            format!("step `{}` is outside the campaign", p.step),
                        )
                        .help("set `pre_launch: true` for steps before the start"),
                );
            }
        }
        if let Some(review) = &self.plan.review
            && let Some(fr) = &review.final_retro
            && fr.date < camp.end
        {
            out.push(
                self.doc
                    .error(
                        "retro-too-early",
                        "review.final_retro.date",
                        format!(
                            "the final retro ({}) is before the campaign ends ({})",
                            fr.date, camp.end
                        ),
                    )
                    .help("hold the final retro on or after the last day"),
            );
        }
    }

    fn community(&self, out: &mut Vec<Diagnostic>) {
        let c = &self.plan.community;
        if c.carriers.is_empty() {
            out.push(
                self.doc
                    .error(
                        "missing-key",
                        "community.carriers",
                        "at least one carrier (group) is required",
                    )
                    .help("add `- {id: main, type: im_group, platform: 企业微信, name: 1群}`"),
            );
        }
        if let Some(entry) = &c.entry
            && entry.quiz_pass_score.is_some()
            && entry.threshold != EntryThreshold::Quiz
        {
            out.push(
                self.doc
                    .error(
                        "bad-entry",
                        "community.entry.quiz_pass_score",
                        "`quiz_pass_score` only applies with `threshold: quiz`",
                    )
                    .help("remove it, or set `threshold: quiz`"),
            );
        }
        if c.tiers.len() == 1 {
            out.push(
                self.doc
                    .error(
                        "bad-tiers",
                        "community.tiers",
                        "tiers need at least two levels",
                    )
                    .help("list tiers from lowest to highest"),
            );
        }
        let mut levels: Vec<u32> = c.admin_levels.iter().map(|l| l.level).collect();
        levels.sort_unstable();
        if levels.iter().enumerate().any(|(i, l)| *l as usize != i + 1) {
            out.push(
                self.doc
                    .error(
                        "bad-levels",
                        "community.admin_levels",
                        "admin levels must be numbered 1..n without gaps",
                    )
                    .help("number the levels 1, 2, 3"),
            );
        }
        for (i, l) in c.admin_levels.iter().enumerate() {
            if l.count == 0 {
                out.push(
                    self.doc
                        .error(
                            "bad-count",
                            &format!("community.admin_levels[{i}].count"),
                            "count must be at least 1",
                        )
                        .help("write the number of admins at this level"),
                );
            }
        }
        if let Some(cap) = &c.capacity
            && let Some([a, b]) = cap.subgroup_size
            && a > b
        {
            out.push(
                self.doc
                    .error(
                        "bad-range",
                        "community.capacity.subgroup_size",
                        "the range must be ascending",
                    )
                    .help("write `[min, max]`"),
            );
        }
        if let Some(a) = &self.plan.audience {
            for (i, p) in a.personas.iter().enumerate() {
                if let Some([lo, hi]) = p.age_range
                    && lo > hi
                {
                    out.push(
                        self.doc
                            .error(
                                "bad-range",
                                &format!("audience.personas[{i}].age_range"),
                                "age_range must be ascending",
                            )
                            .help("write `[min, max]`"),
                    );
                }
            }
        }
        if let Some(inc) = &self.plan.incentives {
            for (i, w) in inc.levels.windows(2).enumerate() {
                if w[1].min_points <= w[0].min_points {
                    out.push(
                        self.doc
                            .error(
                                "bad-levels",
                                &format!("incentives.levels[{}].min_points", i + 1),
                                "min_points must be strictly ascending",
                            )
                            .help("order levels by points"),
                    );
                }
            }
            if inc.levels.first().is_some_and(|l| l.min_points != 0) {
                out.push(
                    self.doc
                        .error(
                            "bad-levels",
                            "incentives.levels[0].min_points",
                            "the first level starts at 0 points",
                        )
                        .help("write `min_points: 0` for the first level"),
                );
            }
            let tier_rank = |t: &Option<String>| {
                t.as_ref()
                    .and_then(|t| c.tiers.iter().position(|x| &x.id == t))
            };
            let ranks: Vec<(usize, usize)> = inc
                .levels
                .iter()
                .enumerate()
                .filter_map(|(i, l)| tier_rank(&l.tier).map(|r| (i, r)))
                .collect();
            for w in ranks.windows(2) {
                if w[1].1 < w[0].1 {
                    out.push(
                        self.doc
                            .error(
                                "bad-levels",
                                &format!("incentives.levels[{}].tier", w[1].0),
                                "the tier of a higher level cannot be lower",
                            )
                            .help("tiers must not decrease as levels rise"),
                    );
                }
            }
        }
        if let Some(f) = &self.plan.funnel {
            if f.stages.len() < 2 {
                out.push(
                    self.doc
                        .error(
                            "bad-funnel",
                            "funnel.stages",
                            "a funnel needs at least two stages",
                        )
                        .help("list the stages in order, e.g. 认知 → 行动"),
                );
            }
            for (i, s) in f.stages.iter().enumerate() {
                if crate::model::columns::daily_index(&s.column).is_none() {
                    out.push(self.doc.error("unknown-column", &format!("funnel.stages[{i}].column"), format!("`{}` is not a canonical daily column", s.column)).help("use funnel_awareness, funnel_interest, funnel_decision or funnel_action"));
                }
            }
            if let Some(first) = f.stages.first()
                && f.step_targets.contains_key(&first.id)
            {
                out.push(
                    self.doc
                        .error(
                            "bad-funnel",
                            &format!("funnel.step_targets.{}", first.id),
                            "the first stage has no step rate",
                        )
                        .help("give step targets for the later stages only"),
                );
            }
            for (k, v) in &f.step_targets {
                if v.0 <= 0.0 || v.0 > 1.0 {
                    out.push(
                        self.doc
                            .error(
                                "bad-ratio",
                                &format!("funnel.step_targets.{k}"),
                                format!("step target {v} is outside (0, 100%]"),
                            )
                            .help("a step rate is above 0 and at most 100%"),
                    );
                }
            }
        }
        let mut codes = std::collections::BTreeMap::new();
        for (i, ch) in self.plan.channels.iter().enumerate() {
            if let Some(code) = &ch.source_code
                && let Some(first) = codes.insert(code.clone(), i)
            {
                out.push(
                    self.doc
                        .error(
                            "duplicate-id",
                            &format!("channels[{i}].source_code"),
                            format!("source_code `{code}` is also used by channels[{first}]"),
                        )
                        .help("source codes must be unique"),
                );
            }
        }
    }

    fn risks(&self, out: &mut Vec<Diagnostic>) {
        let Some(risks) = &self.plan.risks else {
            return;
        };
        let scale = risks.scale.unwrap_or_default();
        let max = scale.probability[1] * scale.impact[1];
        if !risks.levels.is_empty() {
            let mut bands: Vec<(&String, [u32; 2])> =
                risks.levels.iter().map(|(k, v)| (k, *v)).collect();
            bands.sort_by_key(|(_, r)| r[0]);
            let mut next = 1;
            let mut ok = true;
            for (_, [lo, hi]) in &bands {
                if *lo != next || hi < lo {
                    ok = false;
                }
                next = hi + 1;
            }
            if !ok || next != max + 1 {
                out.push(
                    self.doc
                        .error("risk-levels", "risks.levels", format!("level bands must cover 1..{max} without gaps or overlaps"))
                        .help("e.g. `{low: [1, 4], medium: [5, 9], high: [10, 16], critical: [17, 25]}`"),
                );
            }
        }
        for (i, r) in risks.items.iter().enumerate() {
            let f = |k: &str| format!("risks.items[{i}].{k}");
            for (key, v, [lo, hi]) in [
                ("probability", r.probability, scale.probability),
                ("impact", r.impact, scale.impact),
            ] {
                if v < lo || v > hi {
                    out.push(
                        self.doc
                            .error(
                                "out-of-scale",
                                &f(key),
                                format!("{key} {v} is outside the scale {lo}–{hi}"),
                            )
                            .help(format!("use a value from {lo} to {hi}")),
                    );
                }
            }
            if let Some(level) = &r.level {
                if !risks.levels.is_empty() && !risks.levels.contains_key(level) {
                    out.push(
                        self.doc
                            .error(
                                "unknown-value",
                                &f("level"),
                                format!("`{level}` is not a level of `risks.levels`"),
                            )
                            .help(format!(
                                "use one of {}",
                                risks.levels.keys().cloned().collect::<Vec<_>>().join(", ")
                            )),
                    );
                }
                let score = r.probability * r.impact;
                let computed = risks
                    .levels
                    .iter()
                    .find(|(_, [lo, hi])| (*lo..=*hi).contains(&score))
                    .map(|(k, _)| k);
                if computed.is_some_and(|c| c != level) && r.level_reason.is_none() {
                    out.push(self.doc.error("level-override", &f("level"), format!("declared level `{level}` differs from the computed `{}` ({}×{}={score}) without a `level_reason`", computed.map_or("", |c| c.as_str()), r.probability, r.impact)).help("add `level_reason:` explaining the override, or drop `level`"));
                }
            }
        }
    }

    fn misc(&self, out: &mut Vec<Diagnostic>) {
        if let Some(report) = &self.plan.report {
            for (i, c) in report.charts.iter().enumerate() {
                if !CHART_IDS.contains(&c.as_str()) {
                    let mut d = self
                        .doc
                        .error(
                            "unknown-chart",
                            &format!("report.charts[{i}]"),
                            format!("unknown chart `{c}`"),
                        )
                        .expected(format!("one of {}", CHART_IDS.join(", ")));
                    if let Some(best) = crate::diag::did_you_mean(c, CHART_IDS.iter().copied()) {
                        d = d.help(format!("did you mean `{best}`?"));
                    }
                    out.push(d);
                }
            }
        }
        if let Some(gm) = self.plan.attribution.as_ref().and_then(|a| a.gross_margin)
            && !(0.0..=1.0).contains(&gm.0)
        {
            out.push(
                self.doc
                    .error(
                        "bad-ratio",
                        "attribution.gross_margin",
                        "gross margin must be between 0% and 100%",
                    )
                    .help("write e.g. `gross_margin: 45%`"),
            );
        }
        let _ = Decimal::ZERO.to_f64();
    }
}
