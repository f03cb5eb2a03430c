//! Plain data types shared by every stage: plan schema, value types, columns and loaded tables.
//! This module imports nothing else from the crate.

pub mod catalog;
pub mod columns;
pub mod i18n;
pub mod markdown;
pub mod members;
pub mod plan;
pub mod retro;
pub mod site;
pub mod table;
pub mod values;
