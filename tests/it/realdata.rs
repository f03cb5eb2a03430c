//! Real exports nobody on this project wrote (tests/fixtures/realdata/SOURCES.md): the Discord
//! Server Insights files load through the built-in profile, and no real file makes the loader
//! panic, whatever it is pointed at.

use crate::common;

use std::path::Path;

use rust_decimal::Decimal;

const PLAN: &str = r#"schema_version: 1
campaign:
  id: illini-2019
  name: Illini Esports Discord
  owner: r_mod
  period: {start: 2019-03-29, end: 2019-04-30}
  timezone: TIMEZONE
  currency: CNY
community:
  carriers:
    - {id: discord, type: forum, platform: Discord, name: Illini Esports}
team:
  roles:
    - {id: r_mod, title: Moderator, function: community_ops, fte: 0.2}
goals:
  - {id: g_talk, horizon: short, category: engagement, statement: Keep people talking, targets: [t_speakers]}
targets:
  - {id: t_speakers, metric: avg_daily_speakers, target: 40, window: {start: 2019-03-29, end: 2019-04-30}}
phases:
  items:
    - {id: p1, name: All, start: 2019-03-29, end: 2019-04-30, owner: r_mod}
budget:
  total: 0.00
  categories:
    - {id: ops, name: Ops, amount: 0.00}
data:
  daily: {path: "DAILY_PATH", profile: discord_server_insights}
"#;

/// A site whose daily source is `daily_path` (a glob under data/), with the real files copied.
fn site(daily_path: &str) -> tempfile::TempDir {
    site_in(daily_path, "Asia/Shanghai")
}

/// The same site with the plan in `timezone`.
fn site_in(daily_path: &str, timezone: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/campaigns/illini-2019")).unwrap();
    std::fs::write(
        root.join("content/site.yaml"),
        "title: Illini\nlanguage: en\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/campaigns/illini-2019/plan.yaml"),
        PLAN.replace("DAILY_PATH", daily_path)
            .replace("TIMEZONE", timezone),
    )
    .unwrap();
    common::copy_tree(
        &common::repo().join("tests/fixtures/realdata"),
        &root.join("data"),
    );
    dir
}

#[test]
fn discord_insights_load_through_the_builtin_profile() {
    let dir = site(
        "discord/guild-{total-membership,message-activity,leavers,communicators,activation}.csv",
    );
    let (site, diags) = qunce::check(dir.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    let campaign = &site.unwrap().campaigns[0];
    let days = campaign.daily.by_day();
    let day = &days[&jiff::civil::date(2019, 3, 31)];
    // Values read by hand from the files for 2019-03-31:
    assert_eq!(day.get("members"), Some(Decimal::from(1955))); // total_membership
    assert_eq!(day.get("left"), Some(Decimal::from(3))); // long format: 2 + 1 leavers
    assert_eq!(day.get("messages"), Some(Decimal::from(364)));
    assert_eq!(day.get("joined"), Some(Decimal::from(8))); // new_members
    // speakers = visitors × pct_communicated / 100 = 185 × 24.3243…% = 45
    assert_eq!(day.get("speakers"), Some(Decimal::from(45)));
    // 2020-04-05 is one of the days missing from guild-total-membership.csv: missing, not 0.
    let gap = &days[&jiff::civil::date(2020, 4, 5)];
    assert_eq!(gap.get("members"), None);
    assert_eq!(campaign.daily.files.len(), 5);
}

/// Discord's `interval_start_timestamp` is a UTC day bucket (`2019-03-31T00:00:00+00:00`): it
/// names 03-31 whatever the plan's timezone. Converted as an instant it would be 03-30 19:00 in
/// Chicago, shifting every value one day back.
#[test]
fn discord_day_buckets_name_the_same_days_in_every_timezone() {
    let files =
        "discord/guild-{total-membership,message-activity,leavers,communicators,activation}.csv";
    let days_in = |tz: &str| {
        let dir = site_in(files, tz);
        let (site, diags) = qunce::check(dir.path());
        assert!(!diags.has_errors(), "{tz}: {}", diags.render());
        site.unwrap().campaigns[0].daily.by_day()
    };
    let utc = days_in("UTC");
    let chicago = days_in("America/Chicago");
    // 729 days, 2019-03-29 … 2021-03-26 (SOURCES.md), in both.
    assert_eq!(utc.len(), 729);
    assert_eq!(utc.keys().next(), Some(&jiff::civil::date(2019, 3, 29)));
    assert_eq!(utc.keys().last(), Some(&jiff::civil::date(2021, 3, 26)));
    assert_eq!(utc, chicago);
    // Read by hand from guild-message-activity.csv: 2019-03-31 has 364 messages.
    let day = &chicago[&jiff::civil::date(2019, 3, 31)];
    assert_eq!(day.get("messages"), Some(Decimal::from(364)));
}

/// The whole download folder as it comes (docs/data.md#whole-download-folders): `discord/*.csv`
/// reads the five file types the profile names, skips the other sixteen with one note, checks clean
/// under America/Chicago and gives the same days as the five files picked by hand in UTC.
#[test]
fn a_whole_discord_download_folder_checks_clean() {
    let dir = site_in("discord/*.csv", "America/Chicago");
    let (site, diags) = qunce::check(dir.path());
    assert_eq!(
        (diags.error_count(), diags.warning_count()),
        (0, 0),
        "{}",
        diags.render()
    );
    let skipped: Vec<_> = diags.iter().filter(|d| d.code == "file-skipped").collect();
    assert_eq!(skipped.len(), 1);
    assert!(
        skipped[0].message.starts_with("16 file(s)"),
        "{}",
        skipped[0]
    );
    let whole = site.unwrap().campaigns[0].daily.by_day();
    // Discord's `invites` (joins through invites) is not qunce's `invites` (invitations sent).
    assert!(whole.values().all(|r| r.get("invites").is_none()));
    let picked = site_in(
        "discord/guild-{total-membership,message-activity,leavers,communicators,activation}.csv",
        "UTC",
    );
    let (picked, _) = qunce::check(picked.path());
    assert_eq!(whole, picked.unwrap().campaigns[0].daily.by_day());
}

#[test]
fn no_real_file_makes_the_loader_panic() {
    let mut files: Vec<String> =
        std::fs::read_dir(common::repo().join("tests/fixtures/realdata/discord"))
            .unwrap()
            .map(|e| format!("discord/{}", e.unwrap().file_name().to_string_lossy()))
            .collect();
    files.sort();
    files.push("mailinglist-messages-augur.csv".into());
    for file in &files {
        let dir = site(file);
        // Errors are expected for files that are not daily metrics; a panic is not.
        let (site, diags) = qunce::check(dir.path());
        assert!(site.is_some(), "{file}");
        for d in diags.iter() {
            assert!(Path::new(&d.path).is_relative(), "{file}: {d}");
        }
    }
}

#[test]
fn the_mailing_list_dump_is_refused_with_a_reason() {
    let dir = site("mailinglist-messages-augur.csv");
    let (_, diags) = qunce::check(dir.path());
    let codes: Vec<&str> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect();
    // Read as a Discord download it is not one of the profile's files.
    assert!(codes.contains(&"data-missing"), "{}", diags.render());
}

/// A site whose one campaign (2018-04-15 to 04-21, Shanghai) reads the genuine mailing-list
/// dump as its event log, the source given `extra` settings (`, covers: …`).
fn mailing_list_site(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/campaigns/odl-2018")).unwrap();
    std::fs::create_dir_all(root.join("data")).unwrap();
    std::fs::write(root.join("content/site.yaml"), "title: ODL\nlanguage: en\n").unwrap();
    let plan = PLAN
        .replace("illini-2019", "odl-2018")
        .replace("2019-03-29", "2018-04-15")
        .replace("2019-04-30", "2018-04-21")
        .replace("TIMEZONE", "Asia/Shanghai")
        .replace(
            "avg_daily_speakers, target: 40",
            "messages_per_day, target: 1",
        )
        .replace(
            "  daily: {path: \"DAILY_PATH\", profile: discord_server_insights}",
            &format!("  events: {{path: mail.csv{extra}}}"),
        );
    std::fs::write(root.join("content/campaigns/odl-2018/plan.yaml"), plan).unwrap();
    std::fs::copy(
        common::repo().join("tests/fixtures/realdata/mailinglist-messages-augur.csv"),
        root.join("data/mail.csv"),
    )
    .unwrap();
    dir
}

/// An events-only plan over the genuine mailing-list dump (SOURCES.md): the header repeated
/// twice, the first chunk duplicated, one message split over several rows, RFC 2822 dates with
/// mixed offsets. Expected values by hand from the file: three distinct message ids in all;
/// `agrimberg`'s 14:37:58 −0700 on 04-17 and `vorburger`'s 11:11:16 +0200 on 04-18 are both on
/// 2018-04-18 in Shanghai (05:37 and 17:11), so that day has 2 messages and 2 speakers; the
/// other days of the campaign up to the last event are 0, not missing.
#[test]
fn a_mailing_list_dump_gives_distinct_messages_and_speakers_per_day() {
    let dir = mailing_list_site("");
    let root = dir.path();
    let (site, diags) = qunce::check(root);
    assert!(!diags.has_errors(), "{}", diags.render());
    let repeated: Vec<_> = diags
        .iter()
        .filter(|d| d.code == "repeated-header")
        .collect();
    assert_eq!(repeated.len(), 1, "{}", diags.render());
    assert_eq!(repeated[0].line, Some(43));
    assert!(
        repeated[0].found.as_deref() == Some("header lines at 43, 85"),
        "{:?}",
        repeated[0].found
    );
    let campaign = &site.unwrap().campaigns[0];
    let days = campaign.daily.by_day();
    let get = |d: i8, c: &str| {
        days.get(&jiff::civil::date(2018, 4, d))
            .and_then(|r| r.get(c))
    };
    assert_eq!(get(18, "messages"), Some(Decimal::from(2)));
    assert_eq!(get(18, "speakers"), Some(Decimal::from(2)));
    for day in 15..=17 {
        assert_eq!(get(day, "messages"), Some(Decimal::ZERO), "04-{day}");
        assert_eq!(get(day, "speakers"), Some(Decimal::ZERO), "04-{day}");
    }
    // After the last event the log says nothing: missing, not 0.
    assert_eq!(get(19, "messages"), None);
    // The default as-of of an events-only plan is its last event day.
    assert_eq!(
        qunce::compute::default_as_of(campaign),
        Some(jiff::civil::date(2018, 4, 18))
    );
    // Four days, 2 messages: 0.5 a day.
    let k = qunce::compute::campaign(campaign, jiff::civil::date(2018, 4, 18));
    assert_eq!(k.metrics["messages_per_day"], Ok(0.5));
}

/// Rolling uniques from the same dump's writers, by hand: An Ho wrote on 2016-03-25 (Shanghai),
/// `agrimberg` and `vorburger` on 2018-04-18, nobody else. Without `covers` the archive counts
/// from its first message (2016), so every window is known: 0 writers in the 7 and 30 days up to
/// 04-17, 2 from 04-18 until the 7-day window has passed them (04-24 the last day with 2, 04-25
/// with 0) and the 30-day one (05-17 the last, 05-18 0), the log being open: quiet days after
/// its last message count as quiet.
#[test]
fn a_mailing_list_dump_gives_rolling_unique_writers() {
    let dir = mailing_list_site("");
    let (site, diags) = qunce::check(dir.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    let campaign = &site.unwrap().campaigns[0];
    let days = campaign
        .daily
        .by_day_through(Some(jiff::civil::date(2018, 5, 20)));
    let get = |m: i8, d: i8, c: &str| {
        days.get(&jiff::civil::date(2018, m, d))
            .and_then(|r| r.get(c))
            .and_then(|v| u64::try_from(v).ok())
    };
    for (m, d, daily, seven, thirty) in [
        (4, 15, 0, 0, 0),
        (4, 17, 0, 0, 0),
        (4, 18, 2, 2, 2),
        (4, 19, 0, 2, 2),
        (4, 24, 0, 2, 2),
        (4, 25, 0, 0, 2),
        (5, 17, 0, 0, 2),
        (5, 18, 0, 0, 0),
    ] {
        assert_eq!(get(m, d, "active_members"), Some(daily), "{m}-{d}");
        assert_eq!(get(m, d, "active_members_7d"), Some(seven), "{m}-{d}");
        assert_eq!(get(m, d, "active_members_30d"), Some(thirty), "{m}-{d}");
    }
    // The report date of an events-only plan is still its last message day.
    assert_eq!(
        qunce::compute::default_as_of(campaign),
        Some(jiff::civil::date(2018, 4, 18))
    );
}

/// With `covers` from the campaign's first day, a window that reaches before it is unknown,
/// never the writers of its part: the 7-day count from 04-21 on (04-15 to 04-21: 2), no 30-day
/// count in the whole campaign, and the metrics on it say why.
#[test]
fn a_rolling_count_whose_window_the_log_does_not_cover_is_unknown() {
    let dir = mailing_list_site(", covers: {start: 2018-04-15, end: 2018-04-21}");
    let (site, diags) = qunce::check(dir.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    let campaign = &site.unwrap().campaigns[0];
    let days = campaign.daily.by_day();
    let get = |d: i8, c: &str| {
        days.get(&jiff::civil::date(2018, 4, d))
            .and_then(|r| r.get(c))
    };
    assert_eq!(get(18, "active_members"), Some(Decimal::from(2)));
    for d in 15..=20 {
        assert_eq!(get(d, "active_members_7d"), None, "04-{d}");
    }
    assert_eq!(get(21, "active_members_7d"), Some(Decimal::from(2)));
    for d in 15..=21 {
        assert_eq!(get(d, "active_members_30d"), None, "04-{d}");
    }
    let k = qunce::compute::campaign(campaign, jiff::civil::date(2018, 4, 21));
    assert_eq!(
        k.metrics["active_rate_30d"],
        Err(qunce::compute::undefined::Undefined::RollingNotYetKnown(
            "active_members_30d".into()
        ))
    );
}
