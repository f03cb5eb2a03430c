//! Plain data types shared by every stage: plan schema, value types, site config and tables.
//! This module imports nothing else from the crate.

pub mod plan;
pub mod values;
