//! SVG charts with charts-rs. Text is measured with a bundled subset of Noto Sans CJK SC (OFL,
//! `themes/default/fonts/`), never a system font, so layout is the same on every machine. Each
//! chart comes with its numbers as an HTML table (for screen readers and print).

use std::sync::Once;

use charts_rs::{BarChart, HorizontalBarChart, LineChart, Series};

use super::chart_svg::{self, Mark, MarkKind};
use serde::Serialize;

use crate::compute::CampaignKpis;
use crate::compute::targets::expected_value;
use crate::model::plan::days_between;
use crate::model::site::CampaignData;

/// A campaign's daily totals, computed once per campaign and shared by its charts.
pub use crate::model::table::Days;

/// The bundled font (a GB2312 level-1 subset; see its LICENSE-OFL.txt).
const FONT: &[u8] = include_bytes!("../../themes/default/fonts/NotoSansSC-qunce.otf");
/// Its family name.
const FAMILY: &str = "Noto Sans CJK SC";

/// A chart ready for a template: the SVG in two layouts and its data table (serialized as
/// `table`, finished HTML).
#[derive(Debug, Clone)]
pub struct Chart {
    /// Anchor id.
    pub id: String,
    /// Caption (shown in `<figcaption>` and as the SVG's title).
    pub caption: String,
    /// Inline SVG for the report's column (720 px wide, scaled to the column).
    pub svg: String,
    /// Inline SVG for phones (360 px wide: its text stays at least 10 px on a 390 px screen,
    /// where the wide one would shrink it to 7).
    pub narrow: String,

    /// Table header.
    pub header: Vec<String>,
    /// Table rows.
    pub rows: Vec<Vec<String>>,
}

/// What templates get: `id`, `caption`, `svg`, `narrow` and `table`.
impl Serialize for Chart {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Chart", 5)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("caption", &self.caption)?;
        st.serialize_field("svg", &self.svg)?;
        st.serialize_field("narrow", &self.narrow)?;
        st.serialize_field("table", &self.table_html())?;
        st.end()
    }
}

impl Chart {
    /// The data table as HTML, escaped as the templates escape text. Written here rather than
    /// looped over in the template: a report's charts have thousands of cells, and turning each
    /// into a template value cost more than the rest of the page.
    pub fn table_html(&self) -> String {
        let mut out = String::with_capacity(64 * (self.rows.len() + 1));
        out.push_str("<table><thead><tr>");
        for h in &self.header {
            out.push_str("<th>");
            template_escape(&mut out, h);
            out.push_str("</th>");
        }
        out.push_str("</tr></thead>\n<tbody>");
        for row in &self.rows {
            out.push_str("<tr>");
            for v in row {
                out.push_str("<td>");
                template_escape(&mut out, v);
                out.push_str("</td>");
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
        out
    }
}

/// minijinja's HTML escaping (`& < > " ' /`), so a table written here reads byte for byte as
/// the template wrote it.
fn template_escape(out: &mut String, text: &str) {
    super::format::escape_into(out, text, |byte| match byte {
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'&' => Some("&amp;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#x27;"),
        b'/' => Some("&#x2f;"),
        _ => None,
    });
}

/// The two layouts, (width, height) in SVG px.
const WIDE: (f32, f32) = (720.0, 320.0);
const NARROW: (f32, f32) = (360.0, 280.0);

pub(crate) fn fonts() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        // A bundled, known-good font: failure here is a build defect, caught by the tests.
        let _ = charts_rs::add_fonts(&[FONT]);
    });
}

/// Members per day against the trajectory of a `members_end` target, if the plan has one;
/// phases, milestones and the members trigger marked.
pub fn members_trend(
    c: &CampaignData,
    k: &CampaignKpis,
    days: &Days,
    labels: (&str, &str, &str),
) -> Option<Chart> {
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
    let dates: Vec<String> = points.iter().map(|(d, _)| d.clone()).collect();
    let mut series = vec![(
        labels.1.to_string(),
        points.iter().map(|(_, v)| *v).collect::<Vec<f32>>(),
    )];
    let target = c.plan.targets.iter().find(|t| t.metric == "members_end");
    if let Some(t) = target
        && let Some(tau) = crate::compute::targets::target_value(t)
    {
        let traj = t
            .trajectory
            .unwrap_or_else(|| crate::compute::targets::default_trajectory(&t.metric));
        let total = (days_between(t.window.start, t.window.end) + 1) as f64;
        let trajectory: Option<Vec<f32>> = points
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
        series.extend(trajectory.map(|tr| (labels.2.to_string(), tr)));
    }
    let marks = annotations(c, k, None, true);
    line(
        LineSpec {
            id: "chart-members",
            caption: labels.0,
            unit: "",
            digits: 0,
        },
        &dates,
        series,
        1,
        &marks,
    )
}

/// A mark's date, words and kind, before it is placed on a chart's points.
type Annotation = (jiff::civil::Date, String, MarkKind);

/// What a line chart marks: phase starts after the first, milestones (on the timelines only,
/// so they are not repeated on every chart) and, on the day they first fired, the triggers that
/// watch one of `metrics` (every trigger for `None`: the members chart is the campaign's
/// timeline, and triggers on metrics without a chart of their own show there).
fn annotations(
    c: &CampaignData,
    k: &CampaignKpis,
    metrics: Option<&[&str]>,
    milestones: bool,
) -> Vec<Annotation> {
    let period = c.plan.campaign.period;
    let mut out: Vec<Annotation> = c
        .plan
        .phases
        .items
        .iter()
        .filter_map(|p| {
            p.dates(period)
                .map(|d| (d.start, p.name.clone(), MarkKind::Phase))
        })
        .filter(|(d, _, _)| *d > period.start)
        .collect();
    if milestones {
        out.extend(
            c.plan
                .milestones
                .iter()
                .map(|m| (m.due, format!("◆ {}", m.name), MarkKind::Milestone)),
        );
    }
    let items = c.plan.risks.iter().flat_map(|r| r.items.iter());
    for (r, item) in k.risks.iter().zip(items) {
        if let (Some(day), Some(w)) = (&r.first_fired, &r.watches)
            && metrics.is_none_or(|m| m.contains(&w.as_str()))
            && let Ok(day) = day.parse()
        {
            out.push((day, format!("⚠ {}", item.title), MarkKind::Trigger));
        }
    }
    out.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    out
}

/// Marks at dates, placed on the first point on or after each date (a gap day moves the mark
/// to the next reported day); dates outside the points are dropped.
fn place(dates: &[String], marks: &[Annotation]) -> Vec<Mark> {
    let (Some(first), Some(last)) = (dates.first(), dates.last()) else {
        return Vec::new();
    };
    marks
        .iter()
        .filter_map(|(day, label, kind)| {
            let day = day.to_string();
            if day < *first || day > *last {
                return None;
            }
            let index = dates.iter().position(|d| *d >= day)?;
            Some(Mark {
                index,
                label: label.clone(),
                kind: *kind,
            })
        })
        .collect()
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

/// A bar chart of named series over category labels, with its data table (`digits` decimals,
/// `suffix` after each value). Every bar carries its value. The wide layout has vertical bars
/// with every category named (cut with "…" to its slot rather than skipped); the narrow one
/// horizontal bars, whose names have a line each.
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
                .chain(series.iter().map(|(_, v)| {
                    format!(
                        "{}{suffix}",
                        super::format::grouped(f64::from(v[i]), digits)
                    )
                }))
                .collect()
        })
        .collect();
    let values = series.iter().flat_map(|(_, v)| v.iter().copied());
    let (lo, hi) = values.fold((0.0f32, 0.0f32), |(lo, hi), v| (lo.min(v), hi.max(v)));
    // Headroom for the value written above the tallest bar.
    let scale = chart_svg::nice_axis(lo, hi * 1.08);
    let label = format!("{{t}}{suffix}");
    let list: Vec<Series> = series
        .into_iter()
        .map(|(n, v)| {
            let mut s = Series::new(n, v);
            s.label_show = true;
            s
        })
        .collect();
    let mut wide = BarChart::new(list.clone(), categories.clone());
    wide.font_family = FAMILY.to_string();
    (wide.width, wide.height) = WIDE;
    wide.series.colors = chart_svg::series_colors();
    wide.series.label.formatter = label.clone();
    wide.x_axis.label_overflow = charts_rs::AxisLabelOverflow::Ellipsis;
    axis(&mut wide.y_axis_configs, scale, &label);
    let wide = wide.svg().ok()?;
    // charts-rs stacks horizontal bars from the bottom up: reversed, the first category (a
    // funnel's first stage, the plan's first budget line) is on top, as in the table.
    let reversed: Vec<Series> = list
        .iter()
        .map(|s| {
            let mut s = s.clone();
            s.data.reverse();
            s
        })
        .collect();
    // Names share the width with the bars: each is cut to 40% of it.
    let names = categories
        .iter()
        .rev()
        .map(|n| chart_svg::fit(FAMILY, 14.0, n, NARROW.0 * 0.4))
        .collect();
    let mut narrow = HorizontalBarChart::new(reversed, names);
    narrow.font_family = FAMILY.to_string();
    narrow.width = NARROW.0;
    // A line per bar and a gap per category, plus the legend and the value axis.
    narrow.height = 70.0 + categories.len() as f32 * (list.len() as f32 * 20.0 + 14.0);
    narrow.series.colors = chart_svg::series_colors();
    narrow.series.label.formatter = label.clone();
    // Room right of the longest bar for its value.
    axis(
        &mut narrow.y_axis_configs,
        chart_svg::nice_axis(lo, hi * 1.3),
        &label,
    );
    let narrow = narrow.svg().ok()?;
    Some(Chart {
        id: id.into(),
        caption: caption.into(),
        svg: chart_svg::finish(&wide, FAMILY, caption),
        narrow: chart_svg::finish(&narrow, FAMILY, caption),
        header,
        rows,
    })
}

/// Sets a value axis to a nice scale with `formatter` (`{t}`: thousands separators).
fn axis(
    configs: &mut [charts_rs::YAxisConfig],
    (min, max, split): (f32, f32, usize),
    formatter: &str,
) {
    if let Some(y) = configs.first_mut() {
        y.min = Some(min);
        y.max = Some(max);
        y.split_number = split;
        y.formatter = Some(formatter.to_string());
    }
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

/// How a line chart is named and how its values read.
struct LineSpec<'a> {
    id: &'a str,
    caption: &'a str,
    /// After each value on the axis and in the table (`%`), or empty.
    unit: &'a str,
    /// Decimals in the data table.
    digits: usize,
}

/// Dashes of the `i`-th line: measured series solid, then long dashes; reference lines
/// (targets, benchmarks) in three other patterns, so lines differ without colour too.
fn dashes(i: usize, measured: usize) -> Option<&'static str> {
    if i < measured {
        (i > 0).then_some("12,3")
    } else {
        Some(["6,4", "2,3", "10,3,2,3"][(i - measured) % 3])
    }
}

/// A line chart from named series over date labels, with its data table. The first
/// `measured` series are data; the rest are reference lines (targets, benchmarks), drawn
/// dashed. `marks` are drawn as vertical annotations.
fn line(
    spec: LineSpec,
    dates: &[String],
    series: Vec<(String, Vec<f32>)>,
    measured: usize,
    marks: &[Annotation],
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
                .chain(series.iter().map(|(_, v)| {
                    let value = super::format::grouped(f64::from(v[i]), spec.digits);
                    format!("{value}{}", spec.unit)
                }))
                .collect()
        })
        .collect();
    let x: Vec<String> = dates
        .iter()
        .map(|d| d.get(5..).unwrap_or(d).to_string())
        .collect();
    let values = series.iter().flat_map(|(_, v)| v.iter().copied());
    let (lo, hi) = values.fold((0.0f32, 0.0f32), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let scale = chart_svg::nice_axis(lo, hi);
    let legend_dashes: Vec<(String, String)> = (0..series.len())
        .filter_map(|i| {
            let dash = dashes(i, measured)?;
            let colour = chart_svg::SERIES[i % chart_svg::SERIES.len()].0;
            Some((colour.to_string(), dash.to_string()))
        })
        .collect();
    let list: Vec<Series> = series
        .into_iter()
        .enumerate()
        .map(|(i, (n, v))| {
            let dense = v.len() > 31;
            let mut s = Series::new(n, v);
            s.stroke_dash_array = dashes(i, measured).map(str::to_string);
            // Markers only on sparse series: a month of daily points reads as a line, and
            // ninety circles a series make the page heavy.
            if dense || i >= measured {
                s.symbol = Some(charts_rs::Symbol::None);
            }
            s
        })
        .collect();
    let placed = place(dates, marks);
    let draw = |(width, height): (f32, f32), list: Vec<Series>, x: Vec<String>| {
        let mut chart = LineChart::new(list, x);
        chart.font_family = FAMILY.to_string();
        chart.width = width;
        chart.height = height;
        chart.series.colors = chart_svg::series_colors();
        axis(
            &mut chart.y_axis_configs,
            scale,
            &format!("{{t}}{}", spec.unit),
        );
        let svg = chart.svg().ok()?;
        let svg = chart_svg::dash_legend(svg, &legend_dashes);
        let svg = chart_svg::annotate(svg, FAMILY, dates.len(), &placed);
        Some(chart_svg::finish(&svg, FAMILY, spec.caption))
    };
    // charts-rs takes its series by value: the wide layout gets a copy, the narrow the original.
    let wide = draw(WIDE, list.clone(), x.clone())?;
    Some(Chart {
        id: spec.id.into(),
        caption: spec.caption.into(),
        svg: wide,
        narrow: draw(NARROW, list, x)?,
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
    let marks = annotations(c, k, Some(&["avg_daily_speakers"]), false);
    line(
        LineSpec {
            id: "chart-speakers",
            caption: labels.0,
            unit: "",
            digits: 1,
        },
        &dates,
        series,
        1,
        &marks,
    )
}

/// Planned value, earned value and actual cost to date, week by week (burn-up, §E).
/// `names` are the three lines' names in the page's language (planned value, actual cost,
/// earned value).
pub fn burn_up(
    c: &CampaignData,
    k: &CampaignKpis,
    caption: &str,
    names: [&str; 3],
) -> Option<Chart> {
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
    let mut series = vec![(names[0].to_string(), pv)];
    // No ledger, no AC line (never a line at zero).
    let ac: Option<Vec<f32>> = ac.into_iter().collect();
    series.extend(ac.map(|ac| (names[1].to_string(), ac)));
    if ev.iter().any(|x| !x.is_nan()) {
        series.push((
            names[2].to_string(),
            ev.into_iter()
                .map(|x| if x.is_nan() { 0.0 } else { x })
                .collect(),
        ));
    }
    let marks = annotations(c, k, Some(&["cpi", "spi", "budget_used", "eac"]), true);
    line(
        LineSpec {
            id: "chart-burnup",
            caption,
            unit: "",
            digits: 2,
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
    let marks = annotations(c, k, Some(&["active_rate_daily", "active_rate_30d"]), false);
    line(
        LineSpec {
            id: "chart-activity",
            caption: labels.0,
            unit: "%",
            digits: 1,
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
    let marks = annotations(c, k, Some(&["roi", "gmv", "attributed_revenue"]), false);
    line(
        LineSpec {
            id: "chart-revenue",
            caption: labels.0,
            unit: "",
            digits: 2,
        },
        &dates,
        series,
        2,
        &marks,
    )
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
    let draw = |(width, height): (f32, f32)| -> Option<String> {
        let mut chart = charts_rs::HeatmapChart::new(data.clone(), x.clone(), y.clone());
        chart.font_family = FAMILY.to_string();
        chart.width = width;
        chart.height = height;
        // The scale is severity, the same for every site: 1 (low) to 25 (critical).
        chart.heatmap_series.min = 1.0;
        chart.heatmap_series.max = 25.0;
        // Green (low) through amber to red (critical), readable on white.
        chart.heatmap_series.colors = vec![
            (84, 160, 110).into(),
            (232, 168, 56).into(),
            (214, 69, 65).into(),
        ];
        // Post-processed: a cell's number sits on its own severity colour, which stays in
        // dark mode, so it keeps dark text (charts-rs's #464646 would be swapped for a light one).
        let svg = chart_svg::replace_all(
            &chart.svg().ok()?,
            "dominant-baseline=\"central\" fill=\"#464646\"",
            "dominant-baseline=\"central\" fill=\"#1F2933\"",
        );
        Some(chart_svg::finish(&svg, FAMILY, caption))
    };
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
        svg: draw((520.0, 360.0))?,
        narrow: draw((360.0, 300.0))?,
        header: std::iter::once(String::new())
            .chain((1..=5).map(|p| format!("{probability} {p}")))
            .collect(),
        rows,
    })
}

/// Campaigns a chart comparing campaigns draws at most: past this, bars are too thin to read
/// (the page's table lists every campaign).
pub const CHART_CAMPAIGNS: usize = 20;

/// Words for a comparison chart that does not show every campaign: `{0}` is how many it
/// shows, `{1}` how many there are (or, for `others`, how many are added up in one bar).
pub struct TopWords<'a> {
    /// Caption suffix when only the top campaigns are drawn.
    pub top: &'a str,
    /// The bar that adds up the rest.
    pub others: &'a str,
}

fn fill(template: &str, a: usize, b: usize) -> String {
    template
        .replace("{0}", &a.to_string())
        .replace("{1}", &b.to_string())
}

/// Budget used and EAC against budget per campaign (percent). Campaigns without both figures
/// are left out (a bar of 0 would be a number the data does not support); past
/// [`CHART_CAMPAIGNS`], the ones whose forecast runs highest over budget are drawn.
pub fn portfolio(
    rows: &[(String, Option<f64>, Option<f64>)],
    labels: (&str, &str, &str),
    words: &TopWords,
) -> Option<Chart> {
    let mut drawn: Vec<(&String, f64, f64)> = rows
        .iter()
        .filter_map(|(n, u, e)| Some((n, (*u)?, (*e)?)))
        .collect();
    let mut caption = labels.0.to_string();
    if drawn.len() > CHART_CAMPAIGNS {
        let all = drawn.len();
        drawn.sort_by(|a, b| {
            b.2.total_cmp(&a.2)
                .then(b.1.total_cmp(&a.1))
                .then(a.0.cmp(b.0))
        });
        drawn.truncate(CHART_CAMPAIGNS);
        caption.push_str(&fill(words.top, CHART_CAMPAIGNS, all));
    }
    bars(
        "chart-portfolio",
        &caption,
        drawn.iter().map(|d| d.0.clone()).collect(),
        vec![
            (
                labels.1.to_string(),
                drawn.iter().map(|d| (d.1 * 100.0) as f32).collect(),
            ),
            (
                labels.2.to_string(),
                drawn.iter().map(|d| (d.2 * 100.0) as f32).collect(),
            ),
        ],
        1,
        "%",
    )
}

/// Each target's sparkline (in `k.targets` order): its metric as it stood on every seventh day
/// of its window so far and on the report date, against the target. `None` where fewer than two
/// of those days have a value.
pub fn goal_sparklines(c: &CampaignData, k: &CampaignKpis, days: &Days) -> Vec<Option<String>> {
    k.targets
        .iter()
        .map(|r| {
            let t = c.plan.targets.iter().find(|t| t.id == r.id)?;
            let end = t.window.end.min(k.as_of);
            let values: Vec<f64> = sample_days(t.window.start, end)
                .into_iter()
                .filter_map(|day| {
                    let inputs = crate::compute::kpi::Inputs {
                        plan: &c.plan,
                        window: crate::compute::window::Window::new(days, t.window.start, day),
                        ledger: c.ledger.as_deref().unwrap_or_default(),
                        has_ledger: c.ledger.is_some(),
                    };
                    crate::compute::kpi::metric(&t.metric, &inputs, t.agg).ok()
                })
                .collect();
            chart_svg::sparkline(&values, r.target)
        })
        .collect()
}

/// Total budget and spend per campaign, one chart per currency (campaigns without a ledger
/// are left out). Past [`CHART_CAMPAIGNS`], the largest budgets are drawn and the rest added
/// up in one bar, so the chart's totals stay those of every campaign.
pub fn budget_rollup(
    rows: &[(String, String, f64, Option<f64>)],
    labels: (&str, &str, &str),
    words: &TopWords,
) -> Vec<Chart> {
    let mut currencies: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    currencies.sort_unstable();
    currencies.dedup();
    currencies
        .into_iter()
        .filter_map(|currency| {
            let mut drawn: Vec<(String, f64, f64)> = rows
                .iter()
                .filter(|r| r.0 == currency)
                .filter_map(|r| Some((r.1.clone(), r.2, r.3?)))
                .collect();
            let mut caption = format!("{}（{currency}）", labels.0);
            if drawn.len() > CHART_CAMPAIGNS {
                drawn.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                let rest = drawn.split_off(CHART_CAMPAIGNS - 1);
                let (budget, spent) = rest.iter().fold((0.0, 0.0), |(b, s), r| (b + r.1, s + r.2));
                caption.push_str(&fill(words.top, CHART_CAMPAIGNS - 1, rest.len()));
                drawn.push((fill(words.others, rest.len(), 0), budget, spent));
            }
            bars(
                &format!("chart-budget-{}", currency.to_ascii_lowercase()),
                &caption,
                drawn.iter().map(|d| d.0.clone()).collect(),
                vec![
                    (
                        labels.1.to_string(),
                        drawn.iter().map(|d| d.1 as f32).collect(),
                    ),
                    (
                        labels.2.to_string(),
                        drawn.iter().map(|d| d.2 as f32).collect(),
                    ),
                ],
                2,
                "",
            )
        })
        .collect()
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
    let marks = annotations(c, k, Some(&["churn_rate_monthly"]), false);
    line(
        LineSpec {
            id: "chart-churn",
            caption: labels.0,
            unit: "%",
            digits: 1,
        },
        &dates,
        series,
        1,
        &marks,
    )
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
    let mut bar_labels = Vec::new();
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
        let svg = chart_svg::waterfall_labels(chart.svg().ok()?, &bar_labels);
        Some(chart_svg::finish(&svg, FAMILY, labels.0))
    };
    Some(Chart {
        id: "chart-bridge".into(),
        caption: labels.0.to_string(),
        svg: draw(WIDE)?,
        narrow: draw(NARROW)?,
        header: vec![String::new(), labels.2.to_string()],
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
    let text = super::format::money(rounded);
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
    fn table_cells_are_escaped_as_the_templates_escape_them() {
        let mut env = minijinja::Environment::new();
        env.add_template("t.html", "{{ v }}").unwrap();
        for text in [
            "",
            "成员 1,234",
            "<b>&\"'/</b>",
            "A/B 测试：\"新\" & <旧>",
            "&&//''",
            "结尾&",
        ] {
            let mut ours = String::new();
            template_escape(&mut ours, text);
            let theirs = env
                .get_template("t.html")
                .unwrap()
                .render(minijinja::context! { v => text })
                .unwrap();
            assert_eq!(ours, theirs, "{text:?}");
        }
    }

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
    fn titles_and_the_font_stack_are_added_to_the_svg() {
        let svg = "<svg width=\"1\"><text font-family=\"Noto Sans CJK SC\">a</text></svg>";
        let out = chart_svg::finish(svg, FAMILY, "成员 & 目标");
        assert!(
            out.starts_with("<svg width=\"1\" font-family=\"'Noto Sans CJK SC', "),
            "{out}"
        );
        assert!(
            out.ends_with(" role=\"img\"><title>成员 &amp; 目标</title><text>a</text></svg>"),
            "{out}"
        );
    }

    const WORDS: TopWords = TopWords {
        top: "：前 {0} 个，其余 {1} 个",
        others: "其余 {0} 个活动",
    };

    #[test]
    fn a_budget_roll_up_of_many_campaigns_adds_the_smallest_up_in_one_bar() {
        // 25 campaigns: budget 1,000 × (i + 1), spent 100 × (i + 1).
        let rows: Vec<(String, String, f64, Option<f64>)> = (0..25)
            .map(|i| {
                let n = f64::from(i + 1);
                (
                    "CNY".into(),
                    format!("活动{i:02}"),
                    1000.0 * n,
                    Some(100.0 * n),
                )
            })
            .collect();
        let chart = &budget_rollup(&rows, ("预算", "总预算", "已花"), &WORDS)[0];
        assert_eq!(chart.rows.len(), CHART_CAMPAIGNS);
        assert!(
            chart.caption.ends_with("：前 19 个，其余 6 个"),
            "{}",
            chart.caption
        );
        // The largest budget first; the six smallest (1,000 … 6,000) together: 21,000 and 2,100.
        assert_eq!(chart.rows[0], ["活动24", "25,000.00", "2,500.00"]);
        assert_eq!(chart.rows[19], ["其余 6 个活动", "21,000.00", "2,100.00"]);
    }

    #[test]
    fn the_portfolio_chart_leaves_out_campaigns_without_figures_and_keeps_the_highest_forecasts() {
        let few = [
            ("甲".to_string(), Some(0.5), Some(0.9)),
            ("乙".to_string(), None, None),
            ("丙".to_string(), Some(0.25), None),
        ];
        let chart = portfolio(&few, ("预算", "已用", "预测"), &WORDS).unwrap();
        assert_eq!(chart.rows, [["甲", "50.0%", "90.0%"]]);
        let many: Vec<(String, Option<f64>, Option<f64>)> = (0..30)
            .map(|i| (format!("活动{i:02}"), Some(0.5), Some(f64::from(i) / 100.0)))
            .collect();
        let chart = portfolio(&many, ("预算", "已用", "预测"), &WORDS).unwrap();
        assert_eq!(chart.rows.len(), CHART_CAMPAIGNS);
        assert_eq!(chart.rows[0][0], "活动29");
        assert_eq!(chart.rows[19][0], "活动10");
        assert!(chart.caption.ends_with("：前 20 个，其余 30 个"));
    }

    #[test]
    fn bar_labels_are_signed_whole_units_with_separators() {
        use rust_decimal::Decimal;
        assert_eq!(bar_label(Decimal::new(158_000, 2), true), "+1,580");
        assert_eq!(bar_label(Decimal::new(-2_345_649, 2), true), "-23,456");
        assert_eq!(bar_label(Decimal::new(5_400_000, 2), false), "54,000");
        assert_eq!(bar_label(Decimal::new(4_250, 2), true), "+42.50");
    }
}

#[cfg(test)]
mod rare_hanzi {
    use super::*;

    #[test]
    fn hanzi_outside_the_subset_measure_one_em() {
        fonts();
        let common = charts_rs::measure_text_width_family(FAMILY, 14.0, "成").unwrap();
        // 龘 and 㐀 are not in the bundled GB2312 level-1 subset.
        for rare in ["龘", "㐀", "𠀀"] {
            let w = charts_rs::measure_text_width_family(FAMILY, 14.0, rare).unwrap();
            assert!(
                (w.width() - common.width()).abs() < 1.0,
                "{rare}: {} vs {}",
                w.width(),
                common.width()
            );
        }
    }
}
