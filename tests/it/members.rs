//! Member-level data (docs/members.md): a members file and an attendance file added to a small
//! campaign give the hand-computed values of `tests/fixtures/members/README.md`; names and ids
//! never leave the loader.

use crate::common;

use jiff::civil::date;
use qunce::compute::undefined::Undefined;

const PLAN: &str = r#"schema_version: 1
campaign:
  id: club-july
  name: 七月会员月
  owner: r_mod
  period: {start: 2025-07-01, end: 2025-07-31}
  timezone: Asia/Shanghai
  currency: CNY
community:
  name: 烘焙会员群
  carriers:
    - {id: g1, type: im_group, platform: 企业微信, name: 一群}
  tiers:
    - {id: potential, name: 潜在用户, criteria: 关注未入群}
    - {id: newbie, name: 新手, criteria: 入群≤14天}
    - {id: active, name: 活跃用户, criteria: 每周发言}
    - {id: core, name: 核心用户, criteria: 连续打卡, high_value: true}
    - {id: kol, name: 意见领袖, criteria: 带动讨论, high_value: true}
team:
  roles:
    - {id: r_mod, title: 群主, function: community_ops, fte: 0.5}
goals:
  - {id: g_keep, horizon: short, category: growth, statement: 留住新人并促进复购, targets: [t_repurchase, t_ret14]}
targets:
  - {id: t_repurchase, metric: repurchase_rate, target: 50%, window: {start: 2025-07-01, end: 2025-07-31}}
  - {id: t_ret14, metric: retention_membership.14, target: 60%, window: {start: 2025-07-01, end: 2025-07-31}}
phases:
  items:
    - {id: p1, name: 全程, start: 2025-07-01, end: 2025-07-31, owner: r_mod}
activities:
  - {id: salon1, name: 第一次沙龙, type: salon, date: 2025-07-10, expected_participants: 20}
  - {id: salon2, name: 第二次沙龙, type: salon, date: 2025-07-20, expected_participants: 15}
  - {id: workshop, name: 面包工作坊, type: workshop, date: 2025-07-25, expected_participants: 10}
budget:
  total: 2000.00
  categories:
    - {id: promo, name: 拉新推广, amount: 1200.00, acquisition_cost: true}
    - {id: ops, name: 运营, amount: 800.00}
data:
  daily: {path: daily.csv}
  ledger: {path: ledger.csv}
MEMBERS
"#;

const MEMBERS: &str = "  members: {path: members.csv, pseudonymize: [昵称]}
  activities: {path: activities.csv}";

const LEDGER: &str =
    "date,category,amount\n2025-07-05,promo,400\n2025-07-10,ops,100\n2025-07-20,promo,200\n";

/// A site with the plan's data section ending in `members_yaml` and the fixture's files.
fn site(members_yaml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/campaigns/club-july")).unwrap();
    std::fs::create_dir_all(root.join("data")).unwrap();
    std::fs::write(
        root.join("content/site.yaml"),
        "title: 会员月\nlanguage: zh-CN\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/campaigns/club-july/plan.yaml"),
        PLAN.replace("MEMBERS", members_yaml),
    )
    .unwrap();
    // 100 members on 07-01, one more each day: 109 on 07-10, 119 on 07-20, 130 on 07-31.
    let mut daily = String::from("date,members\n");
    for d in 1..=31 {
        daily.push_str(&format!("2025-07-{d:02},{}\n", 99 + d));
    }
    std::fs::write(root.join("data/daily.csv"), daily).unwrap();
    std::fs::write(root.join("data/ledger.csv"), LEDGER).unwrap();
    for name in ["members.csv", "activities.csv"] {
        std::fs::copy(
            common::repo().join("tests/fixtures/members").join(name),
            root.join("data").join(name),
        )
        .unwrap();
    }
    dir
}

fn kpis(members_yaml: &str, as_of: jiff::civil::Date) -> qunce::compute::CampaignKpis {
    let dir = site(members_yaml);
    let (loaded, diags) = qunce::check(dir.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    qunce::compute::campaign(&loaded.unwrap().campaigns[0], as_of)
}

fn close(actual: &Result<f64, Undefined>, expected: f64) -> bool {
    actual.as_ref().is_ok_and(|a| (a - expected).abs() < 1e-9)
}

#[test]
fn the_members_file_gives_the_hand_computed_metrics() {
    let k = kpis(MEMBERS, date(2025, 7, 31));
    let m = &k.metrics;
    for (id, expected) in [
        ("repurchase_rate", 0.6),
        ("buyer_penetration", 5.0 / 6.0),
        ("cac_customer", 150.0),
        ("new_high_value_members", 2.0),
        ("tier_share.core", 1.0 / 6.0),
        ("tier_share.active", 1.0 / 6.0),
        ("tier_share.kol", 1.0 / 6.0),
        ("tier_share.newbie", 2.0 / 6.0),
        ("tier_share.potential", 0.0),
        ("retention_membership.7", 4.0 / 6.0),
        ("retention_membership.14", 0.6),
        ("retention_membership.30", 1.0),
    ] {
        assert!(
            close(&m[id], expected),
            "{id}: {:?}, expected {expected}",
            m[id]
        );
    }
    // The flat key it replaces is gone; a conversion needs a history the file does not have.
    assert!(!m.contains_key("retention_membership_n"));
    // Targets read the same figures.
    let repurchase = k.targets.iter().find(|t| t.id == "t_repurchase").unwrap();
    assert_eq!(repurchase.actual, Some(0.6));
    let kept = k.targets.iter().find(|t| t.id == "t_ret14").unwrap();
    assert_eq!(kept.actual, Some(0.6));
}

#[test]
fn cohorts_without_n_days_behind_them_are_censored_never_lost() {
    let k = kpis(MEMBERS, date(2025, 7, 5));
    assert_eq!(
        k.metrics["retention_membership.7"],
        Err(Undefined::AllCensored { days: 7 })
    );
}

#[test]
fn attendance_gives_rates_per_activity_and_coverage_as_a_union() {
    let k = kpis(MEMBERS, date(2025, 7, 31));
    let m = &k.metrics;
    assert!(
        close(&m["event_attendance_rate.salon1"], 3.0 / 109.0),
        "{:?}",
        m["event_attendance_rate.salon1"]
    );
    assert!(close(&m["event_attendance_rate.salon2"], 3.0 / 119.0));
    assert!(close(&m["event_attendance_rate"], 6.0 / 228.0));
    // Five distinct people, not 3 + 3.
    assert!(
        close(&m["event_coverage"], 5.0 / 130.0),
        "{:?}",
        m["event_coverage"]
    );
    assert_eq!(
        m["event_attendance_rate.workshop"],
        Err(Undefined::NoAttendance)
    );
}

#[test]
fn an_empty_orders_cell_is_unknown_never_zero() {
    let dir = site(MEMBERS);
    let path = dir.path().join("data/members.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    // Member 03's count of 0 left empty.
    let text = text.replace("2025-07-01,,0\n", "2025-07-01,,\n");
    std::fs::write(&path, text).unwrap();
    let (loaded, diags) = qunce::check(dir.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    let k = qunce::compute::campaign(&loaded.unwrap().campaigns[0], date(2025, 7, 31));
    assert_eq!(
        k.metrics["repurchase_rate"],
        Err(Undefined::EmptyCells {
            column: "orders_in_window",
            members: 1
        })
    );
}

#[test]
fn a_column_naming_a_person_is_refused_unless_pseudonymized() {
    let dir = site("  members: {path: members.csv}");
    let (_, diags) = qunce::check(dir.path());
    let refused = diags
        .iter()
        .find(|d| d.code == "personal-column")
        .unwrap_or_else(|| panic!("{}", diags.render()));
    assert!(refused.is_error());
    assert!(refused.message.contains("`昵称`"), "{refused}");
    assert_eq!(refused.path, std::path::Path::new("data/members.csv"));
    assert_eq!(refused.line, Some(1));
    assert!(
        refused
            .help
            .as_deref()
            .is_some_and(|h| h.contains("pseudonymize: [昵称]")),
        "{refused}"
    );
    // Listed, a name may be the member id (hashed) but nothing else.
    let dir = site("  members: {path: members.csv, pseudonymize: [昵称], columns: {source: 昵称}}");
    let (_, diags) = qunce::check(dir.path());
    let d = diags
        .iter()
        .find(|d| d.code == "personal-column")
        .unwrap_or_else(|| panic!("{}", diags.render()));
    assert!(d.message.contains("`source`"), "{d}");
}

/// An attendance sheet names its members as the member list does (`客户编号` in both); a sheet
/// with no attendee column and no count gets one error naming its headers, not one per row.
#[test]
fn an_attendance_sheet_reads_the_member_list_s_id_header() {
    let dir = site(MEMBERS);
    let path = dir.path().join("data/activities.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("成员ID", "客户编号", 1)).unwrap();
    let (loaded, diags) = qunce::check(dir.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    let c = &loaded.unwrap().campaigns[0];
    // salon1 (07-10): 01, 03 (twice), 06 = 3 of 109 members (tests/fixtures/members/README.md).
    let k = qunce::compute::campaign(c, date(2025, 7, 31));
    assert!(
        close(&k.metrics["event_attendance_rate.salon1"], 3.0 / 109.0),
        "{:?}",
        k.metrics["event_attendance_rate.salon1"]
    );

    std::fs::write(&path, text.replacen("成员ID", "签到人", 1)).unwrap();
    let (_, diags) = qunce::check(dir.path());
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{}", diags.render());
    let e = errors[0];
    assert_eq!(e.code, "missing-column");
    assert_eq!(e.path, std::path::Path::new("data/activities.csv"));
    assert!(
        e.message.ends_with("the headers are `活动ID`, `签到人`"),
        "{e}"
    );
    assert!(
        e.expected
            .as_deref()
            .is_some_and(|x| x.contains("客户编号")),
        "{e}"
    );
}

/// Without `tier_since` a file tells each member's tier on the report date only: the first
/// day's column is "—" with the reason, never a column of zeros; the report date keeps its
/// counts (fixture README: on 07-31 core 1, active 1, kol 1, newbie 2 of 6 present).
#[test]
fn without_tier_since_the_first_day_s_tiers_are_unknown_not_zero() {
    let dir = site(MEMBERS);
    let path = dir.path().join("data/members.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    // Drop the sixth column, 分层时间 (no cell before it holds a comma but 小六's quoted tags).
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut out = csv::Writer::from_writer(Vec::new());
    let drop = |r: &csv::StringRecord| -> Vec<String> {
        r.iter()
            .enumerate()
            .filter(|(i, _)| *i != 5)
            .map(|(_, c)| c.to_string())
            .collect()
    };
    out.write_record(drop(rdr.headers().unwrap())).unwrap();
    for r in rdr.records() {
        out.write_record(drop(&r.unwrap())).unwrap();
    }
    std::fs::write(&path, out.into_inner().unwrap()).unwrap();
    // The daily export ends on 07-31: the report date.
    common::build_site(dir.path());
    let html =
        std::fs::read_to_string(dir.path().join("public/campaigns/club-july/index.html")).unwrap();
    let tiers = &html[html.find("id=\"people-tiers\"").unwrap()..];
    let tiers = &tiers[..tiers.find("</table>").unwrap()];
    assert!(tiers.contains("没有 <code>tier_since</code>"), "{tiers}");
    let row = |name: &str| {
        let at = tiers.find(&format!(">{name}</th>")).unwrap();
        tiers[at..at + tiers[at..].find("</tr>").unwrap()].to_string()
    };
    assert_eq!(
        row("核心用户"),
        ">核心用户</th><td class=\"num\">—</td><td class=\"num\">1 人 · 16.7%</td>"
    );
    assert_eq!(
        row("新手"),
        ">新手</th><td class=\"num\">—</td><td class=\"num\">2 人 · 33.3%</td>"
    );
    assert!(!tiers.contains(">当时层级不明</th>"), "{tiers}");
}

#[test]
fn a_bad_member_row_is_located_without_showing_the_row() {
    let dir = site(MEMBERS);
    let path = dir.path().join("data/members.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("2025-07-26,,新手", "2025-07-32,,新手")).unwrap();
    let (_, diags) = qunce::check(dir.path());
    let bad = diags
        .iter()
        .find(|d| d.code == "bad-date")
        .unwrap_or_else(|| panic!("{}", diags.render()));
    assert_eq!(bad.line, Some(10));
    assert_eq!(bad.field.as_deref(), Some("入群时间"));
    let shown = diags.render();
    assert!(
        !shown.contains("mbr-ALPHA") && !shown.contains("九妹"),
        "{shown}"
    );
}

#[test]
fn no_member_id_name_or_hash_reaches_the_site() {
    use hmac::{Hmac, Mac};
    let dir = site(MEMBERS);
    let out = assert_cmd::Command::cargo_bin("qunce")
        .unwrap()
        .env_remove("RUST_BACKTRACE")
        .env("QUNCE_PSEUDONYM_KEY", "test key")
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let csv =
        std::fs::read_to_string(common::repo().join("tests/fixtures/members/members.csv")).unwrap();
    let mut secrets: Vec<String> = Vec::new();
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let (id, name) = (cells[0], cells[1]);
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(b"test key").unwrap();
        mac.update(id.as_bytes());
        let hash = mac.finalize().into_bytes();
        let hex: String = hash[..16].iter().map(|b| format!("{b:02x}")).collect();
        secrets.extend([id.to_string(), name.to_string(), hex]);
    }
    secrets.push("guest-ZULU-99".into());
    for entry in walkdir::WalkDir::new(dir.path().join("public")) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned();
        for s in &secrets {
            assert!(
                !text.contains(s.as_str()),
                "{} holds `{s}`",
                entry.path().display()
            );
        }
    }
    for s in &secrets {
        assert!(!stderr.contains(s.as_str()), "the build printed `{s}`");
    }
    // The report does show the member-level figures.
    let report =
        std::fs::read_to_string(dir.path().join("public/campaigns/club-july/index.html")).unwrap();
    assert!(
        report.contains("复购率"),
        "no repurchase rate on the report"
    );
}

/// A customer list in the layout of WeCom's 客户列表 export, by hand: 张伟 was added by two staff
/// (one member: joined 07-02, the higher tier of 核心用户 and 新手), 李娜 is 新手, 王芳's only tag
/// names no tier. The list was exported on 07-31, the campaign's last day: of its 3 members, 1
/// is core and 1 newbie. It has no leave days, so membership retention is never computed from it.
const WECOM_LIST: &str = "\
客户名称,客户类型,添加人,添加时间,来源,标签,备注名
张伟,微信,运营小李,2025-07-02 10:00:00,扫描渠道二维码,\"核心用户,北京\",张伟-老客
李娜,微信,运营小李,2025-07-05 11:20:00,群聊,新手,
张伟,微信,运营小王,2025-07-08 09:00:00,名片分享,新手,
王芳,微信,运营小王,2025-07-20 15:00:00,扫描渠道二维码,北京,
";

#[test]
fn a_wecom_customer_list_gives_tier_shares_on_the_day_it_was_exported() {
    let source = "  members: {path: customers.csv, profile: wecom_customer_list, pseudonymize: [客户名称, 备注名], exported_on: 2025-07-31}";
    let dir = site(source);
    std::fs::write(dir.path().join("data/customers.csv"), WECOM_LIST).unwrap();
    let (loaded, diags) = qunce::check(dir.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    let k = qunce::compute::campaign(&loaded.unwrap().campaigns[0], date(2025, 7, 31));
    assert!(
        close(&k.metrics["tier_share.core"], 1.0 / 3.0),
        "{:?}",
        k.metrics["tier_share.core"]
    );
    assert!(close(&k.metrics["tier_share.newbie"], 1.0 / 3.0));
    assert_eq!(
        k.metrics["retention_membership.7"],
        Err(Undefined::MemberColumnMissing("left_on"))
    );
    // On another day the list cannot tell who was a member.
    let (loaded, _) = qunce::check(dir.path());
    let k = qunce::compute::campaign(&loaded.unwrap().campaigns[0], date(2025, 7, 20));
    assert_eq!(
        k.metrics["tier_share.core"],
        Err(Undefined::NoLeaveDates {
            day: date(2025, 7, 20),
            exported_on: Some(date(2025, 7, 31))
        })
    );
    // A target on a tier share, with the list exported a day after the window's end: `check`
    // warns before the page shows "unknown".
    let late = site(&source.replace("2025-07-31", "2025-08-01"));
    std::fs::write(late.path().join("data/customers.csv"), WECOM_LIST).unwrap();
    let plan = late.path().join("content/campaigns/club-july/plan.yaml");
    let text = std::fs::read_to_string(&plan).unwrap().replace(
        "targets: [t_repurchase, t_ret14]}",
        "targets: [t_repurchase, t_ret14, t_core]}",
    );
    let text = text.replace(
        "phases:",
        "  - {id: t_core, metric: tier_share.core, target: 30%, window: {start: 2025-07-01, end: 2025-07-31}}\nphases:",
    );
    std::fs::write(&plan, text).unwrap();
    let (loaded, diags) = qunce::check(late.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    let found = qunce::findings(&loaded.unwrap(), Some(date(2025, 7, 31)));
    let warned: Vec<_> = found
        .iter()
        .filter(|d| d.code == "target-unknown")
        .collect();
    assert_eq!(warned.len(), 1, "{found:?}");
    assert_eq!(
        warned[0].message,
        "target `t_core` (tier_share.core) is unknown as of 2025-07-31"
    );
    assert!(
        warned[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("who left between 2025-07-31 and 2025-08-01")),
        "{}",
        warned[0]
    );
    // 王芳's only tag, 北京, names no tier: one warning, silenced by mapping the word to "".
    let warned = |yaml: &str| {
        let dir = site(yaml);
        std::fs::write(dir.path().join("data/customers.csv"), WECOM_LIST).unwrap();
        let (_, diags) = qunce::check(dir.path());
        diags
            .iter()
            .filter(|d| d.code == "tier-not-found")
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        warned(source),
        ["1 member(s) have a tier cell naming no tier of the plan: they count in no tier"]
    );
    assert!(warned(&source.replace("}", ", tier_map: {北京: \"\"}}")).is_empty());
    // Without `pseudonymize` the names are refused, both of them in one error.
    let dir = site("  members: {path: customers.csv, profile: wecom_customer_list}");
    std::fs::write(dir.path().join("data/customers.csv"), WECOM_LIST).unwrap();
    let (_, diags) = qunce::check(dir.path());
    let refused = diags
        .iter()
        .find(|d| d.code == "personal-column")
        .unwrap_or_else(|| panic!("{}", diags.render()));
    assert!(
        refused.message.contains("`客户名称`, `备注名`"),
        "{refused}"
    );
}

/// The example's spring campaign has a members file and attendance: its report and its
/// post-mortem show the tier, cohort and activity sections, with the censored cells of the
/// last weeks saying 未满 (the week of 04-21 has had no day 1 by 04-27), never 0 %.
#[test]
fn the_example_shows_tiers_cohorts_and_activities() {
    let site = common::built_example();
    let dir = site.path().join("public/campaigns/nuanbake-spring-2025");
    for (page, prefix) in [("index.html", ""), ("retro/index.html", "s-")] {
        let html = std::fs::read_to_string(dir.join(page)).unwrap();
        for section in ["people-tiers", "people-cohorts", "people-activities"] {
            assert!(
                html.contains(&format!("id=\"{prefix}{section}\"")),
                "{page} has no {section}"
            );
        }
        let heat = &html[html.find("<table class=\"heat\">").unwrap()..];
        let heat = &heat[..heat.find("</table>").unwrap()];
        let last = heat.rsplit("<tr>").next().unwrap();
        assert!(last.contains("2025-04-21"), "{last}");
        assert_eq!(
            last.matches("class=\"num censored\"><small>未满</small></td>")
                .count(),
            4,
            "{last}"
        );
        assert!(!heat.contains(">0.0%<"), "a censored cell reads 0");
        // The planned size stands beside the turnout (salon ①: 50 expected, 45 came).
        let salon = &html[html
            .find(&format!("id=\"{prefix}activity-a_salon_1\""))
            .unwrap()..];
        let salon = &salon[..salon.find("</tr>").unwrap()];
        assert!(
            salon.contains(">50 人<") && salon.contains(">45 人<"),
            "{salon}"
        );
        // The two salons share one work package (ledger: 2,300 + 2,500): its spend is spread
        // over both salons' 45 + 41 people, 4,800 ÷ 86 = 55.81 each, never 4,800 charged to
        // each. The check-in challenge has its own: (3,000 − 150 + 3,600) ÷ 64 = 100.78.
        for (id, cost) in [
            ("a_salon_1", "¥55.81"),
            ("a_salon_2", "¥55.81"),
            ("a_checkin21", "¥100.78"),
        ] {
            let row = common::row_from(&html, &format!("id=\"{prefix}activity-{id}\""));
            assert!(row.contains(&format!(">{cost}</td>")), "{row}");
        }
        assert!(
            html.contains("「主题沙龙①软欧包入门」、「主题沙龙②全麦吐司」共用一个工作包"),
            "{page}: the shared cost is not explained"
        );
        // Conversions between tiers say what they need.
        assert!(html.contains("没有每位会员的层级变化记录"), "{page}");
        // The total under the tiers is the sum of their rows, on each day.
        let tiers = &html[html.find("<table class=\"tiers\">").unwrap()..];
        let tiers = &tiers[..tiers.find("</table>").unwrap()];
        let (body, foot) = tiers.split_once("<tfoot>").expect("a total row");
        for column in [0, 1] {
            let people = |row: &str| -> u32 {
                let cell = row.split("<td class=\"num\">").nth(column + 1).unwrap();
                cell[..cell.find(" 人").unwrap()].parse().unwrap()
            };
            let rows: u32 = body.split("<tr>").skip(2).map(people).sum();
            assert_eq!(people(foot), rows, "{tiers}");
        }
        // Each shade says what share it stands for.
        for step in ["&lt;50%", "50–70%", "70–85%", "85–95%", "≥95%"] {
            assert!(
                html.contains(&format!("\">{step}</span>")),
                "{page}: no {step}"
            );
        }
        // The check-in challenge runs from its start to its end (plan: 03-17 … 04-06).
        let challenge = &html[html
            .find(&format!("id=\"{prefix}activity-a_checkin21\""))
            .unwrap()..];
        let challenge = &challenge[..challenge.find("</tr>").unwrap()];
        assert!(
            challenge.contains("2025-03-17</span> – <span class=\"nowrap\">2025-04-06"),
            "{challenge}"
        );
    }
    // The post-mortem states the event coverage once, in its activity section.
    let retro = std::fs::read_to_string(dir.join("retro/index.html")).unwrap();
    // Its sources list every file a figure came from, the member-level ones too.
    let sources = &retro[retro.find("id=\"s-sources\"").unwrap()..];
    for file in ["daily.csv", "ledger.csv", "members.csv", "attendance.csv"] {
        assert!(
            sources.contains(&format!("nuanbake-spring-2025&#x2f;{file}</code>")),
            "the sources leave out {file}"
        );
    }
    assert_eq!(retro.matches("活动覆盖率").count(), 1);
    // The KPI JSON has the suffixed figures as flat, dotted keys.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("kpis.json")).unwrap()).unwrap();
    let metrics = &json["metrics"];
    for key in [
        "retention_membership.7",
        "retention_membership.30",
        "tier_share.core",
        "event_attendance_rate.a_salon_1",
        "event_coverage",
        "repurchase_rate",
    ] {
        assert!(
            metrics.get(key).is_some(),
            "kpis.json has no `{key}`: {metrics}"
        );
    }
    assert!(metrics.get("retention_membership_n").is_none());
}

/// Day-N activity retention from a message log whose writers are the members' ids, by hand
/// (the log covers July): of the 6 members who joined by 07-24 (03, 04, 05, 06, 07, 08), those
/// who wrote on their day 7 are 03 (07-08), 05 (07-10) and 07 (07-22); 04 wrote on its day 6 and
/// 06 on its day 6, 08 never: 3 / 6. Day 30: only 03 (joined 07-01) has it, and did not write
/// on 07-31: 0, a value, not a censored cohort.
#[test]
fn a_log_of_the_members_writing_gives_activity_retention() {
    const LOG: &str = "\
时间,消息ID,发送者
2025-07-05T10:00:00+08:00,e1,mbr-ALPHA-01
2025-07-08T10:00:00+08:00,e2,mbr-ALPHA-03
2025-07-08T11:00:00+08:00,e3,mbr-ALPHA-04
2025-07-10T09:00:00+08:00,e4,mbr-ALPHA-05
2025-07-16T09:00:00+08:00,e5,mbr-ALPHA-06
2025-07-22T20:00:00+08:00,e6,mbr-ALPHA-07
2025-07-22T21:00:00+08:00,e7,mbr-ALPHA-07
";
    let sources = format!(
        "{MEMBERS}\n  events: {{path: log.csv, covers: {{start: 2025-07-01, end: 2025-07-31}}}}"
    );
    let dir = site(&sources);
    std::fs::write(dir.path().join("data/log.csv"), LOG).unwrap();
    let (loaded, diags) = qunce::check(dir.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    let k = qunce::compute::campaign(&loaded.unwrap().campaigns[0], date(2025, 7, 31));
    assert!(
        close(&k.metrics["retention_activity.7"], 0.5),
        "{:?}",
        k.metrics["retention_activity.7"]
    );
    assert_eq!(k.metrics["retention_activity.30"], Ok(0.0));
    // A log whose writers are other ids (nicknames, say) meets no member: said, never 0.
    let dir = site(&sources);
    std::fs::write(
        dir.path().join("data/log.csv"),
        LOG.replace("mbr-ALPHA", "nick"),
    )
    .unwrap();
    let (loaded, _) = qunce::check(dir.path());
    let k = qunce::compute::campaign(&loaded.unwrap().campaigns[0], date(2025, 7, 31));
    assert_eq!(
        k.metrics["retention_activity.7"],
        Err(Undefined::WritersNotMembers)
    );
}

/// The plan with `salon1`, `salon2` and `workshop` tied to work packages `(a, b, c)`, and a
/// ledger spending 600.00 on `wp_a` and 300.00 on `wp_b`.
fn shared_cost_site(packages: [&str; 3]) -> tempfile::TempDir {
    let dir = site(MEMBERS);
    let plan = dir.path().join("content/campaigns/club-july/plan.yaml");
    let mut text = std::fs::read_to_string(&plan).unwrap();
    for (activity, wp) in ["salon1", "salon2", "workshop"].iter().zip(packages) {
        let at = text.find(&format!("{{id: {activity}, ")).unwrap();
        let end = at + text[at..].find('}').unwrap();
        text.insert_str(end, &format!(", work_package: {wp}"));
    }
    text = text.replace(
        "    - {id: ops, name: 运营, amount: 800.00}\n",
        "    - {id: ops, name: 运营, amount: 800.00}\n  work_packages:\n    - {id: wp_p, name: 推广, category: promo, planned_value: 1200.00, planned_start: 2025-07-01, planned_end: 2025-07-31}\n    - {id: wp_a, name: 沙龙伴手礼, category: ops, planned_value: 600.00, planned_start: 2025-07-01, planned_end: 2025-07-31}\n    - {id: wp_b, name: 工作坊材料, category: ops, planned_value: 200.00, planned_start: 2025-07-01, planned_end: 2025-07-31}\n",
    );
    std::fs::write(&plan, text).unwrap();
    std::fs::write(
        dir.path().join("data/ledger.csv"),
        "date,category,work_package,amount\n2025-07-10,ops,wp_a,250\n2025-07-20,ops,wp_a,350\n2025-07-25,ops,wp_b,300\n",
    )
    .unwrap();
    dir
}

fn turnout(dir: &tempfile::TempDir) -> Vec<qunce::compute::people::Turnout> {
    let (loaded, diags) = qunce::check(dir.path());
    assert!(!diags.has_errors(), "{}", diags.render());
    qunce::compute::people::turnout_of(&loaded.unwrap().campaigns[0], date(2025, 7, 31))
}

/// Two salons on one work package share its 600.00 over their 3 + 3 people: 100.00 each,
/// never 600.00 ÷ 3 = 200.00 charged to each. Shared with an activity the file has no count
/// for, the head count is unknown, and so is the cost, naming that activity.
#[test]
fn activities_on_one_work_package_share_its_cost_per_head() {
    let cost = |t: &qunce::compute::people::Turnout| t.cost_per_participant.clone();
    let shared = turnout(&shared_cost_site(["wp_a", "wp_a", "wp_b"]));
    assert_eq!(cost(&shared[0]), Ok(rust_decimal::Decimal::new(100, 0)));
    assert_eq!(cost(&shared[1]), Ok(rust_decimal::Decimal::new(100, 0)));
    assert_eq!(shared[0].shares_cost_with, ["salon2"]);
    assert_eq!(cost(&shared[2]), Err(Undefined::NoAttendance));
    let unknown = turnout(&shared_cost_site(["wp_a", "wp_b", "wp_b"]));
    assert_eq!(cost(&unknown[0]), Ok(rust_decimal::Decimal::new(200, 0)));
    assert_eq!(
        cost(&unknown[1]),
        Err(Undefined::SharedCostUnknownHeads("面包工作坊".into()))
    );
}

/// `check` says how many members of the list were none of the campaign's, without naming any:
/// fixture member 10 left on 06-30, before the window opened on 07-01.
#[test]
fn members_who_left_before_the_campaign_are_counted_out_aloud() {
    let dir = site(MEMBERS);
    let (_, diags) = qunce::check(dir.path());
    let note = diags
        .iter()
        .find(|d| d.code == "member-outside-period")
        .expect("no note on the member who had left");
    assert!(
        note.message.starts_with("1 member(s)")
            && note.message.contains("1 left on or before 2025-07-01"),
        "{}",
        note.message
    );
    assert!(!diags.render().contains("mbr-ALPHA-10"));
}
