//! Diagnostics: every input problem becomes a [`Diagnostic`], collected rather than thrown, then
//! sorted and rendered in the compiler style of docs/rules.md#diagnostics:
//!
//! ```text
//! error[unknown-key]: unknown key `speakerz` in `targets[2]`
//!   --> content/campaigns/x/plan.yaml:12:5
//!    |
//! 12 |     speakerz: 20
//!    |     ^
//!    = field: targets[2].speakerz
//!    = found: `speakerz`, expected: one of `metric`, `target`, …
//!    = help: did you mean `speakers`?
//! ```
//!
//! A diagnostic carries its own source line (`snippet`), so rendering needs no file access.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

/// How bad a problem is: errors fail `check` and `build`, warnings are reported and kept going
/// (and fail `check --strict`), notes are information that never fails anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The build cannot go on.
    Error,
    /// Shown on the data-quality page and in the terminal; never stops a build.
    Warning,
    /// Information (a file skipped, an encoding or a date reading detected); never counted by
    /// `--strict`.
    Note,
}

/// One problem in the inputs, located as precisely as the parser allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable kebab-case code, e.g. `unknown-key`; tests match on it.
    pub code: &'static str,
    /// One sentence saying what is wrong.
    pub message: String,
    /// File relative to the site root (never absolute, so output is stable across machines).
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (characters), when known.
    pub col: Option<usize>,
    /// Field path (`budget.categories[2].share`) or CSV column name.
    pub field: Option<String>,
    /// The value found, as written.
    pub found: Option<String>,
    /// What was expected instead.
    pub expected: Option<String>,
    /// What to do about it, in the imperative.
    pub help: Option<String>,
    /// The source line the problem is on, for the caret display.
    pub snippet: Option<String>,
}

impl Diagnostic {
    /// A new error with the given code and message, located at a file.
    pub fn error(code: &'static str, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, path, message)
    }

    /// A new warning with the given code and message, located at a file.
    pub fn warning(
        code: &'static str,
        path: impl Into<PathBuf>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, code, path, message)
    }

    /// A new note (information, never a failure) with the given code and message.
    pub fn note(code: &'static str, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, code, path, message)
    }

    fn new(
        severity: Severity,
        code: &'static str,
        path: impl Into<PathBuf>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            message: bounded(message.into(), LIMIT),
            path: path.into(),
            line: None,
            col: None,
            field: None,
            found: None,
            expected: None,
            help: None,
            snippet: None,
        }
    }

    /// Sets line and column (both 1-based).
    pub fn at(mut self, line: usize, col: usize) -> Self {
        self.line = Some(line);
        self.col = Some(col);
        self
    }

    /// Sets the line only (CSV rows, where the column is named by `field`).
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Sets the field path or column name.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(bounded(field.into(), LIMIT));
        self
    }

    /// Sets the value found.
    pub fn found(mut self, found: impl Into<String>) -> Self {
        self.found = Some(bounded(found.into(), LIMIT));
        self
    }

    /// Sets what was expected.
    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(bounded(expected.into(), OWN_LIMIT));
        self
    }

    /// Sets the hint.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(bounded(help.into(), OWN_LIMIT));
        self
    }

    /// Sets the source line shown under the location.
    pub fn snippet(mut self, snippet: impl Into<String>) -> Self {
        self.snippet = Some(bounded(snippet.into(), SNIPPET_LIMIT));
        self
    }

    /// Turns an error into a warning (for optional sources: rule 2 of
    /// docs/rules.md#validation-rules).
    pub fn downgraded(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (&Path, usize, usize, Severity, &'static str, &str) {
        (
            &self.path,
            self.line.unwrap_or(0),
            self.col.unwrap_or(0),
            self.severity,
            self.code,
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        let safe = |t: &str| terminal_safe(t).into_owned();
        writeln!(f, "{label}[{}]: {}", self.code, safe(&self.message))?;
        let mut location = safe(&self.path.display().to_string().replace('\\', "/"));
        if let Some(line) = self.line {
            write!(location, ":{line}")?;
            if let Some(col) = self.col {
                write!(location, ":{col}")?;
            }
        }
        let gutter = self.line.map_or(1, |l| l.to_string().len());
        let pad = " ".repeat(gutter);
        writeln!(f, "{pad}--> {location}")?;
        if let (Some(line), Some(text)) = (self.line, &self.snippet) {
            writeln!(f, "{pad} |")?;
            writeln!(f, "{line} | {}", safe(text.trim_end()))?;
            // The caret only when its column is on the (possibly shortened) line shown.
            if let Some(col) = self.col.filter(|c| *c <= text.chars().count() + 1) {
                let before = safe(&text.chars().take(col.saturating_sub(1)).collect::<String>());
                let indent: String = before
                    .chars()
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                // Wide (CJK) characters take two terminal cells.
                let extra = before.chars().filter(|c| is_wide(*c)).count();
                writeln!(f, "{pad} | {indent}{}^", " ".repeat(extra))?;
            }
        }
        if let Some(field) = &self.field {
            writeln!(f, "{pad} = field: {}", safe(field))?;
        }
        match (&self.found, &self.expected) {
            (Some(found), Some(expected)) => writeln!(
                f,
                "{pad} = found: {}; expected: {}",
                safe(found),
                safe(expected)
            )?,
            (Some(found), None) => writeln!(f, "{pad} = found: {}", safe(found))?,
            (None, Some(expected)) => writeln!(f, "{pad} = expected: {}", safe(expected))?,
            (None, None) => {}
        }
        if let Some(help) = &self.help {
            writeln!(f, "{pad} = help: {}", safe(help))?;
        }
        Ok(())
    }
}

/// The most characters of one diagnostic text (a message, a value found) that are kept: an
/// input can hold a 100 MB cell, and a terminal should never receive it.
const LIMIT: usize = 200;
/// Source lines may be a little longer.
const SNIPPET_LIMIT: usize = 240;
/// Texts qunce writes itself (what was expected, the hint) may list more, still bounded.
const OWN_LIMIT: usize = 600;

/// `text` cut to `limit` characters with "…(N bytes)" saying how long it was.
fn bounded(text: String, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        None => text,
        Some((at, _)) => format!("{}…({} bytes)", &text[..at], text.len()),
    }
}

/// Text safe for a terminal: control characters (ESC, NUL, carriage returns, C1 codes…) and
/// bidirectional controls (U+202E, which makes text read backwards) are shown as `\u{1b}`
/// instead of being sent, so no input can move the cursor, recolour the screen, write the
/// clipboard or disguise what it says. Tabs are kept (a source line's caret lines up with them).
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    escape_unsafe(text, false)
}

/// [`terminal_safe`] for text of several lines (a `diff` report): line ends are kept.
pub fn terminal_safe_lines(text: &str) -> std::borrow::Cow<'_, str> {
    escape_unsafe(text, true)
}

/// JSON text with the characters [`terminal_safe`] hides written as `\u` escapes: JSON already
/// escapes C0 controls inside strings, but not DEL, C1 codes or bidirectional controls. Line
/// ends outside strings are kept; every other such character can only be inside a string.
pub fn json_terminal_safe(json: &str) -> std::borrow::Cow<'_, str> {
    if !json.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return std::borrow::Cow::Borrowed(json);
    }
    std::borrow::Cow::Owned(
        json.chars()
            .map(|c| {
                if c != '\n' && is_unsafe(c) {
                    format!("\\u{:04x}", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// Bidirectional controls: embeddings, overrides, isolates and marks (Trojan Source).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t') || is_bidi_control(c)
}

fn escape_unsafe(text: &str, keep_lines: bool) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| is_unsafe(c) && !(keep_lines && c == '\n');
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if hidden(c) {
                    format!("\\u{{{:x}}}", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// East Asian wide characters occupy two columns in a terminal.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF |
        0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF |
        0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

/// A collection of diagnostics from every stage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds all of another collection.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Number of warnings (notes not counted).
    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    /// Number of notes.
    pub fn note_count(&self) -> usize {
        self.count(Severity::Note)
    }

    fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// True when there is at least one error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// True when there is nothing at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics sorted by file, line, column and code, duplicates removed.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        items.dedup();
        items
    }

    /// Iterates in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Renders every diagnostic, sorted, followed by a one-line summary.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for d in self.sorted() {
            let _ = writeln!(out, "{d}");
        }
        let (errors, warnings, notes) =
            (self.error_count(), self.warning_count(), self.note_count());
        if errors > 0 || warnings > 0 || notes > 0 {
            let _ = write!(
                out,
                "{} {}, {} {}",
                errors,
                plural(errors, "error", "errors"),
                warnings,
                plural(warnings, "warning", "warnings")
            );
            if notes > 0 {
                let _ = write!(out, ", {} {}", notes, plural(notes, "note", "notes"));
            }
            out.push('\n');
        }
        out
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<T: IntoIterator<Item = Diagnostic>>(&mut self, iter: T) {
        self.items.extend(iter);
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// The closest candidate to `word` by edit distance, if it is close enough to be a likely typo.
/// Used only for hints: matching itself is always exact.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        // Optimal string alignment: insertions, deletions, substitutions and adjacent swaps
        // (`shaer` → `share` is one edit).
        .map(|c| (strsim::osa_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_compiler_style_with_caret_under_the_column() {
        let d = Diagnostic::error("unknown-key", "content/plan.yaml", "unknown key `speakerz`")
            .at(12, 5)
            .snippet("    speakerz: 20")
            .field("targets[2].speakerz")
            .help("did you mean `speakers`?");
        let text = d.to_string();
        assert_eq!(
            text,
            "error[unknown-key]: unknown key `speakerz`\n  --> content/plan.yaml:12:5\n   |\n12 |     speakerz: 20\n   |     ^\n   = field: targets[2].speakerz\n   = help: did you mean `speakers`?\n"
        );
    }

    #[test]
    fn notes_are_neither_errors_nor_warnings() {
        let mut all = Diagnostics::new();
        all.push(Diagnostic::note("file-skipped", "data/a.csv", "skipped"));
        all.push(Diagnostic::warning("w", "data/a.csv", "careful"));
        assert_eq!(
            (all.error_count(), all.warning_count(), all.note_count()),
            (0, 1, 1)
        );
        assert!(!all.has_errors());
        let text = all.render();
        assert!(text.contains("note[file-skipped]: skipped\n"), "{text}");
        assert!(text.ends_with("0 errors, 1 warning, 1 note\n"), "{text}");
    }

    #[test]
    fn bidi_and_c1_controls_are_shown_not_sent() {
        let evil = "pay \u{202E}fdp.exe\u{202C} \u{9b}31m \u{2066}x\u{2069}\u{200F}\u{61C}";
        let safe = terminal_safe(evil);
        assert!(
            !safe.chars().any(|c| is_bidi_control(c) || c.is_control()),
            "{safe}"
        );
        assert!(safe.contains("\\u{202e}fdp.exe\\u{202c}"), "{safe}");
        let lines = terminal_safe_lines("a\u{1b}]52;c;x\u{7}\nb\n");
        assert_eq!(lines, "a\\u{1b}]52;c;x\\u{7}\nb\n");
        let json = serde_json::to_string_pretty(&serde_json::json!({"n": evil})).unwrap();
        let safe = json_terminal_safe(&json);
        assert!(
            !safe
                .chars()
                .any(|c| is_bidi_control(c) || (c.is_control() && c != '\n'))
        );
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(
            back["n"], evil,
            "the escapes are JSON's own: the value is unchanged"
        );
    }

    #[test]
    fn output_is_bounded_and_control_characters_are_shown_not_sent() {
        let huge = "9".repeat(100 * 1024 * 1024);
        let d = Diagnostic::error(
            "bad-number",
            "a.csv",
            format!("expected a number, found `{huge}`"),
        )
        .at(2, 3)
        .found(format!("`{huge}`"))
        .snippet(format!("1,{huge}"));
        let text = d.to_string();
        assert!(text.len() < 2_000, "{} bytes", text.len());
        assert!(text.contains("found: `999"), "{}", &text[..400]);
        assert!(text.contains("…(104857602 bytes)"), "{}", &text[..400]);
        let evil = Diagnostic::error("x", "a\u{1b}[2J.csv", "name `\u{1b}[31mred\u{0}`")
            .at(1, 4)
            .snippet("a,\u{1b}b,c");
        let text = evil.to_string();
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{0}'),
            "{text:?}"
        );
        assert!(text.contains("\\u{1b}[31mred\\u{0}"), "{text}");
        // The caret moves with the escaped text: `a,\u{1b}` is 8 cells before column 4.
        assert!(
            text.contains("\n  | {}^\n".replace("{}", &" ".repeat(8)).as_str()),
            "{text}"
        );
    }

    #[test]
    fn caret_accounts_for_wide_characters() {
        let d = Diagnostic::error("x", "a.csv", "m")
            .at(2, 4)
            .snippet("日期,x");
        // "日期," is 3 chars but 5 cells wide: the caret sits after 5 spaces.
        assert!(d.to_string().contains("\n  |      ^\n"), "{d}");
    }

    #[test]
    fn sorted_orders_by_file_then_line() {
        let mut all = Diagnostics::new();
        all.push(Diagnostic::error("b", "b.yaml", "later file").at(1, 1));
        all.push(Diagnostic::error("a", "a.yaml", "line 9").at(9, 1));
        all.push(Diagnostic::warning("a", "a.yaml", "line 2").at(2, 1));
        let order: Vec<&str> = all.sorted().iter().map(|d| d.message.as_str()).collect();
        assert_eq!(order, ["line 2", "line 9", "later file"]);
        assert_eq!((all.error_count(), all.warning_count()), (2, 1));
    }

    #[test]
    fn suggests_only_close_candidates() {
        assert_eq!(
            did_you_mean("speakerz", ["speakers", "members"]),
            Some("speakers")
        );
        assert_eq!(did_you_mean("budgte", ["budget", "goals"]), Some("budget"));
        assert_eq!(did_you_mean("zzz", ["budget", "goals"]), None);
    }
}
