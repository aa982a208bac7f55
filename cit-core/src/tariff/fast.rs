//! The integer fast path of R-ORDER.
//!
//! Every rate, discount and bound of a tariff is a decimal `m × 10^-s`; when the mantissas
//! fit an `i64`, a comune's quota can be computed exactly in `i64` fixed point, which is
//! several times faster than general decimal arithmetic. Every operation is checked: on
//! any overflow the caller falls back to the decimal path, which gives the same result
//! (both are exact, and round the same way), so the fast path is only a speed-up.

use rust_decimal::Decimal;

use super::{BandMode, ComuneTariff};
use crate::decimal::DivRound;

/// `10^k` for `k` in `0..=18`.
const POW10: [i64; 19] = {
    let mut t = [1i64; 19];
    let mut k = 1;
    while k < 19 {
        t[k] = t[k - 1] * 10;
        k += 1;
    }
    t
};

fn pow10(k: u32) -> Option<i64> {
    POW10.get(k as usize).copied()
}

/// A decimal as `mantissa × 10^-scale` with an `i64` mantissa.
#[derive(Clone, Copy, Debug)]
struct Fixed {
    m: i64,
    s: u32,
}

impl Fixed {
    fn new(d: Decimal) -> Option<Fixed> {
        let d = d.normalize();
        Some(Fixed {
            m: i64::try_from(d.mantissa()).ok()?,
            s: d.scale(),
        })
    }

    /// The mantissa at a larger scale `s`.
    fn at(self, s: u32) -> Option<i64> {
        self.m.checked_mul(pow10(s.checked_sub(self.s)?)?)
    }
}

/// `x × 10^-s` rounded to cents, half away from zero.
fn cents(x: i64, s: u32) -> Option<i64> {
    if s <= 2 {
        return x.checked_mul(pow10(2 - s)?);
    }
    x.div_round(pow10(s - 2)?)
}

/// A comune tariff in fixed point, prepared once per tariff.
#[derive(Clone, Debug)]
pub(crate) struct FastComune {
    per_abitante: Fixed,
    per_impresa: Fixed,
    has_imprese_line: bool,
    /// `(up_to, discount)`; discounts at the common scale `discount_scale`.
    bands: Vec<(Option<u64>, i64)>,
    discount_scale: u32,
    mode: Option<BandMode>,
    minimum: Option<i64>,
    maximum: Option<i64>,
    ceiling: Option<(Fixed, Fixed)>,
}

/// The amounts of R-ORDER's steps, in cents (see `engine::ComuneSteps`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FastSteps {
    pub abitanti: i64,
    pub imprese: Option<i64>,
    pub band: Option<i64>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    pub ceiling: Option<(i64, i64)>,
    pub total: i64,
}

impl FastComune {
    /// The fixed-point form of `c`, or `None` if some figure does not fit.
    pub(crate) fn new(c: &ComuneTariff) -> Option<FastComune> {
        let money = |m: Option<crate::Money>| -> Option<Option<i64>> {
            match m {
                Some(m) => m.cents().map(Some),
                None => Some(None),
            }
        };
        let discounts: Vec<Fixed> = c
            .bands
            .iter()
            .flatten()
            .map(|b| Fixed::new(b.discount))
            .collect::<Option<_>>()?;
        let discount_scale = discounts.iter().map(|d| d.s).max().unwrap_or(0);
        let bands = c
            .bands
            .iter()
            .flatten()
            .zip(&discounts)
            .map(|(b, d)| Some((b.up_to, d.at(discount_scale)?)))
            .collect::<Option<_>>()?;
        let ceiling = match &c.ceiling {
            Some(k) => Some((Fixed::new(k.per_abitante)?, Fixed::new(k.per_impresa)?)),
            None => None,
        };
        Some(FastComune {
            per_abitante: Fixed::new(c.per_abitante)?,
            per_impresa: Fixed::new(c.per_impresa)?,
            has_imprese_line: !c.per_impresa.is_zero(),
            bands,
            discount_scale,
            mode: c.bands.as_ref().and(c.band_mode),
            minimum: money(c.minimum)?,
            maximum: money(c.maximum)?,
            ceiling,
        })
    }

    /// R-ORDER in fixed point; `None` on any overflow (use the decimal path then).
    pub(crate) fn steps(&self, ab: u64, imp: u64) -> Option<FastSteps> {
        let ab_i = i64::try_from(ab).ok()?;
        let imp_i = i64::try_from(imp).ok()?;
        let exact_ab = ab_i.checked_mul(self.per_abitante.m)?;
        let exact_imp = imp_i.checked_mul(self.per_impresa.m)?;
        let abitanti = cents(exact_ab, self.per_abitante.s)?;
        let imprese = if self.has_imprese_line {
            Some(cents(exact_imp, self.per_impresa.s)?)
        } else {
            None
        };
        let mut total = abitanti.checked_add(imprese.unwrap_or(0))?;

        let band = match self.mode {
            Some(mode) => {
                let s = self.per_abitante.s.max(self.per_impresa.s);
                let base = exact_ab
                    .checked_mul(pow10(s - self.per_abitante.s)?)?
                    .checked_add(exact_imp.checked_mul(pow10(s - self.per_impresa.s)?)?)?;
                let d = self.discount(mode, ab, base, s)?;
                (d != 0).then_some(-d)
            }
            None => None,
        };
        if let Some(b) = band {
            total = total.checked_add(b)?;
        }
        let minimum = match self.minimum {
            Some(min) if total < min => {
                let adj = min.checked_sub(total)?;
                total = min;
                Some(adj)
            }
            _ => None,
        };
        let maximum = match self.maximum {
            Some(max) if total > max => {
                let adj = max.checked_sub(total)?;
                total = max;
                Some(adj)
            }
            _ => None,
        };
        let ceiling = match self.ceiling {
            Some((kab, kimp)) => {
                let cap = cents(ab_i.checked_mul(kab.m)?, kab.s)?
                    .checked_add(cents(imp_i.checked_mul(kimp.m)?, kimp.s)?)?;
                if total > cap {
                    let adj = cap.checked_sub(total)?;
                    total = cap;
                    Some((adj, cap))
                } else {
                    None
                }
            }
            None => None,
        };
        Some(FastSteps {
            abitanti,
            imprese,
            band,
            minimum,
            maximum,
            ceiling,
            total,
        })
    }

    /// The band discount in cents (positive) of a base `base × 10^-s`.
    fn discount(&self, mode: BandMode, ab: u64, base: i64, s: u32) -> Option<i64> {
        let t = self.discount_scale;
        match mode {
            BandMode::Volume => {
                let d = self
                    .bands
                    .iter()
                    .find(|(up_to, _)| up_to.is_none_or(|u| ab <= u))?
                    .1;
                cents(base.checked_mul(d)?, s + t)
            }
            BandMode::Graduated if ab == 0 => {
                cents(base.checked_mul(self.bands.first()?.1)?, s + t)
            }
            BandMode::Graduated => {
                let mut weighted: i64 = 0;
                let mut lower = 0u64;
                for &(up_to, d) in &self.bands {
                    let upper = up_to.unwrap_or(u64::MAX).min(ab);
                    let slice = i64::try_from(upper.saturating_sub(lower)).ok()?;
                    weighted = weighted.checked_add(slice.checked_mul(d)?)?;
                    match up_to {
                        Some(u) if u < ab => lower = u,
                        _ => break,
                    }
                }
                // discount = base × weighted / ab, at scale s + t, to cents.
                let numerator = base.checked_mul(weighted)?;
                let scale = s + t;
                let ab_i = i64::try_from(ab).ok()?;
                if scale >= 2 {
                    numerator.div_round(ab_i.checked_mul(pow10(scale - 2)?)?)
                } else {
                    numerator.checked_mul(pow10(2 - scale)?)?.div_round(ab_i)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_rounds_half_away_from_zero() {
        assert_eq!(cents(5, 3), Some(1)); // 0,005 → 0,01
        assert_eq!(cents(-5, 3), Some(-1));
        assert_eq!(cents(4, 3), Some(0));
        assert_eq!(cents(15, 2), Some(15));
        assert_eq!(cents(3, 0), Some(300));
    }
}
