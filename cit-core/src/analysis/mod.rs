//! Analysis for the people who design a CIT's tariffs and forecast its members (RULES.md,
//! *Analysis*): cost-recovery fees (R-COST), members' savings (R-SAVING), seeded adhesion
//! simulation (R-SIM) and the small-comune flag (R-SMALL).
//!
//! Like the rest of the crate this module is pure: no I/O, no threads, no randomness from
//! the operating system, no binary floating point. Amounts are [`Money`] (whole cents);
//! rates, fractions and means are exact [`Decimal`]s with a stated number of decimals,
//! computed with integer arithmetic that reports overflow instead of rounding silently.
//!
//! - [`ServiceCost::break_even`] (R-COST): the yearly fee that recovers a service's set-up
//!   and running cost, flat per ente and per abitante, and [`BreakEven::check_flat`] /
//!   [`BreakEven::check_per_abitante`] for a proposed price (margin, below-cost flag).
//! - [`SavingCase::evaluate`] and [`average_saving`] (R-SAVING): what a member saves versus
//!   buying alone, per ente and on average (plain and population-weighted), against the
//!   project's 15 % target.
//! - [`simulate`] and [`run_scenario`] (R-SIM): Monte Carlo over candidate enti that join
//!   with a [`Probability`]; the generator and the order of its draws are specified in
//!   [`simulate`], so the same seed gives the same result on every platform and in every
//!   binding.
//! - [`is_small_comune`] and [`small_comuni`] (R-SMALL): comuni under 5.000 abitanti.
//!
//! [`Money`]: crate::Money
//! [`Decimal`]: rust_decimal::Decimal

mod cost;
mod saving;
mod sim;
mod small;

pub use cost::{
    Adherents, BreakEven, FeeBasis, FlatFee, PriceCheck, Proposal, RATE_DP, RateFee, ServiceCost,
};
pub use saving::{
    Benchmark, Comparison, EnteSaving, REDUCTION_DP, SAVING_TARGET, SavingCase, SavingSummary,
    average_saving,
};
pub use sim::{
    COVERAGE_DP, Candidate, CountSummary, Coverage, Expected, MAX_RUNS, MEAN_DP, MoneySummary,
    PROBABILITY_DP, Probability, Run, Scenario, ScenarioOutcome, SimConfig, Simulation,
    run_scenario, simulate,
};
pub use small::{SMALL_COMUNE_LIMIT, SMALL_COMUNE_NOTE, is_small, is_small_comune, small_comuni};

use crate::{Error, Money};

/// Integer helpers shared by the analysis rules: exact, and `None` instead of a panic or a
/// silent wrap.
mod int {
    use super::{Error, Money};

    /// `⌈n / d⌉` for `n ≥ 0`, `d > 0`; `None` otherwise.
    pub(super) fn div_ceil(n: i128, d: i128) -> Option<i128> {
        if n < 0 || d <= 0 {
            return None;
        }
        let q = n / d;
        Some(if n % d == 0 { q } else { q + 1 })
    }

    /// The amount in cents, widened for exact arithmetic.
    pub(super) fn cents(m: Money, path: &str) -> Result<i128, Error> {
        m.cents()
            .map(i128::from)
            .ok_or_else(|| Error::overflow(path, format!("{} in cents", m.to_plain_string())))
    }

    /// The money of `cents`, or [`Error::Overflow`] if it does not fit.
    pub(super) fn money(cents: i128, path: &str) -> Result<Money, Error> {
        i64::try_from(cents)
            .map(Money::from_cents)
            .map_err(|_| Error::overflow(path, format!("{cents} cents")))
    }

    /// `Some(v)` or [`Error::Overflow`] naming the operation.
    pub(super) fn checked<T>(
        v: Option<T>,
        path: &str,
        op: impl FnOnce() -> String,
    ) -> Result<T, Error> {
        v.ok_or_else(|| Error::overflow(path, op()))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn div_ceil_rounds_up() {
            assert_eq!(div_ceil(10, 3), Some(4));
            assert_eq!(div_ceil(9, 3), Some(3));
            assert_eq!(div_ceil(0, 3), Some(0));
            assert_eq!(div_ceil(1, 0), None);
            assert_eq!(div_ceil(-1, 3), None);
        }
    }
}
