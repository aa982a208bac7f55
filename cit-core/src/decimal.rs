//! Decimals, in one place: the rounding of R-ROUND, reading decimal text, exact arithmetic
//! and the serde adapters of every decimal field. [`Money`](crate::Money) is built on this
//! module (never the other way round).
//!
//! - [`ROUNDING`]: [`Rounding::HalfAwayFromZero`], the *arrotondamento commerciale* of
//!   R-ROUND.
//! - [`parse`]: plain decimal text, the one reader of decimals of every document and
//!   binding (the tariff, registry and board documents, the Python arguments).
//! - Exact arithmetic: rust_decimal keeps 28 significant digits and silently rounds a
//!   product or sum that needs more. A fee must never depend on such a hidden rounding, so
//!   these helpers check that nothing was dropped (the result keeps the scale the exact
//!   value has) and report `None` otherwise; callers turn that into
//!   [`Error::Overflow`](crate::Error::Overflow). The integer fast paths round with
//!   `DivRound`.
//! - Serde: `#[serde(with = "crate::decimal")]` reads a decimal from a JSON string or
//!   number without ever going through a float (with serde_json's
//!   `arbitrary_precision`, a number reaches it as its decimal text) and writes it as its
//!   plain text in a string; `crate::decimal::option` does the same for an
//!   `Option<Decimal>` (`null` is `None`).

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serializer};

/// How an exact amount is rounded to the digits it keeps (R-ROUND). Money is rounded one
/// way only, [`ROUNDING`]; the enum names it rather than a comment. (A board's thresholds
/// round a share of its members their own ways:
/// [`governance::Rounding`](crate::governance::Rounding).)
///
/// # Example
/// ```
/// use cit_core::decimal::Rounding;
/// use rust_decimal::Decimal;
///
/// assert_eq!(cit_core::ROUNDING, Rounding::HalfAwayFromZero);
/// let strategy = cit_core::ROUNDING.strategy();
/// assert_eq!(Decimal::new(5, 3).round_dp_with_strategy(2, strategy), Decimal::new(1, 2));
/// assert_eq!(Decimal::new(-5, 3).round_dp_with_strategy(2, strategy), Decimal::new(-1, 2));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rounding {
    /// To the nearest, a half away from zero (0,005 → 0,01; −0,005 → −0,01; 0,0049 →
    /// 0,00): R-ROUND's *arrotondamento commerciale*, the rounding of Italian
    /// administrations.
    HalfAwayFromZero,
}

impl Rounding {
    /// The rust_decimal strategy that rounds this way, for
    /// [`Decimal::round_dp_with_strategy`].
    pub const fn strategy(self) -> RoundingStrategy {
        match self {
            Rounding::HalfAwayFromZero => RoundingStrategy::MidpointAwayFromZero,
        }
    }
}

/// The rounding applied to every amount that becomes money: to the cent, half away from
/// zero (R-ROUND, *arrotondamento commerciale*).
pub const ROUNDING: Rounding = Rounding::HalfAwayFromZero;

/// Reads plain decimal text as JSON writes it: an optional `-`, digits, an optional
/// fraction, at most 28 significant digits. `None` for anything else — a `+` sign,
/// spaces, an exponent (`1e5`), digit separators (`1_000`), digits that would be rounded.
///
/// Every reader of decimals uses it: the documents (through the serde adapters), money
/// text ([`Money`](crate::Money)'s `FromStr`), probabilities, and the bindings' arguments.
///
/// ```
/// use cit_core::decimal;
/// use rust_decimal::Decimal;
///
/// assert_eq!(decimal::parse("-0.15"), Some(Decimal::new(-15, 2)));
/// for bad in ["+1", " 1", "1 ", "1e5", "1_000", "", "0.1.5"] {
///     assert_eq!(decimal::parse(bad), None, "{bad:?}");
/// }
/// ```
pub fn parse(text: &str) -> Option<Decimal> {
    // rust_decimal alone takes a `+` and `_` separators; it refuses spaces and exponents.
    if text.is_empty() || text.contains(['e', 'E', '_']) || text.starts_with('+') {
        return None;
    }
    Decimal::from_str_exact(text).ok()
}

/// `a × b`, exactly, or `None`.
pub(crate) fn mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    let product = a.checked_mul(b)?;
    let exact_scale = a.scale() + b.scale();
    (product.scale() == exact_scale || product.is_zero() && exact_scale <= 28).then_some(product)
}

/// `a + b`, exactly, or `None`.
pub(crate) fn add(a: Decimal, b: Decimal) -> Option<Decimal> {
    let sum = a.checked_add(b)?;
    // A zero sum is exact (rounding only ever drops digits of a large result), whatever
    // scale rust_decimal gives it.
    (sum.scale() == a.scale().max(b.scale()) || sum.is_zero()).then_some(sum)
}

/// `count × rate`, exactly (to be rounded to the cent, R-ROUND); `None` if the exact
/// product does not fit.
pub(crate) fn mul_count(count: u64, rate: Decimal) -> Option<Decimal> {
    mul(Decimal::from(count), rate)
}

/// `numerator / denominator` rounded to the cent, half away from zero, exactly: the
/// quotient is computed to 28 digits, then its rounding is proven with exact products
/// (`(c − ½ cent) × d ≤ n < (c + ½ cent) × d`) and corrected by a cent if needed.
/// `None` on a zero denominator or if the proof's products do not fit.
pub(crate) fn round_div(numerator: Decimal, denominator: u64) -> Option<Decimal> {
    if denominator == 0 {
        return None;
    }
    let negative = numerator.is_sign_negative();
    let n = numerator.abs();
    let d = Decimal::from(denominator);
    let half = Decimal::new(5, 3);
    let cent = Decimal::new(1, 2);
    let mut c = n
        .checked_div(d)?
        .round_dp_with_strategy(2, ROUNDING.strategy());
    for _ in 0..4 {
        if mul(c.checked_sub(half)?, d)? > n {
            c = c.checked_sub(cent)?;
        } else if mul(c.checked_add(half)?, d)? <= n {
            c = c.checked_add(cent)?;
        } else {
            return Some(if negative { -c } else { c });
        }
    }
    None
}

/// Integer division rounded half away from zero (R-ROUND), for the fixed-point paths
/// (cents, rate units): one definition for every integer width they use.
pub(crate) trait DivRound: Sized {
    /// `self / d` rounded half away from zero; `None` if `d ≤ 0`.
    fn div_round(self, d: Self) -> Option<Self>;
}

macro_rules! div_round {
    ($($t:ty),*) => {$(
        impl DivRound for $t {
            #[inline]
            fn div_round(self, d: $t) -> Option<$t> {
                if d <= 0 {
                    return None;
                }
                let q = self / d;
                let r = (self % d).unsigned_abs();
                // 2·|r| ≥ d, written so that it cannot overflow.
                let away = r >= d.unsigned_abs() - r;
                Some(match (away, self < 0) {
                    (false, _) => q,
                    (true, false) => q + 1,
                    (true, true) => q - 1,
                })
            }
        }
    )*};
}

div_round!(i64, i128);

/// The key under which serde_json (`arbitrary_precision`) hands over a number's text.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

struct DecimalText;

impl<'de> Visitor<'de> for DecimalText {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A binary float never gets here as one (serde's default refuses it with this
        // text): with arbitrary_precision, JSON numbers arrive as their digits.
        f.write_str("a decimal number or a string holding one, such as \"0.15\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse(v).ok_or_else(|| {
            E::custom(format!(
                "expected a plain decimal number (no exponent) of at most 28 significant digits, found {v:?}"
            ))
        })
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decimal, A::Error> {
        match map.next_key::<String>()? {
            Some(key) if key == NUMBER_TOKEN => {
                let text: String = map.next_value()?;
                self.visit_str(&text)
            }
            _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }
}

/// Deserialises a [`Decimal`] from a JSON string or number, exactly.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    deserializer.deserialize_any(DecimalText)
}

/// Serialises a [`Decimal`] as its plain text in a JSON string.
pub(crate) fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&value.to_string())
}

/// A decimal of an output: its JSON is the plain decimal text, as [`serialize`] writes it,
/// marked as a decimal ([`crate::DECIMAL_NEWTYPE`]) so that a binding's serializer can make
/// it a decimal of its own (`decimal.Decimal`).
pub(crate) fn marked<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    struct Text<'a>(&'a Decimal);
    impl serde::Serialize for Text<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize(self.0, s)
        }
    }
    s.serialize_newtype_struct(crate::DECIMAL_NEWTYPE, &Text(value))
}

/// An optional decimal of an output: [`marked`], or `null`.
pub(crate) fn marked_option<S: Serializer>(
    value: &Option<Decimal>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(d) => marked(d, s),
        None => s.serialize_none(),
    }
}

/// A decimal read exactly (for containers: `Option`, maps).
pub(crate) struct Exact(pub(crate) Decimal);

impl<'de> Deserialize<'de> for Exact {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Exact, D::Error> {
        deserialize(d).map(Exact)
    }
}

/// `Option<Decimal>`: read exactly (`null` is `None`), written as a string or `null`.
pub(crate) mod option {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => super::serialize(d, s),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Decimal>, D::Error> {
        Ok(Option::<Exact>::deserialize(d)?.map(|e| e.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn parse_reads_plain_decimal_text_only() {
        assert_eq!(parse("150000.00"), Some(d("150000.00")));
        assert_eq!(parse("-0.15"), Some(d("-0.15")));
        assert_eq!(
            parse("0.1234567890123456789012345678"),
            Some(d("0.1234567890123456789012345678"))
        );
        for bad in [
            "",
            " ",
            "+150000.00",
            " 150000",
            "150000 ",
            "1e5",
            "1E5",
            "1_000",
            "0.1.5",
            "abc",
            "0.11111111111111111111111111111111111111",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn mul_is_exact_or_none() {
        assert_eq!(mul(d("189902"), d("0.15")), Some(d("28485.30")));
        assert_eq!(mul(d("0.5"), d("0.2")), Some(d("0.10")));
        // 20 digits × a 28-decimal rate needs more than 28 significant digits.
        assert_eq!(
            mul(Decimal::from(u64::MAX), d("0.1234567890123456789012345678")),
            None
        );
        assert_eq!(mul(Decimal::MAX, d("2")), None);
    }

    #[test]
    fn add_is_exact_or_none() {
        assert_eq!(add(d("1.5"), d("2.25")), Some(d("3.75")));
        assert_eq!(add(Decimal::MAX, d("1")), None);
        assert_eq!(add(d("0.00"), -Decimal::ZERO), Some(Decimal::ZERO));
        assert_eq!(add(d("1.50"), d("-1.5")), Some(Decimal::ZERO));
        assert_eq!(add(d("79228162514264337593543950.5"), d("0.001")), None);
    }

    #[test]
    fn round_div_rounds_half_away_from_zero_exactly() {
        // 1 / 8 = 0.125 → 0.13
        assert_eq!(round_div(d("1"), 8), Some(d("0.13")));
        assert_eq!(round_div(d("-1"), 8), Some(d("-0.13")));
        // 2 / 3 = 0.666… → 0.67
        assert_eq!(round_div(d("2"), 3), Some(d("0.67")));
        // 0.0149999… is not a tie: (1.49999999999999999999 / 100) → 0.01
        assert_eq!(round_div(d("1.49999999999999999999"), 100), Some(d("0.01")));
        assert_eq!(round_div(d("1"), 0), None);
    }

    #[test]
    fn round_div_is_exact_where_the_quotient_is_not() {
        // n / d just below a tie, where 28 digits of quotient round onto the tie:
        // d = 3 × 10^19, n = 0.005·d − 1e-9 → quotient 0.0049999…(≈1e-29 below 0.005).
        let den: u64 = 3_000_000_000_000_000_000;
        let n = mul(d("0.005"), Decimal::from(den)).unwrap() - d("0.000000001");
        assert_eq!(round_div(n, den), Some(d("0.00")));
        let n_tie = mul(d("0.005"), Decimal::from(den)).unwrap();
        assert_eq!(round_div(n_tie, den), Some(d("0.01")));
    }

    #[test]
    fn div_round_rounds_half_away_from_zero() {
        assert_eq!(7i64.div_round(2), Some(4));
        assert_eq!(i64::MAX.div_round(2), Some(i64::MAX / 2 + 1));
        assert_eq!((-7i64).div_round(2), Some(-4));
        assert_eq!(1i64.div_round(0), None);
        assert_eq!(5i128.div_round(2), Some(3));
        assert_eq!((-5i128).div_round(2), Some(-3));
        assert_eq!(4i128.div_round(3), Some(1));
        assert_eq!((-4i128).div_round(3), Some(-1));
        assert_eq!(i128::MAX.div_round(i128::MAX), Some(1));
        assert_eq!(i128::MIN.div_round(2), Some(i128::MIN / 2));
        assert_eq!(1i128.div_round(0), None);
        assert_eq!(1i128.div_round(-1), None);
    }
}
