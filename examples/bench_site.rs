//! Benchmark of docs/benchmarks.md: writes a synthetic site of N campaigns (90 days of daily data,
//! a ledger, progress) and N playbooks to a temporary folder, then loads, checks, computes, renders
//! and writes it, printing files, pages/s, wall time per stage and peak memory.
//!
//! ```sh
//! cargo run --release --example bench_site -- 1000
//! ```

use std::time::Instant;

#[path = "support/synthetic.rs"]
mod synthetic;

fn main() {
    let n = synthetic::arg(1, 100);
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let t = Instant::now();
    synthetic::generate(root, n);
    let generated = t.elapsed();

    let t = Instant::now();
    let (site, diags) = qunce::check(root);
    assert!(!diags.has_errors(), "{}", diags.render());
    let site = site.expect("site");
    let loaded = t.elapsed();

    // As `qunce build` does it: each file is written as it is drawn, and the links are
    // checked before the folder is swapped in.
    let t = Instant::now();
    let count =
        qunce::build(root, &site, &root.join("public"), &Default::default()).expect("build");
    let built = t.elapsed();
    let pages = walkdir::WalkDir::new(root.join("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();

    let total = loaded + built;
    println!(
        "N = {n}: {count} files ({pages} pages) · load+check {:.2} s · compute+render+write+link check {:.2} s · total {:.2} s · {:.0} pages/s · peak RSS {} MB (input generated in {:.2} s)",
        loaded.as_secs_f64(),
        built.as_secs_f64(),
        total.as_secs_f64(),
        pages as f64 / total.as_secs_f64(),
        synthetic::peak_rss_mb().map_or("?".into(), |m| m.to_string()),
        generated.as_secs_f64(),
    );
}
