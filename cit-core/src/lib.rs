//! # cit-core
//!
//! The rules of an Italian inter-municipal digital service centre (CIT, *Centro
//! Innovazione e Tecnologie*; CST): what each member pays every year, and why — the quota
//! ([`Tariff`]), the service catalogue ([`Service`]), and the [`Registry`] of memberships,
//! subscriptions, billing runs and the ledger.
//!
//! This crate is pure: no I/O, no threads, no global state, no `unsafe`. Money is
//! [`Money`], a whole number of euro cents over [`rust_decimal::Decimal`]; it never passes
//! through binary floating point. Every business rule of the Python and WebAssembly
//! bindings lives here. Rule ids (`R-CAP`, …) refer to the project's rules reference,
//! RULES.md ([`rules`]): what each rule requires and its source (the convention, the law,
//! the case law, pagoPA's specifications).
//!
//! # Example
//! ```
//! use cit_core::{Ente, Tariff};
//!
//! let tariff = Tariff::from_json(include_str!("../../examples/tariffs/bs-2015.json"))?;
//! let brescia = Ente::from_json(r#"{"id": "017029", "name": "Brescia", "kind": "comune",
//!     "abitanti": 189902, "imprese": 21500, "counts_as_of": "2013-12-31"}"#)?;
//! let quote = tariff.quote(&brescia, 2016)?;
//! for line in quote.lines() {
//!     println!("{:<10} {:<45} {:>14}", line.rule, line.label, line.amount);
//! }
//! assert_eq!(quote.total().to_string(), "€ 39.988,24");
//! # Ok::<(), cit_core::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[macro_use]
mod names;

pub mod analysis;
mod charge;
mod codice_fiscale;
mod date_serde;
pub mod decimal;
mod ente;
mod error;
pub mod fmt_it;
pub mod governance;
pub mod json;
mod money;
pub mod pagopa;
mod quote;
pub mod registry;
mod rule;
pub mod schema;
mod tagged;
pub mod tariff;

pub mod rules {
    //! Every rule id (`R-…`) cited by the code, its quotes and its errors: what the rule
    //! requires and where it comes from (the project's RULES.md).
    #![doc = include_str!("../../RULES.md")]
}

pub mod design {
    //! Why `cit` is built the way it is (the project's DESIGN.md).
    #![doc = include_str!("../../DESIGN.md")]
}

pub use analysis::{
    Adherents, BreakEven, Candidate, Probability, SavingCase, ServiceCost, SimConfig, Simulation,
};
pub use date_serde::DATE_NEWTYPE;
pub use decimal::ROUNDING;

/// The name of the newtype struct an exact decimal of an output (a board's weights, the
/// analysis' rates, reductions, means and probabilities) is serialised as, around its plain
/// text: invisible in JSON, it lets a binding's serializer tell a decimal from text (as
/// [`MONEY_NEWTYPE`] and [`DATE_NEWTYPE`] do).
pub const DECIMAL_NEWTYPE: &str = "cit::Decimal";
pub use ente::{Ente, EnteKind};
pub use error::{Error, ErrorCode, Problem, Result};
pub use governance::{Adoption, Board, BoardKind, Decision, Majority, Meeting, Quorum};
pub use money::{MONEY_NEWTYPE, Money, ParseMoneyError};
pub use quote::{Quote, QuoteLine};
pub use registry::{
    Applied, Balance, CapofilaShare, Charge, ChargeKind, Delibera, Event, Membership,
    MembershipState, Payment, Registry, Subscription, SubscriptionState, split_largest_remainder,
};
pub use rule::Rule;
pub use tariff::{AppliedPrice, Service, ServiceQuote, Standing, Tariff, TariffDocument, Warning};

/// The README's Rust snippets, run as doctests so that they stay true.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
