//! qunce (群策) turns community-operations plans and metrics exports into a reviewed, static
//! report site. The stages are load → validate → compute → render → write (DESIGN §4).

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod compute;
pub mod diag;
pub mod load;
pub mod model;
