//! The human part of a post-mortem: `retro.md` rendered once (so heading ids stay unique) and cut
//! at its `##` headings into the sections of docs/rules.md#human-sections, matched by their Chinese
//! or English name. Sections the outline does not know are kept, never dropped.

use super::super::markdown::{Rendered, TocEntry};

pub use crate::model::retro::Section;

/// One `##` section of the file: its heading, the HTML under it and the headings inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The outline slot, or `None` for a heading the outline does not know.
    pub section: Option<Section>,
    /// The `##` heading (its id is kept on the page, so links to it still work).
    pub heading: TocEntry,
    /// The HTML after the heading.
    pub html: String,
    /// The `###`… headings inside it.
    pub subheadings: Vec<TocEntry>,
}

/// The file cut into its parts: text before the first `##`, then each `##` section in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Human {
    /// HTML before the first `##` heading (shown with the summary).
    pub preamble: String,
    /// The `##` sections.
    pub parts: Vec<Part>,
}

impl Human {
    /// The first part filling `section`.
    pub fn get(&self, section: Section) -> Option<&Part> {
        self.parts.iter().find(|p| p.section == Some(section))
    }

    /// Parts the outline has no slot for, in file order.
    pub fn others(&self) -> impl Iterator<Item = &Part> {
        self.parts.iter().filter(|p| p.section.is_none())
    }
}

/// Cuts rendered Markdown at its `<h2` tags. The renderer writes every heading as
/// `<hN id="…">`, and text never contains a raw `<h2` (it is escaped), so the cut is exact.
pub fn split(r: &Rendered) -> Human {
    let mut h2s = r.toc.iter().enumerate().filter(|(_, h)| h.level == 2);
    let mut pieces = r.html.split("<h2").map(str::to_string);
    let preamble = pieces.next().unwrap_or_default();
    let mut parts = Vec::new();
    let mut tocs: Vec<(usize, &TocEntry)> = Vec::new();
    for piece in pieces {
        let Some((i, heading)) = h2s.next() else {
            break;
        };
        tocs.push((i, heading));
        let html = piece
            .split_once("</h2>")
            .map_or(String::new(), |(_, rest)| rest.trim_start().to_string());
        parts.push(Part {
            section: Section::of_heading(&heading.text),
            heading: heading.clone(),
            html,
            subheadings: Vec::new(),
        });
    }
    for (n, (i, _)) in tocs.iter().enumerate() {
        let end = tocs.get(n + 1).map_or(r.toc.len(), |(j, _)| *j);
        parts[n].subheadings = r.toc[i + 1..end].to_vec();
    }
    Human { preamble, parts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::markdown::{self, UrlMap};

    fn human(md: &str) -> Human {
        let r = markdown::render(
            md,
            "retro.md".as_ref(),
            "x/index.html",
            &UrlMap::new(),
            false,
        );
        split(&r)
    }

    #[test]
    fn sections_are_matched_by_chinese_or_english_names() {
        let h = human(
            "前言\n\n## 总结 Summary\n\n一切顺利。\n\n## Root causes\n\n流程。\n\n### 细节\n\nx\n\n## 杂记\n\n其他。\n",
        );
        assert!(h.preamble.contains("前言"));
        assert_eq!(h.parts.len(), 3);
        assert_eq!(h.get(Section::Summary).unwrap().html, "<p>一切顺利。</p>\n");
        let root = h.get(Section::RootCauses).unwrap();
        assert!(root.html.contains("<h3") && root.html.contains("流程"));
        assert_eq!(root.subheadings.len(), 1);
        assert_eq!(root.subheadings[0].text, "细节");
        let others: Vec<_> = h.others().map(|p| p.heading.text.as_str()).collect();
        assert_eq!(others, vec!["杂记"]);
        assert!(h.get(Section::WentWell).is_none());
    }

    #[test]
    fn a_file_without_sections_is_all_preamble() {
        let h = human("只有一段话。\n");
        assert!(h.parts.is_empty());
        assert_eq!(h.preamble, "<p>只有一段话。</p>\n");
    }
}
