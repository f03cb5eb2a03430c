//! The golden fixture (tests/fixtures/golden, a copy of shared/fixtures/golden): `qunce kpis` must
//! reproduce numbers computed by an independent implementation. Comparison rule of its README:
//! money within 0.005, other numbers within 1e-6, null only equals null, statuses and dates
//! exactly; targets and budget categories matched by id; keys qunce adds are ignored.

use crate::common;

use assert_cmd::Command;
use serde_json::Value;

const MONEY_KEYS: &[&str] = &[
    "planned",
    "current",
    "ac",
    "committed",
    "pv",
    "ev",
    "overrun",
    "bac",
    "bac_total",
    "ac_total",
    "cv",
    "sv",
    "eac_typical",
    "eac_atypical",
    "eac_composite",
    "etc",
    "vac",
    "eac_total",
    "reserve_consumed",
];
const MONEY_METRICS: &[&str] = &[
    "gmv",
    "net_revenue",
    "aov",
    "arpu",
    "cac_member",
    "cost_per_member_month",
];

fn compare(path: &str, got: &Value, want: &Value, money: bool, errors: &mut Vec<String>) {
    match (got, want) {
        (_, Value::Object(w)) => {
            for (k, wv) in w {
                let gv = got.get(k).unwrap_or(&Value::Null);
                if got.get(k).is_none() {
                    errors.push(format!("{path}.{k}: missing"));
                    continue;
                }
                let is_money = MONEY_KEYS.contains(&k.as_str())
                    || (path.ends_with(".metrics") && MONEY_METRICS.contains(&k.as_str()))
                    || (money && ["actual", "target", "expected"].contains(&k.as_str()));
                compare(&format!("{path}.{k}"), gv, wv, is_money, errors);
            }
        }
        (Value::Array(g), Value::Array(w)) => {
            for item in w {
                let id = item["id"].as_str().unwrap_or("?");
                match g.iter().find(|x| x["id"] == item["id"]) {
                    None => errors.push(format!("{path}[{id}]: missing")),
                    Some(x) => {
                        let money = item["metric"]
                            .as_str()
                            .is_some_and(|m| MONEY_METRICS.contains(&m));
                        compare(&format!("{path}[{id}]"), x, item, money, errors);
                    }
                }
            }
        }
        (Value::Number(g), Value::Number(w)) => {
            let (g, w) = (g.as_f64().unwrap(), w.as_f64().unwrap());
            let tolerance = if money { 0.005 } else { 1e-6 };
            if (g - w).abs() > tolerance {
                errors.push(format!("{path}: got {g}, expected {w}"));
            }
        }
        (g, w) if g != w => errors.push(format!("{path}: got {g}, expected {w}")),
        _ => {}
    }
}

#[test]
fn kpis_reproduce_the_golden_expected_files() {
    let golden = common::golden();
    let mut expected: Vec<_> = std::fs::read_dir(golden.join("expected"))
        .expect("tests/fixtures/golden/expected is missing")
        .map(|e| e.unwrap().path())
        .collect();
    expected.sort();
    assert_eq!(expected.len(), 2, "{expected:?}");
    let mut errors = Vec::new();
    for file in &expected {
        let want: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let date = want["as_of"].as_str().unwrap();
        let out = Command::cargo_bin("qunce")
            .unwrap()
            .env_remove("RUST_BACKTRACE")
            .args([
                "kpis",
                "nuanbake-summer-2025",
                "--format",
                "json",
                "--as-of",
                date,
                "--root",
            ])
            .arg(&golden)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got: Value = serde_json::from_slice(&out.stdout).unwrap();
        compare(date, &got, &want, false, &mut errors);
    }
    assert!(
        errors.is_empty(),
        "{} differences:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

#[test]
fn json_keys_are_sorted_and_money_has_two_decimals() {
    let golden = common::golden();
    let out = Command::cargo_bin("qunce")
        .unwrap()
        .args([
            "kpis",
            "nuanbake-summer-2025",
            "--format",
            "json",
            "--as-of",
            "2025-08-10",
            "--root",
        ])
        .arg(&golden)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    // serde_json objects keep keys sorted; check the top level and a nested object.
    let top: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  \""))
        .map(|l| l.trim())
        .collect();
    assert!(
        top[0].starts_with("\"as_of\"") && top[1].starts_with("\"budget\""),
        "{top:?}"
    );
    assert!(
        text.contains("\"pv\": 41394.44"),
        "PV of docs/rules.md#budget-example"
    );
    assert!(
        text.contains("\"eac_typical\": 58742.21"),
        "EAC of docs/rules.md#budget-example"
    );
}

/// docs/rules.md#budget-example's reading of the worked example: shares of spend against the PV
/// shares, TCPI_EAC equal to CPI, the red runway and the "recovery unlikely" note.
#[test]
fn worked_example_e5_indicators() {
    use qunce::compute::budget::BudgetStatus;
    let golden = common::golden();
    let (site, diags) = qunce::check(&golden);
    assert!(!diags.has_errors());
    let site = site.unwrap();
    let k = qunce::compute::campaign(&site.campaigns[0], jiff::civil::date(2025, 8, 10));
    let ind = &k.budget.indicators;
    let share = |id: &str| ind.shares.iter().find(|s| s.id == id).unwrap();
    // Share of AC (plan PV share): 49.2% (48.3%), 21.4% (21.7%), 27.3% (29.9%), reserve 2.0%.
    for (id, actual, planned) in [
        ("promotion", 0.492, Some(0.483)),
        ("ops_tech", 0.214, Some(0.217)),
        ("incentives", 0.273, Some(0.299)),
    ] {
        assert!((share(id).actual.unwrap() - actual).abs() < 0.0005, "{id}");
        assert!(
            (share(id).planned.unwrap() - planned.unwrap()).abs() < 0.0005,
            "{id}"
        );
    }
    assert!((share("reserve").actual.unwrap() - 0.020).abs() < 0.0005);
    // TCPI_EAC = 0.919 = CPI when EAC = EAC_typical.
    assert!((ind.tcpi_eac.unwrap() - k.budget.total.cpi.unwrap()).abs() < 1e-9);
    assert!((ind.tcpi_eac.unwrap() - 0.919).abs() < 0.0005);
    // Money runs out 2025-08-22, more than 7 days before the 08-31 end: red.
    assert_eq!(ind.runway_status, Some(BudgetStatus::Over));
    // TCPI_BAC 1.199 > 1.10.
    assert!(ind.recovery_unlikely);
}

/// The golden exports re-saved as Excel workbooks (`tools/make_golden_xlsx.py`: date cells,
/// number cells, a sheet named 数据 starting at B2, a second sheet) reproduce the same numbers.
#[test]
fn kpis_from_workbooks_reproduce_the_golden_expected_files() {
    let site = tempfile::tempdir().unwrap();
    common::copy_tree(&common::golden(), site.path());
    let data = site.path().join("data/nuanbake-summer-2025");
    for name in ["daily", "ledger", "progress"] {
        std::fs::remove_file(data.join(format!("{name}.csv"))).unwrap();
        std::fs::copy(
            common::repo().join(format!("tests/fixtures/golden_xlsx/{name}.xlsx")),
            data.join(format!("{name}.xlsx")),
        )
        .unwrap();
    }
    let plan = site
        .path()
        .join("content/campaigns/nuanbake-summer-2025/plan.yaml");
    let text = std::fs::read_to_string(&plan)
        .unwrap()
        .replace(
            "path: nuanbake-summer-2025/daily.csv",
            "path: nuanbake-summer-2025/daily.xlsx\n    sheet: 数据",
        )
        .replace(
            "nuanbake-summer-2025/ledger.csv",
            "nuanbake-summer-2025/ledger.xlsx",
        )
        .replace(
            "nuanbake-summer-2025/progress.csv",
            "nuanbake-summer-2025/progress.xlsx",
        );
    std::fs::write(&plan, text).unwrap();
    let (loaded, diags) = qunce::check(site.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    let loaded = loaded.unwrap();
    let campaign = &loaded.campaigns[0];
    assert_eq!(campaign.daily.files[0].encoding, "workbook");
    let mut errors = Vec::new();
    for date in ["2025-08-10", "2025-08-31"] {
        let want: Value = serde_json::from_str(
            &std::fs::read_to_string(common::golden().join(format!("expected/kpis-{date}.json")))
                .unwrap(),
        )
        .unwrap();
        let as_of: jiff::civil::Date = date.parse().unwrap();
        let got = qunce::compute::campaign(campaign, as_of).to_json(campaign);
        compare(date, &got, &want, false, &mut errors);
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// A bad cell in a workbook is reported at its sheet cell: the ledger sheet starts at B2, so
/// the first entry (row 3) has its 状态 (the sixth column, from B) in G3.
#[test]
fn a_bad_workbook_cell_names_its_sheet_and_cell() {
    let site = tempfile::tempdir().unwrap();
    common::copy_tree(&common::golden(), site.path());
    let data = site.path().join("data/nuanbake-summer-2025");
    std::fs::copy(
        common::repo().join("tests/fixtures/golden_xlsx/ledger.xlsx"),
        data.join("ledger.xlsx"),
    )
    .unwrap();
    std::fs::remove_file(data.join("ledger.csv")).unwrap();
    let plan = site
        .path()
        .join("content/campaigns/nuanbake-summer-2025/plan.yaml");
    let text = std::fs::read_to_string(&plan)
        .unwrap()
        .replace(
            "nuanbake-summer-2025/ledger.csv",
            "nuanbake-summer-2025/ledger.xlsx",
        )
        .replace("status_map: {已付款: paid, ", "status_map: {");
    std::fs::write(&plan, text).unwrap();
    let (_, diags) = qunce::check(site.path());
    let first = diags
        .sorted()
        .into_iter()
        .find(|d| d.code == "unknown-status")
        .unwrap_or_else(|| panic!("{}", diags.render()))
        .clone();
    assert_eq!(first.line, Some(3));
    assert_eq!(first.field.as_deref(), Some("column `状态`, cell 数据!G3"));
}
