//! Display formatting (docs/rules.md#general-rules G8: % with 1 decimal, money with 2, counts as
//! integers, means with 1 decimal, "—" for undefined) and the UI strings in zh-CN and en.

use rust_decimal::Decimal;
use serde_json::Value;

use crate::compute::budget::BudgetStatus;
use crate::compute::is_money;
use crate::model::catalog;
use crate::model::site::CampaignData;

/// `12,345.67`: money always rounded (not truncated) to cents, with thousands separators.
pub fn money(d: Decimal) -> String {
    group(&format!("{:.2}", d.round_dp(2)))
}

/// `5,301` / `1,838.12`: a number with `digits` decimals and thousands separators.
pub fn grouped(x: f64, digits: usize) -> String {
    group(&fixed(x, digits))
}

/// `format!("{x:.digits$}")`, digit for digit. When `x × 10^digits` is exact in an `f64`
/// (every value that came from an `f32`, and most others, with up to three decimals) the
/// rounding (half to even, as the standard library rounds the exact value) is done on that
/// integer: the standard library's exact formatting falls back to arbitrary precision for
/// many values, and chart data tables format thousands of them.
pub fn fixed(x: f64, digits: usize) -> String {
    const SCALE: [u64; 4] = [1, 10, 100, 1000];
    if let Some(&scale) = SCALE.get(digits)
        && x.is_finite()
    {
        let p = scale as f64;
        let y = x * p;
        // The product's rounding error, computed exactly by a fused multiply-add: zero when
        // `y` is `x × 10^digits` itself.
        if y.abs() < 4.0e15 && x.mul_add(p, -y) == 0.0 {
            let n = y.round_ties_even().abs() as u64;
            let mut out = String::with_capacity(24);
            if x.is_sign_negative() {
                out.push('-');
            }
            out.push_str(itoa::Buffer::new().format(n / scale));
            if digits > 0 {
                // The remainder with its leading zeros: `scale + frac` has exactly one digit
                // more than `frac` is wide.
                out.push('.');
                out.push_str(&itoa::Buffer::new().format(scale + n % scale)[1..]);
            }
            return out;
        }
    }
    format!("{x:.digits$}")
}

/// Puts thousands separators into a formatted number (`-1234.50` → `-1,234.50`).
fn group(number: &str) -> String {
    let (int, frac) = match number.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (number, None),
    };
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut out = String::from(sign);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// Money or "—".
pub fn money_opt(d: Option<Decimal>) -> String {
    d.map_or("—".into(), money)
}

/// `12.3%` or "—".
pub fn pct(v: Option<f64>) -> String {
    v.map_or("—".into(), |x| format!("{}%", fixed(x * 100.0, 1)))
}

/// `+3.0pp`: a difference of two ratios in percentage points, or "—".
pub fn pp(v: Option<f64>) -> String {
    v.map_or("—".into(), |x| format!("{:+.1}pp", x * 100.0))
}

/// Percentage points in the page's language: `-3.0pp` in English, `-3.0 个百分点` in Chinese.
pub fn pp_in(v: Option<f64>, ui: &Value) -> String {
    v.map_or("—".into(), |x| {
        format!("{:+.1}{}", x * 100.0, super::ui_str(ui, "pp_unit"))
    })
}

/// Money from a template number, or "—".
pub fn money_f64(v: Option<f64>) -> String {
    v.and_then(Decimal::from_f64_retain)
        .map_or("—".into(), money)
}

/// A metric value in its unit.
pub fn metric_value(c: &CampaignData, metric: &str, v: Option<f64>) -> String {
    let Some(x) = v else { return "—".into() };
    if is_money(c, metric) {
        // Money always carries its currency: a manager never meets a bare 174.74.
        return Decimal::from_f64_retain(x)
            .map_or("—".into(), |d| money_in(d, &c.plan.campaign.currency));
    }
    let unit = catalog::lookup(metric).map(|m| m.unit);
    let custom_ratio = c
        .plan
        .custom_metrics
        .iter()
        .any(|m| m.id == metric && m.unit == crate::model::plan::MetricUnit::Ratio);
    match unit {
        Some(catalog::Unit::Ratio) => pct(Some(x)),
        Some(catalog::Unit::Times) => format!("1:{x:.1}"),
        _ if custom_ratio || metric.starts_with("funnel_step_rate.") => pct(Some(x)),
        _ if x.fract() == 0.0 => format!("{x:.0}"),
        _ => format!("{x:.1}"),
    }
}

/// The gap between an actual and its target in the metric's unit: percentage points for
/// rates, a signed amount otherwise.
pub fn metric_gap(
    c: &CampaignData,
    metric: &str,
    actual: Option<f64>,
    target: Option<f64>,
    ui: &Value,
) -> String {
    let (Some(a), Some(t)) = (actual, target) else {
        return "—".into();
    };
    let gap = a - t;
    let rate = catalog::lookup(metric).is_some_and(|m| m.unit == catalog::Unit::Ratio)
        || metric.starts_with("funnel_step_rate.")
        || c.plan
            .custom_metrics
            .iter()
            .any(|m| m.id == metric && m.unit == crate::model::plan::MetricUnit::Ratio);
    if rate {
        return pp_in(Some(gap), ui);
    }
    let shown = metric_value(c, metric, Some(gap.abs()));
    let shown = shown.trim_start_matches("1:");
    if gap > 0.0 {
        format!("+{shown}")
    } else if gap < 0.0 {
        format!("-{shown}")
    } else {
        shown.to_string()
    }
}

/// The CSS / key name of a budget status.
pub fn budget_key(s: BudgetStatus) -> &'static str {
    match s {
        BudgetStatus::NoData => "no_data",
        BudgetStatus::Ok => "ok",
        BudgetStatus::Underspend => "underspend",
        BudgetStatus::Warn => "warn",
        BudgetStatus::Over => "over",
    }
}

/// The compute stage's reasons and their Chinese wording: `{}` captures text, kept as written
/// (with its backticks, so a column name stays a code span). First match wins.
const REASONS_ZH: &[(&str, &str)] = &[
    (
        "not computable: needs members.csv with tier_since",
        "无法计算：需要带等级起始日期的会员明细（`members.csv`）",
    ),
    (
        "not computable: needs members.csv",
        "无法计算：需要会员明细（`members.csv`）",
    ),
    (
        "not computable: needs activities.csv",
        "无法计算：需要活动记录（`activities.csv`）",
    ),
    (
        "not computable: needs an activity log",
        "无法计算：需要活动记录",
    ),
    (
        "not computable: needs progress.csv calendar rows",
        "无法计算：需要内容日历的完成记录（`progress.csv`）",
    ),
    (
        "not computable: needs revenue per ad channel",
        "无法计算：需要按广告渠道的收入",
    ),
    (
        "not computable: needs survey.csv",
        "无法计算：需要问卷结果（`survey.csv`）",
    ),
    ("not computable: needs {}", "无法计算：需要 {0}"),
    ("no ledger", "无支出数据"),
    (
        "{} … {} cuts the {}-day bucket {} … {}: a bucket's total cannot be split between days",
        "{0} 至 {1} 切开了 {3} 至 {4} 这一段 {2} 天的合计：合计不能拆到单日",
    ),
    (
        "{} … {} cuts the monthly bucket {} … {}: a bucket's total cannot be split between days",
        "{0} 至 {1} 切开了 {2} 至 {3} 这一个月的合计：合计不能拆到单日",
    ),
    (
        "needs daily values; the export's rows are {}-day buckets",
        "需要逐日数据：导出的每一行是 {0} 天的合计",
    ),
    (
        "needs daily values; the export's rows are monthly buckets",
        "需要逐日数据：导出的每一行是一个月的合计",
    ),
    (
        "the report {} covers {} … {}: its cost up to {} is unknown",
        "报表 {0} 覆盖 {1} 至 {2}：截至 {3} 的花费尚不可知",
    ),
    ("too large to compute", "数值过大，无法计算"),
    ("members at the start is 0", "期初成员数为 0"),
    ("members at the start is not positive", "期初成员数为 0"),
    ("no `members` in the window", "统计窗口内没有成员数"),
    ("no `members` on that day", "当天没有成员数"),
    ("no `members`", "没有成员数"),
    ("no members", "没有成员数"),
    (
        "no `{}` in the export{}",
        "导出中没有 `{0}`（滚动去重人数，不能由每日数据相加得到）",
    ),
    ("no `{}` column", "导出中没有 `{0}` 列"),
    (
        "no `{}` data, or Σ{} is 0",
        "没有 `{0}` 数据，或 `{1}` 合计为 0",
    ),
    ("no `{}` data", "没有 `{0}` 数据"),
    (
        "no budget category is marked `acquisition_cost: true`",
        "没有预算类别标记为 `acquisition_cost: true`",
    ),
    ("no `{}`", "计划中没有 `{0}`"),
    ("no sentiment columns", "导出中没有正面/负面提及列"),
    ("no mentions", "没有正面或负面提及"),
    ("no questions with a response time", "没有带响应时间的问题"),
    ("no 30-day active members", "没有 30 日活跃人数"),
    (
        "needs 27 of the last 30 days of `{}`, has {}",
        "需要最近 30 天中至少 27 天的 `{0}`，只有 {1} 天",
    ),
    ("the plan has no funnel", "计划中没有漏斗"),
    ("no stages", "漏斗没有阶段"),
    ("unknown stage", "漏斗中没有这一阶段"),
    ("the first stage has no step rate", "第一级没有步转化率"),
    ("no window", "没有统计窗口"),
    ("no spend in the window", "统计窗口内没有支出"),
    ("no joins in the window", "统计窗口内没有新入群"),
    ("no member-months", "没有成员月数据"),
    ("`{}` is not computed by this version", "此版本不计算 `{0}`"),
    (
        "only {}% of the window's days have data",
        "统计窗口中只有 {0}% 的天数有数据",
    ),
    (
        "stale: last `{}` reading {}, {} days before {}",
        "数据过期：`{0}` 最后一次读数在 {1}，比 {3} 早 {2} 天",
    ),
];

/// The parts of `text` that `pattern`'s `{}` stand for, if it matches.
fn captures<'a>(pattern: &str, text: &'a str) -> Option<Vec<&'a str>> {
    let literals: Vec<&str> = pattern.split("{}").collect();
    let mut rest = text.strip_prefix(literals[0])?;
    let mut out = Vec::new();
    for (i, literal) in literals.iter().enumerate().skip(1) {
        let last = i == literals.len() - 1;
        let at = if last {
            if !rest.ends_with(literal) {
                return None;
            }
            rest.len() - literal.len()
        } else if literal.is_empty() {
            rest.len()
        } else {
            rest.find(literal)?
        };
        out.push(&rest[..at]);
        rest = &rest[at + literal.len()..];
    }
    (literals.len() > 1 || rest.is_empty()).then_some(out)
}

/// Why a figure is "—", in the page's language, as HTML: the compute stage words its reasons
/// in English with column and key names in backticks; those become `<code>` (a plan author
/// looks for them in the export), the words around them Chinese on a Chinese page.
pub fn reason(text: &str, ui: &Value) -> String {
    let text = text.trim();
    let zh = ui.get("lang").and_then(Value::as_str) == Some("zh");
    let worded = if zh {
        REASONS_ZH
            .iter()
            .find_map(|(pattern, zh)| {
                let parts = captures(pattern, text)?;
                // One pass, so a captured `{1}` is never substituted again.
                let mut out = String::new();
                let mut rest = *zh;
                while let Some(open) = rest.find('{') {
                    out.push_str(&rest[..open]);
                    let digit = rest[open + 1..].chars().next();
                    let index = digit.and_then(|d| d.to_digit(10)).map(|d| d as usize);
                    match index {
                        Some(i) if rest[open + 2..].starts_with('}') => {
                            out.push_str(parts.get(i).copied().unwrap_or(""));
                            rest = &rest[open + 3..];
                        }
                        _ => {
                            out.push('{');
                            rest = &rest[open + 1..];
                        }
                    }
                }
                out.push_str(rest);
                Some(out)
            })
            .unwrap_or_else(|| text.to_string())
    } else {
        text.to_string()
    };
    let mut html = String::new();
    let mut bracketed = false;
    for (i, part) in worded.split('`').enumerate() {
        // A daily column is named on a Chinese page by its Chinese header, as exports write it.
        let label = (zh && i % 2 == 1)
            .then(|| crate::model::columns::daily_index(part))
            .flatten()
            .and_then(|at| crate::model::columns::DAILY_COLUMNS[at].chinese_label());
        if let Some(label) = label {
            // Corner brackets need no spaces around them: `没有 {0} 列` → 没有「…」列.
            if html.ends_with(' ') {
                html.pop();
            }
            html.push('「');
            html.push_str(&escape(label));
            html.push('」');
            bracketed = true;
        } else if i % 2 == 1 {
            html.push_str("<code>");
            html.push_str(&escape(part));
            html.push_str("</code>");
        } else if std::mem::take(&mut bracketed) {
            html.push_str(&escape(part.strip_prefix(' ').unwrap_or(part)));
        } else {
            html.push_str(&escape(part));
        }
    }
    html
}

/// Money with the plan currency's symbol: `¥12,345.00`, `US$1,200.00`, `EUR 50.00`.
pub fn money_in(d: Decimal, currency: &str) -> String {
    let symbol = match currency.to_ascii_uppercase().as_str() {
        "CNY" | "RMB" => "¥".to_string(),
        "USD" => "US$".to_string(),
        "EUR" => "€".to_string(),
        "GBP" => "£".to_string(),
        "JPY" => "JP¥".to_string(),
        "HKD" => "HK$".to_string(),
        "INR" => "₹".to_string(),
        other => format!("{other} "),
    };
    let text = money(d);
    match text.strip_prefix('-') {
        Some(abs) => format!("-{symbol}{abs}"),
        None => format!("{symbol}{text}"),
    }
}

/// Spend or, without a ledger, the page's "no spend data" (never 0.00).
pub fn spend(d: Option<Decimal>, ui: &Value) -> String {
    d.map_or_else(|| super::ui_str(ui, "no_data").to_string(), money)
}

/// [`spend`] with the currency's symbol, as [`money_in`] writes it.
pub fn spend_in(d: Option<Decimal>, currency: &str, ui: &Value) -> String {
    d.map_or_else(
        || super::ui_str(ui, "no_data").to_string(),
        |d| money_in(d, currency),
    )
}

/// Escapes text for HTML built outside templates.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_into(&mut out, s, |byte| match byte {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        _ => None,
    });
    out
}

/// Appends `text` to `out` with each byte that `entity` names replaced by its entity. Only
/// ASCII bytes may be named, so the runs between them, copied whole, are whole characters.
pub fn escape_into(out: &mut String, text: &str, entity: impl Fn(u8) -> Option<&'static str>) {
    let mut copied = 0;
    for (i, byte) in text.bytes().enumerate() {
        if let Some(entity) = entity(byte) {
            out.push_str(&text[copied..i]);
            out.push_str(entity);
            copied = i + 1;
        }
    }
    out.push_str(&text[copied..]);
}

pub use crate::model::i18n::ui;

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The one-pass escape writes what the chain of replacements it replaced wrote.
        #[test]
        fn escape_matches_the_replacement_chain(text in "[a&<>\"'/ 图]{0,24}") {
            let chained = text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;");
            proptest::prop_assert_eq!(escape(&text), chained);
        }
    }

    proptest::proptest! {
        /// The integer rounding writes what the standard library writes: any `f64`, any
        /// value that came from an `f32`, and exact halves (where half-to-even shows).
        #[test]
        fn fixed_formats_as_the_standard_library(
            x in proptest::num::f64::ANY,
            y in proptest::num::f32::ANY,
            half in -100_000i64..100_000,
            digits in 0usize..5,
        ) {
            let tie = (half as f64 + 0.5) / [1.0, 10.0, 100.0, 1000.0, 10000.0][digits];
            for v in [x, f64::from(y), tie, -tie, x / 1e6, f64::from(y) * 1e-3] {
                proptest::prop_assert_eq!(fixed(v, digits), format!("{v:.digits$}"), "{:e}", v);
            }
        }
    }

    #[test]
    fn fixed_rounds_halves_to_even_and_keeps_the_sign_of_small_negatives() {
        assert_eq!(fixed(0.125, 2), "0.12");
        assert_eq!(fixed(0.375, 2), "0.38");
        assert_eq!(fixed(2.5, 0), "2");
        assert_eq!(fixed(-0.04, 1), "-0.0");
        assert_eq!(fixed(1234.5, 1), "1234.5");
        assert_eq!(grouped(-1234567.891, 2), "-1,234,567.89");
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(grouped(5301.0, 0), "5,301");
        assert_eq!(grouped(1838.124, 2), "1,838.12");
        assert_eq!(grouped(-1234567.5, 1), "-1,234,567.5");
        assert_eq!(grouped(999.0, 0), "999");
    }

    #[test]
    fn money_rounds_and_groups() {
        assert_eq!(money("59542.2051".parse().unwrap()), "59,542.21");
        assert_eq!(money("-4742.21".parse().unwrap()), "-4,742.21");
        assert_eq!(money("800".parse().unwrap()), "800.00");
        assert_eq!(money("1234567.5".parse().unwrap()), "1,234,567.50");
    }

    #[test]
    fn percentages_and_dashes() {
        assert_eq!(pct(Some(0.5670731707)), "56.7%");
        assert_eq!(pct(None), "—");
        assert_eq!(pp(Some(-0.03)), "-3.0pp");
        assert_eq!(pp(Some(0.1)), "+10.0pp");
        assert_eq!(money_f64(Some(58742.205)), "58,742.21");
        assert_eq!(money_f64(None), "—");
    }
}

#[cfg(test)]
mod reason_tests {
    use super::*;
    use crate::model::site::Language;

    #[test]
    fn reasons_are_worded_in_the_page_language() {
        let zh = ui(Language::ZhCn);
        let en = ui(Language::En);
        // On a Chinese page a daily column is named by its first Chinese header.
        assert_eq!(reason("no `gmv` column", &zh), "导出中没有「成交金额」列");
        assert_eq!(reason("no `gmv` column", &en), "no <code>gmv</code> column");
        assert_eq!(
            reason("no `paid_revenue`/`orders` data, or Σorders is 0", &zh),
            "没有「实付金额」/「订单数」数据，或「订单数」合计为 0"
        );
        // Anything else in backquotes stays code.
        assert_eq!(
            reason("no `not_a_column` column", &zh),
            "导出中没有 <code>not_a_column</code> 列"
        );
        assert_eq!(
            reason("not computable: needs members.csv", &zh),
            "无法计算：需要会员明细（<code>members.csv</code>）"
        );
        assert_eq!(reason("no ledger", &zh), "无支出数据");
        assert_eq!(
            reason("only 40% of the window's days have data", &zh),
            "统计窗口中只有 40% 的天数有数据"
        );
        assert_eq!(
            reason(
                "stale: last `members` reading 2025-07-20, 11 days before 2025-07-31",
                &zh
            ),
            "数据过期：「群成员数」最后一次读数在 2025-07-20，比 2025-07-31 早 11 天"
        );
        // An unknown reason is kept as written, escaped.
        assert_eq!(reason("a <b> & c", &zh), "a &lt;b&gt; &amp; c");
    }

    #[test]
    fn every_reason_the_compute_stage_words_has_chinese() {
        // Each message the KPI code can return (src/compute), in its words.
        let zh = ui(Language::ZhCn);
        let sources = [
            include_str!("../compute/kpi.rs"),
            include_str!("../compute/targets.rs"),
        ];
        let mut untranslated = Vec::new();
        for source in sources {
            for quoted in source.split('"').skip(1).step_by(2) {
                let looks_like_reason = quoted.starts_with("no ")
                    || quoted.starts_with("the ")
                    || quoted.starts_with("members at")
                    || quoted.starts_with("too large")
                    || quoted.starts_with("unknown stage");
                if !looks_like_reason {
                    continue;
                }
                let sample = quoted.replace("{col}", "x").replace("{}", "x");
                let sample = sample.replace("{a}", "x").replace("{b}", "x");
                if reason(&sample, &zh).is_ascii() {
                    untranslated.push(quoted.to_string());
                }
            }
        }
        assert!(untranslated.is_empty(), "no Chinese for: {untranslated:?}");
    }
}
