//! SVG charts with charts-rs. Text is measured with a bundled subset of Noto Sans CJK SC (OFL,
//! `themes/default/fonts/`), never a system font, so layout is the same on every machine. Each
//! chart comes with its numbers as an HTML table (for screen readers and print).

use std::sync::Once;

use charts_rs::{BarChart, LineChart, Series};
use serde::Serialize;

use crate::compute::CampaignKpis;
use crate::compute::targets::expected_value;
use crate::model::plan::days_between;
use crate::model::site::CampaignData;

/// A campaign's daily totals, computed once per campaign and shared by its charts.
pub type Days = std::collections::BTreeMap<crate::model::values::Date, crate::model::table::DayRow>;

/// The bundled font (a GB2312 level-1 subset; see its LICENSE-OFL.txt).
const FONT: &[u8] = include_bytes!("../../themes/default/fonts/NotoSansSC-qunce.otf");
/// Its family name.
const FAMILY: &str = "Noto Sans CJK SC";

/// A chart ready for a template: the SVG and its data table.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// Anchor id.
    pub id: String,
    /// Caption (shown in `<figcaption>` and as the SVG's title).
    pub caption: String,
    /// Inline SVG.
    pub svg: String,
    /// Table header.
    pub header: Vec<String>,
    /// Table rows.
    pub rows: Vec<Vec<String>>,
}

fn fonts() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        // A bundled, known-good font: failure here is a build defect, caught by the tests.
        let _ = charts_rs::add_fonts(&[FONT]);
    });
}

/// Members per day against the trajectory of a `members_end` target, if the plan has one.
pub fn members_trend(
    c: &CampaignData,
    k: &CampaignKpis,
    days: &Days,
    labels: (&str, &str, &str),
) -> Option<Chart> {
    fonts();
    let period = c.plan.campaign.period;
    let points: Vec<(String, f32)> = reported(days, period, k.as_of)
        .filter_map(|(d, r)| {
            r.get("members")
                .map(|m| (d.to_string(), crate::compute::window::to_f64(m) as f32))
        })
        .collect();
    if points.len() < 2 {
        return None;
    }
    let mut series = vec![Series::new(
        labels.1.to_string(),
        points.iter().map(|(_, v)| *v).collect(),
    )];
    let mut header = vec!["date".to_string(), labels.1.to_string()];
    let target = c.plan.targets.iter().find(|t| t.metric == "members_end");
    let mut trajectory: Vec<Option<f32>> = Vec::new();
    if let Some(t) = target
        && let Some(tau) = crate::compute::targets::target_value(t)
    {
        let traj = t
            .trajectory
            .unwrap_or_else(|| crate::compute::targets::default_trajectory(&t.metric));
        let total = (days_between(t.window.start, t.window.end) + 1) as f64;
        trajectory = points
            .iter()
            .map(|(d, _)| {
                let date: jiff::civil::Date = d.parse().ok()?;
                let p = ((days_between(t.window.start, date) + 1) as f64 / total).clamp(0.0, 1.0);
                expected_value(
                    traj,
                    t.baseline.map(|b| b.value()),
                    tau,
                    &t.checkpoints,
                    t.window.start,
                    t.window.end,
                    p,
                )
                .map(|x| x as f32)
            })
            .collect();
        if trajectory.iter().all(Option::is_some) {
            series.push(Series::new(
                labels.2.to_string(),
                trajectory.iter().map(|x| x.unwrap_or(0.0)).collect(),
            ));
            header.push(labels.2.to_string());
        } else {
            trajectory.clear();
        }
    }
    let x: Vec<String> = points.iter().map(|(d, _)| d[5..].to_string()).collect();
    let mut chart = LineChart::new(series, x);
    chart.font_family = FAMILY.to_string();
    chart.width = 720.0;
    chart.height = 320.0;
    let svg = chart.svg().ok()?;
    let rows = points
        .iter()
        .enumerate()
        .map(|(i, (d, v))| {
            let mut row = vec![d.clone(), format!("{v}")];
            if let Some(Some(x)) = trajectory.get(i) {
                row.push(format!("{x:.1}"));
            }
            row
        })
        .collect();
    Some(Chart {
        id: "chart-members".into(),
        caption: labels.0.to_string(),
        svg: titled(&svg, labels.0),
        header,
        rows,
    })
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
        .map(|b| super::category_name(c, &b.id))
        .collect();
    if names.is_empty() {
        return None;
    }
    let to = |d: rust_decimal::Decimal| crate::compute::window::to_f64(d) as f32;
    let planned: Vec<f32> = k.budget.categories.iter().map(|b| to(b.current)).collect();
    let mut series = vec![(labels.1.to_string(), planned)];
    // Without a ledger there is no actual cost: no bars rather than bars at zero.
    let actual: Option<Vec<f32>> = k.budget.categories.iter().map(|b| b.ac.map(to)).collect();
    series.extend(actual.map(|a| (labels.2.to_string(), a)));
    bars("chart-budget", labels.0, names, series, 2, "")
}

/// A bar chart of named series over category labels, with its data table (`digits` decimals).
fn bars(
    id: &str,
    caption: &str,
    categories: Vec<String>,
    series: Vec<(String, Vec<f32>)>,
    digits: usize,
    suffix: &str,
) -> Option<Chart> {
    fonts();
    if categories.is_empty() || series.is_empty() {
        return None;
    }
    let header: Vec<String> = std::iter::once(String::new())
        .chain(series.iter().map(|(n, _)| n.clone()))
        .collect();
    let rows = categories
        .iter()
        .enumerate()
        .map(|(i, name)| {
            std::iter::once(name.clone())
                .chain(
                    series
                        .iter()
                        .map(|(_, v)| format!("{:.*}{suffix}", digits, v[i])),
                )
                .collect()
        })
        .collect();
    let mut chart = BarChart::new(
        series.into_iter().map(|(n, v)| Series::new(n, v)).collect(),
        categories,
    );
    chart.font_family = FAMILY.to_string();
    chart.width = 720.0;
    chart.height = 320.0;
    let svg = chart.svg().ok()?;
    Some(Chart {
        id: id.into(),
        caption: caption.into(),
        svg: titled(&svg, caption),
        header,
        rows,
    })
}

/// A flat line at the target of `metric`, in percent when `percent`, if the plan targets it.
fn target_line(
    c: &CampaignData,
    metric: &str,
    label: &str,
    len: usize,
    percent: bool,
) -> Option<(String, Vec<f32>)> {
    let t = c.plan.targets.iter().find(|t| t.metric == metric)?;
    let tau = crate::compute::targets::target_value(t)?;
    let scale = if percent { 100.0 } else { 1.0 };
    Some((label.to_string(), vec![(tau * scale) as f32; len]))
}

/// Gives the SVG an accessible `<title>` and `role="img"`.
/// What the SVG asks the reader's browser for: the font the layout was measured with first,
/// then the common CJK system fonts of the same metrics class (ideographs are one em wide in
/// all of them), so a reader without Noto still sees text that fits.
const FONT_STACK: &str = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', sans-serif";

fn titled(svg: &str, title: &str) -> String {
    let svg = svg.replace(
        &format!("font-family=\"{FAMILY}\""),
        &format!("font-family=\"{FONT_STACK}\""),
    );
    let svg = svg.as_str();
    let escaped = super::format::escape(title);
    match svg.find('>') {
        Some(i) if svg.starts_with("<svg") => format!(
            "{} role=\"img\"><title>{escaped}</title>{}",
            &svg[..i],
            &svg[i + 1..]
        ),
        _ => svg.to_string(),
    }
}

/// A line chart from named series over date labels, with its data table.
/// The first `measured` series are data; the rest are reference lines (targets, benchmarks),
/// drawn dashed so they read as references in print and without colour.
fn line(
    id: &str,
    caption: &str,
    dates: &[String],
    series: Vec<(String, Vec<f32>)>,
    measured: usize,
) -> Option<Chart> {
    fonts();
    if dates.len() < 2 || series.is_empty() {
        return None;
    }
    let header: Vec<String> = std::iter::once("date".to_string())
        .chain(series.iter().map(|(n, _)| n.clone()))
        .collect();
    let rows = dates
        .iter()
        .enumerate()
        .map(|(i, d)| {
            std::iter::once(d.clone())
                .chain(series.iter().map(|(_, v)| format!("{:.2}", v[i])))
                .collect()
        })
        .collect();
    let x: Vec<String> = dates
        .iter()
        .map(|d| d.get(5..).unwrap_or(d).to_string())
        .collect();
    let mut chart = LineChart::new(
        series
            .into_iter()
            .enumerate()
            .map(|(i, (n, v))| {
                let dense = v.len() > 31;
                let mut s = Series::new(n, v);
                if i >= measured {
                    s.stroke_dash_array = Some("6,4".into());
                }
                // Markers only on sparse series: a month of daily points reads as a line, and
                // ninety circles a series make the page heavy.
                if dense || i >= measured {
                    s.symbol = Some(charts_rs::Symbol::None);
                }
                s
            })
            .collect(),
        x,
    );
    chart.font_family = FAMILY.to_string();
    chart.width = 720.0;
    chart.height = 320.0;
    let svg = chart.svg().ok()?;
    Some(Chart {
        id: id.into(),
        caption: caption.into(),
        svg: titled(&svg, caption),
        header,
        rows,
    })
}

/// Daily speakers against the target of `avg_daily_speakers` and the plan's floor benchmark.
pub fn speakers(
    c: &CampaignData,
    k: &CampaignKpis,
    days: &Days,
    labels: (&str, &str, &str, &str),
) -> Option<Chart> {
    let period = c.plan.campaign.period;
    let points: Vec<(String, f32)> = reported(days, period, k.as_of)
        .filter_map(|(d, r)| {
            r.get("speakers")
                .map(|v| (d.to_string(), crate::compute::window::to_f64(v) as f32))
        })
        .collect();
    let dates: Vec<String> = points.iter().map(|(d, _)| d.clone()).collect();
    let mut series = vec![(
        labels.1.to_string(),
        points.iter().map(|(_, v)| *v).collect::<Vec<f32>>(),
    )];
    series.extend(target_line(
        c,
        "avg_daily_speakers",
        labels.2,
        dates.len(),
        false,
    ));
    if let Some(b) = c
        .plan
        .benchmarks
        .iter()
        .find(|b| b.metric == "avg_daily_speakers")
    {
        series.push((
            format!("{}：{}", labels.3, benchmark_label(b)),
            vec![b.value.value() as f32; dates.len()],
        ));
    }
    line("chart-speakers", labels.0, &dates, series, 1)
}

/// Planned value, earned value and actual cost to date, week by week (burn-up, §E).
pub fn burn_up(c: &CampaignData, k: &CampaignKpis, caption: &str) -> Option<Chart> {
    let period = c.plan.campaign.period;
    let end = period.end.min(k.as_of);
    let mut dates = Vec::new();
    let (mut pv, mut ev, mut ac) = (Vec::new(), Vec::new(), Vec::new());
    for day in sample_days(period.start, end) {
        let b = crate::compute::budget::compute(&c.plan, c.ledger.as_deref(), &c.progress, day);
        dates.push(day.to_string());
        pv.push(crate::compute::window::to_f64(b.total.pv) as f32);
        ac.push(b.total.ac.map(|a| crate::compute::window::to_f64(a) as f32));
        ev.push(
            b.total
                .ev
                .map_or(f32::NAN, |e| crate::compute::window::to_f64(e) as f32),
        );
    }
    let mut series = vec![("PV".to_string(), pv)];
    // No ledger, no AC line (never a line at zero).
    let ac: Option<Vec<f32>> = ac.into_iter().collect();
    series.extend(ac.map(|ac| ("AC".to_string(), ac)));
    if ev.iter().any(|x| !x.is_nan()) {
        series.push((
            "EV".to_string(),
            ev.into_iter()
                .map(|x| if x.is_nan() { 0.0 } else { x })
                .collect(),
        ));
    }
    line("chart-burnup", caption, &dates, series, 3)
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
    let values: Vec<Option<f32>> = f
        .stages
        .iter()
        .map(|s| {
            w.total(&s.column)
                .map(|v| crate::compute::window::to_f64(v) as f32)
        })
        .collect();
    if values.iter().any(Option::is_none) {
        return None;
    }
    let values: Vec<f32> = values.into_iter().flatten().collect();
    let names: Vec<String> = f.stages.iter().map(|s| s.name.clone()).collect();
    bars(
        "chart-funnel",
        labels.0,
        names,
        vec![(labels.1.to_string(), values)],
        0,
        "",
    )
}

/// Daily and 30-day active rates (active members ÷ members, in %) against their targets and
/// the plan's benchmarks for them (dashed, labelled with their source).
pub fn activity_rate(
    c: &CampaignData,
    k: &CampaignKpis,
    days: &Days,
    labels: (&str, &str, &str, &str),
) -> Option<Chart> {
    let period = c.plan.campaign.period;
    let rate = |r: &crate::model::table::DayRow, col: &str| {
        crate::compute::window::ratio(r.get(col)?, r.get("members")?).map(|x| (x * 100.0) as f32)
    };
    let window: Vec<_> = reported(days, period, k.as_of)
        .filter(|(_, r)| rate(r, "active_members").is_some())
        .collect();
    let dates: Vec<String> = window.iter().map(|(d, _)| d.to_string()).collect();
    let mut series = vec![(
        labels.1.to_string(),
        window
            .iter()
            .map(|(_, r)| rate(r, "active_members").unwrap_or(0.0))
            .collect::<Vec<f32>>(),
    )];
    let monthly: Vec<Option<f32>> = window
        .iter()
        .map(|(_, r)| rate(r, "active_members_30d"))
        .collect();
    if monthly.iter().all(Option::is_some) {
        series.push((
            labels.2.to_string(),
            monthly.into_iter().flatten().collect(),
        ));
    }
    let measured = series.len();
    for (metric, name) in [
        ("active_rate_daily", labels.1),
        ("active_rate_30d", labels.2),
    ] {
        series.extend(target_line(
            c,
            metric,
            &format!("{}（{name}）", labels.3),
            dates.len(),
            true,
        ));
        series.extend(
            c.plan
                .benchmarks
                .iter()
                .filter(|b| b.metric == metric)
                .map(|b| {
                    (
                        benchmark_label(b),
                        vec![(b.value.value() * 100.0) as f32; dates.len()],
                    )
                }),
        );
    }
    line("chart-activity", labels.0, &dates, series, measured)
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
    let period = c.plan.campaign.period;
    let (mut revenue, mut cost) = (0.0f64, 0.0f64);
    let mut dates = Vec::new();
    let (mut rev_series, mut cost_series) = (Vec::new(), Vec::new());
    let ledger = c.ledger.as_deref().unwrap_or_default();
    let mut any_revenue = false;
    let mut day = period.start;
    while day <= period.end.min(k.as_of) {
        if let Some(v) = days.get(&day).and_then(|r| r.get("attributed_revenue")) {
            revenue += crate::compute::window::to_f64(v);
            any_revenue = true;
        }
        cost += ledger
            .iter()
            .filter(|e| e.date == day && e.status != crate::model::table::LedgerStatus::Committed)
            .map(|e| crate::compute::window::to_f64(e.amount))
            .sum::<f64>();
        dates.push(day.to_string());
        rev_series.push(revenue as f32);
        cost_series.push(cost as f32);
        day = day.tomorrow().ok()?;
    }
    if !any_revenue {
        return None;
    }
    let mut series = vec![(labels.1.to_string(), rev_series)];
    if c.ledger.is_some() {
        series.push((labels.2.to_string(), cost_series));
    }
    line("chart-revenue", labels.0, &dates, series, 2)
}

/// The risk register as a probability × impact heat map (counts of risks per cell).
/// The risk register as a probability × impact grid: a cell holding risks is coloured by its
/// severity (probability × impact, 1–25) and labelled with it; how many risks each cell holds
/// is in the data table. The axes say which way is probability and which impact.
pub fn risk_heatmap(cells: &[(u32, u32)], labels: (&str, &str, &str)) -> Option<Chart> {
    let (caption, probability, impact) = labels;
    fonts();
    if cells.is_empty() {
        return None;
    }
    let mut counts = [[0u32; 5]; 5];
    for (p, i) in cells {
        counts[(i.clamp(&1, &5) - 1) as usize][(p.clamp(&1, &5) - 1) as usize] += 1;
    }
    let data: Vec<(usize, f32)> = (0..5)
        .flat_map(|i| (0..5).map(move |p| (i, p)))
        .filter(|(i, p)| counts[*i][*p] > 0)
        .map(|(i, p)| (i * 5 + p, ((i + 1) * (p + 1)) as f32))
        .collect();
    let x: Vec<String> = (1..=5).map(|p| format!("{probability} {p}")).collect();
    let y: Vec<String> = (1..=5).map(|i| format!("{impact} {i}")).collect();
    let mut chart = charts_rs::HeatmapChart::new(data, x, y);
    chart.font_family = FAMILY.to_string();
    chart.width = 520.0;
    chart.height = 360.0;
    // The scale is severity, the same for every site: 1 (low) to 25 (critical).
    chart.heatmap_series.min = 1.0;
    chart.heatmap_series.max = 25.0;
    // Green (low) through amber to red (critical), readable on white.
    chart.heatmap_series.colors = vec![
        (84, 160, 110).into(),
        (232, 168, 56).into(),
        (214, 69, 65).into(),
    ];
    let svg = chart.svg().ok()?;
    let rows = (0..5)
        .rev()
        .map(|i| {
            std::iter::once(format!("{impact} {}", i + 1))
                .chain((0..5).map(|p| counts[i][p].to_string()))
                .collect()
        })
        .collect();
    Some(Chart {
        id: "chart-risk-heatmap".into(),
        caption: caption.into(),
        svg: titled(&svg, caption),
        header: std::iter::once(String::new())
            .chain((1..=5).map(|p| format!("{probability} {p}")))
            .collect(),
        rows,
    })
}

/// Campaigns side by side: budget used and forecast against budget, in percent.
pub fn portfolio(
    rows: &[(String, Option<f64>, Option<f64>)],
    labels: (&str, &str, &str),
) -> Option<Chart> {
    if rows.is_empty() {
        return None;
    }
    let names: Vec<String> = rows.iter().map(|(n, _, _)| n.clone()).collect();
    let used: Vec<f32> = rows
        .iter()
        .map(|(_, u, _)| u.map_or(0.0, |x| (x * 100.0) as f32))
        .collect();
    let eac: Vec<f32> = rows
        .iter()
        .map(|(_, _, e)| e.map_or(0.0, |x| (x * 100.0) as f32))
        .collect();
    bars(
        "chart-portfolio",
        labels.0,
        names,
        vec![(labels.1.to_string(), used), (labels.2.to_string(), eac)],
        1,
        "%",
    )
}

/// Every seventh day from `start`, and `end`: cumulative measures are drawn weekly, which keeps
/// each chart linear in the campaign's length.
/// The days of the campaign up to the report date; none when the report date is before the
/// start (`--as-of` may be anything: an inverted range is empty, never a panic).
fn reported(
    days: &Days,
    period: crate::model::plan::Period,
    as_of: jiff::civil::Date,
) -> impl Iterator<Item = (&jiff::civil::Date, &crate::model::table::DayRow)> {
    let end = period.end.min(as_of);
    (period.start <= end)
        .then(|| days.range(period.start..=end))
        .into_iter()
        .flatten()
}

fn sample_days(start: jiff::civil::Date, end: jiff::civil::Date) -> Vec<jiff::civil::Date> {
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

/// Monthly churn over the campaign so far, week by week (from the seventh day), against the target.
pub fn churn(
    c: &CampaignData,
    k: &CampaignKpis,
    days: &Days,
    labels: (&str, &str, &str),
) -> Option<Chart> {
    let period = c.plan.campaign.period;
    let end = period.end.min(k.as_of);
    let mut dates = Vec::new();
    let mut values = Vec::new();
    let first = period.start.checked_add(jiff::Span::new().days(6)).ok()?;
    for day in sample_days(first, end) {
        let inputs = crate::compute::kpi::Inputs {
            plan: &c.plan,
            window: crate::compute::window::Window::new(days, period.start, day),
            ledger: c.ledger.as_deref().unwrap_or_default(),
            has_ledger: c.ledger.is_some(),
        };
        if let Ok(v) = crate::compute::kpi::metric("churn_rate_monthly", &inputs, None) {
            dates.push(day.to_string());
            values.push((v * 100.0) as f32);
        }
    }
    let mut series = vec![(labels.1.to_string(), values)];
    series.extend(target_line(
        c,
        "churn_rate_monthly",
        labels.2,
        dates.len(),
        true,
    ));
    line("chart-churn", labels.0, &dates, series, 1)
}

/// The budget bridge (§F.3 item 9): the whole budget, one step per category whose actual cost
/// differs from its budget (over: up, under: down), and the actual cost.
pub fn budget_bridge(
    c: &CampaignData,
    k: &CampaignKpis,
    labels: (&str, &str, &str),
) -> Option<Chart> {
    use crate::compute::review::{BridgeStep, bridge};
    use crate::compute::window::to_f64;
    fonts();
    let steps = bridge(&k.budget)?;
    if steps.len() < 3 {
        return None;
    }
    let mut x = Vec::new();
    let mut data = Vec::new();
    let mut rows = Vec::new();
    for step in &steps {
        let (label, value, total) = match step {
            BridgeStep::Planned(v) => (labels.1.to_string(), *v, true),
            BridgeStep::Category { id, delta } => (super::category_name(c, id), *delta, false),
            BridgeStep::Actual(v) => (labels.2.to_string(), *v, true),
        };
        rows.push(vec![
            label.clone(),
            if total {
                super::format::money(value)
            } else {
                format!(
                    "{}{}",
                    if value > rust_decimal::Decimal::ZERO {
                        "+"
                    } else {
                        ""
                    },
                    super::format::money(value)
                )
            },
        ]);
        x.push(label);
        data.push(charts_rs::WaterfallData {
            value: to_f64(value) as f32,
            is_total: total,
        });
    }
    let mut chart = charts_rs::WaterfallChart::new(data, x);
    chart.font_family = FAMILY.to_string();
    chart.width = 720.0;
    chart.height = 320.0;
    // Overspend is the bad direction here: up-steps red, down-steps green, totals neutral.
    chart.increase_color = (238, 102, 102).into();
    chart.decrease_color = (84, 160, 110).into();
    let svg = chart.svg().ok()?;
    Some(Chart {
        id: "chart-bridge".into(),
        caption: labels.0.to_string(),
        svg: titled(&svg, labels.0),
        header: vec![String::new(), labels.2.to_string()],
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_font_measures_chinese() {
        fonts();
        assert!(
            charts_rs::get_font_families()
                .unwrap()
                .iter()
                .any(|f| f == FAMILY)
        );
        let one = charts_rs::measure_text_width_family(FAMILY, 14.0, "成员").unwrap();
        let two = charts_rs::measure_text_width_family(FAMILY, 14.0, "成员成员").unwrap();
        // Two CJK glyphs are about one em each; doubling the text doubles the width.
        assert!(one.width() > 20.0 && one.width() < 34.0, "{}", one.width());
        assert!((two.width() - 2.0 * one.width()).abs() < 1.0);
    }

    #[test]
    fn titles_are_added_to_the_svg() {
        assert_eq!(
            titled("<svg width=\"1\"><g/></svg>", "成员 & 目标"),
            "<svg width=\"1\" role=\"img\"><title>成员 &amp; 目标</title><g/></svg>"
        );
    }
}
