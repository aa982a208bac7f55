//! An independent oracle for the ledger (R-LEDGER, R-PAYER): on random journals, the
//! registry's ledger equals a plain reference fold kept here — charges, payments,
//! allocations, balances, open shares, credit and reversals.
//!
//! # What is checked
//!
//! A real [`Registry`] is driven with events. After each event the registry applied, the
//! [`Reference`] below is told what happened — the charges the event issued (read from
//! `registry.charges()[before..]`, in order: a billing run's, a cancellation's conditions, a
//! charge reversal's storno), a payment received, a reversal — and folds it by the rules of
//! R-LEDGER as they are documented (the docs of [`Event::PaymentReversed`], the README's
//! *Ledger* paragraph, DESIGN.md's *Why are payments allocated oldest first* and *how are
//! mistakes corrected*):
//!
//! * a charge, once issued, takes its payers' credit, payer by payer in the order of its
//!   shares, each on that payer's open shares oldest first; the charges of one event are
//!   issued one after another, each taking the credit before the next is issued;
//! * a payment goes to the payer's share of the charge it names, then to its open shares
//!   oldest first — by due date, then day of issue, then order of issue — and the rest is
//!   credit;
//! * a charge reversal adds the opposite charge `R-{id}`; what was paid of the charge becomes
//!   credit, which then pays the payers' other open shares oldest first;
//! * a payment reversal takes the money back: (1) what it put on charges still in force, in
//!   the order it was allocated, at most what is paid of each now; (2) the rest from the
//!   payer's credit; (3) the rest from the payer's paid shares of charges in force, newest
//!   first; (4) the credit left pays the re-opened shares oldest first.
//!
//! Then the two are compared: the charges and payments, the full allocation list element by
//! element (payment, charge, payer, amount, date), every registered ente's balance (charged,
//! paid, outstanding, credit, overdue) at dates before, on, just after and long after the due
//! dates, `open_amount` of every share (and of a charge the payer has no share in, and of no
//! charge), `reversal_of` every charge and `payment_reversal_of` every payment. For the
//! ledger's own events (payment received, charge reversed, payment reversed) the reference
//! also says beforehand whether the registry must accept them, and the registry must agree;
//! an event the registry refuses (or a retry, or a run with nothing to bill) must leave the
//! ledger as it was. `charge(id)` and `payment(id)` must find every entry. The ledger-heavy
//! journals also apply some batches that end with a refused event (all or none, R-JOURNAL),
//! and every random journal is replayed from its JSON and compared again.
//!
//! # Why it is independent
//!
//! The reference keeps no running state at all: it holds only the append-only lists — charges,
//! payments, allocations, and which charge and payment were reversed by what — and derives
//! everything else by scanning them:
//!
//! * what a payer has paid of a charge is the sum of the allocations to it;
//! * a share is open by its amount less what is paid, if the charge is in force (neither a
//!   storno nor reversed), and by nothing otherwise;
//! * a payer's credit is what it paid (reversing entries included) less what is paid of its
//!   shares of charges in force: the money received and not owed.
//!
//! The registry's ledger keeps open amounts and credit as mutable state updated in place (and,
//! after the rewrite, indexes from id to entry, per-payer open shares in allocation order and
//! running balances). The reference shares none of that: a credit or an open amount updated
//! wrongly in place, an index gone stale, an open list out of order, a balance not updated,
//! all show up as a difference. It uses only cit-core's public types and API.
//!
//! The charges themselves (which charges a run issues, their amounts and shares) are billing,
//! not ledger: the reference takes them from the registry, and checks only that a storno is
//! the exact opposite of the charge it reverses. The reference assumes a payer has at most one
//! share of a charge, which every charge the registry issues satisfies (a capofila is never
//! its own member), and checks it.

use std::collections::BTreeMap;
use std::sync::Mutex;

use chrono::{Days, NaiveDate};
use cit_core::registry::{Allocation, Condition};
use cit_core::{
    Applied, Balance, CapofilaShare, Charge, ChargeKind, Delibera, Ente, EnteKind, Event, Money,
    Payment, Registry,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::registry_properties::{self as props, Day, Op};

fn plus(a: Money, b: Money) -> Money {
    a.checked_add(b).expect("test amounts fit")
}

fn minus(a: Money, b: Money) -> Money {
    a.checked_sub(b).expect("test amounts fit")
}

fn total(amounts: impl IntoIterator<Item = Money>) -> Money {
    amounts.into_iter().fold(Money::ZERO, plus)
}

fn cents(c: i64) -> Money {
    Money::from_cents(c)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The reference ledger: only the append-only lists; everything else is derived from them.
#[derive(Clone, Debug, Default)]
struct Reference {
    /// Every charge, in order of issue.
    charges: Vec<Charge>,
    /// Every payment and reversing entry, in order of record.
    payments: Vec<Payment>,
    /// Every allocation, in order.
    allocations: Vec<Allocation>,
    /// (reversed charge, its storno), in order of reversal.
    reversed_charges: Vec<(String, String)>,
    /// (reversed payment, its reversing entry), in order of reversal.
    reversed_payments: Vec<(String, String)>,
}

/// What each payer has paid of each charge: the sum of the allocations, read once.
struct Paid(BTreeMap<(String, String), Money>);

impl Paid {
    fn of(&self, charge: &str, payer: &str) -> Money {
        self.0
            .get(&(charge.to_owned(), payer.to_owned()))
            .copied()
            .unwrap_or(Money::ZERO)
    }
}

/// What `payer` owes of `charge` in all (its share; at most one, see the module docs).
fn share_of(charge: &Charge, payer: &str) -> Money {
    total(
        charge
            .shares
            .iter()
            .filter(|s| s.payer == payer)
            .map(|s| s.amount),
    )
}

fn payers(charge: &Charge) -> Vec<String> {
    charge.shares.iter().map(|s| s.payer.clone()).collect()
}

impl Reference {
    fn paid(&self) -> Paid {
        let mut paid = BTreeMap::new();
        for a in &self.allocations {
            let entry = paid
                .entry((a.charge.clone(), a.payer.clone()))
                .or_insert(Money::ZERO);
            *entry = plus(*entry, a.amount);
        }
        Paid(paid)
    }

    fn charge(&self, id: &str) -> Option<&Charge> {
        self.charges.iter().find(|c| c.id == id)
    }

    fn payment(&self, id: &str) -> Option<&Payment> {
        self.payments.iter().find(|p| p.id == id)
    }

    fn reversal_of(&self, charge: &str) -> Option<&str> {
        self.reversed_charges
            .iter()
            .find(|(c, _)| c == charge)
            .map(|(_, r)| r.as_str())
    }

    fn payment_reversal_of(&self, payment: &str) -> Option<&str> {
        self.reversed_payments
            .iter()
            .find(|(p, _)| p == payment)
            .map(|(_, r)| r.as_str())
    }

    /// In force: neither a storno nor reversed.
    fn in_force(&self, charge: &Charge) -> bool {
        charge.kind != ChargeKind::Storno && self.reversal_of(&charge.id).is_none()
    }

    /// What `payer` still owes of `charge`.
    fn open(&self, paid: &Paid, charge: &Charge, payer: &str) -> Money {
        if self.in_force(charge) {
            minus(share_of(charge, payer), paid.of(&charge.id, payer))
        } else {
            Money::ZERO
        }
    }

    /// Money `payer` paid and does not owe: its payments (reversing entries included) less
    /// what is paid of its shares of charges in force.
    fn credit(&self, paid: &Paid, payer: &str) -> Money {
        let received = total(
            self.payments
                .iter()
                .filter(|p| p.payer == payer)
                .map(|p| p.amount),
        );
        let used = total(
            self.charges
                .iter()
                .filter(|c| self.in_force(c) && c.shares.iter().any(|s| s.payer == payer))
                .map(|c| paid.of(&c.id, payer)),
        );
        minus(received, used)
    }

    /// The charges `payer` has a share of, oldest first: by due date, then day of issue,
    /// then order of issue (R-LEDGER).
    fn oldest_first_of(&self, payer: &str) -> Vec<&Charge> {
        let mut out: Vec<(NaiveDate, NaiveDate, usize, &Charge)> = self
            .charges
            .iter()
            .enumerate()
            .filter(|(_, c)| c.shares.iter().any(|s| s.payer == payer))
            .map(|(i, c)| (c.due, c.issued, i, c))
            .collect();
        out.sort_by_key(|&(due, issued, i, _)| (due, issued, i));
        out.into_iter().map(|(.., c)| c).collect()
    }

    fn push_allocation(
        &mut self,
        payment: Option<&str>,
        charge: &str,
        payer: &str,
        amount: Money,
        date: NaiveDate,
    ) {
        self.allocations.push(Allocation {
            payment: payment.map(str::to_owned),
            charge: charge.to_owned(),
            payer: payer.to_owned(),
            amount,
            date,
        });
    }

    /// Puts `amount` against `payer`'s open shares oldest first; returns what is left.
    fn pay_oldest_first(
        &mut self,
        payer: &str,
        mut amount: Money,
        payment: Option<&str>,
        date: NaiveDate,
    ) -> Money {
        let paid = self.paid();
        let open: Vec<(String, Money)> = self
            .oldest_first_of(payer)
            .into_iter()
            .map(|c| (c.id.clone(), self.open(&paid, c, payer)))
            .filter(|(_, o)| *o > Money::ZERO)
            .collect();
        for (charge, open) in open {
            if amount <= Money::ZERO {
                break;
            }
            let part = amount.min(open);
            self.push_allocation(payment, &charge, payer, part, date);
            amount = minus(amount, part);
        }
        amount
    }

    /// The payer's credit pays its open shares, oldest first.
    fn use_credit(&mut self, payer: &str, date: NaiveDate) {
        let credit = self.credit(&self.paid(), payer);
        if credit > Money::ZERO {
            self.pay_oldest_first(payer, credit, None, date);
        }
    }

    /// A new charge; each payer's credit is used on it at once.
    fn issue(&mut self, charge: Charge) -> Result<(), TestCaseError> {
        let ps = payers(&charge);
        for (k, p) in ps.iter().enumerate() {
            prop_assert!(
                !ps[..k].contains(p),
                "the reference assumes one share per payer: {} has two of {}",
                p,
                charge.id
            );
        }
        let date = charge.issued;
        self.charges.push(charge);
        for payer in ps {
            self.use_credit(&payer, date);
        }
        Ok(())
    }

    /// Money received: the named charge first, then oldest first; the rest is credit
    /// (which needs no entry: it is derived).
    fn pay(&mut self, payment: Payment) {
        let mut left = payment.amount;
        if let Some(target) = &payment.charge {
            let paid = self.paid();
            let charge = self.charge(target).expect("checked before");
            let part = left.min(self.open(&paid, charge, &payment.payer));
            if part > Money::ZERO {
                let id = charge.id.clone();
                self.push_allocation(Some(&payment.id), &id, &payment.payer, part, payment.date);
                left = minus(left, part);
            }
        }
        self.pay_oldest_first(&payment.payer, left, Some(&payment.id), payment.date);
        self.payments.push(payment);
    }

    /// A charge is reversed by `storno` (issued by the registry, checked here to be its
    /// exact opposite): what was paid of it becomes credit, used on the other open shares.
    fn reverse_charge(
        &mut self,
        id: &str,
        date: NaiveDate,
        storno: &Charge,
    ) -> Result<(), TestCaseError> {
        let original = self.charge(id).expect("checked before").clone();
        prop_assert_eq!(&storno.id, &format!("R-{id}"));
        prop_assert_eq!(storno.kind, ChargeKind::Storno);
        prop_assert_eq!(storno.reverses.as_deref(), Some(id));
        prop_assert_eq!((storno.issued, storno.due), (date, date));
        prop_assert_eq!(
            (
                &storno.ente,
                storno.year,
                &storno.subscription,
                &storno.service
            ),
            (
                &original.ente,
                original.year,
                &original.subscription,
                &original.service
            )
        );
        prop_assert_eq!(&storno.tariff, &original.tariff);
        prop_assert_eq!(storno.amount, -original.amount);
        let opposite: Vec<(String, Money)> = original
            .shares
            .iter()
            .map(|s| (s.payer.clone(), -s.amount))
            .collect();
        let shares: Vec<(String, Money)> = storno
            .shares
            .iter()
            .map(|s| (s.payer.clone(), s.amount))
            .collect();
        prop_assert_eq!(shares, opposite);
        let lines: Vec<_> = storno.lines.iter().map(|l| (l.rule, l.amount)).collect();
        let opposite: Vec<_> = original.lines.iter().map(|l| (l.rule, -l.amount)).collect();
        prop_assert_eq!(lines, opposite);
        self.reversed_charges
            .push((id.to_owned(), storno.id.clone()));
        self.charges.push(storno.clone());
        for payer in payers(&original) {
            self.use_credit(&payer, date);
        }
        Ok(())
    }

    /// A payment is reversed by the entry `id`, in the four steps of R-LEDGER. `Err` if its
    /// money cannot be taken back (which the rules say cannot happen).
    fn reverse_payment(
        &mut self,
        id: &str,
        payment: &str,
        date: NaiveDate,
        reason: &str,
    ) -> Result<(), String> {
        let original = self.payment(payment).expect("checked before").clone();
        let payer = original.payer.as_str();
        let credit_before = self.credit(&self.paid(), payer);
        let mut left = original.amount;
        // 1. What it put on charges still in force, in the order allocated, at most what is
        //    paid of each now.
        let own: Vec<(String, Money)> = self
            .allocations
            .iter()
            .filter(|a| a.payment.as_deref() == Some(payment))
            .map(|a| (a.charge.clone(), a.amount))
            .collect();
        for (charge, allocated) in own {
            let c = self.charge(&charge).expect("allocated to a known charge");
            if !self.in_force(c) {
                continue;
            }
            let part = allocated.min(self.paid().of(&charge, payer));
            if part > Money::ZERO {
                self.push_allocation(Some(id), &charge, payer, -part, date);
                left = minus(left, part);
            }
        }
        // 2. The rest out of the credit.
        let taken = left.min(credit_before).max(Money::ZERO);
        left = minus(left, taken);
        // 3. Still more: the credit was used; paid shares of charges in force re-open newest
        //    first.
        if left > Money::ZERO {
            let paid = self.paid();
            let newest_first: Vec<(String, Money)> = self
                .oldest_first_of(payer)
                .into_iter()
                .rev()
                .filter(|c| self.in_force(c))
                .map(|c| (c.id.clone(), paid.of(&c.id, payer)))
                .filter(|(_, p)| *p > Money::ZERO)
                .collect();
            for (charge, was_paid) in newest_first {
                if left <= Money::ZERO {
                    break;
                }
                let part = left.min(was_paid);
                self.push_allocation(Some(id), &charge, payer, -part, date);
                left = minus(left, part);
            }
        }
        if left > Money::ZERO {
            return Err(format!("{left} of {payment} cannot be taken back"));
        }
        self.payments.push(Payment {
            id: id.to_owned(),
            payer: payer.to_owned(),
            date,
            amount: -original.amount,
            charge: None,
            channel: None,
            reverses: Some(payment.to_owned()),
            reason: Some(reason.to_owned()),
        });
        self.reversed_payments
            .push((payment.to_owned(), id.to_owned()));
        // 4. The credit left pays the re-opened shares oldest first.
        self.use_credit(payer, date);
        Ok(())
    }

    /// For the ledger's own events, whether the ledger must accept `event` (`Some(None)`)
    /// or refuse it, and why (`Some(Some(why))`); `None` for another kind of event, which
    /// the reference does not judge.
    fn refusal(&self, event: &Event, enti: &[String]) -> Option<Option<String>> {
        let no = |why: &str| Some(Some(why.to_owned()));
        match event {
            Event::PaymentReceived {
                payment,
                payer,
                amount,
                charge,
                ..
            } => {
                if payment.trim().is_empty() {
                    return no("empty id");
                }
                if !enti.contains(payer) {
                    return no("unknown payer");
                }
                if self.payment(payment).is_some() {
                    return no("duplicate payment id");
                }
                if *amount <= Money::ZERO {
                    return no("amount not above zero");
                }
                if let Some(target) = charge {
                    match self.charge(target) {
                        None => return no("unknown charge"),
                        Some(c) if !c.shares.iter().any(|s| &s.payer == payer) => {
                            return no("the named charge has no share of the payer");
                        }
                        Some(_) => {}
                    }
                }
                Some(None)
            }
            Event::ChargeReversed { charge, reason, .. } => {
                if reason.trim().is_empty() {
                    return no("empty reason");
                }
                match self.charge(charge) {
                    None => no("unknown charge"),
                    Some(c) if c.kind == ChargeKind::Storno => no("a storno"),
                    Some(_) if self.reversal_of(charge).is_some() => no("already reversed"),
                    Some(_) => Some(None),
                }
            }
            Event::PaymentReversed {
                id,
                payment,
                date,
                reason,
            } => {
                if id.trim().is_empty() || reason.trim().is_empty() {
                    return no("empty id or reason");
                }
                let Some(p) = self.payment(payment) else {
                    return no("unknown payment");
                };
                if p.reverses.is_some() {
                    return no("a reversing entry");
                }
                if self.payment_reversal_of(payment).is_some() {
                    return no("already reversed");
                }
                if *date < p.date {
                    return no("before the payment");
                }
                if self.payment(id).is_some() {
                    return no("duplicate payment id");
                }
                Some(
                    self.clone()
                        .reverse_payment(id, payment, *date, reason)
                        .err(),
                )
            }
            _ => None,
        }
    }

    fn balance(&self, paid: &Paid, ente: &str, at: NaiveDate) -> Balance {
        let mine: Vec<&Charge> = self
            .charges
            .iter()
            .filter(|c| c.shares.iter().any(|s| s.payer == ente))
            .collect();
        Balance {
            ente: ente.to_owned(),
            at,
            charged: total(mine.iter().map(|c| share_of(c, ente))),
            paid: total(
                self.payments
                    .iter()
                    .filter(|p| p.payer == ente)
                    .map(|p| p.amount),
            ),
            outstanding: total(mine.iter().map(|c| self.open(paid, c, ente))),
            credit: self.credit(paid, ente),
            overdue: total(
                mine.iter()
                    .filter(|c| c.due < at)
                    .map(|c| self.open(paid, c, ente)),
            ),
        }
    }
}

/// A registry and its reference, driven together.
struct Harness {
    registry: Registry,
    reference: Reference,
    /// How many events of each ledger rule the reference folded, for the statistics.
    stats: Stats,
}

#[derive(Clone, Copy, Debug)]
struct Stats {
    events: usize,
    charges: usize,
    payments: usize,
    charge_reversals: usize,
    payment_reversals: usize,
    /// Payment reversals that had to re-open shares newest first (step 3).
    newest_first: usize,
    /// Allocations from credit.
    from_credit: usize,
    refused_ledger_events: usize,
    /// Charges with two payers.
    shared: usize,
    /// Negative allocations (payment reversals).
    taken_back: usize,
    /// Payment reversals whose step 1 found less paid than the payment had put on a share.
    capped: usize,
}

impl Stats {
    const ZERO: Stats = Stats {
        events: 0,
        charges: 0,
        payments: 0,
        charge_reversals: 0,
        payment_reversals: 0,
        newest_first: 0,
        from_credit: 0,
        refused_ledger_events: 0,
        shared: 0,
        taken_back: 0,
        capped: 0,
    };
}

impl std::ops::AddAssign for Stats {
    fn add_assign(&mut self, o: Stats) {
        self.events += o.events;
        self.charges += o.charges;
        self.payments += o.payments;
        self.charge_reversals += o.charge_reversals;
        self.payment_reversals += o.payment_reversals;
        self.newest_first += o.newest_first;
        self.from_credit += o.from_credit;
        self.refused_ledger_events += o.refused_ledger_events;
        self.shared += o.shared;
        self.taken_back += o.taken_back;
        self.capped += o.capped;
    }
}

impl Harness {
    fn new(registry: Registry) -> Harness {
        assert!(
            registry.charges().is_empty() && registry.payments().is_empty(),
            "the reference starts from an empty ledger"
        );
        Harness {
            registry,
            reference: Reference::default(),
            stats: Stats::ZERO,
        }
    }

    /// Applies `event` to the registry, folds what happened into the reference, compares.
    fn step(&mut self, event: Event) -> Result<(), TestCaseError> {
        let enti: Vec<String> = self.registry.enti().map(|e| e.id.clone()).collect();
        let expected = self.reference.refusal(&event, &enti);
        let retry = self.registry.events().contains(&event);
        let charges = self.registry.charges().len();
        let payments = self.registry.payments().len();
        let allocations = self.registry.allocations().len();
        let outcome = self.registry.apply(event.clone());
        self.stats.events += 1;
        let new_charges = self.registry.charges()[charges..].to_vec();
        self.stats.charges += new_charges.len();
        self.stats.shared += new_charges.iter().filter(|c| c.shares.len() > 1).count();
        let ledger_changed = !new_charges.is_empty()
            || self.registry.payments().len() != payments
            || self.registry.allocations().len() != allocations;
        match (&outcome, &expected) {
            (Ok(Applied::AlreadyRecorded { .. }), _) => {
                prop_assert!(retry, "{event:?} is not a retry");
                prop_assert!(!ledger_changed, "a retry changed the ledger");
            }
            (Ok(Applied::Unchanged), _) => {
                prop_assert!(matches!(event, Event::BillingRun { .. }), "{event:?}");
                prop_assert!(!ledger_changed, "an unchanged run changed the ledger");
            }
            (Err(e), Some(None)) => {
                prop_assert!(false, "the registry refused {event:?}: {e}");
            }
            (Err(_), _) => {
                self.stats.refused_ledger_events += usize::from(expected.is_some());
                prop_assert!(!ledger_changed, "a refused event changed the ledger");
            }
            (Ok(Applied::Recorded { .. }), Some(Some(why))) => {
                prop_assert!(false, "the registry accepted {event:?}, refused by {why}");
            }
            (Ok(Applied::Recorded { .. }), _) => self.fold(&event, new_charges)?,
        }
        compare(&self.registry, &self.reference)
            .map_err(|e| TestCaseError::fail(format!("after {event:?}: {e}")))
    }

    /// A batch that ends with an event the ledger refuses (a payment of nothing): all or
    /// none, so nothing of it may remain (R-JOURNAL).
    fn refused_batch(&mut self, mut events: Vec<Event>) -> Result<(), TestCaseError> {
        events.push(pay("NOTHING", "U1", 0, None, date(2021, 1, 1)));
        let before = self.registry.version();
        prop_assert!(self.registry.apply_all(None, events).is_err());
        prop_assert_eq!(self.registry.version(), before);
        compare(&self.registry, &self.reference)
            .map_err(|e| TestCaseError::fail(format!("after a refused batch: {e}")))
    }

    /// The journal replayed from its JSON still equals the reference.
    fn replayed(&self) -> Result<(), TestCaseError> {
        let replayed = Registry::from_json(&self.registry.to_json())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        compare(&replayed, &self.reference)
            .map_err(|e| TestCaseError::fail(format!("after the replay: {e}")))
    }

    /// Folds a recorded event into the reference.
    fn fold(&mut self, event: &Event, new_charges: Vec<Charge>) -> Result<(), TestCaseError> {
        let before = self.reference.allocations.len();
        match event {
            Event::BillingRun { .. } | Event::SubscriptionCancelled { .. } => {
                for c in new_charges {
                    self.reference.issue(c)?;
                }
            }
            Event::PaymentReceived {
                payment,
                payer,
                date,
                amount,
                charge,
                channel: _,
            } => {
                prop_assert!(new_charges.is_empty());
                self.stats.payments += 1;
                self.reference.pay(Payment {
                    id: payment.clone(),
                    payer: payer.clone(),
                    date: *date,
                    amount: *amount,
                    charge: charge.clone(),
                    channel: None,
                    reverses: None,
                    reason: None,
                });
            }
            Event::ChargeReversed { charge, date, .. } => {
                prop_assert_eq!(new_charges.len(), 1, "a reversal issues its storno only");
                self.stats.charge_reversals += 1;
                self.reference
                    .reverse_charge(charge, *date, &new_charges[0])?;
            }
            Event::PaymentReversed {
                id,
                payment,
                date,
                reason,
            } => {
                prop_assert!(new_charges.is_empty());
                self.stats.payment_reversals += 1;
                let own: Vec<String> = self
                    .reference
                    .allocations
                    .iter()
                    .filter(|a| a.payment.as_deref() == Some(payment))
                    .map(|a| a.charge.clone())
                    .collect();
                let start = self.reference.allocations.len();
                let paid = self.reference.paid();
                let payer = &self.reference.payment(payment).unwrap().payer;
                let capped = self.reference.allocations.iter().any(|a| {
                    a.payment.as_deref() == Some(payment)
                        && self
                            .reference
                            .charge(&a.charge)
                            .is_some_and(|c| self.reference.in_force(c))
                        && paid.of(&a.charge, payer) < a.amount
                });
                self.stats.capped += usize::from(capped);
                self.reference
                    .reverse_payment(id, payment, *date, reason)
                    .map_err(TestCaseError::fail)?;
                // Step 3 re-opened a share the payment had not paid itself.
                let step3 = self.reference.allocations[start..]
                    .iter()
                    .any(|a| a.amount.is_negative() && !own.contains(&a.charge));
                self.stats.newest_first += usize::from(step3);
            }
            _ => prop_assert!(new_charges.is_empty(), "{event:?} issued charges"),
        }
        self.stats.from_credit += self.reference.allocations[before..]
            .iter()
            .filter(|a| a.payment.is_none())
            .count();
        self.stats.taken_back += self.reference.allocations[before..]
            .iter()
            .filter(|a| a.amount.is_negative())
            .count();
        Ok(())
    }

    /// Every event of an operation of the random journals, in order.
    fn run(&mut self, events: Vec<Event>) -> Result<(), TestCaseError> {
        for e in events {
            self.step(e)?;
        }
        Ok(())
    }
}

/// The dates the balances are compared at: long before and after every charge, and on and
/// just after the first, a middle and the last due date (`overdue` counts due dates before
/// the day).
fn balance_dates(charges: &[Charge]) -> Vec<NaiveDate> {
    let mut dues: Vec<NaiveDate> = charges.iter().map(|c| c.due).collect();
    dues.sort();
    dues.dedup();
    let mut out = vec![date(2000, 1, 1), date(2099, 12, 31)];
    if !dues.is_empty() {
        for d in [dues[0], dues[dues.len() / 2], dues[dues.len() - 1]] {
            out.push(d);
            out.push(d + Days::new(1));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The registry's ledger against the reference's, in full.
fn compare(r: &Registry, reference: &Reference) -> Result<(), TestCaseError> {
    prop_assert_eq!(r.charges(), &reference.charges[..], "charges");
    prop_assert_eq!(r.payments(), &reference.payments[..], "payments");
    let (got, want) = (r.allocations(), &reference.allocations);
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        prop_assert_eq!(g, w, "allocation {} of {}", k, want.len());
    }
    prop_assert_eq!(got.len(), want.len(), "number of allocations");
    let paid = reference.paid();
    for at in balance_dates(&reference.charges) {
        let balances = r
            .balances(at)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let enti: Vec<&str> = r.enti().map(|e| e.id.as_str()).collect();
        prop_assert_eq!(balances.len(), enti.len());
        for (b, ente) in balances.iter().zip(enti) {
            prop_assert_eq!(b, &reference.balance(&paid, ente, at));
        }
    }
    for c in &reference.charges {
        for s in &c.shares {
            prop_assert_eq!(
                r.open_amount(&c.id, &s.payer),
                reference.open(&paid, c, &s.payer),
                "open amount of {} for {}",
                &c.id,
                &s.payer
            );
        }
        prop_assert_eq!(r.open_amount(&c.id, "no such payer"), Money::ZERO);
        prop_assert_eq!(r.reversal_of(&c.id), reference.reversal_of(&c.id));
    }
    prop_assert_eq!(r.open_amount("no such charge", "U1"), Money::ZERO);
    prop_assert!(r.charge("no such charge").is_none() && r.payment("no such payment").is_none());
    for c in &reference.charges {
        prop_assert_eq!(r.charge(&c.id), Some(c), "charge {}", &c.id);
    }
    let nobody = r.balance("no such ente", date(2099, 12, 31)).unwrap();
    prop_assert_eq!(
        (
            nobody.charged,
            nobody.paid,
            nobody.outstanding,
            nobody.credit,
            nobody.overdue
        ),
        (
            Money::ZERO,
            Money::ZERO,
            Money::ZERO,
            Money::ZERO,
            Money::ZERO
        )
    );
    for p in &reference.payments {
        prop_assert_eq!(r.payment(&p.id), Some(p), "payment {}", &p.id);
        prop_assert_eq!(
            r.payment_reversal_of(&p.id),
            reference.payment_reversal_of(&p.id)
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Worked examples: the expected allocations computed by hand.

/// An ente joins from 1 January 2021 to 2025: its quota is never prorated.
fn join(membership: &str, ente: &str) -> Vec<Event> {
    vec![
        Event::MembershipRequested {
            membership: membership.into(),
            ente: ente.into(),
            date: date(2020, 12, 1),
        },
        Event::MembershipApproved {
            membership: membership.into(),
            delibera: Delibera {
                number: format!("1/{membership}"),
                date: date(2020, 12, 10),
                organ: "Consiglio comunale".into(),
            },
        },
        Event::ConventionSigned {
            membership: membership.into(),
            date: date(2020, 12, 20),
            from: Some(date(2021, 1, 1)),
            to: date(2025, 12, 31),
        },
    ]
}

fn run(year: i32, issued: NaiveDate, due: NaiveDate) -> Event {
    Event::BillingRun { year, issued, due }
}

fn pay(id: &str, payer: &str, c: i64, charge: Option<&str>, on: NaiveDate) -> Event {
    Event::PaymentReceived {
        payment: id.into(),
        payer: payer.into(),
        date: on,
        amount: cents(c),
        charge: charge.map(str::to_owned),
        channel: None,
    }
}

fn unpay(id: &str, payment: &str, on: NaiveDate) -> Event {
    Event::PaymentReversed {
        id: id.into(),
        payment: payment.into(),
        date: on,
        reason: "bonifico respinto".into(),
    }
}

fn alloc(payment: Option<&str>, charge: &str, payer: &str, c: i64, on: NaiveDate) -> Allocation {
    Allocation {
        payment: payment.map(str::to_owned),
        charge: charge.into(),
        payer: payer.into(),
        amount: cents(c),
        date: on,
    }
}

/// The capofila pays half a quota, overpays, its credit pays next year's half; the
/// overpayment bounces after its credit was used, so a paid share re-opens newest first.
#[test]
fn worked_example_capofila_credit_then_payment_reversal() {
    let mut h = Harness::new(props::setup());
    let mut events = vec![Event::PayerAgreed {
        capofila: "U1".into(),
        members: vec!["017001".into()],
        share: CapofilaShare::Percent {
            percent: Decimal::from(50),
        },
        from_year: 2021,
    }];
    events.extend(join("A-1", "017001"));
    events.extend(join("A-4", "017004"));
    // 017001: 1.600 × 0,15 + 120 × 1,00 = 360,00, half to U1 (U1's share first);
    // 017004: 2.999 × 0,15 + 7 × 1,00 = 456,85. Both due 30 April.
    events.push(run(2021, date(2021, 3, 1), date(2021, 4, 30)));
    h.run(events).unwrap();
    let shares = |id: &str| -> Vec<(String, Money)> {
        let c = h.registry.charge(id).unwrap();
        c.shares
            .iter()
            .map(|s| (s.payer.clone(), s.amount))
            .collect()
    };
    assert_eq!(
        shares("Q2021-017001"),
        [
            ("U1".into(), cents(18_000)),
            ("017001".into(), cents(18_000))
        ]
    );
    assert_eq!(shares("Q2021-017004"), [("017004".into(), cents(45_685))]);
    let (apr10, may2, may3) = (date(2021, 4, 10), date(2021, 5, 2), date(2021, 5, 3));
    h.run(vec![
        // 100,00 on the named quota: 017001's share open 80,00.
        pay("P1", "017001", 10_000, Some("Q2021-017001"), apr10),
        // U1 500,00: its share of Q2021-017001 (180,00); credit 320,00.
        pay("P2", "U1", 50_000, None, may2),
        // 017004 500,00: its quota (456,85); credit 43,15.
        pay("P3", "017004", 50_000, None, may3),
    ])
    .unwrap();
    // 2022: the same quotas, issued 1 March. The credit is used charge by charge: U1's 320
    // pays its 180,00 of Q2022-017001 (credit 140,00); 017001 has no credit; 017004's 43,15
    // goes on Q2022-017004.
    let (mar1, mar10, mar15) = (date(2022, 3, 1), date(2022, 3, 10), date(2022, 3, 15));
    h.step(run(2022, mar1, date(2022, 4, 30))).unwrap();
    // P2 bounces: (1) its 180,00 on Q2021-017001 re-opens; (2) 140,00 out of U1's credit;
    // (3) the 180,00 left was credit already used: U1's newest paid share, Q2022-017001,
    // re-opens by 180,00; (4) no credit is left.
    h.step(unpay("S2", "P2", mar10)).unwrap();
    // 017001 pays 300,00: oldest first, 80,00 to 2021, 180,00 to 2022; credit 40,00.
    h.step(pay("P4", "017001", 30_000, None, mar15)).unwrap();
    let expected = vec![
        alloc(Some("P1"), "Q2021-017001", "017001", 10_000, apr10),
        alloc(Some("P2"), "Q2021-017001", "U1", 18_000, may2),
        alloc(Some("P3"), "Q2021-017004", "017004", 45_685, may3),
        alloc(None, "Q2022-017001", "U1", 18_000, mar1),
        alloc(None, "Q2022-017004", "017004", 4_315, mar1),
        alloc(Some("S2"), "Q2021-017001", "U1", -18_000, mar10),
        alloc(Some("S2"), "Q2022-017001", "U1", -18_000, mar10),
        alloc(Some("P4"), "Q2021-017001", "017001", 8_000, mar15),
        alloc(Some("P4"), "Q2022-017001", "017001", 18_000, mar15),
    ];
    assert_eq!(h.reference.allocations, expected);
    assert_eq!(h.registry.allocations(), &expected[..]);
    // U1: charged 360,00, paid 500,00 − 500,00, all outstanding and overdue in May 2022.
    let u1 = h.registry.balance("U1", date(2022, 5, 1)).unwrap();
    assert_eq!(
        (u1.charged, u1.paid, u1.outstanding, u1.credit, u1.overdue),
        (
            cents(36_000),
            cents(0),
            cents(36_000),
            cents(0),
            cents(36_000)
        )
    );
    // 017001: charged 360,00, paid 400,00, credit 40,00; 017004: 913,70 charged, 500,00
    // paid, 413,70 open, of which nothing is overdue on 30 April 2022 (due that day).
    let b = h.registry.balance("017001", date(2022, 5, 1)).unwrap();
    assert_eq!(
        (b.charged, b.paid, b.outstanding, b.credit),
        (cents(36_000), cents(40_000), cents(0), cents(4_000))
    );
    let b = h.registry.balance("017004", date(2022, 4, 30)).unwrap();
    assert_eq!(
        (b.charged, b.paid, b.outstanding, b.credit, b.overdue),
        (
            cents(91_370),
            cents(50_000),
            cents(41_370),
            cents(0),
            cents(0)
        )
    );
    assert_eq!(h.registry.payment_reversal_of("P2"), Some("S2"));
}

/// A partly paid quota is reversed (the payment becomes credit) and billed again (the
/// credit pays part of it); a payment naming the reversed quota goes oldest first; the
/// first payment bounces after its money went, as credit, to the new quota.
#[test]
fn worked_example_charge_reversal_rebilling_and_a_bounce() {
    let mut h = Harness::new(props::setup());
    let mut events = join("A-4", "017004");
    // Q2021-017004: 456,85, due 30 April.
    events.push(run(2021, date(2021, 3, 1), date(2021, 4, 30)));
    let (apr1, may1, jun1, jun15, jun20) = (
        date(2021, 4, 1),
        date(2021, 5, 1),
        date(2021, 6, 1),
        date(2021, 6, 15),
        date(2021, 6, 20),
    );
    // 200,00 on the quota.
    events.push(pay("P1", "017004", 20_000, Some("Q2021-017004"), apr1));
    // Reversed: storno R-Q2021-017004 of −456,85; the 200,00 paid becomes credit, with no
    // other open share to pay.
    events.push(Event::ChargeReversed {
        charge: "Q2021-017004".into(),
        date: may1,
        reason: "abitanti errati".into(),
    });
    // The year is billed again: Q2021-017004/2, 456,85; the credit pays 200,00 of it.
    events.push(run(2021, jun1, date(2021, 7, 31)));
    // 300,00 naming the reversed quota (open nothing): oldest first, 256,85 to the new one;
    // credit 43,15.
    events.push(pay("P2", "017004", 30_000, Some("Q2021-017004"), jun15));
    // P1 bounces: (1) it paid only the reversed quota: nothing to re-open there; (2) 43,15
    // out of the credit; (3) 156,85 from the newest paid share, Q2021-017004/2.
    events.push(unpay("S1", "P1", jun20));
    h.run(events).unwrap();
    let storno = h.registry.charge("R-Q2021-017004").unwrap();
    assert_eq!(storno.amount, cents(-45_685));
    assert_eq!(
        h.registry.reversal_of("Q2021-017004"),
        Some("R-Q2021-017004")
    );
    let expected = vec![
        alloc(Some("P1"), "Q2021-017004", "017004", 20_000, apr1),
        alloc(None, "Q2021-017004/2", "017004", 20_000, jun1),
        alloc(Some("P2"), "Q2021-017004/2", "017004", 25_685, jun15),
        alloc(Some("S1"), "Q2021-017004/2", "017004", -15_685, jun20),
    ];
    assert_eq!(h.reference.allocations, expected);
    assert_eq!(h.registry.allocations(), &expected[..]);
    // charged 456,85 − 456,85 + 456,85; paid 200 + 300 − 200; open 156,85, overdue in August.
    let b = h.registry.balance("017004", date(2021, 8, 1)).unwrap();
    assert_eq!(
        (b.charged, b.paid, b.outstanding, b.credit, b.overdue),
        (
            cents(45_685),
            cents(30_000),
            cents(15_685),
            cents(0),
            cents(15_685)
        )
    );
    assert_eq!(h.registry.open_amount("Q2021-017004", "017004"), cents(0));
    assert_eq!(
        h.registry.open_amount("Q2021-017004/2", "017004"),
        cents(15_685)
    );
}

/// A late run bills 2021 with an earlier due date than 2022's quota, so the bounce of the
/// payment whose credit paid 2021 re-opens 2022 (the newest by due date), which another
/// payment had paid; when that one bounces too, there is nothing left of it on 2022 to
/// re-open (step 1 takes at most what is paid now), and it comes out of 2021.
#[test]
fn worked_example_a_bounce_reopens_a_share_another_payment_paid() {
    let mut h = Harness::new(props::setup());
    let mut events = join("A-4", "017004");
    let (jan10, jan20, jan25) = (date(2022, 1, 10), date(2022, 1, 20), date(2022, 1, 25));
    let (feb1, feb10, feb15) = (date(2022, 2, 1), date(2022, 2, 10), date(2022, 2, 15));
    // Q2022-017004, 456,85, due 31 December.
    events.push(run(2022, jan10, date(2022, 12, 31)));
    // P1 pays it in full, naming it.
    events.push(pay("P1", "017004", 45_685, Some("Q2022-017004"), jan20));
    // P2 500,00: nothing open, all credit.
    events.push(pay("P2", "017004", 50_000, None, jan25));
    // Q2021-017004, billed late, due 30 June: the credit pays it (credit 43,15).
    events.push(run(2021, feb1, date(2022, 6, 30)));
    // P2 bounces: (1) no allocations of its own; (2) 43,15 of credit; (3) 456,85 from the
    // newest paid share: by due date that is Q2022-017004 (31 December), paid by P1.
    events.push(unpay("S2", "P2", feb10));
    // P1 bounces: (1) it paid 456,85 of Q2022-017004, of which nothing is paid now: nothing
    // re-opens there; (2) no credit; (3) the newest paid share is Q2021-017004: 456,85.
    events.push(unpay("S1", "P1", feb15));
    h.run(events).unwrap();
    let expected = vec![
        alloc(Some("P1"), "Q2022-017004", "017004", 45_685, jan20),
        alloc(None, "Q2021-017004", "017004", 45_685, feb1),
        alloc(Some("S2"), "Q2022-017004", "017004", -45_685, feb10),
        alloc(Some("S1"), "Q2021-017004", "017004", -45_685, feb15),
    ];
    assert_eq!(h.reference.allocations, expected);
    assert_eq!(h.registry.allocations(), &expected[..]);
    let b = h.registry.balance("017004", date(2022, 7, 1)).unwrap();
    assert_eq!(
        (b.charged, b.paid, b.outstanding, b.credit, b.overdue),
        (
            cents(91_370),
            cents(0),
            cents(91_370),
            cents(0),
            cents(45_685)
        )
    );
}

// ---------------------------------------------------------------------------------------
// Random journals.

/// More payers than the properties' registry: a second capofila (a Comunità Montana) and
/// four more comuni (all under 3.000 inhabitants), for charges with two payers each side.
const MORE_COMUNI: [(&str, u64, u64); 4] = [
    ("017005", 800, 40),
    ("017006", 2_500, 210),
    ("017007", 1_234, 99),
    ("017008", 2_000, 0),
];

fn ledger_setup() -> Registry {
    let mut r = props::setup();
    let mut cm = Ente::comune("CM1", "Comunità Montana", 0, 0);
    cm.kind = EnteKind::ComunitaMontana;
    r.apply(Event::EnteRegistered { ente: cm }).unwrap();
    for (id, ab, imp) in MORE_COMUNI {
        r.apply(Event::EnteRegistered {
            ente: Ente::comune(id, id, ab, imp),
        })
        .unwrap();
    }
    r
}

/// Every ente of [`ledger_setup`]: the two capofila first.
fn any_ente(i: usize) -> String {
    let all = [
        "U1", "CM1", "017001", "017002", "017003", "017004", "017005", "017006", "017007", "017008",
    ];
    all[i % all.len()].to_owned()
}

/// Operations weighted towards the ledger, on the registry of [`ledger_setup`].
#[derive(Clone, Debug)]
enum LedgerOp {
    /// Any operation of the properties' generator (on its five enti).
    Base(Op),
    /// Any ente joins on a day of 2021-2023 (a prorated first quota).
    Join(usize, Day),
    /// A capofila (U1 or CM1) agrees to pay part of some comuni's quotas.
    Agree(bool, Vec<usize>, u8, i64),
    /// A payer pays for one of its shares: `how` decides half, all, a cent more, twice, a
    /// cent; named or not.
    PayShare(usize, usize, u8, bool, Day),
    /// A payer pays half, all or one and a half of what it owes, named nothing.
    PayDebt(usize, u8, Day),
    /// One of the latest payments (or entries) is reversed, `days` after it.
    Unpay(usize, u64),
    /// One of the latest charges is reversed.
    Reverse(usize, Day),
    /// A payer overpays (`how` as for [`LedgerOp::PayDebt`], plus 500,00), a year is
    /// billed, and the payment bounces: its credit may have paid the new charges.
    Bounce(usize, u8, i32, Day),
    /// The events of an operation in a batch that ends with a refused event: none applies.
    Refused(Box<LedgerOp>),
}

fn ledger_op() -> impl Strategy<Value = LedgerOp> {
    let base_ledger = prop_oneof![
        3 => (2021i32..=2023, props::day()).prop_map(|(y, d)| Op::Run(y, d)),
        1 => (0usize..8, props::day(), 0i64..50_000).prop_map(|(s, d, c)| Op::Cancel(s, d, c)),
        1 => (0usize..5, 0usize..5, 1u64..20, props::day())
            .prop_map(|(e, s, q, d)| Op::Service(e, s, q, d)),
    ];
    let op = prop_oneof![
        2 => props::op().prop_map(LedgerOp::Base),
        7 => base_ledger.prop_map(LedgerOp::Base),
        4 => (0usize..10, props::day()).prop_map(|(e, d)| LedgerOp::Join(e, d)),
        2 => (any::<bool>(), prop::collection::vec(0usize..10, 1..4), 0u8..3, 0i64..100_000)
            .prop_map(|(c, m, k, x)| LedgerOp::Agree(c, m, k, x)),
        8 => (0usize..40, 0usize..2, 0u8..5, any::<bool>(), props::day())
            .prop_map(|(c, s, h, n, d)| LedgerOp::PayShare(c, s, h, n, d)),
        3 => (0usize..10, 0u8..3, props::day()).prop_map(|(p, h, d)| LedgerOp::PayDebt(p, h, d)),
        4 => (0usize..4, 0u64..120).prop_map(|(b, k)| LedgerOp::Unpay(b, k)),
        3 => (0usize..6, props::day()).prop_map(|(b, d)| LedgerOp::Reverse(b, d)),
        2 => (0usize..10, 0u8..3, 2021i32..=2023, props::day())
            .prop_map(|(p, h, y, d)| LedgerOp::Bounce(p, h, y, d)),
    ];
    prop_oneof![
        20 => op.clone(),
        1 => op.prop_map(|op| LedgerOp::Refused(Box::new(op))),
    ]
}

fn scaled(m: Money, how: u8) -> Money {
    let c = m.cents().unwrap_or(0).abs().max(100);
    cents(match how {
        0 => (c / 2).max(1),
        1 => c,
        2 => c + 1,
        3 => 2 * c,
        _ => 1,
    })
}

/// `payer` pays half, all or one and a half of what it owes (at least 2,00), plus `extra`
/// cents, named nothing.
fn pay_debt(r: &Registry, n: usize, payer: usize, how: u8, d: Day, extra: i64) -> Event {
    let payer = any_ente(payer);
    let owed = r
        .balance(&payer, d.get())
        .map_or(Money::ZERO, |b| b.outstanding);
    let c = owed.cents().unwrap_or(0).max(200);
    Event::PaymentReceived {
        payment: format!("PX-{n}"),
        payer,
        date: d.get(),
        amount: cents(c * i64::from(how + 1) / 2 + extra),
        charge: None,
        channel: None,
    }
}

/// The events of a [`LedgerOp`] on the registry so far (ids by operation number `n`).
fn ledger_events(r: &Registry, n: usize, op: &LedgerOp) -> Vec<Event> {
    match op {
        LedgerOp::Base(op) => props::events(r, n, op),
        LedgerOp::Refused(op) => ledger_events(r, n, op),
        LedgerOp::Join(e, d) => {
            let m = format!("B-{n}");
            vec![
                Event::MembershipRequested {
                    membership: m.clone(),
                    ente: any_ente(*e),
                    date: d.get(),
                },
                Event::MembershipApproved {
                    membership: m.clone(),
                    delibera: Delibera {
                        number: format!("B{n}"),
                        date: date(2021, 1, 1),
                        organ: "Consiglio".into(),
                    },
                },
                Event::ConventionSigned {
                    membership: m,
                    date: d.get(),
                    from: None,
                    to: date(2025, 12, 31),
                },
            ]
        }
        LedgerOp::Agree(cm, members, kind, x) => vec![Event::PayerAgreed {
            capofila: if *cm { "CM1" } else { "U1" }.into(),
            // comuni only: indexes past the two capofila
            members: {
                let mut ms: Vec<String> = members.iter().map(|&m| any_ente(2 + m % 8)).collect();
                ms.dedup();
                ms
            },
            share: match kind {
                0 => CapofilaShare::All,
                1 => CapofilaShare::Percent {
                    percent: Decimal::new(*x % 10_001, 2),
                },
                _ => CapofilaShare::Fixed { amount: cents(*x) },
            },
            from_year: 2021 + i32::from(*kind == 2 && x % 2 == 0),
        }],
        LedgerOp::PayShare(c, s, how, named, d) => {
            let cs = r.charges();
            if cs.is_empty() {
                return vec![];
            }
            let charge = &cs[c % cs.len()];
            let share = &charge.shares[s % charge.shares.len()];
            let open = r.open_amount(&charge.id, &share.payer);
            let base = if open > Money::ZERO {
                open
            } else {
                share.amount
            };
            vec![Event::PaymentReceived {
                payment: format!("PX-{n}"),
                payer: share.payer.clone(),
                date: d.get(),
                amount: scaled(base, *how),
                charge: named.then(|| charge.id.clone()),
                channel: None,
            }]
        }
        LedgerOp::PayDebt(p, how, d) => vec![pay_debt(r, n, *p, *how, *d, 0)],
        LedgerOp::Bounce(p, how, year, d) => {
            let payment = pay_debt(r, n, *p, *how, *d, 50_000);
            let Event::PaymentReceived { payment: id, .. } = &payment else {
                unreachable!()
            };
            let id = id.clone();
            let issued = d.get() + Days::new(10);
            vec![
                payment,
                run(*year, issued, issued + Days::new(30)),
                unpay(&format!("STX-{n}"), &id, issued + Days::new(5)),
            ]
        }
        LedgerOp::Unpay(back, days) => {
            let ps = r.payments();
            if ps.is_empty() {
                return vec![];
            }
            let p = &ps[ps.len() - 1 - back % ps.len()];
            vec![Event::PaymentReversed {
                id: format!("STX-{n}"),
                payment: p.id.clone(),
                date: p.date + Days::new(*days),
                reason: "bonifico respinto".into(),
            }]
        }
        LedgerOp::Reverse(back, d) => {
            let cs = r.charges();
            if cs.is_empty() {
                return vec![];
            }
            vec![Event::ChargeReversed {
                charge: cs[cs.len() - 1 - back % cs.len()].id.clone(),
                date: d.get(),
                reason: "rettifica".into(),
            }]
        }
    }
}

fn report(name: &str, stats: &Mutex<(usize, Stats)>, s: Stats) {
    if std::env::var_os("CIT_PROP_STATS").is_none() {
        return;
    }
    let mut g = stats.lock().unwrap();
    g.0 += 1;
    g.1 += s;
    if g.0 % 50 == 0 {
        eprintln!("{name}: {} journals, {:?}", g.0, g.1);
    }
}

static STATS_A: Mutex<(usize, Stats)> = Mutex::new((0, Stats::ZERO));
static STATS_B: Mutex<(usize, Stats)> = Mutex::new((0, Stats::ZERO));

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// The properties' random journals (up to 60 operations): after every event the
    /// registry's ledger equals the reference's.
    #[test]
    fn random_journals_match_the_reference(ops in prop::collection::vec(props::op(), 0..60)) {
        let mut h = Harness::new(props::setup());
        for (n, op) in ops.iter().enumerate() {
            let events = props::events(&h.registry, n, op);
            h.run(events)?;
        }
        h.replayed()?;
        report("random_journals", &STATS_A, h.stats);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Ten payers, two capofila and a journal weighted towards the ledger: partial and
    /// exact payments and overpayments, named or not, payment reversals after the credit
    /// was used, charge reversals then re-billing.
    #[test]
    fn ledger_heavy_journals_match_the_reference(
        joins in prop::collection::vec((0usize..10, props::day()), 2..8),
        ops in prop::collection::vec(ledger_op(), 0..60),
    ) {
        let mut h = Harness::new(ledger_setup());
        let joins = joins.into_iter().map(|(e, d)| LedgerOp::Join(e, d));
        for (n, op) in joins.chain(ops).enumerate() {
            let events = ledger_events(&h.registry, n, &op);
            if matches!(op, LedgerOp::Refused(_)) {
                h.refused_batch(events)?;
            } else {
                h.run(events)?;
            }
        }
        h.replayed()?;
        report("ledger_heavy", &STATS_B, h.stats);
    }
}

#[test]
fn cancellation_conditions_are_a_charge_like_any_other() {
    // A disdetta's conditions take the ente's credit at once (R-CANCEL, R-LEDGER).
    let mut h = Harness::new(props::setup());
    let mut events = join("A-1", "017001");
    events.push(pay("P1", "017001", 5_000, None, date(2021, 2, 1)));
    events.push(Event::SubscriptionRequested {
        subscription: "S-1".into(),
        ente: "017001".into(),
        service: "pec".into(),
        quantity: 2,
        contact: "Ufficio".into(),
        people: vec![],
        date: date(2021, 2, 1),
    });
    events.push(Event::SubscriptionActivated {
        subscription: "S-1".into(),
        date: date(2021, 2, 2),
    });
    events.push(Event::SubscriptionCancelled {
        subscription: "S-1".into(),
        date: date(2021, 6, 1),
        reason: "disdetta".into(),
        conditions: vec![Condition {
            label: "Costi non recuperati".into(),
            amount: cents(3_000),
        }],
    });
    h.run(events).unwrap();
    assert_eq!(
        h.registry.allocations(),
        [alloc(None, "D-S-1", "017001", 3_000, date(2021, 6, 1))]
    );
    assert_eq!(
        h.registry
            .balance("017001", date(2021, 6, 1))
            .unwrap()
            .credit,
        cents(2_000)
    );
}
