//! Display formatting (§D.1 G8: % with 1 decimal, money with 2, counts as integers, means with
//! 1 decimal, "—" for undefined) and the UI strings in zh-CN and en.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::compute::budget::BudgetStatus;
use crate::compute::is_money;
use crate::model::catalog;
use crate::model::site::{CampaignData, Language};

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

/// All UI strings of one language.
pub fn ui(lang: Language) -> Value {
    let pairs: &[(&str, &str, &str)] = &[
        ("lang", "zh", "en"),
        ("verdict", "结论", "Verdict"),
        ("probability", "概率", "Probability"),
        ("impact", "影响", "Impact"),
        ("total", "合计", "Total"),
        ("totals_by_currency", "按币种合计", "Totals by currency"),
        ("currency", "币种", "Currency"),
        (
            "search_empty",
            "没有找到匹配的页面，换个词试试。",
            "No page matches; try another word.",
        ),
        ("id_column", "编号", "id"),
        (
            "chart_budget_rollup",
            "各活动总预算与已花",
            "Total budget and spend by campaign",
        ),
        (
            "chart_top_eac",
            "：完工预测占预算最高的 {0} 个（共 {1} 个）",
            ": the {0} with the highest forecast (of {1})",
        ),
        (
            "chart_top_budget",
            "：预算最大的 {0} 个，其余 {1} 个合计",
            ": the {0} largest budgets, the other {1} together",
        ),
        ("chart_others", "其余 {0} 个活动", "{0} other campaigns"),
        ("source_code", "渠道码", "Source code"),
        ("promotion_rhythm", "推广节奏", "Promotion rhythm"),
        ("step", "步骤", "Step"),
        ("materials", "物料", "Materials"),
        ("suppliers", "供应商", "Suppliers"),
        ("tools", "工具", "Tools"),
        ("scope", "范围", "Scope"),
        ("risk_review", "风险审核", "Risk review"),
        ("functions", "用途", "Functions"),
        ("item", "项目", "Item"),
        ("detail", "内容", "Detail"),
        ("action_open", "待办", "open"),
        ("action_in_progress", "进行中", "in progress"),
        ("action_done", "已完成", "done"),
        ("action_dropped", "已放弃", "dropped"),
        ("review_passed", "已通过", "passed"),
        ("review_pending", "待审", "pending"),
        ("review_failed", "未通过", "failed"),
        ("unit_ratio", "比率", "ratio"),
        ("unit_count", "人数或次数", "count"),
        ("unit_money", "金额", "money"),
        ("unit_minutes", "分钟", "minutes"),
        ("unit_hours", "小时", "hours"),
        ("unit_times", "倍数", "times"),
        ("unit_score", "分值", "score"),
        ("unit_date", "日期", "date"),
        ("level_low", "低", "low"),
        ("level_medium", "中", "medium"),
        ("level_high", "高", "high"),
        ("level_critical", "严重", "critical"),
        (
            "check_reconciliation_mismatch_days",
            "成员数对不上的天数",
            "days members do not reconcile",
        ),
        (
            "check_speakers_exceed_active",
            "发言人数超过活跃人数的天数",
            "days with more speakers than active members",
        ),
        ("check_coverage_low", "数据覆盖率", "data coverage"),
        ("check_stale_data", "数据滞后天数", "days the data lags"),
        (
            "check_future_entries",
            "报告日之后的行数",
            "rows after the report date",
        ),
        (
            "check_funnel_non_monotone",
            "漏斗倒挂的级数",
            "funnel stages larger than the one before",
        ),
        ("verdict_goals", "目标达成了吗", "Did we meet the goals?"),
        ("met_of", "达成", "Met"),
        ("furthest_behind", "差距最大", "furthest behind"),
        ("goal_tiles", "各项目标", "Each goal"),
        ("paid", "已付", "paid"),
        ("accrued", "已发生未付", "accrued"),
        ("signed_unpaid", "已签约未付", "signed, unpaid"),
        ("over_by", "超出预算", "over budget by"),
        ("sentence_sep", "，", ", "),
        ("list_sep", "、", ", "),
        ("paren_open", "（", " ("),
        ("paren_close", "）", ")"),
        ("colon", "：", ": "),
        ("budget_ran_out", "预算用完于", "The budget ran out on"),
        (
            "budget_runs_out",
            "按近 7 天的花费速度，预算将用完于",
            "At the last 7 days' pace the budget runs out on",
        ),
        (
            "budget_lasts",
            "按近 7 天的花费速度，预算够用到活动结束",
            "At the last 7 days' pace the budget lasts to the end",
        ),
        ("none_over", "没有类别超支", "No category is over budget"),
        ("spending_slow", "支出偏慢", "spending slowly"),
        ("behind_plan", "落后于计划", " is behind plan"),
        ("missed_goal", "未达成", " was missed"),
        ("missed_goal_do", "未达成：", " was missed: "),
        ("within_budget", "在预算内", "Within budget"),
        (
            "running_course",
            "进行中，达成或进度正常",
            "Running: met or on track",
        ),
        ("target_short", "目标", "target"),
        ("behind_plan_do", "落后于计划：", " is behind plan: "),
        ("verdict_money", "钱花在哪里", "Where did the money go?"),
        ("verdict_next", "下一步", "What next?"),
        ("spent", "已花", "Spent"),
        (
            "total_budget",
            "总预算（含备用金）",
            "Total budget (with reserve)",
        ),
        (
            "planned_budget",
            "计划内预算（不含备用金）",
            "Planned budget (without reserve)",
        ),
        ("forecast_total", "预计总花费", "Forecast total"),
        (
            "spent_in_plan",
            "计划内已花（不含备用金）",
            "spent within the plan (without reserve)",
        ),
        (
            "flagged_categories",
            "超支或接近超支的类别",
            "Categories over or near budget",
        ),
        (
            "all_within",
            "各类别均在预算内",
            "Every category is within budget",
        ),
        ("open_actions", "待办行动项", "Open action items"),
        (
            "largest_deviations",
            "偏差最大的目标",
            "Furthest from target",
        ),
        ("next_milestones", "接下来的里程碑", "Next milestones"),
        ("nothing_open", "没有待办的行动项", "No open action items"),
        ("see_retro", "见复盘", "See the post-mortem"),
        ("nav", "导航", "Navigation"),
        ("breadcrumbs", "当前位置", "Breadcrumbs"),
        ("portfolio", "活动总览", "Portfolio"),
        ("playbooks", "运营手册", "Playbooks"),
        ("glossary", "指标词典", "KPI glossary"),
        ("budget", "预算", "Budget"),
        ("risks", "风险", "Risks"),
        ("generated", "由 qunce 生成", "Generated by qunce"),
        ("campaigns", "活动", "Campaigns"),
        ("campaign", "活动", "Campaign"),
        ("owner", "负责人", "Owner"),
        ("targets", "目标", "Targets"),
        ("target", "目标", "Target"),
        ("budget_used", "预算已用", "Budget used"),
        ("eac_vs_budget", "完工预测/预算", "Forecast vs budget"),
        ("latest_retros", "最新复盘", "Latest post-mortems"),
        ("retro", "复盘", "Post-mortem"),
        ("plan", "计划", "Plan"),
        ("as_of", "截至", "as of"),
        ("metric", "指标", "Metric"),
        ("metrics", "指标", "Metrics"),
        ("actual", "实际", "Actual"),
        ("target_value", "目标值", "Target"),
        ("expected", "应达", "Expected"),
        ("status", "状态", "Status"),
        ("value", "数值", "Value"),
        ("note", "说明", "Note"),
        ("category", "类别", "Category"),
        ("planned", "计划", "Planned"),
        ("current", "现行", "Current"),
        ("committed", "已签约", "Committed"),
        ("phases", "阶段", "Phases"),
        ("risk", "风险", "Risk"),
        ("level", "等级", "Level"),
        ("trigger", "触发条件", "Trigger"),
        ("fired", "已触发", "Fired"),
        ("quality", "数据质量", "Data quality"),
        ("toc", "目录", "Contents"),
        (
            "used_by",
            "使用本手册的活动",
            "Campaigns that used this playbook",
        ),
        ("no_kpis", "暂无数据", "No data yet"),
        ("goals", "目标体系", "Goals"),
        ("statement", "表述", "Statement"),
        ("objectives", "目标", "Objectives"),
        ("team", "团队", "Team"),
        ("role", "角色", "Role"),
        ("responsibilities", "职责", "Responsibilities"),
        ("reserve", "备用金", "Reserve"),
        ("work_packages", "工作包", "Work packages"),
        ("name", "名称", "Name"),
        ("other_name", "英文名", "Chinese name"),
        ("funnel", "转化漏斗", "Funnel"),
        ("definition", "定义", "Definition"),
        ("community", "社群", "Community"),
        ("platform", "平台", "Platform"),
        ("capacity", "容量", "Capacity"),
        ("generated_summary", "自动生成的结果", "Generated results"),
        ("growth", "增长与规模", "Growth and membership"),
        ("engagement", "活跃与互动", "Engagement"),
        ("commercial", "转化与营收", "Conversion and commercial"),
        ("chaoss", "贡献者（CHAOSS）", "Contributors (CHAOSS)"),
        ("other_metrics", "其他指标", "Other metrics"),
        ("formula", "公式", "Formula"),
        ("aggregation", "期间汇总", "Aggregation"),
        ("unit", "单位", "Unit"),
        ("direction", "方向", "Direction"),
        ("targeted_by", "设为目标的活动", "Targeted by"),
        ("by_category", "按类别", "By category"),
        ("overrun", "超支率", "Overrun"),
        (
            "heatmap",
            "风险热力图（概率 × 影响）",
            "Risk heat map (probability × impact)",
        ),
        ("register", "风险登记册", "Risk register"),
        (
            "not_found",
            "页面不存在。请从站点首页重新进入。",
            "This page does not exist. Start again from the site's home page.",
        ),
        ("audience", "用户画像", "Audience"),
        ("age", "年龄", "Age"),
        ("gender", "性别比例", "Gender"),
        ("interests", "兴趣", "Interests"),
        ("pain_points", "痛点", "Pain points"),
        ("content", "内容规划", "Content"),
        ("pillar", "内容支柱", "Pillar"),
        ("cadence", "互动节奏", "Cadence"),
        ("source", "内容来源", "Source"),
        ("review", "审核流程", "Review"),
        ("calendar", "内容日历", "Calendar"),
        ("activities", "活动安排", "Activities"),
        ("expected_participants", "预计人数", "Expected participants"),
        ("mechanics", "玩法", "Mechanics"),
        ("incentives", "激励体系", "Incentives"),
        ("points", "积分", "Points"),
        ("badge", "勋章", "Badge"),
        ("channels", "渠道与推广节奏", "Channels and promotion"),
        (
            "resources",
            "物料、供应商与工具",
            "Materials, suppliers and tools",
        ),
        ("compliance", "合规", "Compliance"),
        ("personal_data", "个人数据", "Personal data"),
        ("ip_policy", "知识产权", "IP policy"),
        ("third_party", "第三方审核", "Third-party review"),
        ("doc_campaign_background", "项目背景", "Background"),
        ("doc_campaign_market", "市场分析", "Market"),
        ("doc_community_visual_style", "视觉风格", "Visual style"),
        ("doc_community_culture", "社群文化", "Community culture"),
        ("doc_team_skills", "团队能力", "Team skills"),
        ("doc_team_performance", "绩效考核", "Performance review"),
        ("doc_compliance_notes", "合规说明", "Compliance notes"),
        ("doc_other", "策划文档", "Plan document"),
        (
            "chart_activity",
            "日活跃率与 30 日活跃率（%）与目标",
            "Daily and 30-day active rates (%) against their targets",
        ),
        ("active_rate_pct", "日活跃率 %", "Active rate %"),
        (
            "chart_revenue",
            "累计归因销售额与累计支出",
            "Cumulative attributed revenue against spend",
        ),
        ("revenue", "归因销售额", "Attributed revenue"),
        ("cost", "支出", "Spend"),
        (
            "chart_portfolio",
            "各活动预算使用与完工预测（占总预算 %）",
            "Budget used and forecast per campaign (% of budget)",
        ),
        (
            "chart_churn",
            "月流失率（%，活动开始至当日）与目标",
            "Monthly churn (%, campaign to date) against the target",
        ),
        ("churn_pct", "月流失率 %", "Monthly churn %"),
        ("action_items", "行动项", "Action items"),
        ("action", "行动", "Action"),
        ("due", "截止", "Due"),
        ("priority", "优先级", "Priority"),
        ("overdue", "已逾期", "overdue"),
        ("carried_over", "上期遗留", "carried over"),
        ("search", "搜索", "Search"),
        ("charts", "图表", "Charts"),
        (
            "chart_members",
            "社群规模与目标轨迹",
            "Community size against the target trajectory",
        ),
        (
            "chart_budget",
            "各类别预算与实际支出",
            "Budget and actual cost by category",
        ),
        ("members", "成员数", "Members"),
        (
            "chart_speakers",
            "每日发言人数与目标",
            "Daily speakers against the target",
        ),
        ("speakers", "发言人数", "Speakers"),
        ("floor", "警戒线", "Floor"),
        (
            "chart_funnel",
            "转化漏斗（活动期间累计）",
            "Conversion funnel (campaign totals)",
        ),
        ("people", "人数", "People"),
        (
            "chart_burnup",
            "累计计划价值、挣值与实际成本",
            "Burn-up: planned value, earned value, actual cost",
        ),
        ("trajectory", "目标轨迹", "Trajectory"),
        ("chart_data", "图表数据", "Chart data"),
        (
            "search_label",
            "输入关键词（中文按两字词匹配）",
            "Words to find",
        ),
        (
            "search_nojs",
            "搜索需要 JavaScript；下面列出了全部页面。",
            "Search needs JavaScript; every page is listed below.",
        ),
        ("all_pages", "全部页面", "All pages"),
        (
            "active_rate_30d_pct",
            "30日活跃率 %",
            "30-day active rate %",
        ),
        (
            "chart_bridge",
            "预算桥：从预算到实际成本（按类别的超支与结余）",
            "Budget bridge: from budget to actual cost by category",
        ),
        (
            "chart_bridge_running",
            "预算桥：从预算到目前的实际成本（按类别的超支与尚未发生的部分）",
            "Budget bridge: from budget to the cost so far by category (overruns and what has not been spent yet)",
        ),
        ("actual_cost_so_far", "目前实际成本", "Cost so far"),
        ("budget_total", "预算", "Budget"),
        ("actual_cost", "实际成本", "Actual cost"),
        ("retro_status", "复盘状态", "Status"),
        ("draft", "草稿", "draft"),
        ("in_review", "评审中", "in review"),
        ("final", "定稿", "final"),
        ("authors", "撰写", "Authors"),
        ("retro_date", "复盘日期", "Held on"),
        ("data_sources", "数据来源", "Data sources"),
        ("file", "文件", "File"),
        ("encoding", "编码", "Encoding"),
        ("rows", "行数", "Rows"),
        ("daily_coverage", "日数据覆盖率", "Daily data coverage"),
        ("tool_version", "工具版本", "Tool version"),
        ("catalog_version", "指标目录版本", "KPI catalog version"),
        ("period", "周期", "Period"),
        ("s_summary", "总结", "Summary"),
        ("s_targets", "目标达成", "Goals and targets"),
        ("s_results", "结果数据", "Results in numbers"),
        ("s_timeline", "时间线", "Timeline"),
        ("s_phases", "分阶段回顾", "Phase review"),
        ("s_funnel", "转化漏斗", "Funnel analysis"),
        ("s_content", "内容与活动", "Content and activities"),
        ("s_budget", "预算复盘", "Budget review"),
        ("s_variances", "关键偏差说明", "Variance explanations"),
        ("s_risks", "风险回顾", "Risk review"),
        ("s_went_well", "做得好的", "What went well"),
        ("s_went_wrong", "做得不好的", "What went wrong"),
        ("s_lucky", "侥幸之处", "Where we got lucky"),
        ("s_root_causes", "根因分析", "Root causes"),
        ("s_next", "下期迭代", "Next-plan changes"),
        ("s_appendix", "附录", "Appendix"),
        ("s_others", "其他记录", "Other notes"),
        ("todo", "待填写", "To be written"),
        ("unexplained", "⚠ 待说明", "⚠ needs an explanation"),
        ("explained", "已说明", "explained"),
        (
            "explain_under",
            "在 retro.md 中写在标题",
            "write it in retro.md under",
        ),
        ("reserve_used", "已用备用金", "Reserve used"),
        (
            "top_deviations",
            "偏差最大的三项",
            "Three largest deviations",
        ),
        ("tolerances", "个容差", "tolerances"),
        ("goal", "所属目标", "Goal"),
        ("baseline", "基线", "Baseline"),
        ("gap", "差距", "Gap"),
        ("low_coverage", "数据覆盖不足", "low coverage"),
        ("smart", "SMART 拆解", "SMART breakdown"),
        ("date", "日期", "Date"),
        ("event", "事件", "Event"),
        ("ev_phase_start", "阶段开始", "Phase starts"),
        ("ev_phase_end", "阶段结束", "Phase ends"),
        ("ev_milestone", "里程碑截止", "Milestone due"),
        ("ev_activity", "活动", "Activity"),
        ("ev_promotion", "推广节奏", "Promotion step"),
        ("ev_revision", "预算调整", "Budget revision"),
        ("ev_risk_fired", "风险触发", "Risk trigger fired"),
        ("ev_note", "复盘备注", "Note"),
        ("done_on", "完成于", "done on"),
        ("days_late", "天延迟", "days late"),
        ("on_time", "按时", "on time"),
        ("not_done", "未完成", "not done"),
        ("phase", "阶段", "Phase"),
        ("not_started", "未开始", "not started"),
        ("stage", "环节", "Stage"),
        ("step_rate", "环节转化率", "Step rate"),
        ("step_target", "环节目标", "Step target"),
        ("drop_off", "流失人数", "Drop-off"),
        (
            "funnel_caveat",
            "漏斗各环节是期间汇总人数，不是逐人追踪的队列，环节转化率是近似值。",
            "Each stage is a period total, not a tracked cohort: step rates are approximate.",
        ),
        ("evm", "挣值指标", "Earned-value measures"),
        ("ev_bac", "完工预算", "BAC"),
        ("ev_pv", "计划价值", "PV"),
        ("ev_ev", "挣值", "EV"),
        ("ev_ac", "实际成本", "AC"),
        ("ev_cv", "成本偏差", "CV"),
        ("ev_sv", "进度偏差", "SV"),
        ("ev_cpi", "成本绩效指数", "CPI"),
        ("ev_spi", "进度绩效指数", "SPI"),
        (
            "ev_eac_typical",
            "完工估算（按目前的成本效率）",
            "EAC (BAC/CPI)",
        ),
        (
            "ev_eac_atypical",
            "完工估算（余下按计划花）",
            "EAC (AC+BAC−EV)",
        ),
        (
            "ev_eac_composite",
            "完工估算（按成本与进度效率）",
            "EAC (CPI×SPI)",
        ),
        ("ev_alternative", "，另一种估算", ", an alternative"),
        ("ev_vac", "完工偏差", "VAC"),
        ("ev_tcpi", "完工尚需绩效指数", "TCPI"),
        ("data_download", "数据下载（JSON）", "Data (JSON)"),
        ("pp_unit", " 个百分点", "pp"),
        ("target_window", "考核期", "measured"),
        ("previous_campaign", "上期", "last time"),
        (
            "previous_is",
            "上期指同一社群的上一个活动",
            "“Last time” is the community's campaign before this one",
        ),
        ("fte", "投入人力（全职人数）", "FTE"),
        ("share", "支出占比", "Share of spend"),
        ("planned_share", "计划占比", "Planned share"),
        ("actual_share", "实际占比", "Actual share"),
        ("drift", "偏移", "Drift"),
        (
            "flagged",
            "需说明的偏差",
            "Variances that need an explanation",
        ),
        ("response", "计划应对", "Planned response"),
        ("fired_value", "触发值", "Value"),
        ("not_fired", "未触发", "not fired"),
        ("explanation", "说明", "Explanation"),
        (
            "prompts",
            "数据提示（仅供讨论，不会写入正文）",
            "Prompts from the data (for discussion; never part of the text)",
        ),
        ("p_met_early", "提前达成的目标", "Targets met early"),
        ("p_met", "达成的目标", "Targets met"),
        (
            "p_cpi_ok",
            "成本绩效指数 ≥ 1 的类别",
            "Categories with CPI ≥ 1",
        ),
        ("p_missed", "未达成的目标", "Targets missed"),
        ("p_at_risk", "有风险的目标", "Targets at risk"),
        (
            "p_cpi_below",
            "成本绩效指数 < 0.9 的类别",
            "Categories with CPI < 0.9",
        ),
        ("p_over", "超支的类别", "Categories over budget"),
        ("p_risks_fired", "触发了的风险", "Risks whose trigger fired"),
        (
            "p_within_tolerance",
            "差距在容差以内的未达成目标",
            "Targets missed by less than their tolerance",
        ),
        (
            "p_low_confidence",
            "数据覆盖不足时判为达成的目标",
            "Targets met on thin data",
        ),
        (
            "blame_warnings",
            "用词提醒：以下句子把角色和归责词放在一起。复盘只谈流程与系统，不追究个人。",
            "Wording check: these sentences put a role next to a blame word. Post-mortems name processes and systems, not people.",
        ),
        ("line", "行", "line"),
        (
            "hints",
            "数据提示（建议，不是决定）",
            "Hints from the data (suggestions, not decisions)",
        ),
        (
            "h_raise",
            "超出目标较多，下期可考虑设更高的要求",
            "beaten by a wide margin: consider a more ambitious target",
        ),
        (
            "h_lower",
            "远低于上限，下期可考虑把上限定得更低",
            "well under its ceiling: consider a lower ceiling",
        ),
        (
            "h_fix_data",
            "状态未知：先补齐数据采集",
            "status unknown: fix the data collection first",
        ),
        (
            "h_resplit",
            "支出占比偏离计划，下期可按实际占比重新分配",
            "share of spend drifted: re-split from the actual share",
        ),
        ("kpi_definitions", "所用指标定义", "KPI definitions used"),
        ("option", "选项", "Option"),
        (
            "see_glossary",
            "完整定义见 KPI 词典",
            "Full definitions are in the KPI glossary",
        ),
        ("decisions", "本期决定", "Decisions"),
        ("met", "达成", "met"),
        ("on_track", "进度正常", "on track"),
        ("at_risk", "有风险", "at risk"),
        ("missed", "未达成", "missed"),
        ("unknown", "未知", "unknown"),
        ("ok", "正常", "ok"),
        ("underspend", "支出偏慢", "underspend"),
        ("warn", "预警", "warn"),
        ("over", "超支", "over"),
        ("no_data", "无支出数据", "no spend data"),
    ];
    let map: serde_json::Map<String, Value> = pairs
        .iter()
        .map(|(k, zh, en)| {
            (
                k.to_string(),
                json!(if lang == Language::ZhCn { zh } else { en }),
            )
        })
        .collect();
    Value::Object(map)
}

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
    fn every_ui_key_is_defined_once() {
        // `ui` builds a map: a key given twice would silently keep only its last words.
        let source = include_str!("format.rs");
        let body = &source[source.find("pub fn ui(lang").unwrap()..];
        let body = &body[..body.find("let map: serde_json::Map").unwrap()];
        let mut keys: Vec<&str> = body
            .split('(')
            .skip(1)
            .filter_map(|t| t.trim_start().strip_prefix('"')?.split('"').next())
            .filter(|k| {
                k.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            })
            .collect();
        let all = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert!(all > 250, "only {all} keys found");
        assert_eq!(keys.len(), all, "a ui key is defined twice");
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
