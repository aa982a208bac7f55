//! The one error type of `cit-core`.

use std::fmt;

use chrono::NaiveDate;

use crate::EnteKind;

/// Everything that can go wrong in `cit-core`.
///
/// Every variant carries the offending value and, where there is one, the JSON path of
/// the field it came from. [`Error::code`] gives a stable slug that the Python and
/// JavaScript bindings expose unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A document is not JSON, or not of the expected shape: a syntax error, a wrong type,
    /// a missing or unknown field. Parsing stops at the first such problem.
    #[error("malformed {document} at `{path}`: {message}")]
    Malformed {
        /// Which document: `tariff`, `ente`, `quote`, …
        document: &'static str,
        /// JSON path of the problem (`membership.comune.bands[2].up_to`); `.` for the root.
        path: String,
        /// What the parser expected and found.
        message: String,
    },
    /// A well-formed document breaks rules that hold across its fields. Every problem is
    /// reported at once.
    #[error("invalid {document}: {}", Problems(problems))]
    Invalid {
        /// Which document: `tariff`, `ente`, …
        document: &'static str,
        /// Every problem found, in document order.
        problems: Vec<Problem>,
    },
    /// An argument of a call is out of its domain.
    #[error("invalid value at `{path}`: expected {expected}, found {found}")]
    InvalidValue {
        /// Where the value came from (a JSON path or an argument name).
        path: String,
        /// What was expected.
        expected: String,
        /// What was found.
        found: String,
    },
    /// A count that the quota needs is missing; it is never taken as zero (R-CAP).
    #[error("ente `{ente}`: `{field}` is missing and is needed by the tariff (R-CAP)")]
    MissingCount {
        /// The ente's id.
        ente: String,
        /// `abitanti` or `imprese`.
        field: &'static str,
    },
    /// The ente's counts are not taken at the tariff's reference date (R-CAP).
    #[error(
        "ente `{ente}`: counts are as of {found}, but tariff `{tariff}` takes them as of {expected} (R-CAP)"
    )]
    CountsDateMismatch {
        /// The ente's id.
        ente: String,
        /// The tariff's id.
        tariff: String,
        /// The tariff's reference date for the year priced.
        expected: NaiveDate,
        /// The ente's `counts_as_of`.
        found: NaiveDate,
    },
    /// The year is outside the tariff's period (R-PERIOD).
    #[error(
        "tariff `{tariff}` covers {from} to {to}: year {year} is outside its period (R-PERIOD)"
    )]
    YearOutsidePeriod {
        /// The tariff's id.
        tariff: String,
        /// The year asked for.
        year: i32,
        /// First day of the period.
        from: NaiveDate,
        /// Last day of the period.
        to: NaiveDate,
    },
    /// The tariff has no fixed quota for this kind of ente (R-FIX).
    #[error(
        "tariff `{tariff}` has no fixed quota for kind `{kind}` (membership.fixed.{kind}) (R-FIX)"
    )]
    KindNotPriced {
        /// The tariff's id.
        tariff: String,
        /// The kind that cannot be priced.
        kind: EnteKind,
    },
    /// An amount does not fit the number range of exact decimal arithmetic.
    #[error("arithmetic overflow at `{path}`: {operation}")]
    Overflow {
        /// Where the operands came from.
        path: String,
        /// The operation that overflowed, with its operands.
        operation: String,
    },
    /// A board's deliberation cannot adopt an act: the board is not the Tavolo Strategico,
    /// the sitting had no quorum, or the motion did not pass (R-ADOPT).
    #[error(
        "adoption refused: motion `{motion}` of board `{board}` on {meeting}, at `{path}`: {reason} (R-ADOPT)"
    )]
    AdoptionRefused {
        /// The board's id.
        board: String,
        /// The date of the sitting.
        meeting: NaiveDate,
        /// The motion's id.
        motion: String,
        /// Where the refusal comes from (`kind`, `present`, `motions[2].votes`).
        path: String,
        /// Why, in words.
        reason: String,
    },
}

impl Error {
    /// Every code [`Error::code`] can return; the bindings' type declarations list the same.
    pub const CODES: &'static [&'static str] = &[
        "malformed",
        "invalid",
        "invalid_value",
        "missing_count",
        "counts_date_mismatch",
        "year_outside_period",
        "kind_not_priced",
        "overflow",
        "adoption_refused",
    ];

    /// A stable slug naming the kind of error (`"year_outside_period"`).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Malformed { .. } => "malformed",
            Error::Invalid { .. } => "invalid",
            Error::InvalidValue { .. } => "invalid_value",
            Error::MissingCount { .. } => "missing_count",
            Error::CountsDateMismatch { .. } => "counts_date_mismatch",
            Error::YearOutsidePeriod { .. } => "year_outside_period",
            Error::KindNotPriced { .. } => "kind_not_priced",
            Error::Overflow { .. } => "overflow",
            Error::AdoptionRefused { .. } => "adoption_refused",
        }
    }

    /// The JSON path (or argument) the error is about, where there is one; for
    /// [`Error::Invalid`], the path of the first problem.
    pub fn path(&self) -> Option<String> {
        match self {
            Error::Malformed { path, .. }
            | Error::InvalidValue { path, .. }
            | Error::Overflow { path, .. } => Some(path.clone()),
            Error::Invalid { problems, .. } => problems.first().map(|p| p.path.clone()),
            Error::MissingCount { field, .. } => Some((*field).to_owned()),
            Error::CountsDateMismatch { .. } => Some("counts_as_of".to_owned()),
            Error::YearOutsidePeriod { .. } => Some("year".to_owned()),
            Error::KindNotPriced { kind, .. } => Some(format!("membership.fixed.{kind}")),
            Error::AdoptionRefused { path, .. } => Some(path.clone()),
        }
    }

    pub(crate) fn overflow(path: impl Into<String>, operation: impl Into<String>) -> Error {
        Error::Overflow {
            path: path.into(),
            operation: operation.into(),
        }
    }
}

/// One problem of an invalid document: where, what was expected, what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// JSON path of the field (`membership.comune.bands[2].up_to`).
    pub path: String,
    /// What the rule expects there.
    pub expected: String,
    /// What the document holds.
    pub found: String,
}

impl Problem {
    /// A problem at `path`.
    pub fn new(
        path: impl Into<String>,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> Problem {
        Problem {
            path: path.into(),
            expected: expected.into(),
            found: found.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}`: expected {}, found {}",
            self.path, self.expected, self.found
        )
    }
}

struct Problems<'a>(&'a [Problem]);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// Shorthand for results of `cit-core`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed() {
        let samples = [
            Error::Malformed {
                document: "tariff",
                path: ".".into(),
                message: String::new(),
            },
            Error::Invalid {
                document: "tariff",
                problems: vec![],
            },
            Error::InvalidValue {
                path: "x".into(),
                expected: String::new(),
                found: String::new(),
            },
            Error::MissingCount {
                ente: "x".into(),
                field: "abitanti",
            },
            Error::CountsDateMismatch {
                ente: "x".into(),
                tariff: "t".into(),
                expected: NaiveDate::MIN,
                found: NaiveDate::MAX,
            },
            Error::YearOutsidePeriod {
                tariff: "t".into(),
                year: 1,
                from: NaiveDate::MIN,
                to: NaiveDate::MAX,
            },
            Error::KindNotPriced {
                tariff: "t".into(),
                kind: EnteKind::Unione,
            },
            Error::overflow("x", "y"),
            Error::AdoptionRefused {
                board: "b".into(),
                meeting: NaiveDate::MIN,
                motion: "m".into(),
                path: "kind".into(),
                reason: String::new(),
            },
        ];
        let codes: Vec<_> = samples.iter().map(Error::code).collect();
        assert_eq!(codes, Error::CODES);
    }

    #[test]
    fn invalid_lists_every_problem() {
        let e = Error::Invalid {
            document: "tariff",
            problems: vec![Problem::new("a", "x", "y"), Problem::new("b[1]", "z", "w")],
        };
        assert_eq!(
            e.to_string(),
            "invalid tariff: `a`: expected x, found y; `b[1]`: expected z, found w"
        );
        assert_eq!(e.path().as_deref(), Some("a"));
    }
}
