//! The registry of a CIT: tariff versions, enti, memberships, subscriptions and the ledger,
//! kept as an append-only list of events whose fold is the state (R-JOIN … R-LEDGER).

mod billing;
mod event_json;
mod ledger;
mod lifecycle;

pub use ledger::{
    Allocation, Balance, Charge, ChargeKind, PayerShare, Payment, split_largest_remainder,
};
pub use lifecycle::{Delibera, Membership, MembershipState, Subscription, SubscriptionState};

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::tariff::{Billing, Renewal, ServiceQuote, Standing};
use crate::{Ente, EnteKind, Error, Money, QuoteLine, Result, Rule, Tariff, json};

/// Days between a cancellation and the due date of its conditions (R-CANCEL).
pub const CANCELLATION_DUE_DAYS: u64 = 30;

crate::tagged::tagged_enum! {
/// How much of a member's quota its capofila pays (R-PAYER).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CapofilaShare read as CapofilaShareJson by "kind" {
    /// The whole quota.
    All,
    /// A percentage of the quota (`"50"` = 50 %), split by largest remainder.
    Percent {
        /// The percentage, 0 to 100.
        #[serde(with = "crate::decimal_serde")]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event read as EventJson by "type" {
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
        #[serde(with = "crate::date_serde")]
        date: NaiveDate,
        /// A stated start, if not the signature.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[serde(with = "crate::date_serde::option")]
        from: Option<NaiveDate>,
        /// End of the convention period.
        #[serde(with = "crate::date_serde")]
        to: NaiveDate,
    },
    /// The ente withdraws; `date` is its last day of membership (R-JOIN).
    MembershipWithdrawn {
        /// The membership.
        membership: String,
        /// Last day.
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
        #[serde(with = "crate::date_serde")]
        date: NaiveDate,
    },
    /// The service is activated (canone) or delivered (una tantum) (R-ACT).
    SubscriptionActivated {
        /// The subscription.
        subscription: String,
        /// Day.
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
        #[serde(with = "crate::date_serde")]
        issued: NaiveDate,
        /// Due date of every charge issued.
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
        #[serde(with = "crate::date_serde")]
        date: NaiveDate,
        /// Amount.
        amount: Money,
        /// The charge it is meant for, if named.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        charge: Option<String>,
    },
    /// A correction: the charge is reversed by an opposite one (R-LEDGER).
    ChargeReversed {
        /// The charge.
        charge: String,
        /// Day.
        #[serde(with = "crate::date_serde")]
        date: NaiveDate,
        /// Why.
        reason: String,
    },
    /// A correction: a payment recorded by mistake (wrong payer or amount, a bounced
    /// transfer) is reversed by an opposite entry `id`; the payment itself stays in the
    /// journal (R-LEDGER). A payment is reversed once.
    ///
    /// Its money is taken back, each step recorded as a negative [`Allocation`] from `id`:
    /// (1) the charges it paid that are still in force become outstanding again by what it
    /// put on them; (2) the rest — the credit it produced, and what it had paid of charges
    /// reversed since — comes out of the payer's credit; (3) if that credit was already
    /// used on later charges, the payer's paid shares re-open newest first (latest due
    /// date, then latest day of issue, then last issued: the reverse of the oldest-first
    /// order) until the whole amount is taken back; (4) any credit left pays the re-opened
    /// shares oldest first. The payer's `paid` falls by the amount; `paid − credit =
    /// charged − outstanding` still holds and credit and debt never exist together.
    PaymentReversed {
        /// Id of the reversing entry (its own receipt number), unique among payments.
        id: String,
        /// The payment reversed.
        payment: String,
        /// Day, on or after the payment was received.
        #[serde(with = "crate::date_serde")]
        date: NaiveDate,
        /// Why.
        reason: String,
    },
}
}

/// A canone awaiting confirmation in a renewal campaign, and where it stands (R-RENEW).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RenewalItem {
    /// The subscription.
    pub subscription: String,
    /// The ente.
    pub ente: String,
    /// The service's code.
    pub service: String,
    /// Where it stands.
    pub status: RenewalStatus,
}

/// Where a subscription stands in a renewal campaign (R-RENEW).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RenewalStatus {
    /// No answer yet: lapses at the year's close.
    Pending,
    /// Confirmed: renews and will be charged.
    Confirmed,
    /// Declined by the ente.
    Declined,
    /// Lapsed without confirmation.
    Lapsed,
}

/// The state of a registry: the fold of its events. Two registries with equal events have
/// equal states.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    tariffs: Vec<Tariff>,
    enti: BTreeMap<String, Ente>,
    memberships: BTreeMap<String, Membership>,
    subscriptions: BTreeMap<String, Subscription>,
    agreements: Vec<PayerAgreement>,
    closed_years: BTreeSet<i32>,
    /// Billing key → how many charges were issued under it (re-issued after a reversal).
    billed: BTreeMap<String, u32>,
    ledger: ledger::Ledger,
}

/// The registry of a CIT: an append-only list of [`Event`]s and the state they fold to.
///
/// [`Registry::apply`] checks an event against the state; an event that breaks a rule is
/// refused with an error and nothing is appended or changed. [`Registry::to_json`] and
/// [`Registry::from_json`] write and replay the journal: the replayed registry is equal to
/// the original.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use cit_core::{Delibera, Ente, Event, Registry, Tariff};
///
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let tariff = Tariff::from_json(include_str!("../../../examples/tariffs/bs-2021-services.json"))?;
/// let mut cit = Registry::new();
/// cit.apply(Event::TariffAdopted { tariff: Box::new(tariff) })?;
/// cit.apply(Event::EnteRegistered { ente: Ente::comune("017001", "Acquafredda", 1_600, 120) })?;
/// cit.apply(Event::MembershipRequested { membership: "A-1".into(), ente: "017001".into(), date: d(2021, 1, 10) })?;
/// cit.apply(Event::MembershipApproved { membership: "A-1".into(), delibera: Delibera {
///     number: "4/2021".into(), date: d(2021, 1, 20), organ: "Consiglio comunale".into() } })?;
/// cit.apply(Event::ConventionSigned { membership: "A-1".into(), date: d(2021, 1, 25), from: None, to: d(2025, 12, 31) })?;
/// let issued = cit.billing_run(2021, d(2021, 3, 1), d(2021, 4, 30))?;
/// // 1.600 × 0,15 + 120 × 1,00 = 360,00, full year (the membership started in January)
/// assert_eq!(cit.charge(&issued[0]).unwrap().amount.to_string(), "€ 360,00");
/// // Running the same year again adds nothing.
/// assert!(cit.billing_run(2021, d(2021, 3, 2), d(2021, 4, 30))?.is_empty());
/// let replayed = Registry::from_json(&cit.to_json())?;
/// assert_eq!(replayed, cit);
/// # Ok::<(), cit_core::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Registry {
    events: Vec<Event>,
    /// What each event with an identity records → its position, the first time.
    identities: BTreeMap<(&'static str, String), u64>,
    state: State,
}

/// Two registries are equal when their journals are: the state is their fold.
impl PartialEq for Registry {
    fn eq(&self, other: &Registry) -> bool {
        self.events == other.events && self.state == other.state
    }
}

impl Eq for Registry {}

/// What [`Registry::apply`] did with an event (R-JOURNAL).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
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
    /// already billed (R-RUN).
    Unchanged,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Replays events in order. A journal never holds the same event twice: an event
    /// identical to one already replayed is refused as [`Error::DuplicateEvent`].
    ///
    /// # Errors
    /// The first event refused, as [`Registry::apply`] reports it, inside
    /// [`Error::InEvent`] with its position.
    pub fn from_events(events: impl IntoIterator<Item = Event>) -> Result<Registry> {
        let mut r = Registry::new();
        for (index, e) in events.into_iter().enumerate() {
            let identity = e.identity();
            let applied = r.apply(e).map_err(|source| Error::InEvent {
                index,
                source: Box::new(source),
            })?;
            if let (Applied::AlreadyRecorded { .. }, Some((entity, id))) = (applied, identity) {
                return Err(Error::InEvent {
                    index,
                    source: Box::new(Error::DuplicateEvent { entity, id }),
                });
            }
        }
        Ok(r)
    }

    /// Reads a journal (a JSON array of events) and replays it.
    ///
    /// # Errors
    /// [`Error::Malformed`] with the JSON path of a bad event; any refusal of the replay,
    /// as [`Registry::from_events`] reports it.
    pub fn from_json(text: &str) -> Result<Registry> {
        let events: Vec<Event> = json::parse("registry", text)?;
        Registry::from_events(events)
    }

    /// The journal as a JSON array of events.
    pub fn to_json(&self) -> String {
        json::to_string(&self.events)
    }

    /// The number of events recorded: the journal's version. An append that names the
    /// version it expects ([`Registry::apply_expecting`], [`Registry::apply_all`]) is
    /// refused if another writer changed it first (R-JOURNAL).
    pub fn version(&self) -> u64 {
        u64::try_from(self.events.len()).unwrap_or(u64::MAX)
    }

    /// Applies an event: checks it against every rule, then appends it. An event that
    /// breaks a rule is refused and nothing changes. An event identical to one already
    /// recorded (a retry) changes nothing and is reported as
    /// [`Applied::AlreadyRecorded`]; one with the same id but other content is refused as
    /// [`Error::DuplicateEvent`]. A billing run that would issue nothing (the year was
    /// already billed, R-RUN) is not appended ([`Applied::Unchanged`]).
    ///
    /// # Errors
    /// [`Error::DuplicateEvent`], [`Error::UnknownEnte`], [`Error::UnknownEntry`],
    /// [`Error::IllegalTransition`], [`Error::NotAMember`], [`Error::TariffOverlap`],
    /// [`Error::NoTariffOn`], [`Error::InvalidValue`], and any error of pricing.
    ///
    /// # Example
    /// ```
    /// use cit_core::{Applied, Ente, Event, Registry};
    ///
    /// let mut cit = Registry::new();
    /// let e = Event::EnteRegistered { ente: Ente::comune("017001", "Acquafredda", 1_600, 120) };
    /// assert_eq!(cit.apply(e.clone())?, Applied::Recorded { seq: 0 });
    /// assert_eq!(cit.apply(e)?, Applied::AlreadyRecorded { seq: 0 });
    /// let other = Event::EnteRegistered { ente: Ente::comune("017001", "Adro", 7_114, 711) };
    /// assert_eq!(cit.apply(other).unwrap_err().code(), "duplicate_event");
    /// assert_eq!(cit.version(), 1);
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn apply(&mut self, event: Event) -> Result<Applied> {
        if let Some(seq) = self.recorded_as(&event) {
            return Ok(Applied::AlreadyRecorded { seq });
        }
        if !self.state.apply(&event)? {
            return Ok(Applied::Unchanged);
        }
        let seq = self.version();
        if let Some((entity, id)) = event.identity() {
            self.identities.entry((entity, id)).or_insert(seq);
        }
        self.events.push(event);
        Ok(Applied::Recorded { seq })
    }

    /// Applies an event if the journal is at `expected` events (R-JOURNAL): the append of
    /// a host that stores the journal and may share it with other writers.
    ///
    /// The retry of an append whose acknowledgement was lost is recognised: if the event
    /// recorded at position `expected` is this very event, nothing changes and the answer
    /// is [`Applied::AlreadyRecorded`].
    ///
    /// # Errors
    /// [`Error::VersionConflict`] if the journal is not at `expected` (nothing applied);
    /// otherwise as [`Registry::apply`].
    ///
    /// # Example
    /// ```
    /// use cit_core::{Applied, Ente, Event, Registry};
    ///
    /// let mut cit = Registry::new();
    /// let e = Event::EnteRegistered { ente: Ente::comune("017001", "Acquafredda", 1_600, 120) };
    /// assert_eq!(cit.apply_expecting(0, e.clone())?, Applied::Recorded { seq: 0 });
    /// // Another writer, still at version 0, tries to append: refused.
    /// let late = Event::EnteRegistered { ente: Ente::comune("017002", "Adro", 7_114, 711) };
    /// assert_eq!(cit.apply_expecting(0, late).unwrap_err().code(), "version_conflict");
    /// // The first writer retries after a lost acknowledgement: recognised.
    /// assert_eq!(cit.apply_expecting(0, e)?, Applied::AlreadyRecorded { seq: 0 });
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn apply_expecting(&mut self, expected: u64, event: Event) -> Result<Applied> {
        let actual = self.version();
        if expected == actual {
            return self.apply(event);
        }
        if self.recorded_at(expected) == Some(&event) {
            return Ok(Applied::AlreadyRecorded { seq: expected });
        }
        Err(Error::VersionConflict { expected, actual })
    }

    /// Applies a batch of events, all or none (R-JOURNAL): if any event is refused,
    /// nothing of the batch is applied and the error names its position
    /// ([`Error::InEvent`]). With `expected`, the batch is applied only if the journal is
    /// at that version; a batch identical to the events recorded from that position on (a
    /// retry) changes nothing and every event is [`Applied::AlreadyRecorded`].
    ///
    /// # Errors
    /// [`Error::VersionConflict`] (nothing applied); [`Error::InEvent`] with the first
    /// event refused and why.
    ///
    /// # Example
    /// ```
    /// use cit_core::{Applied, Ente, Event, Registry};
    ///
    /// let mut cit = Registry::new();
    /// let a = Event::EnteRegistered { ente: Ente::comune("017001", "Acquafredda", 1_600, 120) };
    /// let b = Event::EnteRegistered { ente: Ente::comune("017001", "Adro", 7_114, 711) };
    /// // The second event is refused (same id, other content): the first is not applied.
    /// let e = cit.apply_all(Some(0), vec![a.clone(), b]).unwrap_err();
    /// assert_eq!((e.code(), e.path().as_deref()), ("duplicate_event", Some("[1].id")));
    /// assert_eq!(cit.version(), 0);
    /// assert_eq!(cit.apply_all(Some(0), vec![a])?, vec![Applied::Recorded { seq: 0 }]);
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn apply_all(&mut self, expected: Option<u64>, events: Vec<Event>) -> Result<Vec<Applied>> {
        let actual = self.version();
        if let Some(expected) = expected.filter(|&e| e != actual) {
            let retry = !events.is_empty()
                && events
                    .iter()
                    .zip(expected..)
                    .all(|(e, seq)| self.recorded_at(seq) == Some(e));
            if retry {
                return Ok((expected..)
                    .take(events.len())
                    .map(|seq| Applied::AlreadyRecorded { seq })
                    .collect());
            }
            return Err(Error::VersionConflict { expected, actual });
        }
        let before = self.clone();
        let mut applied = Vec::with_capacity(events.len());
        for (index, event) in events.into_iter().enumerate() {
            match self.apply(event) {
                Ok(a) => applied.push(a),
                Err(source) => {
                    *self = before;
                    return Err(Error::InEvent {
                        index,
                        source: Box::new(source),
                    });
                }
            }
        }
        Ok(applied)
    }

    /// The event recorded at position `seq`, if any.
    fn recorded_at(&self, seq: u64) -> Option<&Event> {
        usize::try_from(seq).ok().and_then(|i| self.events.get(i))
    }

    /// The position of an event identical to `event`, if one is recorded.
    fn recorded_as(&self, event: &Event) -> Option<u64> {
        let (entity, id) = event.identity()?;
        let seq = *self.identities.get(&(entity, id))?;
        (self.recorded_at(seq) == Some(event)).then_some(seq)
    }

    /// Runs the billing of `year` (R-RUN) and returns the ids of the charges issued; empty
    /// if the year was already billed.
    ///
    /// # Errors
    /// As [`Registry::apply`] for [`Event::BillingRun`].
    pub fn billing_run(
        &mut self,
        year: i32,
        issued: NaiveDate,
        due: NaiveDate,
    ) -> Result<Vec<String>> {
        let before = self.state.ledger.charges.len();
        self.apply(Event::BillingRun { year, issued, due })?;
        Ok(self.state.ledger.charges[before..]
            .iter()
            .map(|c| c.id.clone())
            .collect())
    }

    /// The journal.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The state the journal folds to.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The tariff version that applies on `date` (R-RUN).
    ///
    /// # Errors
    /// [`Error::NoTariffOn`].
    pub fn tariff_on(&self, date: NaiveDate) -> Result<&Tariff> {
        self.state.tariff_on(date)
    }

    /// The tariff versions, in order of adoption.
    pub fn tariffs(&self) -> &[Tariff] {
        &self.state.tariffs
    }

    /// A registered ente.
    pub fn ente(&self, id: &str) -> Option<&Ente> {
        self.state.enti.get(id)
    }

    /// Every registered ente, by id.
    pub fn enti(&self) -> impl Iterator<Item = &Ente> {
        self.state.enti.values()
    }

    /// A membership.
    pub fn membership(&self, id: &str) -> Option<&Membership> {
        self.state.memberships.get(id)
    }

    /// Every membership, by id.
    pub fn memberships(&self) -> impl Iterator<Item = &Membership> {
        self.state.memberships.values()
    }

    /// The membership of `ente` active on `date`, if any (R-JOIN).
    pub fn membership_on(&self, ente: &str, date: NaiveDate) -> Option<&Membership> {
        self.state.membership_on(ente, date)
    }

    /// A subscription.
    pub fn subscription(&self, id: &str) -> Option<&Subscription> {
        self.state.subscriptions.get(id)
    }

    /// Every subscription, by id.
    pub fn subscriptions(&self) -> impl Iterator<Item = &Subscription> {
        self.state.subscriptions.values()
    }

    /// The capofila agreements, in order of record (R-PAYER).
    pub fn agreements(&self) -> &[PayerAgreement] {
        &self.state.agreements
    }

    /// Prices a service for a registered ente on a date, with the tariff of that date and
    /// the member price only if a membership is active on it (R-JOIN, R-TIER).
    ///
    /// # Errors
    /// [`Error::UnknownEnte`], [`Error::NoTariffOn`], and the errors of
    /// [`Tariff::price_service`].
    pub fn price_service(
        &self,
        ente: &str,
        service: &str,
        quantity: u64,
        date: NaiveDate,
    ) -> Result<ServiceQuote> {
        self.state.price_service(ente, service, quantity, date)
    }

    /// The renewal campaign for `year` (R-RENEW): every canone that renews on confirmation
    /// and covered `year − 1`, with its answer. Tacit and one-off services never appear.
    pub fn renewal_campaign(&self, year: i32) -> Vec<RenewalItem> {
        let Some(previous) = year.checked_sub(1) else {
            return Vec::new();
        };
        self.state
            .subscriptions
            .values()
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

    /// Every charge, in order of issue.
    pub fn charges(&self) -> &[Charge] {
        &self.state.ledger.charges
    }

    /// A charge by id.
    pub fn charge(&self, id: &str) -> Option<&Charge> {
        self.state.ledger.charge(id)
    }

    /// Every payment, in order of record, reversing entries included (with negative
    /// amounts, R-LEDGER).
    pub fn payments(&self) -> &[Payment] {
        &self.state.ledger.payments
    }

    /// Every allocation of money to a charge, in order.
    pub fn allocations(&self) -> &[Allocation] {
        &self.state.ledger.allocations
    }

    /// The reversing charge of a reversed charge, if reversed.
    pub fn reversal_of(&self, charge: &str) -> Option<&str> {
        self.state.ledger.reversed.get(charge).map(String::as_str)
    }

    /// A payment (or reversing entry) by id.
    pub fn payment(&self, id: &str) -> Option<&Payment> {
        self.state.ledger.payments.iter().find(|p| p.id == id)
    }

    /// The id of the reversing entry of a reversed payment, if reversed (R-LEDGER).
    pub fn payment_reversal_of(&self, payment: &str) -> Option<&str> {
        self.state
            .ledger
            .reversed_payments
            .get(payment)
            .map(String::as_str)
    }

    /// What `payer` still owes of a charge.
    pub fn open_amount(&self, charge: &str, payer: &str) -> Money {
        self.state
            .ledger
            .charges
            .iter()
            .position(|c| c.id == charge)
            .map_or(Money::ZERO, |i| self.state.ledger.open_of(i, payer))
    }

    /// The accounts of an ente as payer, with what is overdue at `at` (R-LEDGER).
    ///
    /// # Errors
    /// [`Error::Overflow`] if a sum does not fit.
    pub fn balance(&self, ente: &str, at: NaiveDate) -> Result<Balance> {
        self.state.ledger.balance(ente, at)
    }

    /// The accounts of every registered ente, by id.
    ///
    /// # Errors
    /// As [`Registry::balance`].
    pub fn balances(&self, at: NaiveDate) -> Result<Vec<Balance>> {
        self.state
            .enti
            .keys()
            .map(|id| self.state.ledger.balance(id, at))
            .collect()
    }
}

fn unknown(entity: &'static str, id: &str) -> Error {
    Error::UnknownEntry {
        entity,
        id: id.to_owned(),
    }
}

fn duplicate(entity: &'static str, id: &str) -> Error {
    Error::DuplicateEvent {
        entity,
        id: id.to_owned(),
    }
}

fn non_empty(path: &str, value: &str, what: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::InvalidValue {
            path: path.to_owned(),
            expected: what.to_owned(),
            found: format!("{value:?}"),
        });
    }
    Ok(())
}

impl State {
    fn tariff_on(&self, date: NaiveDate) -> Result<&Tariff> {
        self.tariffs
            .iter()
            .find(|t| t.document().period.contains(date))
            .ok_or(Error::NoTariffOn { date })
    }

    fn ente(&self, id: &str) -> Result<&Ente> {
        self.enti.get(id).ok_or_else(|| Error::UnknownEnte {
            ente: id.to_owned(),
        })
    }

    fn membership_on(&self, ente: &str, date: NaiveDate) -> Option<&Membership> {
        self.memberships
            .values()
            .find(|m| m.ente == ente && m.active_on(date))
    }

    fn standing(&self, ente: &str, date: NaiveDate) -> Standing {
        match self
            .membership_on(ente, date)
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

    fn price_service(
        &self,
        ente: &str,
        service: &str,
        quantity: u64,
        date: NaiveDate,
    ) -> Result<ServiceQuote> {
        let e = self.ente(ente)?;
        let tariff = self.tariff_on(date)?;
        tariff.price_service(e, service, quantity, &self.standing(ente, date), date)
    }

    fn membership_mut(&mut self, id: &str) -> Result<&mut Membership> {
        self.memberships
            .get_mut(id)
            .ok_or_else(|| unknown("membership", id))
    }

    fn subscription_mut(&mut self, id: &str) -> Result<&mut Subscription> {
        self.subscriptions
            .get_mut(id)
            .ok_or_else(|| unknown("subscription", id))
    }

    /// Applies one event; `Ok(false)` if it changes nothing and is not to be recorded. A
    /// refused event leaves the state exactly as it was, without copying it: every arm
    /// checks before it changes anything outside the ledger, and the ledger undoes its own
    /// changes ([`ledger::Ledger::rollback`]).
    fn apply(&mut self, event: &Event) -> Result<bool> {
        let mark = self.ledger.begin();
        let result = self.apply_checked(event);
        match result {
            Ok(_) => self.ledger.commit(),
            Err(_) => self.ledger.rollback(mark),
        }
        result
    }

    /// [`State::apply`] without the ledger's rollback: an arm may fail after changing the
    /// ledger, never after changing anything else.
    fn apply_checked(&mut self, event: &Event) -> Result<bool> {
        match event {
            Event::TariffAdopted { tariff } => {
                let doc = tariff.document();
                for other in &self.tariffs {
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
                self.tariffs.push(tariff.as_ref().clone());
            }
            Event::EnteRegistered { ente } => {
                ente.validate()?;
                if self.enti.contains_key(&ente.id) {
                    return Err(duplicate("ente", &ente.id));
                }
                self.enti.insert(ente.id.clone(), ente.clone());
            }
            Event::MembershipRequested {
                membership,
                ente,
                date,
            } => {
                non_empty("membership", membership, "a non-empty membership id")?;
                self.ente(ente)?;
                if self.memberships.contains_key(membership) {
                    return Err(duplicate("membership", membership));
                }
                self.memberships.insert(
                    membership.clone(),
                    Membership::request(membership, ente, *date),
                );
            }
            Event::MembershipApproved {
                membership,
                delibera,
            } => self
                .membership_mut(membership)?
                .approve(delibera.clone(), None)?,
            Event::UnioneApproved {
                unione,
                delibera,
                memberships,
            } => {
                let kind = self.ente(unione)?.kind;
                if !matches!(kind, EnteKind::Unione | EnteKind::ComunitaMontana) {
                    return Err(Error::InvalidValue {
                        path: "unione".to_owned(),
                        expected: "an Unione di Comuni or Comunità Montana (R-JOIN)".to_owned(),
                        found: format!("`{unione}`, a {kind}"),
                    });
                }
                // Every membership is approved on a copy first: all or none.
                let mut approved: Vec<Membership> = Vec::with_capacity(memberships.len());
                for id in memberships {
                    if !approved.iter().any(|m| &m.id == id) {
                        let m = self
                            .memberships
                            .get(id)
                            .ok_or_else(|| unknown("membership", id))?;
                        approved.push(m.clone());
                    }
                    if let Some(m) = approved.iter_mut().find(|m| &m.id == id) {
                        m.approve(delibera.clone(), Some(unione.clone()))?;
                    }
                }
                for m in approved {
                    self.memberships.insert(m.id.clone(), m);
                }
            }
            Event::ConventionSigned {
                membership,
                date,
                from,
                to,
            } => {
                let m = self
                    .memberships
                    .get(membership)
                    .ok_or_else(|| unknown("membership", membership))?;
                let start = from.unwrap_or(*date);
                if let Some(other) = self.memberships.values().find(|o| {
                    o.id != m.id
                        && o.ente == m.ente
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
                self.membership_mut(membership)?.sign(*date, *from, *to)?;
            }
            Event::MembershipWithdrawn {
                membership,
                date,
                reason,
            } => self
                .membership_mut(membership)?
                .withdraw(*date, reason.clone())?,
            Event::MembershipExpired { membership, date } => {
                self.membership_mut(membership)?.expire(*date)?;
            }
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
                if self.subscriptions.contains_key(subscription) {
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
                self.price_service(ente, service, *quantity, *date)?;
                let catalogue = self.tariff_on(*date)?.service(service)?;
                let s = Subscription {
                    id: subscription.clone(),
                    ente: ente.clone(),
                    service: service.clone(),
                    billing: catalogue.billing,
                    renewal: catalogue.renewal,
                    quantity: *quantity,
                    contact: contact.clone(),
                    people: people.clone(),
                    requested: *date,
                    state: SubscriptionState::Requested,
                };
                self.subscriptions.insert(subscription.clone(), s);
            }
            Event::SubscriptionActivated { subscription, date } => {
                let s = self
                    .subscriptions
                    .get(subscription)
                    .ok_or_else(|| unknown("subscription", subscription))?;
                let mut activated = s.clone();
                activated.activate(*date)?;
                // R-MEMBERS-ONLY holds on the day of activation too.
                self.price_service(&s.ente, &s.service, s.quantity, *date)?;
                self.subscriptions.insert(subscription.clone(), activated);
            }
            Event::RenewalConfirmed {
                subscription, year, ..
            } => self.subscription_mut(subscription)?.confirm(*year)?,
            Event::RenewalDeclined {
                subscription, year, ..
            } => self.subscription_mut(subscription)?.decline(*year)?,
            Event::YearClosed { year } => {
                if !self.closed_years.insert(*year) {
                    return Err(duplicate("year close", &year.to_string()));
                }
                for s in self.subscriptions.values_mut() {
                    s.close_year(*year);
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
                let mut cancelled = self
                    .subscriptions
                    .get(subscription)
                    .ok_or_else(|| unknown("subscription", subscription))?
                    .clone();
                cancelled.cancel(*date, reason.clone())?;
                // Only the ledger may change before the last check.
                self.charge_conditions(subscription, *date, reason, conditions)?;
                self.subscriptions.insert(subscription.clone(), cancelled);
            }
            Event::PayerAgreed {
                capofila,
                members,
                share,
                from_year,
            } => self.agree(capofila, members, share, *from_year)?,
            Event::BillingRun { year, issued, due } => {
                return billing::run(self, *year, *issued, *due);
            }
            Event::PaymentReceived {
                payment,
                payer,
                date,
                amount,
                charge,
            } => {
                non_empty("payment", payment, "a non-empty payment id")?;
                self.ente(payer)?;
                self.ledger.pay(Payment {
                    id: payment.clone(),
                    payer: payer.clone(),
                    date: *date,
                    amount: *amount,
                    charge: charge.clone(),
                    reverses: None,
                    reason: None,
                })?;
            }
            Event::ChargeReversed {
                charge,
                date,
                reason,
            } => {
                non_empty("reason", reason, "the reason of the correction (R-LEDGER)")?;
                self.ledger.reverse(charge, *date, reason)?;
            }
            Event::PaymentReversed {
                id,
                payment,
                date,
                reason,
            } => {
                non_empty("id", id, "a non-empty id of the reversing entry")?;
                non_empty("reason", reason, "the reason of the correction (R-LEDGER)")?;
                self.ledger.reverse_payment(id, payment, *date, reason)?;
            }
        }
        Ok(true)
    }

    fn charge_conditions(
        &mut self,
        subscription: &str,
        date: NaiveDate,
        reason: &str,
        conditions: &[Condition],
    ) -> Result<()> {
        if conditions.is_empty() {
            return Ok(());
        }
        let s = self
            .subscriptions
            .get(subscription)
            .ok_or_else(|| unknown("subscription", subscription))?;
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
        let amount = Money::checked_sum(lines.iter().map(|l| l.amount))
            .ok_or_else(|| Error::overflow("conditions", "sum of the conditions"))?;
        let due = date
            .checked_add_days(Days::new(CANCELLATION_DUE_DAYS))
            .unwrap_or(date);
        let charge = Charge {
            id: format!("D-{subscription}"),
            ente: s.ente.clone(),
            kind: ChargeKind::Disdetta,
            year: date.year(),
            subscription: Some(subscription.to_owned()),
            service: Some(s.service.clone()),
            tariff: self.tariff_on(date).ok().map(|t| t.id().to_owned()),
            issued: date,
            due,
            lines,
            amount,
            explanation: format!("Condizioni della disdetta del {date}: {reason} (R-CANCEL)"),
            shares: vec![PayerShare {
                payer: s.ente.clone(),
                amount,
            }],
            reverses: None,
        };
        self.ledger.issue(charge)
    }

    fn agree(
        &mut self,
        capofila: &str,
        members: &[String],
        share: &CapofilaShare,
        from_year: i32,
    ) -> Result<()> {
        let kind = self.ente(capofila)?.kind;
        if !matches!(kind, EnteKind::Unione | EnteKind::ComunitaMontana) {
            return Err(Error::InvalidValue {
                path: "capofila".to_owned(),
                expected: "an Unione di Comuni or Comunità Montana (R-PAYER)".to_owned(),
                found: format!("`{capofila}`, a {kind}"),
            });
        }
        if members.is_empty() {
            return Err(Error::InvalidValue {
                path: "members".to_owned(),
                expected: "at least one member (R-PAYER)".to_owned(),
                found: "[]".to_owned(),
            });
        }
        for (i, m) in members.iter().enumerate() {
            self.ente(m)?;
            if m == capofila || members[..i].contains(m) {
                return Err(Error::InvalidValue {
                    path: format!("members[{i}]"),
                    expected: "a member other than the capofila, named once (R-PAYER)".to_owned(),
                    found: m.clone(),
                });
            }
        }
        match share {
            CapofilaShare::Percent { percent }
                if percent.is_sign_negative() && !percent.is_zero()
                    || *percent > Decimal::ONE_HUNDRED =>
            {
                return Err(Error::InvalidValue {
                    path: "share.percent".to_owned(),
                    expected: "a percentage from 0 to 100 (R-PAYER)".to_owned(),
                    found: percent.to_string(),
                });
            }
            CapofilaShare::Fixed { amount } if amount.is_negative() => {
                return Err(Error::InvalidValue {
                    path: "share.amount".to_owned(),
                    expected: "an amount of zero or more (R-PAYER)".to_owned(),
                    found: amount.to_plain_string(),
                });
            }
            _ => {}
        }
        self.agreements.push(PayerAgreement {
            capofila: capofila.to_owned(),
            members: members.to_vec(),
            share: share.clone(),
            from_year,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests;
