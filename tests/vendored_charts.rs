//! The vendored charts-rs (`vendor/charts-rs`) differs from 2.3.0 in one function: it writes
//! a coordinate with one decimal by rounding the value times ten as an integer, instead of the
//! standard library's `{:.1}`. These tests pin that the text is the standard library's, through
//! the crate's public API, so every chart on a page is byte-identical to upstream's.

use charts_rs::Rect;
use proptest::prelude::*;

/// What charts-rs 2.3.0 writes for a coordinate: `{:.1}` with a trailing `.0` dropped, and
/// `0` for a value that is not finite.
fn upstream(value: f32) -> String {
    if !value.is_finite() {
        return "0".into();
    }
    let text = format!("{value:.1}");
    match text.strip_suffix(".0") {
        Some(whole) => whole.to_string(),
        None => text,
    }
}

/// The `x` attribute of a rectangle drawn at `left`.
fn written(left: f32) -> String {
    let svg = Rect {
        left,
        ..Default::default()
    }
    .svg();
    let start = svg.find(" x=\"").expect("a rect has an x") + 4;
    let end = start + svg[start..].find('"').expect("the x attribute closes");
    svg[start..end].to_string()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn any_f32_is_written_as_the_standard_library_writes_it(bits in any::<u32>()) {
        let value = f32::from_bits(bits);
        prop_assert_eq!(written(value), upstream(value), "bits {:#010x}", bits);
    }

    #[test]
    fn chart_sized_values_are_written_as_the_standard_library_writes_them(value in -5_000f32..5_000f32) {
        prop_assert_eq!(written(value), upstream(value));
    }
}

#[test]
fn halves_and_ties_round_as_the_standard_library_rounds_them() {
    // Multiples of 0.05 are where rounding to one decimal is decided by the last bits of the
    // f32: the standard library rounds the exact binary value, ties to even.
    for step in -200_000..=200_000 {
        let value = step as f32 * 0.05;
        assert_eq!(written(value), upstream(value), "{value}");
    }
    for value in [
        0.0,
        -0.0,
        -0.04,
        0.05,
        0.25,
        -0.25,
        0.35,
        1e20,
        -3.4e38,
        f32::MIN_POSITIVE,
        f32::NAN,
        f32::INFINITY,
    ] {
        assert_eq!(written(value), upstream(value), "{value}");
    }
    assert_eq!(written(-0.04), "-0");
    assert_eq!(written(12.25), "12.2");
    assert_eq!(written(0.75), "0.8");
}
