//! Memberships (R-JOIN): the requests, delibere and conventions of the enti, with each
//! ente's memberships indexed so that "who is a member on this day" never walks them all.

use chrono::NaiveDate;

use super::catalogue::Catalogue;
use super::undo::{ByEnte, OfEnte};
use super::{Event, Membership, duplicate, non_empty};
use crate::tariff::Standing;
use crate::{Error, Result, Rule};

impl OfEnte for Membership {
    const ENTITY: &'static str = "membership";

    fn id(&self) -> &str {
        &self.id
    }

    fn ente(&self) -> &str {
        &self.ente
    }
}

/// Every membership, and each ente's memberships.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Memberships {
    entries: ByEnte<Membership>,
}

impl Memberships {
    pub(crate) fn get(&self, id: &str) -> Option<&Membership> {
        self.entries.get(id)
    }

    /// Every membership, by id.
    pub(crate) fn values(&self) -> impl Iterator<Item = &Membership> {
        self.entries.by_id().into_iter()
    }

    /// The memberships of `ente`, by id.
    pub(crate) fn of<'a>(&'a self, ente: &str) -> impl Iterator<Item = &'a Membership> {
        self.entries.of(ente)
    }

    /// The membership of `ente` active on `date`, if any.
    pub(crate) fn on(&self, ente: &str, date: NaiveDate) -> Option<&Membership> {
        self.of(ente).find(|m| m.active_on(date))
    }

    /// How `ente` stands on `date`, for pricing a service (R-JOIN, R-TIER).
    pub(crate) fn standing(&self, ente: &str, date: NaiveDate) -> Standing {
        match self
            .on(ente, date)
            .and_then(|m| Some((m, m.state.period()?)))
        {
            Some((m, (from, to))) => Standing::Member {
                membership: m.id.clone(),
                from,
                to,
            },
            None => Standing::NonMember,
        }
    }

    pub(crate) fn commit(&mut self) {
        self.entries.commit();
    }

    pub(crate) fn rollback(&mut self) {
        self.entries.rollback();
    }

    /// Applies a membership event (R-JOIN); any other event is left alone.
    pub(crate) fn apply(&mut self, event: &Event, catalogue: &Catalogue) -> Result<()> {
        match event {
            Event::MembershipRequested {
                membership,
                ente,
                date,
            } => {
                non_empty("membership", membership, "a non-empty membership id")?;
                catalogue.ente(ente)?;
                if self.entries.contains(membership) {
                    return Err(duplicate("membership", membership));
                }
                self.entries
                    .insert(Membership::request(membership, ente, *date));
            }
            Event::MembershipApproved {
                membership,
                delibera,
            } => {
                let mut m = self.entries.existing(membership)?;
                m.approve(delibera.clone(), None)?;
                self.entries.insert(m);
            }
            Event::UnioneApproved {
                unione,
                delibera,
                memberships,
            } => {
                catalogue.grouping(unione, "unione", Rule::Join)?;
                if memberships.is_empty() {
                    return Err(Error::InvalidValue {
                        path: "memberships".to_owned(),
                        expected: "at least one membership the Unione approves (R-JOIN)".to_owned(),
                        found: "[]".to_owned(),
                    });
                }
                // All or none: a refusal undoes the approvals already made.
                for id in memberships {
                    let mut m = self.entries.existing(id)?;
                    m.approve(delibera.clone(), Some(unione.clone()))?;
                    self.entries.insert(m);
                }
            }
            Event::ConventionSigned {
                membership,
                date,
                from,
                to,
            } => {
                let mut m = self.entries.existing(membership)?;
                let start = from.unwrap_or(*date);
                if let Some(other) = self.of(&m.ente).find(|o| {
                    o.id != m.id
                        && o.state
                            .period()
                            .is_some_and(|(f, t)| f <= *to && start <= t)
                }) {
                    return Err(Error::InvalidValue {
                        path: "to".to_owned(),
                        expected: format!(
                            "a period not overlapping membership `{}` of the same ente (R-JOIN)",
                            other.id
                        ),
                        found: format!("{start} to {to}"),
                    });
                }
                m.sign(*date, *from, *to)?;
                self.entries.insert(m);
            }
            Event::MembershipWithdrawn {
                membership,
                date,
                reason,
            } => {
                let mut m = self.entries.existing(membership)?;
                m.withdraw(*date, reason.clone())?;
                self.entries.insert(m);
            }
            Event::MembershipExpired { membership, date } => {
                let mut m = self.entries.existing(membership)?;
                m.expire(*date)?;
                self.entries.insert(m);
            }
            _ => {}
        }
        Ok(())
    }
}
