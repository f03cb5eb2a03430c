//! `playbooks:` and `review:`: playbooks used, review cadence, the final post-mortem and its
//! action items.

use super::*;

/// `playbooks[]` — playbooks this campaign used; `path` is relative to `content/`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaybookRef {
    pub id: String,
    pub title: String,
    pub path: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Review {
    #[serde(default)]
    pub cadence: Vec<ReviewCadence>,
    #[serde(default)]
    pub final_retro: Option<FinalRetro>,
    #[serde(default)]
    pub retro_md: Option<String>,
    #[serde(default)]
    pub action_items: Option<String>,
    #[serde(default)]
    pub previous_action_items: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewCadence {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub weekday: Option<Weekday>,
    #[serde(default)]
    pub after_each_phase: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FinalRetro {
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::model::values::IsoDate")]
    pub date: Date,
    #[serde(default)]
    pub facilitator: Option<String>,
    #[serde(default)]
    pub participants: Vec<String>,
}

/// One post-mortem action item (docs/rules.md#action-items), from the YAML file
/// `review.action_items` names.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionItem {
    pub id: String,
    pub action: String,
    #[serde(rename = "type")]
    pub kind: ActionType,
    pub owner: String,
    #[serde(with = "iso_date")]
    #[schemars(with = "crate::model::values::IsoDate")]
    pub due: Date,
    pub priority: Priority,
    pub success_criterion: String,
    #[serde(default)]
    pub links: Vec<String>,
    pub status: ActionStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionType {
    Prevent,
    Mitigate,
    Process,
    Experiment,
    Investigate,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
pub enum Priority {
    P0,
    P1,
    P2,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    InProgress,
    Done,
    Dropped,
}

impl ActionStatus {
    /// Still to be done: carried over into the next post-mortem.
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress)
    }
}
