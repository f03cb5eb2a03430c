//! The vendored charts-rs (`vendor/charts-rs`, see its README.qunce.md) differs from 2.3.0 in
//! how it writes numbers: a coordinate with one decimal by rounding the value times ten as an
//! integer instead of the standard library's `{:.1}`, and a color's hex digits without
//! `format!`. These tests pin, through the crate's public API, that the text is what 2.3.0
//! writes, so every chart on a page is byte-identical to upstream's.

use charts_rs::{Color, Rect};
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

/// The `stroke` and `stroke-opacity` attributes of a rectangle drawn in `color`.
fn stroke(color: Color) -> (String, Option<String>) {
    let svg = Rect {
        color: Some(color),
        ..Default::default()
    }
    .svg();
    let attribute = |name: &str| {
        let start = svg
            .find(&format!(" {name}=\""))
            .map(|at| at + name.len() + 3)?;
        let end = start + svg[start..].find('"')?;
        Some(svg[start..end].to_string())
    };
    (
        attribute("stroke").expect("a stroke"),
        attribute("stroke-opacity"),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn colors_are_written_as_upstream_writes_them(r: u8, g: u8, b: u8, a: u8) {
        let (hex, opacity) = stroke(Color { r, g, b, a });
        prop_assert_eq!(hex, format!("#{r:02X}{g:02X}{b:02X}"));
        // 2.3.0: two decimals, trailing zeros dropped, and nothing for an opaque color.
        let expected = (a != 255).then(|| {
            let text = format!("{:.2}", f32::from(a) / 255.0);
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        });
        prop_assert_eq!(opacity, expected);
    }

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
    assert_eq!(written(-1234.5), "-1234.5");
    assert_eq!(written(100.0), "100");
}

#[test]
fn a_color_is_written_in_upper_case_hex() {
    let (hex, opacity) = stroke(Color {
        r: 0x0A,
        g: 0xBC,
        b: 0xFF,
        a: 255,
    });
    assert_eq!(hex, "#0ABCFF");
    assert_eq!(opacity, None);
    let (_, opacity) = stroke(Color {
        r: 0,
        g: 0,
        b: 0,
        a: 128,
    });
    assert_eq!(opacity.as_deref(), Some("0.5"));
}
