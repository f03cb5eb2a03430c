//! Computation: pure functions over validated inputs (no I/O, no clock).

pub mod catalog;
