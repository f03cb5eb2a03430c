//! docs/architecture.md#what-the-site-promises ("loud"): no input makes the loaders panic. Random
//! bytes replace the daily export, random text replaces the plan; the checker must answer with
//! diagnostics every time.

use crate::common;

use proptest::prelude::*;

fn check_with(file: &str, bytes: &[u8]) -> bool {
    let site = common::copy_fixture("base");
    std::fs::write(site.path().join(file), bytes).unwrap();
    let (loaded, diags) = qunce::check(site.path());
    // Every diagnostic names a path relative to the site, and rendering them does not panic.
    let _ = diags.render();
    // Whatever passed the checks goes through the rest of the pipeline: findings, compute and
    // the whole site in memory.
    if let Some(loaded) = loaded.filter(|_| !diags.has_errors()) {
        let _ = qunce::findings(&loaded, None);
        let opts = qunce::render::RenderOptions::default();
        if qunce::render_site(site.path(), &loaded, &opts).is_err() {
            return false;
        }
    }
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

/// The example site, loaded once: `--as-of` anywhere from a month before the first campaign
/// starts to a month after the last one ends must compute and render without a panic.
fn example() -> &'static qunce::model::site::Site {
    static SITE: std::sync::OnceLock<qunce::model::site::Site> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let (site, diags) = qunce::check(&common::repo());
        assert!(!diags.has_errors(), "{}", diags.render());
        site.unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20, .. ProptestConfig::default() })]

    #[test]
    fn any_as_of_date_computes_and_renders(offset in 0i64..=1000) {
        let site = example();
        let first = site.campaigns.iter().map(|c| c.plan.campaign.period.start).min().unwrap();
        let last = site.campaigns.iter().map(|c| c.plan.campaign.period.end).max().unwrap();
        let from = first.checked_sub(jiff::Span::new().days(30)).unwrap();
        let span = qunce::model::plan::days_between(from, last) + 60;
        let as_of = from.checked_add(jiff::Span::new().days(offset % span)).unwrap();
        for c in &site.campaigns {
            let k = qunce::compute::campaign(c, as_of);
            let _ = k.to_json(c);
        }
        let opts = qunce::render::RenderOptions { as_of: Some(as_of), ..Default::default() };
        let pages = qunce::render_site(&common::repo(), site, &opts);
        prop_assert!(pages.is_ok(), "{as_of}: {:?}", pages.err());
    }

    #[test]
    fn as_of_before_every_campaign_renders(days_before in 1i64..400) {
        let site = example();
        let first = site.campaigns.iter().map(|c| c.plan.campaign.period.start).min().unwrap();
        let as_of = first.checked_sub(jiff::Span::new().days(days_before)).unwrap();
        let opts = qunce::render::RenderOptions { as_of: Some(as_of), ..Default::default() };
        prop_assert!(qunce::render_site(&common::repo(), site, &opts).is_ok());
    }
}
