//! Snapshots of the `<main>` region of three pages of the small base site: the campaign report,
//! the post-mortem and a playbook. Review changes with `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test` without cargo-insta) and read them for sense.

use crate::common;

fn main_of(html: &str) -> String {
    let main = html
        .split("<main>")
        .nth(1)
        .and_then(|m| m.split("</main>").next())
        .unwrap_or(html);
    main.replace("&#x2f;", "/")
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn built() -> tempfile::TempDir {
    let site = common::copy_fixture("base");
    rebuild(site.path());
    site
}

/// Checks and builds the site at `root` into its `public/`.
fn rebuild(root: &std::path::Path) {
    let (loaded, diags) = qunce::check(root);
    assert!(!diags.has_errors(), "{}", diags.render());
    qunce::build(
        root,
        &loaded.unwrap(),
        &root.join("public"),
        &Default::default(),
    )
    .unwrap();
}

#[test]
fn campaign_report() {
    let site = built();
    let html =
        std::fs::read_to_string(site.path().join("public/campaigns/demo/index.html")).unwrap();
    insta::assert_snapshot!(main_of(&html));
}

#[test]
fn post_mortem() {
    let site = built();
    let html = std::fs::read_to_string(site.path().join("public/campaigns/demo/retro/index.html"))
        .unwrap();
    insta::assert_snapshot!(main_of(&html));
}

#[test]
fn playbook() {
    let site = built();
    let html =
        std::fs::read_to_string(site.path().join("public/playbooks/welcome/index.html")).unwrap();
    insta::assert_snapshot!(main_of(&html));
}

/// The verdict block at the top of the report, in both languages.
fn verdict_of(html: &str) -> String {
    let start = html
        .find("<section class=\"verdict\"")
        .expect("no verdict block");
    let end = html[start..].find("</section>").unwrap() + start + "</section>".len();
    main_of(&format!("<main>{}</main>", &html[start..end]))
}

#[test]
fn verdict_in_chinese_and_english() {
    let site = built();
    let zh = std::fs::read_to_string(site.path().join("public/campaigns/demo/index.html")).unwrap();
    insta::assert_snapshot!("verdict_zh", verdict_of(&zh));
    let config = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace("language: zh-CN", "language: en")).unwrap();
    rebuild(site.path());
    let en = std::fs::read_to_string(site.path().join("public/campaigns/demo/index.html")).unwrap();
    insta::assert_snapshot!("verdict_en", verdict_of(&en));
}
