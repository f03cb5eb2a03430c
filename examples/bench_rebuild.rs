//! Benchmark of `qunce serve`'s incremental rebuild (issue #12): builds the synthetic site of
//! N campaigns once, then edits one campaign's ledger, one campaign's plan and one post-mortem
//! in turn, ROUNDS times (each round undoes the last), and times each rebuild from the change
//! to the new files in memory (the watcher's debounce and the browser's reload are not
//! counted). It prints each edit's median and the worst median. Target: ≤ 200 ms at N = 1000.
//!
//! ```sh
//! cargo run --release --example bench_rebuild -- 1000 [ROUNDS, default 5]
//! ```

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[path = "support/synthetic.rs"]
mod synthetic;

fn main() {
    let n = synthetic::arg(1, 100);
    let rounds = synthetic::arg(2, 5).max(1);
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
    let mut times: Vec<(&str, Vec<Duration>)> = edits.iter().map(|e| (e.0, Vec::new())).collect();
    for round in 0..rounds {
        for ((_, rel, from, to), (_, taken)) in edits.iter().zip(&mut times) {
            let (from, to) = if round % 2 == 0 {
                (from, to)
            } else {
                (to, from)
            };
            edit(root, rel, from, to);
            let t = Instant::now();
            let rebuilt = builder.rebuild(&[root.join(rel)]).expect("rebuild");
            taken.push(t.elapsed());
            assert_eq!(rebuilt.len(), files.len());
            assert_eq!(
                builder.last_scope(),
                &qunce::rebuild::Scope::Campaigns(vec![
                    PathBuf::from("content/campaigns").join(&middle)
                ])
            );
        }
    }
    let medians: Vec<(&str, Duration)> = times
        .into_iter()
        .map(|(what, mut taken)| {
            taken.sort();
            (what, taken[taken.len() / 2])
        })
        .collect();
    let worst = medians.iter().map(|(_, d)| *d).max().unwrap_or_default();
    println!(
        "N = {n}: full build {:.2} s · rebuild after one file (median of {rounds}): {} · worst {:.0} ms (target ≤ 200 ms) · peak RSS {} MB",
        first.as_secs_f64(),
        medians
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
