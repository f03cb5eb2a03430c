//! The community and its surroundings: carriers, tiers, capacity, entry, audience shares, channels,
//! the funnel and incentives.

use super::*;

impl Rules<'_> {
    pub(super) fn community(&self, out: &mut Vec<Diagnostic>) {
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
}
