//! Target status (docs/rules.md#target-status): the target value, the expected value on the
//! trajectory at the evaluation date, and met / on_track / at_risk / missed / unknown.

use serde::Serialize;

use super::kpi::{self, Inputs};
use super::undefined::Undefined;
use super::window::Window;
use crate::model::catalog;
use crate::model::plan::{
    Bucket, Change, Direction, MissingPolicy, Plan, Target, Trajectory, days_between,
};
use crate::model::values::{Date, Quantity};

/// The verdict on one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Final and reached (or a cumulative metric reached early).
    Met,
    /// In progress and within tolerance of the trajectory.
    OnTrack,
    /// In progress and behind the trajectory by more than the tolerance.
    AtRisk,
    /// Final and not reached.
    Missed,
    /// No value, or under 50% coverage.
    Unknown,
}

/// One target's evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetResult {
    /// Target id.
    pub id: String,
    /// Metric id.
    pub metric: String,
    /// Actual over [window.start, min(window.end, as_of)].
    pub actual: Option<f64>,
    /// Why `actual` is missing.
    pub reason: Option<Undefined>,
    /// τ: the target, or the baseline changed by `change`.
    pub target: Option<f64>,
    /// x(p): the trajectory value at the evaluation date.
    pub expected: Option<f64>,
    /// The verdict.
    pub status: Status,
    /// Coverage below `min_coverage` (docs/rules.md#target-status step 6).
    pub low_confidence: bool,
    /// Missed, but by no more than the tolerance ("missed by ≤ tolerance").
    pub within_tolerance: bool,
    /// Share of the window elapsed, `p`.
    pub progress: f64,
    /// With `per:`, each calendar bucket's own verdict (docs/rules.md#target-status step 7).
    pub buckets: Vec<BucketResult>,
}

/// One calendar bucket of a `per:` target.
#[derive(Debug, Clone, PartialEq)]
pub struct BucketResult {
    /// First day of the bucket inside the window.
    pub start: Date,
    /// Last day of the bucket inside the window.
    pub end: Date,
    /// The metric over the bucket (up to as_of).
    pub actual: Option<f64>,
    /// The target, pro-rated by days for cumulative metrics.
    pub target: f64,
    /// met / missed once the bucket is over; on_track / at_risk before.
    pub status: Status,
}

/// Point-in-time metrics are stale when their last reading is more than `max_ffill_days`
/// before the evaluation end (docs/rules.md#general-rules G3).
fn staleness(metric: &str, w: &Window, max_ffill: u32) -> Option<Undefined> {
    let column = match metric {
        "members_end" | "net_growth" | "growth_rate" => "members",
        "active_rate_30d" | "lurker_share" | "stickiness" => "active_members_30d",
        "active_rate_7d" => "active_members_7d",
        _ => return None,
    };
    let (last, _) = w.last(column)?;
    let gap = days_between(last, w.end);
    (gap > i64::from(max_ffill)).then_some(Undefined::Stale {
        column,
        last,
        days: gap,
        end: w.end,
    })
}

/// Splits the window into calendar buckets and judges each (docs/rules.md#target-status step 7).
fn buckets(
    t: &Target,
    per: Bucket,
    tau: f64,
    sigma: f64,
    tolerance: f64,
    inputs: &Inputs,
    as_of: Date,
) -> Vec<BucketResult> {
    let (s, e) = (t.window.start, t.window.end);
    let mut out = Vec::new();
    let mut cursor = s;
    while cursor <= e && cursor <= as_of {
        let (full_start, full_end) = bucket_of(cursor, per);
        let (b_start, b_end) = (full_start.max(s), full_end.min(e));
        let cumulative = is_cumulative(&t.metric);
        let full_days = (days_between(full_start, full_end) + 1) as f64;
        let in_window = (days_between(b_start, b_end) + 1) as f64;
        let target = if cumulative {
            tau * in_window / full_days
        } else {
            tau
        };
        let upto = b_end.min(as_of);
        let w = Window::new(inputs.window.all, b_start, upto);
        let actual = kpi::metric(
            &t.metric,
            &Inputs {
                window: w,
                ..*inputs
            },
            t.agg,
        )
        .ok();
        let status = match actual {
            None => Status::Unknown,
            Some(a) if as_of >= b_end => {
                if sigma * (a - target) >= 0.0 {
                    Status::Met
                } else {
                    Status::Missed
                }
            }
            Some(a) if cumulative && sigma * (a - target) >= 0.0 => Status::Met,
            Some(a) => {
                let p = (days_between(b_start, upto) + 1) as f64 / in_window;
                let x = if cumulative { target * p } else { target };
                if sigma * (a - x) >= -tolerance {
                    Status::OnTrack
                } else {
                    Status::AtRisk
                }
            }
        };
        out.push(BucketResult {
            start: b_start,
            end: b_end,
            actual,
            target,
            status,
        });
        match full_end.tomorrow() {
            Ok(next) => cursor = next,
            Err(_) => break,
        }
    }
    out
}

/// The calendar day, ISO week (Mon–Sun) or month containing `d`.
fn bucket_of(d: Date, per: Bucket) -> (Date, Date) {
    match per {
        Bucket::Day => (d, d),
        Bucket::Week => {
            let back = i64::from(d.weekday().to_monday_zero_offset());
            let start = d.checked_sub(jiff::Span::new().days(back)).unwrap_or(d);
            (
                start,
                start
                    .checked_add(jiff::Span::new().days(6))
                    .unwrap_or(start),
            )
        }
        Bucket::Month => (d.first_of_month(), d.last_of_month()),
    }
}

/// Evaluates one target as of `as_of`.
pub fn evaluate(
    t: &Target,
    plan: &Plan,
    inputs: &Inputs,
    as_of: Date,
    missing: MissingPolicy,
) -> TargetResult {
    let min_coverage = missing.min_coverage.0;
    let s = t.window.start;
    let e = t.window.end;
    let end = e.min(as_of);
    let window = Window::new(inputs.window.all, s, end);
    let scoped = Inputs { window, ..*inputs };
    let value = kpi::metric(&t.metric, &scoped, t.agg);
    let (actual, reason) = match value {
        Ok(v) => (Some(v), None),
        Err(r) => (None, Some(r)),
    };
    let tau = target_value(t);
    let total_days = days_between(s, e) + 1;
    let p = ((days_between(s, end) + 1) as f64 / total_days as f64).clamp(0.0, 1.0);
    let trajectory = t
        .trajectory
        .unwrap_or_else(|| default_trajectory(&t.metric));
    let baseline = t.baseline.map(Quantity::value);
    let expected =
        tau.and_then(|tau| expected_value(trajectory, baseline, tau, &t.checkpoints, s, e, p));
    let sigma = match target_direction(plan, t) {
        Direction::HigherIsBetter => 1.0,
        Direction::LowerIsBetter => -1.0,
    };
    let tolerance = tolerance_of(t, tau);
    let coverage = window.coverage().unwrap_or(0.0);
    let mut result = TargetResult {
        id: t.id.clone(),
        metric: t.metric.clone(),
        actual,
        reason,
        target: tau,
        expected,
        status: Status::Unknown,
        low_confidence: coverage < min_coverage,
        within_tolerance: false,
        progress: p,
        buckets: Vec::new(),
    };
    let (Some(a), Some(tau)) = (actual, tau) else {
        return result;
    };
    if coverage < 0.5 {
        result.reason = Some(Undefined::LowCoverage {
            percent: coverage * 100.0,
        });
        return result;
    }
    if let Some(stale) = staleness(&t.metric, &window, missing.max_ffill_days) {
        result.reason = Some(stale);
        return result;
    }
    if let Some(per) = t.per {
        let buckets = buckets(t, per, tau, sigma, tolerance, inputs, as_of);
        let completed_missed = buckets.iter().any(|b| b.status == Status::Missed);
        result.status = match (as_of >= e, completed_missed) {
            (true, true) => Status::Missed,
            (false, true) => Status::AtRisk,
            (true, false) => Status::Met,
            (false, false) => Status::OnTrack,
        };
        result.buckets = buckets;
        return result;
    }
    result.status = if as_of >= e {
        if sigma * (a - tau) >= 0.0 {
            Status::Met
        } else {
            result.within_tolerance = (a - tau).abs() <= tolerance;
            Status::Missed
        }
    } else if is_cumulative(&t.metric) && sigma * (a - tau) >= 0.0 {
        Status::Met
    } else {
        match expected {
            Some(x) if sigma * (a - x) >= -tolerance => Status::OnTrack,
            Some(_) => Status::AtRisk,
            None => Status::Unknown,
        }
    };
    result
}

/// τ: `target`, or `b·(1+r)` for `change.relative`, or `b+Δ` for `change.absolute`.
pub fn target_value(t: &Target) -> Option<f64> {
    if let Some(q) = t.target {
        return Some(q.value());
    }
    let b = t.baseline?.value();
    match &t.change {
        Some(Change {
            relative: Some(r), ..
        }) => Some(b * (1.0 + r.0)),
        Some(Change {
            absolute: Some(d), ..
        }) => Some(b + d.value()),
        _ => None,
    }
}

/// docs/rules.md#trajectory: `compound` for members_end, `linear` for cumulative counts, `flat`
/// otherwise.
pub fn default_trajectory(metric: &str) -> Trajectory {
    match metric {
        "members_end" => Trajectory::Compound,
        m if is_cumulative(m) => Trajectory::Linear,
        _ => Trajectory::Flat,
    }
}

fn is_cumulative(metric: &str) -> bool {
    catalog::lookup(metric).is_some_and(|m| m.cumulative)
}

/// A target's tolerance: its `tolerance`, else 5 % of the target value `tau` (0 without one).
pub fn tolerance_of(t: &Target, tau: Option<f64>) -> f64 {
    t.tolerance
        .map(Quantity::value)
        .or(tau.map(|x| 0.05 * x.abs()))
        .unwrap_or(0.0)
}

/// Which way is better for a target: its own `direction`, else its metric's.
pub fn target_direction(plan: &Plan, t: &Target) -> Direction {
    t.direction.unwrap_or_else(|| direction(plan, &t.metric))
}

fn direction(plan: &Plan, metric: &str) -> Direction {
    catalog::lookup(metric)
        .map(|m| m.direction)
        .or_else(|| {
            plan.custom_metrics
                .iter()
                .find(|m| m.id == metric)
                .map(|m| m.direction)
        })
        .unwrap_or(Direction::HigherIsBetter)
}

/// x(p) for a trajectory; `None` when it needs a baseline the target lacks (golden rule 11).
pub fn expected_value(
    trajectory: Trajectory,
    baseline: Option<f64>,
    tau: f64,
    checkpoints: &[crate::model::plan::Checkpoint],
    s: Date,
    e: Date,
    p: f64,
) -> Option<f64> {
    match trajectory {
        Trajectory::Flat => Some(tau),
        Trajectory::Linear => baseline.map(|b| b + (tau - b) * p),
        Trajectory::Compound => baseline.filter(|b| *b > 0.0).map(|b| b * (tau / b).powf(p)),
        Trajectory::Milestones => {
            let b = baseline?;
            let total = (days_between(s, e) + 1) as f64;
            let mut points = vec![(0.0, b)];
            points.extend(checkpoints.iter().map(|c| {
                (
                    (days_between(s, c.date) + 1) as f64 / total,
                    c.value.value(),
                )
            }));
            points.push((1.0, tau));
            let pair = points
                .windows(2)
                .find(|w| p <= w[1].0)
                .unwrap_or(&points[points.len() - 2..]);
            let ((p0, x0), (p1, x1)) = (pair[0], pair[1]);
            Some(if p1 > p0 {
                x0 + (x1 - x0) * (p - p0) / (p1 - p0)
            } else {
                x1
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plan::Checkpoint;
    use jiff::civil::date;

    // docs/rules.md#target-examples.
    #[test]
    fn linear_half_way_on_track() {
        // t_active30 on 2025-07-21: p = 15/30, x = 35% + 25pp × 0.5 = 47.5%.
        let s = date(2025, 7, 7);
        let e = date(2025, 8, 5);
        let p = 15.0 / 30.0;
        let x = expected_value(Trajectory::Linear, Some(0.35), 0.60, &[], s, e, p).unwrap();
        assert!((x - 0.475).abs() < 1e-12);
        // Actual 46.0%: g = −1.5pp ≥ −3pp → on track.
        assert!(0.46 - x >= -0.03);
    }

    #[test]
    fn compound_members_on_track_where_linear_would_be_at_risk() {
        let s = date(2025, 7, 7);
        let e = date(2026, 7, 6);
        let p = 56.0 / 365.0;
        let x = expected_value(Trajectory::Compound, Some(150.0), 500.0, &[], s, e, p).unwrap();
        assert!((x - 180.4).abs() < 0.05, "{x}");
        let lin = expected_value(Trajectory::Linear, Some(150.0), 500.0, &[], s, e, p).unwrap();
        assert!((lin - 203.7).abs() < 0.05, "{lin}");
        // Actual 172, tolerance 5% × 500 = 25.
        assert!(172.0 - x >= -25.0);
        assert!(172.0 - lin < -25.0);
    }

    #[test]
    fn milestones_interpolate_between_checkpoints() {
        // golden README rule 11: on 08-10 t_active_daily lies between the 08-03 checkpoint
        // (p = 28/56, 33%) and (1, 35%): p = 35/56 → 33.5%.
        let s = date(2025, 7, 7);
        let e = date(2025, 8, 31);
        let cps = [
            Checkpoint {
                date: date(2025, 7, 20),
                value: Quantity::Percent(0.28),
            },
            Checkpoint {
                date: date(2025, 8, 3),
                value: Quantity::Percent(0.33),
            },
        ];
        let x = expected_value(
            Trajectory::Milestones,
            Some(0.25),
            0.35,
            &cps,
            s,
            e,
            35.0 / 56.0,
        )
        .unwrap();
        assert!((x - 0.335).abs() < 1e-12, "{x}");
        let start =
            expected_value(Trajectory::Milestones, Some(0.25), 0.35, &cps, s, e, 0.0).unwrap();
        assert!((start - 0.25).abs() < 1e-12);
    }

    #[test]
    fn buckets_follow_the_calendar() {
        // 2025-07-09 is a Wednesday: its ISO week runs Mon 07-07 … Sun 07-13.
        assert_eq!(
            bucket_of(date(2025, 7, 9), Bucket::Week),
            (date(2025, 7, 7), date(2025, 7, 13))
        );
        assert_eq!(
            bucket_of(date(2025, 2, 10), Bucket::Month),
            (date(2025, 2, 1), date(2025, 2, 28))
        );
        assert_eq!(
            bucket_of(date(2025, 2, 10), Bucket::Day),
            (date(2025, 2, 10), date(2025, 2, 10))
        );
    }

    #[test]
    fn expected_needs_a_baseline_for_linear_and_compound() {
        let d = date(2025, 1, 1);
        assert_eq!(
            expected_value(Trajectory::Linear, None, 1.0, &[], d, d, 0.5),
            None
        );
        assert_eq!(
            expected_value(Trajectory::Compound, Some(0.0), 1.0, &[], d, d, 0.5),
            None
        );
        assert_eq!(
            expected_value(Trajectory::Flat, None, 3.0, &[], d, d, 0.5),
            Some(3.0)
        );
    }
}
