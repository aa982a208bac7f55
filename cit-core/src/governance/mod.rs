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
//! use cit_core::governance::{adopt, Board, Motion, Vote};
//!
//! let mut board = Board::from_json(r#"{
//!   "id": "ts", "kind": "strategico", "name": "Tavolo Strategico", "president": "e1",
//!   "members": [
//!     {"ente": "e1", "representative": "Sindaco 1"}, {"ente": "e2", "representative": "Sindaco 2"},
//!     {"ente": "e3", "representative": "Sindaco 3"}, {"ente": "e4", "representative": "Sindaco 4"},
//!     {"ente": "e5", "representative": "Sindaco 5"}]
//! }"#)?;
//! let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 18).ok_or("date")?;
//! let mut sitting = board.new_meeting(date);
//! sitting.present = vec!["e1".into(), "e2".into(), "e3".into(), "e4".into()];
//! let mut motion = Motion::new("1", "Quota di adesione 2027");
//! for (ente, vote) in [("e1", Vote::Yes), ("e2", Vote::Yes), ("e3", Vote::Yes), ("e4", Vote::Abstain)] {
//!     motion.votes.insert(ente.into(), vote);
//! }
//! sitting.motions.push(motion);
//! board.add_meeting(sitting)?;
//!
//! let sitting = board.meeting(date).ok_or("sitting")?;
//! assert_eq!(
//!     board.roll_call(sitting)?.to_string(),
//!     "Presenti 4 su 5, necessari 3 (metà più uno dei componenti, \
//!      intero superiore alla metà): numero legale raggiunto"
//! );
//! assert_eq!(
//!     board.decide(sitting, "1")?.sentence,
//!     "Presenti 4 su 5; favorevoli 3, contrari 0, astenuti 1: \
//!      approvata a maggioranza dei presenti"
//! );
//! assert_eq!(
//!     adopt(&board, sitting, "1")?.citation(),
//!     "Deliberazione del Tavolo Strategico del 18/11/2026, mozione 1: \
//!      approvata a maggioranza dei presenti (favorevoli 3 su 4 presenti)"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod adopt;
mod board;
mod majority;
mod meeting;
mod quorum;
mod serde_util;
mod threshold;
mod yearly;

pub use adopt::{Adoption, adopt};
pub use board::{Board, BoardKind, Member};
pub use majority::{
    Abstentions, Base, Decision, HeadsCheck, HeadsRule, Majority, Outcome, Tally, WeightTally,
    WeightsCheck, WeightsRule,
};
pub use meeting::{Meeting, Motion, Vote};
pub use quorum::{Quorum, QuorumCheck, Reading, WeightPresence};
pub use threshold::{Comparator, Fraction, Rounding};
pub use yearly::{MAX_YEARS, Met, Missed, Year, YearlyReport, yearly};

use chrono::{Datelike, NaiveDate};

/// A date the Italian way, `12/03/2026`.
pub(crate) fn date_it(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

#[cfg(test)]
mod tests;
