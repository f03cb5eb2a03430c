//! Loading: discovery, YAML with positions, exports (CSV and workbooks) with header mapping,
//! Markdown front matter. The only stage besides `write` that touches the file system.

pub mod actions;
pub mod exports;
pub mod markdown;
pub mod sandbox;
pub mod yaml;
