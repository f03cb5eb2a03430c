//! Rules 5 and 10: phases inside the campaign and in order, milestones inside their phase, dated
//! entries inside the campaign.

use super::*;

impl Rules<'_> {
    /// Rule 5: phases lie inside the campaign, are ordered, and do not overlap unless allowed.
    pub(super) fn phases(&self, out: &mut Vec<Diagnostic>) -> Vec<(String, Period)> {
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

    pub(super) fn milestones(&self, phases: &[(String, Period)], out: &mut Vec<Diagnostic>) {
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

    /// Rule 10: dated entries outside the campaign without `pre_launch`.
    pub(super) fn dated_entries(&self, out: &mut Vec<Diagnostic>) {
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
}
