//! What qunce's Markdown is, shared by the stage that reads it (links, nesting) and the one that
//! draws it: the extensions, how deep containers may nest, and how link paths resolve. Pure
//! functions; no stage of qunce is imported.

use std::path::Path;

use pulldown_cmark::{Options, Tag, TagEnd};

/// The pulldown-cmark extensions qunce uses everywhere (DESIGN §5).
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
