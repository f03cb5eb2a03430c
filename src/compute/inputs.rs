//! What the KPI formulas read — the plan, the window of daily totals, the ledger and the
//! member-level files — and the spend they share: daily formulas (`kpi`) and member-level ones
//! (`members`) both import it, neither imports the other's inputs.

use rust_decimal::Decimal;

use super::undefined::Undefined;
use super::window::Window;
use crate::model::members::{Attendance, Members};
use crate::model::plan::Plan;
use crate::model::table::{LedgerEntry, LedgerStatus};
use crate::model::values::Date;

/// A metric's value, or why it has none.
pub type Value = Result<f64, Undefined>;

/// What the formulas read: the plan, the window and the ledger.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The plan (funnel, custom metrics, budget categories, attribution).
    pub plan: &'a Plan,
    /// The window of daily totals.
    pub window: Window<'a>,
    /// The spend ledger (all rows; the formulas pick those dated in the window).
    pub ledger: &'a [LedgerEntry],
    /// Whether a ledger source is declared.
    pub has_ledger: bool,
    /// Member-level files and the report date.
    pub people: People<'a>,
}

/// The member-level inputs of a build: the files, and the report date that censors cohorts.
#[derive(Debug, Clone, Copy, Default)]
pub struct People<'a> {
    pub members: Option<&'a Members>,
    pub attendance: Option<&'a Attendance>,
    /// The report date: a cohort is observed up to it, also after the window ends.
    pub as_of: Option<Date>,
}

impl<'a> People<'a> {
    /// The member-level files of campaign `c`, as of `as_of`.
    pub fn of(c: &'a crate::model::site::CampaignData, as_of: Date) -> Self {
        People {
            members: c.members.as_ref(),
            attendance: c.attendance.as_ref(),
            as_of: Some(as_of),
        }
    }
}

/// The actual cost in the window of the budget categories marked `acquisition_cost`.
pub fn acquisition_cost(inp: &Inputs) -> Result<Decimal, Undefined> {
    let acquisition: Vec<&str> = inp
        .plan
        .budget
        .categories
        .iter()
        .filter(|c| c.acquisition_cost)
        .map(|c| c.id.as_str())
        .collect();
    if !inp.has_ledger {
        return Err(Undefined::NoLedger);
    }
    if acquisition.is_empty() {
        return Err(Undefined::NoAcquisitionCategory);
    }
    ac_in(inp, |e| acquisition.contains(&e.category.as_str()))
}

/// Accrued and paid spend dated inside the window, on the rows `keep` selects; unknown while a
/// report among them straddles the window's end.
pub(crate) fn ac_in(
    inp: &Inputs,
    keep: impl Fn(&LedgerEntry) -> bool,
) -> Result<Decimal, Undefined> {
    let w = &inp.window;
    if let Some(reason) = super::budget::unknown_cost(inp.ledger, w.end, &keep) {
        return Err(reason);
    }
    Ok(inp
        .ledger
        .iter()
        .filter(|e| e.status != LedgerStatus::Committed && in_window(e.date, w) && keep(e))
        .map(|e| e.amount)
        .sum())
}

fn in_window(d: Date, w: &Window) -> bool {
    w.start <= d && d <= w.end
}
