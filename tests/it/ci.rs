//! `qunce new ci gitlab|github|forgejo`: each pipeline parses as plain YAML, and its shell steps
//! run locally against a new site in a git repository with one change on a branch: the
//! check, the diff against the target branch and the build succeed, and the comment and publish
//! steps receive the diff and the site. Installing, posting and publishing are stubbed by
//! commands on PATH (`pip`, `curl`, `gh`, `rsync` that record what they were given).

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn run(dir: &Path, program: &str, args: &[&str]) {
    let out = Command::new(program)
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "ci")
        .env("GIT_AUTHOR_EMAIL", "ci@example.com")
        .env("GIT_COMMITTER_NAME", "ci")
        .env("GIT_COMMITTER_EMAIL", "ci@example.com")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A site as `qunce new` makes it (it checks clean under `--strict`, as a team's should), cloned
/// from a repository whose `main` it branched from, with a ledger amount raised on the branch:
/// what a merge request's pipeline sees.
fn merge_request() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("origin");
    let qunce = |args: &[&str], at: &Path| {
        let out = assert_cmd::Command::cargo_bin("qunce")
            .unwrap()
            .current_dir(at)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    qunce(&["new", "site", "origin"], dir.path());
    qunce(
        &["new", "campaign", "spring", "--start", "2026-03-02"],
        &origin,
    );
    run(&origin, "git", &["init", "-q", "-b", "main"]);
    run(&origin, "git", &["add", "-A"]);
    run(&origin, "git", &["commit", "-qm", "base"]);
    let work = dir.path().join("work");
    run(
        dir.path(),
        "git",
        &["clone", "-q", origin.to_str().unwrap(), "work"],
    );
    run(&work, "git", &["checkout", "-q", "-b", "raise"]);
    let ledger = work.join("data/spring/ledger.csv");
    let text = std::fs::read_to_string(&ledger).unwrap();
    let raised = text.replacen("promotion,1200.00", "promotion,1700.00", 1);
    assert_ne!(
        text, raised,
        "the sample ledger has a 1200.00 promotion row"
    );
    std::fs::write(&ledger, raised).unwrap();
    run(&work, "git", &["commit", "-qam", "raise"]);
    (dir, work)
}

/// A folder of stand-ins for the pipeline's outside world: `pip` does nothing (qunce is the
/// binary under test), `curl`, `gh` and `rsync` write their arguments and the files they were
/// given to `calls.log`.
fn stubs(dir: &Path) -> PathBuf {
    let bin = dir.join("stub-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let qunce = assert_cmd::cargo::cargo_bin("qunce");
    std::os::unix::fs::symlink(&qunce, bin.join("qunce")).unwrap();
    let log = dir.join("calls.log");
    for name in ["pip", "curl", "gh", "rsync"] {
        let script = format!(
            "#!/bin/sh\necho \"{name} $*\" >> '{}'\nfor a in \"$@\"; do case \"$a\" in @*) cat \"${{a#@}}\" >> '{0}';; esac; done\nexit 0\n",
            log.display()
        );
        let path = bin.join(name);
        std::fs::write(&path, script).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    bin
}

/// Runs one shell step in the work tree, with the stubs first on PATH and the forge's variables.
fn step(work: &Path, bin: &Path, text: &str, vars: &[(&str, &str)]) {
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .current_dir(work)
        .args(["-euo", "pipefail", "-c", text])
        .env("PATH", path)
        .env_remove("RUST_BACKTRACE")
        .envs(vars.iter().copied())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "step failed:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The forge's `${{ … }}` expressions, as a pull request from `raise` into `main` sees them.
fn expressions(text: &str) -> String {
    text.replace("${{ github.base_ref }}", "main")
        .replace("${{ github.event.pull_request.number }}", "1")
        .replace("${{ github.token }}", "stub")
        .replace("${{ github.server_url }}", "https://forge.example")
        .replace("${{ github.repository }}", "team/site")
        .replace("${{ secrets.QUNCE_COMMENT_TOKEN }}", "stub")
        .replace(
            "${{ vars.DEPLOY_TARGET }}",
            "deploy@reports.internal:/srv/reports/",
        )
}

fn written(work: &Path, platform: &str, path: &str) -> serde_yaml::Value {
    let out = assert_cmd::Command::cargo_bin("qunce")
        .unwrap()
        .env_remove("RUST_BACKTRACE")
        .current_dir(work)
        .args(["new", "ci", platform])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(work.join(path)).unwrap();
    assert!(text.contains("QUNCE_PIP: \"qunce\""), "{text}");
    // Asking again writes nothing: never overwritten.
    let again = assert_cmd::Command::cargo_bin("qunce")
        .unwrap()
        .current_dir(work)
        .args(["new", "ci", platform])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    serde_yaml::from_str(&text).expect("plain YAML")
}

/// The comment body a step posted (`note.json`, as the forge's API takes it).
fn posted(work: &Path) -> String {
    let note: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(work.join("note.json")).unwrap()).unwrap();
    note["body"].as_str().unwrap().to_string()
}

fn log(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("calls.log")).unwrap_or_default()
}

#[test]
fn the_gitlab_pipeline_checks_diffs_comments_and_publishes() {
    let (dir, work) = merge_request();
    let bin = stubs(dir.path());
    let yaml = written(&work, "gitlab", ".gitlab-ci.yml");
    let vars = [
        ("QUNCE_PIP", "qunce"),
        ("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main"),
        ("QUNCE_COMMENT_TOKEN", "stub"),
        ("CI_API_V4_URL", "https://gitlab.example/api/v4"),
        ("CI_PROJECT_ID", "7"),
        ("CI_MERGE_REQUEST_IID", "1"),
    ];
    let scripts = |job: &str| -> Vec<String> {
        yaml[job]["script"]
            .as_sequence()
            .unwrap_or_else(|| panic!("{job} has a script"))
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    for before in yaml["default"]["before_script"].as_sequence().unwrap() {
        step(&work, &bin, before.as_str().unwrap(), &vars);
    }
    for job in ["qunce-check", "qunce-diff", "pages"] {
        for line in scripts(job) {
            step(&work, &bin, &line, &vars);
        }
    }
    let diff = std::fs::read_to_string(work.join("qunce-diff.md")).unwrap();
    assert!(diff.contains("| 宣传推广 · 实际成本 |"), "{diff}");
    let calls = log(dir.path());
    assert!(calls.contains("pip install --quiet qunce"), "{calls}");
    assert!(
        calls.contains("/projects/7/merge_requests/1/notes"),
        "{calls}"
    );
    assert_eq!(posted(&work), diff, "the comment is the diff");
    assert!(work.join("public/index.html").is_file());
}

#[test]
fn the_github_and_forgejo_workflows_check_diff_comment_and_publish() {
    for (platform, path) in [
        ("github", ".github/workflows/qunce.yml"),
        ("forgejo", ".forgejo/workflows/qunce.yml"),
    ] {
        let (dir, work) = merge_request();
        let bin = stubs(dir.path());
        let yaml = written(&work, platform, path);
        let vars = [("QUNCE_PIP", "qunce")];
        for job in ["review", "publish"] {
            for s in yaml["jobs"][job]["steps"].as_sequence().unwrap() {
                if let Some(run) = s["run"].as_str() {
                    let env: Vec<(String, String)> = s["env"]
                        .as_mapping()
                        .into_iter()
                        .flatten()
                        .map(|(k, v)| {
                            (
                                k.as_str().unwrap().to_string(),
                                expressions(v.as_str().unwrap_or_default()),
                            )
                        })
                        .collect();
                    let mut all: Vec<(&str, &str)> = vars.to_vec();
                    all.extend(env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                    step(&work, &bin, &expressions(run), &all);
                }
            }
        }
        let diff = std::fs::read_to_string(work.join("qunce-diff.md")).unwrap();
        assert!(
            diff.contains("| 宣传推广 · 实际成本 |"),
            "{platform}: {diff}"
        );
        let calls = log(dir.path());
        assert!(
            calls.contains("pip install --quiet qunce"),
            "{platform}: {calls}"
        );
        assert!(work.join("public/index.html").is_file(), "{platform}");
        if platform == "github" {
            assert!(
                calls.contains("gh pr comment 1 --body-file qunce-diff.md"),
                "{calls}"
            );
        } else {
            assert!(
                calls.contains("/api/v1/repos/team/site/issues/1/comments"),
                "{calls}"
            );
            assert_eq!(posted(&work), diff, "the comment is the diff");
            assert!(
                calls.contains("rsync -a --checksum --delete public/"),
                "{calls}"
            );
        }
    }
}
