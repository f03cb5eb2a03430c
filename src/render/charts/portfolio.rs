//! Charts across campaigns (the portfolio, the budget roll-up, goal sparklines) and the risk
//! heat map.

use super::*;

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
                drawn.iter().map(|d| d.1 * 100.0).collect(),
            ),
            (
                labels.2.to_string(),
                drawn.iter().map(|d| d.2 * 100.0).collect(),
            ),
        ],
        Figures::Percent,
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
            let values: Vec<f64> = crate::compute::series::metric_by_week(
                c,
                days,
                &t.metric,
                t.agg,
                t.window.start,
                t.window.start,
                end,
            )
            .into_iter()
            .map(|(_, v)| v)
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
                    (labels.1.to_string(), drawn.iter().map(|d| d.1).collect()),
                    (labels.2.to_string(), drawn.iter().map(|d| d.2).collect()),
                ],
                Figures::Money(&crate::render::format::currency_symbol(currency)),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
