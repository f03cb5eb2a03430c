//! The synthetic site the site benchmarks build: N campaigns (90 days of daily data, a ledger,
//! progress, a post-mortem) and N playbooks, made from the `base` test fixture.

use std::fmt::Write as _;
use std::path::Path;

const PLAN: &str = include_str!("../../tests/fixtures/base/content/campaigns/demo/plan.yaml");
const RETRO: &str = include_str!("../../tests/fixtures/base/content/campaigns/demo/retro.md");

/// The `i`th command-line argument as a number, or `default`.
pub fn arg(i: usize, default: usize) -> usize {
    std::env::args()
        .nth(i)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

/// Peak resident memory from /proc (Linux); `None` elsewhere.
#[allow(dead_code)]
pub fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// Writes the site of `n` campaigns under `root`.
pub fn generate(root: &Path, n: usize) {
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("content/site.yaml", "title: 基准站点\nlanguage: zh-CN\n");
    let start = jiff::civil::date(2025, 7, 1);
    let end = start.checked_add(jiff::Span::new().days(89)).unwrap();
    for i in 0..n {
        let id = format!("c{i:05}");
        let plan = PLAN
            .replace("id: demo", &format!("id: {id}"))
            .replace("2025-07-10", &end.to_string())
            .replace(
                "2025-07-05, owner: r_manager",
                "2025-08-15, owner: r_manager",
            )
            .replace("start: 2025-07-06", "start: 2025-08-16")
            .replace("demo/", &format!("{id}/"))
            .replace("playbooks/welcome.md", &format!("playbooks/p{i:05}.md"))
            .replace("{id: welcome,", &format!("{{id: p{i:05},"));
        write(&format!("content/campaigns/{id}/plan.yaml"), &plan);
        // Every campaign has a post-mortem, so its page is part of the measured build.
        write(
            &format!("content/campaigns/{id}/retro.md"),
            &RETRO.replace("playbooks/welcome.md", &format!("playbooks/p{i:05}.md")),
        );
        let mut daily =
            String::from("date,group_id,members,joined,left,active_members,speakers,messages\n");
        let mut members = 100 + (i % 40) as i64;
        for d in 0..90 {
            let date = start.checked_add(jiff::Span::new().days(d)).unwrap();
            let seed = (i as i64 * 31 + d * 17) % 11;
            let (joined, left) = (seed % 3, seed % 2);
            members += joined - left;
            let _ = writeln!(
                daily,
                "{date},g1,{members},{joined},{left},{},{},{}",
                members / 3,
                members / 9,
                members / 2 + seed
            );
        }
        write(&format!("data/{id}/daily.csv"), &daily);
        write(
            &format!("data/{id}/ledger.csv"),
            "date,entry_id,category,work_package,amount,status\n2025-07-01,E1,promotion,wp_ads,200.00,paid\n2025-07-03,E2,incentives,wp_prizes,100.00,accrued\n2025-07-05,E3,reserve,,50.00,accrued\n",
        );
        write(
            &format!("data/{id}/progress.csv"),
            "as_of,work_package,percent_complete\n2025-07-05,wp_ads,40\n2025-07-05,wp_prizes,50\n",
        );
        write(
            &format!("content/playbooks/p{i:05}.md"),
            &format!(
                "---\ntitle: 手册 {i}\nsummary: 第 {i} 个运营手册\n---\n# 手册 {i}\n\n## 步骤\n\n1. 欢迎新成员\n2. 发布每日话题\n\n| 时间 | 动作 |\n|---|---|\n| 20:00 | 话题 |\n\n见 [活动](../campaigns/{id})。\n"
            ),
        );
    }
}
