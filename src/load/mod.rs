//! Loading: discovery, YAML with positions, CSV exports with header mapping, Markdown front
//! matter. The only stage besides `write` that touches the file system.

pub mod actions;
pub mod csv;
pub mod markdown;
pub mod sandbox;
pub mod yaml;
