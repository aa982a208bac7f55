//! Sittings (*sedute*) of a board: who attended, the members' weights at the date, and
//! the motions with their votes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::majority::Majority;
use super::serde_util;
use crate::{Error, Problem, Result, decimal, json};

/// One member's vote on a motion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Vote {
    /// In favour (*favorevole*).
    Yes,
    /// Against (*contrario*).
    No,
    /// Abstains (*astenuto*): present at the vote, votes neither way.
    Abstain,
    /// A blank ballot (*scheda bianca*), in a secret vote.
    Blank,
}

impl Vote {
    /// The Italian word, `"favorevole"`.
    pub fn italian(self) -> &'static str {
        match self {
            Vote::Yes => "favorevole",
            Vote::No => "contrario",
            Vote::Abstain => "astenuto",
            Vote::Blank => "scheda bianca",
        }
    }
}

impl fmt::Display for Vote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.italian())
    }
}

/// A motion put to the vote (*proposta di deliberazione*).
///
/// Presence at the vote is the set of members with a vote record (R-QUORUM: presence
/// must hold at the vote): a member present who does not vote is recorded as abstaining;
/// one who left the room has no record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Motion {
    /// The motion's id within the sitting (`"3"`), cited by adoptions.
    pub id: String,
    /// What is put to the vote.
    pub title: String,
    /// The number the deliberation takes in the register, when approved (`"14/2026"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delibera: Option<String>,
    /// A majority other than the board's, for this motion (e.g. two thirds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub majority: Option<Majority>,
    /// Each member's vote, keyed by ente id; a member appears at most once.
    #[serde(deserialize_with = "serde_util::unique_map")]
    pub votes: BTreeMap<String, Vote>,
}

impl Motion {
    /// A motion with no votes yet.
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Motion {
        Motion {
            id: id.into(),
            title: title.into(),
            delibera: None,
            majority: None,
            votes: BTreeMap::new(),
        }
    }

    /// The members who voted `vote`, in id order.
    pub fn voters(&self, vote: Vote) -> impl Iterator<Item = &str> {
        self.votes
            .iter()
            .filter(move |(_, v)| **v == vote)
            .map(|(k, _)| k.as_str())
    }
}

/// A sitting of a board (*seduta*): its date, who attended, the members' weights at that
/// date, and the motions voted.
///
/// `present` lists every member who attended (late arrivals included): it decides the
/// quorum of the sitting, and only those members can vote. `weights` is the snapshot of
/// the members' weights at the meeting date ([`Board::new_meeting`](crate::Board::new_meeting) takes it); weighted
/// quorums and majorities read it, never the board's current weights.
///
/// # Example
/// ```
/// use cit_core::governance::Meeting;
///
/// let meeting = Meeting::from_json(r#"{"date": "2026-03-12", "present": ["a", "b"],
///   "motions": [{"id": "1", "title": "Verbale", "votes": {"a": "yes", "b": "abstain"}}]}"#)?;
/// assert!(meeting.plenary);
/// assert_eq!(meeting.motion("1").map(|m| m.votes.len()), Some(2));
/// # Ok::<(), cit_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    /// The date of the sitting.
    #[schemars(with = "crate::schema::Date")]
    #[serde(with = "crate::date_serde")]
    pub date: NaiveDate,
    /// True for a plenary sitting of the whole board (the default); false for a
    /// restricted session, which does not count for R-YEARLY.
    #[serde(default = "plenary_default", skip_serializing_if = "is_true")]
    pub plenary: bool,
    /// The members (ente ids) who attended.
    pub present: Vec<String>,
    /// The members' weights at the meeting date, keyed by ente id; empty when the board
    /// has no weights.
    #[schemars(with = "BTreeMap<String, crate::schema::DecimalText>")]
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        with = "serde_util::decimal_map"
    )]
    pub weights: BTreeMap<String, Decimal>,
    /// The motions voted, in order.
    #[serde(default)]
    pub motions: Vec<Motion>,
}

fn plenary_default() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

impl Meeting {
    /// Reads a sitting from its JSON document and checks what can be checked without
    /// its board (use [`Board::check_meeting`](crate::Board::check_meeting) or
    /// [`Board::add_meeting`](crate::Board::add_meeting) for the rest).
    ///
    /// # Errors
    /// [`Error::Malformed`] for bad JSON, a wrong type, a missing or unknown field, a
    /// member voting twice; [`Error::Invalid`] listing every problem.
    pub fn from_json(text: &str) -> Result<Meeting> {
        let meeting: Meeting = json::parse("meeting", text)?;
        let mut problems = Vec::new();
        meeting_problems(&meeting, None, "", &mut problems);
        if problems.is_empty() {
            Ok(meeting)
        } else {
            Err(Error::Invalid {
                document: "meeting",
                problems,
            })
        }
    }

    /// The sitting as its JSON document.
    pub fn to_json(&self) -> String {
        json::to_string(self)
    }

    /// The motion with id `id`.
    pub fn motion(&self, id: &str) -> Option<&Motion> {
        self.motions.iter().find(|m| m.id == id)
    }
}

fn at(prefix: &str, field: &str) -> String {
    if prefix.is_empty() {
        field.to_owned()
    } else {
        format!("{prefix}.{field}")
    }
}

/// The sum of `values`, exactly, or `None` if it does not fit.
pub(crate) fn sum<'a>(values: impl IntoIterator<Item = &'a Decimal>) -> Option<Decimal> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, v| decimal::add(acc, *v))
}

/// What checking a sitting needs to know of its board (the board gives it: this module
/// knows nothing of [`Board`](crate::Board)).
pub(crate) struct Seats<'a> {
    /// The board's id, for messages.
    pub(crate) board: &'a str,
    /// The members' ente ids, in the board's order.
    pub(crate) members: Vec<&'a str>,
    /// Whether the board's quorum or majority is weighted (a motion's own majority is
    /// read from the sitting).
    pub(crate) weighted: bool,
}

impl Seats<'_> {
    fn has(&self, id: &str) -> bool {
        self.members.contains(&id)
    }
}

/// A weight below zero, at `path` (weights are zero or more).
pub(crate) fn negative_weight(path: impl FnOnce() -> String, w: Decimal, out: &mut Vec<Problem>) {
    if w.is_sign_negative() && !w.is_zero() {
        out.push(Problem::new(
            path(),
            "a weight of zero or more",
            w.to_string(),
        ));
    }
}

/// Weights whose sum does not fit or is not above zero, at `path`.
pub(crate) fn weight_sum_problems<'a>(
    weights: impl IntoIterator<Item = &'a Decimal>,
    path: &str,
    out: &mut Vec<Problem>,
) {
    match sum(weights) {
        None => out.push(Problem::new(
            path,
            "weights whose sum fits 28 significant digits",
            "a sum that does not fit",
        )),
        Some(total) if total <= Decimal::ZERO => out.push(Problem::new(
            path,
            "weights that sum to more than zero",
            total.to_string(),
        )),
        Some(_) => {}
    }
}

/// Every problem of `m`, under `prefix`; membership is checked when `board` is given.
pub(crate) fn meeting_problems(
    m: &Meeting,
    board: Option<&Seats<'_>>,
    prefix: &str,
    out: &mut Vec<Problem>,
) {
    let is_member = |id: &str| board.is_none_or(|b| b.has(id));
    let board_id = board.map_or("", |b| b.board);

    let mut seen = BTreeSet::new();
    for (k, id) in m.present.iter().enumerate() {
        let path = at(prefix, &format!("present[{k}]"));
        if !is_member(id) {
            out.push(Problem::new(
                path,
                format!("a member of board `{board_id}`"),
                format!("{id:?}"),
            ));
        } else if !seen.insert(id.as_str()) {
            out.push(Problem::new(
                path,
                "each member listed once",
                format!("{id:?} again"),
            ));
        }
    }

    weight_problems(m, board, prefix, out);

    let mut ids = BTreeSet::new();
    for (j, motion) in m.motions.iter().enumerate() {
        let mp = at(prefix, &format!("motions[{j}]"));
        if motion.id.trim().is_empty() {
            out.push(Problem::new(
                format!("{mp}.id"),
                "a non-empty id",
                format!("{:?}", motion.id),
            ));
        } else if !ids.insert(motion.id.as_str()) {
            out.push(Problem::new(
                format!("{mp}.id"),
                "an id not used by another motion of the sitting",
                format!("{:?}", motion.id),
            ));
        }
        if motion
            .delibera
            .as_deref()
            .is_some_and(|d| d.trim().is_empty())
        {
            out.push(Problem::new(
                format!("{mp}.delibera"),
                "a register number such as \"14/2026\", or no field",
                "\"\"",
            ));
        }
        if let Some(majority) = &motion.majority {
            majority.problems(&format!("{mp}.majority"), out);
        }
        for id in motion.votes.keys() {
            let path = format!("{mp}.votes.{id}");
            if !is_member(id) {
                out.push(Problem::new(
                    path,
                    format!("a member of board `{board_id}`"),
                    format!("{id:?}"),
                ));
            } else if !seen.contains(id.as_str()) {
                out.push(Problem::new(
                    path,
                    "a member who attended the sitting (listed in present)",
                    format!("{id:?}, not in present"),
                ));
            }
        }
    }
}

fn weight_problems(m: &Meeting, board: Option<&Seats<'_>>, prefix: &str, out: &mut Vec<Problem>) {
    let path = at(prefix, "weights");
    for (id, w) in &m.weights {
        if board.is_some_and(|b| !b.has(id)) {
            out.push(Problem::new(
                format!("{path}.{id}"),
                "a member of the board",
                format!("{id:?}"),
            ));
        }
        negative_weight(|| format!("{path}.{id}"), *w, out);
    }
    let Some(board) = board else {
        return;
    };
    let needed = board.weighted
        || m.motions
            .iter()
            .any(|mo| mo.majority.is_some_and(|ma| ma.is_weighted()));
    if m.weights.is_empty() {
        if needed {
            out.push(Problem::new(
                path,
                "the members' weights at the meeting date (the quorum or a majority is weighted)",
                "none",
            ));
        }
        return;
    }
    let missing: Vec<&str> = (board.members.iter().copied())
        .filter(|id| !m.weights.contains_key(*id))
        .collect();
    if !missing.is_empty() {
        out.push(Problem::new(
            path.clone(),
            "a weight for every member",
            format!("none for {}", missing.join(", ")),
        ));
    }
    weight_sum_problems(m.weights.values(), &path, out);
}
