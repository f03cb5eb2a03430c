//! Column-mapping profiles (docs/rules.md#header-mapping): reusable header dictionaries for one
//! platform's export. Built-in profiles are embedded; user profiles live in
//! `data/profiles/<name>.yaml` and win over a built-in of the same name.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diag::{Diagnostic, did_you_mean};
use crate::load::yaml::YamlDoc;
use crate::model::plan::{Encoding, PercentScale, TimestampMode};

/// A mapping profile.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The profile's name (must match the file name).
    pub profile: String,
    #[serde(default)]
    pub encoding: Option<Encoding>,
    #[serde(default)]
    pub delimiter: Option<String>,
    #[serde(default)]
    pub date_format: Option<String>,
    #[serde(default)]
    pub percent_scale: Option<PercentScale>,
    /// How offset timestamps name their day; detected per file when absent.
    #[serde(default)]
    pub timestamps: Option<TimestampMode>,
    /// canonical column → source headers, in order of preference.
    #[serde(default)]
    pub columns: BTreeMap<String, OneOrMany>,
    /// Known headers that are deliberately not used: no "unmapped" warning.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Simple declared derivations, e.g. speakers = pct × visitors.
    #[serde(default)]
    pub derived: BTreeMap<String, Derived>,
    /// Breakdown columns of a long-format export; additive columns are summed across them.
    #[serde(default)]
    pub breakdown: Vec<String>,
    /// Only `sum` is supported.
    #[serde(default)]
    pub aggregate: Option<String>,
    /// The file types of a whole download folder that this profile reads, each with its own
    /// columns; any other file matched by the glob is skipped with a note.
    #[serde(default)]
    pub files: Vec<FileRule>,
    /// Only the headers the profile names are read (no built-in aliases, no "unmapped"
    /// warnings), so a platform's homonym such as Discord's `invites` (joins through invites)
    /// or Google Ads' `Status` never becomes a canonical column by accident. Always set on a
    /// profile narrowed to one file type.
    #[serde(default)]
    pub only_named: bool,
    /// Lines before the header row (a report title, a date range): a count, or `auto` for the
    /// first line that holds a header this profile names.
    #[serde(default)]
    pub skip_rows: Option<SkipRows>,
    /// Rows left out, such as an ad platform's `Total: …` rows: one note per file counts them.
    #[serde(default)]
    pub drop_rows: Vec<DropRule>,
    /// A column naming each row's currency, checked against the plan's (never converted).
    #[serde(default)]
    pub currency_column: Option<String>,
    /// Where an entry's date comes from when the report has no date column.
    #[serde(default)]
    pub entry_date: Option<EntryDate>,
    /// Source headers that hold running totals ("截至当天…"): read as day-over-day differences.
    #[serde(default)]
    pub cumulative: Vec<String>,
    /// What a platform writes instead of a header when the export holds no data (Meta Ads
    /// Manager: `"No data available."`): such a file is read as no rows, with a note.
    #[serde(default)]
    pub no_data: Vec<String>,
}

/// `skip_rows: 2` or `skip_rows: auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum SkipRows {
    /// Exactly this many lines.
    Count(usize),
    /// Up to the first line holding a header the profile names.
    Auto(AutoWord),
}

/// The word `auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AutoWord {
    Auto,
}

/// `drop_rows: [{column: Campaign, matches: "Total:*"}]`: `*` stands for any text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DropRule {
    /// A source header.
    pub column: String,
    /// The cell's text, with `*` for any run of characters.
    pub matches: String,
}

impl DropRule {
    /// Whether `cell` matches the pattern.
    pub fn matches(&self, cell: &str) -> bool {
        wildcard(&self.matches, cell.trim())
    }
}

/// `*`-only glob matching, anchored at both ends.
fn wildcard(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || !text[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// `entry_date: preamble_range_end`: the last day of a `"February 1, 2026 - February 28,
/// 2026"` line above the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryDate {
    PreambleRangeEnd,
}

/// One file type of a download folder (`guild-total-membership.csv`) and what it gives.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRule {
    /// The file name without its extension or a browser's repeat suffix (`name(3)`, `name_2_`).
    #[serde(rename = "match")]
    pub stem: String,
    /// canonical column → this file's headers.
    #[serde(default)]
    pub columns: BTreeMap<String, OneOrMany>,
    /// Derived columns read from this file.
    #[serde(default)]
    pub derived: BTreeMap<String, Derived>,
    /// Breakdown columns of this file (long format).
    #[serde(default)]
    pub breakdown: Vec<String>,
}

impl Profile {
    /// The profile as it applies to the file `name`: itself when it names no file types; the
    /// file type's own columns (plus the profile's date) when `name` is one of them; `None`
    /// when the profile names its files and `name` is not one (the file is skipped).
    pub fn for_file(&self, name: &Path) -> Option<Profile> {
        if self.files.is_empty() {
            return Some(self.clone());
        }
        let stem = file_stem(name);
        let rule = self.files.iter().find(|r| r.stem == stem)?;
        let mut columns = rule.columns.clone();
        if let Some(date) = self.columns.get("date") {
            columns.entry("date".into()).or_insert_with(|| date.clone());
        }
        Some(Profile {
            columns,
            derived: rule.derived.clone(),
            breakdown: rule.breakdown.clone(),
            files: Vec::new(),
            only_named: true,
            ..self.clone()
        })
    }
}

/// A download's file name without extension and without the suffix a browser adds to a repeated
/// download: `guild-leavers(3).csv`, `guild-leavers (3).csv` and `guild-leavers_2_.csv` are all
/// `guild-leavers`.
pub fn file_stem(name: &Path) -> String {
    let stem = name
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let digits_before = |s: &str, open: char, close: char| -> Option<usize> {
        let body = s.strip_suffix(close)?;
        let at = body.rfind(open)?;
        let n = &body[at + open.len_utf8()..];
        (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then_some(at)
    };
    let cut = digits_before(&stem, '(', ')').or_else(|| digits_before(&stem, '_', '_'));
    match cut {
        Some(at) => stem[..at].trim_end().to_string(),
        None => stem,
    }
}

/// One header or a list of them.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// A single header.
    One(String),
    /// Headers in order of preference.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The headers as a list.
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(h) => vec![h.clone()],
            OneOrMany::Many(hs) => hs.clone(),
        }
    }
}

/// `derived: {speakers: {from_pct: 发言成员占比, times: members}}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Derived {
    /// A percentage header (scale per `percent_scale`).
    pub from_pct: String,
    /// A canonical column or a source header to multiply by.
    pub times: String,
}

/// Built-in profiles: (name, YAML).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "wecom_group_stats",
        include_str!("profiles/wecom_group_stats.yaml"),
    ),
    (
        "discord_server_insights",
        include_str!("profiles/discord_server_insights.yaml"),
    ),
    (
        "wecom_customer_group_stats",
        include_str!("profiles/wecom_customer_group_stats.yaml"),
    ),
    (
        "google_ads_campaign_report",
        include_str!("profiles/google_ads_campaign_report.yaml"),
    ),
    (
        "google_ads_time_series",
        include_str!("profiles/google_ads_time_series.yaml"),
    ),
    (
        "meta_ads_report",
        include_str!("profiles/meta_ads_report.yaml"),
    ),
    (
        "wecom_customer_list",
        include_str!("profiles/wecom_customer_list.yaml"),
    ),
];

/// Parses a profile file's text.
pub fn parse(path: &Path, text: &str) -> Result<Profile, Box<Diagnostic>> {
    let doc = YamlDoc::parse(path, text)?;
    let profile: Profile = doc.section("")?;
    if let Some(agg) = &profile.aggregate
        && agg != "sum"
    {
        return Err(Box::new(
            doc.error(
                "unknown-value",
                "aggregate",
                format!("aggregate `{agg}` is not supported"),
            )
            .expected("`sum`")
            .help("long-format breakdowns can only be summed"),
        ));
    }
    Ok(profile)
}

/// Resolves a profile name: `data/profiles/<name>.yaml` first, then the built-ins.
pub fn resolve(root: &Path, name: &str, declared_in: &Path) -> Result<Profile, Box<Diagnostic>> {
    let rel = Path::new("data")
        .join("profiles")
        .join(format!("{name}.yaml"));
    let abs = root.join(&rel);
    if name.contains(['/', '\\']) || name.contains("..") {
        return Err(Box::new(
            Diagnostic::error(
                "unknown-profile",
                declared_in,
                format!("profile name `{name}` is not a plain name"),
            )
            .help("name a file in data/profiles/ without its extension"),
        ));
    }
    if abs.exists() {
        let text = crate::load::sandbox::read_to_string(root, &rel)
            .map_err(|refusal| Box::new(refusal.diagnostic("unreadable", &rel)))?;
        return parse(&rel, &text);
    }
    if let Some((_, text)) = BUILTIN.iter().find(|(n, _)| *n == name) {
        return parse(Path::new(&format!("<builtin>/{name}.yaml")), text);
    }
    let known: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
    let mut d = Diagnostic::error(
        "unknown-profile",
        declared_in,
        format!("profile `{name}` not found"),
    )
    .expected(format!(
        "a file {} or a built-in profile ({})",
        rel.display(),
        known.join(", ")
    ));
    d = match did_you_mean(name, known.iter().copied()) {
        Some(best) => d.help(format!("did you mean `{best}`?")),
        None => d.help(format!(
            "create {} or use a built-in profile",
            rel.display()
        )),
    };
    Err(Box::new(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drop_patterns_use_stars() {
        let rule = |m: &str| DropRule {
            column: "c".into(),
            matches: m.into(),
        };
        assert!(rule("Total:*").matches("Total: Campaigns"));
        assert!(rule("Total:*").matches(" Total:"));
        assert!(!rule("Total:*").matches("Brand total: x"));
        assert!(rule("*total*").matches("Brand total: x"));
        assert!(rule("a*c*e").matches("abcde"));
        assert!(!rule("a*c*e").matches("abde"));
        assert!(rule("exact").matches("exact") && !rule("exact").matches("exactly"));
    }

    #[test]
    fn browser_repeats_are_the_same_file_type() {
        for name in [
            "guild-leavers.csv",
            "guild-leavers(3).csv",
            "guild-leavers (3).csv",
            "guild-leavers_2_.csv",
            "dl/guild-leavers.CSV",
        ] {
            assert_eq!(file_stem(Path::new(name)), "guild-leavers", "{name}");
        }
        assert_eq!(file_stem(Path::new("a_b_.csv")), "a_b_");
    }

    #[test]
    fn a_profile_with_files_narrows_to_one_file_type() {
        let text = "profile: p\ncolumns: {date: [d]}\nfiles:\n  - {match: members, columns: {members: total}}\n";
        let p = parse(Path::new("p.yaml"), text).unwrap();
        let narrowed = p.for_file(Path::new("x/members (2).csv")).unwrap();
        assert!(narrowed.only_named);
        assert_eq!(narrowed.columns["members"].to_vec(), ["total"]);
        assert_eq!(narrowed.columns["date"].to_vec(), ["d"]);
        assert!(p.for_file(Path::new("x/muters.csv")).is_none());
    }

    #[test]
    fn builtins_parse() {
        for (name, text) in BUILTIN {
            let p = parse(Path::new(name), text).unwrap();
            assert_eq!(&p.profile, name);
        }
    }

    #[test]
    fn unknown_profile_suggests_a_builtin() {
        let err = resolve(
            Path::new("/nonexistent"),
            "wecom_group_stat",
            Path::new("plan.yaml"),
        )
        .unwrap_err();
        assert_eq!(
            err.help.as_deref(),
            Some("did you mean `wecom_group_stats`?")
        );
    }
}
