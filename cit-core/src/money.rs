//! Money: euro amounts in whole cents (R-ROUND).

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::decimal::{self, ROUNDING};
use crate::{Error, Result, fmt_it};

/// An amount in euro, always a whole number of cents (R-ROUND).
///
/// A `Money` is built either from an exact value rounded half away from zero
/// ([`Money::round`], the *arrotondamento commerciale* of R-ROUND), from cents, or by
/// parsing decimal text that is already in whole cents. It never passes through binary
/// floating point.
///
/// It serialises as a decimal string with two decimals (`"28485.30"`) and displays in
/// Italian (`€ 28.485,30`).
///
/// # Example
/// ```
/// use cit_core::Money;
/// use rust_decimal::Decimal;
///
/// let exact: Decimal = "28485.305".parse()?;
/// let m = Money::round(exact);
/// assert_eq!(m.to_string(), "€ 28.485,31");
/// assert_eq!(serde_json::to_string(&m)?, "\"28485.31\"");
/// assert_eq!("12.50".parse::<Money>()?, Money::from_cents(1250));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Decimal);

impl Money {
    /// Zero euro.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// The one constructor from a decimal: zero is always positive zero, so a sum that
    /// cancels out, a reversal of nothing or `-0.001` rounded never print as `-0.00`.
    fn new(value: Decimal) -> Money {
        if value.is_zero() {
            Money(Decimal::new(0, value.scale()))
        } else {
            Money(value)
        }
    }

    /// The amount of `cents` euro cents.
    pub fn from_cents(cents: i64) -> Money {
        Money(Decimal::new(cents, 2))
    }

    /// Rounds an exact value to whole cents, half away from zero (R-ROUND).
    ///
    /// `0.005` becomes `0.01` and `-0.005` becomes `-0.01`.
    pub fn round(exact: Decimal) -> Money {
        Money::new(exact.round_dp_with_strategy(2, ROUNDING.strategy()))
    }

    /// The value as money if it is already a whole number of cents, `None` otherwise.
    pub fn from_decimal_exact(value: Decimal) -> Option<Money> {
        let rounded = Money::round(value);
        (rounded.0 == value).then_some(rounded)
    }

    /// The amount as a decimal number of euro.
    pub fn to_decimal(self) -> Decimal {
        self.0
    }

    /// The amount in cents, or `None` if it does not fit an `i64`.
    pub fn cents(self) -> Option<i64> {
        let cents = self.0.checked_mul(Decimal::ONE_HUNDRED)?;
        i64::try_from(cents).ok()
    }

    /// `self + other`, exactly, or `None` if the exact sum does not fit 28 significant
    /// digits (rust_decimal alone would round it silently).
    pub fn checked_add(self, other: Money) -> Option<Money> {
        decimal::add(self.0, other.0).map(Money::new)
    }

    /// `self - other`, exactly, or `None` if it does not fit (see [`Money::checked_add`]).
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        decimal::add(self.0, -other.0).map(Money::new)
    }

    /// `self + other`, or [`Error::Overflow`] at `path` naming the sum.
    pub(crate) fn add_at(self, other: Money, path: &str) -> Result<Money> {
        self.checked_add(other)
            .ok_or_else(|| self.overflow_at(path, "+", other))
    }

    /// `self - other`, or [`Error::Overflow`] at `path` naming the difference.
    pub(crate) fn sub_at(self, other: Money, path: &str) -> Result<Money> {
        self.checked_sub(other)
            .ok_or_else(|| self.overflow_at(path, "-", other))
    }

    fn overflow_at(self, path: &str, op: &str, other: Money) -> Error {
        let (a, b) = (self.to_plain_string(), other.to_plain_string());
        Error::overflow(path, format!("{a} {op} {b}"))
    }

    /// The sum of the amounts, or `None` on overflow. The empty sum is zero.
    pub fn checked_sum<I: IntoIterator<Item = Money>>(amounts: I) -> Option<Money> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, |acc, m| acc.checked_add(m))
    }

    /// True if the amount is below zero.
    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// True if the amount is zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// The canonical text: a plain decimal with exactly two decimals, `"-1234.50"`.
    pub fn to_plain_string(self) -> String {
        format!("{:.2}", self.0)
    }
}

impl std::ops::Neg for Money {
    type Output = Money;

    /// `-self` (never overflows: the decimal range is symmetric).
    fn neg(self) -> Money {
        Money::new(-self.0)
    }
}

impl fmt::Display for Money {
    /// Italian display: `€ 1.234,56`, `-€ 0,50`; honours width and alignment (`{:>14}`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.is_negative() { "-" } else { "" };
        let Some(cents) = self.cents() else {
            return f.pad(&format!("{sign}€ {}", fmt_it::decimal(self.0.abs(), 2, 2)));
        };
        // Whole cents that fit an i64 (every real amount): written digit by digit, the
        // same text as the decimal path without its allocations.
        let cents = cents.unsigned_abs();
        let mut text = String::with_capacity(32);
        text.push_str(sign);
        text.push_str("€ ");
        fmt_it::push_integer(&mut text, cents / 100);
        text.push(',');
        let rest = cents % 100;
        text.push(char::from(b'0' + (rest / 10) as u8));
        text.push(char::from(b'0' + (rest % 10) as u8));
        f.pad(&text)
    }
}

/// Why a text is not an amount of money.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseMoneyError {
    /// Not a decimal number.
    #[error("expected a decimal amount such as \"12.50\", found {0:?}")]
    NotDecimal(String),
    /// A decimal number, but with fractions of a cent.
    #[error("expected an amount in whole cents, found {0}")]
    FractionOfCent(String),
}

impl FromStr for Money {
    type Err = ParseMoneyError;

    /// Parses decimal text (`"12.5"`, `"12.50"`, `"-3"`; [`decimal::parse`]) that is a
    /// whole number of cents.
    fn from_str(s: &str) -> Result<Money, ParseMoneyError> {
        let value = decimal::parse(s).ok_or_else(|| ParseMoneyError::NotDecimal(s.to_owned()))?;
        Money::from_decimal_exact(value)
            .ok_or_else(|| ParseMoneyError::FractionOfCent(s.to_owned()))
    }
}

/// The name under which [`Money`] serialises, as a newtype struct around its decimal
/// text (`"28485.30"`).
///
/// A serializer that knows the name can tell an amount from any other string without
/// guessing from the key it sits under: the Python package turns it into a
/// `decimal.Decimal` (its `pyser`). Every other serializer ignores it: serde_json (and
/// `serde_json::to_value`, which the WebAssembly package uses) writes a newtype struct as
/// its inner value, so the JSON documents stay byte for byte what they were.
pub const MONEY_NEWTYPE: &str = "cit::Money";

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(MONEY_NEWTYPE, &self.to_plain_string())
    }
}

impl schemars::JsonSchema for Money {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::schema::money_schema()
    }
}

impl<'de> Deserialize<'de> for Money {
    /// Reads a JSON string or number from its decimal text; it must be whole cents.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        let value = decimal::deserialize(deserializer)?;
        Money::from_decimal_exact(value).ok_or_else(|| {
            serde::de::Error::custom(format!("expected an amount in whole cents, found {value}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the ledger vectors: a payment reversed in full left a credit of `-0.00`.
    #[test]
    fn r_round_zero_is_never_negative() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let cases = [
            -Money::ZERO,
            Money::round(d("-0.001")),
            Money::round(d("-0.004")),
            Money::from_cents(-500)
                .checked_add(Money::from_cents(500))
                .unwrap(),
            Money::from_cents(500)
                .checked_sub(Money::from_cents(500))
                .unwrap(),
            -Money::from_cents(-500)
                .checked_add(Money::from_cents(500))
                .unwrap(),
            "-0.00".parse().unwrap(),
            Money::from_decimal_exact(d("-0")).unwrap(),
        ];
        for m in cases {
            assert_eq!(m.to_plain_string(), "0.00");
            assert_eq!(m.to_string(), "€ 0,00");
            assert_eq!(serde_json::to_string(&m).unwrap(), "\"0.00\"");
            assert!(!m.to_decimal().is_sign_negative(), "{m:?}");
        }
    }

    #[test]
    fn r_round_display_of_whole_cents_is_the_decimal_display() {
        // The digit-by-digit display of amounts that fit an i64 of cents and the decimal
        // one, on amounts of every length and sign.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut cents = vec![
            0,
            1,
            -1,
            5,
            99,
            100,
            -100,
            101,
            99_999,
            100_000,
            i64::MAX,
            i64::MIN + 1,
        ];
        for _ in 0..2_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = (x % 19) as u32;
            let c = i64::try_from(x >> 1).unwrap() % 10i64.pow(digits).max(1);
            cents.push(if x & 1 == 1 { -c } else { c });
        }
        for c in cents {
            let m = Money::from_cents(c);
            let sign = if m.is_negative() { "-" } else { "" };
            let decimal = format!("{sign}€ {}", fmt_it::decimal(m.to_decimal().abs(), 2, 2));
            assert_eq!(m.to_string(), decimal, "{c}");
            assert_eq!(format!("{m:>30}"), format!("{decimal:>30}"));
        }
    }
}
