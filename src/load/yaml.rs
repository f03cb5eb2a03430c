//! YAML with positions. serde_yaml (the user's choice) does the typed deserialization; a second,
//! event-level pass with yaml-rust2 records where every value sits, so any later check can point
//! at `file:line:col` of a field path such as `budget.categories[2].share`.
//!
//! Every input the pipeline reads goes through this module, so a maintained fork of serde_yaml
//! can replace it in one place; the tools above the pipeline read their own small documents
//! with it directly (docs/architecture.md#dependencies).

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde_yaml::Value;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diag::{Diagnostic, did_you_mean};

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
}

/// A parsed YAML document: its text, its value tree and the position of every field path.
#[derive(Debug, Clone)]
pub struct YamlDoc {
    /// The file, relative to the site root.
    pub path: std::path::PathBuf,
    text: String,
    /// The document as a value tree, with `x_*` extension keys removed.
    pub value: Value,
    /// Where each field is written, recorded the first time a diagnostic asks: most documents
    /// are never asked, and the second parse was half of reading a plan.
    positions: std::sync::OnceLock<Positions>,
}

/// The position of every value and key, by field path.
#[derive(Debug, Clone, Default)]
struct Positions {
    values: BTreeMap<String, Span>,
    keys: BTreeMap<String, Span>,
}

impl YamlDoc {
    /// Parses `text`. A syntax error becomes a located diagnostic.
    pub fn parse(path: &Path, text: &str) -> Result<Self, Box<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text).to_string();
        let mut value: Value = serde_yaml::from_str(&text).map_err(|e| {
            // serde_yaml places a repeated key at the start of its mapping: find the repeat.
            let mut recorder = Recorder::default();
            let _ = Parser::new_from_str(&text).load(&mut recorder, false);
            if let Some((key, first, again)) = recorder.duplicates.first() {
                let mut d = Diagnostic::error(
                    "duplicate-key",
                    path,
                    format!("key `{key}` is written twice (first on line {})", first.line),
                )
                .at(again.line, again.col)
                .help("keep one of the two; YAML keeps neither silently");
                if let Some(line) = text.lines().nth(again.line.saturating_sub(1)) {
                    d = d.snippet(line);
                }
                return Box::new(d);
            }
            let mut d = Diagnostic::error("yaml-syntax", path, format!("invalid YAML: {}", strip_location(&e.to_string())))
                .help("check indentation and quoting; a value that starts with `*`, `&`, `%` or `@` must be quoted");
            if let Some(loc) = e.location() {
                d = d.at(loc.line(), loc.column());
                if let Some(line) = text.lines().nth(loc.line().saturating_sub(1)) {
                    d = d.snippet(line);
                }
            }
            Box::new(d)
        })?;
        if value.is_null() {
            value = Value::Mapping(Default::default());
        }
        strip_extensions(&mut value);
        Ok(YamlDoc {
            path: path.to_path_buf(),
            text,
            value,
            positions: std::sync::OnceLock::new(),
        })
    }

    /// Where every field is written, from an event-level parse of the text on first use.
    fn positions(&self) -> &Positions {
        self.positions.get_or_init(|| {
            let mut recorder = Recorder::default();
            // serde_yaml accepted the text, so the event parser will too; if it somehow does
            // not, positions are merely missing.
            let _ = Parser::new_from_str(&self.text).load(&mut recorder, false);
            Positions {
                values: recorder.values,
                keys: recorder.keys,
            }
        })
    }

    /// Where the value at `field` (or its nearest ancestor) is written.
    pub fn span(&self, field: &str) -> Option<Span> {
        let mut path = field;
        loop {
            if let Some(span) = self.positions().values.get(path) {
                return Some(*span);
            }
            path = parent_path(path)?;
        }
    }

    /// Where the key of `field` is written (for unknown-key errors), else its value.
    pub fn key_span(&self, field: &str) -> Option<Span> {
        self.positions()
            .keys
            .get(field)
            .copied()
            .or_else(|| self.span(field))
    }

    /// An error located at `field`, with the source line attached.
    pub fn error(&self, code: &'static str, field: &str, message: impl Into<String>) -> Diagnostic {
        self.locate(
            Diagnostic::error(code, &self.path, message),
            field,
            self.span(field),
        )
    }

    /// A note (information) located at `field`.
    pub fn note(&self, code: &'static str, field: &str, message: impl Into<String>) -> Diagnostic {
        self.locate(
            Diagnostic::note(code, &self.path, message),
            field,
            self.span(field),
        )
    }

    /// A warning located at `field`.
    pub fn warning(
        &self,
        code: &'static str,
        field: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.locate(
            Diagnostic::warning(code, &self.path, message),
            field,
            self.span(field),
        )
    }

    /// Places a diagnostic made elsewhere (a data source that matched no file) at the plan key
    /// its field names, when it has no line yet.
    pub fn place(&self, d: Diagnostic) -> Diagnostic {
        if d.line.is_some() || d.path != self.path {
            return d;
        }
        let Some(field) = d.field.clone() else {
            return d;
        };
        // Fields like `data.daily.path` or `data.events[1].path`.
        let key = field.split(' ').next().unwrap_or("").to_string();
        let span = self.span(&key);
        self.locate(d, "", span)
    }

    fn locate(&self, d: Diagnostic, field: &str, span: Option<Span>) -> Diagnostic {
        let d = if field.is_empty() { d } else { d.field(field) };
        match span {
            Some(s) => {
                let d = d.at(s.line, s.col);
                match self.text.lines().nth(s.line - 1) {
                    Some(line) => d.snippet(line),
                    None => d,
                }
            }
            None => d,
        }
    }

    /// Deserializes the value at top-level `key` (or the whole document for `""`) into `T`,
    /// turning a serde error into a located diagnostic with a hint.
    pub fn section<T: DeserializeOwned>(&self, key: &str) -> Result<T, Box<Diagnostic>> {
        let value = if key.is_empty() {
            self.value.clone()
        } else {
            self.value.get(key).cloned().unwrap_or(Value::Null)
        };
        serde_path_to_error::deserialize(value).map_err(|e| {
            let inner = e.path().to_string();
            let field = match (key.is_empty(), inner.as_str()) {
                (true, _) => inner.clone(),
                (false, ".") => key.to_string(),
                (false, p) if p.starts_with('[') => format!("{key}{p}"),
                (false, p) => format!("{key}.{p}"),
            };
            let field = if field == "." { String::new() } else { field };
            Box::new(self.serde_diagnostic(&field, &e.into_inner().to_string()))
        })
    }

    fn serde_diagnostic(&self, field: &str, message: &str) -> Diagnostic {
        let message = strip_location(message);
        if let Some(rest) = message.strip_prefix("unknown field `") {
            let (name, expected) = split_backticked(rest);
            let full = if field.ends_with(name) {
                field.to_string()
            } else {
                join_field(field, name)
            };
            let mut d = self.locate(
                Diagnostic::error("unknown-key", &self.path, format!("unknown key `{name}`")),
                &full,
                self.key_span(&full),
            );
            let options = backticked_list(expected);
            if !options.is_empty() {
                d = d.expected(format!("one of {}", quote_list(&options)));
            }
            d = match did_you_mean(name, options.iter().map(String::as_str)) {
                Some(best) => d.help(format!("did you mean `{best}`?")),
                None => {
                    d.help("remove the key, or prefix it with `x_` to keep it as a local extension")
                }
            };
            return d;
        }
        if let Some(rest) = message.strip_prefix("unknown variant `") {
            let (name, expected) = split_backticked(rest);
            let options = backticked_list(expected);
            let mut d = self
                .error(
                    "unknown-value",
                    field,
                    format!("`{name}` is not an allowed value"),
                )
                .found(format!("`{name}`"))
                .expected(format!("one of {}", quote_list(&options)));
            if let Some(best) = did_you_mean(name, options.iter().map(String::as_str)) {
                d = d.help(format!("did you mean `{best}`?"));
            }
            return d;
        }
        if let Some(rest) = message.strip_prefix("missing field `") {
            let (name, _) = split_backticked(rest);
            let full = join_field(field, name);
            return self
                .error(
                    "missing-key",
                    field,
                    format!("required key `{name}` is missing"),
                )
                .field(full)
                .help(format!(
                    "add `{name}:` here (docs/reference.md#planyaml gives its type)"
                ));
        }
        if let Some(rest) = message.strip_prefix("invalid type: ") {
            let (found, expected) = rest
                .split_once(", expected ")
                .unwrap_or((rest, "another type"));
            return self
                .error(
                    "type-error",
                    field,
                    format!("wrong type: expected {expected}"),
                )
                .found(found.to_string())
                .expected(expected.to_string())
                .help(type_hint(expected));
        }
        if let Some(rest) = message.strip_prefix("invalid length ") {
            return self
                .error(
                    "type-error",
                    field,
                    format!("wrong number of items: {rest}"),
                )
                .help("write a two-item list such as `[8, 12]`");
        }
        let help = if message.contains("ratio") {
            "write a ratio as 40% or 0.40"
        } else if message.contains("date") {
            "write dates as YYYY-MM-DD, e.g. 2025-07-07"
        } else if message.contains("amount") || message.contains("money") {
            "write money as a plain decimal with at most 2 places, e.g. 1200.00"
        } else if message.contains("points") {
            "write percentage points as 3pp"
        } else {
            "fix the value to match its type in docs/reference.md#planyaml"
        };
        let mut d = self
            .error("invalid-value", field, message.to_string())
            .help(help);
        if let Some(found) = message.split('`').nth(1) {
            d = d.found(format!("`{found}`"));
        }
        d
    }
}

fn type_hint(expected: &str) -> String {
    if expected.contains("sequence") {
        "write a list: `[a, b]` or one `- item` per line".into()
    } else if expected.contains("struct") || expected.contains("map") {
        "write a mapping of `key: value` lines here".into()
    } else if expected.contains("u32") || expected.contains("integer") || expected.contains("u64") {
        "write a whole, non-negative number".into()
    } else if expected.contains("string") {
        "quote the value so it is read as text".into()
    } else {
        format!("write {expected} here")
    }
}

fn join_field(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}.{name}")
    }
}

fn split_backticked(rest: &str) -> (&str, &str) {
    rest.split_once('`').unwrap_or((rest, ""))
}

fn backticked_list(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn quote_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// serde_yaml appends " at line X column Y"; the diagnostic says that itself.
fn strip_location(message: &str) -> &str {
    match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

/// The path one level up: `a.b[2].c` → `a.b[2]` → `a.b` → `a` → none.
pub fn parent_path(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '['])?;
    Some(&path[..cut])
}

/// Removes `x_*` keys at every level: they are free-form extensions that validation ignores.
fn strip_extensions(value: &mut Value) {
    match value {
        Value::Mapping(map) => {
            map.retain(|k, _| !k.as_str().is_some_and(|k| k.starts_with("x_")));
            for (_, v) in map.iter_mut() {
                strip_extensions(v);
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(strip_extensions),
        Value::Tagged(tagged) => strip_extensions(&mut tagged.value),
        _ => {}
    }
}

/// Builds the field-path → position tables from parser events.
#[derive(Default)]
struct Recorder {
    stack: Vec<Frame>,
    values: BTreeMap<String, Span>,
    keys: BTreeMap<String, Span>,
    /// Keys written twice in one mapping: (path, first, repeat).
    duplicates: Vec<(String, Span, Span)>,
}

enum Frame {
    /// A mapping at `path`; `key` is the pending key, if its value has not been seen yet.
    Map { path: String, key: Option<String> },
    /// A sequence at `path` with the index of the next item.
    Seq { path: String, next: usize },
}

impl Recorder {
    /// The path of the node that starts now, or `None` when the event is a mapping key.
    fn next_node_path(&mut self, mark: Marker, scalar: Option<&str>) -> Option<String> {
        let span = Span {
            line: mark.line(),
            col: mark.col() + 1,
        };
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, next }) => {
                let p = format!("{path}[{next}]");
                *next += 1;
                Some(p)
            }
            Some(Frame::Map { path, key }) => match key.take() {
                Some(k) => Some(if path.is_empty() {
                    k
                } else {
                    format!("{path}.{k}")
                }),
                None => {
                    let name = scalar.unwrap_or("?").to_string();
                    let full = if path.is_empty() {
                        name.clone()
                    } else {
                        format!("{path}.{name}")
                    };
                    if let Some(first) = self.keys.get(&full) {
                        self.duplicates.push((full.clone(), *first, span));
                    } else {
                        self.keys.insert(full, span);
                    }
                    *key = Some(name);
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Recorder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let span = Span {
            line: mark.line(),
            col: mark.col() + 1,
        };
        match ev {
            Event::Scalar(text, ..) => {
                if let Some(path) = self.next_node_path(mark, Some(&text)) {
                    self.values.entry(path).or_insert(span);
                }
            }
            Event::Alias(_) => {
                if let Some(path) = self.next_node_path(mark, None) {
                    self.values.entry(path).or_insert(span);
                }
            }
            Event::MappingStart(..) => {
                let path = self.next_node_path(mark, None).unwrap_or_default();
                self.values.entry(path.clone()).or_insert(span);
                self.stack.push(Frame::Map { path, key: None });
            }
            Event::SequenceStart(..) => {
                let path = self.next_node_path(mark, None).unwrap_or_default();
                self.values.entry(path.clone()).or_insert(span);
                self.stack.push(Frame::Seq { path, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    const TEXT: &str = "a: 1\nbudget:\n  categories:\n    - {id: p, share: 40%}\n    - id: q\n      share: 60%\nx_free: {anything: [1]}\n";

    #[test]
    fn records_positions_of_nested_fields() {
        let doc = YamlDoc::parse(Path::new("p.yaml"), TEXT).unwrap();
        assert_eq!(doc.span("a"), Some(Span { line: 1, col: 4 }));
        assert_eq!(
            doc.span("budget.categories[0].share"),
            Some(Span { line: 4, col: 22 })
        );
        assert_eq!(
            doc.span("budget.categories[1].share"),
            Some(Span { line: 6, col: 14 })
        );
        assert_eq!(
            doc.key_span("budget.categories[1].share"),
            Some(Span { line: 6, col: 7 })
        );
        // Unknown deeper paths fall back to the nearest ancestor.
        assert_eq!(
            doc.span("budget.categories[1].nope"),
            doc.span("budget.categories[1]")
        );
    }

    #[test]
    fn strips_extension_keys() {
        let doc = YamlDoc::parse(Path::new("p.yaml"), TEXT).unwrap();
        assert!(doc.value.get("x_free").is_none());
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Cat {
        id: String,
        share: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Budget {
        categories: Vec<Cat>,
    }

    #[test]
    fn unknown_key_is_located_at_the_key_with_a_suggestion() {
        let text = "budget:\n  categories:\n    - id: p\n      shaer: 40%\n";
        let doc = YamlDoc::parse(Path::new("p.yaml"), text).unwrap();
        let err = doc.section::<Budget>("budget").unwrap_err();
        assert_eq!(err.code, "unknown-key");
        assert_eq!(err.field.as_deref(), Some("budget.categories[0].shaer"));
        assert_eq!((err.line, err.col), (Some(4), Some(7)));
        assert_eq!(err.help.as_deref(), Some("did you mean `share`?"));
    }

    #[test]
    fn syntax_error_has_a_location() {
        let err = YamlDoc::parse(Path::new("p.yaml"), "a: [1, 2\nb: 3\n").unwrap_err();
        assert_eq!(err.code, "yaml-syntax");
        assert!(err.line.is_some());
    }

    #[test]
    fn parent_paths() {
        assert_eq!(parent_path("a.b[2].c"), Some("a.b[2]"));
        assert_eq!(parent_path("a.b[2]"), Some("a.b"));
        assert_eq!(parent_path("a"), None);
    }
}
