//! Rules 3 and 4: shares that sum to 100%, and budget totals, basis, categories and work
//! packages that agree.

use super::*;

impl Rules<'_> {
    /// Rule 3: ratio groups sum to 100%.
    pub(super) fn shares(&self, out: &mut Vec<Diagnostic>) {
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

    pub(super) fn sum_to_one(
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
    pub(super) fn budget(&self, out: &mut Vec<Diagnostic>) {
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
}
