//! Analysis for the people who design a CIT's tariffs and forecast its members (DOMAIN §3,
//! *Analysis*): cost-recovery fees (R-COST), members' savings (R-SAVING), seeded adhesion
//! simulation (R-SIM) and the small-comune flag (R-SMALL).
//!
//! Like the rest of the crate this module is pure: no I/O, no threads, no randomness from
//! the operating system, no binary floating point. Amounts are [`Money`] (whole cents);
//! rates, fractions and means are exact [`Decimal`]s with a stated number of decimals,
//! computed with integer arithmetic that reports overflow instead of rounding silently.
//!
//! - [`is_small_comune`] and [`small_comuni`] (R-SMALL): comuni under 5.000 abitanti.
//!
//! [`Money`]: crate::Money
//! [`Decimal`]: rust_decimal::Decimal

mod small;

pub use small::{SMALL_COMUNE_LIMIT, SMALL_COMUNE_NOTE, is_small, is_small_comune, small_comuni};
