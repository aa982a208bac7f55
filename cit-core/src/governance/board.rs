//! Boards (*Tavoli*): their members, president, rules and sittings.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::majority::{Decision, Majority, Tally, WeightTally};
use super::meeting::{
    Meeting, Motion, Seats, Vote, meeting_problems, negative_weight, sum, weight_sum_problems,
};
use super::quorum::{Quorum, QuorumCheck, WeightPresence};
use crate::{Error, Problem, Result, json};

names! {
    /// The kind of a board.
    pub enum BoardKind {
        /// The Tavolo Strategico: the members' political representatives; sets the quota
        /// (R-ADOPT) and meets at least yearly (R-YEARLY).
        Strategico => "strategico", "Tavolo Strategico",
        /// The Tavolo Tecnico: meets at least yearly (R-YEARLY).
        Tecnico => "tecnico", "Tavolo Tecnico",
        /// A Tavolo Tematico on one subject: no yearly obligation.
        Tematico => "tematico", "Tavolo Tematico",
    }
}

impl BoardKind {
    /// True if the board must meet in plenary at least once a year (R-YEARLY).
    pub fn meets_yearly(self) -> bool {
        matches!(self, BoardKind::Strategico | BoardKind::Tecnico)
    }
}

/// A seat on a board: the ente, its representative and, for weighted rules, its weight
/// (an exact decimal: population, shares, …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The ente's id (ISTAT code for comuni); one seat per ente.
    pub ente: String,
    /// Who sits for it (a name or a role: `"Sindaco di Brescia"`).
    pub representative: String,
    /// The weight in weighted quorums and majorities; either every member has one or
    /// none does.
    #[schemars(with = "Option<crate::schema::DecimalText>")]
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::decimal::option"
    )]
    pub weight: Option<Decimal>,
}

impl Member {
    /// A member without weight.
    pub fn new(ente: impl Into<String>, representative: impl Into<String>) -> Member {
        Member {
            ente: ente.into(),
            representative: representative.into(),
            weight: None,
        }
    }
}

/// A board (*Tavolo*) and its register of sittings: members, president, its quorum
/// (R-QUORUM) and majority (R-MAJORITY) rules, and its meetings.
///
/// # Example
/// ```
/// use cit_core::governance::{Board, BoardKind};
///
/// let board = Board::from_json(r#"{
///   "id": "ts", "kind": "strategico", "name": "Tavolo Strategico", "president": "a",
///   "members": [{"ente": "a", "representative": "Sindaca di A"},
///               {"ente": "b", "representative": "Sindaco di B"},
///               {"ente": "c", "representative": "Assessore di C"}],
///   "meetings": [{"date": "2026-03-12", "present": ["a", "b"],
///                 "motions": [{"id": "1", "title": "Quota 2027",
///                              "votes": {"a": "yes", "b": "yes"}}]}]
/// }"#)?;
/// assert_eq!(board.kind, BoardKind::Strategico);
/// let meeting = &board.meetings[0];
/// let decision = board.decide(meeting, "1")?;
/// assert_eq!(
///     decision.sentence,
///     "Presenti 2 su 3; favorevoli 2, contrari 0, astenuti 0: \
///      approvata a maggioranza dei presenti"
/// );
/// # Ok::<(), cit_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Board {
    /// Stable id of the board (`"ts-brescia"`).
    pub id: String,
    /// Strategic, technical or thematic.
    pub kind: BoardKind,
    /// The name, as printed in the minutes.
    pub name: String,
    /// The ente whose representative presides; a member.
    pub president: String,
    /// The seats, in the order of the roll call.
    pub members: Vec<Member>,
    /// The quorum rule; default half plus one, whole number above half.
    #[serde(default)]
    pub quorum: Quorum,
    /// The majority rule; default of those present.
    #[serde(default)]
    pub majority: Majority,
    /// The sittings, in any order; one per date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meetings: Vec<Meeting>,
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

impl Board {
    /// Reads a board document and validates it as a whole: composition, rules and every
    /// sitting, every problem reported at once.
    ///
    /// # Errors
    /// [`Error::Malformed`] for bad JSON, a wrong type, a missing or unknown field (with
    /// its JSON path); [`Error::Invalid`] listing every problem.
    pub fn from_json(text: &str) -> Result<Board> {
        let board: Board = json::parse("board", text)?;
        board.validate()?;
        Ok(board)
    }

    /// The board as its JSON document.
    pub fn to_json(&self) -> String {
        json::to_string(self)
    }

    /// Checks the whole board: non-empty ids, distinct members, weights on every member
    /// or none (not negative, summing to more than zero), the president a member, rules
    /// that can be met (weighted ones need weights), and every sitting (members only,
    /// votes only from those present, one sitting per date).
    ///
    /// # Errors
    /// [`Error::Invalid`] listing every problem, each with its JSON path.
    pub fn validate(&self) -> Result<()> {
        let mut problems = self.composition_problems();
        let mut dates = BTreeSet::new();
        let seats = self.seats();
        for (i, m) in self.meetings.iter().enumerate() {
            let prefix = format!("meetings[{i}]");
            if !dates.insert(m.date) {
                problems.push(Problem::new(
                    format!("{prefix}.date"),
                    "one sitting per date",
                    format!("{} again", m.date),
                ));
            }
            meeting_problems(m, Some(&seats), &prefix, &mut problems);
        }
        invalid("board", problems)
    }

    /// What checking a sitting needs of the board.
    fn seats(&self) -> Seats<'_> {
        Seats {
            board: &self.id,
            members: self.members.iter().map(|m| m.ente.as_str()).collect(),
            weighted: self.quorum.is_weighted() || self.majority.is_weighted(),
        }
    }

    fn composition_problems(&self) -> Vec<Problem> {
        let mut p = Vec::new();
        for (field, value) in [("id", &self.id), ("name", &self.name)] {
            if value.trim().is_empty() {
                p.push(Problem::new(
                    field,
                    "a non-empty text",
                    format!("{value:?}"),
                ));
            }
        }
        if self.members.is_empty() {
            p.push(Problem::new("members", "at least one member", "[]"));
        }
        let mut seen = BTreeSet::new();
        for (i, m) in self.members.iter().enumerate() {
            if m.ente.trim().is_empty() {
                p.push(Problem::new(
                    format!("members[{i}].ente"),
                    "a non-empty ente id",
                    format!("{:?}", m.ente),
                ));
            } else if !seen.insert(m.ente.as_str()) {
                p.push(Problem::new(
                    format!("members[{i}].ente"),
                    "an ente with one seat only",
                    format!("{:?} again", m.ente),
                ));
            }
            if m.representative.trim().is_empty() {
                p.push(Problem::new(
                    format!("members[{i}].representative"),
                    "a non-empty name or role",
                    format!("{:?}", m.representative),
                ));
            }
            if let Some(w) = m.weight {
                negative_weight(|| format!("members[{i}].weight"), w, &mut p);
            }
        }
        let weighted = self.members.iter().filter(|m| m.weight.is_some()).count();
        if weighted > 0 && weighted < self.members.len() {
            for (i, m) in self.members.iter().enumerate() {
                if m.weight.is_none() {
                    p.push(Problem::new(
                        format!("members[{i}].weight"),
                        "a weight, since other members have one",
                        "none",
                    ));
                }
            }
        } else if weighted > 0 {
            let weights = self.members.iter().filter_map(|m| m.weight.as_ref());
            weight_sum_problems(weights, "members", &mut p);
        }
        if self.member(&self.president).is_none() {
            p.push(Problem::new(
                "president",
                "the ente id of a member",
                format!("{:?}", self.president),
            ));
        }
        self.quorum.problems("quorum", &mut p);
        self.majority.problems("majority", &mut p);
        if weighted == 0 {
            if self.quorum.is_weighted() {
                p.push(Problem::new(
                    "quorum",
                    "members with weights (the quorum is weighted)",
                    "no weights",
                ));
            }
            if self.majority.is_weighted() {
                p.push(Problem::new(
                    "majority",
                    "members with weights (the majority is weighted)",
                    "no weights",
                ));
            }
        }
        p
    }

    /// The seat of ente `ente`.
    pub fn member(&self, ente: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.ente == ente)
    }

    /// The sitting of `date`, if registered.
    pub fn meeting(&self, date: NaiveDate) -> Option<&Meeting> {
        self.meetings.iter().find(|m| m.date == date)
    }

    /// The sitting on `date`, for the entry points that name a sitting by its date (roll
    /// call, decision, adoption).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] at `meeting` if the board did not sit that day.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use cit_core::Board;
    ///
    /// let board = Board::from_json(include_str!("../../../examples/boards/tavolo-strategico-brescia.json"))?;
    /// let first = board.meetings[0].date;
    /// assert_eq!(board.sitting(first)?.date, first);
    /// let e = board.sitting(NaiveDate::from_ymd_opt(1999, 1, 1).unwrap()).unwrap_err();
    /// assert_eq!((e.code(), e.path().as_deref()), ("invalid_value", Some("meeting")));
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn sitting(&self, date: NaiveDate) -> Result<&Meeting> {
        self.meeting(date).ok_or_else(|| {
            Error::invalid_value(
                "meeting",
                format!("the date of a sitting of board `{}`", self.id),
                date,
            )
        })
    }

    /// A new plenary sitting on `date`, nobody present yet, with the members' weights
    /// snapshotted now (R-MAJORITY: weights as of the meeting date).
    pub fn new_meeting(&self, date: NaiveDate) -> Meeting {
        let weights: Option<BTreeMap<String, Decimal>> = self
            .members
            .iter()
            .map(|m| m.weight.map(|w| (m.ente.clone(), w)))
            .collect();
        Meeting {
            date,
            plenary: true,
            present: Vec::new(),
            weights: weights.unwrap_or_default(),
            motions: Vec::new(),
        }
    }

    /// Checks a sitting against this board: its members, votes only from those present,
    /// weights when a rule needs them.
    ///
    /// # Errors
    /// [`Error::Invalid`] (document `board`) if the board itself is invalid, else
    /// (document `meeting`) listing every problem of the sitting.
    pub fn check_meeting(&self, meeting: &Meeting) -> Result<()> {
        invalid("board", self.composition_problems())?;
        let mut problems = Vec::new();
        meeting_problems(meeting, Some(&self.seats()), "", &mut problems);
        invalid("meeting", problems)
    }

    /// Registers a sitting, after checking it; on error nothing changes.
    ///
    /// # Errors
    /// As [`Board::check_meeting`], and [`Error::Invalid`] if a sitting of that date is
    /// already registered.
    pub fn add_meeting(&mut self, meeting: Meeting) -> Result<()> {
        self.check_meeting(&meeting)?;
        if self.meeting(meeting.date).is_some() {
            return invalid(
                "meeting",
                vec![Problem::new(
                    "date",
                    "one sitting per date",
                    format!("{} already registered", meeting.date),
                )],
            );
        }
        self.meetings.push(meeting);
        Ok(())
    }

    /// The quorum of a sitting at the roll call (R-QUORUM): members who attended against
    /// the board's quorum rule.
    ///
    /// # Errors
    /// As [`Board::check_meeting`]; [`Error::Overflow`] if weights do not fit.
    pub fn roll_call(&self, meeting: &Meeting) -> Result<QuorumCheck> {
        self.check_meeting(meeting)?;
        let weight = if self.quorum.is_weighted() {
            let present = meeting
                .present
                .iter()
                .filter_map(|id| meeting.weights.get(id));
            Some(WeightPresence {
                members: weight_sum(meeting.weights.values())?,
                present: weight_sum(present)?,
            })
        } else {
            None
        };
        self.quorum.check(
            count(self.members.len()),
            count(meeting.present.len()),
            weight,
        )
    }

    /// The majority that applies to `motion`: its own, or the board's.
    pub fn majority_for(&self, motion: &Motion) -> Majority {
        motion.majority.unwrap_or(self.majority)
    }

    /// Decides motion `motion` of `meeting` (R-MAJORITY), with the quorum checked at the
    /// vote (R-QUORUM): those with a vote record are present at the vote.
    ///
    /// # Errors
    /// As [`Board::check_meeting`]; [`Error::InvalidValue`] if the sitting has no such
    /// motion; [`Error::Overflow`] if weights do not fit.
    pub fn decide(&self, meeting: &Meeting, motion: &str) -> Result<Decision> {
        self.check_meeting(meeting)?;
        let m = meeting.motion(motion).ok_or_else(|| Error::InvalidValue {
            path: "motion".to_owned(),
            expected: format!(
                "the id of a motion of the sitting of {} ({})",
                meeting.date,
                meeting
                    .motions
                    .iter()
                    .map(|m| format!("{:?}", m.id))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            found: format!("{motion:?}"),
        })?;
        let majority = self.majority_for(m);
        let n = |vote| count(m.voters(vote).count());
        let tally = Tally {
            members: count(self.members.len()),
            present: count(m.votes.len()),
            yes: n(Vote::Yes),
            no: n(Vote::No),
            abstain: n(Vote::Abstain),
            blank: n(Vote::Blank),
        };
        let weights = if majority.is_weighted() || self.quorum.is_weighted() {
            Some(weight_tally(meeting, m)?)
        } else {
            None
        };
        majority.decide(&self.quorum, &tally, weights.as_ref())
    }
}

fn weight_sum<'a>(values: impl IntoIterator<Item = &'a Decimal>) -> Result<Decimal> {
    sum(values).ok_or_else(|| Error::overflow("weights", "sum of the members' weights"))
}

fn weight_tally(meeting: &Meeting, motion: &Motion) -> Result<WeightTally> {
    let of = |vote: Vote| weight_sum(motion.voters(vote).filter_map(|id| meeting.weights.get(id)));
    let present = motion.votes.keys().filter_map(|id| meeting.weights.get(id));
    Ok(WeightTally {
        members: weight_sum(meeting.weights.values())?,
        present: weight_sum(present)?,
        yes: of(Vote::Yes)?,
        no: of(Vote::No)?,
        abstain: of(Vote::Abstain)?,
        blank: of(Vote::Blank)?,
    })
}

fn invalid(document: &'static str, problems: Vec<Problem>) -> Result<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid { document, problems })
    }
}
