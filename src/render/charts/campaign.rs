//! The charts of one campaign: members, speakers, activity, funnel, churn, revenue against cost,
//! and the budget (by category, burn-up and bridge).

use super::*;

/// A chart's caption with and without an optional part (a target or trajectory line, signed
/// commitments): a caption names only what is drawn.
#[derive(Debug, Clone, Copy)]
pub struct Captions<'a> {
    /// When the optional part is drawn.
    pub with: &'a str,
    /// When it is not.
    pub without: &'a str,
}

impl<'a> Captions<'a> {
    fn pick(self, drawn: bool) -> &'a str {
        if drawn { self.with } else { self.without }
    }
}

/// Members per day against the trajectory of a `members_end` target, if the plan has one;
/// phases, milestones and the members trigger marked.
pub fn members_trend(
    c: &CampaignData,
    k: &CampaignKpis,
    days: &Days,
    labels: (Captions, &str, &str),
) -> Option<Chart> {
    let period = c.plan.campaign.period;
    let points: Vec<(String, f64)> = reported(days, period, k.as_of)
        .filter_map(|(d, r)| {
            r.get("members")
                .map(|m| (d.to_string(), crate::compute::window::to_f64(m)))
        })
        .collect();
    if points.len() < 2 {
        return None;
    }
    let dates: Vec<String> = points.iter().map(|(d, _)| d.clone()).collect();
    let mut series = vec![known(labels.1.to_string(), points.iter().map(|(_, v)| *v))];
    if let Some(t) = c.plan.targets.iter().find(|t| t.metric == "members_end") {
        let days: Option<Vec<jiff::civil::Date>> =
            points.iter().map(|(d, _)| d.parse().ok()).collect();
        let trajectory = days.and_then(|days| crate::compute::series::trajectory(t, &days));
        series.extend(trajectory.map(|tr| known(labels.2.to_string(), tr)));
    }
    let marks = annotations(c, k, None, true);
    let caption = labels.0.pick(series.len() > 1);
    line(
        LineSpec {
            id: "chart-members",
            caption,
            figures: Figures::Count,
        },
        &dates,
        series,
        1,
        &marks,
    )
}

/// Planned budget against actual cost, per category.
pub fn budget_by_category(
    c: &CampaignData,
    k: &CampaignKpis,
    labels: (&str, &str, &str),
) -> Option<Chart> {
    let names: Vec<String> = k
        .budget
        .categories
        .iter()
        .map(|b| crate::render::category_name(c, &b.id))
        .collect();
    if names.is_empty() {
        return None;
    }
    let to = crate::compute::window::to_f64;
    let planned: Vec<f64> = k.budget.categories.iter().map(|b| to(b.current)).collect();
    let mut series = vec![(labels.1.to_string(), planned)];
    // Without a ledger there is no actual cost: no bars rather than bars at zero.
    let actual: Option<Vec<f64>> = k.budget.categories.iter().map(|b| b.ac.map(to)).collect();
    series.extend(actual.map(|a| (labels.2.to_string(), a)));
    let symbol = crate::render::format::currency_symbol(&c.plan.campaign.currency);
    bars(
        "chart-budget",
        labels.0,
        names,
        series,
        Figures::Money(&symbol),
    )
}

/// Daily speakers against the target of `avg_daily_speakers` and the plan's floor benchmark.
pub fn speakers(
    c: &CampaignData,
    k: &CampaignKpis,
    days: &Days,
    labels: (Captions, &str, &str, &str),
) -> Option<Chart> {
    let period = c.plan.campaign.period;
    let points: Vec<(String, f64)> = reported(days, period, k.as_of)
        .filter_map(|(d, r)| {
            r.get("speakers")
                .map(|v| (d.to_string(), crate::compute::window::to_f64(v)))
        })
        .collect();
    let dates: Vec<String> = points.iter().map(|(d, _)| d.clone()).collect();
    let mut series = vec![known(labels.1.to_string(), points.iter().map(|(_, v)| *v))];
    series.extend(target_line(
        c,
        "avg_daily_speakers",
        labels.2,
        dates.len(),
        false,
    ));
    let caption = labels.0.pick(series.len() > 1);
    if let Some(b) = c
        .plan
        .benchmarks
        .iter()
        .find(|b| b.metric == "avg_daily_speakers")
    {
        series.push(flat(
            format!("{}：{}", labels.3, benchmark_label(b)),
            b.value.value(),
            dates.len(),
        ));
    }
    let marks = annotations(c, k, Some(&["avg_daily_speakers"]), false);
    line(
        LineSpec {
            id: "chart-speakers",
            caption,
            figures: Figures::Count,
        },
        &dates,
        series,
        1,
        &marks,
    )
}

/// Planned value, earned value and actual cost to date, week by week (burn-up,
/// docs/rules.md#budget). `names` are the three lines' names in the page's language (planned value,
/// actual cost, earned value).
pub fn burn_up(
    c: &CampaignData,
    k: &CampaignKpis,
    caption: &str,
    names: [&str; 3],
) -> Option<Chart> {
    let burn = crate::compute::series::burn_up(c, k.as_of);
    let dates: Vec<String> = burn.dates.iter().map(ToString::to_string).collect();
    let mut series = vec![known(names[0].to_string(), burn.pv)];
    // No ledger, no AC line (never a line at zero).
    series.extend(burn.ac.map(|ac| known(names[1].to_string(), ac)));
    // Earned value starts with the first progress report: no point, and "—", before it.
    if burn.ev.iter().any(Option::is_some) {
        series.push((names[2].to_string(), burn.ev));
    }
    let symbol = crate::render::format::currency_symbol(&c.plan.campaign.currency);
    let marks = annotations(c, k, Some(&["cpi", "spi", "budget_used", "eac"]), true);
    line(
        LineSpec {
            id: "chart-burnup",
            caption,
            figures: Figures::Money(&symbol),
        },
        &dates,
        series,
        3,
        &marks,
    )
}

/// Funnel stage totals over the campaign window.
pub fn funnel(
    c: &CampaignData,
    k: &CampaignKpis,
    days: &Days,
    labels: (&str, &str),
) -> Option<Chart> {
    let f = c.plan.funnel.as_ref()?;
    let w = crate::compute::window::Window::new(
        days,
        c.plan.campaign.period.start,
        c.plan.campaign.period.end.min(k.as_of),
    );
    let values: Option<Vec<f64>> = f
        .stages
        .iter()
        .map(|s| w.total(&s.column).map(crate::compute::window::to_f64))
        .collect();
    let values = values?;
    let names: Vec<String> = f.stages.iter().map(|s| s.name.clone()).collect();
    bars(
        "chart-funnel",
        labels.0,
        names,
        vec![(labels.1.to_string(), values)],
        Figures::Count,
    )
}

/// Daily and 30-day active rates (active members ÷ members, in %) against their targets and
/// the plan's benchmarks for them (dashed, labelled with their source).
pub fn activity_rate(
    c: &CampaignData,
    k: &CampaignKpis,
    days: &Days,
    labels: ([Captions; 2], &str, &str, &str),
) -> Option<Chart> {
    let period = c.plan.campaign.period;
    let rate = |r: &crate::model::table::DayRow, col: &str| {
        crate::compute::window::ratio(r.get(col)?, r.get("members")?).map(|x| x * 100.0)
    };
    let window: Vec<_> = reported(days, period, k.as_of)
        .filter(|(_, r)| rate(r, "active_members").is_some())
        .collect();
    let dates: Vec<String> = window.iter().map(|(d, _)| d.to_string()).collect();
    // Every day of the window has a daily rate (the filter above).
    let mut series = vec![(
        labels.1.to_string(),
        window
            .iter()
            .map(|(_, r)| rate(r, "active_members"))
            .collect::<Vec<_>>(),
    )];
    let monthly: Vec<Option<f64>> = window
        .iter()
        .map(|(_, r)| rate(r, "active_members_30d"))
        .collect();
    if monthly.iter().all(Option::is_some) {
        series.push((labels.2.to_string(), monthly));
    }
    let measured = series.len();
    let mut targets = 0;
    for (metric, name) in [
        ("active_rate_daily", labels.1),
        ("active_rate_30d", labels.2),
    ] {
        let before = series.len();
        series.extend(target_line(
            c,
            metric,
            &format!("{}（{name}）", labels.3),
            dates.len(),
            true,
        ));
        targets += series.len() - before;
        series.extend(
            c.plan
                .benchmarks
                .iter()
                .filter(|b| b.metric == metric)
                .map(|b| flat(benchmark_label(b), b.value.value() * 100.0, dates.len())),
        );
    }
    let marks = annotations(c, k, Some(&["active_rate_daily", "active_rate_30d"]), false);
    // The caption names what is drawn: the 30-day rate only when it is there, targets only
    // when a target line is.
    let caption = labels.0[usize::from(measured > 1)].pick(targets > 0);
    line(
        LineSpec {
            id: "chart-activity",
            caption,
            figures: Figures::Percent,
        },
        &dates,
        series,
        measured,
        &marks,
    )
}

/// A benchmark's legend: its label and, when given, its source.
fn benchmark_label(b: &crate::model::plan::Benchmark) -> String {
    match &b.source {
        Some(src) => format!("{}（{src}）", b.label),
        None => b.label.clone(),
    }
}

/// Cumulative attributed revenue against cumulative spend (accrued and paid, reserve included).
pub fn revenue_vs_cost(
    c: &CampaignData,
    k: &CampaignKpis,
    days: &Days,
    labels: (&str, &str, &str),
) -> Option<Chart> {
    let figures = crate::compute::series::revenue_and_cost(c, days, k.as_of)?;
    let dates: Vec<String> = figures.dates.iter().map(ToString::to_string).collect();
    let mut series = vec![known(labels.1.to_string(), figures.revenue)];
    if c.ledger.is_some() {
        series.push(known(labels.2.to_string(), figures.cost));
    }
    let symbol = crate::render::format::currency_symbol(&c.plan.campaign.currency);
    let marks = annotations(c, k, Some(&["roi", "gmv", "attributed_revenue"]), false);
    line(
        LineSpec {
            id: "chart-revenue",
            caption: labels.0,
            figures: Figures::Money(&symbol),
        },
        &dates,
        series,
        2,
        &marks,
    )
}

/// Monthly churn over the campaign so far, week by week (from the seventh day), against the target.
pub fn churn(
    c: &CampaignData,
    k: &CampaignKpis,
    days: &Days,
    labels: (Captions, &str, &str),
) -> Option<Chart> {
    let period = c.plan.campaign.period;
    let end = period.end.min(k.as_of);
    let first = period.start.checked_add(jiff::Span::new().days(6)).ok()?;
    let weekly = crate::compute::series::metric_by_week(
        c,
        days,
        "churn_rate_monthly",
        None,
        period.start,
        first,
        end,
    );
    let dates: Vec<String> = weekly.iter().map(|(d, _)| d.to_string()).collect();
    let mut series = vec![known(
        labels.1.to_string(),
        weekly.iter().map(|(_, v)| v * 100.0),
    )];
    series.extend(target_line(
        c,
        "churn_rate_monthly",
        labels.2,
        dates.len(),
        true,
    ));
    let caption = labels.0.pick(series.len() > 1);
    let marks = annotations(c, k, Some(&["churn_rate_monthly"]), false);
    line(
        LineSpec {
            id: "chart-churn",
            caption,
            figures: Figures::Percent,
        },
        &dates,
        series,
        1,
        &marks,
    )
}

/// The budget bridge (docs/rules.md#outline item 9): the whole budget, one step per category whose
/// actual cost differs from its budget (over: up, under: down), and the actual cost.
pub fn budget_bridge(
    c: &CampaignData,
    k: &CampaignKpis,
    labels: (Captions, &str, &str, &str, &str),
) -> Option<Chart> {
    use crate::compute::review::{BridgeStep, bridge};
    use crate::compute::window::to_f64;
    fonts();
    let steps = bridge(&k.budget)?;
    if steps.len() < 3 {
        return None;
    }
    let caption = labels
        .0
        .pick(steps.iter().any(|s| matches!(s, BridgeStep::Committed(_))));
    let mut x = Vec::new();
    let mut data = Vec::new();
    let mut rows = Vec::new();
    let mut bar_labels = Vec::new();
    // Signed but unpaid is grey: neither red (overrun) nor green (not spent).
    let signed: Vec<bool> = steps
        .iter()
        .map(|s| matches!(s, BridgeStep::Committed(_)))
        .collect();
    for step in &steps {
        let (label, value, total) = match step {
            BridgeStep::Planned(v) => (labels.1.to_string(), *v, true),
            BridgeStep::Category { id, delta } => {
                (crate::render::category_name(c, id), *delta, false)
            }
            BridgeStep::Actual(v) => (labels.2.to_string(), *v, true),
            BridgeStep::Committed(v) => (labels.3.to_string(), *v, false),
            BridgeStep::Owed(v) => (labels.4.to_string(), *v, true),
        };
        rows.push(vec![
            label.clone(),
            if total {
                crate::render::format::money(value)
            } else {
                format!(
                    "{}{}",
                    if value > rust_decimal::Decimal::ZERO {
                        "+"
                    } else {
                        ""
                    },
                    crate::render::format::money(value)
                )
            },
        ]);
        x.push(label);
        // Up-steps and totals are labelled above their bar, down-steps below.
        bar_labels.push((
            bar_label(value, !total),
            total || value >= rust_decimal::Decimal::ZERO,
        ));
        data.push(charts_rs::WaterfallData {
            value: to_f64(value) as f32,
            is_total: total,
        });
    }
    // The running total each bar reaches: the axis must hold every top and every label.
    let mut running = 0.0f32;
    let (mut lo, mut hi) = (0.0f32, 0.0f32);
    for d in &data {
        running = if d.is_total {
            d.value
        } else {
            running + d.value
        };
        (lo, hi) = (lo.min(running), hi.max(running));
    }
    let scale = chart_svg::nice_axis(lo, hi * 1.1);
    let draw = |(width, height): (f32, f32)| -> Option<String> {
        // The waterfall's value axis is set only through JSON in charts-rs 2.3.
        let json = serde_json::json!({
            "data": data.iter().map(|d| serde_json::json!([d.value, d.is_total])).collect::<Vec<_>>(),
            "x_axis_data": x,
            "y_axis_configs": [{
                "axis_min": scale.0, "axis_max": scale.1,
                "axis_split_number": scale.2, "axis_formatter": "{t}",
            }],
        });
        let mut chart = charts_rs::WaterfallChart::from_json(&json.to_string()).ok()?;
        chart.font_family = FAMILY.to_string();
        chart.width = width;
        chart.height = height;
        // Overspend is the bad direction here: up-steps red, down-steps green, totals neutral.
        chart.increase_color = chart_svg::color(chart_svg::BAD.0);
        chart.decrease_color = chart_svg::color(chart_svg::GOOD.0);
        chart.total_color = chart_svg::color(chart_svg::NEUTRAL.0);
        chart.label_show = false;
        chart.x_axis.label_overflow = charts_rs::AxisLabelOverflow::Ellipsis;
        let svg = chart_svg::paint_waterfall_bars(chart.svg().ok()?, &signed, chart_svg::MUTED.0);
        let svg = chart_svg::waterfall_labels(svg, &bar_labels);
        Some(chart_svg::finish(&svg, FAMILY, caption))
    };
    Some(Chart {
        id: "chart-bridge".into(),
        caption: caption.to_string(),
        svg: draw(WIDE)?,
        narrow: draw(NARROW)?,
        header: vec![
            String::new(),
            Figures::Money(&crate::render::format::currency_symbol(
                &c.plan.campaign.currency,
            ))
            .head(labels.2),
        ],
        rows,
    })
}

/// A bar's label: whole units with separators from 100 up (cents are in the data table),
/// signed for a step.
fn bar_label(value: rust_decimal::Decimal, signed: bool) -> String {
    let rounded = if value.abs() >= rust_decimal::Decimal::ONE_HUNDRED {
        value.round()
    } else {
        value
    };
    let text = crate::render::format::money(rounded);
    let text = if value.abs() >= rust_decimal::Decimal::ONE_HUNDRED {
        text.trim_end_matches(".00").to_string()
    } else {
        text
    };
    if signed && value > rust_decimal::Decimal::ZERO {
        format!("+{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_labels_are_signed_whole_units_with_separators() {
        use rust_decimal::Decimal;
        assert_eq!(bar_label(Decimal::new(158_000, 2), true), "+1,580");
        assert_eq!(bar_label(Decimal::new(-2_345_649, 2), true), "-23,456");
        assert_eq!(bar_label(Decimal::new(5_400_000, 2), false), "54,000");
        assert_eq!(bar_label(Decimal::new(4_250, 2), true), "+42.50");
    }
}
