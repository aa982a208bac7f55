//! Governance: boards (*Tavoli*), sittings, quorum, majorities, the yearly-meeting check
//! and the adoption of the quota by the Tavolo Strategico (R-QUORUM, R-MAJORITY,
//! R-YEARLY, R-ADOPT).
//!
//! Every rule is data, and every result explains itself in the words an officer writes
//! in the minutes:
//!
//! - [`Quorum`] (R-QUORUM): "la metà più uno dei componenti" in both readings — the whole
//!   number just above half, `⌊n/2⌋ + 1` (case law, the default), or the literal
//!   `⌈n/2 + 1⌉` — quorums written as fractions (rounded up by default, [`Rounding`]),
//!   or a share of the members' weight. [`QuorumCheck`] says present, required, the
//!   reading, met or not.
//! - [`Majority`] (R-MAJORITY): a [`Base`], an exact [`Fraction`] with its
//!   [`Comparator`] and [`Rounding`], how [`Abstentions`] count, and an optional second
//!   condition on weights (a double majority). Presets: [`Majority::of_present`] (the
//!   default), [`Majority::of_voters`], [`Majority::absolute`], [`Majority::qualified`],
//!   [`Majority::weighted`], [`Majority::double`]. A tie never passes; without quorum at
//!   the vote nothing passes. [`Decision::sentence`] is the line for the minutes.
//! - [`yearly`] (R-YEARLY): which boards met in plenary each year, and which missed.
//! - [`adopt`] (R-ADOPT): the [`Adoption`] record a tariff carries, refused unless the
//!   board is the strategic one, the sitting had quorum and the motion passed.
//!
//! Boards and sittings are JSON documents ([`Board::from_json`], [`Meeting::from_json`]),
//! validated as a whole. Weights are exact decimals, snapshotted on each sitting.
//!
//! # Example
//! ```
//! use cit_core::governance::{Majority, Quorum, Tally};
//!
//! let tally = Tally { members: 15, present: 9, yes: 6, no: 2, abstain: 1, blank: 0 };
//! let decision = Majority::of_present().decide(&Quorum::default(), &tally, None)?;
//! assert_eq!(decision.quorum.required, Some(8));
//! assert!(decision.passed());
//! # Ok::<(), cit_core::Error>(())
//! ```

mod majority;
mod quorum;
mod threshold;

pub use majority::{
    Abstentions, Base, Decision, HeadsCheck, HeadsRule, Majority, Outcome, Tally, WeightTally,
    WeightsCheck, WeightsRule,
};
pub use quorum::{Quorum, QuorumCheck, Reading, WeightPresence};
pub use threshold::{Comparator, Fraction, Rounding};

