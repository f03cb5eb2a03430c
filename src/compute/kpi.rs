//! KPI formulas of docs/reference.md#kpi-catalog over one window. Every metric is either a number
//! or undefined with a reason (docs/rules.md#general-rules G1): never a silent 0.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

pub use super::inputs::{Inputs, Value};
use super::inputs::{ac_in, acquisition_cost};
use super::undefined::Undefined;
use super::window::{Window, ratio, to_f64};
use crate::model::catalog::{self, Source};
use crate::model::plan::{Aggregation, ColumnAgg, ColumnAggKind, Plan};

/// The catalog metrics computed from daily, ledger and progress data, in catalog order, plus
/// `funnel_step_rate.<stage>` and custom metrics (golden README rule 10).
pub fn computable_ids(plan: &Plan) -> Vec<String> {
    let mut ids: Vec<String> = catalog::CATALOG
        .iter()
        .filter(|m| matches!(m.source, Source::Daily(_) | Source::DailyAndLedger(_)))
        .filter(|m| !matches!(m.id, "payback_day" | "ops_hours_weekly"))
        .map(|m| m.id.to_string())
        .collect();
    if let Some(f) = &plan.funnel {
        ids.extend(
            f.stages
                .iter()
                .skip(1)
                .map(|s| format!("funnel_step_rate.{}", s.id)),
        );
    }
    ids.extend(plan.custom_metrics.iter().map(|m| m.id.clone()));
    ids
}

/// Every computable metric over the window, keyed by id.
pub fn all(inputs: &Inputs) -> BTreeMap<String, Value> {
    computable_ids(inputs.plan)
        .into_iter()
        .chain(super::members::ids(inputs.plan, &inputs.people))
        .map(|id| {
            let v = metric(&id, inputs, None);
            (id, v)
        })
        .collect()
}

fn need(v: Option<f64>, why: Undefined) -> Value {
    v.filter(|x| x.is_finite()).ok_or(why)
}

/// One metric. `agg` is a target's `mean_of_daily` option, where allowed.
pub fn metric(id: &str, inp: &Inputs, agg: Option<Aggregation>) -> Value {
    let w = inp.window;
    if let Some(cut) = w.cut() {
        return Err(cut);
    }
    match formula(id, inp, agg) {
        Ok(v) if !v.is_finite() => Err(Undefined::TooLarge),
        // Over buckets, a figure that the same rows read as days would give needs daily
        // values: say that, not a reason about the columns.
        Err(_)
            if w.bucketed()
                && formula(
                    id,
                    &Inputs {
                        window: w.as_days(),
                        ..*inp
                    },
                    agg,
                )
                .is_ok() =>
        {
            Err(Undefined::NeedsDailyValues(w.spacing()))
        }
        other => other,
    }
}

fn formula(id: &str, inp: &Inputs, agg: Option<Aggregation>) -> Value {
    let w = &inp.window;
    let rate = |a: &str, b: &str| w.ratio_of_sums_or_why(a, b);
    let daily_rate = |a: &str| match agg {
        Some(Aggregation::MeanOfDaily) => {
            need(w.mean_of_daily(a, "members"), Undefined::NoData(a.into()))
        }
        _ => rate(a, "members"),
    };
    match id {
        "members_end" => need(
            w.last("members").map(|(_, v)| to_f64(v)),
            Undefined::NoMembersInWindow,
        ),
        "net_growth" => net_growth(w).map(to_f64),
        "growth_rate" => {
            let start = members_start(w)?;
            if start <= Decimal::ZERO {
                return Err(Undefined::MembersAtStartNotPositive);
            }
            need(ratio(net_growth(w)?, start), Undefined::MembersAtStartZero)
        }
        "joins" => w.total_or_why("joined").map(to_f64),
        "churn_rate" => churn(w),
        "churn_rate_monthly" => {
            // Losing everyone (or more, with joiners leaving too) saturates at 100%.
            let c = churn(w)?.min(1.0);
            let l = w.length() as f64;
            need(Some(1.0 - (1.0 - c).powf(30.0 / l)), Undefined::NoWindow)
        }
        "referral_share" => rate("referral_joins", "joined"),
        "dau_mean" => w.mean_or_why("active_members"),
        "active_rate_daily" => daily_rate("active_members"),
        "speaker_rate_daily" => daily_rate("speakers"),
        "active_rate_30d" => point_rate(w, "active_members_30d"),
        "active_rate_7d" => point_rate(w, "active_members_7d"),
        "lurker_share" => point_rate(w, "active_members_30d").map(|r| 1.0 - r),
        "stickiness" => stickiness(w),
        "avg_daily_speakers" => w.mean_or_why("speakers"),
        "messages_per_day" => w.mean_or_why("messages"),
        "messages_per_speaker" => rate("messages", "speakers"),
        "checkin_rate" => rate("checkins", "members"),
        "ugc_share" => rate("ugc_posts", "posts"),
        "response_rate" => rate("questions_answered", "questions"),
        "time_to_first_response" => {
            if w.bucketed() {
                return Err(Undefined::NoResponseTimes);
            }
            let mut num = Decimal::ZERO;
            let mut den = Decimal::ZERO;
            for (_, r) in w.days() {
                if let (Some(m), Some(q)) = (r.get("first_response_median_min"), r.get("questions"))
                {
                    num = m
                        .checked_mul(q)
                        .and_then(|x| num.checked_add(x))
                        .ok_or(Undefined::TooLarge)?;
                    den += q;
                }
            }
            need(ratio(num, den), Undefined::NoResponseTimes)
        }
        "net_sentiment" => {
            let (pos, neg) = w
                .paired_sums("sentiment_pos", "sentiment_neg")
                .ok_or(Undefined::NoSentimentColumns)?;
            need(ratio(pos - neg, pos + neg), Undefined::NoMentions)
        }
        "funnel_overall_rate" => {
            let f = inp.plan.funnel.as_ref().ok_or(Undefined::NoFunnel)?;
            let (first, last) = (
                f.stages.first().ok_or(Undefined::NoStages)?,
                f.stages.last().ok_or(Undefined::NoStages)?,
            );
            rate(&last.column, &first.column)
        }
        "gmv" => w.total_or_why("gmv").map(to_f64),
        "net_revenue" => net_revenue(w).map(to_f64),
        "aov" => rate("paid_revenue", "orders"),
        "arpu" => {
            let revenue = net_revenue(w)?;
            let members = w.mean("members").ok_or(Undefined::NoMembersColumn)?;
            need(
                (members > 0.0).then(|| to_f64(revenue) / members),
                Undefined::NoMembers,
            )
        }
        "roi_ratio" => {
            let ac = ac_total(inp)?;
            need(
                ratio(w.total_or_why("attributed_revenue")?, ac),
                Undefined::NoSpend,
            )
        }
        "roi" => {
            let ac = ac_total(inp)?;
            let rev = w.total_or_why("attributed_revenue")?;
            let margin = inp
                .plan
                .attribution
                .as_ref()
                .and_then(|a| a.gross_margin)
                .ok_or(Undefined::NoPlanKey("attribution.gross_margin"))?;
            need(
                ratio(rev, ac).map(|r| r * margin.0 - 1.0),
                Undefined::NoSpend,
            )
        }
        "cac_member" => {
            let ac = acquisition_cost(inp)?;
            need(ratio(ac, w.total_or_why("joined")?), Undefined::NoJoins)
        }
        "cost_per_member_month" => {
            let ac = ac_total(inp)?;
            let members = w.mean("members").ok_or(Undefined::NoMembersColumn)?;
            let months = members * w.length() as f64 / 30.0;
            need(
                (months > 0.0).then(|| to_f64(ac) / months),
                Undefined::NoMemberMonths,
            )
        }
        other => {
            if let Some(v) = super::members::metric(other, inp) {
                return v;
            }
            if let Some(stage) = other.strip_prefix("funnel_step_rate.") {
                let f = inp.plan.funnel.as_ref().ok_or(Undefined::NoFunnel)?;
                let k = f
                    .stages
                    .iter()
                    .position(|s| s.id == stage)
                    .ok_or(Undefined::UnknownStage)?;
                if k == 0 {
                    return Err(Undefined::FirstStage);
                }
                return rate(&f.stages[k].column, &f.stages[k - 1].column);
            }
            if let Some(cm) = inp.plan.custom_metrics.iter().find(|m| m.id == other) {
                return custom(w, &cm.numerator, cm.denominator.as_ref());
            }
            match catalog::lookup(other).map(|m| m.source) {
                Some(Source::External(what)) => Err(Undefined::Needs(what)),
                _ => Err(Undefined::NotComputed(other.into())),
            }
        }
    }
}

/// `members_start` (docs/rules.md#general-rules): the day before, else back-computed from the first
/// day, else the first day's value.
pub fn members_start(w: &Window) -> Result<Decimal, Undefined> {
    if w.bucketed() {
        // A bucket's level is its value on its first day: the window's first bucket gives it.
        return w.at(w.start, "members").ok_or(Undefined::NoMembersInWindow);
    }
    let before = w.start.yesterday().ok();
    if let Some(v) = before.and_then(|d| w.at(d, "members")) {
        return Ok(v);
    }
    if let (Some(m), Some(j), Some(l)) = (
        w.at(w.start, "members"),
        w.at(w.start, "joined"),
        w.at(w.start, "left"),
    ) {
        return Ok(m - j + l);
    }
    w.days()
        .find_map(|(_, r)| r.get("members"))
        .ok_or(Undefined::NoMembersInWindow)
}

fn net_growth(w: &Window) -> Result<Decimal, Undefined> {
    let end = w.last("members").ok_or(Undefined::NoMembersInWindow)?.1;
    Ok(end - members_start(w)?)
}

fn churn(w: &Window) -> Value {
    let left = w.total_or_why("left")?;
    let start = members_start(w)?;
    if start <= Decimal::ZERO {
        return Err(Undefined::MembersAtStartNotPositive);
    }
    need(ratio(left, start), Undefined::MembersAtStartZero)
}

fn net_revenue(w: &Window) -> Result<Decimal, Undefined> {
    let paid = w.total_or_why("paid_revenue")?;
    Ok(paid - w.total("refunds").unwrap_or_default())
}

/// Why rolling-unique count `col` has no value up to the window's end: the data never gives
/// it, or gives it only from a later day (its window reaches before the data).
fn no_rolling(w: &Window, col: &str) -> Undefined {
    if w.all.present.contains(col) {
        Undefined::RollingNotYetKnown(col.into())
    } else {
        Undefined::NoRollingCount(col.into())
    }
}

/// A rolling-unique count over members, both read on the last day the unique count is present.
fn point_rate(w: &Window, col: &str) -> Value {
    let (day, v) = w.last(col).ok_or_else(|| no_rolling(w, col))?;
    let members = w.at(day, "members").ok_or(Undefined::NoMembersOnDay)?;
    need(ratio(v, members), Undefined::NoMembers)
}

/// DAU averaged over [E′−29, E′] within the window (≥ 27 days) ÷ 30-day uniques at E′.
fn stickiness(w: &Window) -> Value {
    let (day, mau) = w
        .last("active_members_30d")
        .ok_or_else(|| no_rolling(w, "active_members_30d"))?;
    let from = day
        .checked_sub(jiff::Span::new().days(29))
        .unwrap_or(day)
        .max(w.start);
    let sub = Window::new(w.all, from, day);
    let (sum, n) = sub.sum("active_members");
    if n < 27 {
        return Err(Undefined::TooFewDays {
            column: "active_members",
            needed: 27,
            has: n,
        });
    }
    need(
        ratio(sum / Decimal::from(n as u64), mau),
        Undefined::NoThirtyDayActives,
    )
}

fn custom(w: &Window, num: &ColumnAgg, den: Option<&ColumnAgg>) -> Value {
    let days: Vec<_> = w
        .days()
        .filter(|(_, r)| {
            r.get(&num.column).is_some() && den.is_none_or(|d| r.get(&d.column).is_some())
        })
        .collect();
    let agg = |c: &ColumnAgg| -> Option<f64> {
        let point = matches!(c.agg, ColumnAggKind::First | ColumnAggKind::Last);
        if !w.can_aggregate(&c.column, point)
            || (w.bucketed() && !point && c.agg != ColumnAggKind::Sum)
        {
            return None;
        }
        let vals: Vec<f64> = days
            .iter()
            .filter_map(|(_, r)| r.get(&c.column))
            .map(to_f64)
            .collect();
        if vals.is_empty() {
            return None;
        }
        Some(match c.agg {
            ColumnAggKind::Sum => vals.iter().sum(),
            ColumnAggKind::Mean => vals.iter().sum::<f64>() / vals.len() as f64,
            ColumnAggKind::First => vals[0],
            ColumnAggKind::Last => vals[vals.len() - 1],
            ColumnAggKind::Max => vals.iter().cloned().fold(f64::MIN, f64::max),
            ColumnAggKind::Min => vals.iter().cloned().fold(f64::MAX, f64::min),
        })
    };
    let n = agg(num).ok_or_else(|| Undefined::NoData(num.column.clone()))?;
    match den {
        None => Ok(n),
        Some(d) => {
            let dv = agg(d).ok_or_else(|| Undefined::NoData(d.column.clone()))?;
            need(
                (dv != 0.0).then(|| n / dv),
                Undefined::ZeroSum(d.column.clone()),
            )
        }
    }
}

/// All accrued and paid spend in the window, reserve included (golden README rule 7).
fn ac_total(inp: &Inputs) -> Result<Decimal, Undefined> {
    if !inp.has_ledger {
        return Err(Undefined::NoLedger);
    }
    ac_in(inp, |_| true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::columns::daily_index;
    use crate::model::table::DayRow;
    use proptest::prelude::*;

    const PLAN: &str = include_str!("../../tests/fixtures/base/content/campaigns/demo/plan.yaml");
    const FUNNEL: &str = "funnel:\n  stages:\n    - {id: see, name: 认知, column: funnel_awareness}\n    - {id: click, name: 兴趣, column: funnel_interest}\n    - {id: buy, name: 行动, column: funnel_action}\n";

    fn plan() -> Plan {
        let text = format!("{PLAN}{FUNNEL}");
        crate::inputs::parse_plan(std::path::Path::new("plan.yaml"), &text)
            .unwrap()
            .0
    }

    fn day(values: &[(&str, u32)]) -> DayRow {
        let mut r = DayRow::default();
        for (c, v) in values {
            r.values[daily_index(c).unwrap()] = Some(Decimal::from(*v));
        }
        r
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

        /// Random valid daily data (some days and cells missing) never panics, and the overall
        /// funnel rate equals the product of the step rates (docs/rules.md#general-rules G7).
        #[test]
        fn random_daily_data(days in proptest::collection::vec(
            (any::<bool>(), 0u32..500, 0u32..50, 0u32..50, 0u32..400, 0u32..400, 0u32..400, any::<bool>()),
            1..40,
        )) {
            let plan = plan();
            let start = jiff::civil::date(2025, 7, 1);
            let mut all = crate::model::table::Days::default();
            for (i, (present, members, joined, left, a, b, c, has_msgs)) in days.iter().enumerate() {
                if !present {
                    continue;
                }
                let (see, click, buy) = {
                    let mut v = [*a, *b, *c];
                    v.sort_unstable();
                    (v[2], v[1], v[0])
                };
                let mut row = day(&[
                    ("members", *members), ("joined", *joined), ("left", *left),
                    ("active_members", members / 2), ("speakers", members / 4),
                    ("funnel_awareness", see), ("funnel_interest", click), ("funnel_action", buy),
                ]);
                if *has_msgs {
                    row.values[daily_index("messages").unwrap()] = Some(Decimal::from(*a));
                }
                all.rows.insert(start.checked_add(jiff::Span::new().days(i as i64)).unwrap(), row);
            }
            let end = start.checked_add(jiff::Span::new().days(days.len() as i64 - 1)).unwrap();
            let inputs = Inputs { plan: &plan, window: Window::new(&all, start, end), ledger: &[], has_ledger: false, people: Default::default() };
            let values = all_of(&inputs);
            for (id, v) in &values {
                if let Ok(x) = v {
                    prop_assert!(x.is_finite(), "{id} = {x}");
                }
            }
            let overall = &values["funnel_overall_rate"];
            let s1 = &values["funnel_step_rate.click"];
            let s2 = &values["funnel_step_rate.buy"];
            if let (Ok(o), Ok(a), Ok(b)) = (overall, s1, s2) {
                prop_assert!((o - a * b).abs() < 1e-9, "{o} vs {a} × {b}");
            }
        }
    }

    fn all_of(inputs: &Inputs) -> BTreeMap<String, Value> {
        all(inputs)
    }
}
