//! Links between Markdown files (docs/rules.md#links): a relative link to a `.md` file, to another
//! file or to `campaigns/<id>` must resolve, or the build would publish a broken page.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::model::site::Document;

/// What a relative link of a Markdown page leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// A page of the site (a playbook, a post-mortem, prose a plan names) or a campaign.
    Page,
    /// A file under `content/` published with the page (an image, an attachment).
    Asset(PathBuf),
    /// Something the site does not publish, and why.
    Refused(String),
    /// Nothing.
    Missing,
}

fn classify(
    root: &Path,
    path: &Path,
    pages: &BTreeSet<&Path>,
    campaigns: &BTreeSet<String>,
) -> Target {
    if let Some(id) = campaign_link(path)
        .filter(|_| path.starts_with("content/campaigns") || path.starts_with("campaigns"))
    {
        return if campaigns.contains(&id) {
            Target::Page
        } else {
            Target::Missing
        };
    }
    if !root.join(path).exists() {
        return Target::Missing;
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if !path.starts_with("content") {
        return Target::Refused(
            "it is outside content/: only pages and files inside content/ are published".into(),
        );
    }
    if ext == "md" {
        return if pages.contains(path) {
            Target::Page
        } else {
            Target::Refused(
                "that Markdown file is not a page of the site (a playbook, a post-mortem or prose a plan names)".into(),
            )
        };
    }
    if ["yaml", "yml", "csv", "xlsx", "xls", "ods"].contains(&ext.as_str()) {
        return Target::Refused(
            "plans, settings and data are not published; link to the campaign (`campaigns/<id>`) instead".into(),
        );
    }
    match crate::load::sandbox::check(root, path) {
        Ok(_) => Target::Asset(path.to_path_buf()),
        Err(refusal) => Target::Refused(refusal.message),
    }
}

/// Checks every relative link of `docs` at its source line (so `check` and `build` agree);
/// `campaigns` are the known campaign ids. Returns the problems and the files under `content/`
/// the pages link to, which are published with them.
pub fn check(
    root: &Path,
    docs: &[&Document],
    campaigns: &BTreeSet<String>,
) -> (Vec<Diagnostic>, BTreeSet<PathBuf>) {
    let mut out = Vec::new();
    let mut assets = BTreeSet::new();
    let pages: BTreeSet<&Path> = docs.iter().map(|d| d.path.as_path()).collect();
    for doc in docs {
        if let Some(line) = doc.too_deep_at {
            out.push(
                Diagnostic::warning(
                    "nesting-too-deep",
                    &doc.path,
                    format!(
                        "quotes or lists are nested more than {} levels deep; deeper levels are shown flattened",
                        crate::model::markdown::MAX_NESTING
                    ),
                )
                .at_line(line)
                .help("split the text into flatter lists or sections"),
            );
        }
        let base = doc.path.parent().unwrap_or(Path::new(""));
        for link in &doc.links {
            let target = link.target.split(['#', '?']).next().unwrap_or("");
            if target.is_empty() {
                continue;
            }
            // `%20` and other escapes decoded; invalid ones are kept as written.
            let decoded = percent_encoding::percent_decode_str(target)
                .decode_utf8()
                .unwrap_or(std::borrow::Cow::Borrowed(target));
            let kind = match crate::model::markdown::normalize_path(&base.join(decoded.as_ref())) {
                None => Target::Refused("it climbs out of the site folder".into()),
                Some(p) => classify(root, &p, &pages, campaigns),
            };
            let problem = match kind {
                Target::Page => continue,
                Target::Asset(p) => {
                    assets.insert(p);
                    continue;
                }
                Target::Missing => Diagnostic::error(
                    "broken-link",
                    &doc.path,
                    format!("link to `{}` points at nothing", link.target),
                )
                .expected("a relative path to a .md page or a file under content/, or `campaigns/<id>`")
                .help("links are relative to the file that holds them; check the spelling and the number of `../`"),
                Target::Refused(why) => Diagnostic::error(
                    "unpublished-link",
                    &doc.path,
                    format!("link to `{}` cannot be published: {why}", link.target),
                )
                .help("move the file under content/ next to the page, or link to the page that shows it"),
            };
            out.push(
                problem
                    .at(link.line, link.col)
                    .found(format!("`{}`", link.target)),
            );
        }
    }
    (out, assets)
}

/// `content/campaigns/<id>` (or with a trailing `/`, `plan.yaml` or `index.html`) → the id.
fn campaign_link(path: &Path) -> Option<String> {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let start = parts.iter().position(|p| p == "campaigns")?;
    let rest = &parts[start + 1..];
    match rest {
        [id] => Some(id.clone()),
        [id, last] if last == "plan.yaml" || last == "index.html" || last == "retro" => {
            Some(id.clone())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn normalizes_and_refuses_escapes() {
        assert_eq!(
            crate::model::markdown::normalize_path(Path::new("content/playbooks/../campaigns/x")),
            Some(PathBuf::from("content/campaigns/x"))
        );
        assert_eq!(
            crate::model::markdown::normalize_path(Path::new("content/../../etc")),
            None
        );
    }

    #[test]
    fn recognises_campaign_links() {
        assert_eq!(
            campaign_link(Path::new("content/campaigns/a-b")),
            Some("a-b".into())
        );
        assert_eq!(
            campaign_link(Path::new("content/campaigns/a-b/retro")),
            Some("a-b".into())
        );
        assert_eq!(campaign_link(Path::new("content/playbooks/x.md")), None);
    }
}
