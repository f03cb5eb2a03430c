//! `community:` and `team:`: where the members gather and who runs it.

use super::*;

/// `community:` — positioning, carriers, entry, rules, tiers and admins.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Community {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub slogan: Option<String>,
    #[serde(default)]
    pub positioning: Option<Positioning>,
    #[serde(default)]
    pub tone: Option<String>,
    #[serde(default)]
    pub visual_style_md: Option<String>,
    #[serde(default)]
    pub value_proposition: Option<ValueProposition>,
    pub carriers: Vec<Carrier>,
    #[serde(default)]
    pub entry: Option<Entry>,
    #[serde(default)]
    pub rules: Option<Rules>,
    #[serde(default)]
    pub capacity: Option<Capacity>,
    #[serde(default)]
    pub tiers: Vec<Tier>,
    #[serde(default)]
    pub admin_levels: Vec<AdminLevel>,
    #[serde(default)]
    pub culture_md: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Positioning {
    KnowledgeSharing,
    InterestExchange,
    ProductExperience,
    ResourceMatching,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueProposition {
    #[serde(default)]
    pub explicit: Vec<String>,
    #[serde(default)]
    pub implicit: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Carrier {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: CarrierType,
    pub platform: String,
    pub name: String,
    #[serde(default)]
    pub capacity: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CarrierType {
    ImGroup,
    SocialGroup,
    Forum,
    App,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub threshold: EntryThreshold,
    #[serde(default)]
    pub quiz_pass_score: Option<u32>,
    #[serde(default)]
    pub value_list: Vec<String>,
    #[serde(default)]
    pub onboarding_steps: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryThreshold {
    Invitation,
    Quiz,
    Paid,
    Task,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    #[serde(default)]
    pub prohibited: Vec<String>,
    #[serde(default)]
    pub violation_policy: Option<String>,
    #[serde(default)]
    pub lurker_policy: Option<LurkerPolicy>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LurkerPolicy {
    pub inactive_days: u32,
    pub action: LurkerAction,
    #[serde(default)]
    pub grace_days: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LurkerAction {
    Activate,
    Remove,
    ActivateThenRemove,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Capacity {
    pub soft_limit: u32,
    #[serde(default)]
    pub subgroup_trigger: Option<Trigger>,
    #[serde(default)]
    pub subgroup_size: Option<[u32; 2]>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub id: String,
    pub name: String,
    pub criteria: String,
    #[serde(default)]
    pub benefits: Vec<String>,
    #[serde(default)]
    pub high_value: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminLevel {
    pub level: u32,
    pub title: String,
    pub count: u32,
    pub filled_by: String,
    #[serde(default)]
    pub duties: Vec<String>,
}

/// `team:` — roles (never people), advisors and RACI.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Team {
    #[serde(default)]
    pub min_weekly_hours: Option<f64>,
    pub roles: Vec<Role>,
    #[serde(default)]
    pub advisors: Vec<Advisor>,
    #[serde(default)]
    pub raci: Vec<Raci>,
    #[serde(default)]
    pub skills_md: Option<String>,
    #[serde(default)]
    pub performance_md: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub id: String,
    pub title: String,
    pub function: RoleFunction,
    pub fte: f64,
    #[serde(default)]
    pub count: Option<u32>,
    #[serde(default)]
    pub responsibilities: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoleFunction {
    Planning,
    Content,
    CommunityOps,
    TechData,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Advisor {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub count: Option<u32>,
    #[serde(default)]
    pub scope: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Raci {
    pub workstream: String,
    pub responsible: String,
    pub accountable: String,
    #[serde(default)]
    pub consulted: Vec<String>,
    #[serde(default)]
    pub informed: Vec<String>,
}
