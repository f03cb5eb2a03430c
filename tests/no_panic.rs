//! DESIGN §8 "Loud": no input makes the loaders panic. Random bytes replace the daily export,
//! random text replaces the plan; the checker must answer with diagnostics every time.

mod common;

use proptest::prelude::*;

fn check_with(file: &str, bytes: &[u8]) -> bool {
    let site = common::copy_fixture("base");
    std::fs::write(site.path().join(file), bytes).unwrap();
    let (_, diags) = qunce::check(site.path());
    // Every diagnostic names a path relative to the site, and rendering them does not panic.
    let _ = diags.render();
    diags.iter().all(|d| d.path.is_relative())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn random_bytes_as_daily_export(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        prop_assert!(check_with("data/demo/daily.csv", &bytes));
    }

    #[test]
    fn csv_like_text_as_daily_export(
        rows in proptest::collection::vec("[0-9a-z,\"\\-/.%¥ 年月日\r]{0,40}", 0..12)
    ) {
        let text = format!("date,group_id,members,active_members\n{}", rows.join("\n"));
        prop_assert!(check_with("data/demo/daily.csv", text.as_bytes()));
    }

    #[test]
    fn random_text_as_plan(text in "[a-z_:{}\\[\\], \n\\-0-9%\"']{0,300}") {
        prop_assert!(check_with("content/campaigns/demo/plan.yaml", text.as_bytes()));
    }

    #[test]
    fn random_text_as_playbook(text in "(---\n)?[a-z: \n\\[\\]()#*.-]{0,200}") {
        prop_assert!(check_with("content/playbooks/welcome.md", text.as_bytes()));
    }
}
