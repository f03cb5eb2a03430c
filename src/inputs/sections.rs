//! A plan's text to a typed plan: every top-level section checked on its own, unknown and
//! missing sections named, so one mistake does not hide the next.

use super::*;

/// Parses a plan, collecting one problem per top-level section rather than stopping at the
/// first, and checks top-level keys.
pub fn parse_plan(rel: &Path, text: &str) -> Result<(Plan, YamlDoc), Vec<Diagnostic>> {
    let doc = YamlDoc::parse(rel, text).map_err(|d| vec![*d])?;
    let Some(map) = doc.value.as_mapping() else {
        return Err(vec![
            doc.error("type-error", "", "a plan is a mapping of sections")
                .help("start with `schema_version: 1` and `campaign:`"),
        ]);
    };
    let keys = top_level_keys();
    let mut errors = Vec::new();
    for key in map.keys() {
        let Some(name) = key.as_str() else { continue };
        if !keys.known.iter().any(|k| k == name) {
            let mut d = Diagnostic::error(
                "unknown-key",
                rel,
                format!("unknown top-level key `{name}`"),
            )
            .field(name)
            .expected("a top-level section listed in docs/reference.md#planyaml");
            if let Some(span) = doc.key_span(name) {
                d = d.at(span.line, span.col);
                if let Some(line) = text
                    .trim_start_matches('\u{feff}')
                    .lines()
                    .nth(span.line - 1)
                {
                    d = d.snippet(line);
                }
            }
            d = match did_you_mean(name, keys.known.iter().map(String::as_str)) {
                Some(best) => d.help(format!("did you mean `{best}`?")),
                None => d.help("remove it, or prefix it with `x_` to keep it as a local extension"),
            };
            errors.push(d);
        } else if let Some(e) = check_section(&doc, name) {
            errors.push(*e);
        }
    }
    for key in &keys.required {
        if !map.contains_key(key.as_str()) {
            errors.push(
                doc.error(
                    "missing-key",
                    "",
                    format!("required section `{key}` is missing"),
                )
                .field(key)
                .help(format!("add `{key}:` (see docs/reference.md#planyaml)")),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    match doc.section::<Plan>("") {
        Ok(plan) => Ok((plan, doc)),
        Err(d) => Err(vec![*d]),
    }
}

/// Deserializes one top-level section on its own, so that each section reports its problem.
fn check_section(doc: &YamlDoc, key: &str) -> Option<Box<Diagnostic>> {
    fn try_as<T: serde::de::DeserializeOwned>(doc: &YamlDoc, key: &str) -> Option<Box<Diagnostic>> {
        doc.section::<T>(key).err()
    }
    match key {
        "schema_version" => try_as::<u32>(doc, key),
        "campaign" => try_as::<plan::Campaign>(doc, key),
        "background" => try_as::<plan::Background>(doc, key),
        "benchmarks" => try_as::<Vec<plan::Benchmark>>(doc, key),
        "audience" => try_as::<plan::Audience>(doc, key),
        "community" => try_as::<plan::Community>(doc, key),
        "team" => try_as::<plan::Team>(doc, key),
        "goals" => try_as::<Vec<plan::Goal>>(doc, key),
        "targets" => try_as::<Vec<plan::Target>>(doc, key),
        "custom_metrics" => try_as::<Vec<plan::CustomMetric>>(doc, key),
        "phases" => try_as::<plan::Phases>(doc, key),
        "milestones" => try_as::<Vec<plan::Milestone>>(doc, key),
        "content" => try_as::<plan::Content>(doc, key),
        "activities" => try_as::<Vec<plan::Activity>>(doc, key),
        "funnel" => try_as::<plan::Funnel>(doc, key),
        "incentives" => try_as::<plan::Incentives>(doc, key),
        "channels" => try_as::<Vec<plan::Channel>>(doc, key),
        "promotion_rhythm" => try_as::<Vec<plan::PromotionStep>>(doc, key),
        "tools" => try_as::<Vec<plan::Tool>>(doc, key),
        "materials" => try_as::<Vec<plan::Material>>(doc, key),
        "suppliers" => try_as::<Vec<plan::Supplier>>(doc, key),
        "budget" => try_as::<plan::Budget>(doc, key),
        "attribution" => try_as::<plan::Attribution>(doc, key),
        "risks" => try_as::<plan::Risks>(doc, key),
        "compliance" => try_as::<plan::Compliance>(doc, key),
        "playbooks" => try_as::<Vec<plan::PlaybookRef>>(doc, key),
        "review" => try_as::<plan::Review>(doc, key),
        "data" => try_as::<plan::DataSources>(doc, key),
        "report" => try_as::<plan::Report>(doc, key),
        _ => None,
    }
}
