//! The registry's events: what can happen to a CIT, as its journal records it (R-JOIN …
//! R-LEDGER), one event as a JSON document, and what applying one did (R-JOURNAL).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Delibera;
use crate::pagopa::Creditor;
use crate::{Ente, Money, Result, Tariff, json};

crate::tagged::tagged_enum! {
/// How a payment reached the creditor (R-NOTICE, R-RECONCILE).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Channel read as ChannelJson by "kind" {
    /// Through pagoPA, as a PSP's flusso di rendicontazione reports it: the payment of
    /// a notice ([`Registry::reconcile_flow`](super::Registry::reconcile_flow) writes it).
    Pagopa {
        /// The notice's IUV.
        iuv: String,
        /// The PSP's identificativo univoco di riscossione.
        iur: String,
        /// The `indiceDatiSingoloPagamento`, 1 to 5.
        index: u32,
        /// The `identificativoFlusso` of the flow that reported it.
        flow: String,
    },
    /// By *girofondo* on the Tesoreria Unica, between bodies of the state treasury
    /// system; the causale names the charge.
    Tesoreria {
        /// The causale of the transfer, as the treasury reports it.
        causale: String,
    },
}
}

crate::tagged::tagged_enum! {
/// How much of a member's quota its capofila pays (R-PAYER).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CapofilaShare read as CapofilaShareJson by "kind" {
    /// The whole quota.
    All,
    /// A percentage of the quota (`"50"` = 50 %), split by largest remainder.
    Percent {
        /// The percentage, 0 to 100.
        #[schemars(with = "crate::schema::DecimalText")]
        #[serde(with = "crate::decimal")]
        percent: Decimal,
    },
    /// A fixed amount of each member's quota (at most the quota).
    Fixed {
        /// The amount per member and year.
        amount: Money,
    },
}
}

/// A capofila's undertaking to pay part of its members' quotas from a year on (R-PAYER).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PayerAgreement {
    /// The Unione or Comunità Montana that pays.
    pub capofila: String,
    /// The members whose quotas it pays.
    pub members: Vec<String>,
    /// How much of each quota.
    pub share: CapofilaShare,
    /// The first year it applies to (a later agreement naming the same member replaces it).
    pub from_year: i32,
}

/// One of a condition charged on cancellation (R-CANCEL).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// What it is (`"Costi di avvio non recuperati"`).
    pub label: String,
    /// The amount, zero or more.
    pub amount: Money,
}

crate::tagged::tagged_enum! {
/// Something that happened, as recorded in the registry's journal. Serialised internally
/// tagged: `{"type": "membership_approved", …}`; unknown fields are refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event read as EventJson by "type" with read_fast {
    /// A tariff version is adopted; its period may not overlap another's (R-RUN).
    TariffAdopted {
        /// The whole tariff document.
        tariff: Box<Tariff>,
    },
    /// An ente is registered.
    EnteRegistered {
        /// The ente.
        ente: Ente,
    },
    /// An ente asks to join (R-JOIN).
    MembershipRequested {
        /// New membership id.
        membership: String,
        /// The ente.
        ente: String,
        /// Day of the request.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        date: NaiveDate,
    },
    /// The ente's delibera approves the convention scheme (R-JOIN).
    MembershipApproved {
        /// The membership.
        membership: String,
        /// The act.
        delibera: Delibera,
    },
    /// An Unione approves the convention for named members with one delibera (R-JOIN).
    UnioneApproved {
        /// The Unione (or Comunità Montana).
        unione: String,
        /// The Unione's act.
        delibera: Delibera,
        /// The members' requested memberships.
        memberships: Vec<String>,
    },
    /// The convention is signed (R-JOIN).
    ConventionSigned {
        /// The membership.
        membership: String,
        /// Day of signature.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        date: NaiveDate,
        /// A stated start, if not the signature.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schemars(with = "Option<crate::schema::Date>")]
        #[serde(with = "crate::date_serde::option")]
        from: Option<NaiveDate>,
        /// End of the convention period.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        to: NaiveDate,
    },
    /// The ente withdraws; `date` is its last day of membership (R-JOIN).
    MembershipWithdrawn {
        /// The membership.
        membership: String,
        /// Last day.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        date: NaiveDate,
        /// Why.
        reason: String,
    },
    /// The convention period is over (R-JOIN).
    MembershipExpired {
        /// The membership.
        membership: String,
        /// A day after the period.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        date: NaiveDate,
    },
    /// A formal request of a service (R-ACT).
    SubscriptionRequested {
        /// New subscription id.
        subscription: String,
        /// The ente.
        ente: String,
        /// The service's code in the tariff applying on `date`.
        service: String,
        /// Units (people, mailboxes, GB, look-ups); 1 for a flat service.
        quantity: u64,
        /// The contact person.
        contact: String,
        /// The people served, one unit each, if named.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        people: Vec<String>,
        /// Day of the request.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        date: NaiveDate,
    },
    /// The service is activated (canone) or delivered (una tantum) (R-ACT).
    SubscriptionActivated {
        /// The subscription.
        subscription: String,
        /// Day.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        date: NaiveDate,
    },
    /// The ente confirms a canone for `year` (R-RENEW).
    RenewalConfirmed {
        /// The subscription.
        subscription: String,
        /// The year renewed into.
        year: i32,
        /// Day of the confirmation.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        date: NaiveDate,
    },
    /// The ente declines to renew into `year` (R-RENEW).
    RenewalDeclined {
        /// The subscription.
        subscription: String,
        /// The year not renewed into.
        year: i32,
        /// Day.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        date: NaiveDate,
    },
    /// The close of a year: unconfirmed canoni lapse, tacit ones renew (R-RENEW).
    YearClosed {
        /// The year closed.
        year: i32,
    },
    /// A cancellation (*disdetta*) with its reason and conditions (R-CANCEL).
    SubscriptionCancelled {
        /// The subscription.
        subscription: String,
        /// Day.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        date: NaiveDate,
        /// Why.
        reason: String,
        /// Amounts charged for the early exit.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        conditions: Vec<Condition>,
    },
    /// A capofila undertakes to pay part of its members' quotas (R-PAYER).
    PayerAgreed {
        /// The Unione or Comunità Montana.
        capofila: String,
        /// The members.
        members: Vec<String>,
        /// How much.
        share: CapofilaShare,
        /// From which year.
        from_year: i32,
    },
    /// The yearly billing run (R-RUN).
    BillingRun {
        /// The year billed.
        year: i32,
        /// Day of issue.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        issued: NaiveDate,
        /// Due date of every charge issued.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        due: NaiveDate,
    },
    /// Money received (R-LEDGER).
    PaymentReceived {
        /// New payment id.
        payment: String,
        /// The paying ente.
        payer: String,
        /// Day received.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        date: NaiveDate,
        /// Amount.
        amount: Money,
        /// The charge it is meant for, if named.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        charge: Option<String>,
        /// How it was paid, if said: through pagoPA (a notice's IUV, R-RECONCILE) or by
        /// girofondo on the Tesoreria Unica (R-NOTICE); either names the charge. Boxed: most
        /// payments say none, and the journal keeps every event at the size of the largest.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        channel: Option<Box<Channel>>,
    },
    /// A correction: the charge is reversed by an opposite one (R-LEDGER).
    ChargeReversed {
        /// The charge.
        charge: String,
        /// Day.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        date: NaiveDate,
        /// Why.
        reason: String,
    },
    /// A correction: a payment recorded by mistake (wrong payer or amount, a bounced
    /// transfer) is reversed by an opposite entry `id`; the payment itself stays in the
    /// journal (R-LEDGER). A payment is reversed once.
    ///
    /// Its money is taken back, each step recorded as a negative [`Allocation`](super::Allocation) from `id`:
    /// (1) the charges it paid that are still in force become outstanding again by what it
    /// put on them (at most what is paid of them now); (2) the rest — the credit it
    /// produced, and what it had paid of charges reversed since — comes out of the payer's
    /// credit; (3) if that credit was already used on later charges, the payer's paid
    /// shares re-open newest first (latest due date, then latest day of issue, then last
    /// issued: the reverse of the oldest-first order) until the whole amount is taken
    /// back; (4) any credit left pays the re-opened shares oldest first. The payer's `paid` falls by the amount; `paid − credit =
    /// charged − outstanding` still holds and credit and debt never exist together.
    PaymentReversed {
        /// Id of the reversing entry (its own receipt number), unique among payments.
        id: String,
        /// The payment reversed.
        payment: String,
        /// Day, on or after the payment was received.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        date: NaiveDate,
        /// Why.
        reason: String,
    },
    /// The creditor's profile for pagoPA: its codice fiscale, name, codice di
    /// segregazione, IBAN and taxonomy codes (R-NOTICE). A later profile replaces it; its
    /// codice fiscale cannot change once a notice was issued.
    CreditorRegistered {
        /// The profile.
        creditor: Creditor,
    },
    /// The codice fiscale of an ente registered without one (R-NOTICE).
    CodiceFiscaleRecorded {
        /// The ente.
        ente: String,
        /// Its codice fiscale.
        codice_fiscale: String,
    },
    /// Every open payer share of a year's charges that has no notice gets one numero
    /// avviso, numbered on from the last (R-NOTICE). Issuing again adds only what is new.
    NoticesIssued {
        /// The charges' year.
        year: i32,
        /// Day of issue.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        date: NaiveDate,
    },
}
}

/// What [`Registry::apply`](super::Registry::apply) did with an event (R-JOURNAL).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Applied {
    /// Recorded at position `seq` of the journal (from 0): the version is now `seq + 1`.
    Recorded {
        /// Its position in the journal.
        seq: u64,
    },
    /// Identical to the event recorded at `seq` (a retry): nothing changed.
    AlreadyRecorded {
        /// The position of the identical event.
        seq: u64,
    },
    /// Accepted, but it changes nothing and is not recorded: a billing run of a year
    /// already billed (R-RUN), an issue of notices with no new share to give one, the
    /// creditor's profile as it stands (R-NOTICE).
    Unchanged,
}

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
        json::read_fast(text).map_err(|u| u.malformed("event"))
    }

    /// The event as its JSON document.
    pub fn to_json(&self) -> String {
        json::to_string(self)
    }
}

impl Event {
    /// The event's `type`, as its JSON document names it (`"payment_received"`).
    ///
    /// ```
    /// use cit_core::registry::Event;
    ///
    /// let e = Event::YearClosed { year: 2025 };
    /// assert!(e.to_json().starts_with(&format!(r#"{{"type":"{}""#, e.type_name())));
    /// ```
    pub fn type_name(&self) -> &'static str {
        match self {
            Event::TariffAdopted { .. } => "tariff_adopted",
            Event::EnteRegistered { .. } => "ente_registered",
            Event::MembershipRequested { .. } => "membership_requested",
            Event::MembershipApproved { .. } => "membership_approved",
            Event::UnioneApproved { .. } => "unione_approved",
            Event::ConventionSigned { .. } => "convention_signed",
            Event::MembershipWithdrawn { .. } => "membership_withdrawn",
            Event::MembershipExpired { .. } => "membership_expired",
            Event::SubscriptionRequested { .. } => "subscription_requested",
            Event::SubscriptionActivated { .. } => "subscription_activated",
            Event::RenewalConfirmed { .. } => "renewal_confirmed",
            Event::RenewalDeclined { .. } => "renewal_declined",
            Event::YearClosed { .. } => "year_closed",
            Event::SubscriptionCancelled { .. } => "subscription_cancelled",
            Event::PayerAgreed { .. } => "payer_agreed",
            Event::BillingRun { .. } => "billing_run",
            Event::PaymentReceived { .. } => "payment_received",
            Event::ChargeReversed { .. } => "charge_reversed",
            Event::PaymentReversed { .. } => "payment_reversed",
            Event::CreditorRegistered { .. } => "creditor_registered",
            Event::CodiceFiscaleRecorded { .. } => "codice_fiscale_recorded",
            Event::NoticesIssued { .. } => "notices_issued",
        }
    }

    /// What the event records, as `(entity, id)`: the key under which a second, identical
    /// event is recognised as a retry (R-JOURNAL). `None` for events that may be repeated
    /// with the same content: a billing run and an issue of notices (each adds what is new
    /// since the last one), a capofila agreement and a creditor's profile (a later one
    /// replaces an earlier one).
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
            Event::CodiceFiscaleRecorded { ente, .. } => ("codice fiscale", ente.clone()),
            Event::PayerAgreed { .. }
            | Event::BillingRun { .. }
            | Event::CreditorRegistered { .. }
            | Event::NoticesIssued { .. } => return None,
        })
    }

    /// The event as a journal stores it (R-JOURNAL): its type, its key and its canonical
    /// JSON, the text a durable journal keeps and hashes.
    ///
    /// # Example
    /// ```
    /// use cit_core::registry::Event;
    ///
    /// let entry = Event::YearClosed { year: 2025 }.journal_entry();
    /// assert_eq!(entry.r#type, "year_closed");
    /// assert_eq!(entry.key.as_deref(), Some("year close:2025"));
    /// assert_eq!(entry.event, r#"{"type":"year_closed","year":2025}"#);
    /// ```
    pub fn journal_entry(&self) -> JournalEntry {
        JournalEntry {
            r#type: self.type_name().to_owned(),
            key: self.identity().map(|(entity, id)| format!("{entity}:{id}")),
            event: self.to_json(),
        }
    }
}

/// One event as a journal stores it (R-JOURNAL), from [`Event::journal_entry`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct JournalEntry {
    /// The event's `type` ([`Event::type_name`]).
    pub r#type: String,
    /// What it records, `"entity:id"` ([`Event::identity`]): unique in a journal, so that an
    /// identical event again is a retry; `null` for the events that may repeat (a billing
    /// run, a capofila agreement, a creditor's profile, an issue of notices).
    pub key: Option<String>,
    /// The event's canonical JSON: the text stored and hashed.
    pub event: String,
}
