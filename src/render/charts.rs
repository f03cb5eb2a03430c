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
    labels: (&str, &str, &str),
) -> Option<Chart> {
    fonts();
    let days = c.daily.by_day();
    let period = c.plan.campaign.period;
    let points: Vec<(String, f32)> = days
        .range(period.start..=period.end.min(k.as_of))
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
    fonts();
    let names: Vec<String> = k
        .budget
        .categories
        .iter()
        .map(|b| {
            c.plan
                .budget
                .categories
                .iter()
                .find(|x| x.id == b.id)
                .map_or(b.id.clone(), |x| x.name.clone())
        })
        .collect();
    if names.is_empty() {
        return None;
    }
    let to = |d: rust_decimal::Decimal| crate::compute::window::to_f64(d) as f32;
    let planned: Vec<f32> = k.budget.categories.iter().map(|b| to(b.current)).collect();
    let actual: Vec<f32> = k.budget.categories.iter().map(|b| to(b.ac)).collect();
    let mut chart = BarChart::new(
        vec![
            Series::new(labels.1.to_string(), planned.clone()),
            Series::new(labels.2.to_string(), actual.clone()),
        ],
        names.clone(),
    );
    chart.font_family = FAMILY.to_string();
    chart.width = 720.0;
    chart.height = 320.0;
    let svg = chart.svg().ok()?;
    let rows = names
        .iter()
        .zip(planned.iter().zip(&actual))
        .map(|(n, (p, a))| vec![n.clone(), format!("{p:.2}"), format!("{a:.2}")])
        .collect();
    Some(Chart {
        id: "chart-budget".into(),
        caption: labels.0.to_string(),
        svg: titled(&svg, labels.0),
        header: vec![String::new(), labels.1.to_string(), labels.2.to_string()],
        rows,
    })
}

/// Gives the SVG an accessible `<title>` and `role="img"`.
fn titled(svg: &str, title: &str) -> String {
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
