//! The ledger (R-LEDGER): charges with their payer shares (R-PAYER), payments, their
//! allocation, credit and reversing entries; and the largest-remainder split.

use std::collections::{BTreeMap, BTreeSet};

use super::undo::Index;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::charge::{Charge, ChargeKind, LEDGER};
use crate::{Error, Money, Result};

/// Money received from a payer (*entrata*, R-LEDGER), or the reversing entry that cancels
/// one (*storno dell'incasso*): entries are never edited, a correction is an opposite entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Payment {
    /// Stable id (the receipt number, or the reversal's own number).
    pub id: String,
    /// The paying ente.
    pub payer: String,
    /// Day received (or reversed).
    #[schemars(with = "crate::schema::Date")]
    #[serde(with = "crate::date_serde")]
    pub date: NaiveDate,
    /// Amount: above zero for money received; the opposite of the payment reversed for a
    /// reversing entry.
    pub amount: Money,
    /// The charge it is meant for, if named (never for a reversing entry).
    pub charge: Option<String>,
    /// How it was paid, if said (R-NOTICE, R-RECONCILE).
    pub channel: Option<Box<super::Channel>>,
    /// The payment this entry reverses, for a reversing entry.
    pub reverses: Option<String>,
    /// Why it was reversed, for a reversing entry.
    pub reason: Option<String>,
}

/// Money put against a payer's share of a charge (R-LEDGER). A reversed payment takes its
/// money back with negative allocations (see [`Event::PaymentReversed`](crate::Event::PaymentReversed)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Allocation {
    /// The payment (or reversing entry) it comes from; `None` when it comes from the
    /// payer's credit.
    pub payment: Option<String>,
    /// The charge.
    pub charge: String,
    /// The payer.
    pub payer: String,
    /// The amount allocated; negative when a payment reversal re-opens the share.
    pub amount: Money,
    /// Day of the allocation.
    #[schemars(with = "crate::schema::Date")]
    #[serde(with = "crate::date_serde")]
    pub date: NaiveDate,
}

/// An allocation as the ledger keeps it: the positions of its payment and of the share it
/// pays, no text of its own (a journal makes one or two for each payment);
/// [`Ledger::allocation`] writes it out as an [`Allocation`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Posted {
    /// The position in `payments` of the payment (or reversing entry) it comes from;
    /// `None` from the payer's credit.
    pub(crate) payment: Option<usize>,
    /// The share paid: the charge's position, the share's index in it.
    pub(crate) share: (usize, usize),
    pub(crate) amount: Money,
    pub(crate) date: NaiveDate,
}

/// Where the money an allocation puts on a share comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Funds {
    /// The payment (or reversing entry) being recorded, the next of `payments`.
    Payment,
    /// The payer's credit.
    Credit,
}

/// The accounts of one payer (*situazione contabile*, R-LEDGER): every entry the journal
/// holds, whatever its date; the date `at` decides only what is `overdue`.
///
/// Always `paid − credit = charged − outstanding`: no payment is lost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Balance {
    /// The ente, as payer.
    pub ente: String,
    /// The day `overdue` is computed at.
    #[schemars(with = "crate::schema::Date")]
    #[serde(with = "crate::date_serde")]
    pub at: NaiveDate,
    /// Every share it was charged, reversals included.
    pub charged: Money,
    /// Every payment it made.
    pub paid: Money,
    /// What it still owes.
    pub outstanding: Money,
    /// Money received and not yet owed: used on its next charges.
    pub credit: Money,
    /// The part of `outstanding` due before `at`.
    pub overdue: Money,
}

/// A payer's share of a charge in allocation order: due date, day of issue, order of
/// issue (the charge's index), the share's index in the charge.
type ShareKey = (NaiveDate, NaiveDate, usize, usize);

/// One payer's running totals (R-LEDGER): kept as entries are recorded, so a balance never
/// walks the journal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Totals {
    /// Every share charged to it, reversals included.
    charged: Money,
    /// Every payment it made, reversing entries included.
    paid: Money,
    /// What is open of its shares.
    outstanding: Money,
    /// Money received and not yet owed.
    credit: Money,
}

/// One payer's accounts: its totals, and its shares indexed for allocation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Account {
    payer: String,
    totals: Totals,
    /// The shares with something open, oldest first: what a payment pays (R-LEDGER).
    open: BTreeSet<ShareKey>,
    /// The shares of charges in force with something paid: what a payment reversal
    /// re-opens, newest first, when the credit it made was already spent.
    paid: BTreeSet<ShareKey>,
}

/// The ledger's state: a fold over the charge and payment events, with the indexes that
/// make each event cost what it touches, not what the journal holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Ledger {
    pub(crate) charges: Vec<Charge>,
    /// Where each charge's shares start in `shares`, and whether it is in force; parallel
    /// to `charges`.
    entries: Vec<Entry>,
    /// The state of every share of every charge, the shares of charge `i` from
    /// `entries[i].first` on, in the order of `charges[i].shares`.
    shares: Vec<ShareState>,
    pub(crate) payments: Vec<Payment>,
    pub(crate) allocations: Vec<Posted>,
    /// Reversed charge id → the id of its reversing charge.
    pub(crate) reversed: BTreeMap<String, String>,
    /// Reversed payment id → the id of its reversing entry.
    pub(crate) reversed_payments: BTreeMap<String, String>,
    /// Charge id → its index in `charges`.
    charge_index: Index<String, usize>,
    /// Payment id → its index in `payments`.
    payment_index: Index<String, usize>,
    /// The allocations each payment (or reversing entry) made, parallel to `payments`: a
    /// range of `allocations`, since an entry makes all of its own in the event that
    /// records it.
    made: Vec<std::ops::Range<usize>>,
    /// Every payer's accounts, in order of first appearance.
    accounts: Vec<Account>,
    /// Payer → the index of its account.
    payers: Index<String, usize>,
    /// What the events applied since the last commit changed, with what to restore, so
    /// that a refused event or batch can be undone (see [`Ledger::rollback`]).
    undo: Vec<Undo>,
}

/// Where a charge's shares are kept, and whether it is in force (neither a reversing entry
/// nor reversed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    first: usize,
    in_force: bool,
}

/// What is open of a share, and whose account it is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ShareState {
    open: Money,
    account: usize,
}

/// A change made by the events since the last commit, with what to restore.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Undo {
    /// Share `(i, j)` had this open amount.
    Open(usize, usize, Money),
    /// The account had these totals.
    Totals(usize, Totals),
    /// The last account was opened.
    NewAccount,
    /// The last charge was issued.
    Issued,
    /// The last payment was recorded.
    Paid,
    /// The last allocation was made.
    Allocated,
    /// Charge `i`, of this id, was marked reversed.
    Reversed(usize, String),
    /// This payment was marked reversed.
    ReversedPayment(String),
}

fn overflow(what: impl Into<String>) -> Error {
    Error::overflow(LEDGER, what)
}

impl Ledger {
    /// The events are recorded: forget how to undo them.
    pub(crate) fn commit(&mut self) {
        self.undo.clear();
    }

    /// The events since the last commit are refused: restores the ledger exactly as it
    /// was then, indexes included, undoing every change newest first.
    pub(crate) fn rollback(&mut self) {
        while let Some(u) = self.undo.pop() {
            match u {
                Undo::Open(i, j, v) => {
                    self.share_mut(i, j).open = v;
                    self.refresh(i, j);
                }
                Undo::Totals(a, totals) => {
                    if let Some(a) = self.accounts.get_mut(a) {
                        a.totals = totals;
                    }
                }
                Undo::NewAccount => {
                    if let Some(a) = self.accounts.pop() {
                        self.payers.remove(&a.payer);
                    }
                }
                Undo::Issued => {
                    if let Some(i) = self.charges.len().checked_sub(1) {
                        for j in 0..self.charges[i].shares.len() {
                            let key = self.key(i, j);
                            let a = self.share(i, j).account;
                            if let Some(a) = self.accounts.get_mut(a) {
                                a.open.remove(&key);
                                a.paid.remove(&key);
                            }
                        }
                        self.charge_index.remove(&self.charges[i].id);
                        self.charges.pop();
                        if let Some(e) = self.entries.pop() {
                            self.shares.truncate(e.first);
                        }
                    }
                }
                Undo::Paid => {
                    if let Some(p) = self.payments.pop() {
                        self.payment_index.remove(&p.id);
                        self.made.pop();
                    }
                }
                Undo::Allocated => {
                    self.allocations.pop();
                }
                Undo::Reversed(i, id) => {
                    self.reversed.remove(&id);
                    self.entries[i].in_force = true;
                    for j in 0..self.charges[i].shares.len() {
                        self.refresh(i, j);
                    }
                }
                Undo::ReversedPayment(id) => {
                    self.reversed_payments.remove(&id);
                }
            }
        }
    }

    /// The allocation-order key of share `(i, j)`.
    fn key(&self, i: usize, j: usize) -> ShareKey {
        let c = &self.charges[i];
        (c.due, c.issued, i, j)
    }

    fn share(&self, i: usize, j: usize) -> &ShareState {
        &self.shares[self.entries[i].first + j]
    }

    fn share_mut(&mut self, i: usize, j: usize) -> &mut ShareState {
        let k = self.entries[i].first + j;
        &mut self.shares[k]
    }

    /// What is open of share `(i, j)`.
    pub(crate) fn open(&self, i: usize, j: usize) -> Money {
        self.share(i, j).open
    }

    /// Puts share `(i, j)` in its payer's indexes as its open and paid amounts now say.
    fn refresh(&mut self, i: usize, j: usize) {
        let key = self.key(i, j);
        let ShareState { open, account } = *self.share(i, j);
        let paid = self.in_force(i) && self.charges[i].shares[j].amount > open;
        if let Some(a) = self.accounts.get_mut(account) {
            a.open.remove(&key);
            a.paid.remove(&key);
            if open > Money::ZERO {
                a.open.insert(key);
            }
            if paid {
                a.paid.insert(key);
            }
        }
    }

    /// The index of the payer's account, opened if it has none.
    fn account(&mut self, payer: &str) -> usize {
        if let Some(&a) = self.payers.get(payer) {
            return a;
        }
        let a = self.accounts.len();
        self.accounts.push(Account {
            payer: payer.to_owned(),
            ..Account::default()
        });
        self.payers.insert(payer.to_owned(), a);
        self.undo.push(Undo::NewAccount);
        a
    }

    /// The payer's account, if it has one.
    fn account_of_payer(&self, payer: &str) -> Option<&Account> {
        self.payers.get(payer).map(|&a| &self.accounts[a])
    }

    /// Changes the totals of account `a` with `f`, remembering what they were.
    fn update(&mut self, a: usize, f: impl FnOnce(&mut Totals) -> Result<()>) -> Result<()> {
        let before = self.accounts[a].totals;
        let mut totals = before;
        f(&mut totals)?;
        self.accounts[a].totals = totals;
        self.undo.push(Undo::Totals(a, before));
        Ok(())
    }

    /// Sets the open amount of share `(i, j)`, its payer's outstanding and indexes.
    fn set_open(&mut self, (i, j): (usize, usize), value: Money) -> Result<()> {
        let ShareState {
            open: before,
            account,
        } = *self.share(i, j);
        self.update(account, |t| {
            t.outstanding = t
                .outstanding
                .sub_at(before, LEDGER)?
                .add_at(value, LEDGER)?;
            Ok(())
        })?;
        self.undo.push(Undo::Open(i, j, before));
        self.share_mut(i, j).open = value;
        self.refresh(i, j);
        Ok(())
    }

    /// Sets the credit of account `a`.
    fn set_credit(&mut self, a: usize, value: Money) -> Result<()> {
        self.update(a, |t| {
            t.credit = value;
            Ok(())
        })
    }

    /// Appends a charge whose shares have these open amounts.
    fn push_charge(&mut self, charge: Charge, open: Vec<Money>) -> Result<()> {
        let i = self.charges.len();
        let mut accounts = Vec::with_capacity(charge.shares.len());
        for (share, o) in charge.shares.iter().zip(&open) {
            let a = self.account(&share.payer);
            self.update(a, |t| {
                t.charged = t.charged.add_at(share.amount, LEDGER)?;
                t.outstanding = t.outstanding.add_at(*o, LEDGER)?;
                Ok(())
            })?;
            accounts.push(a);
        }
        self.charge_index.insert(charge.id.clone(), i);
        self.entries.push(Entry {
            first: self.shares.len(),
            in_force: charge.kind != ChargeKind::Storno,
        });
        self.shares.extend(
            open.into_iter()
                .zip(accounts)
                .map(|(open, account)| ShareState { open, account }),
        );
        self.charges.push(charge);
        self.undo.push(Undo::Issued);
        for j in 0..self.charges[i].shares.len() {
            self.refresh(i, j);
        }
        Ok(())
    }

    /// Records a payment (or reversing entry) that made the allocations from `made` on.
    fn push_payment(&mut self, payment: Payment, made: usize) -> Result<()> {
        let a = self.account(&payment.payer);
        self.update(a, |t| {
            t.paid = t.paid.add_at(payment.amount, LEDGER)?;
            Ok(())
        })?;
        self.payment_index
            .insert(payment.id.clone(), self.payments.len());
        self.payments.push(payment);
        self.made.push(made..self.allocations.len());
        self.undo.push(Undo::Paid);
        Ok(())
    }

    fn push_allocation(&mut self, allocation: Posted) {
        self.allocations.push(allocation);
        self.undo.push(Undo::Allocated);
    }

    pub(crate) fn charge(&self, id: &str) -> Option<&Charge> {
        self.charge_index.get(id).map(|&i| &self.charges[i])
    }

    /// The index of a charge in order of issue.
    pub(crate) fn charge_position(&self, id: &str) -> Option<usize> {
        self.charge_index.get(id).copied()
    }

    pub(crate) fn payment(&self, id: &str) -> Option<&Payment> {
        self.payment_index.get(id).map(|&i| &self.payments[i])
    }

    #[cfg(test)]
    pub(crate) fn credit(&self, payer: &str) -> Money {
        self.account_of_payer(payer)
            .map_or(Money::ZERO, |a| a.totals.credit)
    }

    /// What `payer` still owes of charge `index`.
    pub(crate) fn open_of(&self, index: usize, payer: &str) -> Money {
        let Some(charge) = self.charges.get(index) else {
            return Money::ZERO;
        };
        charge
            .shares
            .iter()
            .enumerate()
            .filter(|(_, s)| s.payer == payer)
            .fold(Money::ZERO, |acc, (j, _)| {
                acc.checked_add(self.open(index, j)).unwrap_or(acc)
            })
    }

    /// Records a new charge, then uses the payers' credit on it.
    pub(crate) fn issue(&mut self, charge: Charge) -> Result<()> {
        if self.charge_index.contains_key(&charge.id) {
            return Err(Error::DuplicateEvent {
                entity: "charge",
                id: charge.id,
            });
        }
        let sum = Money::checked_sum(charge.shares.iter().map(|s| s.amount))
            .ok_or_else(|| overflow("sum of the shares"))?;
        if sum != charge.amount || charge.shares.iter().any(|s| s.amount.is_negative()) {
            return Err(Error::InvalidValue {
                path: "shares".to_owned(),
                expected: format!(
                    "shares of zero or more adding up to the charge, {} (R-PAYER)",
                    charge.amount
                ),
                found: sum.to_string(),
            });
        }
        let date = charge.issued;
        let open = charge.shares.iter().map(|s| s.amount).collect();
        let i = self.charges.len();
        self.push_charge(charge, open)?;
        for j in 0..self.charges[i].shares.len() {
            self.settle(self.share(i, j).account, date)?;
        }
        Ok(())
    }

    /// Puts `amount` of the payment being recorded (or of the payer's credit) against
    /// share `(i, j)`; a negative amount re-opens the share: a payment reversal's negative
    /// allocation from its reversing entry (R-LEDGER).
    fn allocate(
        &mut self,
        (i, j): (usize, usize),
        amount: Money,
        funds: Funds,
        date: NaiveDate,
    ) -> Result<()> {
        self.set_open((i, j), self.open(i, j).sub_at(amount, LEDGER)?)?;
        self.push_allocation(Posted {
            payment: (funds == Funds::Payment).then_some(self.payments.len()),
            share: (i, j),
            amount,
            date,
        });
        Ok(())
    }

    /// Allocation `k` written out, with the ids of its payment, charge and payer.
    pub(crate) fn allocation(&self, k: usize) -> Allocation {
        let a = &self.allocations[k];
        let (i, j) = a.share;
        Allocation {
            payment: a.payment.map(|p| self.payments[p].id.clone()),
            charge: self.charges[i].id.clone(),
            payer: self.charges[i].shares[j].payer.clone(),
            amount: a.amount,
            date: a.date,
        }
    }

    /// Puts `amount` against the payer's open shares oldest first; returns what is left.
    /// Touches only the shares it pays.
    fn allocate_oldest_first(
        &mut self,
        a: usize,
        mut amount: Money,
        funds: Funds,
        date: NaiveDate,
    ) -> Result<Money> {
        while amount > Money::ZERO {
            let Some(&(_, _, i, j)) = self.accounts[a].open.first() else {
                break;
            };
            let part = amount.min(self.open(i, j));
            self.allocate((i, j), part, funds, date)?;
            amount = amount.sub_at(part, LEDGER)?;
        }
        Ok(amount)
    }

    /// Uses the payer's credit on its open shares, oldest first.
    fn settle(&mut self, a: usize, date: NaiveDate) -> Result<()> {
        let credit = self.accounts[a].totals.credit;
        if credit > Money::ZERO {
            let left = self.allocate_oldest_first(a, credit, Funds::Credit, date)?;
            self.set_credit(a, left)?;
        }
        Ok(())
    }

    /// Records a payment: to the named charge first, then oldest first; the rest becomes
    /// credit (R-LEDGER).
    pub(crate) fn pay(&mut self, payment: Payment) -> Result<()> {
        if self.payment_index.contains_key(&payment.id) {
            return Err(Error::DuplicateEvent {
                entity: "payment",
                id: payment.id,
            });
        }
        if payment.amount <= Money::ZERO {
            return Err(Error::InvalidValue {
                path: "amount".to_owned(),
                expected: "an amount above zero (a correction is a reversing entry, R-LEDGER)"
                    .to_owned(),
                found: payment.amount.to_plain_string(),
            });
        }
        let mut left = payment.amount;
        let made = self.allocations.len();
        if let Some(target) = &payment.charge {
            let i = self
                .charge_position(target)
                .ok_or_else(|| Error::UnknownEntry {
                    entity: "charge",
                    id: target.clone(),
                })?;
            let shares: Vec<usize> = (0..self.charges[i].shares.len())
                .filter(|&j| self.charges[i].shares[j].payer == payment.payer)
                .collect();
            if shares.is_empty() {
                return Err(Error::InvalidValue {
                    path: "charge".to_owned(),
                    expected: format!(
                        "a charge with a share owed by `{}` (R-LEDGER)",
                        payment.payer
                    ),
                    found: target.clone(),
                });
            }
            for j in shares {
                let part = left.min(self.open(i, j));
                if part > Money::ZERO {
                    self.allocate((i, j), part, Funds::Payment, payment.date)?;
                    left = left.sub_at(part, LEDGER)?;
                }
            }
        }
        let a = self.account(&payment.payer);
        left = self.allocate_oldest_first(a, left, Funds::Payment, payment.date)?;
        let credit = self.accounts[a].totals.credit.add_at(left, LEDGER)?;
        self.set_credit(a, credit)?;
        self.push_payment(payment, made)
    }

    /// Reverses a charge with a new, opposite charge (R-LEDGER): what was still open is
    /// cancelled, what was already paid becomes the payer's credit.
    pub(crate) fn reverse(&mut self, id: &str, date: NaiveDate, reason: &str) -> Result<()> {
        let i = self
            .charge_position(id)
            .ok_or_else(|| Error::UnknownEntry {
                entity: "charge",
                id: id.to_owned(),
            })?;
        let original = &self.charges[i];
        if original.kind == ChargeKind::Storno || self.reversed.contains_key(id) {
            return Err(Error::IllegalTransition {
                entity: "charge",
                id: id.to_owned(),
                state: if original.kind == ChargeKind::Storno {
                    "a reversing entry".to_owned()
                } else {
                    "reversed".to_owned()
                },
                action: "reverse",
                rule: crate::Rule::Ledger,
            });
        }
        let reversal = original.reversal(date, reason);
        if self.charge_index.contains_key(&reversal.id) {
            return Err(Error::DuplicateEvent {
                entity: "charge",
                id: reversal.id,
            });
        }
        let mut payers = Vec::new();
        for j in 0..self.charges[i].shares.len() {
            let paid = self.paid_of((i, j))?;
            let a = self.share(i, j).account;
            let credit = self.accounts[a].totals.credit.add_at(paid, LEDGER)?;
            self.set_credit(a, credit)?;
            self.set_open((i, j), Money::ZERO)?;
            payers.push(a);
        }
        self.reversed.insert(id.to_owned(), reversal.id.clone());
        self.entries[i].in_force = false;
        self.undo.push(Undo::Reversed(i, id.to_owned()));
        for j in 0..self.charges[i].shares.len() {
            self.refresh(i, j);
        }
        let open = vec![Money::ZERO; reversal.shares.len()];
        self.push_charge(reversal, open)?;
        for a in payers {
            self.settle(a, date)?;
        }
        Ok(())
    }

    /// Whether charge `i` is in force: neither a reversing entry nor reversed.
    pub(crate) fn in_force(&self, i: usize) -> bool {
        self.entries.get(i).is_some_and(|e| e.in_force)
    }

    /// What is paid of share `(i, j)`.
    fn paid_of(&self, (i, j): (usize, usize)) -> Result<Money> {
        self.charges[i].shares[j]
            .amount
            .sub_at(self.open(i, j), LEDGER)
    }

    /// Reverses payment `payment` with the reversing entry `id`, an opposite payment
    /// (R-LEDGER). Its money is taken back in this order, every step recorded as a negative
    /// allocation from `id` and nothing edited:
    ///
    /// 1. each allocation the payment made, in the order made, re-opens the payer's share
    ///    of that charge, by the amount allocated (at most what is paid of it now), if the
    ///    charge is still in force (not reversed, not a reversing entry);
    /// 2. the rest — the credit it produced, and what it had paid of charges since reversed
    ///    (which became credit then) — comes out of the payer's credit;
    /// 3. if the credit is not enough, it was already used on later charges: the payer's
    ///    paid shares of charges in force re-open **newest first**, the exact reverse of the
    ///    oldest-first order (latest due date, then latest day of issue, then last issued),
    ///    until the whole amount is taken back;
    /// 4. any credit left then pays the re-opened shares oldest first, as for a new charge,
    ///    so credit and debt never exist together.
    ///
    /// A payment is reversed once; a reversing entry cannot be reversed.
    pub(crate) fn reverse_payment(
        &mut self,
        id: &str,
        payment: &str,
        date: NaiveDate,
        reason: &str,
    ) -> Result<()> {
        let original = self.payment(payment).ok_or_else(|| Error::UnknownEntry {
            entity: "payment",
            id: payment.to_owned(),
        })?;
        let state = match (&original.reverses, self.reversed_payments.get(payment)) {
            (Some(_), _) => Some("a reversing entry".to_owned()),
            (None, Some(by)) => Some(format!("reversed by `{by}`")),
            (None, None) => None,
        };
        if let Some(state) = state {
            return Err(Error::IllegalTransition {
                entity: "payment",
                id: payment.to_owned(),
                state,
                action: "reverse",
                rule: crate::Rule::Ledger,
            });
        }
        if date < original.date {
            return Err(Error::InvalidValue {
                path: "date".to_owned(),
                expected: format!(
                    "a day on or after the payment was received, {} (R-LEDGER)",
                    original.date
                ),
                found: date.to_string(),
            });
        }
        if self.payment_index.contains_key(id) {
            return Err(Error::DuplicateEvent {
                entity: "payment",
                id: id.to_owned(),
            });
        }
        let payer = original.payer.clone();
        let amount = original.amount;
        let mut left = amount;
        let start = self.allocations.len();
        // 1. Its own allocations on charges in force.
        let made = self
            .payment_index
            .get(payment)
            .map_or(0..0, |&k| self.made[k].clone());
        let own: Vec<(usize, Money)> = self.allocations[made]
            .iter()
            .map(|a| (a.share.0, a.amount))
            .collect();
        for (i, mut allocated) in own {
            if !self.in_force(i) {
                continue;
            }
            for j in 0..self.charges[i].shares.len() {
                if self.charges[i].shares[j].payer != payer {
                    continue;
                }
                let part = allocated.min(self.paid_of((i, j))?);
                if part > Money::ZERO {
                    self.allocate((i, j), -part, Funds::Payment, date)?;
                    allocated = allocated.sub_at(part, LEDGER)?;
                    left = left.sub_at(part, LEDGER)?;
                }
            }
        }
        // 2. The payer's credit.
        let a = self.account(&payer);
        let credit = self.accounts[a].totals.credit;
        let taken = left.min(credit).max(Money::ZERO);
        self.set_credit(a, credit.sub_at(taken, LEDGER)?)?;
        left = left.sub_at(taken, LEDGER)?;
        // 3. Credit already used: paid shares re-open newest first.
        while left > Money::ZERO {
            let Some(&(_, _, i, j)) = self.accounts[a].paid.last() else {
                break;
            };
            let part = left.min(self.paid_of((i, j))?);
            self.allocate((i, j), -part, Funds::Payment, date)?;
            left = left.sub_at(part, LEDGER)?;
        }
        if left > Money::ZERO {
            // Unreachable while `paid − credit = charged − outstanding` holds.
            return Err(Error::InvalidValue {
                path: "payment".to_owned(),
                expected: format!("a payment whose {amount} can be taken back (R-LEDGER)"),
                found: format!("{left} not found on the accounts of `{payer}`"),
            });
        }
        self.push_payment(
            Payment {
                id: id.to_owned(),
                payer: payer.clone(),
                date,
                amount: -amount,
                charge: None,
                channel: None,
                reverses: Some(payment.to_owned()),
                reason: Some(reason.to_owned()),
            },
            start,
        )?;
        self.reversed_payments
            .insert(payment.to_owned(), id.to_owned());
        self.undo.push(Undo::ReversedPayment(payment.to_owned()));
        // 4. What credit is left pays the re-opened shares, oldest first.
        self.settle(a, date)
    }

    /// The accounts of `ente` as payer, with `overdue` at `at`: from its running totals
    /// and its open shares due before `at`, never from the whole journal.
    pub(crate) fn balance(&self, ente: &str, at: NaiveDate) -> Result<Balance> {
        let account = self.account_of_payer(ente);
        let totals = account.map(|a| a.totals).unwrap_or_default();
        let mut overdue = Money::ZERO;
        for &(due, _, i, j) in account.into_iter().flat_map(|a| &a.open) {
            if due >= at {
                break;
            }
            overdue = overdue.add_at(self.open(i, j), LEDGER)?;
        }
        Ok(Balance {
            ente: ente.to_owned(),
            at,
            charged: totals.charged,
            paid: totals.paid,
            outstanding: totals.outstanding,
            credit: totals.credit,
            overdue,
        })
    }

    /// Every index rebuilt from the entries alone, for tests: equal to the indexes kept
    /// event by event.
    #[cfg(test)]
    pub(crate) fn assert_indexes(&self) {
        let mut charge_index = Index::default();
        let mut accounts: BTreeMap<String, Account> = BTreeMap::new();
        for (i, c) in self.charges.iter().enumerate() {
            charge_index.insert(c.id.clone(), i);
            for (j, s) in c.shares.iter().enumerate() {
                let a = accounts.entry(s.payer.clone()).or_default();
                a.payer = s.payer.clone();
                a.totals.charged = a.totals.charged.add_at(s.amount, LEDGER).unwrap();
                a.totals.outstanding = a
                    .totals
                    .outstanding
                    .add_at(self.open(i, j), LEDGER)
                    .unwrap();
                let key = self.key(i, j);
                if self.open(i, j) > Money::ZERO {
                    a.open.insert(key);
                }
                if self.in_force(i) && s.amount > self.open(i, j) {
                    a.paid.insert(key);
                }
                assert_eq!(self.accounts[self.share(i, j).account].payer, s.payer);
            }
        }
        let mut payment_index = Index::default();
        for (k, p) in self.payments.iter().enumerate() {
            payment_index.insert(p.id.clone(), k);
            let a = accounts.entry(p.payer.clone()).or_default();
            a.payer = p.payer.clone();
            a.totals.paid = a.totals.paid.add_at(p.amount, LEDGER).unwrap();
        }
        assert_eq!(self.made.len(), self.payments.len());
        for (k, a) in self.allocations.iter().enumerate() {
            if let Some(p) = a.payment {
                assert!(self.made[p].contains(&k));
            }
            let (i, j) = a.share;
            assert!(j < self.charges[i].shares.len());
        }
        for (p, range) in self.made.iter().enumerate() {
            for a in &self.allocations[range.clone()] {
                assert_eq!(a.payment, Some(p));
            }
        }
        for a in accounts.values_mut() {
            // paid − credit = charged − outstanding (R-LEDGER).
            let t = &mut a.totals;
            t.credit = t
                .paid
                .add_at(t.outstanding, LEDGER)
                .unwrap()
                .sub_at(t.charged, LEDGER)
                .unwrap();
        }
        let kept: BTreeMap<String, Account> = self
            .accounts
            .iter()
            .map(|a| (a.payer.clone(), a.clone()))
            .collect();
        assert_eq!(accounts, kept);
        for (payer, &a) in &self.payers {
            assert_eq!(&self.accounts[a].payer, payer);
        }
        assert_eq!(self.payers.len(), self.accounts.len());
        assert_eq!(charge_index, self.charge_index);
        assert_eq!(payment_index, self.payment_index);
        assert_eq!(self.entries.len(), self.charges.len());
        for (i, c) in self.charges.iter().enumerate() {
            let in_force = c.kind != ChargeKind::Storno && !self.reversed.contains_key(&c.id);
            assert_eq!(self.entries[i].in_force, in_force, "{}", c.id);
        }
        assert!(self.undo.is_empty());
    }
}

/// Splits `total` into parts proportional to `weights`, conserving every cent (R-PAYER).
///
/// Largest remainder (Hamilton): each part gets the whole cents of its exact share,
/// rounded down; the cents left over go one each to the parts with the largest
/// remainders; equal remainders go to the earlier part (lower index). A negative total is
/// split as its opposite and negated. Returns `None` if a weight is negative, all weights
/// are zero, or the numbers do not fit exact 128-bit arithmetic.
///
/// # Example
/// ```
/// use cit_core::{Money, split_largest_remainder};
/// use rust_decimal::Decimal;
///
/// // € 1.001,01 half and half: 50.050,5 cents each; the odd cent goes to the first part.
/// let parts = split_largest_remainder(Money::from_cents(100_101), &[Decimal::ONE, Decimal::ONE]);
/// assert_eq!(parts, Some(vec![Money::from_cents(50_051), Money::from_cents(50_050)]));
/// ```
pub fn split_largest_remainder(total: Money, weights: &[Decimal]) -> Option<Vec<Money>> {
    let cents = i128::from(total.cents()?);
    let negative = cents < 0;
    let cents = cents.abs();
    if weights.iter().any(|w| w.is_sign_negative() && !w.is_zero()) {
        return None;
    }
    let scale = weights.iter().map(|w| w.scale()).max().unwrap_or(0);
    let ints: Vec<i128> = weights
        .iter()
        .map(|w| {
            let mut w = *w;
            w.rescale(scale);
            (w.scale() == scale).then(|| w.mantissa())
        })
        .collect::<Option<_>>()?;
    let sum = ints.iter().try_fold(0i128, |acc, &w| acc.checked_add(w))?;
    if sum <= 0 {
        return None;
    }
    let mut parts = Vec::with_capacity(ints.len());
    let mut remainders = Vec::with_capacity(ints.len());
    for &w in &ints {
        let product = cents.checked_mul(w)?;
        parts.push(product / sum);
        remainders.push(product % sum);
    }
    let given = parts.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..ints.len()).collect();
    order.sort_by(|&a, &b| remainders[b].cmp(&remainders[a]).then(a.cmp(&b)));
    for &k in order.iter().take(usize::try_from(cents - given).ok()?) {
        parts[k] += 1;
    }
    parts
        .into_iter()
        .map(|p| {
            let p = i64::try_from(if negative { -p } else { p }).ok()?;
            Some(Money::from_cents(p))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charge::PayerShare;

    fn m(c: i64) -> Money {
        Money::from_cents(c)
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn r_payer_largest_remainder_conserves_cents() {
        // 100 cents in thirds: 33,33… each; the leftover cent goes to the first (ties).
        let parts = split_largest_remainder(m(100), &[d("1"), d("1"), d("1")]).unwrap();
        assert_eq!(parts, [m(34), m(33), m(33)]);
        // 1000 cents by 0.5 / 0.3 / 0.2 split exactly.
        let parts = split_largest_remainder(m(1000), &[d("0.5"), d("0.3"), d("0.2")]).unwrap();
        assert_eq!(parts, [m(500), m(300), m(200)]);
        // 7 cents by 1 / 2: 2,33 and 4,67 → the larger remainder (0,67) takes the cent.
        let parts = split_largest_remainder(m(7), &[d("1"), d("2")]).unwrap();
        assert_eq!(parts, [m(2), m(5)]);
        // negative totals mirror positive ones
        let parts = split_largest_remainder(m(-7), &[d("1"), d("2")]).unwrap();
        assert_eq!(parts, [m(-2), m(-5)]);
    }

    #[test]
    fn r_payer_split_refuses_bad_weights() {
        assert_eq!(split_largest_remainder(m(100), &[]), None);
        assert_eq!(split_largest_remainder(m(100), &[d("0")]), None);
        assert_eq!(split_largest_remainder(m(100), &[d("-1"), d("2")]), None);
    }

    fn charge(id: &str, payer: &str, cents: i64, due: &str) -> Charge {
        let due: NaiveDate = due.parse().unwrap();
        Charge {
            id: id.into(),
            ente: payer.into(),
            kind: ChargeKind::Quota,
            year: 2021,
            subscription: None,
            service: None,
            tariff: None,
            issued: due,
            due,
            lines: vec![],
            amount: m(cents),
            explanation: String::new(),
            shares: vec![PayerShare {
                payer: payer.into(),
                amount: m(cents),
            }],
            reverses: None,
        }
    }

    fn pay(id: &str, payer: &str, cents: i64, target: Option<&str>) -> Payment {
        Payment {
            id: id.into(),
            payer: payer.into(),
            date: "2021-07-01".parse().unwrap(),
            amount: m(cents),
            charge: target.map(str::to_owned),
            channel: None,
            reverses: None,
            reason: None,
        }
    }

    #[test]
    fn r_ledger_oldest_first_then_credit() {
        let mut l = Ledger::default();
        l.issue(charge("B", "X", 300, "2021-06-30")).unwrap();
        l.issue(charge("A", "X", 200, "2021-03-31")).unwrap();
        // 250: A (due first) takes 200, B takes 50.
        l.pay(pay("P1", "X", 250, None)).unwrap();
        assert_eq!(l.open_of(1, "X"), m(0));
        assert_eq!(l.open_of(0, "X"), m(250));
        // 400 more: B's 250, and 150 of credit.
        l.pay(pay("P2", "X", 400, None)).unwrap();
        let b = l.balance("X", "2021-12-31".parse().unwrap()).unwrap();
        assert_eq!(
            (b.charged, b.paid, b.outstanding, b.credit),
            (m(500), m(650), m(0), m(150))
        );
        // The credit pays the next charge when it is issued.
        l.issue(charge("C", "X", 100, "2022-03-31")).unwrap();
        assert_eq!(l.credit("X"), m(50));
        assert_eq!(l.open_of(2, "X"), m(0));
    }

    #[test]
    fn r_ledger_named_charge_first() {
        let mut l = Ledger::default();
        l.issue(charge("A", "X", 200, "2021-03-31")).unwrap();
        l.issue(charge("B", "X", 300, "2021-06-30")).unwrap();
        l.pay(pay("P1", "X", 250, Some("B"))).unwrap();
        assert_eq!(l.open_of(1, "X"), m(50));
        assert_eq!(l.open_of(0, "X"), m(200));
        let err = l.pay(pay("P2", "Y", 10, Some("B"))).unwrap_err();
        assert_eq!(err.code(), "invalid_value");
        assert_eq!(
            l.pay(pay("P1", "X", 1, None)).unwrap_err().code(),
            "duplicate_event"
        );
    }

    #[test]
    fn r_ledger_reversal_releases_what_was_paid_as_credit() {
        let mut l = Ledger::default();
        l.issue(charge("A", "X", 200, "2021-03-31")).unwrap();
        l.pay(pay("P1", "X", 80, None)).unwrap();
        l.reverse("A", "2021-08-01".parse().unwrap(), "conteggi errati")
            .unwrap();
        let b = l.balance("X", "2021-12-31".parse().unwrap()).unwrap();
        // charged 200 − 200 = 0; paid 80 → all of it is credit.
        assert_eq!((b.charged, b.outstanding, b.credit), (m(0), m(0), m(80)));
        assert_eq!(l.charges[1].amount, m(-200));
        let e = l
            .reverse("A", "2021-08-02".parse().unwrap(), "x")
            .unwrap_err();
        assert_eq!(e.code(), "illegal_transition");
        let e = l
            .reverse("R-A", "2021-08-02".parse().unwrap(), "x")
            .unwrap_err();
        assert_eq!(e.code(), "illegal_transition");
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// (charged, paid, outstanding, credit) of `payer`.
    fn accounts(l: &Ledger, payer: &str) -> (Money, Money, Money, Money) {
        let b = l.balance(payer, day("2030-01-01")).unwrap();
        (b.charged, b.paid, b.outstanding, b.credit)
    }

    #[test]
    fn r_ledger_payment_reversal_reopens_what_it_paid_and_its_credit() {
        let mut l = Ledger::default();
        l.issue(charge("A", "X", 200, "2021-03-31")).unwrap();
        l.issue(charge("B", "X", 300, "2021-06-30")).unwrap();
        // P1 250: A 200, B 50. P2 400: B 250, credit 150.
        l.pay(pay("P1", "X", 250, None)).unwrap();
        l.pay(pay("P2", "X", 400, None)).unwrap();
        // Reversing P1: A re-opens by 200, B by 50; then the credit (150) pays them oldest
        // first: A 150 → A open 50, B open 50, credit 0.
        l.reverse_payment("S1", "P1", day("2021-07-02"), "bonifico respinto")
            .unwrap();
        assert_eq!((l.open_of(0, "X"), l.open_of(1, "X")), (m(50), m(50)));
        assert_eq!(accounts(&l, "X"), (m(500), m(400), m(100), m(0)));
        // The journal of allocations only grows: P1's two, P2's one, the two undone
        // (negative, from S1) and the credit's one.
        let undone: Vec<Money> = (0..l.allocations.len())
            .map(|k| l.allocation(k))
            .filter(|a| a.payment.as_deref() == Some("S1"))
            .map(|a| a.amount)
            .collect();
        assert_eq!(undone, [m(-200), m(-50)]);
        assert_eq!(l.allocations.len(), 6);
        assert_eq!(l.payments[2].amount, m(-250));
        assert_eq!(l.payments[2].reverses.as_deref(), Some("P1"));
        // Reversing P2 (400): B re-opens by P2's own 250 (B open 300). The 150 left was
        // credit that has since paid A; the credit is 0, so the paid shares re-open newest
        // first: B has nothing paid, A re-opens by 150 → nothing paid, all outstanding.
        l.reverse_payment("S2", "P2", day("2021-07-03"), "importo errato")
            .unwrap();
        assert_eq!((l.open_of(0, "X"), l.open_of(1, "X")), (m(200), m(300)));
        assert_eq!(accounts(&l, "X"), (m(500), m(0), m(500), m(0)));
    }

    #[test]
    fn r_ledger_payment_reversal_after_its_credit_paid_a_later_charge() {
        let mut l = Ledger::default();
        l.issue(charge("A", "X", 100, "2021-03-31")).unwrap();
        // P1 150: A 100, credit 50; C (80, later) takes the 50 of credit → C open 30.
        l.pay(pay("P1", "X", 150, None)).unwrap();
        l.issue(charge("C", "X", 80, "2021-09-30")).unwrap();
        assert_eq!(l.open_of(1, "X"), m(30));
        // P2 30 names C → C paid.
        l.pay(pay("P2", "X", 30, Some("C"))).unwrap();
        // Reversing P1 (150): A re-opens by 100; the 50 of credit it produced is gone (the
        // credit is 0), so C, the newest paid share, re-opens by 50 → A 100, C 50 open.
        l.reverse_payment("S1", "P1", day("2021-10-01"), "pagatore errato")
            .unwrap();
        assert_eq!((l.open_of(0, "X"), l.open_of(1, "X")), (m(100), m(50)));
        assert_eq!(accounts(&l, "X"), (m(180), m(30), m(150), m(0)));
    }

    #[test]
    fn r_ledger_payment_reversal_of_money_on_a_reversed_charge_takes_the_credit() {
        let mut l = Ledger::default();
        l.issue(charge("A", "X", 200, "2021-03-31")).unwrap();
        l.pay(pay("P1", "X", 200, None)).unwrap();
        // A reversed: its 200 paid becomes credit.
        l.reverse("A", day("2021-08-01"), "conteggi errati")
            .unwrap();
        assert_eq!(accounts(&l, "X"), (m(0), m(200), m(0), m(200)));
        // A is not re-opened (it is reversed); the 200 comes out of the credit.
        l.reverse_payment("S1", "P1", day("2021-08-02"), "bonifico respinto")
            .unwrap();
        assert_eq!(accounts(&l, "X"), (m(0), m(0), m(0), m(0)));
        assert!(
            !(0..l.allocations.len())
                .map(|k| l.allocation(k))
                .any(|a| a.payment.as_deref() == Some("S1"))
        );
    }

    #[test]
    fn r_ledger_payment_reversal_is_refused_twice_unknown_or_early() {
        let mut l = Ledger::default();
        l.issue(charge("A", "X", 200, "2021-03-31")).unwrap();
        l.pay(pay("P1", "X", 80, None)).unwrap();
        l.commit();
        let code = |l: &mut Ledger, id: &str, p: &str, on: &str| {
            let before = l.clone();
            let e = l.reverse_payment(id, p, day(on), "x").unwrap_err();
            l.rollback();
            assert_eq!(*l, before);
            l.assert_indexes();
            e.code()
        };
        assert_eq!(code(&mut l, "S1", "nope", "2021-08-01"), "unknown_entry");
        assert_eq!(code(&mut l, "S1", "P1", "2021-06-30"), "invalid_value");
        assert_eq!(code(&mut l, "P1", "P1", "2021-08-01"), "duplicate_event");
        l.reverse_payment("S1", "P1", day("2021-08-01"), "x")
            .unwrap();
        l.commit();
        assert_eq!(code(&mut l, "S2", "P1", "2021-08-01"), "illegal_transition");
        assert_eq!(code(&mut l, "S2", "S1", "2021-08-01"), "illegal_transition");
        assert_eq!(
            l.reverse_payment("S2", "P1", day("2021-08-01"), "x")
                .unwrap_err()
                .to_string(),
            "payment `P1` is reversed by `S1`: cannot reverse (R-LEDGER)"
        );
    }

    #[test]
    fn r_ledger_rollback_restores_the_ledger_as_it_was() {
        let mut l = Ledger::default();
        l.issue(charge("A", "X", 200, "2021-03-31")).unwrap();
        l.pay(pay("P1", "X", 250, None)).unwrap();
        l.commit();
        let before = l.clone();
        // Every kind of change: new charges paid by credit, allocations, credit, reversed
        // charges and payments.
        l.issue(charge("B", "X", 300, "2021-06-30")).unwrap();
        l.pay(pay("P2", "Y", 10, None)).unwrap();
        l.reverse("A", day("2021-08-01"), "x").unwrap();
        l.reverse_payment("S1", "P1", day("2021-08-02"), "x")
            .unwrap();
        assert_ne!(l, before);
        l.rollback();
        assert_eq!(l, before);
        l.assert_indexes();
    }

    #[test]
    fn r_ledger_overdue_counts_only_shares_past_due() {
        let mut l = Ledger::default();
        l.issue(charge("A", "X", 200, "2021-03-31")).unwrap();
        l.issue(charge("B", "X", 300, "2021-09-30")).unwrap();
        let b = l.balance("X", "2021-07-01".parse().unwrap()).unwrap();
        assert_eq!((b.outstanding, b.overdue), (m(500), m(200)));
    }
}
