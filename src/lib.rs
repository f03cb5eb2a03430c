//! qunce (群策) turns community-operations plans and metrics exports into a reviewed, static
//! report site. The stages are load → validate → compute → render → write (DESIGN §4).

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod compute;
pub mod diag;
pub mod inputs;
pub mod load;
pub mod model;
pub mod report;
pub mod validate;

use std::path::Path;

use diag::Diagnostics;
use model::site::Site;

/// Loads and validates every input under `root`: the work of `qunce check`, and the first half
/// of `qunce build`. The site is `None` only when `content/site.yaml` is unusable.
pub fn check(root: &Path) -> (Option<Site>, Diagnostics) {
    inputs::load(root)
}
