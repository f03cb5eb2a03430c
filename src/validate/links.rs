//! Links between Markdown files (DESIGN §5): a relative link to a `.md` file, to another file
//! or to `campaigns/<id>` must resolve, or the build would publish a broken page.

use std::collections::BTreeSet;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::model::site::Document;

/// Checks every relative link of `docs`; `campaigns` are the known campaign ids.
pub fn check(root: &Path, docs: &[&Document], campaigns: &BTreeSet<String>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in docs {
        if let Some(line) = doc.too_deep_at {
            out.push(
                Diagnostic::warning(
                    "nesting-too-deep",
                    &doc.path,
                    format!(
                        "quotes or lists are nested more than {} levels deep; deeper levels are shown flattened",
                        crate::render::markdown::MAX_NESTING
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
            let resolved = crate::load::markdown::normalize_path(&base.join(target));
            let ok = match resolved {
                None => false,
                Some(ref p) => match campaign_link(p) {
                    Some(id) => campaigns.contains(&id),
                    None => root.join(p).exists(),
                },
            };
            if !ok {
                out.push(
                    Diagnostic::error("broken-link", &doc.path, format!("link to `{}` points at nothing", link.target))
                        .at(link.line, link.col)
                        .found(format!("`{}`", link.target))
                        .expected("a relative path to a .md file or file of this site, or `campaigns/<id>`")
                        .help("links are relative to the file that holds them; check the spelling and the number of `../`"),
                );
            }
        }
    }
    out
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
            crate::load::markdown::normalize_path(Path::new("content/playbooks/../campaigns/x")),
            Some(PathBuf::from("content/campaigns/x"))
        );
        assert_eq!(
            crate::load::markdown::normalize_path(Path::new("content/../../etc")),
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
