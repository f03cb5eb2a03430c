//! Display formatting (docs/rules.md#general-rules G8: % with 1 decimal, money with 2, counts as
//! integers, means with 1 decimal, "—" for undefined) and the UI strings in zh-CN and en.

use rust_decimal::Decimal;
use serde_json::Value;

use crate::compute::budget::BudgetStatus;
use crate::compute::is_money;
use crate::compute::undefined::Undefined;
use crate::model::catalog::{self, Export};
use crate::model::site::CampaignData;
use crate::model::table::Spacing;

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

/// `part` as a share of `whole` (`85.6%`), or `None` when `whole` is zero.
pub fn ratio_pct(part: Decimal, whole: Decimal) -> Option<String> {
    (!whole.is_zero()).then(|| {
        let share = crate::compute::window::to_f64(part) / crate::compute::window::to_f64(whole);
        pct(Some(share))
    })
}

/// A count: whole as an integer, otherwise with one decimal, with thousands separators
/// (`3,980`, `23.1`).
pub fn count(x: f64) -> String {
    grouped(x, if x.fract() == 0.0 { 0 } else { 1 })
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
        _ => count(x),
    }
}

/// The gap between an actual and its target in words that say which side is good, whatever
/// the metric's direction: `好于目标 7.6 个百分点` (churn 4.4 % against ≤ 12 %), `差 1.2`
/// (speakers 28.8 against ≥ 30), `持平`. Percentage points for rates, the metric's unit
/// otherwise.
pub fn target_gap(
    c: &CampaignData,
    target: &crate::model::plan::Target,
    actual: Option<f64>,
    goal: Option<f64>,
    ui: &Value,
) -> String {
    let (Some(a), Some(t)) = (actual, goal) else {
        return "—".into();
    };
    if a == t {
        return super::ui_str(ui, "gap_none").to_string();
    }
    let size = metric_gap(c, &target.metric, Some((a - t).abs()), Some(0.0), ui);
    let size = size.trim_start_matches('+');
    let better = crate::compute::targets::target_direction(&c.plan, target).better(a, t);
    let key = if better { "gap_better" } else { "gap_worse" };
    super::ui_str(ui, key).replace("{0}", size)
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

/// Why a category is 支出偏慢: its spending behind the plan to date (`比到今天的计划花费少
/// 33.3%`), which the budget left does not tell.
pub fn slow_spend(b: &crate::compute::budget::CategoryBudget, ui: &Value) -> Option<String> {
    match (b.status, b.spend_variance_pct) {
        (BudgetStatus::Underspend, Some(x)) if x < 0.0 => {
            Some(super::ui_str(ui, "behind_plan_spend").replace("{0}", &pct(Some(-x))))
        }
        _ => None,
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

/// A reason in Chinese, by an exhaustive match: a new [`Undefined`] variant does not compile
/// until it has its words here. Column and key names stay in backticks, as in English.
fn reason_zh(why: &Undefined) -> String {
    use Undefined::*;
    let bucket = |spacing: Spacing| match spacing {
        Spacing::Monthly => "一个月".to_string(),
        Spacing::Daily => "1 天".to_string(),
        Spacing::Days(n) => format!("{n} 天"),
    };
    match why {
        TooLarge => "数值过大，无法计算".into(),
        CutsBucket {
            start,
            end,
            spacing: Spacing::Monthly,
            first,
            last,
        } => format!("{start} 至 {end} 切开了 {first} 至 {last} 这一个月的合计：合计不能拆到单日"),
        CutsBucket {
            start,
            end,
            spacing,
            first,
            last,
        } => format!(
            "{start} 至 {end} 切开了 {first} 至 {last} 这一段 {}的合计：合计不能拆到单日",
            bucket(*spacing)
        ),
        NeedsDailyValues(spacing) => {
            format!(
                "需要逐日数据：导出的每一行是{}的合计",
                match spacing {
                    Spacing::Monthly => "一个月".to_string(),
                    other => format!(" {}", bucket(*other)),
                }
            )
        }
        ReportStraddles {
            file,
            first,
            last,
            as_of,
        } => format!("报表 {file} 覆盖 {first} 至 {last}：截至 {as_of} 的花费尚不可知"),
        NoLedger => "无支出数据".into(),
        NoAcquisitionCategory => "没有预算类别标记为 `acquisition_cost: true`".into(),
        NoColumn(column) => format!("导出中没有 `{column}` 列"),
        NoData(column) => format!("没有 `{column}` 数据"),
        NoRatio {
            numerator,
            denominator,
        } => format!("没有哪一天同时有 `{numerator}` 和 `{denominator}`"),
        ZeroSum(column) => format!("`{column}` 合计为 0"),
        NoMembersInWindow => "统计窗口内没有成员数".into(),
        NoMembersOnDay => "当天没有成员数".into(),
        NoMembersColumn | NoMembers => "没有成员数".into(),
        MembersAtStartNotPositive | MembersAtStartZero => "期初成员数为 0".into(),
        NoRollingCount(column) => {
            format!("导出中没有 `{column}`（滚动去重人数，不能由每日数据相加得到）")
        }
        RollingNotYetKnown(column) => format!(
            "报告日之前没有 `{column}` 的数值：滚动去重人数只在数据覆盖整个窗口的日子才有（请从更早的日期导出日志，或写明 `covers:`）"
        ),
        TooFewDays {
            column,
            needed,
            has,
        } => format!("需要最近 30 天中至少 {needed} 天的 `{column}`，只有 {has} 天"),
        NoResponseTimes => "没有带响应时间的问题".into(),
        NoSentimentColumns => "导出中没有正面/负面提及列".into(),
        NoMentions => "没有正面或负面提及".into(),
        NoFunnel => "计划中没有漏斗".into(),
        NoStages => "漏斗没有阶段".into(),
        UnknownStage => "漏斗中没有这一阶段".into(),
        FirstStage => "第一级没有步转化率".into(),
        NoPlanKey(key) => format!("计划中没有 `{key}`"),
        NoWindow => "没有统计窗口".into(),
        NoSpend => "统计窗口内没有支出".into(),
        NoJoins => "统计窗口内没有新入群".into(),
        NoMemberMonths => "没有成员月数据".into(),
        NoThirtyDayActives => "没有 30 日活跃人数".into(),
        MemberColumnMissing(column) => format!("会员明细中没有 `{column}` 列"),
        EmptyCells { column, members } => {
            format!("{members} 名会员的 `{column}` 为空（空单元格不当作 0）")
        }
        NoBuyers => "统计窗口内没有会员下单".into(),
        WritersNotMembers => {
            "消息日志的发言人都不在会员明细中：日志的 `actor` 须与会员明细的 `member_id` 是同一种ID".into()
        }
        NoLeaveDates { day, exported_on } => match exported_on {
            Some(e) if e > day => format!(
                "会员明细没有 `left_on`（退群时间），列出的是 {e} 的会员：{day} 之后退群的人不在其中，无法得知 {day} 的会员（请在 {day} 导出明细，或导出带退群时间的明细）"
            ),
            Some(e) => format!("会员明细没有 `left_on`，只列出 {e} 的会员：无法得知 {day} 的会员"),
            None => format!(
                "会员明细没有 `left_on`：无法得知 {day} 的会员（如果它列出的是那天的会员，请写明 `exported_on:`）"
            ),
        },
        TierOnlyOnReportDate { day } => format!(
            "会员明细没有 `tier_since`（分层时间）：只知道每位会员在报告日的层级，不知道 {day} 的"
        ),
        NoPresentMembers => "会员明细中当天没有在群会员".into(),
        NoNewBuyers => "统计窗口内没有会员首次下单".into(),
        NoHighValueTier => "计划中没有标记 `high_value: true` 的层级".into(),
        AllCensored { days } => format!(
            "窗口内入群的会员到报告日都还不满 {days} 天（未满期的会员不计入，也不算流失）"
        ),
        NoTierHistory => "暂无法计算：会员明细只有现在的层级，没有每位会员的层级变化记录".into(),
        NoActivitiesHeld => "统计窗口内活动记录中没有已举办的活动".into(),
        ParticipantsNotUnique => {
            "活动记录只有每场参与人数：去重需要会员ID或每场的 `unique_new_participants`（相加会重复计人）"
                .into()
        }
        NoWorkPackage => "活动没有指定 `work_package`".into(),
        SharedCostUnknownHeads(other) => {
            format!("与「{other}」共用工作包，而活动记录中没有它的参与人数")
        }
        NoParticipants => "没有人参加".into(),
        NoAttendance => "活动记录中没有这场活动的数据".into(),
        NoActivityDate => "计划和活动记录都没有这场活动的日期".into(),
        Needs(export) => format!(
            "无法计算：需要{}",
            match export {
                Export::Members => "会员明细（`members.csv`）",
                Export::MembersWithTierSince => "带等级起始日期的会员明细（`members.csv`）",
                Export::ActivityLog => "活动记录",
                Export::Activities => "活动记录（`activities.csv`）",
                Export::ProgressCalendar => "内容日历的完成记录（`progress.csv`）",
                Export::AdChannelRevenue => "按广告渠道的收入",
                Export::Survey => "问卷结果（`survey.csv`）",
                Export::TierHistory => "每位会员的层级变化记录",
            }
        ),
        NotComputed(id) => format!("此版本不计算 `{id}`"),
        LowCoverage { percent } => format!("统计窗口中只有 {percent:.0}% 的天数有数据"),
        Stale {
            column,
            last,
            days,
            end,
        } => format!("数据过期：`{column}` 最后一次读数在 {last}，比 {end} 早 {days} 天"),
    }
}

/// Why a figure is "—", in the page's language, as HTML: the compute stage words its reasons
/// in English with column and key names in backticks; those become `<code>` (a plan author
/// looks for them in the export), the words around them Chinese on a Chinese page.
pub fn reason(why: &Undefined, ui: &Value) -> String {
    let zh = ui.get("lang").and_then(Value::as_str) == Some("zh");
    let worded = if zh { reason_zh(why) } else { why.to_string() };
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

/// Money in reader sentences (the verdict): as [`money_in`], without `.00` on a whole amount
/// (`¥55,580`, `¥174.74`); tables keep two decimals for the analyst.
pub fn money_short(d: Decimal, currency: &str) -> String {
    let text = money_in(d, currency);
    match text.strip_suffix(".00") {
        Some(whole) => whole.to_string(),
        None => text,
    }
}

/// The plan currency's symbol (`¥`, `US$`), or its code where it has no common one (`EUR`
/// has `€`; `CHF` stays `CHF`).
pub fn currency_symbol(currency: &str) -> String {
    match currency.to_ascii_uppercase().as_str() {
        "CNY" | "RMB" => "¥".to_string(),
        "USD" => "US$".to_string(),
        "EUR" => "€".to_string(),
        "GBP" => "£".to_string(),
        "JPY" => "JP¥".to_string(),
        "HKD" => "HK$".to_string(),
        "INR" => "₹".to_string(),
        other => other.to_string(),
    }
}

/// Money with the plan currency's symbol: `¥12,345.00`, `US$1,200.00`, `CHF 50.00`.
pub fn money_in(d: Decimal, currency: &str) -> String {
    let mut symbol = currency_symbol(currency);
    if symbol.chars().all(|c| c.is_ascii_alphabetic()) {
        symbol.push(' ');
    }
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

/// `text` escaped for HTML, with every ISO date (`2025-09-30`) kept on one line: a phone's
/// narrow column breaks a date after its hyphens ("2025-09-" / "30") otherwise.
pub fn nowrap_dates(text: &str) -> String {
    let escaped = escape(text);
    let bytes = escaped.as_bytes();
    let is_date = |at: usize| {
        bytes.get(at..at + 10).is_some_and(|w| {
            w.iter().enumerate().all(|(k, b)| match k {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            })
        }) && (at == 0 || !bytes[at - 1].is_ascii_digit())
            && bytes.get(at + 10).is_none_or(|b| !b.is_ascii_digit())
    };
    let mut out = String::with_capacity(escaped.len());
    let mut at = 0;
    let mut copied = 0;
    while at < bytes.len() {
        if is_date(at) {
            out.push_str(&escaped[copied..at]);
            out.push_str("<span class=\"nowrap\">");
            out.push_str(&escaped[at..at + 10]);
            out.push_str("</span>");
            at += 10;
            copied = at;
        } else {
            at += 1;
        }
    }
    out.push_str(&escaped[copied..]);
    out
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
mod nowrap_tests {
    use super::nowrap_dates;

    #[test]
    fn dates_are_kept_whole_and_the_rest_escaped() {
        assert_eq!(
            nowrap_dates("复盘会 · 社群经理 · 截止 2025-09-30"),
            "复盘会 · 社群经理 · 截止 <span class=\"nowrap\">2025-09-30</span>"
        );
        assert_eq!(
            nowrap_dates("a <b> 2025-07-07 – 2025-08-31"),
            "a &lt;b&gt; <span class=\"nowrap\">2025-07-07</span> – <span class=\"nowrap\">2025-08-31</span>"
        );
        // Not a date: more digits around it, or another shape.
        assert_eq!(nowrap_dates("12025-07-071"), "12025-07-071");
        assert_eq!(nowrap_dates("2025/07/07"), "2025/07/07");
    }
}

#[cfg(test)]
mod reason_tests {
    use super::*;
    use crate::model::site::Language;
    use jiff::civil::date;

    #[test]
    fn reasons_are_worded_in_the_page_language() {
        let zh = ui(Language::ZhCn);
        let en = ui(Language::En);
        let gmv = Undefined::NoColumn("gmv".into());
        // On a Chinese page a daily column is named by its first Chinese header.
        assert_eq!(reason(&gmv, &zh), "导出中没有「成交金额」列");
        assert_eq!(reason(&gmv, &en), "no <code>gmv</code> column");
        let aov = Undefined::NoRatio {
            numerator: "paid_revenue".into(),
            denominator: "orders".into(),
        };
        assert_eq!(
            reason(&aov, &zh),
            "没有哪一天同时有「实付金额」和「订单数」"
        );
        assert_eq!(
            reason(&aov, &en),
            "no day has both <code>paid_revenue</code> and <code>orders</code>"
        );
        // Anything else in backquotes stays code.
        assert_eq!(
            reason(&Undefined::NoColumn("not_a_column".into()), &zh),
            "导出中没有 <code>not_a_column</code> 列"
        );
        assert_eq!(
            reason(&Undefined::Needs(Export::Members), &zh),
            "无法计算：需要会员明细（<code>members.csv</code>）"
        );
        assert_eq!(reason(&Undefined::NoLedger, &zh), "无支出数据");
        assert_eq!(
            reason(&Undefined::LowCoverage { percent: 40.0 }, &zh),
            "统计窗口中只有 40% 的天数有数据"
        );
        let stale = Undefined::Stale {
            column: "members",
            last: date(2025, 7, 20),
            days: 11,
            end: date(2025, 7, 31),
        };
        assert_eq!(
            reason(&stale, &zh),
            "数据过期：「群成员数」最后一次读数在 2025-07-20，比 2025-07-31 早 11 天"
        );
        assert_eq!(
            reason(&stale, &en),
            "stale: last <code>members</code> reading 2025-07-20, 11 days before 2025-07-31"
        );
        // Text from the data is escaped.
        let file = Undefined::ReportStraddles {
            file: "ads/<x>.csv".into(),
            first: date(2025, 8, 1),
            last: date(2025, 8, 7),
            as_of: date(2025, 8, 3),
        };
        assert_eq!(
            reason(&file, &zh),
            "报表 ads/&lt;x&gt;.csv 覆盖 2025-08-01 至 2025-08-07：截至 2025-08-03 的花费尚不可知"
        );
    }

    #[test]
    fn buckets_are_named_by_their_length() {
        let zh = ui(Language::ZhCn);
        let cut = |spacing| Undefined::CutsBucket {
            start: date(2025, 7, 3),
            end: date(2025, 7, 20),
            spacing,
            first: date(2025, 7, 1),
            last: date(2025, 7, 7),
        };
        assert_eq!(
            reason(&cut(Spacing::Days(7)), &zh),
            "2025-07-03 至 2025-07-20 切开了 2025-07-01 至 2025-07-07 这一段 7 天的合计：合计不能拆到单日"
        );
        assert_eq!(
            reason(&cut(Spacing::Monthly), &zh),
            "2025-07-03 至 2025-07-20 切开了 2025-07-01 至 2025-07-07 这一个月的合计：合计不能拆到单日"
        );
        assert_eq!(
            reason(&Undefined::NeedsDailyValues(Spacing::Days(30)), &zh),
            "需要逐日数据：导出的每一行是 30 天的合计"
        );
        assert_eq!(
            reason(&Undefined::NeedsDailyValues(Spacing::Monthly), &zh),
            "需要逐日数据：导出的每一行是一个月的合计"
        );
        assert_eq!(
            Undefined::NeedsDailyValues(Spacing::Days(30)).to_string(),
            "needs daily values; the export's rows are 30-day buckets"
        );
    }

    #[test]
    fn a_custom_metric_whose_denominator_sums_to_zero_is_worded_in_chinese() {
        // It was English on Chinese pages while reasons were matched against a pattern table.
        let zh = ui(Language::ZhCn);
        assert_eq!(
            reason(&Undefined::ZeroSum("orders".into()), &zh),
            "「订单数」合计为 0"
        );
    }
}
