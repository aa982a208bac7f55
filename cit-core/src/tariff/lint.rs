//! The tariff linter: what a Tavolo should look at before adopting a tariff. Warnings,
//! never errors.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{BandMode, Tariff};
use crate::{Money, fmt_it};

/// Something in a valid tariff that is probably not what its authors meant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Warning {
    /// A stable slug: `band_cliff`, `minimum_unreachable`, `discount_full`,
    /// `rate_precision`.
    pub code: &'static str,
    /// JSON path of the field concerned.
    pub path: String,
    /// What is wrong, with the figures.
    pub message: String,
}

/// Rates with more decimals than this are flagged (`rate_precision`).
pub const MAX_RATE_DECIMALS: u32 = 4;

impl Tariff {
    /// Checks the tariff for what is legal but likely a mistake:
    ///
    /// - `band_cliff`: in `volume` mode, a comune one inhabitant above a band edge pays
    ///   less than one at the edge; one warning per such edge, the largest drop first
    ///   (computed for a comune with no imprese, through the engine itself);
    /// - `minimum_unreachable`: the ceiling keeps small comuni below the minimum;
    /// - `discount_full`: a band discount of 100 % or more;
    /// - `rate_precision`: a rate with more than four decimals.
    ///
    /// # Example
    /// ```
    /// use cit_core::Tariff;
    ///
    /// let tariff = Tariff::from_json(include_str!("../../../examples/tariffs/bs-2015.json"))?;
    /// let warnings = tariff.lint();
    /// assert_eq!(warnings[0].code, "band_cliff");
    /// assert_eq!(warnings[0].path, "membership.comune.bands[1].up_to");
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn lint(&self) -> Vec<Warning> {
        let mut warnings = self.band_cliffs();
        let c = &self.doc.membership.comune;
        if let (Some(min), Some(ceiling)) = (c.minimum, &c.ceiling) {
            warnings.extend(minimum_unreachable(min, ceiling.per_abitante));
        }
        for (i, band) in c.bands.iter().flatten().enumerate() {
            if band.discount >= Decimal::ONE {
                warnings.push(Warning {
                    code: "discount_full",
                    path: format!("membership.comune.bands[{i}].discount"),
                    message: format!(
                        "a discount of {} leaves nothing (or less than nothing) to pay",
                        fmt_it::percent(band.discount)
                    ),
                });
            }
        }
        let mut rates = vec![
            ("membership.comune.per_abitante", c.per_abitante),
            ("membership.comune.per_impresa", c.per_impresa),
        ];
        if let Some(k) = &c.ceiling {
            rates.push(("membership.comune.ceiling.per_abitante", k.per_abitante));
            rates.push(("membership.comune.ceiling.per_impresa", k.per_impresa));
        }
        for (path, rate) in rates {
            let decimals = rate.normalize().scale();
            if decimals > MAX_RATE_DECIMALS {
                warnings.push(Warning {
                    code: "rate_precision",
                    path: path.to_owned(),
                    message: format!(
                        "{rate} has {decimals} decimals; more than {MAX_RATE_DECIMALS} are rarely intended"
                    ),
                });
            }
        }
        warnings
    }

    fn band_cliffs(&self) -> Vec<Warning> {
        let c = &self.doc.membership.comune;
        let (Some(bands), Some(BandMode::Volume)) = (&c.bands, c.band_mode) else {
            return Vec::new();
        };
        let total = |ab: u64| self.comune_steps(ab, 0).ok().map(|s| s.total);
        let mut cliffs: Vec<(Money, usize, u64)> = bands
            .iter()
            .enumerate()
            .filter_map(|(i, band)| {
                let edge = band.up_to?;
                let drop = total(edge)?.checked_sub(total(edge.checked_add(1)?)?)?;
                (drop > Money::ZERO).then_some((drop, i, edge))
            })
            .collect();
        cliffs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        cliffs
            .into_iter()
            .map(|(drop, i, edge)| Warning {
                code: "band_cliff",
                path: format!("membership.comune.bands[{i}].up_to"),
                message: format!(
                    "a comune of {} abitanti pays {drop} less than one of {} (no imprese): \
                     consider band_mode \"graduated\"",
                    fmt_it::integer(edge + 1),
                    fmt_it::integer(edge)
                ),
            })
            .collect()
    }
}

/// The smallest abitanti for which `round(ab × per_abitante) ≥ minimum`, with no imprese;
/// a warning if that is above zero.
fn minimum_unreachable(minimum: Money, per_abitante: Decimal) -> Option<Warning> {
    if minimum <= Money::ZERO {
        return None;
    }
    let path = "membership.comune.ceiling".to_owned();
    if per_abitante <= Decimal::ZERO {
        return Some(Warning {
            code: "minimum_unreachable",
            path,
            message: format!(
                "the ceiling has no per-abitante rate: comuni reach the minimum of {minimum} only through imprese"
            ),
        });
    }
    let reaches = |ab: u64| {
        crate::decimal::mul_count(ab, per_abitante)
            .is_some_and(|exact| Money::round(exact) >= minimum)
    };
    // The smallest ab that reaches the minimum, by bisection over a monotone predicate.
    let (mut lo, mut hi) = (0u64, u64::MAX);
    if !reaches(hi) {
        return None;
    }
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if reaches(mid) { hi = mid } else { lo = mid + 1 }
    }
    Some(Warning {
        code: "minimum_unreachable",
        path,
        message: format!(
            "the ceiling keeps comuni under {} abitanti (with no imprese) below the minimum of {minimum}",
            fmt_it::integer(lo)
        ),
    })
}
