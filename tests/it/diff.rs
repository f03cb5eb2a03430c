//! `qunce diff` (README.md#command-line) on a git repository of the example site: revisions are
//! read from the repository's objects, and only what changed is reported.

use crate::common;

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.email=ci@example.com", "-c", "user.name=ci"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn qunce(dir: &Path, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("qunce")
        .unwrap()
        .env_remove("RUST_BACKTRACE")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// The example site in a fresh repository, one commit.
fn repo() -> tempfile::TempDir {
    let dir = common::copy_example();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "base"]);
    dir
}

#[test]
fn raising_one_ledger_amount_by_500_changes_that_category_only() {
    let dir = repo();
    let ledger = dir.path().join("data/nuanbake-summer-2025/ledger.csv");
    let text = std::fs::read_to_string(&ledger).unwrap();
    // The first entry: an amount of 2,000.00 on tools (ops_tech) becomes 2,500.00.
    let line = text.lines().nth(1).unwrap().to_string();
    assert!(line.contains("\"2,000.00\""), "{line}");
    std::fs::write(
        &ledger,
        text.replacen(&line, &line.replace("\"2,000.00\"", "\"2,500.00\""), 1),
    )
    .unwrap();
    git(dir.path(), &["commit", "-qam", "raise"]);
    let out = qunce(dir.path(), &["diff", "HEAD~1", "HEAD", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let changes = report["changes"].as_array().unwrap();
    let ac = changes
        .iter()
        .find(|c| c["field"] == "budget.categories[ops_tech].ac")
        .unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(ac["campaign"], "nuanbake-summer-2025");
    let delta = ac["after"].as_f64().unwrap() - ac["before"].as_f64().unwrap();
    assert!((delta - 500.0).abs() < 1e-9, "{ac}");
    // Nothing for the untouched campaigns.
    assert!(
        changes
            .iter()
            .all(|c| c["campaign"] == "nuanbake-summer-2025"),
        "{report:#}"
    );
    // The summer post-mortem is final, and its data changed.
    assert_eq!(report["final_retros_reopened"][0], "nuanbake-summer-2025");
    // The work tree is the default head: no uncommitted change, nothing to report.
    let out = qunce(dir.path(), &["diff", "HEAD", "--format", "json"]);
    let same: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(same["changes"].as_array().unwrap().len(), 0, "{same:#}");
    // Markdown is ready for a pull-request comment.
    let out = qunce(dir.path(), &["diff", "HEAD~1"]);
    let md = String::from_utf8_lossy(&out.stdout);
    // Names as on the site, values as the pages write them, a change column, the file.
    let row = md
        .lines()
        .find(|l| l.starts_with("| 运营与技术支持 · 实际成本 |"))
        .unwrap_or_else(|| panic!("{md}"));
    assert!(row.ends_with("| +¥500.00 |"), "{row}");
    assert!(
        md.contains("#### 暖焙烘焙研习社 · 夏季「30天烘焙打卡」活跃与转化计划"),
        "{md}"
    );
    assert!(
        md.contains("- `data/nuanbake-summer-2025/ledger.csv`"),
        "{md}"
    );
    // No raw float: no number with more than four decimals anywhere.
    let long_decimals = md
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .any(|t| t.split_once('.').is_some_and(|(_, frac)| frac.len() > 4));
    assert!(!long_decimals, "{md}");
    assert!(!md.contains("budget.categories["), "{md}");
}

#[test]
fn diff_outside_git_or_with_an_unknown_revision_exits_2() {
    let plain = tempfile::tempdir().unwrap();
    common::copy_tree(&common::repo().join("tests/fixtures/base"), plain.path());
    let out = qunce(plain.path(), &["diff", "HEAD"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not inside a git repository"));
    let dir = repo();
    let out = qunce(dir.path(), &["diff", "no-such-branch"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`no-such-branch` is not a revision"));
    assert!(out.stdout.is_empty());
}

/// Plan values reach the reviewer's terminal through `diff`'s diagnostics: escape sequences
/// (a title change, OSC 52 clipboard writes) and bidirectional overrides are shown as
/// `\u{…}`, never sent; the JSON carries them as JSON escapes.
#[test]
fn diff_never_sends_control_or_bidi_characters_to_the_terminal() {
    let dir = repo();
    let plan = dir
        .path()
        .join("content/campaigns/nuanbake-spring-2025/plan.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("metric: "))
        .unwrap()
        .to_string();
    let evil = line.replacen(
        "metric: ",
        "metric: \"x\\e]52;c;cHduZWQ=\\a\\e]0;pwned\\a\\u202Etxt.exe\\u009b2J\" # ",
        1,
    );
    std::fs::write(&plan, text.replacen(&line, &evil, 1)).unwrap();
    for format in ["markdown", "json"] {
        let out = qunce(dir.path(), &["diff", "HEAD", "--format", format]);
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            stdout.contains("txt.exe"),
            "{format}: the diagnostic is shown\n{stdout}"
        );
        for bad in ['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}'] {
            assert!(!stdout.contains(bad), "{format}: {bad:?} sent\n{stdout}");
        }
        if format == "json" {
            let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            assert!(
                v.to_string().contains('\u{202e}'),
                "the value itself is kept"
            );
        }
    }
}

/// A committed blob over `limits.max_file_mb` stops the export with an error naming it; blobs
/// are streamed to disk, never held whole.
#[test]
fn a_blob_over_the_size_cap_is_refused_naming_the_file() {
    let dir = repo();
    let config = dir.path().join("content/site.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("limits: {max_file_mb: 1}\n");
    std::fs::write(&config, text).unwrap();
    std::fs::write(dir.path().join("data/zeros.csv"), vec![b'0'; 2 << 20]).unwrap();
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "big"]);
    let tmp = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::cargo_bin("qunce")
        .unwrap()
        .env_remove("RUST_BACKTRACE")
        .env("TMPDIR", tmp.path())
        .current_dir(dir.path())
        .args(["diff", "HEAD"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("`data/zeros.csv`") && err.contains("over the 1 MB limit"),
        "{err}"
    );
    // Its temporary folder went with the failure.
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

/// Temporary export folders go: at the end of a run, on SIGTERM, and — for a run killed
/// outright — at the next run.
#[cfg(unix)]
#[test]
fn diff_temporary_folders_are_removed_on_sigterm_and_by_the_next_run() {
    let dir = repo();
    let tmp = tempfile::tempdir().unwrap();
    let leftovers = |tmp: &Path| -> Vec<String> {
        std::fs::read_dir(tmp)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("qunce-diff-"))
            .collect()
    };
    // A killed run's folder: a lock file nobody holds.
    let dead = tmp.path().join("qunce-diff-killed");
    std::fs::create_dir_all(dead.join("data")).unwrap();
    std::fs::write(dead.join(".qunce-lock"), "").unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_qunce"))
        .env_remove("RUST_BACKTRACE")
        .env("TMPDIR", tmp.path())
        .current_dir(dir.path())
        .args(["diff", "HEAD"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Stop it while its export folder exists.
    let start = std::time::Instant::now();
    let seen = loop {
        let names = leftovers(tmp.path());
        if names.iter().any(|n| n != "qunce-diff-killed") {
            break true;
        }
        if start.elapsed() > std::time::Duration::from_secs(30)
            || child.try_wait().unwrap().is_some()
        {
            break false;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    };
    assert!(seen, "the run ended before its folder was seen");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{status:?}");
    assert!(
        !dead.exists(),
        "the killed run's folder is removed by the next run"
    );
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

/// Adding one ledger row of 1,234.56 to the summer campaign's prizes: the Markdown a reviewer
/// pastes shows the category's cost as the pages write it, the change in its own column, Chinese
/// names, and no raw float.
#[test]
fn adding_a_ledger_row_reads_as_the_pages_write_it() {
    let dir = repo();
    let ledger = dir.path().join("data/nuanbake-summer-2025/ledger.csv");
    let mut text = std::fs::read_to_string(&ledger).unwrap();
    text.push_str(
        "2025-08-30,FY-099,奖品,wp_checkin_prizes,\"1,234.56\",已付款,补发奖品,某礼品供应商\n",
    );
    std::fs::write(&ledger, text).unwrap();
    git(dir.path(), &["commit", "-qam", "add a row"]);
    let out = qunce(dir.path(), &["diff", "HEAD~1", "HEAD"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8_lossy(&out.stdout);
    let row = md
        .lines()
        .find(|l| l.starts_with("| 奖品与用户激励 · 实际成本 |"))
        .unwrap_or_else(|| panic!("{md}"));
    assert!(row.ends_with("| +¥1,234.56 |"), "{row}");
    assert!(md.contains("| 项目 | 之前 | 之后 | 变化 |"), "{md}");
    let long_decimals = md
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .any(|t| t.split_once('.').is_some_and(|(_, frac)| frac.len() > 4));
    assert!(!long_decimals, "{md}");
}
