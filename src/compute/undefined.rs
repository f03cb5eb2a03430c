//! Why a figure has no value (docs/rules.md#general-rules G1): undefined, never 0.
//!
//! Each reason is a variant with the facts it names. `Display` words it in English (what
//! `qunce` prints and English pages show); a page in another language words it by an
//! exhaustive match on the variant (`render::format::reason`), so a new reason cannot reach a
//! page untranslated. Column and key names are written in backticks: pages show them as code.

use std::fmt;

use crate::model::catalog::Export;
use crate::model::table::Spacing;
use crate::model::values::Date;

/// Why a metric, a target's actual or a cost is not known.
#[derive(Debug, Clone, PartialEq)]
pub enum Undefined {
    /// The result does not fit a number.
    TooLarge,
    /// The window starts or ends inside a bucket, whose total cannot be split between days.
    CutsBucket {
        /// The window's first day.
        start: Date,
        /// The window's last day.
        end: Date,
        /// What one row stands for.
        spacing: Spacing,
        /// The bucket's first day.
        first: Date,
        /// The bucket's last day.
        last: Date,
    },
    /// The figure needs one row a day; the export's rows are buckets.
    NeedsDailyValues(Spacing),
    /// A cost report's days straddle the report date: part of its cost is spent, how much is
    /// not known.
    ReportStraddles {
        /// The report's file, relative to `data/`.
        file: String,
        /// The report's first day.
        first: Date,
        /// The report's last day (its cost is dated that day).
        last: Date,
        /// The report date.
        as_of: Date,
    },
    /// The plan declares no spend ledger.
    NoLedger,
    /// No budget category is marked as acquisition cost.
    NoAcquisitionCategory,
    /// The export has no such column.
    NoColumn(String),
    /// The column has no value in the window.
    NoData(String),
    /// A ratio of sums whose columns both have data in the window, never on the same day.
    NoRatio {
        /// The numerator's column.
        numerator: String,
        /// The denominator's column.
        denominator: String,
    },
    /// A ratio's denominator sums to 0 over the days it is read.
    ZeroSum(String),
    /// No `members` value in the window.
    NoMembersInWindow,
    /// No `members` value on the day a rolling count was read.
    NoMembersOnDay,
    /// No `members` value to average.
    NoMembersColumn,
    /// The members are 0.
    NoMembers,
    /// The members at the start are negative or 0.
    MembersAtStartNotPositive,
    /// The members at the start are 0.
    MembersAtStartZero,
    /// A rolling unique count (30-day actives …) is absent: it is never summed from daily
    /// values, nor across groups.
    NoRollingCount(String),
    /// A rolling unique count the data gives, but for no day up to the report date: its window
    /// reaches before the data.
    RollingNotYetKnown(String),
    /// Too few days of a column in the last 30.
    TooFewDays {
        /// The column.
        column: &'static str,
        /// The days needed.
        needed: usize,
        /// The days present.
        has: usize,
    },
    /// No question with a response time.
    NoResponseTimes,
    /// No sentiment columns.
    NoSentimentColumns,
    /// Neither positive nor negative mentions.
    NoMentions,
    /// The plan has no funnel.
    NoFunnel,
    /// The funnel has no stages.
    NoStages,
    /// The funnel has no such stage.
    UnknownStage,
    /// The funnel's first stage has no step rate.
    FirstStage,
    /// The plan lacks the key a formula needs.
    NoPlanKey(&'static str),
    /// The window has no days.
    NoWindow,
    /// No spend in the window.
    NoSpend,
    /// No joins in the window.
    NoJoins,
    /// No member-months in the window.
    NoMemberMonths,
    /// No 30-day active members.
    NoThirtyDayActives,
    /// The metric needs a file this version does not read.
    Needs(Export),
    /// The members file has no such column.
    MemberColumnMissing(&'static str),
    /// Members of the file whose cell in `column` is empty (never read as 0).
    EmptyCells {
        /// The column.
        column: &'static str,
        /// How many members.
        members: usize,
    },
    /// No member of the file ordered in the window.
    NoBuyers,
    /// No writer of the message log is a member of the members file.
    WritersNotMembers,
    /// The members file has no leave days and was not exported on the day asked.
    NoLeaveDates {
        /// The day asked.
        day: Date,
        /// The day the list was exported, if the plan says.
        exported_on: Option<Date>,
    },
    /// The members file has no `tier_since`: each member's tier is known on the report date only.
    TierOnlyOnReportDate {
        /// The day asked.
        day: Date,
    },
    /// No member of the file is a member on the day asked.
    NoPresentMembers,
    /// No member's first order falls in the window.
    NoNewBuyers,
    /// The plan marks no tier `high_value`.
    NoHighValueTier,
    /// No member who joined in the window has been one this many days by the report date.
    AllCensored {
        /// N.
        days: u32,
    },
    /// Conversions between tiers need each member's tier history.
    NoTierHistory,
    /// No activity of the activities file took place in the window.
    NoActivitiesHeld,
    /// The activities file counts participants per activity without the new ones: their sum
    /// would count people once per activity.
    ParticipantsNotUnique,
    /// The activity names no work package to take its cost from.
    NoWorkPackage,
    /// Nobody took part.
    NoParticipants,
    /// The activity shares its work package with this one (its name), whose participants the
    /// activities file does not give: the shared cost has no head count to spread over.
    SharedCostUnknownHeads(String),
    /// The activities file says nothing of this activity.
    NoAttendance,
    /// Neither the plan nor the activities file dates this activity.
    NoActivityDate,
    /// The metric id is not one this version computes.
    NotComputed(String),
    /// Too few of the window's days have data (a target is then unknown).
    LowCoverage {
        /// The share of days with data, in percent.
        percent: f64,
    },
    /// A point-in-time reading is older than the forward-fill limit.
    Stale {
        /// The column read.
        column: &'static str,
        /// The day of its last reading.
        last: Date,
        /// Days from that reading to the evaluation end.
        days: i64,
        /// The evaluation end.
        end: Date,
    },
}

impl fmt::Display for Undefined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Undefined::*;
        match self {
            TooLarge => f.write_str("too large to compute"),
            CutsBucket {
                start,
                end,
                spacing,
                first,
                last,
            } => write!(
                f,
                "{start} … {end} cuts the {} bucket {first} … {last}: a bucket's total cannot be split between days",
                spacing.describe()
            ),
            NeedsDailyValues(spacing) => write!(
                f,
                "needs daily values; the export's rows are {} buckets",
                spacing.describe()
            ),
            ReportStraddles {
                file,
                first,
                last,
                as_of,
            } => write!(
                f,
                "the report {file} covers {first} … {last}: its cost up to {as_of} is unknown"
            ),
            NoLedger => f.write_str("no ledger"),
            NoAcquisitionCategory => {
                f.write_str("no budget category is marked `acquisition_cost: true`")
            }
            NoColumn(column) => write!(f, "no `{column}` column"),
            NoData(column) => write!(f, "no `{column}` data"),
            NoRatio {
                numerator,
                denominator,
            } => write!(f, "no day has both `{numerator}` and `{denominator}`"),
            ZeroSum(column) => write!(f, "Σ{column} is 0"),
            NoMembersInWindow => f.write_str("no `members` in the window"),
            NoMembersOnDay => f.write_str("no `members` on that day"),
            NoMembersColumn => f.write_str("no `members`"),
            NoMembers => f.write_str("no members"),
            MembersAtStartNotPositive => f.write_str("members at the start is not positive"),
            MembersAtStartZero => f.write_str("members at the start is 0"),
            NoRollingCount(column) => write!(
                f,
                "no `{column}` in the export (a rolling unique count: it is never summed from daily values, nor across groups)"
            ),
            RollingNotYetKnown(column) => write!(
                f,
                "`{column}` has no value up to the report date: a rolling unique count is known only on a day whose whole window the data covers (export the log from that many days earlier, or give its `covers:`)"
            ),
            TooFewDays {
                column,
                needed,
                has,
            } => write!(
                f,
                "needs {needed} of the last 30 days of `{column}`, has {has}"
            ),
            NoResponseTimes => f.write_str("no questions with a response time"),
            NoSentimentColumns => f.write_str("no sentiment columns"),
            NoMentions => f.write_str("no mentions"),
            NoFunnel => f.write_str("the plan has no funnel"),
            NoStages => f.write_str("no stages"),
            UnknownStage => f.write_str("unknown stage"),
            FirstStage => f.write_str("the first stage has no step rate"),
            NoPlanKey(key) => write!(f, "no `{key}`"),
            NoWindow => f.write_str("no window"),
            NoSpend => f.write_str("no spend in the window"),
            NoJoins => f.write_str("no joins in the window"),
            NoMemberMonths => f.write_str("no member-months"),
            NoThirtyDayActives => f.write_str("no 30-day active members"),
            Needs(export) => write!(f, "not computable: needs {export}"),
            MemberColumnMissing(column) => write!(f, "the members file has no `{column}` column"),
            EmptyCells { column, members } => write!(
                f,
                "{members} member(s) have an empty `{column}` (an empty cell is never read as 0)"
            ),
            NoBuyers => f.write_str("no member ordered in the window"),
            WritersNotMembers => f.write_str(
                "no writer of the message log is in the members file: its `actor` must be the members' `member_id`",
            ),
            NoLeaveDates { day, exported_on } => match exported_on {
                Some(e) if e > day => write!(
                    f,
                    "the members file has no `left_on` and lists the members of {e}: who left between {day} and {e} is not in it, so who was a member on {day} cannot be told (export the list on {day}, or with the day each member left)"
                ),
                Some(e) => write!(
                    f,
                    "the members file has no `left_on` and lists the members of {e}: who was a member on {day} cannot be told"
                ),
                None => write!(
                    f,
                    "the members file has no `left_on`: who was a member on {day} cannot be told (say `exported_on:` if it lists the members of that day)"
                ),
            },
            TierOnlyOnReportDate { day } => write!(
                f,
                "the members file has no `tier_since`: each member's tier is known on the report date only, not on {day}"
            ),
            NoPresentMembers => f.write_str("no member of the members file is a member on that day"),
            NoNewBuyers => f.write_str("no member's first order falls in the window"),
            NoHighValueTier => f.write_str("the plan marks no tier `high_value: true`"),
            AllCensored { days } => write!(
                f,
                "no member who joined in the window has been one {days} days by the report date (later joiners are left out, never counted as lost)"
            ),
            NoTierHistory => f.write_str(
                "needs each member's tier history: the members file gives only the current tier",
            ),
            NoActivitiesHeld => f.write_str("no activity of the activities file took place in the window"),
            ParticipantsNotUnique => f.write_str(
                "the activities file counts participants per activity: their union needs member ids, or every activity's `unique_new_participants` (a sum counts people once per activity)",
            ),
            NoWorkPackage => f.write_str("the activity names no `work_package`"),
            NoParticipants => f.write_str("nobody took part"),
            SharedCostUnknownHeads(other) => write!(
                f,
                "shares its work package with «{other}», whose participants the activities file does not give"
            ),
            NoAttendance => f.write_str("the activities file says nothing of this activity"),
            NoActivityDate => {
                f.write_str("the activity has no date in the plan or the activities file")
            }
            NotComputed(id) => write!(f, "`{id}` is not computed by this version"),
            LowCoverage { percent } => {
                write!(f, "only {percent:.0}% of the window's days have data")
            }
            Stale {
                column,
                last,
                days,
                end,
            } => write!(
                f,
                "stale: last `{column}` reading {last}, {days} days before {end}"
            ),
        }
    }
}

/// Serialized as its English words, as the reason strings were.
impl serde::Serialize for Undefined {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
