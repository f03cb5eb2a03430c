//! Every integration test in one binary (one link instead of twenty): each module is one area,
//! named as the files were before. The browser tests are their own `--ignored` binary.

#[path = "../common/mod.rs"]
mod common;

mod bad_inputs;
mod ci;
mod cli;
mod diff;
mod downloads;
mod events;
mod golden;
mod honest_numbers;
mod hostile;
mod language;
mod members;
mod metrics;
mod new;
mod no_panic;
mod publish;
mod realdata;
mod rebuild;
mod report;
mod schema;
mod serve;
mod site;
mod snapshots;
mod spend;
mod vendored_charts;
