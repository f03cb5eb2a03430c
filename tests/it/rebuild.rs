//! `serve`'s incremental rebuilds give exactly the site a full build of the same files gives,
//! and load again only the campaigns an edit can reach.

use crate::common;

use std::path::{Path, PathBuf};

use qunce::rebuild::{Rebuilder, Scope};

fn full(root: &Path) -> Result<qunce::rebuild::Files, String> {
    qunce::serve::build_in_memory(root, None)
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn campaigns(ids: &[&str]) -> Scope {
    Scope::Campaigns(
        ids.iter()
            .map(|id| PathBuf::from("content/campaigns").join(id))
            .collect(),
    )
}

/// Rebuilds after `rel` changed and checks the result against a full build; returns it.
fn rebuild_matches_full(
    b: &mut Rebuilder,
    root: &Path,
    rel: &str,
) -> Result<qunce::rebuild::Files, String> {
    let incremental = b.rebuild(&[root.join(rel)]);
    let whole = full(root);
    match (&incremental, &whole) {
        (Ok(a), Ok(b)) => {
            let differing: Vec<&String> = a
                .keys()
                .chain(b.keys())
                .filter(|k| a.get(*k) != b.get(*k))
                .collect();
            assert!(differing.is_empty(), "after {rel}: {differing:?} differ");
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "after {rel}"),
        _ => panic!(
            "after {rel}: incremental {incremental:?} but full {whole:?}",
            incremental = incremental.is_ok(),
            whole = whole.is_ok()
        ),
    }
    incremental
}

#[test]
fn each_rebuild_gives_the_full_build_and_loads_only_what_the_edit_reaches() {
    let dir = common::copy_example();
    let root = dir.path();
    let mut b = Rebuilder::new(root, None);
    let first = b.build().unwrap();
    assert_eq!(Ok(&first), full(root).as_ref());

    // A ledger amount: the spring campaign only.
    let ledger = "data/nuanbake-spring-2025/ledger.csv";
    edit(root, ledger, ",2000.00,paid,", ",2600.00,paid,");
    let after = rebuild_matches_full(&mut b, root, ledger).unwrap();
    assert_eq!(b.last_scope(), &campaigns(&["nuanbake-spring-2025"]));
    let page = "campaigns/nuanbake-spring-2025/index.html";
    assert_ne!(after[page], first[page], "the edit shows on the report");
    let other = "campaigns/runclub-21day-2026/index.html";
    assert_eq!(after[other], first[other]);

    // One of two monthly exports behind a glob: the summer campaign.
    let export = "data/exports/群统计_2025-08.csv";
    edit(
        root,
        export,
        "2025/8/2,研习社1群,170,",
        "2025/8/2,研习社1群,171,",
    );
    rebuild_matches_full(&mut b, root, export).unwrap();
    assert_eq!(b.last_scope(), &campaigns(&["nuanbake-summer-2025"]));

    // An action-item file the next campaign names as its previous one: both.
    let actions = "content/campaigns/nuanbake-spring-2025/actions.yaml";
    let text = std::fs::read_to_string(root.join(actions)).unwrap();
    std::fs::write(root.join(actions), text.clone() + "\n").unwrap();
    rebuild_matches_full(&mut b, root, actions).unwrap();
    assert_eq!(
        b.last_scope(),
        &campaigns(&["nuanbake-spring-2025", "nuanbake-summer-2025"])
    );

    // A campaign's name shows on the portfolio and on playbook backlinks.
    let plan = "content/campaigns/runclub-21day-2026/plan.yaml";
    edit(root, plan, "name: 城市跑团 · 冬季", "name: 城市跑团 · 寒冬");
    let renamed = rebuild_matches_full(&mut b, root, plan).unwrap();
    assert_eq!(b.last_scope(), &campaigns(&["runclub-21day-2026"]));
    assert!(String::from_utf8_lossy(&renamed["index.html"]).contains("寒冬"));

    // A broken plan: the same errors; then fixed again.
    edit(root, plan, "name: 城市跑团 · 寒冬", "name: [城市跑团");
    assert!(rebuild_matches_full(&mut b, root, plan).is_err());
    edit(root, plan, "name: [城市跑团", "name: 城市跑团 · 寒冬");
    rebuild_matches_full(&mut b, root, plan).unwrap();
    assert_eq!(b.last_scope(), &campaigns(&["runclub-21day-2026"]));

    // A post-mortem removed (a playbook's link to it breaks), then restored: the link map
    // changes twice.
    let retro = "content/campaigns/nuanbake-spring-2025/retro.md";
    let kept = std::fs::read(root.join(retro)).unwrap();
    std::fs::remove_file(root.join(retro)).unwrap();
    let broken = rebuild_matches_full(&mut b, root, retro).unwrap_err();
    assert!(broken.contains("broken-link"), "{broken}");
    std::fs::write(root.join(retro), kept).unwrap();
    rebuild_matches_full(&mut b, root, retro).unwrap();
    assert_eq!(b.last_scope(), &campaigns(&["nuanbake-spring-2025"]));

    // A file no campaign reads: nothing to load.
    std::fs::write(root.join("data/notes.txt"), "x").unwrap();
    rebuild_matches_full(&mut b, root, "data/notes.txt").unwrap();
    assert_eq!(b.last_scope(), &campaigns(&[]));

    // A profile or a theme file may reach any campaign: everything.
    std::fs::create_dir_all(root.join("data/profiles")).unwrap();
    std::fs::write(root.join("data/profiles/mine.yaml"), "columns: {}\n").unwrap();
    rebuild_matches_full(&mut b, root, "data/profiles/mine.yaml").unwrap();
    assert_eq!(b.last_scope(), &Scope::Everything);
    rebuild_matches_full(&mut b, root, "themes/default/templates/base.html").unwrap();
    assert_eq!(b.last_scope(), &Scope::Everything);

    // A campaign folder removed, the watcher naming only a file in it: everything.
    std::fs::remove_dir_all(root.join("content/campaigns/runclub-21day-2026")).unwrap();
    let _ = rebuild_matches_full(
        &mut b,
        root,
        "content/campaigns/runclub-21day-2026/plan.yaml",
    );
    assert_eq!(b.last_scope(), &Scope::Everything);

    // Site settings reach every page.
    edit(
        root,
        "content/site.yaml",
        "title: 社群运营报告",
        "title: 社群报告",
    );
    rebuild_matches_full(&mut b, root, "content/site.yaml").unwrap();
    assert_eq!(b.last_scope(), &Scope::Everything);
}
