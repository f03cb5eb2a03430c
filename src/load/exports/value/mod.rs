//! Cell parsing rules of docs/rules.md#cell-values: missing markers, full-width digits, thousands
//! separators, percentages, currency strings, and dates in their many export shapes.
//! Pure functions: each returns the value or a message saying what was expected.

use std::str::FromStr;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use rust_decimal::Decimal;
use unicode_normalization::UnicodeNormalization;

pub use crate::model::plan::TimestampMode;

/// Cleans a raw cell: NFKC (full-width → half-width), trims spaces and stray single quotes
mod date;
mod money;

pub use date::*;
pub use money::*;

/// (Discord wraps categorical values in them), and returns `None` for a missing marker.
pub fn clean(raw: &str) -> Option<String> {
    clean_ref(raw).map(std::borrow::Cow::into_owned)
}

/// [`clean`] without a copy when the cell needs no folding: most cells of an export are ASCII
/// or already NFKC, and only the others are rebuilt (a quick check, where normalising every
/// cell of a million-row export took a seventh of its reading time). Always inlined: called,
/// its 24-byte answer went through memory and each row's readers stalled on reading it back.
#[inline(always)]
pub fn clean_ref(raw: &str) -> Option<std::borrow::Cow<'_, str>> {
    // The common cell: ASCII, nothing to trim or unquote.
    if let (Some(&first), Some(&last)) = (raw.as_bytes().first(), raw.as_bytes().last())
        && first.is_ascii_graphic()
        && first != b'\''
        && last.is_ascii_graphic()
        && is_ascii(raw.as_bytes())
    {
        return (!is_missing(raw)).then_some(std::borrow::Cow::Borrowed(raw));
    }
    clean_other(raw)
}

/// [`clean_ref`] for a cell that may need trimming, unquoting or folding (a Chinese cell, say):
/// kept out of line, so that the common cell's check stays small enough to inline at every
/// call.
#[inline(never)]
fn clean_other(raw: &str) -> Option<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    /// The cell without surrounding spaces and a stray pair of single quotes.
    fn trimmed(text: &str) -> &str {
        let t = trim(text);
        match t.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
            Some(inner) => trim(inner),
            None => t,
        }
    }
    if raw.is_ascii()
        || unicode_normalization::is_nfkc_quick(raw.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        let text = trimmed(raw);
        return (!is_missing(text)).then_some(Cow::Borrowed(text));
    }
    let folded: String = raw.nfkc().collect();
    let text = trimmed(&folded);
    (!is_missing(text)).then(|| Cow::Owned(text.to_string()))
}

/// [`str::trim`], with a shortcut for the common cell that starts and ends with a visible
/// ASCII character (and so has nothing to trim).
pub fn trim(text: &str) -> &str {
    let bytes = text.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// What exports write in a cell that has no value (compared ignoring ASCII case).
const MISSING: [&str; 11] = [
    "", "-", "—", "–", "--", "n/a", "na", "null", "none", "/", "nan",
];

/// Empty, `-`, `—`, `N/A`, `null`, `/` mean "missing" (never 0).
#[inline(always)]
pub fn is_missing(text: &str) -> bool {
    // Every marker starts with one of these bytes (`—` and `–` with 0xE2): most cells are
    // ruled out by their first byte, inline; only the others are compared, out of line.
    match text.as_bytes().first() {
        None => true,
        Some(b'-' | b'/' | b'n' | b'N' | 0xE2) => is_missing_marker(text),
        Some(_) => false,
    }
}

/// [`is_missing`]'s comparison, for a cell whose first byte could start a marker.
#[inline(never)]
fn is_missing_marker(text: &str) -> bool {
    text.len() <= 4 && MISSING.iter().any(|m| text.eq_ignore_ascii_case(m))
}

/// [`str::is_ascii`] for a cell: one that fits in 16 bytes (most do) is checked with two
/// overlapping loads, inline, instead of a call to the general loop. The cell map packs its keys
/// with the same loads, but going through its packing here cost a ledger row 100 instructions
/// more (callgrind), so the check keeps its own.
#[inline(always)]
fn is_ascii(bytes: &[u8]) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let len = bytes.len();
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default());
    let half = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap_or_default());
    match len {
        0..=3 => bytes.iter().all(u8::is_ascii),
        4..=7 => (half(0) | half(len - 4)) & 0x8080_8080 == 0,
        8..=16 => (word(0) | word(len - 8)) & HIGH == 0,
        _ => bytes.is_ascii(),
    }
}

/// Parses a plain number: thousands separators (`1,234`), full-width digits (already folded by
/// [`clean`]) and a leading `+` are accepted. A trailing `%` divides by 100.
pub fn parse_number(text: &str) -> Result<Decimal, String> {
    number(text).and_then(|v| in_range(v, text))
}

/// Refuses a value above [`MAX_AMOUNT`](crate::model::values::MAX_AMOUNT) at its cell, so
/// that no sum over the export can overflow.
fn in_range(value: Decimal, text: &str) -> Result<Decimal, String> {
    if value.abs() > crate::model::values::MAX_AMOUNT {
        Err(crate::model::values::too_large(text))
    } else {
        Ok(value)
    }
}

fn number(text: &str) -> Result<Decimal, String> {
    let (body, percent) = match text.strip_suffix('%') {
        Some(b) => (b.trim(), true),
        None => (text, false),
    };
    let digits = strip_thousands(body)?;
    let value = Decimal::from_str(&digits)
        .or_else(|_| Decimal::from_scientific(&digits))
        .map_err(|_| format!("expected a number, found `{text}`"))?;
    Ok(if percent {
        value / Decimal::ONE_HUNDRED
    } else {
        value
    })
}

fn strip_thousands(text: &str) -> Result<String, String> {
    let t = text.strip_prefix('+').unwrap_or(text);
    if !t.contains(',') {
        return Ok(t.to_string());
    }
    // Commas must group digits by three: `1,234.5` yes, `12,5` (a decimal comma) no.
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let int_digits = int.strip_prefix('-').unwrap_or(int);
    let groups: Vec<&str> = int_digits.split(',').collect();
    let well_formed = !groups[0].is_empty()
        && groups[0].len() <= 3
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    if !well_formed {
        return Err(format!(
            "expected a number, found `{text}` (commas must separate thousands; use `.` for decimals)"
        ));
    }
    let mut out = int.replace(',', "");
    if !frac.is_empty() || t.contains('.') {
        out.push('.');
        out.push_str(frac);
    }
    Ok(out)
}

/// Parses a non-negative whole count.
pub fn parse_count(text: &str) -> Result<Decimal, String> {
    let value = number(text).map_err(|_| format!("expected a whole number, found `{text}`"))?;
    let value = in_range(value, text)?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(format!("a count cannot be negative, found `{text}`"));
    }
    if value.fract() != Decimal::ZERO {
        return Err(format!("expected a whole number, found `{text}`"));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn a_cell_is_ascii_unless_one_of_its_bytes_is_not() {
        for len in 0..40 {
            let ascii = vec![b'a'; len];
            assert!(is_ascii(&ascii), "{len} ASCII bytes");
            for at in 0..len {
                let mut cell = ascii.clone();
                cell[at] = 0xE4;
                assert!(!is_ascii(&cell), "byte {at} of {len}");
            }
        }
    }

    #[test]
    fn missing_markers_are_missing_not_zero() {
        for m in ["", " ", "-", "—", "N/A", "n/a", "null", "/", "NULL"] {
            assert_eq!(clean(m), None, "{m:?}");
        }
        assert_eq!(clean("0").as_deref(), Some("0"));
        // Every marker, in either case, gets past the first-byte shortcut.
        for m in MISSING {
            assert!(is_missing(m) && is_missing(&m.to_uppercase()), "{m:?}");
        }
        for value in ["0", "none of it", "nano", "—1"] {
            assert!(!is_missing(value), "{value:?}");
        }
    }

    #[test]
    fn cells_are_cleaned_alike_with_and_without_the_ascii_shortcut() {
        // (cell, cleaned): the first group takes the shortcut, the rest the general path.
        for (cell, cleaned) in [
            ("E0001", Some("E0001")),
            ("a'", Some("a'")),
            ("N/A", None),
            ("--", None),
            ("'a'", Some("a")),
            ("'a", Some("'a")),
            ("'-'", None),
            (" a ", Some("a")),
            ("x y", Some("x y")),
            ("ＡＢ１", Some("AB1")),
            ("\u{3000}", None),
        ] {
            assert_eq!(clean(cell).as_deref(), cleaned, "{cell:?}");
        }
    }

    #[test]
    fn the_trim_shortcut_trims_as_str_trim_does() {
        for text in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{3000}a\u{3000}",
            "\u{b}a",
            "a\u{b}",
            "中",
            " 中 ",
            "a b",
            "\t'x'\r",
            "'",
            "é",
            "a\u{a0}",
        ] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn cleaning_folds_full_width_and_trims_single_quotes() {
        assert_eq!(clean("１２３４").as_deref(), Some("1234"));
        assert_eq!(clean(" 1234 ").as_deref(), Some("1234"));
        assert_eq!(
            clean("'Members for 1 month+'").as_deref(),
            Some("Members for 1 month+")
        );
    }

    #[test]
    fn numbers_accept_thousands_and_percent() {
        assert_eq!(parse_number("1,234").unwrap(), d("1234"));
        assert_eq!(parse_number("1,234,567.5").unwrap(), d("1234567.5"));
        assert_eq!(parse_number("12.5%").unwrap(), d("0.125"));
        assert_eq!(parse_number("+3").unwrap(), d("3"));
        assert!(parse_number("12,5").is_err());
        assert!(parse_number("1,23,4").is_err());
        assert!(parse_number("abc").is_err());
    }

    #[test]
    fn counts_are_whole_and_non_negative() {
        assert_eq!(parse_count("１５２").unwrap_or_default(), Decimal::ZERO); // not cleaned yet
        assert_eq!(parse_count(&clean("１５２").unwrap()).unwrap(), d("152"));
        assert!(parse_count("-3").unwrap_err().contains("negative"));
        assert!(parse_count("2.5").unwrap_err().contains("whole number"));
        assert!(parse_count("很多").unwrap_err().contains("whole number"));
    }
}
