//! R-YEARLY: the Tavolo Strategico and the Tavolo Tecnico meet at least once a year.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::board::{Board, BoardKind};
use crate::{Error, Result};

/// The longest range of years [`yearly`] checks at once.
pub const MAX_YEARS: i32 = 1000;

/// A board that met in a year: the dates of its valid plenary sittings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Met {
    /// The board's id.
    pub board: String,
    /// The board's kind.
    pub kind: BoardKind,
    /// The plenary sittings of the year that had quorum at the roll call, in date order.
    #[schemars(with = "Vec<crate::schema::Date>")]
    #[serde(serialize_with = "crate::date_serde::seq::serialize")]
    pub sittings: Vec<NaiveDate>,
}

/// A board that had to meet in a year and did not (R-YEARLY).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Missed {
    /// The board's id.
    pub board: String,
    /// The board's kind.
    pub kind: BoardKind,
    /// Plenary sittings of the year that lacked quorum, which do not count.
    #[schemars(with = "Vec<crate::schema::Date>")]
    #[serde(serialize_with = "crate::date_serde::seq::serialize")]
    pub without_quorum: Vec<NaiveDate>,
}

/// One year of the check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Year {
    /// The year.
    pub year: i32,
    /// The boards that met in plenary with quorum, in the order given.
    pub met: Vec<Met>,
    /// The strategic and technical boards that did not.
    pub missed: Vec<Missed>,
}

/// Which boards met in plenary each year, and which missed a year they had to meet in
/// (R-YEARLY). Thematic boards have no yearly obligation: they appear only when they met.
/// Its [`Display`](fmt::Display) gives one Italian line per year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct YearlyReport {
    /// The years, in order.
    pub years: Vec<Year>,
}

impl YearlyReport {
    /// Every (year, board id) missed, in order.
    pub fn missed(&self) -> Vec<(i32, &str)> {
        self.years
            .iter()
            .flat_map(|y| y.missed.iter().map(move |m| (y.year, m.board.as_str())))
            .collect()
    }

    /// True if no board missed a year.
    pub fn is_complete(&self) -> bool {
        self.years.iter().all(|y| y.missed.is_empty())
    }
}

fn date_it(d: NaiveDate) -> String {
    super::date_it(d)
}

impl fmt::Display for YearlyReport {
    /// `2025: riuniti ts (12/03/2025); mancato tt (R-YEARLY)`, one line per year.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for y in &self.years {
            write!(f, "{}:", y.year)?;
            let met: Vec<String> = y
                .met
                .iter()
                .map(|m| {
                    let dates: Vec<String> = m.sittings.iter().map(|d| date_it(*d)).collect();
                    format!("{} riunito ({})", m.board, dates.join(", "))
                })
                .collect();
            let missed: Vec<String> = y
                .missed
                .iter()
                .map(|m| {
                    if m.without_quorum.is_empty() {
                        format!("{} non riunito (R-YEARLY)", m.board)
                    } else {
                        let dates: Vec<String> =
                            m.without_quorum.iter().map(|d| date_it(*d)).collect();
                        format!(
                            "{} non riunito validamente, sedute senza numero legale: {} (R-YEARLY)",
                            m.board,
                            dates.join(", ")
                        )
                    }
                })
                .collect();
            let all: Vec<String> = met.into_iter().chain(missed).collect();
            if all.is_empty() {
                f.write_str(" nessun tavolo tenuto a riunirsi")?;
            } else {
                write!(f, " {}", all.join("; "))?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

/// For each year from `from` to `to` (both included), which boards met in plenary with
/// quorum at the roll call and which strategic or technical boards missed the year
/// (R-YEARLY).
///
/// # Errors
/// [`Error::InvalidValue`] if `from > to` or the range is longer than [`MAX_YEARS`];
/// [`Error::Invalid`] if a board or one of its sittings is invalid; [`Error::Overflow`]
/// if weights do not fit.
///
/// # Example
/// ```
/// use cit_core::governance::{yearly, Board};
///
/// let board = Board::from_json(r#"{"id": "tt", "kind": "tecnico", "name": "Tavolo Tecnico",
///   "president": "a", "members": [{"ente": "a", "representative": "Responsabile CED"}],
///   "meetings": [{"date": "2024-05-06", "present": ["a"]}]}"#)?;
/// let report = yearly(&[board], 2024, 2025)?;
/// assert_eq!(report.missed(), vec![(2025, "tt")]);
/// # Ok::<(), cit_core::Error>(())
/// ```
pub fn yearly(boards: &[Board], from: i32, to: i32) -> Result<YearlyReport> {
    let span = i64::from(to) - i64::from(from);
    if !(0..i64::from(MAX_YEARS)).contains(&span) {
        return Err(Error::InvalidValue {
            path: "years".to_owned(),
            expected: format!("a range from ≤ to of at most {MAX_YEARS} years"),
            found: format!("{from} to {to}"),
        });
    }
    // Each board's plenary sittings, with or without quorum, in date order.
    let mut sittings = Vec::with_capacity(boards.len());
    for board in boards {
        board.validate()?;
        let mut dated = Vec::new();
        for meeting in board.meetings.iter().filter(|m| m.plenary) {
            dated.push((meeting.date, board.roll_call(meeting)?.met));
        }
        dated.sort();
        sittings.push(dated);
    }
    let years = (from..=to)
        .map(|year| {
            let mut met = Vec::new();
            let mut missed = Vec::new();
            for (board, dated) in boards.iter().zip(&sittings) {
                let in_year = dated.iter().filter(|(d, _)| d.year() == year);
                let valid: Vec<NaiveDate> = in_year
                    .clone()
                    .filter(|(_, q)| *q)
                    .map(|(d, _)| *d)
                    .collect();
                if !valid.is_empty() {
                    met.push(Met {
                        board: board.id.clone(),
                        kind: board.kind,
                        sittings: valid,
                    });
                } else if board.kind.meets_yearly() {
                    missed.push(Missed {
                        board: board.id.clone(),
                        kind: board.kind,
                        without_quorum: in_year.map(|(d, _)| *d).collect(),
                    });
                }
            }
            Year { year, met, missed }
        })
        .collect();
    Ok(YearlyReport { years })
}
