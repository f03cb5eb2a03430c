//! Canonical CSV columns (docs/reference.md#daily-export-columns) with their value kind, how they
//! aggregate, and the built-in alias dictionary used for header mapping
//! (docs/rules.md#header-mapping).

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A non-negative whole number of persons, messages, …
    Count,
    /// A signed decimal amount in the plan currency.
    Money,
    /// A non-negative real number (minutes, hours).
    Number,
}

/// How a column combines across rows of one day (breakdowns, groups).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nature {
    /// Flows that add up (`joined`, `messages`, `gmv`).
    Additive,
    /// A level at end of day (`members`): summed across disjoint groups, never across a
    /// breakdown of the same group.
    Stock,
    /// Same-day distinct counts (`active_members`, `speakers`): like a stock.
    DailyUnique,
    /// Rolling or cumulative uniques (`active_members_30d`): never summed at all.
    RollingUnique,
}

/// One canonical daily column.
#[derive(Debug, Clone, Copy)]
pub struct DailyColumn {
    /// Canonical name, e.g. `members`.
    pub name: &'static str,
    /// Cell type.
    pub kind: ValueKind,
    /// Aggregation behaviour.
    pub nature: Nature,
    /// Built-in source headers that map to it (compared after normalisation).
    pub aliases: &'static [&'static str],
}

impl DailyColumn {
    /// Its first Chinese header, for naming the column on a Chinese page (`posts` → 内容数).
    pub fn chinese_label(&self) -> Option<&'static str> {
        self.aliases.iter().copied().find(|a| !a.is_ascii())
    }
}

use Nature::*;
use ValueKind::*;

macro_rules! col {
    ($name:literal, $kind:expr, $nature:expr, [$($alias:literal),* $(,)?]) => {
        DailyColumn { name: $name, kind: $kind, nature: $nature, aliases: &[$($alias),*] }
    };
}

/// Every canonical daily column except `date`, `group_id` and `source`, in reference order.
/// A row stores values by index into this table.
pub const DAILY_COLUMNS: &[DailyColumn] = &[
    col!(
        "members",
        Count,
        Stock,
        [
            "群成员数",
            "群人数",
            "成员总数",
            "总人数",
            "Total membership",
            "total_membership"
        ]
    ),
    col!(
        "joined",
        Count,
        Additive,
        [
            "入群人数",
            "新增成员",
            "新增成员数",
            "新增人数",
            "new_members"
        ]
    ),
    col!(
        "left",
        Count,
        Additive,
        ["退群人数", "流失人数", "退出人数", "leavers"]
    ),
    col!("removed", Count, Additive, ["清退人数", "移出人数"]),
    col!(
        "active_members",
        Count,
        DailyUnique,
        ["活跃人数", "活跃成员数", "Daily active members"]
    ),
    col!(
        "speakers",
        Count,
        DailyUnique,
        [
            "发言人数",
            "发言成员数",
            "Daily members posting messages",
            "communicators"
        ]
    ),
    col!(
        "messages",
        Count,
        Additive,
        [
            "发言数",
            "消息数",
            "发言条数",
            "Messages in public channels"
        ]
    ),
    col!("reactions", Count, Additive, ["点赞数", "互动数"]),
    col!("checkins", Count, DailyUnique, ["签到人数", "打卡人数"]),
    col!(
        "active_members_7d",
        Count,
        RollingUnique,
        ["近7日活跃人数", "周活跃人数", "Weekly active members"]
    ),
    col!(
        "active_members_30d",
        Count,
        RollingUnique,
        ["近30日活跃人数", "月活跃人数"]
    ),
    col!("posts", Count, Additive, ["内容数"]),
    col!("quality_posts", Count, Additive, ["精华数"]),
    col!("ugc_posts", Count, Additive, ["UGC数"]),
    col!("questions", Count, Additive, ["提问数"]),
    col!("questions_answered", Count, Additive, ["已回复数"]),
    col!(
        "first_response_median_min",
        Number,
        Stock,
        ["首次响应时长", "平均响应时长"]
    ),
    col!("event_participants", Count, Additive, ["活动参与人数"]),
    col!("invites", Count, Additive, ["邀请人数"]),
    col!("referral_joins", Count, Additive, ["裂变入群人数"]),
    col!(
        "funnel_awareness",
        Count,
        Additive,
        ["曝光人数", "浏览人数"]
    ),
    col!("funnel_interest", Count, Additive, ["点击人数"]),
    col!("funnel_decision", Count, Additive, ["加购人数", "领券人数"]),
    col!("funnel_action", Count, Additive, ["支付人数"]),
    col!("orders", Count, Additive, ["订单数", "成交笔数"]),
    col!("buyers", Count, DailyUnique, ["成交人数", "下单人数"]),
    col!("buyers_repeat_to_date", Count, RollingUnique, ["复购人数"]),
    col!("gmv", Money, Additive, ["GMV", "成交金额", "下单金额"]),
    col!("paid_revenue", Money, Additive, ["实付金额", "销售额"]),
    col!("refunds", Money, Additive, ["退款金额"]),
    col!("attributed_revenue", Money, Additive, ["社群归因销售额"]),
    col!("sentiment_pos", Count, Additive, ["正面声量"]),
    col!("sentiment_neg", Count, Additive, ["负面声量"]),
    col!("feedback_items", Count, Additive, ["意见反馈数"]),
    col!("ops_hours", Number, Additive, ["运营工时"]),
];

/// Aliases of the daily key columns.
pub const DATE_ALIASES: &[&str] = &[
    "日期",
    "统计日期",
    "时间",
    "Date",
    "day",
    "interval_start_timestamp",
];
/// Aliases of the group column.
pub const GROUP_ALIASES: &[&str] = &["群ID", "群名称", "群聊", "group_id"];
/// Aliases of the long-format source column.
pub const SOURCE_ALIASES: &[&str] = &["渠道", "来源", "source_code"];

/// Index of a canonical daily column by name.
pub fn daily_index(name: &str) -> Option<usize> {
    DAILY_COLUMNS.iter().position(|c| c.name == name)
}

/// The canonical names of the daily file, keys included, for "did you mean" hints.
pub fn daily_names() -> impl Iterator<Item = &'static str> {
    ["date", "group_id", "source"]
        .into_iter()
        .chain(DAILY_COLUMNS.iter().map(|c| c.name))
}

/// The canonical columns of an event log (one row per message or membership event): name,
/// required, aliases.
pub const EVENT_COLUMNS: &[(&str, bool, &[&str])] = &[
    (
        "timestamp",
        true,
        &[
            "时间",
            "发送时间",
            "消息时间",
            "time",
            "date",
            "datetime",
            "created_at",
            "sent_at",
            "ts",
        ],
    ),
    (
        "id",
        false,
        &[
            "消息ID",
            "消息编号",
            "message_id",
            "msg_id",
            "event_id",
            "uuid",
        ],
    ),
    (
        "actor",
        false,
        &[
            "发送者",
            "发言人",
            "成员ID",
            "用户ID",
            "用户",
            "sender",
            "sender_id",
            "author",
            "author_id",
            "user",
            "user_id",
            "member_id",
            "message_from",
            "from",
        ],
    ),
    (
        "carrier",
        false,
        &[
            "群",
            "群名",
            "群ID",
            "群名称",
            "频道",
            "group",
            "group_id",
            "channel",
            "channel_id",
            "mailing_list",
        ],
    ),
    (
        "kind",
        false,
        &["类型", "事件类型", "type", "event", "event_type"],
    ),
];

/// One canonical ledger column: name, required, aliases.
pub const LEDGER_COLUMNS: &[(&str, bool, &[&str])] = &[
    (
        "date",
        true,
        &["日期", "发生日期", "记账日期", "Month", "Date"],
    ),
    ("entry_id", false, &["单号", "凭证号", "编号"]),
    ("category", true, &["费用类别", "科目", "类别", "Category"]),
    ("amount", true, &["金额", "费用", "支出", "Cost", "Actual"]),
    ("status", false, &["状态"]),
    ("work_package", false, &["项目编号", "工作包"]),
    ("channel", false, &["渠道"]),
    ("description", false, &["摘要"]),
    ("vendor", false, &["供应商"]),
    ("invoice_ref", false, &["发票号"]),
    ("approved_by", false, &["审批人"]),
    ("cost_type", false, &["成本类型"]),
    ("budget", false, &["Budget", "预算"]),
    // The first day a report row covers, when each row carries its own range (Meta's
    // `Reporting starts`): the row is dated `date`, its last day.
    ("period_start", false, &[]),
];

/// The canonical progress columns (docs/reference.md#progresscsv): name, required, aliases.
pub const PROGRESS_COLUMNS: &[(&str, bool, &[&str])] = &[
    ("as_of", true, &["日期", "截至日期"]),
    ("work_package", true, &["工作包", "项目编号"]),
    ("percent_complete", true, &["完成度", "完成百分比"]),
];

/// The headers of a member id, the same in a members file and an activities file (an attendance
/// sheet exported beside a member list names its members as the list does).
const MEMBER_ID_ALIASES: &[&str] = &[
    "成员ID",
    "用户ID",
    "会员ID",
    "会员编号",
    "客户编号",
    "user_id",
    "uid",
];

/// The canonical columns of a members file (docs/members.md#the-members-file): name, required,
/// aliases. The WeCom customer list's own headers are in its profile.
pub const MEMBER_COLUMNS: &[(&str, bool, &[&str])] = &[
    ("member_id", true, MEMBER_ID_ALIASES),
    (
        "joined_on",
        true,
        &[
            "入群时间",
            "入群日期",
            "加入时间",
            "加入日期",
            "添加时间",
            "joined",
            "join_date",
            "joined_at",
        ],
    ),
    (
        "left_on",
        false,
        &[
            "退群时间",
            "退群日期",
            "离开时间",
            "left",
            "left_at",
            "leave_date",
        ],
    ),
    (
        "tier",
        false,
        &[
            "层级",
            "分层",
            "用户分层",
            "会员等级",
            "等级",
            "标签",
            "level",
        ],
    ),
    (
        "tier_since",
        false,
        &["分层时间", "升级时间", "等级变更时间"],
    ),
    ("source", false, &["来源", "渠道", "添加渠道", "channel"]),
    (
        "first_order_on",
        false,
        &["首单时间", "首购日期", "first_order"],
    ),
    (
        "orders_in_window",
        false,
        &["订单数", "下单次数", "购买次数", "orders"],
    ),
    (
        "last_active_on",
        false,
        &["最后活跃时间", "最近活跃", "last_active", "last_seen"],
    ),
];

/// The canonical columns of an activities file: who attended (`activity_id, member_id`) or a
/// count per activity (`activity_id, date, participants, unique_new_participants`).
pub const ACTIVITY_COLUMNS: &[(&str, bool, &[&str])] = &[
    ("activity_id", true, &["活动ID", "活动编号", "activity"]),
    ("member_id", false, MEMBER_ID_ALIASES),
    ("date", false, &["日期", "活动日期"]),
    (
        "participants",
        false,
        &["参与人数", "参加人数", "attendees"],
    ),
    (
        "unique_new_participants",
        false,
        &["新增参与人数", "首次参与人数", "new_attendees"],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_aliases_do_not_collide() {
        let mut seen = std::collections::BTreeSet::new();
        for c in DAILY_COLUMNS {
            assert!(seen.insert(c.name), "duplicate column {}", c.name);
        }
        let mut aliases = std::collections::BTreeSet::new();
        for alias in DAILY_COLUMNS
            .iter()
            .flat_map(|c| c.aliases)
            .chain(DATE_ALIASES)
            .chain(GROUP_ALIASES)
        {
            assert!(
                aliases.insert(alias.to_lowercase()),
                "alias {alias} maps to two columns"
            );
        }
    }
}
