//! Figures over time, for charts: a metric as it stood week by week, a target's trajectory day
//! by day, the budget's burn-up, cumulative revenue against spend. Pure: render draws these
//! series and words them; it computes none of them.

use super::kpi::{self, Inputs};
use super::window::{Window, to_f64};
use crate::model::plan::{Aggregation, Period, Target, days_between};
use crate::model::site::CampaignData;
use crate::model::table::{DayRow, Days, LedgerStatus};
use crate::model::values::Date;

/// The days of the campaign up to the report date; none when the report date is before the
/// start (`--as-of` may be anything: an inverted range is empty, never a panic).
pub fn reported(
    days: &Days,
    period: Period,
    as_of: Date,
) -> impl Iterator<Item = (&Date, &DayRow)> {
    let end = period.end.min(as_of);
    (period.start <= end)
        .then(|| days.range(period.start..=end))
        .into_iter()
        .flatten()
}

/// Every seventh day from `start`, and `end`: cumulative measures are drawn weekly, which keeps
/// each chart linear in the campaign's length.
pub fn sample_days(start: Date, end: Date) -> Vec<Date> {
    let mut out = Vec::new();
    let mut day = start;
    while day <= end {
        out.push(day);
        match day.checked_add(jiff::Span::new().days(7)) {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    if out.last().is_some_and(|d| *d < end) {
        out.push(end);
    }
    out
}

/// `metric` over `[from, day]` for each sampled day from `first` to `end`, on the days it is
/// computable.
pub fn metric_by_week(
    c: &CampaignData,
    days: &Days,
    metric: &str,
    agg: Option<Aggregation>,
    from: Date,
    first: Date,
    end: Date,
) -> Vec<(Date, f64)> {
    sample_days(first, end)
        .into_iter()
        .filter_map(|day| {
            let inputs = Inputs {
                plan: &c.plan,
                window: Window::new(days, from, day),
                ledger: c.ledger.as_deref().unwrap_or_default(),
                has_ledger: c.ledger.is_some(),
                people: super::inputs::People::of(c, day),
            };
            kpi::metric(metric, &inputs, agg).ok().map(|v| (day, v))
        })
        .collect()
}

/// Where target `t` expects its metric on each of `dates` (its trajectory); `None` when the
/// target has no value or a day has no expected value.
pub fn trajectory(t: &Target, dates: &[Date]) -> Option<Vec<f64>> {
    let tau = super::targets::target_value(t)?;
    let kind = t
        .trajectory
        .unwrap_or_else(|| super::targets::default_trajectory(&t.metric));
    let total = (days_between(t.window.start, t.window.end) + 1) as f64;
    dates
        .iter()
        .map(|date| {
            let p = ((days_between(t.window.start, *date) + 1) as f64 / total).clamp(0.0, 1.0);
            super::targets::expected_value(
                kind,
                t.baseline.map(|b| b.value()),
                tau,
                &t.checkpoints,
                t.window.start,
                t.window.end,
                p,
            )
        })
        .collect()
}

/// The budget week by week: planned value, actual cost (`None` without a ledger) and earned
/// value (`None` on a day without progress) to each sampled day.
#[derive(Debug, Clone, PartialEq)]
pub struct BurnUp {
    /// The sampled days.
    pub dates: Vec<Date>,
    /// Planned value to each day.
    pub pv: Vec<f64>,
    /// Actual cost to each day, reserve left out; `None` without a ledger.
    pub ac: Option<Vec<f64>>,
    /// Earned value to each day.
    pub ev: Vec<Option<f64>>,
}

/// The burn-up from the campaign's start to the report date.
pub fn burn_up(c: &CampaignData, as_of: Date) -> BurnUp {
    let period = c.plan.campaign.period;
    let dates = sample_days(period.start, period.end.min(as_of));
    let (mut pv, mut ac, mut ev) = (Vec::new(), Vec::new(), Vec::new());
    for day in &dates {
        let b = super::budget::compute(&c.plan, c.ledger.as_deref(), &c.progress, *day);
        pv.push(to_f64(b.total.pv));
        ac.push(b.total.ac.map(to_f64));
        ev.push(b.total.ev.map(to_f64));
    }
    BurnUp {
        dates,
        pv,
        ac: ac.into_iter().collect(),
        ev,
    }
}

/// Attributed revenue and spend (accrued and paid, reserve included), each summed from the
/// campaign's start, day by day to the report date.
#[derive(Debug, Clone, PartialEq)]
pub struct RevenueAndCost {
    /// Every day of the campaign to the report date.
    pub dates: Vec<Date>,
    /// Revenue to each day.
    pub revenue: Vec<f64>,
    /// Spend to each day.
    pub cost: Vec<f64>,
}

/// Revenue against spend; `None` when no day has attributed revenue.
pub fn revenue_and_cost(c: &CampaignData, days: &Days, as_of: Date) -> Option<RevenueAndCost> {
    let period = c.plan.campaign.period;
    let ledger = c.ledger.as_deref().unwrap_or_default();
    let (mut revenue, mut cost) = (0.0f64, 0.0f64);
    let mut out = RevenueAndCost {
        dates: Vec::new(),
        revenue: Vec::new(),
        cost: Vec::new(),
    };
    let mut any_revenue = false;
    let mut day = period.start;
    while day <= period.end.min(as_of) {
        if let Some(v) = days.get(&day).and_then(|r| r.get("attributed_revenue")) {
            revenue += to_f64(v);
            any_revenue = true;
        }
        cost += ledger
            .iter()
            .filter(|e| e.date == day && e.status != LedgerStatus::Committed)
            .map(|e| to_f64(e.amount))
            .sum::<f64>();
        out.dates.push(day);
        out.revenue.push(revenue);
        out.cost.push(cost);
        day = day.tomorrow().ok()?;
    }
    any_revenue.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn weeks_are_sampled_from_the_start_and_end_on_the_last_day() {
        assert_eq!(
            sample_days(date(2025, 7, 1), date(2025, 7, 17)),
            [
                date(2025, 7, 1),
                date(2025, 7, 8),
                date(2025, 7, 15),
                date(2025, 7, 17)
            ]
        );
        assert_eq!(
            sample_days(date(2025, 7, 1), date(2025, 7, 15)),
            [date(2025, 7, 1), date(2025, 7, 8), date(2025, 7, 15)]
        );
        assert!(sample_days(date(2025, 7, 2), date(2025, 7, 1)).is_empty());
    }
}
