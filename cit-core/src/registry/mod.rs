//! The registry of a CIT: tariff versions, enti, memberships, subscriptions and the ledger,
//! kept as an append-only list of events whose fold is the state (R-JOIN … R-LEDGER).

mod billing;
mod catalogue;
mod events;
mod ledger;
mod lifecycle;
mod memberships;
mod pagopa;
mod state;
mod subscriptions;
mod undo;

pub use crate::charge::{Charge, ChargeKind, PayerShare};
pub use events::{Applied, CapofilaShare, Channel, Condition, Event, JournalEntry, PayerAgreement};
pub use ledger::{Allocation, Balance, Payment, split_largest_remainder};
pub use lifecycle::{Delibera, Membership, MembershipState, Subscription, SubscriptionState};
pub use pagopa::{FlowLine, FlowSummary, Reconciliation};
pub(crate) use state::State;

use chrono::NaiveDate;
use serde::Serialize;

use crate::tariff::ServiceQuote;
use crate::{Ente, Error, Money, Result, Tariff, json};

/// Days between a cancellation and the due date of its conditions (R-CANCEL).
pub const CANCELLATION_DUE_DAYS: u64 = 30;

/// A canone awaiting confirmation in a renewal campaign, and where it stands (R-RENEW).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
    /// How many events were committed (the rest belong to the event or batch being
    /// applied).
    committed: usize,
    /// What each event with an identity records → its position, the first time.
    identities: undo::Index<(&'static str, String), u64>,
    /// The positions of the events recorded since the last commit whose identity is new.
    new_identities: Vec<u64>,
    state: State,
}

/// Two registries are equal when their journals are: the state is their fold.
impl PartialEq for Registry {
    fn eq(&self, other: &Registry) -> bool {
        self.events == other.events && self.state == other.state
    }
}

impl Eq for Registry {}

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
            let applied = r.apply(e).map_err(|source| Error::InEvent {
                index,
                source: Box::new(source),
            })?;
            if let Applied::AlreadyRecorded { seq } = applied {
                // Only an event with an identity is recognised: the earlier one has it.
                if let Some((entity, id)) = r.recorded_at(seq).and_then(Event::identity) {
                    return Err(Error::InEvent {
                        index,
                        source: Box::new(Error::DuplicateEvent { entity, id }),
                    });
                }
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
        let events: Vec<Event> = json::read_fast(text).map_err(|u| u.malformed("registry"))?;
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
    /// [`Error::NoTariffOn`], [`Error::InvalidValue`], any error of pricing, and
    /// [`Error::Overflow`] if a payer's running totals (charged, paid, outstanding,
    /// credit) would leave exact arithmetic: the event is refused rather than make a
    /// balance that cannot be computed.
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
        let applied = self.apply_uncommitted(event);
        self.settle(applied.is_ok());
        applied
    }

    /// Applies an event without committing it: the caller keeps or undoes it, alone or
    /// with the rest of a batch ([`Registry::settle`]).
    fn apply_uncommitted(&mut self, event: Event) -> Result<Applied> {
        use std::collections::hash_map::Entry;
        // One look-up of the identity: a retry is answered, a new identity kept for below.
        let entry = event.identity().map(|i| self.identities.entry(i));
        if let Some(Entry::Occupied(o)) = &entry {
            let seq = *o.get();
            if usize::try_from(seq).ok().and_then(|i| self.events.get(i)) == Some(&event) {
                return Ok(Applied::AlreadyRecorded { seq });
            }
        }
        if !self.state.apply(&event)? {
            return Ok(Applied::Unchanged);
        }
        let seq = u64::try_from(self.events.len()).unwrap_or(u64::MAX);
        if let Some(Entry::Vacant(v)) = entry {
            v.insert(seq);
            self.new_identities.push(seq);
        }
        self.events.push(event);
        Ok(Applied::Recorded { seq })
    }

    /// Keeps (`true`) or undoes (`false`) everything applied since the last time: the
    /// journal, its identities and every aggregate of the state, indexes included.
    fn settle(&mut self, keep: bool) {
        if keep {
            self.state.commit();
            self.committed = self.events.len();
            self.new_identities.clear();
        } else {
            self.state.rollback();
            for seq in std::mem::take(&mut self.new_identities) {
                if let Some(identity) = self.recorded_at(seq).and_then(Event::identity) {
                    self.identities.remove(&identity);
                }
            }
            self.events.truncate(self.committed);
        }
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
    /// retry) changes nothing and every event is [`Applied::AlreadyRecorded`]. A batch
    /// whose first append recorded fewer events than it held (a billing run with nothing
    /// to bill, an event already recorded) is not found at its position: its retry is a
    /// [`Error::VersionConflict`], and after re-reading, its events are recognised one by
    /// one (each already recorded, or unchanged).
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
        let mut applied = Vec::with_capacity(events.len());
        for (index, event) in events.into_iter().enumerate() {
            match self.apply_uncommitted(event) {
                Ok(a) => applied.push(a),
                Err(source) => {
                    self.settle(false);
                    return Err(Error::InEvent {
                        index,
                        source: Box::new(source),
                    });
                }
            }
        }
        self.settle(true);
        Ok(applied)
    }

    /// The event recorded at position `seq`, if any.
    fn recorded_at(&self, seq: u64) -> Option<&Event> {
        usize::try_from(seq).ok().and_then(|i| self.events.get(i))
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

    /// The state the journal folds to (the registry's equality compares it).
    #[cfg(test)]
    pub(crate) fn state(&self) -> &State {
        &self.state
    }

    /// The tariff version that applies on `date` (R-RUN).
    ///
    /// # Errors
    /// [`Error::NoTariffOn`].
    pub fn tariff_on(&self, date: NaiveDate) -> Result<&Tariff> {
        self.state.catalogue.tariff_on(date)
    }

    /// The tariff versions, in order of adoption.
    pub fn tariffs(&self) -> &[Tariff] {
        self.state.catalogue.tariffs()
    }

    /// A registered ente.
    pub fn ente(&self, id: &str) -> Option<&Ente> {
        self.state.catalogue.ente(id).ok()
    }

    /// Every registered ente, by id.
    pub fn enti(&self) -> impl Iterator<Item = &Ente> {
        self.state.catalogue.enti()
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
        self.state.memberships.on(ente, date)
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
        self.state.billing.agreements()
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
        self.state
            .catalogue
            .price_service(&self.state.memberships, ente, service, quantity, date)
    }

    /// The renewal campaign for `year` (R-RENEW): every canone that renews on confirmation
    /// and covered `year − 1`, with its answer. Tacit and one-off services never appear.
    pub fn renewal_campaign(&self, year: i32) -> Vec<RenewalItem> {
        self.state.subscriptions.renewal_campaign(year)
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

    /// Every allocation of money to a charge, in order: written out when asked (the ledger
    /// keeps each as the positions of its payment and share, without ids of its own).
    pub fn allocations(&self) -> Vec<Allocation> {
        let ledger = &self.state.ledger;
        (0..ledger.allocations.len())
            .map(|k| ledger.allocation(k))
            .collect()
    }

    /// The reversing charge of a reversed charge, if reversed.
    pub fn reversal_of(&self, charge: &str) -> Option<&str> {
        self.state.ledger.reversed.get(charge).map(String::as_str)
    }

    /// A payment (or reversing entry) by id.
    pub fn payment(&self, id: &str) -> Option<&Payment> {
        self.state.ledger.payment(id)
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
            .charge_position(charge)
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
            .catalogue
            .ente_ids()
            .map(|id| self.state.ledger.balance(id, at))
            .collect()
    }
}

/// pagoPA and the Tesoreria Unica (R-NOTICE, R-RECONCILE).
impl Registry {
    /// The creditor's profile for pagoPA, if recorded ([`Event::CreditorRegistered`]).
    pub fn creditor(&self) -> Option<&crate::pagopa::Creditor> {
        self.state.notices.creditor()
    }

    /// The pagoPA notices of `year`'s charges, in order of issue, each with its status
    /// now ([`Event::NoticesIssued`], R-NOTICE).
    ///
    /// # Example
    /// ```
    /// # use chrono::NaiveDate;
    /// # use cit_core::{Delibera, Ente, Event, Registry, Tariff};
    /// # let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    /// # let tariff = Tariff::from_json(include_str!("../../../examples/tariffs/bs-2021-services.json"))?;
    /// # let mut cit = Registry::new();
    /// # cit.apply(Event::TariffAdopted { tariff: Box::new(tariff) })?;
    /// let mut acquafredda = Ente::comune("017001", "Acquafredda", 1_600, 120);
    /// acquafredda.codice_fiscale = Some("00413350174".into());
    /// cit.apply(Event::EnteRegistered { ente: acquafredda })?;
    /// # cit.apply(Event::MembershipRequested { membership: "A-1".into(), ente: "017001".into(), date: d(2021, 1, 10) })?;
    /// # cit.apply(Event::MembershipApproved { membership: "A-1".into(), delibera: Delibera {
    /// #     number: "4/2021".into(), date: d(2021, 1, 20), organ: "Consiglio comunale".into() } })?;
    /// # cit.apply(Event::ConventionSigned { membership: "A-1".into(), date: d(2021, 1, 25), from: None, to: d(2025, 12, 31) })?;
    /// cit.billing_run(2021, d(2021, 3, 1), d(2021, 4, 30))?;
    /// cit.apply(Event::from_json(r#"{"type": "creditor_registered", "creditor": {
    ///     "codice_fiscale": "80008750178", "name": "Provincia di Brescia", "segregation_code": "07",
    ///     "iban": "IT60X0542811101000000123456", "category": "9/0101002IM/"}}"#)?)?;
    /// cit.apply(Event::NoticesIssued { year: 2021, date: d(2021, 3, 1) })?;
    /// let notices = cit.notices(2021);
    /// assert_eq!(notices[0].notice_number, "307000000000000105");
    /// assert_eq!(notices[0].amount.to_string(), "€ 360,00");
    /// // Issuing again adds nothing.
    /// assert_eq!(cit.apply(Event::NoticesIssued { year: 2021, date: d(2021, 3, 2) })?,
    ///            cit_core::Applied::Unchanged);
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn notices(&self, year: i32) -> Vec<crate::pagopa::Notice> {
        self.state.notices.of_year(year, &self.state.ledger)
    }

    /// The notice of an IUV, with its status now.
    pub fn notice(&self, iuv: &str) -> Option<crate::pagopa::Notice> {
        self.state.notices.notice(iuv, &self.state.ledger)
    }

    /// The GPD debt positions of `year`'s open notices, one per notice, addressed to its
    /// payer (R-NOTICE): what the host posts to pagoPA's GPD. Paid and withdrawn notices
    /// have none (a withdrawn one's position is to be deleted); empty without a creditor.
    ///
    /// # Errors
    /// [`Error::Overflow`] for an amount with no `i64` of cents.
    pub fn debt_positions(&self, year: i32) -> Result<Vec<crate::pagopa::DebtPosition>> {
        self.state.notices.debt_positions(year, &self.state.ledger)
    }

    /// The notices of `year` as a CSV for the office ([`crate::pagopa::notices_csv`]).
    pub fn notices_csv(&self, year: i32) -> String {
        crate::pagopa::notices_csv(&self.notices(year))
    }

    /// Reads a flusso di rendicontazione and reconciles it (R-RECONCILE): see
    /// [`Registry::reconcile`].
    ///
    /// # Errors
    /// [`Error::Malformed`] (document `flow`) naming the element and the value of a flow
    /// that cannot be read; as [`Registry::reconcile`].
    pub fn reconcile_flow(&self, xml: &str) -> Result<Reconciliation> {
        self.reconcile(crate::pagopa::Flow::from_xml(xml)?)
    }

    /// Matches each payment of a flow to its notice by IUV and tells what to book
    /// (R-RECONCILE): a payment of the notice's charge for a payment made (esito 0, 4, 8
    /// or 9) of the notice's amount, a payment reversal for a revocation (esito 3) of a
    /// payment booked; unknown IUVs, other amounts and a flow whose totals do not add up
    /// are reported and never booked. The registry is not changed: apply the report's
    /// `events`. The same flow reconciled after that gives no event.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] at `creditor` if no creditor is registered.
    pub fn reconcile(&self, flow: crate::pagopa::Flow) -> Result<Reconciliation> {
        self.state.notices.reconcile(flow, &self.state.ledger)
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

#[cfg(test)]
mod tests;
