//! Markdown → HTML for pages: CommonMark plus the extensions of docs/rules.md#markdown, unique
//! heading ids that keep Chinese characters, a table of contents, links between source files
//! rewritten to the right relative URL, and raw HTML sanitized with ammonia unless the site opts
//! in.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd, html};

use crate::model::markdown::{
    MAX_NESTING, ends_container, heading_id, is_container, is_external, normalize_path, options,
};
pub use crate::model::markdown::{TocEntry, slug};

/// Rendered Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Safe HTML.
    pub html: String,
    /// Headings in order.
    pub toc: Vec<TocEntry>,
}

/// Drops the start and end of every container nested deeper than [`MAX_NESTING`]: their
/// content stays, one level up. Linear in the number of events.
fn flatten_deep<'a>(events: Vec<Event<'a>>) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut kept: Vec<bool> = Vec::new();
    let mut depth = 0usize;
    for event in events {
        match &event {
            Event::Start(tag) if is_container(tag) => {
                let keep = depth < MAX_NESTING;
                kept.push(keep);
                if keep {
                    depth += 1;
                    out.push(event);
                }
            }
            Event::End(end) if ends_container(end) => {
                if kept.pop().unwrap_or(true) {
                    depth = depth.saturating_sub(1);
                    out.push(event);
                }
            }
            _ => out.push(event),
        }
    }
    out
}

/// Where links point: source files (relative to the site root) → output pages (relative to the
/// output root).
pub type UrlMap = BTreeMap<PathBuf, String>;

/// Renders `body` (from the file `source`) for the page at `page` (output path such as
/// `playbooks/welcome/index.html`).
pub fn render(
    body: &str,
    source: &Path,
    page: &str,
    urls: &UrlMap,
    allow_raw_html: bool,
) -> Rendered {
    let mut used = BTreeSet::new();
    let mut toc = Vec::new();
    let events: Vec<Event> = flatten_deep(Parser::new_ext(body, options()).collect());
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let end = events[i..]
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
                    .map_or(events.len(), |p| i + p);
                let text: String = events[i + 1..end]
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let entry = heading_id(*level, id.as_deref(), &text, &mut used);
                let unique = entry.id.clone();
                toc.push(entry);
                out.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(unique)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                out.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: CowStr::from(rewrite(dest_url, source, page, urls)),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            other => out.push(other.clone()),
        }
        i += 1;
    }
    let mut raw = String::new();
    html::push_html(&mut raw, out.into_iter());
    let html = if allow_raw_html {
        raw
    } else {
        sanitize(&raw, &|url: &str| rewrite(url, source, page, urls))
    };
    Rendered { html, toc }
}

/// Rewrites a relative link from a source file to the relative URL of its output page.
fn rewrite(dest: &str, source: &Path, page: &str, urls: &UrlMap) -> String {
    if is_external(dest) || dest.starts_with('#') || dest.is_empty() {
        return dest.to_string();
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let base = source.parent().unwrap_or(Path::new(""));
    let Some(target) = normalize_path(&base.join(path)) else {
        return dest.to_string();
    };
    let found = urls
        .get(&target)
        .or_else(|| urls.get(&target.join("plan.yaml")));
    let Some(out) = found else {
        return dest.to_string();
    };
    let mut url = relative_url(page, out);
    if let Some(f) = fragment {
        url.push('#');
        url.push_str(f);
    }
    url
}

/// The relative URL from the page `from` to the page `to` (both output paths).
pub fn relative_url(from: &str, to: &str) -> String {
    let depth = from.matches('/').count();
    format!("{}{}", "../".repeat(depth), to)
}

/// ammonia with the tags and attributes the Markdown renderer itself produces; relative URLs
/// of raw HTML (`<img src="a.png">`) go through the same rewriting as Markdown links.
fn sanitize(html: &str, rewrite_url: &(dyn Fn(&str) -> String + Sync)) -> String {
    struct Rewrite<'r>(&'r (dyn Fn(&str) -> String + Sync));
    impl<'r> ammonia::UrlRelativeEvaluate<'r> for Rewrite<'r> {
        fn evaluate<'url>(&self, url: &'url str) -> Option<std::borrow::Cow<'url, str>> {
            Some(std::borrow::Cow::Owned((self.0)(url)))
        }
    }
    ammonia::Builder::default()
        .url_relative(ammonia::UrlRelative::Custom(Box::new(Rewrite(rewrite_url))))
        .add_generic_attributes(["id", "class"])
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        // Table alignment is the one style the renderer writes; an author's `position`,
        // `z-index` or `url(…)` could cover the page or load from outside.
        .filter_style_properties(std::collections::HashSet::from(["text-align"]))
        .link_rel(None)
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_styles_keep_only_the_alignment() {
        let html = r#"<table><tr><td style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:9999;background:url(https://evil.example/x.png)">x</td><th style="text-align: right">y</th></tr></table>"#;
        let clean = sanitize(html, &|u: &str| u.to_string());
        assert!(!clean.contains("position"), "{clean}");
        assert!(!clean.contains("z-index"), "{clean}");
        assert!(!clean.contains("evil.example"), "{clean}");
        assert!(clean.contains("text-align"), "{clean}");
    }

    fn urls() -> UrlMap {
        BTreeMap::from([
            (
                PathBuf::from("content/playbooks/daily_topic.md"),
                "playbooks/daily_topic/index.html".to_string(),
            ),
            (
                PathBuf::from("content/campaigns/demo/plan.yaml"),
                "campaigns/demo/index.html".to_string(),
            ),
        ])
    }

    #[test]
    fn headings_get_unique_chinese_safe_ids() {
        let r = render(
            "# 入群欢迎 SOP\n\n## 步骤\n\n## 步骤\n",
            Path::new("content/playbooks/a.md"),
            "playbooks/a/index.html",
            &urls(),
            false,
        );
        let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["入群欢迎-sop", "步骤", "步骤-2"]);
        assert!(r.html.contains("<h2 id=\"步骤-2\">步骤</h2>"), "{}", r.html);
    }

    #[test]
    fn links_between_sources_become_relative_urls() {
        let md =
            "[话题](daily_topic.md#选题原则) [活动](../campaigns/demo) [外链](https://example.com)";
        let r = render(
            md,
            Path::new("content/playbooks/a.md"),
            "playbooks/a/index.html",
            &urls(),
            false,
        );
        assert!(
            r.html
                .contains("href=\"../../playbooks/daily_topic/index.html#%E9%80%89%E9%A2%98%E5%8E%9F%E5%88%99\""),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("href=\"../../campaigns/demo/index.html\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"https://example.com\""));
    }

    #[test]
    fn raw_html_is_sanitized_unless_allowed() {
        let md = "<script>alert(1)</script>\n\n- [x] 完成\n";
        let safe = render(md, Path::new("a.md"), "a/index.html", &urls(), false);
        assert!(!safe.html.contains("<script>"), "{}", safe.html);
        assert!(safe.html.contains("type=\"checkbox\""), "{}", safe.html);
        let raw = render(md, Path::new("a.md"), "a/index.html", &urls(), true);
        assert!(raw.html.contains("<script>"));
    }

    #[test]
    fn relative_urls_climb_to_the_root() {
        assert_eq!(
            relative_url("index.html", "kpis/index.html"),
            "kpis/index.html"
        );
        assert_eq!(
            relative_url("campaigns/x/retro/index.html", "index.html"),
            "../../../index.html"
        );
    }
}
