//! The built-in theme, embedded in the binary, and the loader chain: a site's
//! `themes/<name>/templates/x.html` wins over the built-in `x.html`, which stays reachable as
//! `builtin/x.html` for `{% extends %}` (docs/rules.md#themes).

use std::path::PathBuf;

use minijinja::{Environment, UndefinedBehavior};

/// Built-in templates: (name, source).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "campaign.html",
        include_str!("../../themes/default/templates/campaign.html"),
    ),
    (
        "document.html",
        include_str!("../../themes/default/templates/document.html"),
    ),
    (
        "list.html",
        include_str!("../../themes/default/templates/list.html"),
    ),
    (
        "sections.html",
        include_str!("../../themes/default/templates/sections.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "retro.html",
        include_str!("../../themes/default/templates/retro.html"),
    ),
    (
        "figures.html",
        include_str!("../../themes/default/templates/figures.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
    (
        "people.html",
        include_str!("../../themes/default/templates/people.html"),
    ),
];

/// Built-in static files: (path under the output root, bytes).
pub const STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
];

/// Font files of the theme: the chart font is embedded by `render::charts`; its licence travels
/// with it in the repository.
pub const FONT_FILES: &[&str] = &["NotoSansSC-qunce.otf", "LICENSE-OFL.txt"];

/// A template environment with strict undefined values and the loader chain.
pub fn environment(theme_dir: Option<PathBuf>) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // Formatting filters for theme authors (docs/rules.md#general-rules G8): `{{ x | pct }}`, `{{ x | pp }}`,
    // `{{ x | money }}`, `{{ x | dash }}`; undefined values show as "—".
    env.add_filter("pct", |v: Option<f64>| super::format::pct(v));
    env.add_filter("pp", |v: Option<f64>| super::format::pp(v));
    env.add_filter("money", |v: Option<f64>| super::format::money_f64(v));
    env.add_filter("dash", |v: minijinja::Value| {
        if v.is_undefined() || v.is_none() || v.as_str() == Some("") {
            "—".to_string()
        } else {
            v.to_string()
        }
    });
    // `{{ text | nowrap_dates }}`: escaped, each ISO date kept on one line.
    env.add_filter("nowrap_dates", |v: String| {
        minijinja::Value::from_safe_string(super::format::nowrap_dates(&v))
    });
    // `{{ d | date }}`: an ISO date in the page's language (`lang` of the page context):
    // 2025年7月7日 in Chinese, 7 Jul 2025 in English; anything else is shown as written.
    env.add_filter("date", |state: &minijinja::State, v: String| {
        let Ok(d) = v.parse::<jiff::civil::Date>() else {
            return v;
        };
        let zh = state
            .lookup("lang")
            .is_some_and(|l| l.as_str().is_some_and(|l| l.starts_with("zh")));
        if zh {
            format!("{}年{}月{}日", d.year(), d.month(), d.day())
        } else {
            d.strftime("%-d %b %Y").to_string()
        }
    });
    env.set_loader(move |name| {
        if let Some(builtin) = name.strip_prefix("builtin/") {
            return Ok(builtin_source(builtin));
        }
        // A template name is a plain relative name inside the theme: never an absolute path
        // (which `join` would take as is) nor one that climbs out.
        let refused = |why: &str| {
            Err(minijinja::Error::new(
                minijinja::ErrorKind::TemplateNotFound,
                format!("template `{name}` {why}"),
            ))
        };
        if name.starts_with(['/', '\\'])
            || name.contains(':')
            || name.split(['/', '\\']).any(|p| p == "..")
        {
            return refused("is not a plain name inside the theme");
        }
        if let Some(dir) = &theme_dir {
            let path = dir.join("templates").join(name);
            if path.exists() {
                let inside = match (path.canonicalize(), dir.canonicalize()) {
                    (Ok(real), Ok(base)) => real.starts_with(&base) && real.is_file(),
                    _ => false,
                };
                if !inside {
                    return refused("leads outside the theme folder, or is not a regular file");
                }
                return std::fs::read_to_string(&path).map(Some).map_err(|e| {
                    minijinja::Error::new(
                        minijinja::ErrorKind::InvalidOperation,
                        format!("cannot read {}: {e}", path.display()),
                    )
                });
            }
        }
        Ok(builtin_source(name))
    });
    env
}

fn builtin_source(name: &str) -> Option<String> {
    TEMPLATES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of themes/default is embedded, so the table and the folder cannot drift.
    #[test]
    fn every_theme_file_is_embedded() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
            let entry = entry.unwrap();
            if !entry.file_type().is_file() {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let known = TEMPLATES.iter().any(|(n, _)| *n == name)
                || STATIC.iter().any(|(n, _)| *n == name)
                || FONT_FILES.contains(&name.as_str());
            assert!(known, "{} is not embedded", entry.path().display());
        }
    }

    #[test]
    fn formatting_filters() {
        let mut env = environment(None);
        env.add_template(
            "t",
            "{{ a | pct }} {{ b | pp }} {{ c | money }} {{ d | dash }} {{ e | dash }}",
        )
        .unwrap();
        let out = env
            .get_template("t")
            .unwrap()
            .render(minijinja::context! { a => 0.125, b => -0.02, c => 1234.5, d => (), e => "x" })
            .unwrap();
        assert_eq!(out, "12.5% -2.0pp 1,234.50 — x");
        env.add_template("d", "{{ x | date }} {{ y | date }}")
            .unwrap();
        let render = |lang: &str| {
            env.get_template("d")
                .unwrap()
                .render(minijinja::context! { lang => lang, x => "2025-07-07", y => "soon" })
                .unwrap()
        };
        assert_eq!(render("zh-CN"), "2025年7月7日 soon");
        assert_eq!(render("en"), "7 Jul 2025 soon");
    }

    #[test]
    fn a_site_template_wins_and_can_extend_the_builtin() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/list.html"),
            "{% extends \"builtin/list.html\" %}{% block main %}custom{% endblock %}",
        )
        .unwrap();
        let env = environment(Some(dir.path().to_path_buf()));
        let ctx = minijinja::context! {
            lang => "en", page_title => "t", site => minijinja::context!{ title => "s", public => false }, root => "",
            ui => minijinja::context!{ nav => "", portfolio => "", playbooks => "", glossary => "", budget => "", risks => "", search => "", breadcrumbs => "", generated => "" },
            crumbs => Vec::<String>::new(), build_date => (), items => Vec::<String>::new(), charts => Vec::<String>::new(),
        };
        let html = env.get_template("list.html").unwrap().render(ctx).unwrap();
        assert!(
            html.contains("<main>\ncustom\n</main>") || html.contains("custom"),
            "{html}"
        );
        assert!(html.contains("<!DOCTYPE html>"));
    }
}
