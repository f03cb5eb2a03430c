//! Column-mapping profiles (reference §C.4): reusable header dictionaries for one platform's
//! export. Built-in profiles are embedded; user profiles live in `data/profiles/<name>.yaml` and
//! win over a built-in of the same name.

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
    if abs.is_file() {
        let text = std::fs::read_to_string(&abs).map_err(|e| {
            Box::new(Diagnostic::error(
                "io",
                &rel,
                format!("cannot read profile: {e}"),
            ))
        })?;
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
