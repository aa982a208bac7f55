//! Exact decimal arithmetic: every operation either gives the exact result or `None`.
//!
//! rust_decimal keeps 28 significant digits and silently rounds a product or sum that
//! needs more. A fee must never depend on such a hidden rounding, so these helpers check
//! that nothing was dropped (the result keeps the scale the exact value has) and report
//! `None` otherwise; callers turn that into [`Error::Overflow`](crate::Error::Overflow).

use rust_decimal::Decimal;

use crate::Money;
use crate::money::ROUNDING;

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

/// `count × rate` rounded to the cent (R-ROUND), with the exact product; `None` if the
/// exact product does not fit.
pub(crate) fn mul_count(count: u64, rate: Decimal) -> Option<Decimal> {
    mul(Decimal::from(count), rate)
}

/// `numerator / denominator` rounded to the cent, half away from zero, exactly: the
/// quotient is computed to 28 digits, then its rounding is proven with exact products
/// (`(c − ½ cent) × d ≤ n < (c + ½ cent) × d`) and corrected by a cent if needed.
/// `None` on a zero denominator or if the proof's products do not fit.
pub(crate) fn round_div(numerator: Decimal, denominator: u64) -> Option<Money> {
    if denominator == 0 {
        return None;
    }
    let negative = numerator.is_sign_negative();
    let n = numerator.abs();
    let d = Decimal::from(denominator);
    let half = Decimal::new(5, 3);
    let cent = Decimal::new(1, 2);
    let mut c = n.checked_div(d)?.round_dp_with_strategy(2, ROUNDING);
    for _ in 0..4 {
        if mul(c.checked_sub(half)?, d)? > n {
            c = c.checked_sub(cent)?;
        } else if mul(c.checked_add(half)?, d)? <= n {
            c = c.checked_add(cent)?;
        } else {
            let m = Money::round(c);
            return Some(if negative { -m } else { m });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
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
        assert_eq!(round_div(d("1"), 8), Some(Money::from_cents(13)));
        assert_eq!(round_div(d("-1"), 8), Some(Money::from_cents(-13)));
        // 2 / 3 = 0.666… → 0.67
        assert_eq!(round_div(d("2"), 3), Some(Money::from_cents(67)));
        // 0.0149999… is not a tie: (1.49999999999999999999 / 100) → 0.01
        assert_eq!(
            round_div(d("1.49999999999999999999"), 100),
            Some(Money::from_cents(1))
        );
        assert_eq!(round_div(d("1"), 0), None);
    }

    #[test]
    fn round_div_is_exact_where_the_quotient_is_not() {
        // n / d just below a tie, where 28 digits of quotient round onto the tie:
        // d = 3 × 10^19, n = 0.005·d − 1e-9 → quotient 0.0049999…(≈1e-29 below 0.005).
        let den: u64 = 3_000_000_000_000_000_000;
        let n = mul(d("0.005"), Decimal::from(den)).unwrap() - d("0.000000001");
        assert_eq!(round_div(n, den), Some(Money::ZERO));
        let n_tie = mul(d("0.005"), Decimal::from(den)).unwrap();
        assert_eq!(round_div(n_tie, den), Some(Money::from_cents(1)));
    }
}
