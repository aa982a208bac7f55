//! The yearly billing run (R-RUN) and the capofila's share of its members' quotas
//! (R-PAYER).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::ledger::{Charge, ChargeKind, PayerShare, split_largest_remainder};
use super::{CapofilaShare, State};
use crate::tariff::AppliedPrice;
use crate::{Error, Money, Result, fmt_it};

/// One charge the run means to issue, before its id is fixed.
struct Draft {
    key: String,
    charge: Charge,
}

/// Bills `year`: per ente (by id) the quota, then its service charges (by subscription
/// id). A charge already issued under the same key is not issued again (idempotent), unless
/// it was reversed; `Ok(false)` if nothing is issued.
pub(super) fn run(state: &mut State, year: i32, issued: NaiveDate, due: NaiveDate) -> Result<bool> {
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
    let mut drafts = Vec::new();
    for ente in state.enti.values() {
        // R-RUN: the quota of the membership that covers some day of the year.
        let membership = state
            .memberships
            .values()
            .filter(|m| m.ente == ente.id)
            .filter_map(|m| Some((m, m.state.period()?)))
            .filter(|(_, (from, to))| *from <= dec31 && jan1 <= *to)
            .min_by_key(|(m, (from, _))| (*from, m.id.clone()));
        if let Some((m, (from, _))) = membership {
            let start = from.max(jan1);
            let tariff = state.tariff_on(start)?;
            let quote = if from > jan1 {
                tariff.quote_from(ente, year, from)?
            } else {
                tariff.quote(ente, year)?
            };
            let (shares, arrangement) = quota_shares(state, &ente.id, year, quote.total())?;
            drafts.push(Draft {
                key: format!("Q{year}-{}", ente.id),
                charge: Charge {
                    id: String::new(),
                    ente: ente.id.clone(),
                    kind: ChargeKind::Quota,
                    year,
                    subscription: None,
                    service: None,
                    tariff: Some(tariff.id().to_owned()),
                    issued,
                    due,
                    amount: quote.total(),
                    lines: quote.lines().to_vec(),
                    explanation: format!(
                        "Quota di adesione {year}, adesione {} dal {from}, tariffa {}{arrangement} (R-RUN)",
                        m.id,
                        tariff.id()
                    ),
                    shares,
                    reverses: None,
                },
            });
        }
        for s in state.subscriptions.values().filter(|s| s.ente == ente.id) {
            let Some((first, last)) = s.billed_years() else {
                continue;
            };
            if year < first || year > last {
                continue;
            }
            let Some(start) = s.start_in(year) else {
                continue;
            };
            let tariff = state.tariff_on(start)?;
            let standing = state.standing(&ente.id, start);
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
            drafts.push(Draft {
                key: format!("S{year}-{}", s.id),
                charge: Charge {
                    id: String::new(),
                    ente: ente.id.clone(),
                    kind,
                    year,
                    subscription: Some(s.id.clone()),
                    service: Some(s.service.clone()),
                    tariff: Some(tariff.id().to_owned()),
                    issued,
                    due,
                    amount: sq.total(),
                    lines: sq.quote.lines().to_vec(),
                    explanation: format!("{name} {year}, richiesta {}: {}", s.id, sq.reason),
                    shares: vec![PayerShare {
                        payer: ente.id.clone(),
                        amount: sq.total(),
                    }],
                    reverses: None,
                },
            });
        }
    }
    // Keys are recorded once every charge is issued: a refusal changes only the ledger,
    // which undoes itself. Each key appears once per run.
    let mut keys = Vec::new();
    for Draft { key, mut charge } in drafts {
        let times = state.billed.get(&key).copied().unwrap_or(0);
        if times > 0 {
            let last = if times == 1 {
                key.clone()
            } else {
                format!("{key}/{times}")
            };
            if !state.ledger.reversed.contains_key(&last) {
                continue;
            }
        }
        let next = times.saturating_add(1);
        charge.id = if next == 1 {
            key.clone()
        } else {
            format!("{key}/{next}")
        };
        state.ledger.issue(charge)?;
        keys.push((key, next));
    }
    let any = !keys.is_empty();
    state.billed.extend(keys);
    Ok(any)
}

/// The shares of a member's quota (R-PAYER): the latest agreement naming it that applies
/// to `year` decides what its capofila pays; the member owes the rest. A percentage is
/// split by largest remainder with the capofila first on a tie; a fixed amount is capped
/// at the quota. Zero shares are left out, but a charge always has one share.
fn quota_shares(
    state: &State,
    ente: &str,
    year: i32,
    total: Money,
) -> Result<(Vec<PayerShare>, String)> {
    let agreement = state
        .agreements
        .iter()
        .rev()
        .find(|a| a.from_year <= year && a.members.iter().any(|m| m == ente));
    let Some(a) = agreement else {
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
            let parts = split_largest_remainder(total, &[*percent, rest]).ok_or_else(overflow)?;
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
