//! The arithmetic of thresholds: exact fractions, comparators and rounding modes
//! (R-QUORUM, R-MAJORITY). No floats: head counts are compared in integers, weights with
//! exact decimal products.

use std::cmp::Ordering;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{Error, Result, decimal};

/// An exact fraction `numerator/denominator`, with `0 < numerator ≤ denominator`: the share
/// of a base that a quorum or a majority needs (R-QUORUM, R-MAJORITY).
///
/// It is written `"2/3"` in JSON and compares by value (`2/4 == 1/2`), but keeps the
/// terms it was written with.
///
/// # Example
/// ```
/// use cit_core::governance::Fraction;
///
/// let two_thirds: Fraction = "2/3".parse()?;
/// assert_eq!(two_thirds, Fraction::TWO_THIRDS);
/// assert_eq!(Fraction::new(2, 4)?, Fraction::HALF);
/// assert!("3/2".parse::<Fraction>().is_err());
/// # Ok::<(), cit_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "String", into = "String")]
pub struct Fraction {
    numerator: u32,
    denominator: u32,
}

impl Fraction {
    /// One half, `1/2`.
    pub const HALF: Fraction = Fraction::raw(1, 2);
    /// One third, `1/3`.
    pub const ONE_THIRD: Fraction = Fraction::raw(1, 3);
    /// Two fifths, `2/5`.
    pub const TWO_FIFTHS: Fraction = Fraction::raw(2, 5);
    /// Two thirds, `2/3`.
    pub const TWO_THIRDS: Fraction = Fraction::raw(2, 3);
    /// The whole, `1/1` (unanimity).
    pub const ONE: Fraction = Fraction::raw(1, 1);

    const fn raw(numerator: u32, denominator: u32) -> Fraction {
        Fraction {
            numerator,
            denominator,
        }
    }

    /// The fraction `numerator/denominator`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] unless `0 < numerator ≤ denominator`.
    pub fn new(numerator: u32, denominator: u32) -> Result<Fraction> {
        if numerator == 0 || numerator > denominator {
            return Err(Error::InvalidValue {
                path: "fraction".to_owned(),
                expected: "a fraction n/d with 0 < n ≤ d, such as 2/3".to_owned(),
                found: format!("{numerator}/{denominator}"),
            });
        }
        Ok(Fraction::raw(numerator, denominator))
    }

    /// The numerator.
    pub fn numerator(self) -> u32 {
        self.numerator
    }

    /// The denominator (never zero).
    pub fn denominator(self) -> u32 {
        self.denominator
    }

    /// True for one half (`1/2`, `2/4`, …).
    pub fn is_half(self) -> bool {
        self == Fraction::HALF
    }

    /// True for the whole (`1/1`, `3/3`, …).
    pub fn is_one(self) -> bool {
        self.numerator == self.denominator
    }

    /// The fewest heads out of `base` that meet the threshold: a count `c` with
    /// `c comparator rounding(base × self)`.
    pub(crate) fn required(self, base: u64, comparator: Comparator, rounding: Rounding) -> u64 {
        let n = u128::from(base) * u128::from(self.numerator);
        let d = u128::from(self.denominator);
        let floor = n / d;
        let ceil = n.div_ceil(d);
        let more = u128::from(comparator == Comparator::MoreThan);
        let needed = match rounding {
            // The smallest count c with c ≥ n/d, or with c > n/d.
            Rounding::Exact => {
                if comparator == Comparator::AtLeast {
                    ceil
                } else {
                    floor + 1
                }
            }
            Rounding::Up => ceil + more,
            Rounding::Down => floor + more,
            // Half up: floor(n/d + 1/2).
            Rounding::Nearest => (2 * n + d) / (2 * d) + more,
        };
        u64::try_from(needed).unwrap_or(u64::MAX)
    }

    /// Whether `value` meets `comparator` `base × self`, compared exactly; `None` if the
    /// exact products do not fit a decimal.
    pub(crate) fn weight_meets(
        self,
        value: Decimal,
        base: Decimal,
        comparator: Comparator,
    ) -> Option<bool> {
        let lhs = decimal::mul(value, Decimal::from(self.denominator))?;
        let rhs = decimal::mul(base, Decimal::from(self.numerator))?;
        Some(match comparator {
            Comparator::AtLeast => lhs >= rhs,
            Comparator::MoreThan => lhs > rhs,
        })
    }
}

impl PartialEq for Fraction {
    fn eq(&self, other: &Fraction) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Fraction {}

impl PartialOrd for Fraction {
    fn partial_cmp(&self, other: &Fraction) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Fraction {
    fn cmp(&self, other: &Fraction) -> Ordering {
        let a = u64::from(self.numerator) * u64::from(other.denominator);
        let b = u64::from(other.numerator) * u64::from(self.denominator);
        a.cmp(&b)
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.numerator, self.denominator)
    }
}

impl std::str::FromStr for Fraction {
    type Err = Error;

    /// Parses `"2/3"`: two whole numbers and a slash, nothing else.
    fn from_str(s: &str) -> Result<Fraction> {
        let invalid = || Error::InvalidValue {
            path: "fraction".to_owned(),
            expected: "a fraction n/d with 0 < n ≤ d, such as \"2/3\"".to_owned(),
            found: format!("{s:?}"),
        };
        let (n, d) = s.split_once('/').ok_or_else(invalid)?;
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(n) || !digits(d) {
            return Err(invalid());
        }
        let n: u32 = n.parse().map_err(|_| invalid())?;
        let d: u32 = d.parse().map_err(|_| invalid())?;
        Fraction::new(n, d).map_err(|_| invalid())
    }
}

impl TryFrom<String> for Fraction {
    type Error = String;

    fn try_from(s: String) -> std::result::Result<Fraction, String> {
        s.parse().map_err(|_| {
            format!("expected a fraction n/d with 0 < n ≤ d, such as \"2/3\", found {s:?}")
        })
    }
}

impl From<Fraction> for String {
    fn from(f: Fraction) -> String {
        f.to_string()
    }
}

/// How a count compares with its threshold: strictly more than, or at least.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    /// Strictly more than the threshold (`>`, *più di*): "more than half" (the default).
    #[default]
    MoreThan,
    /// At least the threshold (`≥`, *almeno*): "at least two thirds".
    AtLeast,
}

impl Comparator {
    /// The Italian words, `"più di"` or `"almeno"`.
    pub fn italian(self) -> &'static str {
        match self {
            Comparator::MoreThan => "più di",
            Comparator::AtLeast => "almeno",
        }
    }
}

/// How the share of a base becomes a whole number of heads before the comparison
/// (R-QUORUM: quorums written as fractions round **up** by default, CdS I parere
/// 129/2021).
///
/// With [`Rounding::Exact`] the count is compared with the exact fraction: "more than
/// half of 9" needs 5, "at least two thirds of 16" needs 11. The other modes round the
/// share first: "more than half of 15, rounded up" compares with 8 and needs 9 (the
/// literal reading of "metà più uno").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// No rounding: compare with the exact fraction of the base.
    Exact,
    /// Round up (*per eccesso*): 2/3 of 16 = 10,67 → 11.
    Up,
    /// Round down (*per difetto*): 2/3 of 16 = 10,67 → 10.
    Down,
    /// Round to the nearest whole number, halves up: 2/5 of 16 = 6,4 → 6; 1/2 of 15 → 8.
    Nearest,
}

impl Rounding {
    /// The Italian words, `"arrotondata per eccesso"`.
    pub fn italian(self) -> &'static str {
        match self {
            Rounding::Exact => "senza arrotondamento",
            Rounding::Up => "arrotondata per eccesso",
            Rounding::Down => "arrotondata per difetto",
            Rounding::Nearest => "arrotondata all'unità più vicina",
        }
    }

    /// True if, with `comparator`, this rounding changes nothing against the exact
    /// comparison (`≥` rounding up, `>` rounding down).
    pub(crate) fn is_exact_for(self, comparator: Comparator) -> bool {
        matches!(
            (self, comparator),
            (Rounding::Exact, _)
                | (Rounding::Up, Comparator::AtLeast)
                | (Rounding::Down, Comparator::MoreThan)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fraction_parses_strictly() {
        assert_eq!("1/3".parse::<Fraction>().unwrap(), Fraction::ONE_THIRD);
        for bad in [
            "", "1", "/3", "1/", "0/3", "4/3", "1/0", " 1/3", "1.0/3", "-1/3", "1/3/4",
        ] {
            assert!(bad.parse::<Fraction>().is_err(), "{bad:?}");
        }
        assert_eq!(
            serde_json::to_string(&Fraction::TWO_FIFTHS).unwrap(),
            "\"2/5\""
        );
        assert!(serde_json::from_str::<Fraction>("\"5/2\"").is_err());
    }

    #[test]
    fn required_rounds_as_asked() {
        use Comparator::*;
        use Rounding::*;
        let two_thirds = Fraction::TWO_THIRDS;
        assert_eq!(two_thirds.required(16, AtLeast, Exact), 11);
        assert_eq!(two_thirds.required(16, AtLeast, Up), 11);
        assert_eq!(two_thirds.required(16, AtLeast, Down), 10);
        assert_eq!(two_thirds.required(16, AtLeast, Nearest), 11);
        assert_eq!(two_thirds.required(15, AtLeast, Up), 10);
        assert_eq!(Fraction::HALF.required(15, MoreThan, Exact), 8);
        assert_eq!(Fraction::HALF.required(15, MoreThan, Down), 8);
        assert_eq!(Fraction::HALF.required(15, MoreThan, Up), 9);
        assert_eq!(Fraction::HALF.required(16, MoreThan, Exact), 9);
        assert_eq!(Fraction::TWO_FIFTHS.required(16, AtLeast, Nearest), 6);
        assert_eq!(Fraction::ONE.required(u64::MAX, MoreThan, Exact), u64::MAX);
    }

    #[test]
    fn weights_compare_exactly() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let third = Fraction::ONE_THIRD;
        // 1/3 of 1 is not a finite decimal: 0.3333333333 is below it, 0.3333333334 above.
        assert_eq!(
            third.weight_meets(d("0.3333333333"), d("1"), Comparator::AtLeast),
            Some(false)
        );
        assert_eq!(
            third.weight_meets(d("0.3333333334"), d("1"), Comparator::AtLeast),
            Some(true)
        );
        assert_eq!(
            Fraction::HALF.weight_meets(d("246.5"), d("493"), Comparator::MoreThan),
            Some(false)
        );
        assert_eq!(
            Fraction::HALF.weight_meets(d("246.5"), d("493"), Comparator::AtLeast),
            Some(true)
        );
    }
}
