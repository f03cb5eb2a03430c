//! Benchmark of `qunce serve`'s incremental rebuild (issue #12): builds the synthetic site of
//! N campaigns once, then edits one campaign's ledger, one campaign's plan and one post-mortem
//! in turn and times each rebuild, from the change to the new files in memory (the watcher's
//! debounce and the browser's reload are not counted). Target: ≤ 200 ms at N = 1000.
//!
//! ```sh
//! cargo run --release --example bench_rebuild -- 1000
//! ```

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[path = "support/synthetic.rs"]
mod synthetic;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100);
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    synthetic::generate(root, n);
    let mut builder = qunce::rebuild::Rebuilder::new(root, None);
    let t = Instant::now();
    let files = builder.build().expect("first build");
    let first = t.elapsed();

    let middle = format!("c{:05}", n / 2);
    let edits: [(&str, PathBuf, &str, &str); 3] = [
        (
            "ledger",
            PathBuf::from(format!("data/{middle}/ledger.csv")),
            "200.00",
            "260.00",
        ),
        (
            "plan",
            PathBuf::from(format!("content/campaigns/{middle}/plan.yaml")),
            "name: ",
            "name: 改名 ",
        ),
        (
            "post-mortem",
            PathBuf::from(format!("content/campaigns/{middle}/retro.md")),
            "\n## ",
            "\n补充一句。\n\n## ",
        ),
    ];
    let mut times: Vec<(&str, Duration)> = Vec::new();
    for (what, rel, from, to) in &edits {
        edit(root, rel, from, to);
        let t = Instant::now();
        let rebuilt = builder.rebuild(&[root.join(rel)]).expect("rebuild");
        times.push((what, t.elapsed()));
        assert_eq!(rebuilt.len(), files.len());
        assert_eq!(
            builder.last_scope(),
            &qunce::rebuild::Scope::Campaigns(vec![
                PathBuf::from("content/campaigns").join(&middle)
            ])
        );
    }
    let worst = times.iter().map(|(_, d)| *d).max().unwrap_or_default();
    println!(
        "N = {n}: full build {:.2} s · rebuild after one file: {} · worst {:.0} ms (target ≤ 200 ms) · peak RSS {} MB",
        first.as_secs_f64(),
        times
            .iter()
            .map(|(what, d)| format!("{what} {:.0} ms", d.as_secs_f64() * 1000.0))
            .collect::<Vec<_>>()
            .join(", "),
        worst.as_secs_f64() * 1000.0,
        synthetic::peak_rss_mb().map_or("?".into(), |m| m.to_string()),
    );
}

fn edit(root: &Path, rel: &Path, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{} has no `{from}`", rel.display());
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}
