//! R-MAJORITY: the votes a motion needs (*quorum deliberativo*), modelled as data.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::quorum::{Quorum, QuorumCheck, WeightPresence};
use super::threshold::{Comparator, Fraction, Rounding};
use crate::{Error, Problem, Result, decimal, fmt_it};

/// What a majority is counted on (R-MAJORITY).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Base {
    /// Every member of the board, present or not ("maggioranza assoluta dei componenti").
    Members,
    /// The members present at the vote; abstentions and blank ballots count as
    /// [`Abstentions`] says ("maggioranza dei presenti").
    Present,
    /// Those who voted yes or no ("maggioranza dei votanti": yes > no).
    Voters,
}

impl Base {
    /// The Italian complement: `"dei presenti"`.
    pub fn italian(self) -> &'static str {
        match self {
            Base::Members => "dei componenti",
            Base::Present => "dei presenti",
            Base::Voters => "dei votanti",
        }
    }
}

/// How abstentions and blank ballots count when the base is [`Base::Present`]
/// (R-MAJORITY). For [`Base::Voters`] they are never votes cast; for [`Base::Members`]
/// they do not matter.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Abstentions {
    /// Abstainers are present, so they stay in the base and weigh as no: the literal
    /// reading of "a maggioranza dei presenti" (the default).
    #[default]
    WeighAsNo,
    /// Abstainers and blank ballots are left out of the base, as in the Camera dei
    /// deputati's rules.
    LeftOut,
}

/// A condition on head counts: `yes comparator rounding(base × fraction)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeadsRule {
    /// What the fraction is taken of.
    pub base: Base,
    /// The share of the base.
    pub fraction: Fraction,
    /// More than (default) or at least.
    #[serde(default)]
    pub comparator: Comparator,
    /// How the share becomes a whole number; default [`Rounding::Exact`].
    #[serde(default = "rounding_exact")]
    pub rounding: Rounding,
}

fn rounding_exact() -> Rounding {
    Rounding::Exact
}

/// A condition on weights (snapshotted at the meeting date): the weight voting yes
/// compared exactly with `fraction` of the base's weight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WeightsRule {
    /// Whose weight the fraction is taken of.
    pub base: Base,
    /// The share of that weight.
    pub fraction: Fraction,
    /// More than (default) or at least.
    #[serde(default)]
    pub comparator: Comparator,
}

/// A majority rule (R-MAJORITY), as data: a heads condition, a weights condition, or
/// both (a double majority), and how abstentions count. Whatever the rule, a tie never
/// passes: on each condition the rule has, the yes side must outnumber (heads) or outweigh
/// (weights) the no side. A condition the rule does not have is not looked at: under a
/// weights-only rule, 1 yes holding most of the weight against 4 no passes.
///
/// In JSON (the default, omitted fields take these values):
/// `{"heads": {"base": "present", "fraction": "1/2", "comparator": "more_than",
/// "rounding": "exact"}, "abstentions": "weigh_as_no"}`.
///
/// # Example
/// ```
/// use cit_core::governance::{Majority, Quorum, Tally};
///
/// let tally = Tally { members: 15, present: 9, yes: 6, no: 2, abstain: 1, blank: 0 };
/// let decision = Majority::of_present().decide(&Quorum::default(), &tally, None)?;
/// assert!(decision.passed());
/// assert_eq!(
///     decision.sentence,
///     "Presenti 9 su 15; favorevoli 6, contrari 2, astenuti 1: \
///      approvata a maggioranza dei presenti"
/// );
/// # Ok::<(), cit_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Majority {
    /// The condition on heads, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heads: Option<HeadsRule>,
    /// The condition on weights, if any; with `heads`, a double majority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<WeightsRule>,
    /// How abstentions and blank ballots count; default [`Abstentions::WeighAsNo`].
    #[serde(default)]
    pub abstentions: Abstentions,
}

impl Default for Majority {
    /// [`Majority::of_present`].
    fn default() -> Majority {
        Majority::of_present()
    }
}

const fn more_than_half(base: Base) -> HeadsRule {
    HeadsRule {
        base,
        fraction: Fraction::HALF,
        comparator: Comparator::MoreThan,
        rounding: Rounding::Exact,
    }
}

impl Majority {
    /// "A maggioranza dei presenti": more yes than half of those present at the vote,
    /// abstainers weighing as no (the default).
    pub const fn of_present() -> Majority {
        Majority {
            heads: Some(more_than_half(Base::Present)),
            weights: None,
            abstentions: Abstentions::WeighAsNo,
        }
    }

    /// "A maggioranza dei votanti": more yes than no.
    pub const fn of_voters() -> Majority {
        Majority {
            heads: Some(more_than_half(Base::Voters)),
            weights: None,
            abstentions: Abstentions::WeighAsNo,
        }
    }

    /// "A maggioranza assoluta dei componenti": more yes than half of all members.
    pub const fn absolute() -> Majority {
        Majority {
            heads: Some(more_than_half(Base::Members)),
            weights: None,
            abstentions: Abstentions::WeighAsNo,
        }
    }

    /// A qualified majority: at least `fraction` of `base`, rounded up ("due terzi dei
    /// presenti", "due terzi dei componenti").
    pub const fn qualified(fraction: Fraction, base: Base) -> Majority {
        Majority {
            heads: Some(HeadsRule {
                base,
                fraction,
                comparator: Comparator::AtLeast,
                rounding: Rounding::Up,
            }),
            weights: None,
            abstentions: Abstentions::WeighAsNo,
        }
    }

    /// A weighted majority: more than half of the weight of `base`, with the weights
    /// snapshotted at the meeting date.
    pub const fn weighted(base: Base) -> Majority {
        Majority {
            heads: None,
            weights: Some(WeightsRule {
                base,
                fraction: Fraction::HALF,
                comparator: Comparator::MoreThan,
            }),
            abstentions: Abstentions::WeighAsNo,
        }
    }

    /// A double majority: more than half of `base` by heads and by weight (TUEL art. 31
    /// c. 4: e.g. 22 of 40 members holding 269 of 493 shares).
    pub const fn double(base: Base) -> Majority {
        Majority {
            heads: Some(more_than_half(base)),
            weights: Some(WeightsRule {
                base,
                fraction: Fraction::HALF,
                comparator: Comparator::MoreThan,
            }),
            abstentions: Abstentions::WeighAsNo,
        }
    }

    /// True if the rule counts weights.
    pub fn is_weighted(&self) -> bool {
        self.weights.is_some()
    }

    /// The rule's Italian name, for the minutes: `"maggioranza dei presenti"`.
    pub fn name(&self) -> String {
        let mut name = match (self.heads, self.weights) {
            (Some(h), Some(w))
                if h.base == w.base
                    && h.fraction == w.fraction
                    && h.comparator == w.comparator
                    && h.rounding.is_exact_for(h.comparator) =>
            {
                format!("doppia {}, per teste e per peso", heads_name(h))
            }
            (Some(h), Some(w)) => format!("{} e {}", heads_name(h), weights_name(w)),
            (Some(h), None) => heads_name(h),
            (None, Some(w)) => weights_name(w),
            (None, None) => "nessuna maggioranza definita".to_owned(),
        };
        let present_base = self.heads.is_some_and(|h| h.base == Base::Present)
            || self.weights.is_some_and(|w| w.base == Base::Present);
        if present_base && self.abstentions == Abstentions::LeftOut {
            name.push_str(", astenuti e schede bianche non computati");
        }
        name
    }

    /// The name with its preposition: `"a maggioranza dei presenti"`,
    /// `"all'unanimità dei presenti"`.
    pub fn adverbial(&self) -> String {
        let name = self.name();
        if name.starts_with("unanimità") {
            format!("all'{name}")
        } else {
            format!("a {name}")
        }
    }

    /// Problems of the rule itself, under `path`.
    pub(crate) fn problems(&self, path: &str, out: &mut Vec<Problem>) {
        if self.heads.is_none() && self.weights.is_none() {
            out.push(Problem::new(
                path,
                "a heads or a weights condition (or both)",
                "neither",
            ));
        }
        let never = |fraction: Fraction, comparator| {
            comparator == Comparator::MoreThan && fraction.is_one()
        };
        if let Some(h) = self.heads {
            if never(h.fraction, h.comparator) {
                out.push(Problem::new(
                    format!("{path}.heads.fraction"),
                    "a share that can be met (more than the whole never is)",
                    format!("more_than {}", h.fraction),
                ));
            }
        }
        if let Some(w) = self.weights {
            if never(w.fraction, w.comparator) {
                out.push(Problem::new(
                    format!("{path}.weights.fraction"),
                    "a share that can be met (more than the whole never is)",
                    format!("more_than {}", w.fraction),
                ));
            }
        }
    }

    /// Decides a motion from its tally (R-MAJORITY), checking the quorum at the vote with
    /// `quorum` (R-QUORUM): without quorum the motion cannot pass. `weights` is needed
    /// when the rule or the quorum is weighted.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] if the tally does not add up (present is not yes + no +
    /// abstain + blank, or exceeds the members), if weights are needed and missing, sum
    /// to zero or do not add up; [`Error::Overflow`] if an exact product of weights does
    /// not fit.
    ///
    /// # Example
    /// ```
    /// use cit_core::governance::{Majority, Quorum, Tally};
    ///
    /// // R-MAJORITY: a tie never passes.
    /// let tie = Tally { members: 4, present: 4, yes: 2, no: 2, abstain: 0, blank: 0 };
    /// let decision = Majority::of_voters().decide(&Quorum::default(), &tie, None)?;
    /// assert!(!decision.passed());
    /// assert!(decision.sentence.ends_with("respinta per parità di voti"));
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn decide(
        &self,
        quorum: &Quorum,
        tally: &Tally,
        weights: Option<&WeightTally>,
    ) -> Result<Decision> {
        tally.check()?;
        let weights = if self.is_weighted() || quorum.is_weighted() {
            let w = weights.ok_or_else(|| Error::InvalidValue {
                path: "weights".to_owned(),
                expected: "the weights of the members (the rule is weighted)".to_owned(),
                found: "none".to_owned(),
            })?;
            w.check()?;
            Some(*w)
        } else {
            None
        };
        let quorum_check = quorum.check(
            tally.members,
            tally.present,
            weights.map(|w| WeightPresence {
                members: w.members,
                present: w.present,
            }),
        )?;

        let heads_check = self.heads.map(|h| {
            let base = self.heads_base(h.base, tally);
            let required = h.fraction.required(base, h.comparator, h.rounding);
            HeadsCheck {
                base,
                required,
                met: tally.yes >= required,
            }
        });
        let weights_check = match (self.weights, weights) {
            (Some(rule), Some(w)) => {
                let base = self.weights_base(rule.base, &w)?;
                let met = rule
                    .fraction
                    .weight_meets(w.yes, base, rule.comparator)
                    .ok_or_else(|| {
                        Error::overflow(
                            "weights",
                            format!("{} against {} × {}", w.yes, base, rule.fraction),
                        )
                    })?;
                Some(WeightsCheck {
                    base,
                    yes: w.yes,
                    met,
                })
            }
            _ => None,
        };

        let heads_tie = self.heads.is_some() && tally.yes == tally.no;
        let weights_tie = self.weights.is_some() && weights.is_some_and(|w| w.yes == w.no);
        let outnumbered = (self.heads.is_some() && tally.yes < tally.no)
            || (self.weights.is_some() && weights.is_some_and(|w| w.yes < w.no));
        let thresholds = heads_check.is_none_or(|h| h.met) && weights_check.is_none_or(|w| w.met);
        let outcome = if !quorum_check.met {
            Outcome::NoQuorum
        } else if heads_tie || weights_tie {
            Outcome::Tie
        } else if outnumbered || !thresholds {
            Outcome::Rejected
        } else {
            Outcome::Passed
        };

        let mut decision = Decision {
            majority: *self,
            quorum: quorum_check,
            tally: *tally,
            weights,
            heads_check,
            weights_check,
            outcome,
            sentence: String::new(),
        };
        decision.sentence = decision.compose();
        Ok(decision)
    }

    fn heads_base(&self, base: Base, t: &Tally) -> u64 {
        match base {
            Base::Members => t.members,
            Base::Present => match self.abstentions {
                Abstentions::WeighAsNo => t.present,
                Abstentions::LeftOut => t.yes.saturating_add(t.no),
            },
            Base::Voters => t.yes.saturating_add(t.no),
        }
    }

    fn weights_base(&self, base: Base, w: &WeightTally) -> Result<Decimal> {
        Ok(match base {
            Base::Members => w.members,
            Base::Present if self.abstentions == Abstentions::WeighAsNo => w.present,
            Base::Present | Base::Voters => decimal::add(w.yes, w.no)
                .ok_or_else(|| Error::overflow("weights", format!("{} + {}", w.yes, w.no)))?,
        })
    }
}

fn heads_name(h: HeadsRule) -> String {
    let base = h.base.italian();
    let core = if h.fraction.is_half() && h.comparator == Comparator::MoreThan {
        if h.base == Base::Members {
            format!("maggioranza assoluta {base}")
        } else {
            format!("maggioranza {base}")
        }
    } else if h.fraction.is_one() && h.comparator == Comparator::AtLeast {
        format!("unanimità {base}")
    } else if h.comparator == Comparator::AtLeast {
        format!("maggioranza qualificata dei {} {base}", h.fraction)
    } else {
        format!("maggioranza qualificata di oltre {} {base}", h.fraction)
    };
    if h.rounding.is_exact_for(h.comparator) {
        core
    } else {
        format!("{core} (soglia {})", h.rounding.italian())
    }
}

fn weights_name(w: WeightsRule) -> String {
    let base = w.base.italian();
    if w.fraction.is_half() && w.comparator == Comparator::MoreThan {
        format!("maggioranza ponderata {base}")
    } else {
        format!(
            "maggioranza ponderata di {} {} del peso {base}",
            w.comparator.italian(),
            w.fraction
        )
    }
}

/// The head count of a vote: members, present at the vote and how they voted.
/// `present` is always `yes + no + abstain + blank`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Tally {
    /// Members of the board.
    pub members: u64,
    /// Members present at the vote.
    pub present: u64,
    /// Votes in favour (*favorevoli*).
    pub yes: u64,
    /// Votes against (*contrari*).
    pub no: u64,
    /// Abstentions (*astenuti*).
    pub abstain: u64,
    /// Blank ballots (*schede bianche*).
    pub blank: u64,
}

impl Tally {
    /// Checks that the tally adds up.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] if `present` is not `yes + no + abstain + blank` or exceeds
    /// `members`.
    pub fn check(&self) -> Result<()> {
        let sum = self
            .yes
            .checked_add(self.no)
            .and_then(|s| s.checked_add(self.abstain))
            .and_then(|s| s.checked_add(self.blank));
        if sum != Some(self.present) {
            return Err(Error::InvalidValue {
                path: "tally.present".to_owned(),
                expected: "yes + no + abstain + blank".to_owned(),
                found: format!(
                    "{} present, {} + {} + {} + {} votes",
                    self.present, self.yes, self.no, self.abstain, self.blank
                ),
            });
        }
        if self.present > self.members {
            return Err(Error::InvalidValue {
                path: "tally.present".to_owned(),
                expected: format!("at most the {} members", self.members),
                found: self.present.to_string(),
            });
        }
        Ok(())
    }

    /// `Presenti 9 su 15; favorevoli 6, contrari 2, astenuti 1` (blank ballots only when
    /// there are some).
    pub fn sentence(&self) -> String {
        let n = fmt_it::integer;
        let mut s = format!(
            "Presenti {} su {}; favorevoli {}, contrari {}, astenuti {}",
            n(self.present),
            n(self.members),
            n(self.yes),
            n(self.no),
            n(self.abstain)
        );
        if self.blank > 0 {
            s.push_str(&format!(", schede bianche {}", n(self.blank)));
        }
        s
    }
}

/// The weights of a vote, snapshotted at the meeting date: the same split as [`Tally`].
/// `present` is always `yes + no + abstain + blank`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct WeightTally {
    /// Total weight of the members.
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(serialize_with = "super::serde_util::decimal")]
    pub members: Decimal,
    /// Weight present at the vote.
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(serialize_with = "super::serde_util::decimal")]
    pub present: Decimal,
    /// Weight voting yes.
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(serialize_with = "super::serde_util::decimal")]
    pub yes: Decimal,
    /// Weight voting no.
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(serialize_with = "super::serde_util::decimal")]
    pub no: Decimal,
    /// Weight abstaining.
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(serialize_with = "super::serde_util::decimal")]
    pub abstain: Decimal,
    /// Weight of blank ballots.
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(serialize_with = "super::serde_util::decimal")]
    pub blank: Decimal,
}

impl WeightTally {
    /// Checks that the weights are not negative, sum to more than zero and add up.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] naming the first weight that does not fit.
    pub fn check(&self) -> Result<()> {
        let parts = [
            ("yes", self.yes),
            ("no", self.no),
            ("abstain", self.abstain),
            ("blank", self.blank),
        ];
        for (name, value) in parts {
            if value.is_sign_negative() && !value.is_zero() {
                return Err(Error::InvalidValue {
                    path: format!("weights.{name}"),
                    expected: "a weight of zero or more".to_owned(),
                    found: value.to_string(),
                });
            }
        }
        super::quorum::check_weights(self.members, self.present)?;
        let sum = parts
            .iter()
            .try_fold(Decimal::ZERO, |acc, (_, v)| decimal::add(acc, *v));
        if sum != Some(self.present) {
            return Err(Error::InvalidValue {
                path: "weights.present".to_owned(),
                expected: "yes + no + abstain + blank".to_owned(),
                found: format!(
                    "{} present, {} + {} + {} + {}",
                    self.present, self.yes, self.no, self.abstain, self.blank
                ),
            });
        }
        Ok(())
    }
}

/// The heads condition of a decision: its base, the yes votes it needs, met or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct HeadsCheck {
    /// The size of the base (members, present or voters).
    pub base: u64,
    /// The yes votes needed.
    pub required: u64,
    /// True if the yes votes reach `required` (a tie still fails the motion).
    pub met: bool,
}

/// The weights condition of a decision: the base's weight, the yes weight, met or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct WeightsCheck {
    /// The weight of the base.
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(serialize_with = "super::serde_util::decimal")]
    pub base: Decimal,
    /// The weight voting yes.
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(serialize_with = "super::serde_util::decimal")]
    pub yes: Decimal,
    /// True if the yes weight meets the share (a tie still fails the motion).
    pub met: bool,
}

/// How a vote ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Approved (*approvata*).
    Passed,
    /// Not approved: the quorum did not hold at the vote (R-QUORUM).
    NoQuorum,
    /// Rejected: as many yes as no, by heads or by weight (a tie never passes).
    Tie,
    /// Rejected: the majority was not reached.
    Rejected,
}

/// The result of a vote (R-MAJORITY): passed or not, the counts, the thresholds, the rule
/// and the Italian sentence for the minutes. Its [`Display`](fmt::Display) is the sentence.
///
/// Serialises as its fields, then `passed` ([`Decision::passed`]) and `verdict`
/// ([`Decision::verdict`]): every binding gives the same object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The rule applied.
    pub majority: Majority,
    /// The quorum at the vote.
    pub quorum: QuorumCheck,
    /// The head count.
    pub tally: Tally,
    /// The weights, when the rule or the quorum is weighted.
    pub weights: Option<WeightTally>,
    /// The heads condition, if the rule has one.
    pub heads_check: Option<HeadsCheck>,
    /// The weights condition, if the rule has one.
    pub weights_check: Option<WeightsCheck>,
    /// How it ended.
    pub outcome: Outcome,
    /// What the minutes say: `"Presenti 9 su 15; favorevoli 6, contrari 2, astenuti 1:
    /// approvata a maggioranza dei presenti"`.
    pub sentence: String,
}

impl Decision {
    /// True if the motion passed.
    pub fn passed(&self) -> bool {
        self.outcome == Outcome::Passed
    }

    /// The outcome in a few Italian words: `"approvata a maggioranza dei presenti"`.
    pub fn verdict(&self) -> String {
        let t = &self.tally;
        match self.outcome {
            Outcome::Passed => format!("approvata {}", self.majority.adverbial()),
            Outcome::NoQuorum => format!(
                "non approvata, manca il numero legale ({})",
                self.quorum.need()
            ),
            Outcome::Tie => {
                let heads_tie = self.majority.heads.is_some() && t.yes == t.no;
                if heads_tie && t.yes == 0 {
                    "respinta, nessun voto favorevole".to_owned()
                } else if heads_tie {
                    "respinta per parità di voti".to_owned()
                } else {
                    "respinta per parità di peso".to_owned()
                }
            }
            Outcome::Rejected => {
                let w = self.weights;
                if let Some(h) = self.heads_check.filter(|h| !h.met) {
                    let votes = match h.required {
                        1 => "necessario almeno 1 voto favorevole".to_owned(),
                        n => format!("necessari almeno {} voti favorevoli", fmt_it::integer(n)),
                    };
                    format!("respinta: {votes} ({})", self.majority.name())
                } else if let (Some(rule), Some(_)) =
                    (self.majority.weights, self.weights_check.filter(|c| !c.met))
                {
                    format!(
                        "respinta: necessario {} {} del peso {} ({})",
                        rule.comparator.italian(),
                        rule.fraction,
                        rule.base.italian(),
                        self.majority.name()
                    )
                } else if self.majority.heads.is_some() && t.yes < t.no {
                    "respinta, contrari più numerosi dei favorevoli".to_owned()
                } else if w.is_some_and(|w| w.yes < w.no) {
                    "respinta, peso dei contrari superiore a quello dei favorevoli".to_owned()
                } else {
                    "respinta".to_owned()
                }
            }
        }
    }

    fn compose(&self) -> String {
        let mut s = self.tally.sentence();
        if let (Some(rule), Some(c)) = (self.majority.weights, self.weights_check) {
            s.push_str(&format!(
                "; peso favorevole {} su {} {}",
                fmt_it::decimal(c.yes, 0, fmt_it::ALL_DP),
                fmt_it::decimal(c.base, 0, fmt_it::ALL_DP),
                rule.base.italian()
            ));
        }
        s.push_str(": ");
        s.push_str(&self.verdict());
        s
    }
}

/// A [`Decision`] as its JSON writes it: its fields, whether it passed and the verdict.
#[derive(Serialize, schemars::JsonSchema)]
#[schemars(rename = "Decision")]
struct DecisionJson<'a> {
    /// The majority that applied.
    majority: &'a Majority,
    /// The quorum at the vote.
    quorum: &'a QuorumCheck,
    /// The votes.
    tally: &'a Tally,
    /// The votes by weight, for a weighted majority.
    weights: Option<WeightTally>,
    /// The heads of a double majority.
    heads_check: Option<HeadsCheck>,
    /// The weights of a double majority.
    weights_check: Option<WeightsCheck>,
    /// The outcome.
    outcome: Outcome,
    /// The sentence for the minutes, in Italian.
    sentence: &'a str,
    /// Whether the motion passed.
    passed: bool,
    /// The verdict, in Italian.
    verdict: String,
}

impl schemars::JsonSchema for Decision {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Decision".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        DecisionJson::json_schema(generator)
    }
}

impl Serialize for Decision {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        DecisionJson {
            majority: &self.majority,
            quorum: &self.quorum,
            tally: &self.tally,
            weights: self.weights,
            heads_check: self.heads_check,
            weights_check: self.weights_check,
            outcome: self.outcome,
            sentence: &self.sentence,
            passed: self.passed(),
            verdict: self.verdict(),
        }
        .serialize(s)
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sentence)
    }
}
