//! Money cells: currency marks and codes, checked against the plan's currency and never
//! converted.

use super::*;

/// Currency markers that may wrap an amount, with the ISO code each implies. `$` and `¥` are
/// settled against the plan's currency in [`marker_currency`].
const CURRENCY_MARKS: &[(&str, &str)] = &[
    ("US$", "USD"),
    ("USD", "USD"),
    ("$", "$"),
    ("¥", "¥"),
    ("￥", "¥"),
    ("元", "CNY"),
    ("CNY", "CNY"),
    ("RMB", "CNY"),
    ("€", "EUR"),
    ("EUR", "EUR"),
    ("£", "GBP"),
    ("GBP", "GBP"),
    ("₹", "INR"),
    ("INR", "INR"),
    ("HK$", "HKD"),
    ("HKD", "HKD"),
    ("A$", "AUD"),
    ("AU$", "AUD"),
    ("AUD", "AUD"),
    ("C$", "CAD"),
    ("CA$", "CAD"),
    ("CAD", "CAD"),
    ("S$", "SGD"),
    ("SGD", "SGD"),
    ("NT$", "TWD"),
    ("JPY", "JPY"),
];

/// The currency a marker names in a plan of `plan` currency: a bare `$` is that plan's dollar
/// (and unknown in a plan without one), `¥` is CNY unless the plan is in JPY.
fn marker_currency(mark: &str, plan: &str) -> String {
    const DOLLARS: &[&str] = &["USD", "AUD", "CAD", "HKD", "SGD", "TWD", "NZD", "MXN"];
    match mark {
        "$" if DOLLARS.iter().any(|d| d.eq_ignore_ascii_case(plan)) => plan.to_uppercase(),
        "$" => "a dollar currency".into(),
        "¥" if plan.eq_ignore_ascii_case("JPY") => "JPY".into(),
        "¥" => "CNY".into(),
        code => code.into(),
    }
}

/// Parses an amount such as `¥1,200.00`, `1200元`, `US$50.00` or `-120`. A currency marker that
/// implies a different currency from the plan's is refused. `¥` is read as CNY (it is also the
/// yen sign, but a yen ledger would write JPY).
#[inline(always)]
pub fn parse_money(text: &str, currency: &str) -> Result<Decimal, MoneyError> {
    // `1234.50` / `-120`, the common cell, read inline; every other cell out of line.
    match plain_money(trim(text)) {
        Some(Some(value)) => Ok(value),
        _ => parse_other_money(text, currency),
    }
}

/// [`parse_money`] for a cell that is not a plain amount in range.
#[inline(never)]
fn parse_other_money(text: &str, currency: &str) -> Result<Decimal, MoneyError> {
    let too_large = || MoneyError {
        message: crate::model::values::too_large(text),
        help: "check the cell for a stray digit or an id pasted into the amount column",
    };
    // `1234.50` / `-120`, the common cell, read directly: digits with at most two decimals have
    // no marker, separator, percent or extra precision to look for.
    if let Some(value) = plain_money(trim(text)) {
        return value.ok_or_else(too_large);
    }
    let mut body = text.trim().to_string();
    let mut negative = false;
    if let Some(rest) = body.strip_prefix('-') {
        negative = true;
        body = rest.trim().to_string();
    }
    if body.starts_with('(') && body.ends_with(')') {
        negative = true;
        body = body[1..body.len() - 1].trim().to_string();
    }
    let mut marker: Option<&str> = None;
    // Longest markers first so `US$` wins over `$` and `HK$` over `$`; sorted once.
    static MARKS: std::sync::LazyLock<Vec<&(&str, &str)>> = std::sync::LazyLock::new(|| {
        let mut marks: Vec<&(&str, &str)> = CURRENCY_MARKS.iter().collect();
        marks.sort_by_key(|(m, _)| std::cmp::Reverse(m.len()));
        marks
    });
    // A marker is never a digit: a plain number (most cells) has none to look for.
    let plain = body.starts_with(|c: char| c.is_ascii_digit())
        && body.ends_with(|c: char| c.is_ascii_digit());
    for (mark, code) in MARKS.iter().filter(|_| !plain) {
        if let Some(rest) = body.strip_prefix(mark) {
            body = rest.trim().to_string();
            marker = Some(code);
            break;
        }
        if let Some(rest) = body.strip_suffix(mark) {
            body = rest.trim().to_string();
            marker = Some(code);
            break;
        }
    }
    if let Some(mark) = marker {
        let code = marker_currency(mark, currency);
        if !code.eq_ignore_ascii_case(currency) {
            return Err(MoneyError {
                message: format!(
                    "amount `{text}` is in {code}, but the plan's currency is {currency}"
                ),
                help: "qunce never converts currencies: export the report in the plan's currency, or keep it out of this plan",
            });
        }
    }
    let value = number(&body).map_err(|_| MoneyError {
        message: format!("expected an amount such as 1200.00, found `{text}`"),
        help: "write the amount as a number; refunds are negative amounts (-120.00)",
    })?;
    let value = in_range(value, text).map_err(|_| too_large())?;
    if body.ends_with('%') {
        return Err(MoneyError {
            message: format!("expected an amount, found a percentage `{text}`"),
            help: "this column holds money: map the export's amount column to it instead",
        });
    }
    if value.normalize().scale() > 2 {
        return Err(MoneyError {
            message: format!("money has at most 2 decimal places, found `{text}`"),
            help: "round to cents as the bill shows them (12.35), or check the export's number format",
        });
    }
    Ok(if negative { -value } else { value })
}

/// Why an amount was refused: the message names the cell, the hint fits what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoneyError {
    /// What was found.
    pub message: String,
    /// What to do about it.
    pub help: &'static str,
}

/// A plain amount, `[-]digits[.d[d]]` with at most 18 digits, read in one pass into an
/// integer mantissa: `None` when the cell is anything else (the general path reads it), and
/// `Some(None)` when it is above [`MAX_AMOUNT`](crate::model::values::MAX_AMOUNT).
#[inline(always)]
fn plain_money(t: &str) -> Option<Option<Decimal>> {
    let (negative, digits) = match t.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        all => (false, all),
    };
    let (mut mantissa, mut count, mut dot) = (0i64, 0u32, None);
    for (i, &b) in digits.iter().enumerate() {
        match b {
            b'0'..=b'9' if count < 18 => {
                mantissa = mantissa * 10 + i64::from(b - b'0');
                count += 1;
            }
            b'.' if dot.is_none() && i > 0 => dot = Some(i),
            _ => return None,
        }
    }
    let scale = match dot {
        None if count > 0 => 0,
        Some(at) if (2..=3).contains(&(digits.len() - at)) => (digits.len() - at - 1) as u32,
        _ => return None,
    };
    // 10^15 at the cell's scale: at most 10^17, well inside an i64.
    let max = 1_000_000_000_000_000i64 * 10i64.pow(scale);
    // Signed through the mantissa, so that `-0.00` is zero as Decimal's parser reads it.
    let signed = if negative { -mantissa } else { mantissa };
    Some((mantissa <= max).then(|| Decimal::new(signed, scale)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn money_strips_currency_and_refuses_other_currencies() {
        assert_eq!(parse_money("¥1,200.00", "CNY").unwrap(), d("1200.00"));
        assert_eq!(parse_money("1200元", "CNY").unwrap(), d("1200"));
        assert_eq!(parse_money("-120.00", "CNY").unwrap(), d("-120.00"));
        assert_eq!(parse_money("US$50.00", "USD").unwrap(), d("50.00"));
        assert!(
            parse_money("US$50.00", "CNY")
                .unwrap_err()
                .message
                .contains("USD")
        );
        // Each refusal carries the hint for what is wrong, not a generic one.
        let precise = parse_money("12.345", "CNY").unwrap_err();
        assert!(precise.message.contains("2 decimal places"), "{precise:?}");
        assert!(precise.help.contains("round to cents"), "{precise:?}");
        assert!(
            parse_money("US$50.00", "CNY")
                .unwrap_err()
                .help
                .contains("never converts")
        );
        assert!(
            parse_money("ten", "CNY")
                .unwrap_err()
                .help
                .contains("refunds")
        );
        assert!(
            parse_money("2000000000000000", "CNY")
                .unwrap_err()
                .message
                .contains("too large")
        );
        assert!(parse_money("ten", "CNY").is_err());
    }

    #[test]
    fn currency_marks_follow_the_plan_and_never_convert() {
        assert_eq!(parse_money("$50.00", "USD").unwrap(), d("50.00"));
        assert_eq!(parse_money("$50.00", "AUD").unwrap(), d("50.00"));
        assert_eq!(parse_money("A$50.00", "AUD").unwrap(), d("50.00"));
        assert_eq!(parse_money("¥500", "JPY").unwrap(), d("500"));
        assert_eq!(parse_money("₹1,000.00", "INR").unwrap(), d("1000.00"));
        let refused = [
            ("$50.00", "CNY", "a dollar currency"),
            ("A$50.00", "USD", "AUD"),
            ("C$50.00", "USD", "CAD"),
            ("€50.00", "USD", "EUR"),
            ("£50.00", "USD", "GBP"),
            ("₹50.00", "USD", "INR"),
            ("HK$50.00", "USD", "HKD"),
            ("¥50", "USD", "CNY"),
            ("US$50.00", "JPY", "USD"),
        ];
        for (text, plan, named) in refused {
            let err = parse_money(text, plan).unwrap_err().message;
            assert!(
                err.contains(named) && err.contains(plan),
                "{text} in {plan}: {err}"
            );
        }
    }

    #[test]
    fn plain_amounts_read_alike_on_the_fast_path_and_the_general_one() {
        // Each plain amount against the same amount with a marker, which takes the general path.
        for (plain, marked) in [
            ("1234.50", "¥1234.50"),
            ("-120", "-¥120"),
            ("0.05", "¥0.05"),
            ("7", "7元"),
        ] {
            assert_eq!(
                parse_money(plain, "CNY"),
                parse_money(marked, "CNY"),
                "{plain}"
            );
        }
        assert_eq!(parse_money(" -12.3 ", "CNY").unwrap(), d("-12.3"));
        // The same value and the same scale (so the same text) as the general parser's.
        for text in [
            "1234.50",
            "0.05",
            "7",
            "000123.40",
            "123456789012345.67",
            "-0.10",
        ] {
            assert_eq!(
                parse_money(text, "CNY").unwrap().to_string(),
                Decimal::from_str(text).unwrap().to_string(),
                "{text}"
            );
        }
        // Three decimals and amounts over 10^15 are refused on either path.
        assert!(parse_money("1.005", "CNY").is_err());
        assert!(parse_money("2000000000000000", "CNY").is_err());
        assert!(parse_money("¥2000000000000000", "CNY").is_err());
    }

    proptest::proptest! {
        /// Any short cell of digits, dots and minus signs: the one-pass reader either leaves it
        /// to the general path or gives exactly what Decimal's own parser gives (value and
        /// scale), refusing what is above 10^15 as the general path does.
        #[test]
        fn plain_amounts_match_decimals_parser(
            text in proptest::prop_oneof!["-?[0-9]{1,20}([.][0-9]{0,3})?", "-?[0-9.]{0,8}"],
        ) {
            if let Some(fast) = plain_money(&text) {
                let general = Decimal::from_str(&text).expect("a plain amount is a decimal");
                proptest::prop_assert!(general.scale() <= 2);
                let in_range = general.abs() <= crate::model::values::MAX_AMOUNT;
                proptest::prop_assert_eq!(fast.map(|v| v.to_string()), in_range.then(|| general.to_string()));
            } else {
                // Left to the general path: not of the plain form.
                let digits = text.strip_prefix('-').unwrap_or(&text);
                let plain = digits.split_once('.').map_or(
                    !digits.is_empty() && digits.len() <= 18,
                    |(int, frac)| !int.is_empty() && (1..=2).contains(&frac.len()) && !frac.contains('.') && int.len() + frac.len() <= 18,
                );
                proptest::prop_assert!(!plain, "`{}` is plain but was left to the general path", text);
            }
        }
    }
}
