//! Shared test helpers: copy a fixture site into a temporary directory.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies `tests/fixtures/<name>` into a fresh temporary directory.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("tests/fixtures").join(name), dir.path());
    dir
}

/// A copy of the repository's own example site (`content/` and `data/`).
pub fn copy_example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "data"] {
        copy_tree(&repo().join(part), &dir.path().join(part));
    }
    dir
}

/// A copy of the example site, built with the `qunce` binary into its `public/`.
pub fn built_example() -> tempfile::TempDir {
    let site = copy_example();
    let out = assert_cmd::Command::cargo_bin("qunce")
        .unwrap()
        .args(["build", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    site
}

/// Copies a directory tree (files and folders only).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The golden fixture: a byte-for-byte copy of `shared/fixtures/golden`, kept in the repository
/// so that a fresh clone's tests need nothing beside it.
pub fn golden() -> PathBuf {
    repo().join("tests/fixtures/golden")
}
