//! Benchmark of DESIGN §9: writes a synthetic site of N campaigns (90 days of daily data, a
//! ledger, progress) and N playbooks to a temporary folder, then loads, checks, computes,
//! renders and writes it, printing files, pages/s, wall time per stage and peak memory.
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

    let t = Instant::now();
    let outputs = qunce::render_site(root, &site, &Default::default()).expect("render");
    let rendered = t.elapsed();

    let t = Instant::now();
    let count = outputs.len();
    let pages = outputs.iter().filter(|o| o.path.ends_with(".html")).count();
    qunce::write::write_site(&root.join("public"), &outputs).expect("write");
    let written = t.elapsed();

    let total = loaded + rendered + written;
    println!(
        "N = {n}: {count} files ({pages} pages) · load+check {:.2} s · compute+render {:.2} s · link check+write {:.2} s · total {:.2} s · {:.0} pages/s · peak RSS {} MB (input generated in {:.2} s)",
        loaded.as_secs_f64(),
        rendered.as_secs_f64(),
        written.as_secs_f64(),
        total.as_secs_f64(),
        pages as f64 / total.as_secs_f64(),
        synthetic::peak_rss_mb().map_or("?".into(), |m| m.to_string()),
        generated.as_secs_f64(),
    );
}
