//! SVG charts with charts-rs. Text is measured with a bundled subset of Noto Sans CJK SC (OFL,
//! `themes/default/fonts/`), never a system font, so layout is the same on every machine. Each
//! chart comes with its numbers as an HTML table (for screen readers and print).

use std::sync::Once;

use charts_rs::{BarChart, HorizontalBarChart, LineChart, Series};

use super::chart_svg::{self, Mark, MarkKind};
use serde::Serialize;

use crate::compute::CampaignKpis;
use crate::compute::series::reported;
use crate::model::site::CampaignData;

mod campaign;
mod portfolio;

pub use campaign::*;
pub use portfolio::*;

/// A campaign's daily totals, computed once per campaign and shared by its charts.
pub use crate::model::table::Days;

/// The bundled font (a GB2312 level-1 subset; see its LICENSE-OFL.txt).
const FONT: &[u8] = include_bytes!("../../../themes/default/fonts/NotoSansSC-qunce.otf");
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
        // Cards on a phone (each row a card, each value labelled with its column), so a table
        // of many series never scrolls sideways; the first column (the date or name) heads it.
        let mut labels = Vec::with_capacity(self.header.len());
        out.push_str("<table class=\"cards\"><thead><tr>");
        for h in &self.header {
            let mut label = String::new();
            template_escape(&mut label, h);
            out.push_str("<th>");
            out.push_str(&label);
            out.push_str("</th>");
            labels.push(label);
        }
        out.push_str("</tr></thead>\n<tbody>");
        for row in &self.rows {
            out.push_str("<tr>");
            for (i, v) in row.iter().enumerate() {
                match labels.get(i) {
                    Some(_) if i == 0 => out.push_str("<td class=\"card-title\">"),
                    Some(label) => {
                        out.push_str("<td data-label=\"");
                        out.push_str(label);
                        out.push_str("\">");
                    }
                    None => out.push_str("<td>"),
                }
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

/// A bar chart of named series over category labels, with its data table (`digits` decimals,
/// `suffix` after each value). Every bar carries its value. The wide layout has vertical bars
/// with every category named (cut with "…" to its slot rather than skipped); the narrow one
/// horizontal bars, whose names have a line each.
fn bars(
    id: &str,
    caption: &str,
    categories: Vec<String>,
    series: Vec<(String, Vec<f64>)>,
    figures: Figures,
) -> Option<Chart> {
    fonts();
    if categories.is_empty() || series.is_empty() {
        return None;
    }
    let header: Vec<String> = std::iter::once(String::new())
        .chain(series.iter().map(|(n, _)| figures.head(n)))
        .collect();
    let rows = categories
        .iter()
        .enumerate()
        .map(|(i, name)| {
            std::iter::once(name.clone())
                .chain(series.iter().map(|(_, v)| figures.cell(v[i])))
                .collect()
        })
        .collect();
    let suffix = figures.axis_suffix();
    let series: Vec<(String, Vec<f32>)> = series
        .into_iter()
        .map(|(n, v)| (n, v.into_iter().map(|x| x as f32).collect()))
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
        chart_svg::nice_axis_narrow(lo, hi * 1.3),
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
) -> Option<Line> {
    let t = c.plan.targets.iter().find(|t| t.metric == metric)?;
    let tau = crate::compute::targets::target_value(t)?;
    let scale = if percent { 100.0 } else { 1.0 };
    Some(flat(label.to_string(), tau * scale, len))
}

/// A named line of a line chart: a value per date, `None` where it has none yet (earned value
/// before the first progress report), drawn as no point and read as "—" in the table.
type Line = (String, Vec<Option<f64>>);

/// A line with a value on every date.
fn known(name: String, values: impl IntoIterator<Item = f64>) -> Line {
    (name, values.into_iter().map(Some).collect())
}

/// A flat reference line (a target, a benchmark) over `len` dates.
fn flat(name: String, value: f64, len: usize) -> Line {
    (name, vec![Some(value); len])
}

/// How a chart's numbers read in its data table and on its value axis (docs/rules.md G8). The
/// table is written from the `f64` values, never from the `f32` the drawing takes: an `f32`
/// holds cents only up to about 130,000.
#[derive(Debug, Clone, Copy)]
enum Figures<'a> {
    /// Counts: a whole number as an integer, any other with one decimal.
    Count,
    /// Shares already multiplied by 100: one decimal and `%`.
    Percent,
    /// Money: two decimals, with the currency's symbol once in each column head.
    Money(&'a str),
}

impl Figures<'_> {
    fn cell(self, x: f64) -> String {
        match self {
            Figures::Count if x.fract() == 0.0 => super::format::grouped(x, 0),
            Figures::Count => super::format::grouped(x, 1),
            Figures::Percent => format!("{}%", super::format::grouped(x, 1)),
            Figures::Money(_) => super::format::grouped(x, 2),
        }
    }

    fn head(self, name: &str) -> String {
        match self {
            Figures::Money(symbol) => format!("{name}（{symbol}）"),
            Figures::Count | Figures::Percent => name.to_string(),
        }
    }

    /// After each value on the axis and the bars' labels.
    fn axis_suffix(self) -> &'static str {
        match self {
            Figures::Percent => "%",
            Figures::Count | Figures::Money(_) => "",
        }
    }
}

/// How a line chart is named and how its values read.
struct LineSpec<'a> {
    id: &'a str,
    caption: &'a str,
    figures: Figures<'a>,
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
    series: Vec<Line>,
    measured: usize,
    marks: &[Annotation],
) -> Option<Chart> {
    fonts();
    if dates.len() < 2 || series.is_empty() {
        return None;
    }
    let figures = spec.figures;
    let header: Vec<String> = std::iter::once("date".to_string())
        .chain(series.iter().map(|(n, _)| figures.head(n)))
        .collect();
    let rows = dates
        .iter()
        .enumerate()
        .map(|(i, d)| {
            std::iter::once(d.clone())
                .chain(
                    series
                        .iter()
                        .map(|(_, v)| v[i].map_or_else(|| "—".to_string(), |x| figures.cell(x))),
                )
                .collect()
        })
        .collect();
    let x: Vec<String> = dates
        .iter()
        .map(|d| d.get(5..).unwrap_or(d).to_string())
        .collect();
    let series: Vec<(String, Vec<Option<f32>>)> = series
        .into_iter()
        .map(|(n, v)| (n, v.into_iter().map(|x| x.map(|x| x as f32)).collect()))
        .collect();
    let values = series.iter().flat_map(|(_, v)| v.iter().flatten().copied());
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
            let mut s = Series::new_nullable(n, v);
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
            &format!("{{t}}{}", figures.axis_suffix()),
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
    fn the_data_table_reads_the_values_not_what_the_drawing_rounds_them_to() {
        let dates: Vec<String> = ["2025-07-01", "2025-07-08"].map(String::from).into();
        let spend = |figures| {
            line(
                LineSpec {
                    id: "t",
                    caption: "t",
                    figures,
                },
                &dates,
                vec![
                    // 200,000.01 is 200,000.015625 as an f32: two decimals of that read .02.
                    known("支出".into(), [150_000.0, 200_000.01]),
                    ("挣值".into(), vec![None, Some(390.0)]),
                ],
                2,
                &[],
            )
            .unwrap()
        };
        let chart = spend(Figures::Money("¥"));
        assert_eq!(chart.header, ["date", "支出（¥）", "挣值（¥）"]);
        assert_eq!(chart.rows[0], ["2025-07-01", "150,000.00", "—"]);
        assert_eq!(chart.rows[1], ["2025-07-08", "200,000.01", "390.00"]);
        // Counts: whole numbers as integers, others with one decimal; shares with one.
        let counts = spend(Figures::Count);
        assert_eq!(counts.rows[0][1], "150,000");
        assert_eq!(counts.rows[1][1], "200,000.0");
        assert_eq!(spend(Figures::Percent).rows[1][2], "390.0%");
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
