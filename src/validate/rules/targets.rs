//! Rule 9 and the target rules: windows, baselines, changes, checkpoints, and ratio values written
//! as ratios.

use super::*;

impl Rules<'_> {
    /// Rule 9 and the target rules of docs/reference.md#planyaml.
    pub(super) fn targets(&self, out: &mut Vec<Diagnostic>) {
        for (i, t) in self.plan.targets.iter().enumerate() {
            self.target(i, t, out);
        }
    }

    pub(super) fn target(&self, i: usize, t: &Target, out: &mut Vec<Diagnostic>) {
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
    pub(super) fn is_ratio_metric(&self, metric: &str) -> Option<bool> {
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
    pub(super) fn metric_values(&self, out: &mut Vec<Diagnostic>) {
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
    pub(super) fn quantity_fits(
        &self,
        field: &str,
        q: Quantity,
        is_ratio: bool,
        out: &mut Vec<Diagnostic>,
    ) {
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
}
