//! Hostile and faulty inputs (docs/security.md): files generated at test time
//! that cannot be committed — links out of the site, pipes, links to devices — are refused
//! with an input error naming the file, and nothing from outside the site is published.

#![cfg(unix)]

use crate::common;

use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;

const SECRET: &str = "TOP-SECRET-LINE";

fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret.md"), format!("# {SECRET}\n")).unwrap();
    std::fs::write(
        dir.path().join("secret.csv"),
        format!("date,members,speakers\n2025-07-01,{},1\n", 100),
    )
    .unwrap();
    // A folder shaped like the site's data/demo/, for a linked data folder.
    std::fs::create_dir_all(dir.path().join("demo")).unwrap();
    for name in ["daily.csv", "ledger.csv"] {
        std::fs::copy(
            dir.path().join("secret.csv"),
            dir.path().join("demo").join(name),
        )
        .unwrap();
    }
    dir
}

fn run(root: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("qunce")
        .unwrap()
        .env_remove("RUST_BACKTRACE")
        .args(args)
        .arg("--root")
        .arg(root)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap()
}

fn assert_refused(site: &Path, name: &str, expect: &str) {
    let out = run(site, &["build"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{name}: {err}");
    assert!(err.contains(expect), "{name}: {err}");
    assert!(!site.join("public").exists(), "{name}: a site was written");
}

#[test]
fn links_out_of_the_site_are_input_errors() {
    let secret = outside();
    let cases: [(&str, &str, std::path::PathBuf); 4] = [
        (
            "retro",
            "content/campaigns/demo/retro.md",
            secret.path().join("secret.md"),
        ),
        (
            "playbook",
            "content/playbooks/leak.md",
            secret.path().join("secret.md"),
        ),
        (
            "daily export",
            "data/demo/daily.csv",
            secret.path().join("secret.csv"),
        ),
        ("data folder", "data/demo", secret.path().join("demo")),
    ];
    for (name, link, target) in cases {
        let site = common::copy_fixture("base");
        let at = site.path().join(link);
        if at.is_dir() {
            std::fs::remove_dir_all(&at).unwrap();
        } else if at.exists() {
            std::fs::remove_file(&at).unwrap();
        }
        symlink(&target, &at).unwrap();
        assert_refused(site.path(), name, "leads outside the site");
    }
}

#[test]
fn trusted_paths_let_a_shared_folder_in() {
    let shared = tempfile::tempdir().unwrap();
    let site = common::copy_fixture("base");
    std::fs::copy(
        site.path().join("data/demo/daily.csv"),
        shared.path().join("daily.csv"),
    )
    .unwrap();
    std::fs::remove_file(site.path().join("data/demo/daily.csv")).unwrap();
    symlink(
        shared.path().join("daily.csv"),
        site.path().join("data/demo/daily.csv"),
    )
    .unwrap();
    assert_refused(site.path(), "untrusted", "leads outside the site");
    let config = site.path().join("content/site.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(&format!(
        "trusted_paths: [\"{}\"]\n",
        shared.path().display()
    ));
    std::fs::write(&config, text).unwrap();
    let out = run(site.path(), &["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn pipes_and_devices_never_hang_a_check() {
    // A FIFO named plan.yaml, and a plan.yaml that is a link to /dev/zero.
    let fifo = common::copy_fixture("base");
    let plan = fifo.path().join("content/campaigns/demo/plan.yaml");
    std::fs::remove_file(&plan).unwrap();
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&plan)
            .status()
            .unwrap()
            .success()
    );
    let out = run(fifo.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a regular file"));

    let zero = common::copy_fixture("base");
    let plan = zero.path().join("content/campaigns/demo/plan.yaml");
    std::fs::remove_file(&plan).unwrap();
    symlink("/dev/zero", &plan).unwrap();
    let out = run(zero.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("leads outside the site"));
}

#[test]
fn a_file_over_the_size_cap_is_refused() {
    let site = common::copy_fixture("base");
    let config = site.path().join("content/site.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("limits: {max_file_mb: 1}\n");
    std::fs::write(&config, text).unwrap();
    let daily = site.path().join("data/demo/daily.csv");
    let mut csv = std::fs::read_to_string(&daily).unwrap();
    // Pad with blank lines past 1 MB: the file is refused before it is read.
    csv.push_str(&"\n".repeat(1_100_000));
    std::fs::write(&daily, csv).unwrap();
    assert_refused(site.path(), "cap", "over the 1 MB limit");
}

#[test]
fn themes_are_plain_folders_and_templates_stay_inside_them() {
    for (theme, expect) in [
        ("/etc", "is not a plain folder name"),
        ("../..", "is not a plain folder name"),
        ("missing", "there is no theme folder"),
    ] {
        let site = common::copy_fixture("base");
        let config = site.path().join("content/site.yaml");
        let mut text = std::fs::read_to_string(&config).unwrap();
        text.push_str(&format!("theme: \"{theme}\"\n"));
        std::fs::write(&config, text).unwrap();
        assert_refused(site.path(), theme, expect);
    }
    // A template that includes a file outside the theme fails the build; nothing is written.
    let site = common::copy_fixture("base");
    let templates = site.path().join("themes/mine/templates");
    std::fs::create_dir_all(&templates).unwrap();
    let secret = outside();
    std::fs::write(
        templates.join("document.html"),
        format!(
            "{{% include \"{}\" %}}",
            secret.path().join("secret.md").display()
        ),
    )
    .unwrap();
    let config = site.path().join("content/site.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("theme: mine\n");
    std::fs::write(&config, text).unwrap();
    let out = run(site.path(), &["build"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(!site.path().join("public").exists());
    assert!(!String::from_utf8_lossy(&out.stderr).contains(SECRET));
}

#[test]
fn output_stays_bounded_and_free_of_control_characters() {
    // A 5 MB bad cell: stderr stays small.
    let site = common::copy_fixture("base");
    let daily = site.path().join("data/demo/daily.csv");
    let text = std::fs::read_to_string(&daily).unwrap();
    let huge = "x".repeat(5 * 1024 * 1024);
    std::fs::write(
        &daily,
        text.replacen("2025-07-02,g1,101,", &format!("2025-07-02,g1,{huge},"), 1),
    )
    .unwrap();
    let out = run(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.len() < 20_000,
        "{} bytes of stderr",
        out.stderr.len()
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("bytes)"));

    // Terminal escapes in a campaign name and in a cell are shown, not sent.
    let site = common::copy_fixture("base");
    let plan = site.path().join("content/campaigns/demo/plan.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(
        &plan,
        text.replace("name: 测试活动", "name: \"测试\\e[2J\\e[31m活动\""),
    )
    .unwrap();
    let out = Command::cargo_bin("qunce")
        .unwrap()
        .env_remove("RUST_BACKTRACE")
        .args(["kpis", "demo", "--format", "table", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.stdout.contains(&0x1b), "raw ESC in the table");
    assert!(String::from_utf8_lossy(&out.stdout).contains("测试\\u{1b}[2J"));
    let daily = site.path().join("data/demo/daily.csv");
    let text = std::fs::read_to_string(&daily).unwrap();
    std::fs::write(
        &daily,
        text.replacen("2025-07-02,g1,101,", "2025-07-02,g1,1\u{1b}[2J\u{0},", 1),
    )
    .unwrap();
    let out = run(site.path(), &["check"]);
    assert!(
        !out.stderr.contains(&0x1b) && !out.stderr.contains(&0),
        "control bytes on stderr"
    );
}

/// 100,000 nested quotes or list levels: rendered (flattened below 32 levels) in linear time,
/// with a warning at the line where nesting went too deep.
#[test]
fn deep_markdown_is_flattened_not_quadratic() {
    let site = common::copy_fixture("base");
    let playbooks = site.path().join("content/playbooks");
    std::fs::write(
        playbooks.join("quotes.md"),
        format!(
            "---\ntitle: quotes\n---\nintro\n\n{} deep\n",
            ">".repeat(100_000)
        ),
    )
    .unwrap();
    std::fs::write(
        playbooks.join("lists.md"),
        format!("---\ntitle: lists\n---\n{}deep\n", "- ".repeat(100_000)),
    )
    .unwrap();
    // (Before flattening this took minutes; `run` stops a hung build after 60 s.)
    let out = run(site.path(), &["build"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert_eq!(err.matches("warning[nesting-too-deep]").count(), 2, "{err}");
    assert!(err.contains("--> content/playbooks/quotes.md:6"), "{err}");
    let page =
        std::fs::read_to_string(site.path().join("public/playbooks/quotes/index.html")).unwrap();
    assert!(page.contains("deep"));
    assert!(page.matches("<blockquote>").count() <= 32);
}

/// A previous site that cannot be removed (a read-only folder inside it) makes the build fail
/// with the previous site back in place and no `.public.qunce-old-*` left — never "success".
/// Permissions do not bind root, so as root the build runs as `nobody` through `setpriv`.
#[test]
fn a_previous_site_that_cannot_be_removed_fails_the_build_cleanly() {
    use std::os::unix::fs::PermissionsExt;
    let site = common::copy_fixture("base");
    let root = site.path();
    assert!(run(root, &["build"]).status.success());
    // The binary is copied next to the site: `nobody` may not reach the build folder.
    let binary = root.join("qunce-under-test");
    std::fs::copy(env!("CARGO_BIN_EXE_qunce"), &binary).unwrap();
    std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
    let as_root = unsafe_is_root();
    if as_root {
        for entry in walkdir::WalkDir::new(root) {
            let entry = entry.unwrap();
            std::os::unix::fs::chown(entry.path(), Some(65534), Some(65534)).unwrap();
        }
    }
    let locked = root.join("public/campaigns");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = std::fs::read(root.join("public/index.html")).unwrap();
    let mut command = if as_root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&binary);
        c
    } else {
        std::process::Command::new(&binary)
    };
    // Something must differ so that the new site really replaces the old one.
    let daily = root.join("data/demo/daily.csv");
    let text = std::fs::read_to_string(&daily).unwrap();
    std::fs::write(
        &daily,
        text.replace("2025-07-10,g1,108,", "2025-07-10,g1,109,"),
    )
    .unwrap();
    let out = command
        .env_remove("RUST_BACKTRACE")
        .args(["build", "--root"])
        .arg(root)
        .output()
        .unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("remove the previous site: cannot change"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(root.join("public/index.html")).unwrap(),
        before
    );
    let leftovers: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("qunce-old") || n.contains("qunce-new"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Whether this process runs as root (permissions do not stop root).
fn unsafe_is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A file outside the site that planted links point at: it must stay as it was.
fn target_outside() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("precious.txt");
    std::fs::write(&target, "precious\n").unwrap();
    (dir, target)
}

/// Links planted under the names of the build's lock and probe files (process ids are easy to
/// guess in CI) are never written through: the files they point at stay as they were.
#[test]
fn links_planted_as_the_lock_or_probe_file_are_never_written_through() {
    let (_keep, target) = target_outside();
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("public");
    let pid = std::process::id();
    // A previous site, so that the build probes its folders.
    std::fs::create_dir_all(out.join("campaigns")).unwrap();
    std::fs::write(
        out.join(".qunce-site"),
        "generated by qunce; safe to delete\n",
    )
    .unwrap();
    symlink(
        &target,
        parent.path().join(format!(".public.qunce-lock-{pid}")),
    )
    .unwrap();
    symlink(&target, out.join(format!(".qunce-probe-{pid}"))).unwrap();
    symlink(
        &target,
        out.join("campaigns").join(format!(".qunce-probe-{pid}")),
    )
    .unwrap();
    let page = qunce::write::Output {
        path: "index.html".into(),
        bytes: bytes::Bytes::from_static(b"<!doctype html><title>x</title>"),
    };
    qunce::write::write_site(&out, &[page]).unwrap();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious\n");
    assert!(out.join("index.html").is_file());
}

/// A FIFO named like another build's lock is no lock: the build neither opens it (which would
/// block) nor waits.
#[test]
fn a_fifo_named_like_a_lock_does_not_hang_the_build() {
    let parent = tempfile::tempdir().unwrap();
    let fifo = parent.path().join(".public.qunce-lock-4000000");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let out = parent.path().join("public");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let page = qunce::write::Output {
            path: "index.html".into(),
            bytes: bytes::Bytes::from_static(b"<!doctype html><title>x</title>"),
        };
        tx.send(qunce::write::write_site(&out, &[page]).is_ok())
            .unwrap();
    });
    let built = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the build hung on a FIFO");
    assert!(built);
}

/// `schema --write` refuses a committed link (or a linked folder) instead of overwriting what
/// it points at.
#[test]
fn schema_write_refuses_a_link_and_leaves_its_target() {
    let (_keep, target) = target_outside();
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("schema")).unwrap();
    symlink(&target, site.path().join("schema/plan.schema.json")).unwrap();
    let out = run(site.path(), &["schema", "--write"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a link"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious\n");
    // A linked folder is refused the same way.
    let site = tempfile::tempdir().unwrap();
    symlink(_keep.path(), site.path().join("schema")).unwrap();
    let out = run(site.path(), &["schema", "--write"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!_keep.path().join("plan.schema.json").exists());
    // A plain site gets the file.
    let site = tempfile::tempdir().unwrap();
    let out = run(site.path(), &["schema", "--write"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(site.path().join("schema/plan.schema.json").is_file());
}

/// The base site with its ledger replaced by a workbook, and `limits.max_file_mb: 1`.
fn site_with_workbook_ledger(bytes: &[u8]) -> tempfile::TempDir {
    let site = common::copy_fixture("base");
    std::fs::write(site.path().join("data/demo/ledger.xlsx"), bytes).unwrap();
    let plan = site.path().join("content/campaigns/demo/plan.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, text.replace("demo/ledger.csv", "demo/ledger.xlsx")).unwrap();
    let config = site.path().join("content/site.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("limits: {max_file_mb: 1}\n");
    std::fs::write(&config, text).unwrap();
    site
}

/// A workbook whose used range is the whole sheet (a cell at A1 and one at `XFD1048576`) is
/// an error naming the sheet and the range, checked before any dense range is allocated.
#[test]
fn a_workbook_spanning_the_whole_sheet_is_refused_before_allocation() {
    let sheet = r#"<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>"#;
    let site = site_with_workbook_ledger(&common::xlsx(sheet, &["date"]));
    let out = run(site.path(), &["check"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("error[bad-workbook]"), "{err}");
    assert!(
        err.contains("sheet `支出` uses cells A1 … XFD1048576"),
        "{err}"
    );
}

/// One long shared string used by 60,000 cells (a 5 KB file) counts its length at every use: the
/// read stops at the budget with an error naming the sheet and cell, instead of copying it
/// 60,000 times.
#[test]
fn a_shared_string_used_by_every_cell_counts_at_each_use() {
    let long = "长".repeat(5_000);
    let mut rows = String::new();
    for r in 1..=60_000 {
        rows.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#
        ));
    }
    let site = site_with_workbook_ledger(&common::xlsx(
        &format!("<sheetData>{rows}</sheetData>"),
        &[&long],
    ));
    let out = run(site.path(), &["check"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("sheet `支出` holds more than 8 MB of text by cell A"),
        "{err}"
    );
}
