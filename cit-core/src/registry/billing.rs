//! The yearly billing run (R-RUN) and the capofila's share of its members' quotas
//! (R-PAYER).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::catalogue::Catalogue;
use super::ledger::{Ledger, split_largest_remainder};
use super::memberships::Memberships;
use super::subscriptions::Subscriptions;
use super::undo::{Log, Lookup};
use super::{CapofilaShare, PayerAgreement};
use crate::charge::{Charge, ChargeKind, PayerShare};
use crate::date_serde::Iso;
use crate::tariff::AppliedPrice;
use crate::{Error, Money, Result, Rule, fmt_it};

/// The capofila agreements and what each billing key has issued.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Billing {
    agreements: Log<PayerAgreement>,
    /// Member id → the agreements naming it, in order of record.
    by_member: Lookup<String, Vec<usize>>,
    /// Billing key → how many charges were issued under it (re-issued after a reversal).
    /// Counted, not read back from the charge ids: `S2022-A/2` is the second charge of
    /// subscription `A` and the first of a subscription `A/2`.
    billed: Lookup<String, u32>,
}

impl Billing {
    pub(crate) fn agreements(&self) -> &[PayerAgreement] {
        self.agreements.as_slice()
    }

    pub(crate) fn commit(&mut self) {
        self.agreements.commit();
        self.by_member.commit();
        self.billed.commit();
    }

    pub(crate) fn rollback(&mut self) {
        self.agreements.rollback();
        self.by_member.rollback();
        self.billed.rollback();
    }

    /// Records a capofila's undertaking to pay part of its members' quotas (R-PAYER).
    pub(crate) fn agree(&mut self, agreement: PayerAgreement, catalogue: &Catalogue) -> Result<()> {
        let PayerAgreement {
            capofila,
            members,
            share,
            ..
        } = &agreement;
        catalogue.grouping(capofila, "capofila", Rule::Payer)?;
        if members.is_empty() {
            return Err(Error::InvalidValue {
                path: "members".to_owned(),
                expected: "at least one member (R-PAYER)".to_owned(),
                found: "[]".to_owned(),
            });
        }
        for (i, m) in members.iter().enumerate() {
            catalogue.ente(m)?;
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
        let index = self.agreements.len();
        for m in members {
            let mut named = self.by_member.get(m).cloned().unwrap_or_default();
            named.push(index);
            self.by_member.insert(m.clone(), named);
        }
        self.agreements.push(agreement);
        Ok(())
    }

    /// The latest agreement naming `ente` that applies to `year` (R-PAYER).
    fn agreement_for(&self, ente: &str, year: i32) -> Option<&PayerAgreement> {
        self.by_member
            .get(ente)?
            .iter()
            .rev()
            .filter_map(|&i| self.agreements.get(i))
            .find(|a| a.from_year <= year)
    }

    /// Bills `year`: per ente (by id) the quota, then its service charges (by subscription
    /// id). A charge already issued under the same key is not issued again (idempotent),
    /// unless it was reversed, nor priced again; `Ok(false)` if nothing is issued.
    pub(crate) fn run(
        &mut self,
        ledger: &mut Ledger,
        catalogue: &Catalogue,
        memberships: &Memberships,
        subscriptions: &Subscriptions,
        year: i32,
        (issued, due): (NaiveDate, NaiveDate),
    ) -> Result<bool> {
        if due < issued {
            return Err(Error::InvalidValue {
                path: "due".to_owned(),
                expected: format!("a due date on or after the day of issue, {issued} (R-RUN)"),
                found: due.to_string(),
            });
        }
        let (Some(jan1), Some(dec31)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Err(Error::InvalidValue {
                path: "year".to_owned(),
                expected: "a year of the calendar".to_owned(),
                found: year.to_string(),
            });
        };
        // Per ente the quota, then its services; a refusal undoes the whole run.
        let mut any = false;
        for ente in catalogue.enti() {
            // R-RUN: the quota of the membership that covers some day of the year.
            let membership = memberships
                .of(&ente.id)
                .filter_map(|m| Some((m, m.state.period()?)))
                .filter(|(_, (from, to))| *from <= dec31 && jan1 <= *to)
                .min_by(|(a, (a_from, _)), (b, (b_from, _))| (a_from, &a.id).cmp(&(b_from, &b.id)));
            // A key billed already is skipped before it is priced (R-RUN: idempotent).
            let quota = membership.and_then(|m| {
                let key = format!("Q{year}-{}", ente.id);
                Some((m, self.times_due(ledger, &key)?, key))
            });
            if let Some(((m, (from, _)), times, key)) = quota {
                let start = from.max(jan1);
                let tariff = catalogue.tariff_on(start)?;
                let quote = if from > jan1 {
                    tariff.quote_from(ente, year, from)?
                } else {
                    tariff.quote(ente, year)?
                };
                let (shares, arrangement) = self.quota_shares(&ente.id, year, quote.total())?;
                let charge = Charge::new(
                    key.clone(),
                    ChargeKind::Quota,
                    &ente.id,
                    year,
                    (issued, due),
                    quote.into_lines(),
                    format!(
                        "Quota di adesione {year}, adesione {} dal {}, tariffa {}{arrangement} (R-RUN)",
                        m.id,
                        Iso(from),
                        tariff.id()
                    ),
                )?
                .priced_by(Some(tariff.id()))
                .owed_by(shares);
                self.issue(ledger, key, times, charge)?;
                any = true;
            }
            for s in subscriptions.of(&ente.id) {
                let Some((first, last)) = s.billed_years() else {
                    continue;
                };
                if year < first || year > last {
                    continue;
                }
                let Some(start) = s.start_in(year) else {
                    continue;
                };
                let key = format!("S{year}-{}", s.id);
                let Some(times) = self.times_due(ledger, &key) else {
                    continue;
                };
                let tariff = catalogue.tariff_on(start)?;
                let standing = memberships.standing(&ente.id, start);
                let sq = tariff.price_service(ente, &s.service, s.quantity, &standing, start)?;
                if sq.total().is_zero() {
                    continue;
                }
                let kind = match sq.price {
                    AppliedPrice::Member => ChargeKind::Maggiorazione,
                    AppliedPrice::Included | AppliedPrice::List => ChargeKind::Servizio,
                };
                let name = tariff
                    .service(&s.service)
                    .map_or(s.service.as_str(), |c| c.name.as_str());
                let explanation = format!("{name} {year}, richiesta {}: {}", s.id, sq.reason);
                let charge = Charge::new(
                    key.clone(),
                    kind,
                    &ente.id,
                    year,
                    (issued, due),
                    sq.quote.into_lines(),
                    explanation,
                )?
                .for_subscription(&s.id, &s.service)
                .priced_by(Some(tariff.id()));
                self.issue(ledger, key, times, charge)?;
                any = true;
            }
        }
        Ok(any)
    }

    /// How many charges were issued under the billing key `key`, if another is due: none
    /// yet, or its last one was reversed since (R-RUN: idempotent; a reversed charge is
    /// re-issued as `key/2`, …). `None` if its last charge stands.
    fn times_due(&self, ledger: &Ledger, key: &str) -> Option<u32> {
        let times = self.billed.get(key).copied().unwrap_or(0);
        let last_reversed = match times {
            0 => true,
            1 => ledger.reversed.contains_key(key),
            n => ledger.reversed.contains_key(&issued_id(key, n)),
        };
        last_reversed.then_some(times)
    }

    /// Issues `charge` as the next under its billing key, which had `times` charges (from
    /// [`Billing::times_due`]). An id already used by another charge is refused by the
    /// ledger ([`Error::DuplicateEvent`]), never skipped.
    fn issue(
        &mut self,
        ledger: &mut Ledger,
        key: String,
        times: u32,
        mut charge: Charge,
    ) -> Result<()> {
        let next = times.saturating_add(1);
        if next > 1 {
            charge.id = issued_id(&key, next);
        }
        ledger.issue(charge)?;
        self.billed.insert(key, next);
        Ok(())
    }

    /// The shares of a member's quota (R-PAYER): the latest agreement naming it that
    /// applies to `year` decides what its capofila pays; the member owes the rest. A
    /// percentage is split by largest remainder with the capofila first on a tie; a fixed
    /// amount is capped at the quota. Zero shares are left out, but a charge always has
    /// one share.
    fn quota_shares(
        &self,
        ente: &str,
        year: i32,
        total: Money,
    ) -> Result<(Vec<PayerShare>, String)> {
        let Some(a) = self.agreement_for(ente, year) else {
            return Ok((
                vec![PayerShare {
                    payer: ente.to_owned(),
                    amount: total,
                }],
                String::new(),
            ));
        };
        let overflow = || Error::overflow("share", format!("split of {total}"));
        let (capofila, text) = match &a.share {
            CapofilaShare::All => (total, "per intero".to_owned()),
            CapofilaShare::Percent { percent } => {
                let rest = Decimal::ONE_HUNDRED
                    .checked_sub(*percent)
                    .ok_or_else(overflow)?;
                let parts =
                    split_largest_remainder(total, &[*percent, rest]).ok_or_else(overflow)?;
                (
                    parts.first().copied().unwrap_or(Money::ZERO),
                    format!("il {}", fmt_it::percent(*percent / Decimal::ONE_HUNDRED)),
                )
            }
            CapofilaShare::Fixed { amount } => ((*amount).min(total), format!("{amount}")),
        };
        let member = total.checked_sub(capofila).ok_or_else(overflow)?;
        let mut shares = Vec::new();
        if !capofila.is_zero() {
            shares.push(PayerShare {
                payer: a.capofila.clone(),
                amount: capofila,
            });
        }
        if !member.is_zero() || shares.is_empty() {
            shares.push(PayerShare {
                payer: ente.to_owned(),
                amount: member,
            });
        }
        Ok((
            shares,
            format!("; a carico del capofila {} {text} (R-PAYER)", a.capofila),
        ))
    }
}

/// The id of the `n`-th charge issued under a billing key: the key itself, then `key/2`,
/// `key/3` after reversals.
fn issued_id(key: &str, n: u32) -> String {
    if n <= 1 {
        key.to_owned()
    } else {
        format!("{key}/{n}")
    }
}
