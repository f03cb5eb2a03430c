//! Benchmark of the metrics engine (issue: 1,000 campaigns × 90 days computed in well under a
//! second on 2 cores). Builds synthetic campaigns in memory from the base fixture's plan, then
//! times `compute::campaign` over all of them. Run in release mode:
//!
//! ```sh
//! cargo run --release --example bench_kpis -- 1000 90
//! ```

use std::collections::BTreeMap;
use std::time::Instant;

use qunce::model::columns::{DAILY_COLUMNS, ValueKind};
use qunce::model::site::CampaignData;
use qunce::model::table::{DailyTable, DayRow, LedgerEntry, LedgerStatus, ProgressRow};
use rust_decimal::Decimal;

const PLAN: &str = include_str!("../tests/fixtures/base/content/campaigns/demo/plan.yaml");

fn main() {
    let mut args = std::env::args().skip(1);
    let campaigns: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let days: i64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(90);
    let start = jiff::civil::date(2025, 7, 1);
    let end = start.checked_add(jiff::Span::new().days(days - 1)).unwrap();
    let text = PLAN.replace("2025-07-10", &end.to_string());
    let (plan, _) =
        qunce::inputs::parse_plan(std::path::Path::new("plan.yaml"), &text).expect("plan");

    let build = Instant::now();
    let data: Vec<CampaignData> = (0..campaigns)
        .map(|c| {
            let mut rows = BTreeMap::new();
            let mut members = 100 + (c % 50) as i64;
            for d in 0..days {
                let date = start.checked_add(jiff::Span::new().days(d)).unwrap();
                let mut row = DayRow::default();
                let seed = (c as i64 * 7919 + d * 104_729) % 997;
                members += seed % 3 - 1;
                for (i, col) in DAILY_COLUMNS.iter().enumerate() {
                    let v = match col.name {
                        "members" => members,
                        "active_members" | "active_members_30d" | "active_members_7d" => {
                            members / 3 + seed % 5
                        }
                        "speakers" | "checkins" | "buyers" => members / 8 + seed % 3,
                        "joined" => seed % 3,
                        "left" => seed % 2,
                        _ => 10 + seed % 40,
                    };
                    row.values[i] = Some(match col.kind {
                        ValueKind::Money => Decimal::new(v * 1234, 2),
                        _ => Decimal::from(v),
                    });
                }
                rows.insert((date, Some("g1".to_string())), row);
            }
            let ledger: Vec<LedgerEntry> = (0..days / 3)
                .map(|i| LedgerEntry {
                    path: std::path::Path::new("ledger.csv").into(),
                    date: start.checked_add(jiff::Span::new().days(i * 3)).unwrap(),
                    category: if i % 2 == 0 {
                        "promotion"
                    } else {
                        "incentives"
                    }
                    .into(),
                    amount: Decimal::new(1500 + i * 7, 2),
                    rows: 1,
                    status: if i % 10 == 9 {
                        LedgerStatus::Committed
                    } else {
                        LedgerStatus::Paid
                    },
                    work_package: None,
                    channel: None,
                    report_days: None,
                })
                .collect();
            let progress = (1..=days / 7)
                .flat_map(|w| {
                    let as_of = start.checked_add(jiff::Span::new().days(w * 7)).unwrap();
                    ["wp_ads", "wp_prizes"].map(|wp| ProgressRow {
                        as_of,
                        work_package: wp.into(),
                        complete: (w * 7) as f64 / days as f64,
                    })
                })
                .collect();
            let daily = DailyTable {
                rows,
                ..DailyTable::default()
            };
            CampaignData {
                plan_path: "plan.yaml".into(),
                plan: plan.clone(),
                daily,
                ledger: Some(ledger),
                progress,
                milestones: vec![],
                other_files: vec![],
                members: None,
                attendance: None,
                retro: None,
                prose: Default::default(),
                action_items: vec![],
                previous_action_items: vec![],
            }
        })
        .collect();
    let built = build.elapsed();

    let t = Instant::now();
    let mut checksum = 0.0;
    for c in &data {
        let k = qunce::compute::campaign(c, end);
        checksum += k
            .metrics
            .values()
            .filter_map(|v| v.as_ref().ok())
            .sum::<f64>();
        checksum += k.targets.len() as f64;
    }
    let elapsed = t.elapsed();
    println!(
        "{campaigns} campaigns × {days} days: computed in {:.3} s ({:.1} µs per campaign; data built in {:.3} s; checksum {checksum:.3})",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / campaigns as f64,
        built.as_secs_f64()
    );
}
