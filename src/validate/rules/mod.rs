//! Arithmetic, date and shape rules of one plan (docs/reference.md#planyaml and
//! docs/rules.md#validation-rules, rules 3–5, 8–10): shares that must sum to 100%, budget totals,
//! phases, targets, risk bands and the like.

use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use crate::diag::Diagnostic;
use crate::load::yaml::YamlDoc;
use crate::model::catalog::{self, Unit};
use crate::model::plan::parse_weeks;
use crate::model::plan::{
    CHART_IDS, Direction, EntryThreshold, Period, Plan, ShareBasis, SpendCurve, Target, Trajectory,
    days_between,
};
use crate::model::values::{Date, Quantity, fmt_num};

mod budget;
mod campaign;
mod community;
mod risks;
mod targets;

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
    }
}
