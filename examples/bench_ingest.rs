//! Benchmark of export ingestion (issue #12): writes one campaign whose ledger or event log has
//! N rows, every row with its own id, then loads and checks the site and prints the throughput
//! and peak memory. Targets: ≥ 200 MB/s for a UTF-8 ledger (~80-byte rows) or event log
//! (~100-byte rows), ≥ 100 MB/s for GB18030; peak RSS at 1M rows ≤ 1.5× that at 100k rows plus
//! 32 bytes per extra keyed row.
//!
//! ```sh
//! cargo run --release --example bench_ingest -- ledger 1000000
//! cargo run --release --example bench_ingest -- events 1000000
//! cargo run --release --example bench_ingest -- ledger 1000000 gb18030
//! taskset -c 0 target/release/examples/bench_ingest ledger 1000000   # one core
//! ```

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

const PLAN: &str = include_str!("../tests/fixtures/base/content/campaigns/demo/plan.yaml");

/// A plan whose only data is an event log (speakers and messages come from it).
const EVENTS_PLAN: &str = r#"schema_version: 1
campaign:
  id: demo
  name: 事件日志
  owner: r_mod
  period: {start: 2025-07-01, end: 2025-07-10}
  timezone: Asia/Shanghai
  currency: CNY
community:
  carriers:
    - {id: g-1, type: im_group, platform: 企业微信, name: 一群}
team:
  roles:
    - {id: r_mod, title: 群主, function: community_ops, fte: 0.2}
goals:
  - {id: g_talk, horizon: short, category: engagement, statement: 多发言, targets: [t_speakers]}
targets:
  - {id: t_speakers, metric: avg_daily_speakers, target: 2, window: {start: 2025-07-01, end: 2025-07-10}}
phases:
  items:
    - {id: p1, name: 全程, start: 2025-07-01, end: 2025-07-10, owner: r_mod}
budget:
  total: 0.00
  categories:
    - {id: ops, name: 运营, amount: 0.00}
data:
  events: {path: demo/events.csv}
"#;

fn main() {
    let mut args = std::env::args().skip(1);
    let kind = args.next().unwrap_or_else(|| "ledger".into());
    let rows: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let gb18030 = args
        .next()
        .is_some_and(|e| e.eq_ignore_ascii_case("gb18030"));
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let bytes = generate(root, &kind, rows, gb18030);
    // The peak so far is the generator's: reset it (Linux), so the figure is the load's.
    let _ = std::fs::write("/proc/self/clear_refs", "5");

    let t = Instant::now();
    let (site, diags) = qunce::check(root);
    let elapsed = t.elapsed().as_secs_f64();
    assert!(!diags.has_errors(), "{}", diags.render());
    let site = site.expect("site");
    let campaign = &site.campaigns[0];
    let check = match kind.as_str() {
        "events" => format!("{} event days", campaign.daily.by_day().len()),
        _ => format!(
            "{} ledger entries",
            campaign.ledger.as_deref().map_or(0, <[_]>::len)
        ),
    };
    let mb = bytes as f64 / 1e6;
    // Files of 8 MB or more are read ahead on a second core when there is one (`taskset -c 0`
    // measures one core).
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!(
        "ingest {kind} ({}): {rows} rows, {mb:.1} MB in {elapsed:.2} s = {:.0} MB/s · peak RSS {} MB · {check} · {cores} core(s)",
        if gb18030 { "GB18030" } else { "UTF-8" },
        mb / elapsed,
        peak_rss_mb().map_or("?".into(), |m| m.to_string()),
    );
}

/// Peak resident memory from /proc (Linux); `None` elsewhere.
fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// Writes the site; returns the size of the big export in bytes.
fn generate(root: &Path, kind: &str, rows: usize, gb18030: bool) -> usize {
    let write = |rel: &str, bytes: &[u8]| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    write(
        "content/site.yaml",
        "title: 基准\nlanguage: zh-CN\n".as_bytes(),
    );
    let fixture = |name: &str| {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/base/data/demo")
                .join(name),
        )
        .unwrap()
    };
    write("data/demo/progress.csv", &fixture("progress.csv"));
    write(
        "content/playbooks/welcome.md",
        "---\ntitle: 入群欢迎\n---\n# 入群欢迎\n".as_bytes(),
    );
    let mut text = String::with_capacity(rows * 100);
    let plan = if kind == "events" {
        text.push_str("时间,消息ID,发送者,群,类型,内容\n");
        for i in 0..rows {
            let day = 1 + i % 10;
            let _ = writeln!(
                text,
                "2025-07-{day:02}T{:02}:{:02}:00+08:00,m{i:08},user{:05},一群,消息,今天的打卡完成了",
                (i / 60) % 24,
                i % 60,
                i % 20_000,
            );
        }
        EVENTS_PLAN.to_string()
    } else {
        text.push_str("date,entry_id,category,work_package,amount,status,description,vendor\n");
        let categories = [
            ("promotion", "wp_ads"),
            ("incentives", "wp_prizes"),
            ("reserve", ""),
        ];
        for i in 0..rows {
            let (category, wp) = categories[i % 3];
            let _ = writeln!(
                text,
                "2025-07-{:02},E{i:08},{category},{wp},{}.{:02},paid,第{}批投放,某媒体",
                1 + i % 10,
                1 + i % 97,
                i % 100,
                i % 1000,
            );
        }
        write("data/demo/daily.csv", &fixture("daily.csv"));
        PLAN.to_string()
    };
    let plan = if gb18030 {
        plan.replace(
            "path: demo/ledger.csv}",
            "path: demo/ledger.csv, encoding: gb18030}",
        )
        .replace(
            "path: demo/events.csv}",
            "path: demo/events.csv, encoding: gb18030}",
        )
    } else {
        plan
    };
    write("content/campaigns/demo/plan.yaml", plan.as_bytes());
    let bytes = if gb18030 {
        encoding_rs::GB18030.encode(&text).0.into_owned()
    } else {
        text.into_bytes()
    };
    let name = if kind == "events" {
        "data/demo/events.csv"
    } else {
        "data/demo/ledger.csv"
    };
    write(name, &bytes);
    bytes.len()
}
