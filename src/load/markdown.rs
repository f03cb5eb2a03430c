//! Markdown files: YAML front matter (BOM and CRLF tolerated) and the relative links of the
//! body, collected for checking. Rendering to HTML is the render stage's job.

use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag};

use super::yaml::YamlDoc;
use crate::diag::Diagnostic;
use crate::model::markdown::{is_external, options};
use crate::model::site::{Document, FrontMatter, Link};

/// Parses one Markdown file. `rel` is its path relative to the site root.
pub fn parse(rel: &Path, text: &str) -> Result<Document, Box<Diagnostic>> {
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    let (front, body, body_line) = split_front_matter(&text);
    let front = match front {
        None => FrontMatter::default(),
        Some(yaml) => {
            // One leading newline stands for the `---` line, so YAML lines are file lines.
            let padded = format!("\n{yaml}");
            let doc = YamlDoc::parse(rel, &padded)?;
            doc.section::<FrontMatter>("")?
        }
    };
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let id = front.slug.clone().unwrap_or(stem);
    if !valid_slug(&id) {
        return Err(Box::new(
            Diagnostic::error("bad-slug", rel, format!("`{id}` cannot be used in a URL"))
                .at_line(1)
                .expected("letters, digits, `-` and `_` only")
                .help(
                    "rename the file or set `slug:` in the front matter, e.g. `slug: welcome-sop`",
                ),
        ));
    }
    let (links, too_deep_at) = scan(body, body_line);
    Ok(Document {
        path: rel.to_path_buf(),
        id,
        front,
        body: body.to_string(),
        body_line,
        links,
        too_deep_at,
    })
}

/// Splits `---\n…\n---\n` front matter from the body.
fn split_front_matter(text: &str) -> (Option<&str>, &str, usize) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return (None, text, 1);
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body_line = 2 + yaml.lines().count() + 1;
            return (Some(yaml), body, body_line);
        }
        offset += line.len();
    }
    (None, text, 1)
}

/// Ids and slugs become path segments: no separators, dots or spaces (never escape `public/`).
pub fn valid_slug(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 80
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// One pass over the body: its relative links with their line and column, and the line of the
/// first container nested deeper than the renderer keeps. Lines are counted as the parser
/// moves forward, so the cost stays linear in the file.
/// The `src` and `href` values of a piece of raw HTML, with their byte offsets in it.
fn html_urls(html: &str) -> Vec<(String, usize)> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    for attr in ["src", "href"] {
        let mut from = 0;
        while let Some(found) = lower[from..].find(attr) {
            let at = from + found;
            from = at + attr.len();
            // An attribute name starts after whitespace and is followed by `=`.
            let before_ok = lower[..at].ends_with(|c: char| c.is_ascii_whitespace());
            let rest = lower[from..].trim_start();
            if !before_ok || !rest.starts_with('=') {
                continue;
            }
            let value_start = html.len() - rest.len() + 1;
            let value = html[value_start..].trim_start();
            let offset = html.len() - value.len();
            let (text, _) = match value.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &value[1..];
                    (
                        inner[..inner.find(q).unwrap_or(inner.len())].to_string(),
                        (),
                    )
                }
                _ => (
                    value
                        .split(|c: char| c.is_ascii_whitespace() || c == '>')
                        .next()
                        .unwrap_or("")
                        .to_string(),
                    (),
                ),
            };
            out.push((text, offset));
        }
    }
    out.sort_by_key(|(_, at)| *at);
    out
}

fn scan(body: &str, body_line: usize) -> (Vec<Link>, Option<usize>) {
    let mut links = Vec::new();
    let mut too_deep = None;
    let mut depth = 0usize;
    let (mut counted_to, mut line) = (0usize, body_line);
    let mut line_of = |offset: usize| {
        // Offsets of container starts can step back a little: count only forward.
        if offset > counted_to {
            line += body[counted_to..offset].matches('\n').count();
            counted_to = offset;
        }
        line
    };
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match &event {
            Event::Start(tag) if crate::model::markdown::is_container(tag) => {
                depth += 1;
                if depth > crate::model::markdown::MAX_NESTING && too_deep.is_none() {
                    too_deep = Some(line_of(range.start));
                }
                continue;
            }
            Event::End(end) if crate::model::markdown::ends_container(end) => {
                depth = depth.saturating_sub(1);
                continue;
            }
            _ => {}
        }
        let targets: Vec<(String, usize)> = match &event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                vec![(dest_url.to_string(), range.start)]
            }
            // Raw HTML (`<img src="…">`) links are checked like Markdown ones.
            Event::Html(html) | Event::InlineHtml(html) => html_urls(html)
                .into_iter()
                .map(|(url, at)| (url, range.start + at))
                .collect(),
            _ => continue,
        };
        for (dest, at) in targets {
            if is_external(&dest) || dest.starts_with('#') || dest.is_empty() {
                continue;
            }
            let at = at.min(body.len());
            let line = line_of(at);
            let start = body[..at].rfind('\n').map_or(0, |p| p + 1);
            let col = body[start..at].chars().count() + 1;
            links.push(Link {
                target: dest,
                line,
                col,
            });
        }
    }
    (links, too_deep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_with_crlf_and_bom() {
        let text = "\u{feff}---\r\ntitle: 入群欢迎SOP\r\ntags: [入群]\r\n---\r\n# 标题\r\n\r\n见 [每日话题](daily-topic.md)。\r\n";
        let doc = parse(Path::new("content/playbooks/welcome.md"), text).unwrap();
        assert_eq!(doc.front.title.as_deref(), Some("入群欢迎SOP"));
        assert_eq!(doc.front.tags, ["入群"]);
        assert_eq!(doc.id, "welcome");
        assert_eq!(doc.body_line, 5);
        assert_eq!(
            doc.links,
            vec![Link {
                target: "daily-topic.md".into(),
                line: 7,
                col: 3
            }]
        );
    }

    #[test]
    fn no_front_matter_is_fine() {
        let doc = parse(
            Path::new("a/retro.md"),
            "# 复盘\n[外链](https://example.com) [锚](#x)\n",
        )
        .unwrap();
        assert_eq!(doc.front.title, None);
        assert!(doc.links.is_empty());
    }

    #[test]
    fn unknown_front_matter_key_is_located_on_its_file_line() {
        let err = parse(Path::new("p.md"), "---\ntitle: a\ntitel: b\n---\nbody\n").unwrap_err();
        assert_eq!(err.code, "unknown-key");
        assert_eq!(err.line, Some(3));
        assert_eq!(err.help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn slugs_cannot_escape() {
        assert!(valid_slug("welcome-sop"));
        assert!(!valid_slug("../etc"));
        assert!(!valid_slug("a/b"));
        let err = parse(Path::new("p.md"), "---\nslug: ../../x\n---\n").unwrap_err();
        assert_eq!(err.code, "bad-slug");
    }

    #[test]
    fn external_links() {
        assert!(is_external("https://a.b"));
        assert!(is_external("mailto:x@y"));
        assert!(is_external("//cdn"));
        assert!(!is_external("../campaigns/x"));
        assert!(!is_external("daily-topic.md"));
    }
}
