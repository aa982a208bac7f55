//! One event as a JSON document, for callers that append events one at a time (the
//! bindings, a portal's form).

use super::Event;
use crate::{Result, json};

impl Event {
    /// Reads one event (`{"type": "payment_received", …}`); unknown fields are refused.
    ///
    /// # Errors
    /// [`Error::Malformed`](crate::Error::Malformed) with the JSON path of the problem.
    ///
    /// # Example
    /// ```
    /// use cit_core::registry::Event;
    ///
    /// let e = Event::from_json(r#"{"type": "ente_registered", "ente":
    ///     {"id": "017001", "name": "Acquafredda", "kind": "comune", "abitanti": 1600, "imprese": 120}}"#)?;
    /// assert_eq!(Event::from_json(&e.to_json())?, e);
    /// assert_eq!(Event::from_json(r#"{"type": "nope"}"#).unwrap_err().code(), "malformed");
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Event> {
        json::parse("event", text)
    }

    /// The event as its JSON document.
    pub fn to_json(&self) -> String {
        json::to_string(self)
    }
}

impl Event {
    /// What the event records, as `(entity, id)`: the key under which a second, identical
    /// event is recognised as a retry (R-JOURNAL). `None` for events that may be repeated
    /// with the same content: a billing run (it bills what is new since the last one) and
    /// a capofila agreement (a later one replaces an earlier one).
    ///
    /// # Example
    /// ```
    /// use cit_core::registry::Event;
    ///
    /// let e = Event::YearClosed { year: 2025 };
    /// assert_eq!(e.identity(), Some(("year close", "2025".to_owned())));
    /// ```
    pub fn identity(&self) -> Option<(&'static str, String)> {
        Some(match self {
            Event::TariffAdopted { tariff } => ("tariff", tariff.id().to_owned()),
            Event::EnteRegistered { ente } => ("ente", ente.id.clone()),
            Event::MembershipRequested { membership, .. } => ("membership", membership.clone()),
            Event::MembershipApproved { membership, .. } => {
                ("membership approval", membership.clone())
            }
            Event::UnioneApproved {
                unione,
                delibera,
                memberships,
            } => (
                "unione approval",
                format!("{unione} {} {}", delibera.number, memberships.join(",")),
            ),
            Event::ConventionSigned { membership, .. } => ("convention", membership.clone()),
            Event::MembershipWithdrawn { membership, .. } => ("withdrawal", membership.clone()),
            Event::MembershipExpired { membership, .. } => ("expiry", membership.clone()),
            Event::SubscriptionRequested { subscription, .. } => {
                ("subscription", subscription.clone())
            }
            Event::SubscriptionActivated { subscription, .. } => {
                ("activation", subscription.clone())
            }
            Event::RenewalConfirmed {
                subscription, year, ..
            }
            | Event::RenewalDeclined {
                subscription, year, ..
            } => ("renewal", format!("{subscription} {year}")),
            Event::YearClosed { year } => ("year close", year.to_string()),
            Event::SubscriptionCancelled { subscription, .. } => {
                ("cancellation", subscription.clone())
            }
            Event::PaymentReceived { payment, .. } => ("payment", payment.clone()),
            Event::PaymentReversed { id, .. } => ("payment", id.clone()),
            Event::ChargeReversed { charge, .. } => ("charge reversal", charge.clone()),
            Event::PayerAgreed { .. } | Event::BillingRun { .. } => return None,
        })
    }
}
