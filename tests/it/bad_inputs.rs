//! The bad-input corpus: every `tests/fixtures/bad/*.yaml` case applies a few edits to the valid
//! site in `tests/fixtures/base/`, runs the checker, and asserts the diagnostics it must produce
//! (code, file, line, column, field, message and hint). See `tests/README.md` to add a case.

use crate::common;

use std::path::Path;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    description: String,
    edits: Vec<Edit>,
    #[serde(default)]
    expect: Vec<Expect>,
    /// The case must produce no error at all (only the listed warnings).
    #[serde(default)]
    no_errors: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    file: String,
    #[serde(default)]
    replace: Option<String>,
    #[serde(default)]
    with: Option<String>,
    #[serde(default)]
    append: Option<String>,
    #[serde(default)]
    write: Option<String>,
    #[serde(default)]
    write_gb18030: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default = "error")]
    severity: String,
    code: String,
    path: String,
    #[serde(default)]
    line: Option<usize>,
    #[serde(default)]
    col: Option<usize>,
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    help: Option<String>,
    #[serde(default)]
    found: Option<String>,
}

fn error() -> String {
    "error".into()
}

fn apply(root: &Path, edit: &Edit) {
    let path = root.join(&edit.file);
    if let Some(text) = &edit.write {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    } else if let Some(text) = &edit.write_gb18030 {
        let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
        assert!(!unmappable);
        std::fs::write(&path, &bytes).unwrap();
    } else if let Some(text) = &edit.append {
        let mut old = std::fs::read_to_string(&path).unwrap();
        old.push_str(text);
        std::fs::write(&path, old).unwrap();
    } else {
        let old = std::fs::read_to_string(&path).unwrap();
        let from = edit
            .replace
            .as_ref()
            .expect("an edit needs replace, append, write or write_gb18030");
        let to = edit.with.as_ref().expect("replace needs with");
        assert_eq!(
            old.matches(from.as_str()).count(),
            1,
            "`{from}` must occur exactly once in {}",
            edit.file
        );
        std::fs::write(&path, old.replacen(from.as_str(), to, 1)).unwrap();
    }
}

#[test]
fn every_bad_case_produces_its_diagnostics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    assert!(names.len() >= 30, "the corpus has {} cases", names.len());
    let mut failures = Vec::new();
    for file in names {
        let case: Case = serde_yaml::from_str(&std::fs::read_to_string(&file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let site = common::copy_fixture("base");
        for edit in &case.edits {
            apply(site.path(), edit);
        }
        let (_, diags) = qunce::check(site.path());
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        if case.no_errors && diags.has_errors() {
            failures.push(format!(
                "{name} ({}): expected no errors, got:\n{}",
                case.description,
                diags.render()
            ));
        }
        if !case.no_errors && !diags.has_errors() {
            failures.push(format!(
                "{name} ({}): expected errors, got none",
                case.description
            ));
        }
        for e in &case.expect {
            let hit = diags.iter().any(|d| {
                let severity = if d.is_error() { "error" } else { "warning" };
                severity == e.severity
                    && d.code == e.code
                    && d.path == Path::new(&e.path)
                    && e.line.is_none_or(|l| d.line == Some(l))
                    && e.col.is_none_or(|c| d.col == Some(c))
                    && e.field.as_ref().is_none_or(|f| d.field.as_ref() == Some(f))
                    && e.message
                        .as_ref()
                        .is_none_or(|m| d.message.contains(m.as_str()))
                    && e.help
                        .as_ref()
                        .is_none_or(|h| d.help.as_ref().is_some_and(|x| x.contains(h.as_str())))
                    && e.found
                        .as_ref()
                        .is_none_or(|f| d.found.as_ref().is_some_and(|x| x.contains(f.as_str())))
            });
            if !hit {
                failures.push(format!(
                    "{name} ({}): no diagnostic matches {e:?}; got:\n{}",
                    case.description,
                    diags.render()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing case(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
