//! `qunce new` (README.md#command-line): scaffolds that check clean and build, and never overwrite.

use std::path::Path;

use assert_cmd::Command;

fn qunce(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("qunce")
        .unwrap()
        .env_remove("RUST_BACKTRACE")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn text(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_spend_only_campaign_scaffold_checks_clean_and_builds_with_its_spend() {
    for lang in ["zh-CN", "en"] {
        let tmp = tempfile::tempdir().unwrap();
        let out = qunce(tmp.path(), &["new", "site", "x", "--lang", lang]);
        assert!(out.status.success(), "{}", text(&out));
        let site = tmp.path().join("x");
        let args = [
            "new",
            "campaign",
            "ads",
            "--spend-only",
            "--start",
            "2026-03-02",
        ];
        let out = qunce(&site, &args);
        assert!(out.status.success(), "{lang}: {}", text(&out));
        // No daily export is written or read: the plan reads its ledger only.
        assert!(!site.join("data/ads/daily.csv").exists());
        assert!(site.join("data/ads/ledger.csv").is_file());
        let out = qunce(&site, &["check", "--strict"]);
        assert!(out.status.success(), "{lang}: {}", text(&out));
        assert!(text(&out).contains("spend-only"), "{}", text(&out));
        let out = qunce(&site, &["build"]);
        assert!(out.status.success(), "{lang}: {}", text(&out));
        let report = std::fs::read_to_string(site.join("public/campaigns/ads/index.html")).unwrap();
        assert!(report.contains("data-answer=\"money\""), "{lang}");
        // The sample ledger's 1,200.00 + 600.00 + 450.00 = 2,250.00 is what the page says was spent.
        assert!(report.contains("2,250.00"), "{lang}: {report}");
        // Asking for the same campaign again writes nothing.
        let out = qunce(&site, &args);
        assert!(!out.status.success());
    }
}

#[test]
fn a_scaffolded_site_checks_clean_and_builds_in_both_languages() {
    for lang in ["zh-CN", "en"] {
        let tmp = tempfile::tempdir().unwrap();
        let out = qunce(tmp.path(), &["new", "site", "x", "--lang", lang]);
        assert!(out.status.success(), "{}", text(&out));
        let site = tmp.path().join("x");
        // The built site and the pseudonym key never go to git.
        let ignored = std::fs::read_to_string(site.join(".gitignore")).unwrap();
        assert_eq!(ignored.lines().collect::<Vec<_>>(), ["/public", "/.qunce/"]);
        for args in [
            ["new", "campaign", "spring-push", "--start", "2026-03-02"].as_slice(),
            ["new", "playbook", "welcome-flow"].as_slice(),
        ] {
            let out = qunce(&site, args);
            assert!(out.status.success(), "{lang}: {}", text(&out));
        }
        // `--strict` too: the scaffold has no warning at all.
        let out = qunce(&site, &["check", "--strict"]);
        assert!(out.status.success(), "{lang}: {}", text(&out));
        assert!(text(&out).contains("no errors"), "{}", text(&out));
        let out = qunce(&site, &["build"]);
        assert!(out.status.success(), "{lang}: {}", text(&out));
        let report =
            std::fs::read_to_string(site.join("public/campaigns/spring-push/index.html")).unwrap();
        assert!(report.contains("<html lang=\""), "{lang}");
        // The plan points editors at the schema the site holds.
        let plan =
            std::fs::read_to_string(site.join("content/campaigns/spring-push/plan.yaml")).unwrap();
        assert!(
            plan.starts_with("# yaml-language-server: $schema=../../../schema/plan.schema.json\n")
        );
        assert!(site.join("schema/plan.schema.json").is_file());
        // Three phases of two weeks from the start date.
        assert!(
            plan.contains("start: 2026-03-02, end: 2026-03-15"),
            "{plan}"
        );
        assert!(plan.contains("end: 2026-04-12}"), "{plan}");
    }
}

#[test]
fn new_never_overwrites_and_refuses_bad_ids_with_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(qunce(tmp.path(), &["new", "site", "x"]).status.success());
    let site = tmp.path().join("x");
    assert!(
        qunce(&site, &["new", "campaign", "spring-push"])
            .status
            .success()
    );
    let plan = site.join("content/campaigns/spring-push/plan.yaml");
    std::fs::write(&plan, "# my own plan\n").unwrap();
    let before: Vec<_> = walkdir::WalkDir::new(&site)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().path().to_path_buf())
        .collect();
    for args in [
        ["new", "campaign", "spring-push"].as_slice(),
        ["new", "campaign", "Spring Push"].as_slice(),
        ["new", "playbook", "../escape"].as_slice(),
    ] {
        let out = qunce(&site, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert!(text(&out).contains("nothing was written"), "{}", text(&out));
    }
    assert_eq!(std::fs::read_to_string(&plan).unwrap(), "# my own plan\n");
    let after: Vec<_> = walkdir::WalkDir::new(&site)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().path().to_path_buf())
        .collect();
    assert_eq!(before, after);
    // A site onto a non-empty folder, and a campaign outside any site.
    let out = qunce(tmp.path(), &["new", "site", "x"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = qunce(tmp.path(), &["new", "campaign", "lost-one"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("not a qunce site"), "{}", text(&out));
}

/// A title with a colon, a `#` or a line end stays the title: it never writes invalid YAML nor
/// injects keys (`trusted_paths`) into site.yaml.
#[test]
fn a_site_title_is_written_as_one_yaml_string() {
    for title in [
        "Sales: Q1 review",
        "a # b",
        "Sales\ntrusted_paths: [/]",
        "\"quoted\" 'both'",
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let out = qunce(tmp.path(), &["new", "site", "x", "--title", title]);
        assert!(out.status.success(), "{}", text(&out));
        let yaml = std::fs::read_to_string(tmp.path().join("x/content/site.yaml")).unwrap();
        let parsed: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
        assert_eq!(parsed["title"].as_str(), Some(title), "{yaml}");
        assert!(parsed.get("trusted_paths").is_none(), "{yaml}");
        let out = qunce(&tmp.path().join("x"), &["check"]);
        assert!(out.status.success(), "{}", text(&out));
    }
}

/// `new campaign` reads site.yaml through the sandbox: a FIFO or a link out of the site under
/// that name is refused at once, never read (which would hang or read outside the site).
#[cfg(unix)]
#[test]
fn new_refuses_a_fifo_or_link_as_site_yaml() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("site.yaml"),
        "title: elsewhere\nlanguage: en\n",
    )
    .unwrap();
    for planted in ["fifo", "link"] {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("content")).unwrap();
        let site_yaml = tmp.path().join("content/site.yaml");
        if planted == "fifo" {
            let made = std::process::Command::new("mkfifo")
                .arg(&site_yaml)
                .status()
                .unwrap();
            assert!(made.success());
        } else {
            std::os::unix::fs::symlink(outside.path().join("site.yaml"), &site_yaml).unwrap();
        }
        let out = Command::cargo_bin("qunce")
            .unwrap()
            .env_remove("RUST_BACKTRACE")
            .current_dir(tmp.path())
            .args(["new", "campaign", "spring-run"])
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{planted}: {}", text(&out));
        assert!(
            text(&out).contains("cannot read content/site.yaml"),
            "{planted}: {}",
            text(&out)
        );
        assert!(!tmp.path().join("content/campaigns/spring-run").exists());
    }
}

/// `qunce new` never writes through a link: a site whose `.github` is a symbolic link to another
/// folder gets no pipeline there, and the command says why.
#[cfg(unix)]
#[test]
fn new_ci_refuses_a_folder_that_is_a_link_out_of_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out = qunce(tmp.path(), &["new", "site", "x"]);
    assert!(out.status.success(), "{}", text(&out));
    let site = tmp.path().join("x");
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, site.join(".github")).unwrap();
    let out = qunce(&site, &["new", "ci", "github"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("is a symbolic link"), "{}", text(&out));
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
}
