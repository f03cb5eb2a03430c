//! What qunce's Markdown is, shared by the stage that reads it (links, nesting) and the one that
//! draws it: the extensions, how deep containers may nest, and how link paths resolve. Pure
//! functions; no stage of qunce is imported.

use std::path::Path;

use std::collections::BTreeSet;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The pulldown-cmark extensions qunce uses everywhere (docs/rules.md#markdown).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Quotes and lists deeper than this are flattened into the level above: browsers and the HTML
/// sanitizer slow down with depth, and no page needs more.
pub const MAX_NESTING: usize = 32;

/// Whether a tag opens a nestable container (a quote, a list or a list item).
pub fn is_container(tag: &Tag) -> bool {
    matches!(tag, Tag::BlockQuote(_) | Tag::List(_) | Tag::Item)
}

/// Whether an end tag closes one.
pub fn ends_container(end: &TagEnd) -> bool {
    matches!(end, TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item)
}

/// Removes `.` and `..` from a relative path; `None` when it climbs above its root.
pub fn normalize_path(path: &Path) -> Option<std::path::PathBuf> {
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::Normal(p) => parts.push(p),
            std::path::Component::ParentDir => {
                parts.pop()?;
            }
            std::path::Component::CurDir => {}
            _ => return None,
        }
    }
    Some(parts.iter().collect())
}

/// A link to another site or scheme: left alone by link checking.
pub fn is_external(dest: &str) -> bool {
    dest.starts_with("//")
        || dest.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

/// A heading of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    /// 1–6.
    pub level: u8,
    /// The anchor id.
    pub id: String,
    /// The heading text.
    pub text: String,
}

pub fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A URL fragment from heading text: letters (Chinese included) and digits kept, lower-cased,
/// everything else folded into single `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

fn unique_id(base: &str, used: &mut BTreeSet<String>) -> String {
    let mut candidate = base.to_string();
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

/// The table-of-contents entry of a heading, with the id its page gives it: the author's
/// `{#id}`, else a slug of its text, made unique among `used`.
pub fn heading_id(
    level: HeadingLevel,
    id: Option<&str>,
    text: &str,
    used: &mut BTreeSet<String>,
) -> TocEntry {
    let base = id.map_or_else(|| slug(text), str::to_string);
    TocEntry {
        level: level_number(level),
        id: unique_id(&base, used),
        text: text.trim().to_string(),
    }
}

/// A Markdown text's outline, as its page shows it, without drawing the page: what `qunce
/// check` reads a post-mortem's headings from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// Every heading, in order, with its page id.
    pub toc: Vec<TocEntry>,
    /// For each `##` heading of `toc`, in order: whether something is written under it (text,
    /// a deeper heading) before the next `##`. A paragraph that is only a bracketed prompt, as
    /// the `qunce new` skeleton leaves them (`（一句话：目标是否达成……）`), is not writing.
    pub h2_filled: Vec<bool>,
}

/// Whether a paragraph's text is only a bracketed prompt: `（…）` or `(…)`.
pub fn is_prompt(text: &str) -> bool {
    let t = text.trim();
    (t.starts_with('（') && t.ends_with('）')) || (t.starts_with('(') && t.ends_with(')'))
}

/// The outline of `body`.
pub fn outline(body: &str) -> Outline {
    let mut used = BTreeSet::new();
    let mut out = Outline::default();
    let mut heading: Option<(HeadingLevel, Option<String>, String)> = None;
    // The text of the top-level paragraph being read, if any.
    let mut paragraph: Option<String> = None;
    let mut depth = 0usize;
    let fill = |out: &mut Outline| {
        if let Some(filled) = out.h2_filled.last_mut() {
            *filled = true;
        }
    };
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                if level != HeadingLevel::H2 {
                    fill(&mut out);
                }
                heading = Some((level, id.map(|s| s.to_string()), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, text)) = heading.take() {
                    out.toc
                        .push(heading_id(level, id.as_deref(), &text, &mut used));
                    if level == HeadingLevel::H2 {
                        out.h2_filled.push(false);
                    }
                }
            }
            Event::Text(t) | Event::Code(t) if heading.is_some() => {
                if let Some((_, _, text)) = heading.as_mut() {
                    text.push_str(&t);
                }
            }
            _ if heading.is_some() => {}
            Event::Start(Tag::Paragraph) if depth == 0 => {
                paragraph = Some(String::new());
                depth += 1;
            }
            Event::End(TagEnd::Paragraph) if depth == 1 && paragraph.is_some() => {
                depth -= 1;
                if paragraph.take().is_some_and(|text| !is_prompt(&text)) {
                    fill(&mut out);
                }
            }
            Event::Text(t) | Event::Code(t) if paragraph.is_some() => {
                if let Some(text) = paragraph.as_mut() {
                    text.push_str(&t);
                }
            }
            // Emphasis, links and line breaks inside a paragraph: its text decides.
            _ if paragraph.is_some() => {}
            _ => fill(&mut out),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outline_gives_the_ids_a_page_gives_and_which_sections_hold_something() {
        let o = outline(
            "前言\n\n## 总结\n\n一切顺利。\n\n## 总结\n\n## 关键偏差说明\n\n### t_active30 {#why}\n\n## 空的\n\n<!-- 待填写 -->\n\n## 最后\n",
        );
        let ids: Vec<&str> = o.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            ["总结", "总结-2", "关键偏差说明", "why", "空的", "最后"]
        );
        assert_eq!(o.toc[3].text, "t_active30");
        assert_eq!(o.toc[3].level, 3);
        // A comment is raw HTML the page keeps when raw HTML is allowed: something follows.
        assert_eq!(o.h2_filled, [true, false, true, true, false]);
    }

    #[test]
    fn a_skeleton_prompt_is_not_writing() {
        let o = outline(
            "## 总结

（一句话：目标是否达成，钱花在了哪里，下一步做什么。）

## 根因分析

（谈流程，不点名。）

流程缺少复核。

## Next

(One line.)
",
        );
        assert_eq!(o.h2_filled, [false, true, false]);
        assert!(is_prompt("（谈流程，不点名。）") && !is_prompt("流程（复核）缺失"));
    }
}
