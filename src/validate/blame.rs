//! The blameless-post-mortem linter of docs/rules.md#outline item 12: a warning wherever a sentence
//! of `retro.md` names a role (by id or title) next to a blame word. Post-mortems name systems and
//! processes; the plan keeps people out by referencing roles only.

use crate::diag::Diagnostic;
use crate::model::plan::Plan;
use crate::model::site::Document;

/// Words that assign blame to someone (Chinese and English, matched case-insensitively).
const BLAME_WORDS: &[&str] = &[
    "失误",
    "责任",
    "疏忽",
    "过错",
    "失职",
    "背锅",
    "甩锅",
    "问责",
    "追责",
    "怪罪",
    "粗心",
    "马虎",
    "不负责",
    "不认真",
    "偷懒",
    "怠慢",
    "blame",
    "fault",
    "careless",
    "negligen",
    "lazy",
];

/// Where a sentence ends: a warning names one sentence, not a whole paragraph.
fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';')
}

/// One finding: 1-based line and column (in characters) of the blame word, the role named and
/// the word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column of the blame word, in characters.
    pub col: usize,
    /// The role as written (id or title).
    pub role: String,
    /// The blame word found.
    pub word: String,
}

/// Finds blame words sharing a sentence with a role reference. `first_line` is the file line of
/// the body's first line; fenced code blocks are skipped.
pub fn findings(body: &str, first_line: usize, plan: &Plan) -> Vec<Finding> {
    let mut names: Vec<&str> = plan
        .team
        .roles
        .iter()
        .flat_map(|r| [r.id.as_str(), r.title.as_str()])
        .filter(|n| !n.is_empty())
        .collect();
    // Longest first, so a title is reported rather than an id it happens to contain.
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    let mut out = Vec::new();
    let mut in_fence = false;
    for (i, line) in body.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let lower = line.to_lowercase();
        let mut start = 0;
        for sentence in lower.split_inclusive(is_sentence_end) {
            let role = names.iter().find(|n| sentence.contains(&n.to_lowercase()));
            if let Some(role) = role {
                for word in BLAME_WORDS {
                    if let Some(at) = sentence.find(word) {
                        out.push(Finding {
                            line: first_line + i,
                            col: lower[..start + at].chars().count() + 1,
                            role: role.to_string(),
                            word: word.to_string(),
                        });
                        break;
                    }
                }
            }
            start += sentence.len();
        }
    }
    out
}

/// The findings as warnings of `qunce check` (never errors: wording is the team's call).
pub fn lint(doc: &Document, plan: &Plan) -> Vec<Diagnostic> {
    let lines: Vec<&str> = doc.body.lines().collect();
    findings(&doc.body, doc.body_line, plan)
        .into_iter()
        .map(|f| {
            Diagnostic::warning(
                "blame-word",
                &doc.path,
                format!(
                    "the post-mortem names the role `{}` next to the blame word `{}`",
                    f.role, f.word
                ),
            )
            .at(f.line, f.col)
            .snippet(lines.get(f.line - doc.body_line).copied().unwrap_or(""))
            .expected("a blameless sentence naming the system or process that failed")
            .help("post-mortems are blameless: describe what in the process let it happen, e.g. 「值班表没有覆盖休假」")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        let text = include_str!("../../tests/fixtures/base/content/campaigns/demo/plan.yaml");
        crate::inputs::parse_plan(std::path::Path::new("plan.yaml"), text)
            .unwrap()
            .0
    }

    #[test]
    fn a_role_next_to_a_blame_word_is_found_with_its_column() {
        let roles: Vec<(String, String)> = plan()
            .team
            .roles
            .iter()
            .map(|r| (r.id.clone(), r.title.clone()))
            .collect();
        let (id, _) = &roles[0];
        let body = format!("## 根因分析\n\n预算一次性分配。{id} 的失误导致超支。\n");
        let found = findings(&body, 5, &plan());
        // Line 3 of the body is line 7 of the file; "预算一次性分配。" is 8 characters, then
        // the id and " 的" precede the word.
        assert_eq!(
            found,
            vec![Finding {
                line: 7,
                col: 8 + id.chars().count() + 2 + 1,
                role: id.clone(),
                word: "失误".into(),
            }]
        );
    }

    #[test]
    fn blame_words_without_a_role_and_roles_without_blame_pass() {
        let plan = plan();
        let id = &plan.team.roles[0].id;
        let body = format!(
            "流程的失误在于没有复核。\n{id} 负责排班。\n```\n{id} 失误\n```\nThe process was at fault.\n"
        );
        assert_eq!(findings(&body, 1, &plan), vec![]);
    }

    #[test]
    fn english_blame_is_matched_case_insensitively() {
        let plan = plan();
        let title = plan.team.roles[0].title.clone();
        let body = format!("It was {title}'s Fault. Next sentence.\n");
        let found = findings(&body, 1, &plan);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].word, "fault");
    }
}
