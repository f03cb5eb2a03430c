//! The record scanner against the csv crate on the same text: a ledger-shaped export of
//! 100,000 rows, plain and with quoted fields.
//!
//! ```sh
//! cargo bench -p qunce-exports
//! ```

use std::hint::black_box;
use std::io::Cursor;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use qunce_exports::records::{Record, Records};

const ROWS: usize = 100_000;

/// A ledger-shaped export; with `quoted`, every description is a quoted field with a comma.
fn ledger(quoted: bool) -> Vec<u8> {
    let mut text = String::from("date,category,amount,status,description\n");
    for i in 0..ROWS {
        let day = i % 28 + 1;
        let description = if quoted {
            format!("\"物料 {i}, 第二批\"")
        } else {
            format!("物料 {i}")
        };
        text.push_str(&format!(
            "2025-07-{day:02},promotion,{}.{:02},paid,{description}\n",
            i % 5000,
            i % 100
        ));
    }
    text.into_bytes()
}

fn scan(c: &mut Criterion) {
    let mut group = c.benchmark_group("records");
    for (name, quoted) in [("plain", false), ("quoted", true)] {
        let bytes = ledger(quoted);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(format!("qunce/{name}"), |b| {
            b.iter(|| {
                let mut records = Records::new(Box::new(Cursor::new(bytes.clone())), b',', 1 << 16);
                let mut record = Record::default();
                let mut fields = 0;
                while records.read(&mut record).expect("valid text") {
                    fields += record.len();
                }
                black_box(fields)
            })
        });
        group.bench_function(format!("csv/{name}"), |b| {
            b.iter(|| {
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(Cursor::new(bytes.as_slice()));
                let mut record = csv::StringRecord::new();
                let mut fields = 0;
                while reader.read_record(&mut record).expect("valid text") {
                    fields += record.len();
                }
                black_box(fields)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, scan);
criterion_main!(benches);
