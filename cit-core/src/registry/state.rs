//! The registry's state — the fold of its events — and the event dispatch: each event goes
//! to the aggregate it concerns (the catalogue of tariffs and enti, memberships,
//! subscriptions, billing, the ledger), which checks it and changes only itself.

use chrono::NaiveDate;

use super::billing::Billing;
use super::ledger::{Ledger, Payment};
use super::memberships::Memberships;
use super::pagopa::Notices;
use super::subscriptions::Subscriptions;
use super::undo::{Keyed, Log, Lookup};
use super::{Event, PayerAgreement, duplicate, non_empty};
use crate::tariff::ServiceQuote;
use crate::{Ente, EnteKind, Error, Result, Rule, Tariff};

/// The tariff versions and the registered enti.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Catalogue {
    tariffs: Log<Tariff>,
    enti: Keyed<String, Ente>,
    /// Codice fiscale → the ente that has it: no two enti share one (R-NOTICE).
    codici_fiscali: Lookup<String, String>,
}

impl Catalogue {
    /// The tariff versions, in order of adoption.
    pub(crate) fn tariffs(&self) -> &[Tariff] {
        self.tariffs.as_slice()
    }

    /// The tariff version that applies on `date` (R-RUN).
    pub(crate) fn tariff_on(&self, date: NaiveDate) -> Result<&Tariff> {
        self.tariffs
            .as_slice()
            .iter()
            .find(|t| t.document().period.contains(date))
            .ok_or(Error::NoTariffOn { date })
    }

    /// A registered ente.
    pub(crate) fn ente(&self, id: &str) -> Result<&Ente> {
        self.enti.get(id).ok_or_else(|| Error::UnknownEnte {
            ente: id.to_owned(),
        })
    }

    /// A registered Unione di Comuni or Comunità Montana: the enti that approve the
    /// convention for their members (R-JOIN) and pay for them (R-PAYER). `path` and `rule`
    /// name the field and the rule in the error.
    pub(crate) fn grouping(&self, id: &str, path: &str, rule: Rule) -> Result<&Ente> {
        let ente = self.ente(id)?;
        if !matches!(ente.kind, EnteKind::Unione | EnteKind::ComunitaMontana) {
            return Err(Error::InvalidValue {
                path: path.to_owned(),
                expected: format!("an Unione di Comuni or Comunità Montana ({rule})"),
                found: format!("`{id}`, a {}", ente.kind),
            });
        }
        Ok(ente)
    }

    /// Every registered ente, by id.
    pub(crate) fn enti(&self) -> impl Iterator<Item = &Ente> {
        self.enti.values()
    }

    /// The ids of every registered ente, in order.
    pub(crate) fn ente_ids(&self) -> impl Iterator<Item = &String> {
        self.enti.keys()
    }

    /// Prices a service for a registered ente on a date, with the tariff of that date and
    /// the member price only if a membership is active on it (R-JOIN, R-TIER).
    pub(crate) fn price_service(
        &self,
        memberships: &Memberships,
        ente: &str,
        service: &str,
        quantity: u64,
        date: NaiveDate,
    ) -> Result<ServiceQuote> {
        let e = self.ente(ente)?;
        let tariff = self.tariff_on(date)?;
        tariff.price_service(
            e,
            service,
            quantity,
            &memberships.standing(ente, date),
            date,
        )
    }

    fn commit(&mut self) {
        self.tariffs.commit();
        self.enti.commit();
        self.codici_fiscali.commit();
    }

    fn rollback(&mut self) {
        self.tariffs.rollback();
        self.enti.rollback();
        self.codici_fiscali.rollback();
    }

    fn adopt(&mut self, tariff: &Tariff) -> Result<()> {
        let doc = tariff.document();
        for other in self.tariffs.as_slice() {
            if other.id() == tariff.id() {
                return Err(duplicate("tariff", tariff.id()));
            }
            let p = other.document().period;
            if doc.period.from <= p.to && p.from <= doc.period.to {
                return Err(Error::TariffOverlap {
                    tariff: tariff.id().to_owned(),
                    other: other.id().to_owned(),
                    from: doc.period.from,
                    to: doc.period.to,
                });
            }
        }
        self.tariffs.push(tariff.clone());
        Ok(())
    }

    fn register(&mut self, ente: &Ente) -> Result<()> {
        ente.validate()?;
        if self.enti.contains_key(&ente.id) {
            return Err(duplicate("ente", &ente.id));
        }
        if let Some(cf) = &ente.codice_fiscale {
            self.claim_codice_fiscale(cf, &ente.id, "ente.codice_fiscale")?;
        }
        self.enti.insert(ente.id.clone(), ente.clone());
        Ok(())
    }

    /// Records the codice fiscale of an ente registered without one (R-NOTICE).
    fn record_codice_fiscale(&mut self, id: &str, cf: &str) -> Result<()> {
        crate::pagopa::check_codice_fiscale(cf, "codice_fiscale")?;
        let mut ente = self.ente(id)?.clone();
        if let Some(had) = &ente.codice_fiscale {
            return Err(Error::IllegalTransition {
                entity: "ente",
                id: id.to_owned(),
                state: format!("recorded with the codice fiscale {had}"),
                action: "record another",
                rule: Rule::Notice,
            });
        }
        self.claim_codice_fiscale(cf, id, "codice_fiscale")?;
        ente.codice_fiscale = Some(cf.to_owned());
        self.enti.insert(id.to_owned(), ente);
        Ok(())
    }

    /// Gives `cf` to ente `id`, if no other ente has it.
    fn claim_codice_fiscale(&mut self, cf: &str, id: &str, path: &str) -> Result<()> {
        if let Some(other) = self.codici_fiscali.get(cf) {
            return Err(Error::InvalidValue {
                path: path.to_owned(),
                expected: "a codice fiscale no other ente has (R-NOTICE)".to_owned(),
                found: format!("{cf}, the codice fiscale of `{other}`"),
            });
        }
        self.codici_fiscali.insert(cf.to_owned(), id.to_owned());
        Ok(())
    }
}

/// The state of a registry: the fold of its events. Two registries with equal events have
/// equal states.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    pub(crate) catalogue: Catalogue,
    pub(crate) memberships: Memberships,
    pub(crate) subscriptions: Subscriptions,
    pub(crate) billing: Billing,
    pub(crate) ledger: Ledger,
    pub(crate) notices: Notices,
}

impl State {
    /// Applies one event; `Ok(false)` if it changes nothing and is not to be recorded. An
    /// event may change several aggregates and fail half-way: the caller then rolls them
    /// all back ([`State::rollback`]); nothing is copied.
    pub(crate) fn apply(&mut self, event: &Event) -> Result<bool> {
        let State {
            catalogue,
            memberships,
            subscriptions,
            billing,
            ledger,
            notices,
        } = self;
        match event {
            Event::TariffAdopted { tariff } => catalogue.adopt(tariff)?,
            Event::EnteRegistered { ente } => catalogue.register(ente)?,
            Event::MembershipRequested { .. }
            | Event::MembershipApproved { .. }
            | Event::UnioneApproved { .. }
            | Event::ConventionSigned { .. }
            | Event::MembershipWithdrawn { .. }
            | Event::MembershipExpired { .. } => memberships.apply(event, catalogue)?,
            Event::SubscriptionRequested { .. }
            | Event::SubscriptionActivated { .. }
            | Event::RenewalConfirmed { .. }
            | Event::RenewalDeclined { .. }
            | Event::YearClosed { .. }
            | Event::SubscriptionCancelled { .. } => {
                if let Some(charge) = subscriptions.apply(event, catalogue, memberships)? {
                    ledger.issue(charge)?;
                }
            }
            Event::PayerAgreed {
                capofila,
                members,
                share,
                from_year,
            } => billing.agree(
                PayerAgreement {
                    capofila: capofila.clone(),
                    members: members.clone(),
                    share: share.clone(),
                    from_year: *from_year,
                },
                catalogue,
            )?,
            Event::BillingRun { year, issued, due } => {
                return billing.run(
                    ledger,
                    catalogue,
                    memberships,
                    subscriptions,
                    *year,
                    (*issued, *due),
                );
            }
            Event::PaymentReceived {
                payment,
                payer,
                date,
                amount,
                charge,
                channel,
            } => {
                non_empty("payment", payment, "a non-empty payment id")?;
                catalogue.ente(payer)?;
                if let Some(channel) = channel {
                    notices.check_channel(channel, payer, charge.as_deref())?;
                }
                ledger.pay(Payment {
                    id: payment.clone(),
                    payer: payer.clone(),
                    date: *date,
                    amount: *amount,
                    charge: charge.clone(),
                    channel: channel.clone(),
                    reverses: None,
                    reason: None,
                })?;
                if let Some(channel) = channel {
                    notices.booked(channel, payment);
                }
            }
            Event::ChargeReversed {
                charge,
                date,
                reason,
            } => {
                non_empty("reason", reason, "the reason of the correction (R-LEDGER)")?;
                ledger.reverse(charge, *date, reason)?;
            }
            Event::PaymentReversed {
                id,
                payment,
                date,
                reason,
            } => {
                non_empty("id", id, "a non-empty id of the reversing entry")?;
                non_empty("reason", reason, "the reason of the correction (R-LEDGER)")?;
                ledger.reverse_payment(id, payment, *date, reason)?;
            }
            Event::CreditorRegistered { creditor } => return notices.register(creditor),
            Event::CodiceFiscaleRecorded {
                ente,
                codice_fiscale,
            } => catalogue.record_codice_fiscale(ente, codice_fiscale)?,
            Event::NoticesIssued { year, date } => {
                return notices.issue(*year, *date, ledger, catalogue);
            }
        }
        Ok(true)
    }

    /// Keeps every change since the last commit.
    pub(crate) fn commit(&mut self) {
        self.catalogue.commit();
        self.memberships.commit();
        self.subscriptions.commit();
        self.billing.commit();
        self.ledger.commit();
        self.notices.commit();
    }

    /// Undoes every change since the last commit: the state is exactly as it was then,
    /// indexes included.
    pub(crate) fn rollback(&mut self) {
        self.catalogue.rollback();
        self.memberships.rollback();
        self.subscriptions.rollback();
        self.billing.rollback();
        self.ledger.rollback();
        self.notices.rollback();
    }
}
