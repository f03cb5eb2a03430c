//! The site as loaded: configuration, campaigns with their data, and Markdown documents.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::plan::Plan;
use super::table::{DailyTable, LedgerEntry, ProgressRow, SourceFile};

/// `content/site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Site title, shown in the navigation bar.
    pub title: String,
    /// UI language.
    #[serde(default)]
    pub language: Language,
    /// Default currency (plans state their own).
    #[serde(default)]
    pub currency: Option<String>,
    /// One line under the title.
    #[serde(default)]
    pub description: Option<String>,
    /// A theme folder under `themes/`; the built-in theme when absent.
    #[serde(default)]
    pub theme: Option<String>,
    /// Keep raw HTML in Markdown instead of sanitizing it.
    #[serde(default)]
    pub allow_raw_html: bool,
    /// Whether search engines may index the site. Reports are internal by default: every page
    /// asks robots to stay away (`<meta name="robots" content="noindex">`) unless this is true.
    #[serde(default)]
    pub public: bool,
    /// Absolute folders outside the site whose files plans may read (a shared data drive).
    #[serde(default)]
    pub trusted_paths: Vec<std::path::PathBuf>,
    /// Resource limits.
    #[serde(default)]
    pub limits: Limits,
    /// The theme's own words for some UI keys (`themes/<theme>/i18n/<lang>.yaml`), read by the
    /// loader; not a key of site.yaml.
    #[serde(skip)]
    pub ui_words: BTreeMap<String, String>,
}

/// `limits:` in site.yaml.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// The largest file read, in MB (default 1024).
    #[serde(default = "default_max_file_mb")]
    pub max_file_mb: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_mb: default_max_file_mb(),
        }
    }
}

fn default_max_file_mb() -> u64 {
    1024
}

/// The two UI languages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
pub enum Language {
    /// Simplified Chinese (default).
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en")]
    En,
}

/// Markdown front matter (docs/rules.md#front-matter).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Page title (else the first heading, else the id).
    #[serde(default)]
    pub title: Option<String>,
    /// One-line summary for indexes.
    #[serde(default)]
    pub summary: Option<String>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Owner role id.
    #[serde(default)]
    pub owner: Option<String>,
    /// Overrides the id in URLs.
    #[serde(default)]
    pub slug: Option<String>,
    /// A post-mortem's state: `draft`, `in_review` or `final` (`check --strict` is stricter on
    /// final ones).
    #[serde(default)]
    pub status: Option<RetroStatus>,
    /// A post-mortem's authors, as role ids.
    #[serde(default)]
    pub authors: Vec<String>,
    /// The date the post-mortem was held.
    #[serde(default, with = "super::values::iso_date_opt")]
    pub retro_date: Option<super::values::Date>,
    /// A post-mortem's annotations of its timeline (docs/rules.md#outline item 5).
    #[serde(default)]
    pub timeline_notes: Vec<TimelineNote>,
}

/// One annotation of the post-mortem timeline.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineNote {
    /// The day it concerns.
    #[serde(with = "super::values::iso_date")]
    pub date: super::values::Date,
    /// What happened.
    pub note: String,
}

/// The state of a post-mortem (docs/rules.md#human-sections).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RetroStatus {
    /// Being written.
    Draft,
    /// Circulated for review.
    InReview,
    /// Agreed; every flagged variance must be explained.
    Final,
}

/// A relative link found in Markdown, kept for checking once every page is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The link target as written.
    pub target: String,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
}

/// A Markdown file: playbook, post-mortem or prose referenced by a plan.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to the site root.
    pub path: PathBuf,
    /// Id used in URLs: the slug, else the file stem.
    pub id: String,
    /// Front matter (empty when the file has none).
    pub front: FrontMatter,
    /// The Markdown body, without front matter, with LF line ends.
    pub body: String,
    /// Line of the file where the body starts (1-based).
    pub body_line: usize,
    /// Relative links in the body.
    pub links: Vec<Link>,
    /// The line of the first container (quote, list) nested deeper than the page renders
    /// ([`crate::model::markdown::MAX_NESTING`] levels); deeper levels are flattened.
    pub too_deep_at: Option<usize>,
}

/// One campaign with everything loaded for it.
#[derive(Debug, Clone)]
pub struct CampaignData {
    /// `content/campaigns/<id>/plan.yaml`, relative to the root.
    pub plan_path: PathBuf,
    /// The plan.
    pub plan: Plan,
    /// Daily aggregates.
    pub daily: DailyTable,
    /// Spend totals, one per file, date, category, work package, channel, status and report
    /// range (every figure qunce computes is a sum over those, so rows that share them are
    /// added as they are read: a million-row ledger is held as its totals). `None` when there is
    /// no cost data (no `data.ledger`, or an optional one whose file is absent), which is never
    /// the same as spending nothing.
    pub ledger: Option<Vec<LedgerEntry>>,
    /// Progress rows of work packages (they give EV).
    pub progress: Vec<ProgressRow>,
    /// Progress rows of milestones (`milestone:<id>` in `progress.csv`, the prefix removed).
    pub milestones: Vec<ProgressRow>,
    /// Files of the ledger and progress sources.
    pub other_files: Vec<SourceFile>,
    /// The members file (`data.members`), when one was read.
    pub members: Option<super::members::Members>,
    /// The activities file (`data.activities`), when one was read.
    pub attendance: Option<super::members::Attendance>,
    /// The post-mortem, if written.
    pub retro: Option<Document>,
    /// Prose files referenced by `*_md` keys, by the key's path as written.
    pub prose: BTreeMap<String, Document>,
    /// This post-mortem's action items (`review.action_items`).
    pub action_items: Vec<super::plan::ActionItem>,
    /// The previous post-mortem's items (`review.previous_action_items`), for carry-over.
    pub previous_action_items: Vec<super::plan::ActionItem>,
}

impl CampaignData {
    /// Every data file read for the campaign, in reading order: daily exports and message
    /// logs, the ledger and progress, then the members and activities files.
    pub fn source_files(&self) -> impl Iterator<Item = &SourceFile> {
        let members = self.members.iter().flat_map(|m| &m.files);
        let attendance = self.attendance.iter().flat_map(|a| &a.files);
        self.daily
            .files
            .iter()
            .chain(&self.other_files)
            .chain(members)
            .chain(attendance)
    }
}

/// The whole loaded site.
#[derive(Debug, Clone)]
pub struct Site {
    /// `content/site.yaml`.
    pub config: SiteConfig,
    /// Campaigns, sorted by id.
    pub campaigns: Vec<CampaignData>,
    /// Playbooks, sorted by id.
    pub playbooks: Vec<Document>,
    /// Files under `content/` that Markdown pages link to (images, attachments), by source
    /// path: published with the site under `files/`.
    pub assets: BTreeMap<PathBuf, Vec<u8>>,
}
