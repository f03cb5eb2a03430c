//! The KPI catalog of docs/reference.md#kpi-catalog, as data: one source for validation (is this
//! metric id known, which columns does it need), the `kpis` command and the glossary page.

use crate::model::plan::Direction::{self, HigherIsBetter as Up, LowerIsBetter as Down};

/// The unit a metric is expressed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A fraction shown as a percentage.
    Ratio,
    /// Persons, messages or other counts (possibly a mean per day).
    Count,
    /// Money in the plan currency.
    Money,
    /// Minutes.
    Minutes,
    /// Hours.
    Hours,
    /// A multiple, shown as `1:x` or `x×`.
    Times,
    /// A score (NPS points, net sentiment −1…1).
    Score,
    /// A calendar date.
    Date,
}

/// The catalog group a metric belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Growth and membership.
    Growth,
    /// Engagement.
    Engagement,
    /// Conversion and commercial.
    Commercial,
    /// CHAOSS-aligned contributor metrics.
    Chaoss,
}

/// Where a metric's inputs come from, beyond `date` and `members`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Daily columns only (all of them are needed).
    Daily(&'static [&'static str]),
    /// Daily columns plus the spend ledger.
    DailyAndLedger(&'static [&'static str]),
    /// A file that v1 does not read; the metric is listed as "not computable: needs …".
    External(Export),
}

/// The data a metric needs that this version does not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    /// A member list (`members.csv`).
    Members,
    /// A member list with the day each member entered their tier.
    MembersWithTierSince,
    /// A per-member activity log.
    ActivityLog,
    /// Attendance per activity (`activities.csv`).
    Activities,
    /// Calendar rows of `progress.csv`.
    ProgressCalendar,
    /// Revenue attributed per ad channel.
    AdChannelRevenue,
    /// Survey answers (`survey.csv`).
    Survey,
    /// Each member's tier changes over time.
    TierHistory,
}

impl Export {
    /// The file or data, in English.
    pub fn describe(self) -> &'static str {
        match self {
            Export::Members => "members.csv",
            Export::MembersWithTierSince => "members.csv with tier_since",
            Export::ActivityLog => "an activity log",
            Export::Activities => "activities.csv",
            Export::ProgressCalendar => "progress.csv calendar rows",
            Export::AdChannelRevenue => "revenue per ad channel",
            Export::Survey => "survey.csv",
            Export::TierHistory => "a tier history per member",
        }
    }
}

impl std::fmt::Display for Export {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

/// The catalog's version, shown in post-mortems: bumped whenever a formula or an aggregation
/// changes, so numbers from different versions are not compared unawares.
pub const VERSION: &str = "1";

/// One catalog entry.
#[derive(Debug, Clone, Copy)]
pub struct MetricDef {
    /// Stable id referenced by `targets[].metric`.
    pub id: &'static str,
    /// Chinese name.
    pub zh: &'static str,
    /// English name.
    pub en: &'static str,
    /// The formula, as the glossary shows it.
    pub formula: &'static str,
    /// Period aggregation, as the glossary shows it.
    pub aggregation: &'static str,
    /// Unit.
    pub unit: Unit,
    /// Which way is better.
    pub direction: Direction,
    /// Inputs.
    pub source: Source,
    /// Catalog group.
    pub group: Group,
    /// Cumulative and non-decreasing within a window: may be `met` early
    /// (docs/rules.md#target-status step 5).
    pub cumulative: bool,
}

macro_rules! m {
    ($id:literal, $zh:literal, $en:literal, $formula:literal, $agg:literal, $unit:ident, $dir:ident, $src:expr, $group:ident $(, $cum:literal)?) => {
        MetricDef {
            id: $id, zh: $zh, en: $en, formula: $formula, aggregation: $agg,
            unit: Unit::$unit, direction: $dir, source: $src, group: Group::$group,
            cumulative: false $(|| $cum)?,
        }
    };
}

use Source::{Daily, DailyAndLedger, External};

/// Every catalog metric, in reference order.
pub const CATALOG: &[MetricDef] = &[
    m!(
        "members_end",
        "社群规模",
        "Community size",
        "members@E′",
        "last",
        Count,
        Up,
        Daily(&[]),
        Growth
    ),
    m!(
        "net_growth",
        "净增成员",
        "Net growth",
        "members_end − members_start",
        "last − start",
        Count,
        Up,
        Daily(&[]),
        Growth
    ),
    m!(
        "growth_rate",
        "成员增长率",
        "Growth rate",
        "net_growth / members_start",
        "ratio",
        Ratio,
        Up,
        Daily(&[]),
        Growth
    ),
    m!(
        "joins",
        "新增成员",
        "Gross joins",
        "Σjoined",
        "sum",
        Count,
        Up,
        Daily(&["joined"]),
        Growth,
        true
    ),
    m!(
        "churn_rate",
        "流失率（期间）",
        "Churn rate",
        "Σleft / members_start",
        "sum ÷ stock at start",
        Ratio,
        Down,
        Daily(&["left"]),
        Growth
    ),
    m!(
        "churn_rate_monthly",
        "月流失率",
        "Monthly churn",
        "1 − (1 − churn_rate)^(30/L)",
        "normalised to 30 days",
        Ratio,
        Down,
        Daily(&["left"]),
        Growth
    ),
    m!(
        "retention_membership",
        "N日成员留存",
        "N-day membership retention",
        "members who joined in W and are still members N days later / those who joined in W with N days behind them at the report date",
        "Σretained / Σcohort (later joiners censored)",
        Ratio,
        Up,
        External(Export::Members),
        Growth
    ),
    m!(
        "retention_activity",
        "N日活跃留存",
        "N-day activity retention",
        "cohort members active on day N / cohort size",
        "Σretained / Σcohort",
        Ratio,
        Up,
        External(Export::ActivityLog),
        Growth
    ),
    m!(
        "new_high_value_members",
        "新增高价值用户",
        "New high-value members",
        "members first entering a high-value tier",
        "sum per bucket",
        Count,
        Up,
        External(Export::MembersWithTierSince),
        Growth,
        true
    ),
    m!(
        "tier_share",
        "层级占比",
        "Tier share",
        "members in the tier at E′ / members at E′ (members file)",
        "point-in-time",
        Ratio,
        Up,
        External(Export::Members),
        Growth
    ),
    m!(
        "tier_conversion",
        "层级转化率",
        "Tier conversion",
        "members moving into the tier in W / members of the tier below at s",
        "ratio",
        Ratio,
        Up,
        External(Export::TierHistory),
        Growth
    ),
    m!(
        "referral_share",
        "裂变入群占比",
        "Referral share of joins",
        "Σreferral_joins / Σjoined",
        "ratio of sums",
        Ratio,
        Up,
        Daily(&["referral_joins", "joined"]),
        Growth
    ),
    m!(
        "dau_mean",
        "日均活跃人数",
        "Mean DAU",
        "Σactive_members / n",
        "mean of days present",
        Count,
        Up,
        Daily(&["active_members"]),
        Engagement
    ),
    m!(
        "active_rate_daily",
        "日活跃率",
        "Daily active rate",
        "Σactive_members / Σmembers",
        "ratio of sums (option: mean_of_daily)",
        Ratio,
        Up,
        Daily(&["active_members"]),
        Engagement
    ),
    m!(
        "active_rate_30d",
        "30日活跃率",
        "30-day active rate",
        "active_members_30d@E′ / members@E′",
        "point-in-time",
        Ratio,
        Up,
        Daily(&["active_members_30d"]),
        Engagement
    ),
    m!(
        "active_rate_7d",
        "周活跃率",
        "7-day active rate",
        "active_members_7d@E′ / members@E′",
        "point-in-time",
        Ratio,
        Up,
        Daily(&["active_members_7d"]),
        Engagement
    ),
    m!(
        "lurker_share",
        "潜水率",
        "Silent-member share",
        "1 − active_rate_30d",
        "point-in-time",
        Ratio,
        Down,
        Daily(&["active_members_30d"]),
        Engagement
    ),
    m!(
        "stickiness",
        "粘性 DAU/MAU",
        "Stickiness DAU/MAU",
        "mean(active_members over [E′−29, E′]) / active_members_30d@E′",
        "ratio",
        Ratio,
        Up,
        Daily(&["active_members", "active_members_30d"]),
        Engagement
    ),
    m!(
        "avg_daily_speakers",
        "日均发言人次",
        "Mean daily speakers",
        "Σspeakers / n",
        "mean of days present",
        Count,
        Up,
        Daily(&["speakers"]),
        Engagement
    ),
    m!(
        "speaker_rate_daily",
        "日发言率",
        "Daily speaker rate",
        "Σspeakers / Σmembers",
        "ratio of sums (option: mean_of_daily)",
        Ratio,
        Up,
        Daily(&["speakers"]),
        Engagement
    ),
    m!(
        "speaker_rate_7d",
        "周发言比例",
        "Weekly unique-speaker share",
        "unique speakers in [E′−6, E′] / members@E′",
        "point-in-time",
        Ratio,
        Up,
        External(Export::ActivityLog),
        Engagement
    ),
    m!(
        "messages_per_day",
        "日均发言数",
        "Messages per day",
        "Σmessages / n",
        "mean",
        Count,
        Up,
        Daily(&["messages"]),
        Engagement
    ),
    m!(
        "messages_per_speaker",
        "人均发言条数",
        "Messages per speaker",
        "Σmessages / Σspeakers",
        "ratio of sums",
        Count,
        Up,
        Daily(&["messages", "speakers"]),
        Engagement
    ),
    m!(
        "checkin_rate",
        "签到率",
        "Check-in rate",
        "Σcheckins / Σmembers",
        "ratio of sums",
        Ratio,
        Up,
        Daily(&["checkins"]),
        Engagement
    ),
    m!(
        "ugc_share",
        "UGC占比",
        "UGC share",
        "Σugc_posts / Σposts",
        "ratio of sums",
        Ratio,
        Up,
        Daily(&["ugc_posts", "posts"]),
        Engagement
    ),
    m!(
        "time_to_first_response",
        "首次响应时长",
        "Time to first response",
        "Σ(first_response_median_min × questions) / Σquestions",
        "question-weighted mean of daily medians (approximate)",
        Minutes,
        Down,
        Daily(&["first_response_median_min", "questions"]),
        Engagement
    ),
    m!(
        "response_rate",
        "问题响应率",
        "Answered share",
        "Σquestions_answered / Σquestions",
        "ratio of sums",
        Ratio,
        Up,
        Daily(&["questions_answered", "questions"]),
        Engagement
    ),
    m!(
        "event_coverage",
        "活动覆盖率",
        "Event coverage",
        "|⋃ attendees| / members@E′",
        "union ÷ point-in-time",
        Ratio,
        Up,
        External(Export::Activities),
        Engagement
    ),
    m!(
        "event_attendance_rate",
        "单场参与率",
        "Per-event attendance",
        "participants(a) / members@date(a)",
        "per event",
        Ratio,
        Up,
        External(Export::Activities),
        Engagement
    ),
    m!(
        "calendar_execution_rate",
        "内容日历执行率",
        "Calendar execution",
        "delivered items ÷ planned items due ≤ E",
        "ratio",
        Ratio,
        Up,
        External(Export::ProgressCalendar),
        Engagement
    ),
    m!(
        "ops_hours_weekly",
        "周运营工时",
        "Weekly operator hours",
        "Σops_hours per ISO week",
        "per complete week",
        Hours,
        Up,
        Daily(&["ops_hours"]),
        Engagement
    ),
    m!(
        "net_sentiment",
        "净情感值",
        "Net sentiment",
        "(Σpos − Σneg) / (Σpos + Σneg)",
        "ratio of sums",
        Score,
        Up,
        Daily(&["sentiment_pos", "sentiment_neg"]),
        Engagement
    ),
    m!(
        "nps",
        "净推荐值",
        "NPS",
        "%promoters − %detractors",
        "over responses in W",
        Score,
        Up,
        External(Export::Survey),
        Engagement
    ),
    m!(
        "funnel_overall_rate",
        "整体转化率",
        "Overall conversion",
        "Σstage_last / Σstage_first",
        "ratio of sums",
        Ratio,
        Up,
        Daily(&[]),
        Commercial
    ),
    m!(
        "buyer_penetration",
        "成员购买渗透率",
        "Buyer penetration",
        "unique buyers in W / members@E′",
        "uniques ÷ point-in-time",
        Ratio,
        Up,
        External(Export::Members),
        Commercial
    ),
    m!(
        "repurchase_rate",
        "复购率",
        "Repurchase rate",
        "members with ≥2 orders / members with ≥1 order",
        "ratio of uniques",
        Ratio,
        Up,
        External(Export::Members),
        Commercial
    ),
    m!(
        "gmv",
        "GMV",
        "Gross merchandise value",
        "Σgmv",
        "sum",
        Money,
        Up,
        Daily(&["gmv"]),
        Commercial,
        true
    ),
    m!(
        "net_revenue",
        "净销售额",
        "Net revenue",
        "Σpaid_revenue − Σrefunds",
        "sum",
        Money,
        Up,
        Daily(&["paid_revenue"]),
        Commercial,
        true
    ),
    m!(
        "aov",
        "客单价",
        "Average order value",
        "Σpaid_revenue / Σorders",
        "ratio of sums",
        Money,
        Up,
        Daily(&["paid_revenue", "orders"]),
        Commercial
    ),
    m!(
        "arpu",
        "ARPU",
        "ARPU",
        "net_revenue / mean(members)",
        "ratio",
        Money,
        Up,
        Daily(&["paid_revenue"]),
        Commercial
    ),
    m!(
        "roi_ratio",
        "投入产出比",
        "Revenue-to-cost ratio",
        "Σattributed_revenue / AC_total",
        "ratio",
        Times,
        Up,
        DailyAndLedger(&["attributed_revenue"]),
        Commercial
    ),
    m!(
        "roi",
        "投资回报率",
        "ROI (profit)",
        "(Σattributed_revenue × gross_margin − AC_total) / AC_total",
        "ratio",
        Ratio,
        Up,
        DailyAndLedger(&["attributed_revenue"]),
        Commercial
    ),
    m!(
        "roas",
        "广告支出回报",
        "ROAS",
        "revenue from ad_spend channels ÷ AC booked to them",
        "ratio",
        Times,
        Up,
        External(Export::AdChannelRevenue),
        Commercial
    ),
    m!(
        "cac_member",
        "拉新成本",
        "Cost per new member",
        "AC(acquisition_cost categories) / Σjoined",
        "ratio",
        Money,
        Down,
        DailyAndLedger(&["joined"]),
        Commercial
    ),
    m!(
        "cac_customer",
        "获客成本",
        "Cost per new buyer",
        "AC(acquisition_cost categories) / new buyers",
        "ratio",
        Money,
        Down,
        External(Export::Members),
        Commercial
    ),
    m!(
        "cost_per_member_month",
        "人均月成本",
        "Cost per member-month",
        "AC_total / (mean(members) × L/30)",
        "ratio",
        Money,
        Down,
        DailyAndLedger(&[]),
        Commercial
    ),
    m!(
        "payback_day",
        "投资回收日",
        "Payback date",
        "first d where Σattributed_revenue × margin ≥ ΣAC",
        "first crossing",
        Date,
        Up,
        DailyAndLedger(&["attributed_revenue"]),
        Commercial
    ),
    m!(
        "contributors",
        "贡献者数",
        "Contributors",
        "distinct members with ≥1 contribution in W",
        "unique count",
        Count,
        Up,
        External(Export::ActivityLog),
        Chaoss
    ),
    m!(
        "new_contributors",
        "新贡献者",
        "New contributors",
        "members whose first contribution is in W",
        "unique count",
        Count,
        Up,
        External(Export::ActivityLog),
        Chaoss
    ),
    m!(
        "inactive_contributors",
        "沉默化贡献者",
        "Inactive contributors",
        "members whose last contribution is before E′ − interval",
        "count per period",
        Count,
        Down,
        External(Export::ActivityLog),
        Chaoss
    ),
];

/// Metric-id families with a suffix: `funnel_step_rate.<stage>`, `cadence_effort_share.<id>`,
/// `tier_conversion.<tier>`, `tier_share.<tier>`, `retention_membership.<days>`,
/// `retention_activity.<days>`, `event_attendance_rate.<activity>`.
pub const FAMILIES: &[&str] = &[
    "funnel_step_rate",
    "cadence_effort_share",
    "tier_conversion",
    "tier_share",
    "retention_membership",
    "retention_activity",
    "event_attendance_rate",
];

/// The metrics of [`Source::External`] data that this version computes, from `data.members`
/// and `data.activities` (with an events log for `retention_activity`): the formulas are in
/// `compute::members`. `tier_conversion` is not among them: it needs a tier history.
pub const FROM_MEMBER_FILES: &[&str] = &[
    "retention_membership",
    "retention_activity",
    "new_high_value_members",
    "tier_share",
    "event_attendance_rate",
    "event_coverage",
    "repurchase_rate",
    "buyer_penetration",
    "cac_customer",
];

/// Families whose members share their catalog entry (`retention_membership.7` is a
/// `retention_membership`): [`lookup`] finds the entry for them.
const ENTRY_FAMILIES: &[&str] = &[
    "tier_conversion",
    "tier_share",
    "retention_membership",
    "retention_activity",
    "event_attendance_rate",
];

impl MetricDef {
    /// Whether the formula reads the `members` column (directly, or through `churn_rate` or
    /// `active_rate_30d`). No export is required to have it; such a metric is then not
    /// computable.
    pub fn needs_members(&self) -> bool {
        self.formula.contains("members") || matches!(self.id, "churn_rate_monthly" | "lurker_share")
    }
}

/// Where metric `id` stands in the catalog's order (growth, activity, engagement, conversion,
/// revenue, cost): pages list metrics so, related figures side by side. A step of the funnel
/// stands after the overall conversion; a custom metric after every catalog one.
pub fn position(id: &str) -> usize {
    let family = match id.split_once('.') {
        Some(("funnel_step_rate", _)) => "funnel_overall_rate",
        Some((family, _)) => family,
        None => id,
    };
    CATALOG
        .iter()
        .position(|m| m.id == family)
        .unwrap_or(CATALOG.len())
}

/// The catalog entry for `id`, if any (families are not entries).
pub fn lookup(id: &str) -> Option<&'static MetricDef> {
    let id = match id.split_once('.') {
        Some((family, suffix)) if ENTRY_FAMILIES.contains(&family) && !suffix.is_empty() => family,
        _ => id,
    };
    CATALOG.iter().find(|m| m.id == id)
}

/// Metrics that allow `agg: mean_of_daily` (docs/rules.md#general-rules G7).
pub fn allows_mean_of_daily(id: &str) -> bool {
    matches!(id, "active_rate_daily" | "speaker_rate_daily")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for m in CATALOG {
            assert!(seen.insert(m.id), "duplicate {}", m.id);
            assert!(
                m.id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            );
        }
    }

    /// Issue #28 found `calendar_execution_rate` named "Overall conversion" (the funnel's name):
    /// every entry has a name of its own in both languages.
    #[test]
    fn no_two_entries_share_a_name() {
        let mut zh = std::collections::BTreeSet::new();
        let mut en = std::collections::BTreeSet::new();
        for m in CATALOG {
            assert!(zh.insert(m.zh), "{}: {}", m.id, m.zh);
            assert!(en.insert(m.en), "{}: {}", m.id, m.en);
        }
        assert_eq!(
            lookup("calendar_execution_rate").unwrap().en,
            "Calendar execution"
        );
    }

    #[test]
    fn daily_needs_name_canonical_columns() {
        for m in CATALOG {
            if let Source::Daily(cols) | Source::DailyAndLedger(cols) = m.source {
                for c in cols {
                    assert!(
                        crate::model::columns::daily_index(c).is_some(),
                        "{}: {c}",
                        m.id
                    );
                }
            }
        }
    }
}
