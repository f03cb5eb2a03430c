//! The risk register: scale, bands, scores and triggers.

use super::*;

impl Rules<'_> {
    pub(super) fn risks(&self, out: &mut Vec<Diagnostic>) {
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
                    .level_bands()
                    .into_iter()
                    .find(|(_, [lo, hi])| (*lo..=*hi).contains(&score))
                    .map(|(k, _)| k);
                if computed.as_ref().is_some_and(|c| c != level) && r.level_reason.is_none() {
                    out.push(self.doc.error("level-override", &f("level"), format!("declared level `{level}` differs from the computed `{}` ({}×{}={score}) without a `level_reason`", computed.as_deref().unwrap_or(""), r.probability, r.impact)).help("add `level_reason:` explaining the override, or drop `level`"));
                }
            }
        }
    }
}
