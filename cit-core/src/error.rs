//! The one error type of `cit-core`.

use std::fmt;

use chrono::NaiveDate;

use crate::{EnteKind, Rule};

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
    /// A lifecycle transition that the current state does not allow (R-JOIN, R-ACT,
    /// R-RENEW, R-CANCEL), or a correction of an entry already reversed or itself a
    /// reversing entry (R-LEDGER); the state is left exactly as it was.
    #[error("{entity} `{id}` is {state}: cannot {action} ({rule})")]
    IllegalTransition {
        /// `membership`, `subscription`, `charge` or `payment`.
        entity: &'static str,
        /// Its id.
        id: String,
        /// The state it is in (`withdrawn`).
        state: String,
        /// What was attempted (`approve`).
        action: &'static str,
        /// The rule that forbids it.
        rule: Rule,
    },
    /// A members-only service asked for by an ente without an active membership on that
    /// date (R-MEMBERS-ONLY).
    #[error(
        "service `{service}` is delivered only to members: ente `{ente}` has no active membership on {date} (R-MEMBERS-ONLY)"
    )]
    NotAMember {
        /// The ente's id.
        ente: String,
        /// The service's code.
        service: String,
        /// The date priced or requested.
        date: NaiveDate,
    },
    /// The tariff has no service with this code (R-PRICE).
    #[error("tariff `{tariff}` has no service `{service}` (R-PRICE)")]
    UnknownService {
        /// The tariff's id.
        tariff: String,
        /// The code asked for.
        service: String,
    },
    /// No ente with this id is registered (R-JOIN).
    #[error("no ente `{ente}` is registered (R-JOIN)")]
    UnknownEnte {
        /// The id asked for.
        ente: String,
    },
    /// No membership, subscription, charge or payment with this id (R-LEDGER).
    #[error("no {entity} `{id}` is recorded (R-LEDGER)")]
    UnknownEntry {
        /// `membership`, `subscription`, `charge`, `payment`.
        entity: &'static str,
        /// The id asked for.
        id: String,
    },
    /// An event would record a second entry with an id already used; the registry is
    /// append-only and never overwrites (R-LEDGER).
    #[error("{entity} `{id}` is already recorded: events are never edited or repeated (R-LEDGER)")]
    DuplicateEvent {
        /// `ente`, `tariff`, `membership`, `subscription`, `payment`, `year close`, …
        entity: &'static str,
        /// The id used twice.
        id: String,
    },
    /// No tariff version applies to the date (R-RUN).
    #[error("no tariff version applies on {date} (R-RUN)")]
    NoTariffOn {
        /// The date asked for.
        date: NaiveDate,
    },
    /// A tariff version whose period overlaps one already adopted: for any date exactly
    /// one version applies (R-RUN).
    #[error(
        "tariff `{tariff}` ({from} to {to}) overlaps tariff `{other}`: for any date exactly one tariff version applies (R-RUN)"
    )]
    TariffOverlap {
        /// The tariff refused.
        tariff: String,
        /// The tariff already adopted that it overlaps.
        other: String,
        /// First day of the refused tariff.
        from: NaiveDate,
        /// Last day of the refused tariff.
        to: NaiveDate,
    },
    /// An append expected the journal at `expected` events, but it holds `actual`: another
    /// writer appended first. Nothing was applied; re-read and retry (R-JOURNAL).
    #[error(
        "the journal is at version {actual}, not the expected {expected}: another writer appended first; nothing was applied, re-read and retry (R-JOURNAL)"
    )]
    VersionConflict {
        /// The version (number of recorded events) the caller expected.
        expected: u64,
        /// The version the journal is at.
        actual: u64,
    },
    /// An event of a journal or of a batch was refused: `source` says why, `index` is its
    /// position (from 0) in the journal or batch. [`Error::code`] is the code of `source`,
    /// and [`Error::path`] starts with `[index]`. Nothing of the batch was applied.
    #[error("event [{index}]: {source}")]
    InEvent {
        /// The event's position in the journal or batch, from 0.
        index: usize,
        /// Why it was refused.
        source: Box<Error>,
    },
}

/// The codes of [`Error`], one per variant but [`Error::InEvent`] (which takes its event's):
/// [`Error::CODES`], [`ErrorCode`] and [`Error::code`] are all generated from this one list,
/// and the match of [`Error::error_code`] has no catch-all, so a variant without a code
/// does not compile.
macro_rules! error_codes {
    ($($variant:ident => $code:literal,)*) => {
        /// The kind of an [`Error`], as [`Error::error_code`] gives it: one per variant but
        /// [`Error::InEvent`]. Deliberately not `#[non_exhaustive]`: a binding matches it
        /// without a catch-all, so a new code is a compile error there until it is handled.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ErrorCode {
            $(#[doc = concat!("`", $code, "`: [`Error::", stringify!($variant), "`].")] $variant,)*
        }

        impl ErrorCode {
            /// Every code, in the order of [`Error::CODES`].
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The stable slug, `"year_outside_period"`.
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code,)* }
            }
        }

        impl Error {
            /// Every code [`Error::code`] can return; the bindings' type declarations list the same.
            pub const CODES: &'static [&'static str] = &[$($code,)*];

            /// The kind of error; for [`Error::InEvent`], the kind of the event's own error.
            pub fn error_code(&self) -> ErrorCode {
                match self {
                    Error::InEvent { source, .. } => source.error_code(),
                    $(Error::$variant { .. } => ErrorCode::$variant,)*
                }
            }

            /// A stable slug naming the kind of error (`"year_outside_period"`); for
            /// [`Error::InEvent`], the code of the event's own error.
            pub fn code(&self) -> &'static str {
                self.error_code().as_str()
            }
        }
    };
}

error_codes! {
    Malformed => "malformed",
    Invalid => "invalid",
    InvalidValue => "invalid_value",
    MissingCount => "missing_count",
    CountsDateMismatch => "counts_date_mismatch",
    YearOutsidePeriod => "year_outside_period",
    KindNotPriced => "kind_not_priced",
    Overflow => "overflow",
    AdoptionRefused => "adoption_refused",
    IllegalTransition => "illegal_transition",
    NotAMember => "not_a_member",
    UnknownService => "unknown_service",
    UnknownEnte => "unknown_ente",
    UnknownEntry => "unknown_entry",
    DuplicateEvent => "duplicate_event",
    NoTariffOn => "no_tariff_on",
    TariffOverlap => "tariff_overlap",
    VersionConflict => "version_conflict",
}

impl Error {
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
            Error::IllegalTransition { .. } => Some("state".to_owned()),
            Error::NotAMember { .. } | Error::UnknownEnte { .. } => Some("ente".to_owned()),
            Error::UnknownService { .. } => Some("service".to_owned()),
            Error::UnknownEntry { entity, .. } => Some((*entity).to_owned()),
            Error::DuplicateEvent { .. } => Some("id".to_owned()),
            Error::NoTariffOn { .. } => Some("date".to_owned()),
            Error::TariffOverlap { .. } => Some("period".to_owned()),
            Error::VersionConflict { .. } => Some("expected_version".to_owned()),
            Error::InEvent { index, source } => Some(crate::json::join_path(
                &format!("[{index}]"),
                source.path().as_deref().unwrap_or(""),
            )),
        }
    }

    /// The document a [`Error::Malformed`] or [`Error::Invalid`] is about (`"tariff"`,
    /// `"ente"`, …), for the error itself or the event's own error; `None` for the others.
    pub fn document(&self) -> Option<&'static str> {
        match self.root() {
            Error::Malformed { document, .. } | Error::Invalid { document, .. } => Some(document),
            _ => None,
        }
    }

    /// The position of the event the error is about in a journal or a batch: the index of
    /// an [`Error::InEvent`] (an event refused), or of the event a journal that does not
    /// read fails in (a [`Error::Malformed`] `registry` at `[3].amount`); `None` otherwise.
    ///
    /// # Example
    /// ```
    /// let e = cit_core::Registry::from_json(r#"[{"type": "year_closed", "year": 2025},
    ///     {"type": "year_closed", "year": "x"}]"#).unwrap_err();
    /// assert_eq!(e.event_index(), Some(1));
    /// ```
    pub fn event_index(&self) -> Option<usize> {
        match self {
            Error::InEvent { index, .. } => Some(*index),
            Error::Malformed {
                document: "registry",
                path,
                ..
            } => path
                .strip_prefix('[')
                .and_then(|rest| rest.split_once(']'))
                .and_then(|(index, _)| index.parse().ok()),
            _ => None,
        }
    }

    /// The error itself, or for [`Error::InEvent`] the event's own error (what a binding
    /// chooses its exception class and problem list by).
    pub fn root(&self) -> &Error {
        match self {
            Error::InEvent { source, .. } => source.root(),
            other => other,
        }
    }

    /// The same error about a value the caller read from `path`: a value checked on its own
    /// (a [`Probability`](crate::analysis::Probability) names itself `probability`) is
    /// placed where it came from (`candidates[3].probability`). Only errors about one value
    /// ([`Error::InvalidValue`], [`Error::Overflow`]) move; the others are returned as they
    /// are.
    ///
    /// ```
    /// use cit_core::analysis::Probability;
    ///
    /// let e = "1.5".parse::<Probability>().unwrap_err();
    /// assert_eq!(e.path().as_deref(), Some("probability"));
    /// let e = e.at("candidates[3].probability");
    /// assert_eq!((e.code(), e.path().as_deref()), ("invalid_value", Some("candidates[3].probability")));
    /// ```
    #[must_use]
    pub fn at(self, path: impl Into<String>) -> Error {
        match self {
            Error::InvalidValue {
                expected, found, ..
            } => Error::InvalidValue {
                path: path.into(),
                expected,
                found,
            },
            Error::Overflow { operation, .. } => Error::Overflow {
                path: path.into(),
                operation,
            },
            other => other,
        }
    }

    /// An [`Error::InvalidValue`]: the value at `path` is out of its domain.
    pub(crate) fn invalid_value(
        path: impl Into<String>,
        expected: impl Into<String>,
        found: impl ToString,
    ) -> Error {
        Error::InvalidValue {
            path: path.into(),
            expected: expected.into(),
            found: found.to_string(),
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
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
            Error::IllegalTransition {
                entity: "membership",
                id: "m".into(),
                state: "withdrawn".into(),
                action: "approve",
                rule: Rule::Join,
            },
            Error::NotAMember {
                ente: "x".into(),
                service: "s".into(),
                date: NaiveDate::MIN,
            },
            Error::UnknownService {
                tariff: "t".into(),
                service: "s".into(),
            },
            Error::UnknownEnte { ente: "x".into() },
            Error::UnknownEntry {
                entity: "payment",
                id: "p".into(),
            },
            Error::DuplicateEvent {
                entity: "payment",
                id: "p".into(),
            },
            Error::NoTariffOn {
                date: NaiveDate::MIN,
            },
            Error::TariffOverlap {
                tariff: "a".into(),
                other: "b".into(),
                from: NaiveDate::MIN,
                to: NaiveDate::MAX,
            },
            Error::VersionConflict {
                expected: 3,
                actual: 4,
            },
        ];
        let codes: Vec<_> = samples.iter().map(Error::code).collect();
        assert_eq!(codes, Error::CODES);
        let kinds: Vec<_> = samples.iter().map(Error::error_code).collect();
        assert_eq!(kinds, ErrorCode::ALL);
    }

    #[test]
    fn r_journal_an_event_error_keeps_its_code_and_places_its_path() {
        let e = Error::InEvent {
            index: 7,
            source: Box::new(Error::InvalidValue {
                path: "amount".into(),
                expected: "an amount above zero".into(),
                found: "0.00".into(),
            }),
        };
        assert_eq!(e.code(), "invalid_value");
        assert_eq!(e.path().as_deref(), Some("[7].amount"));
        assert_eq!(e.root().code(), "invalid_value");
        assert!(matches!(e.root(), Error::InvalidValue { .. }));
        assert_eq!(
            e.to_string(),
            "event [7]: invalid value at `amount`: expected an amount above zero, found 0.00"
        );
    }

    #[test]
    fn illegal_transition_names_state_action_and_rule() {
        let e = Error::IllegalTransition {
            entity: "membership",
            id: "m1".into(),
            state: "withdrawn".into(),
            action: "approve",
            rule: Rule::Join,
        };
        assert_eq!(
            e.to_string(),
            "membership `m1` is withdrawn: cannot approve (R-JOIN)"
        );
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
