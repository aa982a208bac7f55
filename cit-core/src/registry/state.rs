//! The registry's state — the fold of its events — and the event dispatch: each event goes
//! to the aggregate it concerns (the catalogue of tariffs and enti, memberships,
//! subscriptions, billing, the ledger), which checks it and changes only itself.

use super::billing::Billing;
use super::catalogue::Catalogue;
use super::ledger::{Ledger, Payment};
use super::memberships::Memberships;
use super::pagopa::Notices;
use super::subscriptions::Subscriptions;
use super::{Event, PayerAgreement, non_empty};
use crate::Result;

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
