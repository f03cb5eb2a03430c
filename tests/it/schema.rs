//! `qunce schema` (README.md#command-line): the JSON Schema of plan.yaml accepts every plan this
//! repository holds and rejects what the loader rejects, such as a misspelt top-level key.

use crate::common;

use serde_json::Value;

fn plans() -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for base in [
        "content",
        "tests/fixtures/base/content",
        "tests/fixtures/golden/content",
    ] {
        for entry in walkdir::WalkDir::new(common::repo().join(base)).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.file_name() == "plan.yaml" {
                found.push(entry.path().to_path_buf());
            }
        }
    }
    found
}

fn as_json(path: &std::path::Path) -> Value {
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    serde_json::to_value(yaml).unwrap()
}

fn schema() -> Value {
    let out = assert_cmd::Command::cargo_bin("qunce")
        .unwrap()
        .arg("schema")
        .output()
        .unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn every_plan_in_the_repository_validates() {
    let validator = jsonschema::draft202012::new(&schema()).unwrap();
    let plans = plans();
    assert!(plans.len() >= 5, "{plans:?}");
    for plan in plans {
        let errors: Vec<String> = validator
            .iter_errors(&as_json(&plan))
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{}:\n{}",
            plan.display(),
            errors.join("\n")
        );
    }
}

#[test]
fn a_misspelt_key_is_rejected_and_x_keys_are_allowed() {
    let validator = jsonschema::draft202012::new(&schema()).unwrap();
    let base = common::repo().join("tests/fixtures/base/content/campaigns/demo/plan.yaml");
    let mut plan = as_json(&base);
    plan["x_owner_note"] = Value::String("free text".into());
    plan["budget"]["x_source"] = Value::String("finance sheet".into());
    assert!(validator.is_valid(&plan));
    let mut misspelt = plan.clone();
    let targets = misspelt.as_object_mut().unwrap().remove("targets").unwrap();
    misspelt["tragets"] = targets;
    assert!(!validator.is_valid(&misspelt));
    let mut nested = plan.clone();
    nested["budget"]["totl"] = Value::from(1);
    assert!(!validator.is_valid(&nested));
}

#[test]
fn the_written_schema_is_current() {
    // `qunce new site` writes schema/plan.schema.json; the repository's own copy must match.
    let written = std::fs::read_to_string(common::repo().join("schema/plan.schema.json"))
        .expect("schema/plan.schema.json is missing: run `cargo run -- schema --write`");
    assert_eq!(
        written,
        qunce::schema::plan_schema_text(),
        "schema/plan.schema.json is stale: run `cargo run -- schema --write`"
    );
}

#[test]
fn the_reference_docs_match_the_code() {
    let written = std::fs::read_to_string(common::repo().join("docs/reference.md")).unwrap();
    assert!(
        written == qunce::schema::reference_markdown(),
        "docs/reference.md is stale: run `cargo run -- schema --reference > docs/reference.md`"
    );
}
