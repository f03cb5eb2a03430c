//! Budget variance and earned value (docs/rules.md#budget, with the binding choices of the golden
//! README, rules 12–18). Money is exact decimal throughout; ratios are f64.

use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use serde::Serialize;

use super::undefined::Undefined;
use super::window::{ratio, to_f64};
use crate::model::plan::{
    Budget, CpiThresholds, EvMethod, Period, Plan, SpendCurve, Thresholds, days_between,
};
use crate::model::table::{LedgerEntry, LedgerStatus, ProgressRow};
use crate::model::values::Date;

/// A budget status band, in order of severity (docs/rules.md#thresholds-and-status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetStatus {
    /// No spend ledger: actual cost is unknown, never taken as zero (docs/data.md#spend).
    NoData,
    /// Green.
    Ok,
    /// Blue: spending much slower than planned; check delivery.
    Underspend,
    /// Amber.
    Warn,
    /// Red.
    Over,
}

/// One category row.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryBudget {
    /// Category id.
    pub id: String,
    /// Reserve category.
    pub reserve: bool,
    /// Original budget B_c.
    pub planned: Decimal,
    /// B_c after revisions dated ≤ as_of.
    pub current: Decimal,
    /// Actual cost (accrued + paid) dated ≤ as_of; `None` without a ledger.
    pub ac: Option<Decimal>,
    /// Committed, not yet incurred; `None` without a ledger.
    pub committed: Option<Decimal>,
    /// Planned value to date (None for the reserve).
    pub pv: Option<Decimal>,
    /// Earned value (None for the reserve or without progress data).
    pub ev: Option<Decimal>,
    /// AC − current (positive = overspend).
    pub overrun: Option<Decimal>,
    /// overrun / current.
    pub overrun_pct: Option<f64>,
    /// (AC − PV) / PV.
    pub spend_variance_pct: Option<f64>,
    /// EV / AC.
    pub cpi: Option<f64>,
    /// The worse of the spend and CPI statuses.
    pub status: BudgetStatus,
    /// Why the actual cost is unknown although there is a ledger (a report whose days straddle
    /// the report date), for the page.
    pub unknown: Option<Undefined>,
}

/// Totals over the performance-measurement baseline (non-reserve) and the whole budget. Every
/// figure that needs actual cost is `None` without a ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct TotalBudget {
    pub bac: Decimal,
    pub bac_total: Decimal,
    pub ac: Option<Decimal>,
    pub ac_total: Option<Decimal>,
    pub committed: Option<Decimal>,
    pub pv: Decimal,
    pub ev: Option<Decimal>,
    pub cv: Option<Decimal>,
    pub sv: Option<Decimal>,
    pub cpi: Option<f64>,
    pub spi: Option<f64>,
    pub eac_typical: Option<Decimal>,
    pub eac_atypical: Option<Decimal>,
    pub eac_composite: Option<Decimal>,
    pub etc: Option<Decimal>,
    pub vac: Option<Decimal>,
    /// None when BAC − AC ≤ 0 ("budget exhausted").
    pub tcpi_bac: Option<f64>,
    pub eac_total: Option<Decimal>,
    /// True when EV is missing and `eac_total` is the spend-rate forecast, not EVM.
    pub spend_rate_forecast: bool,
    pub reserve_consumed: Option<Decimal>,
    pub burn_7d: Option<Decimal>,
    pub runway_days: Option<f64>,
    pub exhaustion_date: Option<Date>,
    pub status: BudgetStatus,
}

/// The whole budget view as of a date.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetReport {
    /// Per category, in plan order.
    pub categories: Vec<CategoryBudget>,
    /// Totals.
    pub total: TotalBudget,
    /// Burn, share drift and the other forecasts (docs/rules.md#budget) that the JSON contract
    /// leaves out.
    pub indicators: Indicators,
}

/// Secondary measures for the report page (docs/rules.md#budget).
#[derive(Debug, Clone, PartialEq)]
pub struct Indicators {
    /// AC_total / elapsed days.
    pub burn_avg: Option<Decimal>,
    /// BAC_total / campaign days.
    pub burn_plan: Decimal,
    /// AC / PV.
    pub burn_ratio: Option<f64>,
    /// Σ per work package: its `forecast`, else AC_wp + (planned_value − EV_wp).
    pub eac_bottom_up: Option<Decimal>,
    /// (BAC − EV) / (EAC_typical − AC).
    pub tcpi_eac: Option<f64>,
    /// Without EV: the spend-rate forecast range, remaining-at-plan to current-pace.
    pub spend_rate_range: Option<(Decimal, Decimal)>,
    /// Exhaustion on or after the end: ok; within its last 7 days: warn; earlier: over.
    pub runway_status: Option<BudgetStatus>,
    /// TCPI_BAC above 1.10: the red note "recovery unlikely".
    pub recovery_unlikely: bool,
    /// Share of actual spend per category against the planned share, in plan order.
    pub shares: Vec<ShareDrift>,
}

/// One category's share of spend against plan (docs/rules.md#variances).
#[derive(Debug, Clone, PartialEq)]
pub struct ShareDrift {
    /// Category id.
    pub id: String,
    /// AC_c / AC_total.
    pub actual: Option<f64>,
    /// Mid-campaign PV_c / ΣPV (the reserve: its budget share); at completion B_c / BAC_total.
    pub planned: Option<f64>,
    /// actual − planned, as a fraction (pp / 100).
    pub drift: Option<f64>,
}

/// Computes the budget measures (docs/rules.md#budget) as of `as_of`. `ledger` is `None` when the
/// campaign has no cost data: then every actual-cost figure is `None` and every status `NoData`,
/// while PV and BAC still hold.
pub fn compute(
    plan: &Plan,
    ledger: Option<&[LedgerEntry]>,
    progress: &[ProgressRow],
    as_of: Date,
) -> BudgetReport {
    let b = &plan.budget;
    let thresholds = b.thresholds.unwrap_or_default();
    let cpi_bands = b.cpi_thresholds.unwrap_or_default();
    let period = plan.campaign.period;
    let ev_available = progress.iter().any(|r| r.as_of <= as_of);
    let method = b.ev_method.unwrap_or(if ev_available {
        EvMethod::PercentComplete
    } else {
        EvMethod::ZeroHundred
    });
    let incurred = |e: &&LedgerEntry| e.date <= as_of && e.status != LedgerStatus::Committed;
    let ledger_rows = ledger.unwrap_or_default();
    let committed_rows = |e: &&LedgerEntry| e.date <= as_of && e.status == LedgerStatus::Committed;

    let mut categories = Vec::new();
    let reserve_id = b
        .categories
        .iter()
        .find(|c| c.reserve)
        .map(|c| c.id.clone());
    for c in &b.categories {
        let planned = original(b, &c.id);
        let moved_in: Decimal = b
            .revisions
            .iter()
            .filter(|r| r.date <= as_of && r.to == c.id)
            .map(|r| r.amount.0)
            .sum();
        let moved_out: Decimal = b
            .revisions
            .iter()
            .filter(|r| r.date <= as_of && r.from == c.id)
            .map(|r| r.amount.0)
            .sum();
        let current = planned + moved_in - moved_out;
        // A report whose days straddle the report date has a cost nobody knows yet for the
        // days up to it: the category's actual cost is unknown, never the rest of it.
        let unknown = unknown_cost(ledger_rows, as_of, |e| e.category == c.id);
        let ac: Option<Decimal> = ledger.filter(|_| unknown.is_none()).map(|l| {
            l.iter()
                .filter(incurred)
                .filter(|e| e.category == c.id)
                .map(|e| e.amount)
                .sum()
        });
        let committed: Option<Decimal> = ledger.map(|l| {
            l.iter()
                .filter(committed_rows)
                .filter(|e| e.category == c.id)
                .map(|e| e.amount)
                .sum()
        });
        let overrun = ac.map(|ac| ac - current);
        let overrun_pct = overrun.and_then(|o| ratio(o, current));
        let (pv, ev) = if c.reserve {
            (None, None)
        } else {
            (
                Some(planned_value(b, &c.id, planned, period, plan, as_of)),
                earned_value(b, &c.id, progress, as_of, method, ev_available),
            )
        };
        let spend_variance_pct = pv.zip(ac).and_then(|(pv, ac)| ratio(ac - pv, pv));
        let cpi = ev.zip(ac).and_then(|(ev, ac)| ratio(ev, ac));
        let status = if ac.is_none() {
            BudgetStatus::NoData
        } else if let Some(ledger) = ledger.filter(|_| c.reserve) {
            let consumed = reserve_consumed(b, ledger, as_of, &c.id);
            match ratio(consumed, planned) {
                Some(x) if x > 1.0 => BudgetStatus::Over,
                Some(x) if x > 0.5 => BudgetStatus::Warn,
                _ => BudgetStatus::Ok,
            }
        } else if ledger.is_none() {
            BudgetStatus::NoData
        } else {
            let spend = spend_status(
                as_of >= period.end,
                spend_variance_pct,
                overrun_pct,
                &thresholds,
            );
            spend.max(cpi.map_or(BudgetStatus::Ok, |x| cpi_status(x, &cpi_bands)))
        };
        categories.push(CategoryBudget {
            id: c.id.clone(),
            reserve: c.reserve,
            planned,
            current,
            ac,
            committed,
            pv,
            ev,
            overrun,
            overrun_pct,
            spend_variance_pct,
            cpi,
            status,
            unknown,
        });
    }

    let pmb: Vec<&CategoryBudget> = categories.iter().filter(|c| !c.reserve).collect();
    let bac: Decimal = pmb.iter().map(|c| c.planned).sum();
    let sum = |rows: &[&CategoryBudget], f: fn(&CategoryBudget) -> Option<Decimal>| {
        rows.iter().map(|c| f(c)).sum::<Option<Decimal>>()
    };
    let reserve: Vec<&CategoryBudget> = categories.iter().filter(|c| c.reserve).collect();
    let all: Vec<&CategoryBudget> = categories.iter().collect();
    let ac = sum(&pmb, |c| c.ac);
    let reserve_ac = sum(&reserve, |c| c.ac);
    let ac_total = ac.zip(reserve_ac).map(|(a, r)| a + r);
    let committed = sum(&all, |c| c.committed);
    let pmb_committed = sum(&pmb, |c| c.committed);
    let pv: Decimal = pmb.iter().filter_map(|c| c.pv).sum();
    let ev: Option<Decimal> = ev_available.then(|| pmb.iter().filter_map(|c| c.ev).sum());
    let cpi = ev.zip(ac).and_then(|(ev, ac)| ratio(ev, ac));
    let spi = ev.and_then(|ev| ratio(ev, pv));
    let dec = |x: f64| Decimal::from_f64(x);
    let eac_typical = cpi.filter(|c| *c > 0.0).and_then(|c| dec(to_f64(bac) / c));
    let eac_atypical = ev.zip(ac).map(|(ev, ac)| ac + (bac - ev));
    let eac_composite = match (ev, ac, cpi, spi) {
        (Some(ev), Some(ac), Some(c), Some(s)) if c * s > 0.0 => {
            dec(to_f64(ac) + to_f64(bac - ev) / (c * s))
        }
        _ => None,
    };
    // BAC / CPI grows without bound as CPI nears 0: a forecast beyond decimal range is null.
    let etc = eac_typical.zip(ac).and_then(|(e, ac)| e.checked_sub(ac));
    let vac = eac_typical.and_then(|e| bac.checked_sub(e));
    let tcpi_bac = ev.zip(ac).and_then(|(ev, ac)| {
        (bac - ac > Decimal::ZERO).then(|| to_f64(bac - ev) / to_f64(bac - ac))
    });
    // Without EV, the remaining spend follows the plan (the fallback of
    // docs/rules.md#forecast-at-completion); without a ledger there is no actual cost to forecast
    // from.
    let (forecast, spend_rate_forecast) = match (eac_typical, ac) {
        (Some(e), _) => (Some(e), false),
        (None, Some(ac)) => (Some(ac + (bac - pv).max(Decimal::ZERO)), true),
        (None, None) => (None, false),
    };
    let eac_total = match (forecast, ac, pmb_committed, reserve_ac) {
        (Some(f), Some(ac), Some(pc), Some(r)) => f.max(ac + pc).checked_add(r),
        _ => None,
    };
    let reserve_consumed = ledger.filter(|_| ac_total.is_some()).map(|l| {
        reserve_id
            .as_deref()
            .map_or(Decimal::ZERO, |id| reserve_consumed(b, l, as_of, id))
    });
    let week_start = as_of
        .checked_sub(jiff::Span::new().days(6))
        .unwrap_or(as_of);
    let burn_7d: Option<Decimal> = ledger.filter(|_| ac_total.is_some()).map(|l| {
        l.iter()
            .filter(|e| {
                e.status != LedgerStatus::Committed && week_start <= e.date && e.date <= as_of
            })
            .map(|e| e.amount)
            .sum::<Decimal>()
            / Decimal::from(7)
    });
    let bac_total = b.total.0;
    // Once the period is over nothing is forecast: no runway, and the exhaustion date is the
    // day the money actually ran out, if it did.
    let over = as_of >= period.end;
    let runway_days = match (burn_7d, ac_total, committed) {
        _ if over => None,
        (Some(burn), Some(ac_total), Some(committed)) if burn > Decimal::ZERO => {
            Some(to_f64(bac_total - ac_total - committed) / to_f64(burn))
        }
        _ => None,
    };
    // Money already gone is a fact, not a forecast, before the end too.
    let reached = ledger
        .filter(|_| ac_total.is_some())
        .and_then(|l| day_spend_reached(l, bac_total, as_of));
    let exhaustion_date = if over || reached.is_some() {
        reached
    } else {
        runway_days.and_then(|r| {
            as_of
                .checked_add(jiff::Span::new().days(r.floor() as i64))
                .ok()
        })
    };
    let status = match eac_total {
        _ if ledger.is_none() || ac_total.is_none() => BudgetStatus::NoData,
        Some(e) if e <= bac => BudgetStatus::Ok,
        Some(e) if e <= bac_total => BudgetStatus::Warn,
        Some(_) => BudgetStatus::Over,
        None => BudgetStatus::Ok,
    };
    let total = TotalBudget {
        bac,
        bac_total,
        ac,
        ac_total,
        committed,
        pv,
        ev,
        cv: ev.zip(ac).map(|(ev, ac)| ev - ac),
        sv: ev.map(|ev| ev - pv),
        cpi,
        spi,
        eac_typical,
        eac_atypical,
        eac_composite,
        etc,
        vac,
        tcpi_bac,
        eac_total,
        spend_rate_forecast,
        reserve_consumed,
        burn_7d,
        runway_days,
        exhaustion_date,
        status,
    };
    let indicators = indicators(plan, ledger, progress, &categories, &total, as_of);
    BudgetReport {
        categories,
        total,
        indicators,
    }
}

fn indicators(
    plan: &Plan,
    ledger: Option<&[LedgerEntry]>,
    progress: &[ProgressRow],
    categories: &[CategoryBudget],
    t: &TotalBudget,
    as_of: Date,
) -> Indicators {
    let period = plan.campaign.period;
    let elapsed_days = (days_between(period.start, as_of.min(period.end)) + 1).max(0);
    let complete = as_of >= period.end;
    let pv_sum: Decimal = categories.iter().filter_map(|c| c.pv).sum();
    let shares = categories
        .iter()
        .map(|c| {
            let actual = c.ac.zip(t.ac_total).and_then(|(a, total)| ratio(a, total));
            let planned = if complete || c.reserve {
                ratio(c.planned, t.bac_total)
            } else {
                c.pv.and_then(|pv| ratio(pv, pv_sum))
            };
            let drift = actual.zip(planned).map(|(a, p)| a - p);
            ShareDrift {
                id: c.id.clone(),
                actual,
                planned,
                drift,
            }
        })
        .collect();
    let ev_available = t.ev.is_some();
    let eac_bottom_up = ledger.filter(|_| ev_available).map(|ledger| {
        plan.budget
            .work_packages
            .iter()
            .map(|w| {
                if let Some(f) = w.forecast {
                    return f.0;
                }
                let ac_wp: Decimal = ledger
                    .iter()
                    .filter(|e| e.date <= as_of && e.status != LedgerStatus::Committed)
                    .filter(|e| e.work_package.as_deref() == Some(w.id.as_str()))
                    .map(|e| e.amount)
                    .sum();
                let pct = progress
                    .iter()
                    .filter(|r| r.work_package == w.id && r.as_of <= as_of)
                    .max_by_key(|r| r.as_of)
                    .map_or(0.0, |r| r.complete);
                let ev_wp = w.planned_value.0 * Decimal::from_f64(pct).unwrap_or_default();
                ac_wp + (w.planned_value.0 - ev_wp)
            })
            .sum()
    });
    let tcpi_eac = match (t.ev, t.eac_typical, t.ac) {
        (Some(ev), Some(eac), Some(ac)) if eac - ac > Decimal::ZERO => ratio(t.bac - ev, eac - ac),
        _ => None,
    };
    let spend_rate_range = t.ac.filter(|_| !ev_available).map(|ac| {
        let at_plan = ac + (t.bac - t.pv).max(Decimal::ZERO);
        let at_pace = if t.pv > Decimal::ZERO {
            ac.checked_mul(t.bac).map_or(at_plan, |x| x / t.pv)
        } else {
            at_plan
        };
        (at_plan.min(at_pace), at_plan.max(at_pace))
    });
    let runway_status = t.exhaustion_date.map(|d| {
        let last_week = period
            .end
            .checked_sub(jiff::Span::new().days(6))
            .unwrap_or(period.end);
        if d >= period.end {
            BudgetStatus::Ok
        } else if d >= last_week {
            BudgetStatus::Warn
        } else {
            BudgetStatus::Over
        }
    });
    Indicators {
        burn_avg: t
            .ac_total
            .filter(|_| elapsed_days > 0)
            .map(|ac| ac / Decimal::from(elapsed_days)),
        burn_plan: t.bac_total / Decimal::from(period.days().max(1)),
        burn_ratio: t.ac.and_then(|ac| ratio(ac, t.pv)),
        eac_bottom_up,
        tcpi_eac,
        spend_rate_range,
        runway_status,
        recovery_unlikely: t.tcpi_bac.is_some_and(|x| x > 1.10),
        shares,
    }
}

/// Why the cost of the entries `keep` selects is not known on `as_of`: an ad report whose days
/// straddle it (its cost is dated its last day, and part of it is already spent).
pub fn unknown_cost(
    ledger: &[LedgerEntry],
    as_of: Date,
    keep: impl Fn(&LedgerEntry) -> bool,
) -> Option<Undefined> {
    let e = ledger.iter().find(|e| {
        e.report_days
            .is_some_and(|(first, last)| first <= as_of && as_of < last)
            && keep(e)
    })?;
    let (first, last) = e.report_days?;
    Some(Undefined::ReportStraddles {
        file: e.path.to_string_lossy().replace('\\', "/"),
        first,
        last,
        as_of,
    })
}

/// The first day on which spend (actual and committed, every category, dated ≤ `as_of`) added
/// up to `budget`, if it ever did.
fn day_spend_reached(ledger: &[LedgerEntry], budget: Decimal, as_of: Date) -> Option<Date> {
    let mut by_day: std::collections::BTreeMap<Date, Decimal> = Default::default();
    for e in ledger.iter().filter(|e| e.date <= as_of) {
        *by_day.entry(e.date).or_default() += e.amount;
    }
    let mut running = Decimal::ZERO;
    by_day.into_iter().find_map(|(day, spent)| {
        running += spent;
        (running >= budget).then_some(day)
    })
}

/// B_c original: `amount`, or `share × total`.
pub fn original(b: &Budget, id: &str) -> Decimal {
    let Some(c) = b.categories.iter().find(|c| c.id == id) else {
        return Decimal::ZERO;
    };
    match (c.amount, c.share) {
        (Some(a), _) => a.0,
        (None, Some(s)) => (Decimal::from_f64(s.0).unwrap_or_default() * b.total.0).round_dp(2),
        (None, None) => Decimal::ZERO,
    }
}

/// Fraction of an inclusive interval elapsed by `as_of` (0 before it, 1 after it).
fn elapsed(start: Date, end: Date, as_of: Date) -> (Decimal, Decimal) {
    let total = (days_between(start, end) + 1).max(1);
    let done = (days_between(start, as_of) + 1).clamp(0, total);
    (Decimal::from(done), Decimal::from(total))
}

fn planned_value(
    b: &Budget,
    id: &str,
    planned: Decimal,
    period: Period,
    plan: &Plan,
    as_of: Date,
) -> Decimal {
    match b.spend_curve.unwrap_or(if b.work_packages.is_empty() {
        SpendCurve::Linear
    } else {
        SpendCurve::WorkPackages
    }) {
        SpendCurve::WorkPackages => b
            .work_packages
            .iter()
            .filter(|w| w.category == id)
            .map(|w| {
                let (done, total) = elapsed(w.planned_start, w.planned_end, as_of);
                w.planned_value.0 * done / total
            })
            .sum(),
        SpendCurve::Linear => {
            let (done, total) = elapsed(period.start, period.end, as_of);
            planned * done / total
        }
        SpendCurve::ByPhase => plan
            .phases
            .items
            .iter()
            .filter_map(|p| {
                let share = Decimal::from_f64(b.phase_shares.get(&p.id)?.0)?;
                let dates = p.dates(period)?;
                let (done, total) = elapsed(dates.start, dates.end, as_of);
                Some(planned * share * done / total)
            })
            .sum(),
    }
}

fn earned_value(
    b: &Budget,
    id: &str,
    progress: &[ProgressRow],
    as_of: Date,
    method: EvMethod,
    available: bool,
) -> Option<Decimal> {
    if !available {
        return None;
    }
    let ev = b
        .work_packages
        .iter()
        .filter(|w| w.category == id)
        .map(|w| {
            let pct = progress
                .iter()
                .filter(|r| r.work_package == w.id && r.as_of <= as_of)
                .max_by_key(|r| r.as_of)
                .map_or(0.0, |r| r.complete);
            let credited = match method {
                EvMethod::PercentComplete => pct,
                EvMethod::FiftyFifty if pct >= 1.0 => 1.0,
                EvMethod::FiftyFifty if pct > 0.0 => 0.5,
                EvMethod::FiftyFifty => 0.0,
                EvMethod::ZeroHundred => {
                    if pct >= 1.0 {
                        1.0
                    } else {
                        0.0
                    }
                }
            };
            w.planned_value.0 * Decimal::from_f64(credited).unwrap_or_default()
        })
        .sum();
    Some(ev)
}

/// Transfers out of the reserve dated ≤ as_of plus direct reserve spending (rule 15).
fn reserve_consumed(b: &Budget, ledger: &[LedgerEntry], as_of: Date, reserve: &str) -> Decimal {
    let transfers: Decimal = b
        .revisions
        .iter()
        .filter(|r| r.date <= as_of && r.from == reserve)
        .map(|r| r.amount.0)
        .sum();
    let direct: Decimal = ledger
        .iter()
        .filter(|e| e.date <= as_of && e.status != LedgerStatus::Committed && e.category == reserve)
        .map(|e| e.amount)
        .sum();
    transfers + direct
}

/// Spend status (rule 17): against PV before the end, against the current budget from the end on.
fn spend_status(
    complete: bool,
    svar: Option<f64>,
    overrun_pct: Option<f64>,
    t: &Thresholds,
) -> BudgetStatus {
    if complete {
        return match overrun_pct {
            Some(x) if x <= 0.0 => BudgetStatus::Ok,
            Some(x) if x <= t.warn.0 => BudgetStatus::Warn,
            Some(_) => BudgetStatus::Over,
            None => BudgetStatus::Ok,
        };
    }
    match svar {
        Some(x) if x > t.over.0 => BudgetStatus::Over,
        Some(x) if x > t.warn.0 => BudgetStatus::Warn,
        Some(x) if x < t.underspend.0 => BudgetStatus::Underspend,
        _ => BudgetStatus::Ok,
    }
}

fn cpi_status(cpi: f64, bands: &CpiThresholds) -> BudgetStatus {
    if cpi >= bands.green {
        BudgetStatus::Ok
    } else if cpi >= bands.amber {
        BudgetStatus::Warn
    } else {
        BudgetStatus::Over
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elapsed_clamps_to_the_interval() {
        let s = jiff::civil::date(2025, 7, 19);
        let e = jiff::civil::date(2025, 8, 23);
        assert_eq!(
            elapsed(s, e, jiff::civil::date(2025, 8, 10)),
            (Decimal::from(23), Decimal::from(36))
        );
        assert_eq!(
            elapsed(s, e, jiff::civil::date(2025, 7, 1)),
            (Decimal::ZERO, Decimal::from(36))
        );
        assert_eq!(
            elapsed(s, e, jiff::civil::date(2025, 9, 1)),
            (Decimal::from(36), Decimal::from(36))
        );
    }

    #[test]
    fn spend_status_bands() {
        let t = Thresholds::default();
        assert_eq!(
            spend_status(false, Some(-0.035), None, &t),
            BudgetStatus::Ok
        );
        assert_eq!(
            spend_status(false, Some(0.07), None, &t),
            BudgetStatus::Warn
        );
        assert_eq!(
            spend_status(false, Some(0.11), None, &t),
            BudgetStatus::Over
        );
        assert_eq!(
            spend_status(false, Some(-0.25), None, &t),
            BudgetStatus::Underspend
        );
        assert_eq!(spend_status(true, None, Some(0.03), &t), BudgetStatus::Warn);
        assert_eq!(spend_status(true, None, Some(0.0), &t), BudgetStatus::Ok);
    }

    #[test]
    fn cpi_bands() {
        let b = CpiThresholds::default();
        assert_eq!(cpi_status(0.860, &b), BudgetStatus::Over);
        assert_eq!(cpi_status(0.919, &b), BudgetStatus::Warn);
        assert_eq!(cpi_status(1.012, &b), BudgetStatus::Ok);
    }
}
