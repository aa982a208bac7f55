//! R-ADOPT: the Tavolo Strategico defines the quota; a tariff carries the deliberation
//! that adopted it, and adoption is refused unless that sitting was valid and the motion
//! passed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::board::{Board, BoardKind};
use super::majority::Tally;
use super::meeting::Meeting;
use crate::{Error, Problem, Result, fmt_it, json};

/// The record of a valid deliberation of the Tavolo Strategico (R-ADOPT): which board,
/// which sitting, which motion, how it passed. Made by [`adopt`]; a tariff carries it and
/// its quotes cite it with [`Adoption::citation`].
///
/// In JSON: `{"board": "ts-brescia", "meeting": "2026-11-18", "motion": "2",
/// "delibera": "14/2026", "title": "…", "majority": "a maggioranza dei presenti",
/// "tally": {"members": 15, "present": 12, "yes": 9, "no": 2, "abstain": 1, "blank": 0}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Adoption {
    /// The board's id.
    pub board: String,
    /// The date of the sitting.
    #[schemars(with = "crate::schema::Date")]
    #[serde(with = "crate::date_serde")]
    pub meeting: NaiveDate,
    /// The motion's id within the sitting.
    pub motion: String,
    /// The deliberation's number in the register (`"14/2026"`), if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delibera: Option<String>,
    /// What was approved (the motion's title).
    pub title: String,
    /// How it passed: `"a maggioranza dei presenti"`.
    pub majority: String,
    /// The head count at the vote.
    pub tally: Tally,
}

impl Adoption {
    /// The citation for quotes and acts: `"Deliberazione del Tavolo Strategico del
    /// 12/03/2026, mozione 3: approvata a maggioranza dei presenti (favorevoli 9 su 12
    /// presenti)"`; with a register number, `"Deliberazione n. 14/2026 del Tavolo
    /// Strategico del …"`.
    pub fn citation(&self) -> String {
        let number = self
            .delibera
            .as_deref()
            .map(|n| format!(" n. {n}"))
            .unwrap_or_default();
        format!(
            "Deliberazione{number} del {} del {}, mozione {}: approvata {} (favorevoli {} su {} presenti)",
            BoardKind::Strategico.label(),
            super::date_it(self.meeting),
            self.motion,
            self.majority,
            fmt_it::integer(self.tally.yes),
            fmt_it::integer(self.tally.present),
        )
    }

    /// Checks the record against the board and the minutes of the sitting it cites: the
    /// board is the strategic one, the sitting had quorum, the motion passed, and the
    /// record says what the minutes say.
    ///
    /// # Errors
    /// [`Error::AdoptionRefused`] if the deliberation does not adopt, or the record does
    /// not match the minutes; the errors of [`adopt`].
    pub fn check(&self, board: &Board, meeting: &Meeting) -> Result<()> {
        let refuse = |path: &str, reason: String| Error::AdoptionRefused {
            board: self.board.clone(),
            meeting: self.meeting,
            motion: self.motion.clone(),
            path: path.to_owned(),
            reason,
        };
        if self.board != board.id {
            return Err(refuse(
                "board",
                format!(
                    "the record cites board `{}`, not `{}`",
                    self.board, board.id
                ),
            ));
        }
        if self.meeting != meeting.date {
            return Err(refuse(
                "meeting",
                format!(
                    "the record cites the sitting of {}, not that of {}",
                    self.meeting, meeting.date
                ),
            ));
        }
        let minutes = adopt(board, meeting, &self.motion)?;
        if minutes != *self {
            return Err(refuse(
                "adoption",
                format!(
                    "the record does not match the minutes, which read: {}",
                    minutes.citation()
                ),
            ));
        }
        Ok(())
    }

    /// Reads an adoption record. Only its shape is checked here: [`Adoption::check`]
    /// verifies it against the minutes.
    ///
    /// # Errors
    /// [`Error::Malformed`] for bad JSON, a wrong type, a missing or unknown field;
    /// [`Error::Invalid`] for empty ids or a tally that does not add up.
    pub fn from_json(text: &str) -> Result<Adoption> {
        let a: Adoption = json::parse("adoption", text)?;
        let problems = a.problems("");
        if problems.is_empty() {
            Ok(a)
        } else {
            Err(Error::Invalid {
                document: "adoption",
                problems,
            })
        }
    }

    /// What is wrong with the record's shape (empty ids, a tally that does not add up),
    /// with paths under `prefix` (`"adoption."` inside a tariff).
    pub(crate) fn problems(&self, prefix: &str) -> Vec<Problem> {
        let mut problems = Vec::new();
        for (field, value) in [("board", &self.board), ("motion", &self.motion)] {
            if value.trim().is_empty() {
                problems.push(Problem::new(
                    format!("{prefix}{field}"),
                    "a non-empty id",
                    format!("{value:?}"),
                ));
            }
        }
        if let Err(Error::InvalidValue {
            path,
            expected,
            found,
        }) = self.tally.check()
        {
            problems.push(Problem::new(format!("{prefix}{path}"), expected, found));
        }
        problems
    }

    /// The record as its JSON document.
    pub fn to_json(&self) -> String {
        json::to_string(self)
    }
}

/// Adopts motion `motion` of `meeting` as a deliberation of `board` (R-ADOPT): refused
/// unless the board is the Tavolo Strategico, the sitting had quorum at the roll call and
/// the motion passed (with quorum at the vote).
///
/// # Errors
/// [`Error::AdoptionRefused`] naming the reason; [`Error::Invalid`] if the board or the
/// sitting is invalid; [`Error::InvalidValue`] if the sitting has no such motion;
/// [`Error::Overflow`] if weights do not fit.
///
/// # Example
/// ```
/// use cit_core::governance::{adopt, Board};
///
/// let board = Board::from_json(r#"{
///   "id": "ts", "kind": "strategico", "name": "Tavolo Strategico", "president": "a",
///   "members": [{"ente": "a", "representative": "Sindaca di A"},
///               {"ente": "b", "representative": "Sindaco di B"},
///               {"ente": "c", "representative": "Assessore di C"}],
///   "meetings": [{"date": "2026-03-12", "present": ["a", "b", "c"],
///                 "motions": [{"id": "3", "title": "Quota di adesione 2027",
///                              "votes": {"a": "yes", "b": "yes", "c": "no"}}]}]
/// }"#)?;
/// let adoption = adopt(&board, &board.meetings[0], "3")?;
/// assert_eq!(
///     adoption.citation(),
///     "Deliberazione del Tavolo Strategico del 12/03/2026, mozione 3: \
///      approvata a maggioranza dei presenti (favorevoli 2 su 3 presenti)"
/// );
/// adoption.check(&board, &board.meetings[0])?;
/// # Ok::<(), cit_core::Error>(())
/// ```
pub fn adopt(board: &Board, meeting: &Meeting, motion: &str) -> Result<Adoption> {
    board.check_meeting(meeting)?;
    let refuse = |path: String, reason: String| Error::AdoptionRefused {
        board: board.id.clone(),
        meeting: meeting.date,
        motion: motion.to_owned(),
        path,
        reason,
    };
    if board.kind != BoardKind::Strategico {
        return Err(refuse(
            "kind".to_owned(),
            format!(
                "`{}` is a {} board; only the Tavolo Strategico adopts the quota",
                board.id, board.kind
            ),
        ));
    }
    let roll_call = board.roll_call(meeting)?;
    if !roll_call.met {
        return Err(refuse(
            "present".to_owned(),
            format!("the sitting had no quorum at the roll call: {roll_call}"),
        ));
    }
    let decision = board.decide(meeting, motion)?;
    let index = meeting
        .motions
        .iter()
        .position(|m| m.id == motion)
        .unwrap_or_default();
    if !decision.passed() {
        return Err(refuse(
            format!("motions[{index}].votes"),
            format!("the motion did not pass: {}", decision.sentence),
        ));
    }
    let m = meeting.motion(motion);
    Ok(Adoption {
        board: board.id.clone(),
        meeting: meeting.date,
        motion: motion.to_owned(),
        delibera: m.and_then(|m| m.delibera.clone()),
        title: m.map(|m| m.title.clone()).unwrap_or_default(),
        majority: decision.majority.adverbial(),
        tally: decision.tally,
    })
}
