//! R-QUORUM: the presence a sitting needs to be valid (*quorum costitutivo*).

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::threshold::{Comparator, Fraction, Rounding};
use crate::{Error, Problem, Result, fmt_it};

/// How "la metà più uno dei componenti" reads for an odd number of members (R-QUORUM).
///
/// For an even number both readings give `n/2 + 1`. For an odd one, Italian case law
/// reads it as the whole number just above half, `⌊n/2⌋ + 1` (15 → 8; Consiglio di Stato
/// V 463/1987 and 8823/2007, TAR Liguria 239/2014): the default. The literal reading
/// rounds `n/2 + 1` up (15 → 9).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    /// `⌊n/2⌋ + 1`, the whole number just above half (case law; the default).
    #[default]
    WholeAboveHalf,
    /// `⌈n/2 + 1⌉`, half plus one rounded up (the literal reading).
    Literal,
}

impl Reading {
    /// The Italian name of the reading, for the minutes.
    pub fn italian(self) -> &'static str {
        match self {
            Reading::WholeAboveHalf => "intero superiore alla metà",
            Reading::Literal => "lettura letterale, n/2 + 1 arrotondato per eccesso",
        }
    }
}

crate::tagged::tagged_enum! {
/// The quorum rule of a board (R-QUORUM), as data.
///
/// In JSON: `{"kind": "half_plus_one", "reading": "whole_above_half"}` (the default),
/// `{"kind": "fraction", "fraction": "1/3", "rounding": "up"}`, or
/// `{"kind": "weighted", "fraction": "1/2", "comparator": "more_than"}`.
///
/// # Example
/// ```
/// use cit_core::governance::{Fraction, Quorum, Reading, Rounding};
///
/// // R-QUORUM: 15 members, "metà più uno": 8 by case law, 9 by the literal reading.
/// assert_eq!(Quorum::default().required(15), Some(8));
/// assert_eq!(Quorum::HalfPlusOne { reading: Reading::Literal }.required(15), Some(9));
/// // One third of 16, rounded up by default: 6.
/// let third = Quorum::Fraction { fraction: Fraction::ONE_THIRD, rounding: Rounding::Up };
/// assert_eq!(third.required(16), Some(6));
///
/// let check = Quorum::default().check(15, 9, None)?;
/// assert!(check.met);
/// assert_eq!(
///     check.to_string(),
///     "Presenti 9 su 15, necessari 8 (metà più uno dei componenti, \
///      intero superiore alla metà): numero legale raggiunto"
/// );
/// # Ok::<(), cit_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Quorum read as QuorumJson by "kind" {
    /// "La metà più uno dei componenti", in one of its two readings.
    HalfPlusOne {
        /// The reading; default [`Reading::WholeAboveHalf`].
        #[serde(default)]
        reading: Reading,
    },
    /// At least a fraction of the members ("un terzo", "due quinti", "due terzi").
    Fraction {
        /// The share of the members that must be present.
        fraction: Fraction,
        /// How the share becomes a whole number of members; default
        /// [`Rounding::Up`] (CdS I parere 129/2021).
        #[serde(default = "rounding_up")]
        rounding: Rounding,
    },
    /// A share of the members' weight must be present (weights snapshotted at the
    /// meeting date).
    Weighted {
        /// The share of the total weight.
        fraction: Fraction,
        /// More than (default) or at least the share.
        #[serde(default)]
        comparator: Comparator,
    },
}
}

fn rounding_up() -> Rounding {
    Rounding::Up
}

impl Default for Quorum {
    /// Half plus one of the members, read as the whole number just above half.
    fn default() -> Quorum {
        Quorum::HalfPlusOne {
            reading: Reading::WholeAboveHalf,
        }
    }
}

/// The weight of the members and of those present, for a weighted quorum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct WeightPresence {
    /// The total weight of the board's members.
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(serialize_with = "super::serde_util::decimal")]
    pub members: Decimal,
    /// The weight of the members present.
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(serialize_with = "super::serde_util::decimal")]
    pub present: Decimal,
}

impl Quorum {
    /// True if the quorum counts weight rather than heads.
    pub fn is_weighted(&self) -> bool {
        matches!(self, Quorum::Weighted { .. })
    }

    /// The reading of "metà più uno", for that rule; `None` for the others.
    pub fn reading(&self) -> Option<Reading> {
        match *self {
            Quorum::HalfPlusOne { reading } => Some(reading),
            _ => None,
        }
    }

    /// How many of `members` must be present (R-QUORUM); `None` for a weighted quorum,
    /// which counts weight instead. Never less than one: a sitting nobody attends is never
    /// valid. It may exceed `members` (the literal reading with one member needs two).
    pub fn required(&self, members: u64) -> Option<u64> {
        let required = match *self {
            Quorum::HalfPlusOne { reading } => {
                let rounding = match reading {
                    Reading::WholeAboveHalf => Rounding::Down,
                    Reading::Literal => Rounding::Up,
                };
                Fraction::HALF.required(members, Comparator::MoreThan, rounding)
            }
            Quorum::Fraction { fraction, rounding } => {
                fraction.required(members, Comparator::AtLeast, rounding)
            }
            Quorum::Weighted { .. } => return None,
        };
        Some(required.max(1))
    }

    /// Checks the quorum with `present` of `members` at the sitting (or at the vote), and
    /// their weights for a weighted quorum (ignored by the other rules).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] if more are present than there are members, if the quorum
    /// is weighted and `weight` is missing, if the weights sum to zero or the weight
    /// present is negative or above the total; [`Error::Overflow`] if the exact
    /// comparison of weights does not fit.
    pub fn check(
        &self,
        members: u64,
        present: u64,
        weight: Option<WeightPresence>,
    ) -> Result<QuorumCheck> {
        if present > members {
            return Err(Error::InvalidValue {
                path: "present".to_owned(),
                expected: format!("at most the {members} members"),
                found: present.to_string(),
            });
        }
        let (required, weight, met) = match *self {
            Quorum::Weighted {
                fraction,
                comparator,
            } => {
                let w = weight.ok_or_else(|| Error::InvalidValue {
                    path: "weights".to_owned(),
                    expected: "the weights of the members (the quorum is weighted)".to_owned(),
                    found: "none".to_owned(),
                })?;
                check_weights(w.members, w.present)?;
                let meets = fraction
                    .weight_meets(w.present, w.members, comparator)
                    .ok_or_else(|| {
                        Error::overflow(
                            "weights",
                            format!("{} × {fraction} against {}", w.members, w.present),
                        )
                    })?;
                (None, Some(w), present > 0 && meets)
            }
            _ => {
                let required = self.required(members).unwrap_or(1);
                (Some(required), None, present >= required)
            }
        };
        Ok(QuorumCheck {
            quorum: *self,
            members,
            present,
            required,
            weight,
            met,
        })
    }

    /// The rule in Italian, for the minutes: `"metà più uno dei componenti (intero
    /// superiore alla metà)"`.
    pub fn describe(&self) -> String {
        match *self {
            Quorum::HalfPlusOne { reading } => {
                format!("metà più uno dei componenti, {}", reading.italian())
            }
            Quorum::Fraction { fraction, rounding } => {
                if rounding.is_exact_for(Comparator::AtLeast) {
                    format!("almeno {fraction} dei componenti")
                } else {
                    format!(
                        "almeno {fraction} dei componenti, soglia {}",
                        rounding.italian()
                    )
                }
            }
            Quorum::Weighted {
                fraction,
                comparator,
            } => format!(
                "{} {fraction} del peso dei componenti",
                comparator.italian()
            ),
        }
    }

    /// Problems of the rule itself: a weighted quorum of more than the whole weight can
    /// never be met.
    pub(crate) fn problems(&self, path: &str, out: &mut Vec<Problem>) {
        if let Quorum::Weighted {
            fraction,
            comparator: Comparator::MoreThan,
        } = *self
        {
            if fraction.is_one() {
                out.push(Problem::new(
                    format!("{path}.fraction"),
                    "a share that can be met (more than the whole weight never is)",
                    format!("more_than {fraction}"),
                ));
            }
        }
    }
}

/// Checks that weights sum to more than zero and that a part lies within the total.
pub(crate) fn check_weights(total: Decimal, part: Decimal) -> Result<()> {
    if total <= Decimal::ZERO {
        return Err(Error::InvalidValue {
            path: "weights".to_owned(),
            expected: "member weights that sum to more than zero".to_owned(),
            found: total.to_string(),
        });
    }
    if (part.is_sign_negative() && !part.is_zero()) || part > total {
        return Err(Error::InvalidValue {
            path: "weights".to_owned(),
            expected: format!("a weight between 0 and the total, {total}"),
            found: part.to_string(),
        });
    }
    Ok(())
}

/// The outcome of a quorum check (R-QUORUM): present, required, the rule and its
/// reading, met or not. Its [`Display`](fmt::Display) is the sentence for the minutes.
///
/// Serialises as its fields, then `rule` ([`Quorum::describe`]) and `sentence` (its
/// `Display`): every binding gives the same object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuorumCheck {
    /// The rule applied (with its reading).
    pub quorum: Quorum,
    /// Members of the board.
    pub members: u64,
    /// Members present.
    pub present: u64,
    /// Members required; `None` for a weighted quorum.
    pub required: Option<u64>,
    /// The weights, for a weighted quorum.
    pub weight: Option<WeightPresence>,
    /// True if the sitting is valid.
    pub met: bool,
}

impl QuorumCheck {
    /// The reading of "metà più uno" used, if that is the rule.
    pub fn reading(&self) -> Option<Reading> {
        self.quorum.reading()
    }

    /// What is missing, in Italian (`"necessari 8"`), for sentences.
    pub(crate) fn need(&self) -> String {
        match self.required {
            Some(required) => needed(required),
            None => format!("necessario {}", self.quorum.describe()),
        }
    }
}

/// A [`QuorumCheck`] as its JSON writes it: its fields, the rule in words and the sentence
/// for the minutes.
#[derive(Serialize, schemars::JsonSchema)]
#[schemars(rename = "QuorumCheck")]
struct QuorumCheckJson<'a> {
    /// The quorum that applied.
    quorum: &'a Quorum,
    /// The members assigned.
    members: u64,
    /// The members present.
    present: u64,
    /// The members needed, for a quorum counted in heads.
    required: Option<u64>,
    /// The weights present and needed, for a quorum counted in weights.
    weight: Option<WeightPresence>,
    /// Whether the quorum was met.
    met: bool,
    /// The rule, in Italian.
    rule: String,
    /// The sentence for the minutes, in Italian.
    sentence: String,
}

impl schemars::JsonSchema for QuorumCheck {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "QuorumCheck".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        QuorumCheckJson::json_schema(generator)
    }
}

impl Serialize for QuorumCheck {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        QuorumCheckJson {
            quorum: &self.quorum,
            members: self.members,
            present: self.present,
            required: self.required,
            weight: self.weight,
            met: self.met,
            rule: self.quorum.describe(),
            sentence: self.to_string(),
        }
        .serialize(s)
    }
}

/// `"necessari 8"`, and `"necessario 1"` in the singular.
fn needed(required: u64) -> String {
    match required {
        1 => "necessario 1".to_owned(),
        n => format!("necessari {}", fmt_it::integer(n)),
    }
}

impl fmt::Display for QuorumCheck {
    /// `Presenti 9 su 15, necessari 8 (metà più uno dei componenti, intero superiore
    /// alla metà): numero legale raggiunto`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Presenti {} su {}",
            fmt_it::integer(self.present),
            fmt_it::integer(self.members)
        )?;
        match (self.required, self.weight) {
            (Some(required), _) => {
                write!(f, ", {} ({})", needed(required), self.quorum.describe())?;
            }
            (None, Some(w)) => write!(
                f,
                " con peso {} su {}, necessario {}",
                fmt_it::decimal(w.present, 0, fmt_it::ALL_DP),
                fmt_it::decimal(w.members, 0, fmt_it::ALL_DP),
                self.quorum.describe()
            )?,
            (None, None) => write!(f, ", necessario {}", self.quorum.describe())?,
        }
        let outcome = if self.met {
            "numero legale raggiunto"
        } else if self.required.is_some_and(|r| r > self.members) {
            "numero legale non raggiungibile (soglia superiore ai componenti)"
        } else {
            "numero legale non raggiunto"
        };
        write!(f, ": {outcome}")
    }
}
