//! Subscriptions (R-ACT), their renewals (R-RENEW) and cancellations (R-CANCEL), with each
//! ente's subscriptions indexed for the billing run.

use chrono::{Datelike, Days, NaiveDate};

use super::catalogue::Catalogue;
use super::memberships::Memberships;
use super::undo::{ByEnte, Keyed, OfEnte};
use super::{
    CANCELLATION_DUE_DAYS, Charge, ChargeKind, Condition, Event, RenewalItem, RenewalStatus,
    Subscription, SubscriptionState, duplicate, non_empty,
};
use crate::tariff::{Billing, Renewal};
use crate::{Error, QuoteLine, Result, Rule};

impl OfEnte for Subscription {
    const ENTITY: &'static str = "subscription";

    fn id(&self) -> &str {
        &self.id
    }

    fn ente(&self) -> &str {
        &self.ente
    }
}

/// Every subscription, each ente's subscriptions, and the years closed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Subscriptions {
    entries: ByEnte<Subscription>,
    closed_years: Keyed<i32, ()>,
}

impl Subscriptions {
    pub(crate) fn get(&self, id: &str) -> Option<&Subscription> {
        self.entries.get(id)
    }

    /// Every subscription, by id.
    pub(crate) fn values(&self) -> impl Iterator<Item = &Subscription> {
        self.entries.by_id().into_iter()
    }

    /// The subscriptions of `ente`, by id.
    pub(crate) fn of<'a>(&'a self, ente: &str) -> impl Iterator<Item = &'a Subscription> {
        self.entries.of(ente)
    }

    pub(crate) fn commit(&mut self) {
        self.entries.commit();
        self.closed_years.commit();
    }

    pub(crate) fn rollback(&mut self) {
        self.entries.rollback();
        self.closed_years.rollback();
    }

    /// Applies a subscription event (R-ACT, R-RENEW, R-CANCEL); any other event is left
    /// alone. A cancellation with conditions returns the charge of its conditions, for
    /// the ledger.
    pub(crate) fn apply(
        &mut self,
        event: &Event,
        catalogue: &Catalogue,
        memberships: &Memberships,
    ) -> Result<Option<Charge>> {
        match event {
            Event::SubscriptionRequested {
                subscription,
                ente,
                service,
                quantity,
                contact,
                people,
                date,
            } => {
                non_empty("subscription", subscription, "a non-empty subscription id")?;
                if self.entries.contains(subscription) {
                    return Err(duplicate("subscription", subscription));
                }
                non_empty("contact", contact, "a contact person (R-ACT)")?;
                if *quantity == 0 {
                    return Err(Error::InvalidValue {
                        path: "quantity".to_owned(),
                        expected: "at least 1 (R-ACT)".to_owned(),
                        found: "0".to_owned(),
                    });
                }
                if !people.is_empty() && u64::try_from(people.len()).ok() != Some(*quantity) {
                    return Err(Error::InvalidValue {
                        path: "people".to_owned(),
                        expected: format!("one person per unit, {quantity} (R-ACT)"),
                        found: people.len().to_string(),
                    });
                }
                // Priced now, so that a request the catalogue refuses is refused here.
                catalogue.price_service(memberships, ente, service, *quantity, *date)?;
                let offered = catalogue.tariff_on(*date)?.service(service)?;
                self.entries.insert(Subscription {
                    id: subscription.clone(),
                    ente: ente.clone(),
                    service: service.clone(),
                    billing: offered.billing,
                    renewal: offered.renewal,
                    quantity: *quantity,
                    contact: contact.clone(),
                    people: people.clone(),
                    requested: *date,
                    state: SubscriptionState::Requested,
                });
            }
            Event::SubscriptionActivated { subscription, date } => {
                let mut s = self.entries.existing(subscription)?;
                s.activate(*date)?;
                // R-MEMBERS-ONLY holds on the day of activation too.
                catalogue.price_service(memberships, &s.ente, &s.service, s.quantity, *date)?;
                self.entries.insert(s);
            }
            Event::RenewalConfirmed {
                subscription, year, ..
            } => {
                let mut s = self.entries.existing(subscription)?;
                s.confirm(*year)?;
                self.entries.insert(s);
            }
            Event::RenewalDeclined {
                subscription, year, ..
            } => {
                let mut s = self.entries.existing(subscription)?;
                s.decline(*year)?;
                self.entries.insert(s);
            }
            Event::YearClosed { year } => {
                if self.closed_years.contains_key(year) {
                    return Err(duplicate("year close", &year.to_string()));
                }
                self.closed_years.insert(*year, ());
                let closing: Vec<Subscription> = self
                    .entries
                    .iter()
                    .filter(|s| s.closes_in(*year))
                    .map(|s| {
                        let mut closed = s.clone();
                        closed.close_year(*year);
                        closed
                    })
                    .collect();
                for s in closing {
                    self.entries.insert(s);
                }
            }
            Event::SubscriptionCancelled {
                subscription,
                date,
                reason,
                conditions,
            } => {
                non_empty(
                    "reason",
                    reason,
                    "the reason of the cancellation (R-CANCEL)",
                )?;
                let mut s = self.entries.existing(subscription)?;
                s.cancel(*date, reason.clone())?;
                let charge = conditions_charge(&s, catalogue, *date, reason, conditions)?;
                self.entries.insert(s);
                return Ok(charge);
            }
            _ => {}
        }
        Ok(None)
    }

    /// The renewal campaign for `year` (R-RENEW): every canone that renews on confirmation
    /// and covered `year − 1`, with its answer.
    pub(crate) fn renewal_campaign(&self, year: i32) -> Vec<RenewalItem> {
        let Some(previous) = year.checked_sub(1) else {
            return Vec::new();
        };
        self.entries
            .by_id()
            .into_iter()
            .filter(|s| s.billing == Billing::Canone && s.renewal == Renewal::Confirm)
            .filter_map(|s| {
                let status = match &s.state {
                    SubscriptionState::Active { from, through } if from.year() <= previous => {
                        if *through == previous {
                            RenewalStatus::Pending
                        } else if *through >= year {
                            RenewalStatus::Confirmed
                        } else {
                            return None;
                        }
                    }
                    SubscriptionState::Lapsed {
                        through, declined, ..
                    } if *through == previous => {
                        if *declined {
                            RenewalStatus::Declined
                        } else {
                            RenewalStatus::Lapsed
                        }
                    }
                    _ => return None,
                };
                Some(RenewalItem {
                    subscription: s.id.clone(),
                    ente: s.ente.clone(),
                    service: s.service.clone(),
                    status,
                })
            })
            .collect()
    }
}

/// The charge of a cancellation's conditions (R-CANCEL), due [`CANCELLATION_DUE_DAYS`]
/// after the cancellation; `None` without conditions.
fn conditions_charge(
    s: &Subscription,
    catalogue: &Catalogue,
    date: NaiveDate,
    reason: &str,
    conditions: &[Condition],
) -> Result<Option<Charge>> {
    if conditions.is_empty() {
        return Ok(None);
    }
    let mut lines = Vec::new();
    for (i, c) in conditions.iter().enumerate() {
        if c.amount.is_negative() {
            return Err(Error::InvalidValue {
                path: format!("conditions[{i}].amount"),
                expected: "an amount of zero or more (R-CANCEL)".to_owned(),
                found: c.amount.to_plain_string(),
            });
        }
        lines.push(QuoteLine {
            rule: Rule::Cancel,
            label: c.label.clone(),
            amount: c.amount,
        });
    }
    let due = date
        .checked_add_days(Days::new(CANCELLATION_DUE_DAYS))
        .unwrap_or(date);
    let charge = Charge::new(
        format!("D-{}", s.id),
        ChargeKind::Disdetta,
        &s.ente,
        date.year(),
        (date, due),
        lines,
        format!("Condizioni della disdetta del {date}: {reason} (R-CANCEL)"),
    )
    .map_err(|_| Error::overflow("conditions", "sum of the conditions"))?
    .for_subscription(&s.id, &s.service)
    .priced_by(catalogue.tariff_on(date).ok().map(|t| t.id()));
    Ok(Some(charge))
}
