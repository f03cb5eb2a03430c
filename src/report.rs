//! Terminal and CSV renderings of computed KPIs for `qunce kpis` (the site renderer is separate).

use crate::diag::terminal_safe;
use std::fmt::Write as _;

use crate::compute::budget::BudgetStatus;
use crate::compute::targets::Status;
use crate::compute::{CampaignKpis, is_money};
use crate::model::catalog;
use crate::model::site::CampaignData;
use crate::model::values::fmt_num;

fn display(data: &CampaignData, metric: &str, v: Option<f64>) -> String {
    let Some(x) = v else { return "—".into() };
    let unit = catalog::lookup(metric).map(|m| m.unit);
    if is_money(data, metric) {
        format!("{x:.2}")
    } else if matches!(unit, Some(catalog::Unit::Ratio)) || metric.starts_with("funnel_step_rate.")
    {
        format!("{:.1}%", x * 100.0)
    } else {
        format!("{:.2}", x)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

fn names(data: &CampaignData, metric: &str) -> (String, String) {
    if let Some(m) = catalog::lookup(metric) {
        return (m.zh.into(), m.en.into());
    }
    if let Some(c) = data.plan.custom_metrics.iter().find(|c| c.id == metric) {
        return (
            terminal_safe(&c.name.zh).into_owned(),
            terminal_safe(&c.name.en).into_owned(),
        );
    }
    if let Some(stage) = metric.strip_prefix("funnel_step_rate.") {
        return (
            format!("漏斗步转化率·{stage}"),
            format!("Step conversion · {stage}"),
        );
    }
    (metric.into(), metric.into())
}

fn status_label(s: Status) -> &'static str {
    match s {
        Status::Met => "✔ met",
        Status::OnTrack => "● on_track",
        Status::AtRisk => "▲ at_risk",
        Status::Missed => "✖ missed",
        Status::Unknown => "? unknown",
    }
}

fn colour(text: &str, status: Status, tty: bool) -> String {
    if !tty {
        return text.to_string();
    }
    let code = match status {
        Status::Met | Status::OnTrack => "32",
        Status::AtRisk => "33",
        Status::Missed => "31",
        Status::Unknown => "90",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

fn budget_label(s: BudgetStatus) -> &'static str {
    match s {
        BudgetStatus::NoData => "no_data",
        BudgetStatus::Ok => "ok",
        BudgetStatus::Underspend => "underspend",
        BudgetStatus::Warn => "warn",
        BudgetStatus::Over => "over",
    }
}

/// A readable table: metrics with zh/en names, targets with status icons, budget rows.
pub fn kpis_table(k: &CampaignKpis, data: &CampaignData, tty: bool) -> String {
    let mut out = String::new();
    // Names come from the plan: shown, never sent to the terminal as control sequences.
    let _ = writeln!(
        out,
        "{} · as of {}",
        terminal_safe(&data.plan.campaign.name),
        k.as_of
    );
    let _ = writeln!(out, "\nMetrics 指标");
    for (id, v) in &k.metrics {
        let (zh, en) = names(data, id);
        let value = match v {
            Ok(x) => display(data, id, Some(*x)),
            Err(reason) => format!("— ({reason})"),
        };
        let _ = writeln!(out, "  {id:<28} {value:>14}  {zh} / {en}");
    }
    let _ = writeln!(out, "\nTargets 目标");
    for t in &k.targets {
        let line = format!(
            "  {:<16} {:<24} actual {:>10}  target {:>10}  expected {:>10}  {}",
            t.id,
            t.metric,
            display(data, &t.metric, t.actual),
            display(data, &t.metric, t.target),
            display(data, &t.metric, t.expected),
            status_label(t.status)
        );
        let _ = writeln!(out, "{}", colour(&line, t.status, tty));
    }
    let _ = writeln!(out, "\nBudget 预算 ({})", data.plan.campaign.currency);
    let _ = writeln!(
        out,
        "  {:<12} {:>10} {:>10} {:>10} {:>10} {:>10} {:>7}  status",
        "category", "planned", "current", "AC", "PV", "EV", "CPI"
    );
    // rust_decimal's `{:.2}` truncates; round first.
    let opt = |d: Option<rust_decimal::Decimal>| {
        d.map_or("—".to_string(), |d| format!("{:.2}", d.round_dp(2)))
    };
    for c in &k.budget.categories {
        let _ = writeln!(
            out,
            "  {:<12} {:>10.2} {:>10.2} {:>10} {:>10} {:>10} {:>7}  {}",
            c.id,
            c.planned.round_dp(2),
            c.current.round_dp(2),
            opt(c.ac),
            opt(c.pv),
            opt(c.ev),
            c.cpi.map_or("—".into(), |x| format!("{x:.3}")),
            budget_label(c.status)
        );
    }
    let t = &k.budget.total;
    let total_line = format!(
        "  total: BAC {:.2} / {:.2} · AC {} · EAC {} · runway {} days · {}",
        t.bac.round_dp(2),
        t.bac_total.round_dp(2),
        opt(t.ac_total),
        opt(t.eac_total),
        t.runway_days
            .map_or("—".into(), |r| fmt_num((r * 10.0).round() / 10.0)),
        budget_label(t.status)
    );
    let _ = writeln!(out, "{total_line}");
    if !k.risks.is_empty() {
        let _ = writeln!(out, "\nRisks 风险");
        for r in &k.risks {
            let fired = match (&r.watches, r.fired) {
                (None, _) => "no trigger".to_string(),
                (Some(w), true) => format!(
                    "FIRED {} ({w} = {})",
                    r.first_fired.as_deref().unwrap_or("?"),
                    r.value
                        .map_or("—".into(), |v| fmt_num((v * 1000.0).round() / 1000.0))
                ),
                (Some(w), false) => format!(
                    "not fired ({w} = {})",
                    r.value
                        .map_or("—".into(), |v| fmt_num((v * 1000.0).round() / 1000.0))
                ),
            };
            let _ = writeln!(
                out,
                "  {:<20} P×I {:>2} {:<9} {fired}",
                r.id,
                r.score,
                r.level.as_deref().unwrap_or("—")
            );
        }
    }
    let _ = writeln!(out, "\nData quality 数据质量");
    for c in &k.quality {
        let _ = writeln!(
            out,
            "  {} {:<30} {}",
            if c.flagged { "⚠" } else { "✓" },
            c.id,
            c.detail
        );
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One line per metric and per target: `kind,id,metric,value,target,expected,status`.
pub fn kpis_csv(k: &CampaignKpis, data: &CampaignData) -> String {
    let mut out = String::from("kind,id,metric,value,target,expected,status\n");
    let num = |m: &str, v: Option<f64>| match v {
        Some(x) if is_money(data, m) => format!("{x:.2}"),
        Some(x) => format!("{x}"),
        None => String::new(),
    };
    for (id, v) in &k.metrics {
        let _ = writeln!(
            out,
            "metric,{},{},{},,,",
            csv_field(id),
            csv_field(id),
            num(id, v.as_ref().ok().copied())
        );
    }
    for t in &k.targets {
        let status = serde_json::to_value(t.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "target,{},{},{},{},{},{}",
            csv_field(&t.id),
            csv_field(&t.metric),
            num(&t.metric, t.actual),
            num(&t.metric, t.target),
            num(&t.metric, t.expected),
            status
        );
    }
    out
}
