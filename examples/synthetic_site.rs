//! Writes the site benchmarks' synthetic site (N campaigns and N playbooks) into a folder, so two
//! builds of qunce can be compared on it byte for byte:
//!
//! ```sh
//! cargo run --release --example synthetic_site -- 100 /dev/shm/synthetic
//! old/qunce build --root /dev/shm/synthetic --out /dev/shm/a
//! target/release/qunce build --root /dev/shm/synthetic --out /dev/shm/b
//! diff -r /dev/shm/a /dev/shm/b
//! ```

#[path = "support/synthetic.rs"]
mod synthetic;

fn main() {
    let n = synthetic::arg(1, 100);
    let Some(root) = std::env::args().nth(2) else {
        eprintln!("usage: synthetic_site N FOLDER");
        std::process::exit(2);
    };
    let root = std::path::Path::new(&root);
    std::fs::create_dir_all(root).expect("create the folder");
    synthetic::generate(root, n);
}
