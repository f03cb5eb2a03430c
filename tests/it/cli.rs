//! End-to-end tests of the `qunce` binary: the example site, a broken copy of it, the golden
//! fixture, and usage errors with their exit codes.

use crate::common;

use std::path::Path;

use assert_cmd::Command;

fn qunce() -> Command {
    let mut cmd = Command::cargo_bin("qunce").unwrap();
    cmd.env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE");
    cmd
}

/// Runs `qunce check [flags] --root <root>`.
fn check(root: &std::path::Path, flags: &[&str]) -> std::process::Output {
    qunce()
        .arg("check")
        .args(flags)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

#[test]
fn check_passes_on_the_example_site() {
    let out = check(&common::repo(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("0 errors"), "{err}");
    assert!(
        err.contains("checked 3 campaign(s) and 5 playbook(s): no errors"),
        "{err}"
    );
}

#[test]
fn build_writes_the_example_site() {
    let site = common::copy_example();
    let out = qunce()
        .args(["build", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("built 3 campaign(s) and 5 playbook(s)"),
        "{err}"
    );
    assert!(site.path().join("public/index.html").is_file());
    assert!(site.path().join("public/.qunce-site").is_file());
}

#[test]
fn a_broken_plan_fails_with_every_problem_located() {
    let site = common::copy_example();
    let plan = site
        .path()
        .join("content/campaigns/runclub-21day-2026/plan.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    let broken = text
        .replace("    metric: checkin_rate\n", "    metric: checkin_rat\n")
        .replace("owner: r_lead\n  period", "owner: r_leader\n  period");
    std::fs::write(&plan, broken).unwrap();
    let out = check(site.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    // Both problems are reported, each with file:line:col, the source line and a hint.
    assert!(
        err.contains("error[unknown-metric]: unknown metric `checkin_rat`"),
        "{err}"
    );
    assert!(
        err.contains("--> content/campaigns/runclub-21day-2026/plan.yaml:53:13"),
        "{err}"
    );
    assert!(
        err.contains("= help: did you mean `checkin_rate`?"),
        "{err}"
    );
    assert!(
        err.contains(
            "error[unresolved-reference]: `r_leader` does not name an entry of `team.roles`"
        ),
        "{err}"
    );
    assert!(
        err.contains("--> content/campaigns/runclub-21day-2026/plan.yaml:10:10"),
        "{err}"
    );
    assert!(err.contains("2 errors"), "{err}");
    // The build refuses too, and writes nothing.
    let out = qunce()
        .args(["build", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!site.path().join("public").exists());
}

#[test]
fn the_golden_fixture_validates_without_errors() {
    let golden = common::golden();
    assert!(
        golden.join("content/site.yaml").is_file(),
        "tests/fixtures/golden is missing"
    );
    let out = check(&golden, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    // members.csv is declared optional and absent: a warning, not an error.
    assert!(
        err.contains("warning[not-computable]: target `t_repurchase`"),
        "{err}"
    );
}

#[test]
fn strict_check_fails_on_warnings() {
    let out = check(&common::repo(), &["--strict"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn usage_and_io_problems_exit_with_2() {
    let out = qunce().args(["check", "--bogus"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = qunce()
        .args(["check", "--root", "/nonexistent/qunce-site"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not a folder"));
    let out = qunce()
        .args(["build", "--as-of", "2025/08/10", "--root"])
        .arg(common::repo())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_folder_without_site_config_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = check(dir.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("content/site.yaml"), "{err}");
    assert!(!Path::new(&err).is_absolute());
}

#[test]
fn kpis_table_and_csv_on_the_example_site() {
    let out = qunce()
        .args([
            "kpis",
            "nuanbake-summer-2025",
            "--format",
            "table",
            "--root",
        ])
        .arg(common::repo())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = String::from_utf8(out.stdout).unwrap();
    // Not a tty: no colour codes; names in both languages; status words with icons.
    assert!(!table.contains('\x1b'));
    assert!(table.contains("30日活跃率 / 30-day active rate"), "{table}");
    assert!(table.contains("✖ missed"), "{table}");
    assert!(table.contains("promotion"), "{table}");
    let out = qunce()
        .args(["kpis", "nuanbake-summer-2025", "--format", "csv", "--root"])
        .arg(common::repo())
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.starts_with("kind,id,metric,value,target,expected,status\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\ntarget,t_active30,active_rate_30d,"),
        "{csv}"
    );
}

#[test]
fn kpis_names_an_unknown_campaign() {
    let out = qunce()
        .args(["kpis", "nuanbake-sumer-2025", "--root"])
        .arg(common::repo())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `nuanbake-summer-2025`?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn strict_check_needs_a_final_post_mortem_to_explain_missed_targets() {
    let site = common::copy_fixture("base");
    let plan = site.path().join("content/campaigns/demo/plan.yaml");
    // Average daily speakers is 10.6, so a target of 11 is missed.
    let text = std::fs::read_to_string(&plan)
        .unwrap()
        .replace("    target: 10\n", "    target: 11\n");
    std::fs::write(&plan, text).unwrap();
    let retro = site.path().join("content/campaigns/demo/retro.md");
    std::fs::write(
        &retro,
        "---\nstatus: final\n---\n## 总结 Summary\n\n一切顺利。\n",
    )
    .unwrap();
    let out = check(site.path(), &["--strict"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "warning[unexplained-variance]: the final post-mortem does not explain `t_speakers`"
        ),
        "{err}"
    );
    assert!(
        err.contains("--> content/campaigns/demo/retro.md:4"),
        "{err}"
    );
    // Unfilled sections of a final post-mortem are warnings too.
    assert!(
        err.contains("warning[unfilled-section]: the final post-mortem's section `## 根因分析`"),
        "{err}"
    );
    // The plain check reports the same warnings and passes.
    let out = check(site.path(), &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("warning[unexplained-variance]"));
    // Explained under its own heading, every section written: strict passes.
    let sections = [
        "总结",
        "风险回顾",
        "做得好的",
        "做得不好的",
        "侥幸之处",
        "根因分析",
        "下期调整建议",
    ]
    .map(|s| format!("## {s}\n\n写了。\n\n"))
    .concat();
    std::fs::write(
        &retro,
        format!("---\nstatus: final\n---\n## 关键偏差说明\n\n### t_speakers\n\n第二周话题冷场。\n\n{sections}"),
    )
    .unwrap();
    let out = check(site.path(), &["--strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn check_warns_when_a_post_mortem_blames_a_role() {
    let site = common::copy_fixture("base");
    let retro = site.path().join("content/campaigns/demo/retro.md");
    // Front matter is lines 1–3, so the body's third line is line 6 of the file.
    std::fs::write(
        &retro,
        "---\nstatus: draft\n---\n## 根因分析 Root causes\n\n复盘时发现社群经理的疏忽导致漏发。\n",
    )
    .unwrap();
    let out = check(site.path(), &[]);
    let err = stderr(&out);
    // A warning, not an error: the check still passes.
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "warning[blame-word]: the post-mortem names the role `社群经理` next to the blame word `疏忽`"
        ),
        "{err}"
    );
    // 「复盘时发现社群经理的」 is 10 characters: the word starts in column 11.
    assert!(
        err.contains("--> content/campaigns/demo/retro.md:6:11"),
        "{err}"
    );
    // --strict fails on warnings.
    let out = check(site.path(), &["--strict"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

/// `check` tells the whole truth: missing days and stale data are warnings (so `--strict`
/// fails), judged as of `--as-of` when given.
#[test]
fn check_reports_data_quality_as_warnings() {
    let site = common::copy_fixture("base");
    let daily = site.path().join("data/demo/daily.csv");
    // Drop 07-04 … 07-06: 7 of 10 days have data, under the 90% default.
    let text: String = std::fs::read_to_string(&daily)
        .unwrap()
        .lines()
        .filter(|l| {
            !["2025-07-04", "2025-07-05", "2025-07-06"]
                .iter()
                .any(|d| l.starts_with(d))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&daily, text).unwrap();
    let out = check(site.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning[data-quality]: days or columns are missing (as of 2025-07-10): 7 of 10 days have data"),
        "{err}"
    );
    let out = check(site.path(), &["--strict"]);
    assert_eq!(out.status.code(), Some(1));
    // The data reaches the period's end (07-10): fifteen days later it is not stale (#22).
    let out = check(site.path(), &["--as-of", "2025-07-25"]);
    assert!(!stderr(&out).contains("stale"), "{}", stderr(&out));
    // Data that stops before the period's end is (more than 3 days of forward fill): here the
    // rows left are 07-01 … 07-03.
    let text: String = std::fs::read_to_string(&daily)
        .unwrap()
        .lines()
        .filter(|l| {
            !["2025-07-07", "2025-07-08", "2025-07-09", "2025-07-10"]
                .iter()
                .any(|d| l.starts_with(d))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&daily, text).unwrap();
    let out = check(site.path(), &["--as-of", "2025-07-25"]);
    assert!(
        stderr(&out).contains("the data stops before the report date (as of 2025-07-25): last data 2025-07-03, 7 day(s) before 2025-07-10"),
        "{}",
        stderr(&out)
    );
}

/// The `qunce new` skeleton's bracketed prompts are not writing: a post-mortem marked final that
/// only keeps them has its sections reported as empty by `check --strict`.
#[test]
fn skeleton_prompts_do_not_fill_a_final_post_mortem() {
    let site = common::copy_fixture("base");
    let retro = site.path().join("content/campaigns/demo/retro.md");
    std::fs::write(
        &retro,
        "---\nstatus: final\n---\n## 总结 Summary\n\n（一句话：目标是否达成，钱花在了哪里，下一步做什么。）\n\n## 根因分析 Root causes\n\n（谈流程，不点名。）\n\n评审环节缺少复核。\n",
    )
    .unwrap();
    let out = check(site.path(), &["--strict"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the final post-mortem's section `## 总结` (summary) is empty"),
        "{err}"
    );
    // Written text beside a prompt fills its section.
    assert!(!err.contains("`## 根因分析` (root causes) is"), "{err}");
}

/// A final post-mortem reads final: no "待填写" for optional sections left out, no writing
/// prompts or data hints printed; a draft keeps them.
#[test]
fn a_final_post_mortem_prints_no_writing_aids() {
    let site = common::copy_example();
    common::build_site(site.path());
    let page = site
        .path()
        .join("public/campaigns/nuanbake-summer-2025/retro/index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("待填写") && !html.contains("class=\"prompts"));
    let retro = site
        .path()
        .join("content/campaigns/nuanbake-summer-2025/retro.md");
    let text = std::fs::read_to_string(&retro).unwrap();
    std::fs::write(&retro, text.replacen("status: final", "status: draft", 1)).unwrap();
    common::build_site(site.path());
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("待填写") && html.contains("class=\"prompts"));
}
