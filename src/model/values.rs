//! Value types of the plan schema (docs/rules.md#plan-values): ratios, percentage points, money and
//! dates.
//!
//! Each type parses from the forms a plan author writes and rejects the ambiguous ones with a
//! message that says what to write instead. Parsing is pure; the YAML layer adds the location.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A calendar date in the campaign's timezone.
pub type Date = jiff::civil::Date;

/// A share or rate stored as a fraction: `"40%"` and `0.40` both give 0.4.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Ratio(pub f64);

impl Ratio {
    /// The fraction (0.4 for 40%).
    pub fn get(self) -> f64 {
        self.0
    }

    /// Parses `"40%"`, `"+20%"`, `"-20%"` or a bare fraction `"0.4"`.
    /// A bare number whose magnitude exceeds 1 is refused: `40` could mean 40% or 4000%.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        if let Some(number) = t.strip_suffix('%') {
            return parse_f64(number)
                .map(|v| Ratio(v / 100.0))
                .ok_or_else(|| format!("expected a percentage such as 40%, found `{text}`"));
        }
        match parse_f64(t) {
            Some(v) => Self::from_bare(v),
            None => Err(format!(
                "expected a ratio such as 40% or 0.40, found `{text}`"
            )),
        }
    }

    /// A bare YAML number: accepted only as a fraction in [-1, 1].
    pub fn from_bare(v: f64) -> Result<Self, String> {
        if !v.is_finite() {
            Err(format!("expected a finite ratio, found {v}"))
        } else if v.abs() > 1.0 {
            Err(format!(
                "a bare number greater than 1 in a ratio field is ambiguous, found {}; write {}% or {}",
                fmt_num(v),
                fmt_num(v),
                fmt_num(v / 100.0)
            ))
        } else {
            Ok(Ratio(v))
        }
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", fmt_num(self.0 * 100.0))
    }
}

impl<'de> Deserialize<'de> for Ratio {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumberOrText::new(
            "a ratio such as 40% or 0.40",
            Ratio::from_bare,
            Ratio::parse,
        ))
    }
}

impl Serialize for Ratio {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.0)
    }
}

/// A difference in percentage points, written `"3pp"`; stored as a fraction (0.03).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Pp(pub f64);

impl Pp {
    /// Parses `"3pp"`, `"+10pp"`, `"-2.5pp"`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        t.strip_suffix("pp")
            .and_then(parse_f64)
            .map(|v| Pp(v / 100.0))
            .ok_or_else(|| format!("expected percentage points such as 3pp, found `{text}`"))
    }
}

impl fmt::Display for Pp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}pp", fmt_num(self.0 * 100.0))
    }
}

/// A number as a plan author wrote it: plain (`20`, `0.6`), a percentage (`60%`) or percentage
/// points (`3pp`). Whether the form suits the field depends on the metric's unit, which only
/// validation knows, so the form is kept.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Quantity {
    /// A bare number.
    Number(f64),
    /// Written with `%`; the value is the fraction.
    Percent(f64),
    /// Written with `pp`; the value is the fraction.
    Points(f64),
}

impl Quantity {
    /// The value in the metric's own unit (fractions for ratios).
    pub fn value(self) -> f64 {
        match self {
            Quantity::Number(v) | Quantity::Percent(v) | Quantity::Points(v) => v,
        }
    }

    /// Parses `20`, `"60%"`, `"+5pp"`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        if t.ends_with("pp") {
            return Pp::parse(t).map(|p| Quantity::Points(p.0));
        }
        if t.ends_with('%') {
            return Ratio::parse(t).map(|r| Quantity::Percent(r.0));
        }
        parse_f64(t).map(Quantity::Number).ok_or_else(|| {
            format!("expected a number, a percentage (60%) or points (3pp), found `{text}`")
        })
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Quantity::Number(v) => write!(f, "{}", fmt_num(v)),
            Quantity::Percent(v) => write!(f, "{}", Ratio(v)),
            Quantity::Points(v) => write!(f, "{}", Pp(v)),
        }
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumberOrText::new(
            "a number, a percentage (60%) or points (3pp)",
            |n| Ok(Quantity::Number(n)),
            Quantity::parse,
        ))
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.value())
    }
}

impl Serialize for Pp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.0)
    }
}

/// The largest magnitude accepted for any amount or count read from a plan or an export
/// (10^15). Sums over millions of rows then stay far inside decimal range, so totals never
/// overflow; a larger value is refused where it is written.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(0xA4C6_8000, 0x0003_8D7E, 0, false, 0);

/// The message for a value above [`MAX_AMOUNT`].
pub fn too_large(text: &str) -> String {
    let shown: String = text.chars().take(40).collect();
    format!(
        "`{shown}` is too large: amounts and counts up to 1,000,000,000,000,000 (10^15) are accepted"
    )
}

/// An amount of money: a decimal with at most 2 places, never a binary float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(pub Decimal);

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// The decimal amount.
    pub fn get(self) -> Decimal {
        self.0
    }

    /// Parses `60000`, `60000.00`, `"60,000.00"`. More than 2 decimal places is refused.
    pub fn parse(text: &str) -> Result<Self, String> {
        let cleaned: String = text
            .trim()
            .chars()
            .filter(|c| *c != ',' && *c != '_')
            .collect();
        let value = Decimal::from_str(&cleaned)
            .map_err(|_| format!("expected an amount such as 1200.00, found `{text}`"))?;
        Self::checked(value, text)
    }

    fn checked(value: Decimal, text: &str) -> Result<Self, String> {
        if value.abs() > MAX_AMOUNT {
            Err(too_large(text))
        } else if value.normalize().scale() > 2 {
            Err(format!(
                "money has at most 2 decimal places, found `{text}`"
            ))
        } else {
            Ok(Money(value.round_dp(2)))
        }
    }

    /// From a YAML float. Its shortest round-trip text is the number the author typed (for any
    /// amount below 10^15), so going through the text keeps the value exact.
    fn from_f64(v: f64) -> Result<Self, String> {
        if !v.is_finite() {
            return Err(format!("expected an amount, found {v}"));
        }
        let text = format!("{v}");
        Self::parse(&text)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2}", self.0)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumberOrText::new(
            "an amount such as 1200.00",
            Money::from_f64,
            Money::parse,
        ))
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// Parses an ISO calendar date, `YYYY-MM-DD`, with a message that says so.
pub fn parse_iso_date(text: &str) -> Result<Date, String> {
    let t = text.trim();
    let ok_shape = t.len() == 10
        && t.as_bytes()[4] == b'-'
        && t.as_bytes()[7] == b'-'
        && t.bytes()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !ok_shape {
        return Err(format!("expected an ISO date YYYY-MM-DD, found `{text}`"));
    }
    Date::from_str(t).map_err(|_| format!("`{text}` is not a valid calendar date"))
}

/// Serde adapter: `#[serde(with = "iso_date")]` for `Date` fields.
pub mod iso_date {
    use super::*;

    /// Deserializes a `YYYY-MM-DD` string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        parse_iso_date(&text).map_err(de::Error::custom)
    }

    /// Serializes as `YYYY-MM-DD`.
    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(date)
    }
}

/// Serde adapter for `Option<Date>`.
pub mod iso_date_opt {
    use super::*;

    /// Deserializes an optional `YYYY-MM-DD` string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let text = Option::<String>::deserialize(d)?;
        text.map(|t| parse_iso_date(&t).map_err(de::Error::custom))
            .transpose()
    }

    /// Serializes as `YYYY-MM-DD` or null.
    pub fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }
}

/// A visitor that accepts a YAML number or string and hands each to its own parser.
struct NumberOrText<T> {
    expecting: &'static str,
    from_number: fn(f64) -> Result<T, String>,
    from_text: fn(&str) -> Result<T, String>,
}

impl<T> NumberOrText<T> {
    fn new(
        expecting: &'static str,
        from_number: fn(f64) -> Result<T, String>,
        from_text: fn(&str) -> Result<T, String>,
    ) -> Self {
        NumberOrText {
            expecting,
            from_number,
            from_text,
        }
    }
}

impl<T> Visitor<'_> for NumberOrText<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        (self.from_number)(v as f64).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        (self.from_number)(v as f64).map_err(E::custom)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        (self.from_number)(v).map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.from_text)(v).map_err(E::custom)
    }
}

fn parse_f64(text: &str) -> Option<f64> {
    let t = text.trim();
    let t = t.strip_prefix('+').unwrap_or(t);
    if t.is_empty() || t.starts_with('+') {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Formats a number without trailing zeros (`40`, `0.4`, `12.5`).
pub fn fmt_num(v: f64) -> String {
    let rounded = (v * 1e9).round() / 1e9;
    let s = format!("{rounded}");
    if s == "-0" { "0".to_string() } else { s }
}

/// The JSON Schema of an ISO calendar date (`2025-07-07`), for `qunce schema`.
pub struct IsoDate;

impl schemars::JsonSchema for IsoDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "IsoDate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^\\d{4}-\\d{2}-\\d{2}$",
            "description": "an ISO date such as 2025-07-07",
            "examples": ["2025-07-07"]
        })
    }
}

impl schemars::JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "an amount with at most 2 decimal places, in the campaign's currency: 60000, 1200.50 or \"60,000.00\"",
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": "^-?[0-9][0-9,_]*(\\.[0-9]{1,2})?$"}
            ],
            "examples": [60000, "1,200.50"]
        })
    }
}

impl schemars::JsonSchema for Ratio {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Ratio".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "a share or a relative change: \"40%\", 0.40, \"+20%\"",
            "anyOf": [
                {"type": "number", "minimum": -1, "maximum": 1},
                {"type": "string", "pattern": "^[+-]?[0-9.]+ ?%$"}
            ],
            "examples": ["40%", 0.4]
        })
    }
}

impl schemars::JsonSchema for Quantity {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Quantity".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "a number in the metric's unit: 20, \"60%\" or percentage points \"+5pp\"",
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": "^[+-]?[0-9.]+ ?(%|pp)$"}
            ],
            "examples": [20, "60%", "+5pp"]
        })
    }
}

impl schemars::JsonSchema for Pp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Pp".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "percentage points: \"3pp\", \"+10pp\"",
            "type": "string",
            "pattern": "^[+-]?[0-9.]+ ?pp$",
            "examples": ["3pp"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, String> {
        serde_yaml::from_str(text).map_err(|e| e.to_string())
    }

    #[test]
    fn ratio_accepts_percent_and_fraction() {
        assert_eq!(yaml::<Ratio>("40%").unwrap(), Ratio(0.4));
        assert_eq!(yaml::<Ratio>("0.40").unwrap(), Ratio(0.4));
        assert_eq!(yaml::<Ratio>("1").unwrap(), Ratio(1.0));
        assert_eq!(yaml::<Ratio>("'+20%'").unwrap(), Ratio(0.2));
        assert_eq!(yaml::<Ratio>("-20%").unwrap(), Ratio(-0.2));
        assert!((yaml::<Ratio>("12.5%").unwrap().0 - 0.125).abs() < 1e-12);
    }

    #[test]
    fn ratio_refuses_a_bare_number_above_one_with_a_hint() {
        let err = yaml::<Ratio>("40").unwrap_err();
        assert!(err.contains("write 40% or 0.4"), "{err}");
        assert!(
            yaml::<Ratio>("abc")
                .unwrap_err()
                .contains("expected a ratio")
        );
        assert!(yaml::<Ratio>("40 %%").is_err());
    }

    #[test]
    fn points_parse_with_sign() {
        assert_eq!(Pp::parse("3pp").unwrap(), Pp(0.03));
        assert!((Pp::parse("+10pp").unwrap().0 - 0.10).abs() < 1e-12);
        assert!((Pp::parse("-2.5pp").unwrap().0 + 0.025).abs() < 1e-12);
        assert!(Pp::parse("3").is_err());
        assert!(Pp::parse("3%").is_err());
    }

    #[test]
    fn quantity_keeps_the_written_form() {
        assert_eq!(yaml::<Quantity>("20").unwrap(), Quantity::Number(20.0));
        assert_eq!(yaml::<Quantity>("60%").unwrap(), Quantity::Percent(0.6));
        assert_eq!(yaml::<Quantity>("'+10pp'").unwrap(), Quantity::Points(0.1));
        assert!(yaml::<Quantity>("lots").is_err());
    }

    #[test]
    fn money_is_exact_decimal_with_two_places() {
        assert_eq!(
            yaml::<Money>("60000.00").unwrap(),
            Money(Decimal::new(6_000_000, 2))
        );
        assert_eq!(yaml::<Money>("4000").unwrap(), Money(Decimal::new(4000, 0)));
        assert_eq!(
            yaml::<Money>("'60,000.50'").unwrap(),
            Money(Decimal::new(6_000_050, 2))
        );
        // 0.1 + 0.2 style floats stay exact because the typed text is parsed.
        assert_eq!(yaml::<Money>("12394.44").unwrap().to_string(), "12394.44");
        assert_eq!(yaml::<Money>("-120").unwrap().to_string(), "-120.00");
        assert!(
            yaml::<Money>("10.005")
                .unwrap_err()
                .contains("at most 2 decimal places")
        );
        assert!(yaml::<Money>("ten").is_err());
    }

    #[test]
    fn dates_must_be_iso() {
        assert_eq!(
            parse_iso_date("2025-07-07").unwrap(),
            jiff::civil::date(2025, 7, 7)
        );
        assert!(
            parse_iso_date("2025/07/07")
                .unwrap_err()
                .contains("YYYY-MM-DD")
        );
        assert!(parse_iso_date("2025-7-7").is_err());
        assert!(
            parse_iso_date("2025-02-30")
                .unwrap_err()
                .contains("not a valid calendar date")
        );
    }
}
