//! The registry's side of pagoPA (R-NOTICE, R-RECONCILE): the creditor's profile, the
//! notices given to the open payer shares, the receipts of the payments booked from
//! pagoPA, and the reconciliation of a flusso di rendicontazione against them.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::catalogue::Catalogue;
use super::ledger::Ledger;
use super::undo::{Log, Lookup};
use super::{Channel, Event, non_empty};
use crate::pagopa::{self, Creditor, DebtPosition, Flow, FlowPayment, Notice, NoticeStatus};
use crate::{Error, Money, Problem, Result, Rule};

/// A share: the charge's index in the ledger and the share's index in the charge.
type Share = (usize, usize);

/// A pagoPA receipt: IUV, IUR and `indiceDatiSingoloPagamento`.
type Receipt = (String, String, u32);

/// A notice as recorded: where its share is, and the notice as issued.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Issued {
    share: Share,
    notice: Notice,
}

/// The creditor's profile, the notices and the receipts of pagoPA payments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Notices {
    /// Every profile recorded; the last is the creditor's.
    creditors: Log<Creditor>,
    /// Every notice, in order of issue: the n-th has IUV base n.
    issued: Log<Issued>,
    /// IUV → the notice's index in `issued`.
    by_iuv: Lookup<String, usize>,
    /// (charge index, share index) → the notice's index in `issued`.
    by_share: Lookup<Share, usize>,
    /// (IUV, IUR, index) of every pagoPA payment booked → the payment's id.
    receipts: Lookup<Receipt, String>,
}

impl Notices {
    pub(crate) fn commit(&mut self) {
        self.creditors.commit();
        self.issued.commit();
        self.by_iuv.commit();
        self.by_share.commit();
        self.receipts.commit();
    }

    pub(crate) fn rollback(&mut self) {
        self.creditors.rollback();
        self.issued.rollback();
        self.by_iuv.rollback();
        self.by_share.rollback();
        self.receipts.rollback();
    }

    /// The creditor, if its profile was recorded.
    pub(crate) fn creditor(&self) -> Option<&Creditor> {
        self.creditors.as_slice().last()
    }

    fn creditor_or_error(&self) -> Result<&Creditor> {
        self.creditor().ok_or_else(|| {
            Error::invalid_value(
                "creditor",
                "the creditor's profile, recorded by a creditor_registered event (R-NOTICE)",
                "none",
            )
        })
    }

    /// Records the creditor's profile; `Ok(false)` if it is the profile in force.
    pub(crate) fn register(&mut self, creditor: &Creditor) -> Result<bool> {
        creditor.validate()?;
        match self.creditor() {
            Some(c) if c == creditor => return Ok(false),
            Some(c) if c.codice_fiscale != creditor.codice_fiscale && self.issued.len() > 0 => {
                return Err(Error::IllegalTransition {
                    entity: "creditor",
                    id: c.codice_fiscale.clone(),
                    state: format!("the creditor of {} notices", self.issued.len()),
                    action: "change its codice fiscale",
                    rule: Rule::Notice,
                });
            }
            _ => {}
        }
        self.creditors.push(creditor.clone());
        Ok(true)
    }

    /// Gives a notice to every open payer share of `year`'s charges in force that has
    /// none (R-NOTICE); `Ok(false)` if there is none to give.
    pub(crate) fn issue(
        &mut self,
        year: i32,
        date: NaiveDate,
        ledger: &Ledger,
        catalogue: &Catalogue,
    ) -> Result<bool> {
        let creditor = self.creditor_or_error()?.clone();
        let before = self.issued.len();
        for (i, charge) in ledger.charges.iter().enumerate() {
            if charge.year != year || !ledger.in_force(i) {
                continue;
            }
            for (j, share) in charge.shares.iter().enumerate() {
                let open = ledger.open(i, j);
                if open <= Money::ZERO || self.by_share.contains_key(&(i, j)) {
                    continue;
                }
                let payer = catalogue.ente(&share.payer)?;
                let codice_fiscale = payer.codice_fiscale.clone().ok_or_else(|| {
                    let expected = format!(
                        "the codice fiscale of `{}` ({}), the debtor of a share of {} (R-NOTICE): \
                         record it with a codice_fiscale_recorded event",
                        payer.id, payer.name, charge.id
                    );
                    Error::invalid_value(
                        format!("enti.{}.codice_fiscale", payer.id),
                        expected,
                        "none",
                    )
                })?;
                let n = self.issued.len() + 1;
                let iuv = pagopa::iuv(&creditor.segregation_code, &format!("{n:013}"))?;
                let notice = Notice {
                    charge: charge.id.clone(),
                    payer: payer.id.clone(),
                    payer_name: payer.name.clone(),
                    codice_fiscale,
                    notice_number: format!("{}{iuv}", pagopa::AUX_DIGIT),
                    iuv: iuv.clone(),
                    amount: open,
                    due: charge.due,
                    year,
                    issued: date,
                    status: NoticeStatus::Open,
                };
                let k = self.issued.len();
                self.by_iuv.insert(iuv, k);
                self.by_share.insert((i, j), k);
                self.issued.push(Issued {
                    share: (i, j),
                    notice,
                });
            }
        }
        Ok(self.issued.len() > before)
    }

    /// Checks how a payment says it was paid, before the ledger records it: a pagoPA
    /// payment must be of a notice of its payer and charge and not yet booked; a
    /// girofondo must name its charge in the causale (R-NOTICE, R-RECONCILE).
    pub(crate) fn check_channel(
        &self,
        channel: &Channel,
        payer: &str,
        charge: Option<&str>,
    ) -> Result<()> {
        match channel {
            Channel::Pagopa {
                iuv,
                iur,
                index,
                flow,
            } => {
                non_empty(
                    "channel.iur",
                    iur,
                    "the PSP's identificativo univoco di riscossione",
                )?;
                non_empty(
                    "channel.flow",
                    flow,
                    "the identificativoFlusso that reported it",
                )?;
                if !(1..=5).contains(index) {
                    return Err(Error::invalid_value(
                        "channel.index",
                        "an indiceDatiSingoloPagamento from 1 to 5",
                        index,
                    ));
                }
                let notice = self.notice_by_iuv(iuv).ok_or_else(|| Error::UnknownEntry {
                    entity: "notice",
                    id: iuv.clone(),
                })?;
                if notice.payer != payer || charge != Some(notice.charge.as_str()) {
                    return Err(Error::invalid_value(
                        "charge",
                        format!(
                            "the payer and charge of notice {iuv}: `{}`, {} (R-RECONCILE)",
                            notice.payer, notice.charge
                        ),
                        format!("`{payer}`, {}", charge.unwrap_or("no charge")),
                    ));
                }
                let key = (iuv.clone(), iur.clone(), *index);
                if let Some(id) = self.receipts.get(&key) {
                    return Err(Error::DuplicateEvent {
                        entity: "pagoPA receipt",
                        id: format!("{iuv} {iur} {index} (payment {id})"),
                    });
                }
            }
            Channel::Tesoreria { causale } => {
                let Some(charge) = charge else {
                    return Err(Error::invalid_value(
                        "charge",
                        "the charge a girofondo pays (R-NOTICE)",
                        "none",
                    ));
                };
                if !causale.contains(charge) {
                    return Err(Error::invalid_value(
                        "channel.causale",
                        format!("a causale naming the charge {charge} (R-NOTICE)"),
                        format!("{causale:?}"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Remembers a pagoPA payment once the ledger has recorded it.
    pub(crate) fn booked(&mut self, channel: &Channel, payment: &str) {
        if let Channel::Pagopa {
            iuv, iur, index, ..
        } = channel
        {
            self.receipts
                .insert((iuv.clone(), iur.clone(), *index), payment.to_owned());
        }
    }

    fn notice_by_iuv(&self, iuv: &str) -> Option<&Notice> {
        self.by_iuv
            .get(iuv)
            .and_then(|&k| self.issued.get(k))
            .map(|i| &i.notice)
    }

    /// A notice with its status now.
    fn view(&self, issued: &Issued, ledger: &Ledger) -> Notice {
        let (i, j) = issued.share;
        let status = if !ledger.in_force(i) {
            NoticeStatus::Withdrawn
        } else if ledger.open(i, j) > Money::ZERO {
            NoticeStatus::Open
        } else {
            NoticeStatus::Paid
        };
        Notice {
            status,
            ..issued.notice.clone()
        }
    }

    /// The notices of `year`'s charges, in order of issue, with their status now.
    pub(crate) fn of_year(&self, year: i32, ledger: &Ledger) -> Vec<Notice> {
        self.issued
            .as_slice()
            .iter()
            .filter(|i| i.notice.year == year)
            .map(|i| self.view(i, ledger))
            .collect()
    }

    /// The notice of an IUV, with its status now.
    pub(crate) fn notice(&self, iuv: &str, ledger: &Ledger) -> Option<Notice> {
        let k = *self.by_iuv.get(iuv)?;
        self.issued.get(k).map(|i| self.view(i, ledger))
    }

    /// The GPD debt positions of `year`'s open notices (R-NOTICE).
    pub(crate) fn debt_positions(&self, year: i32, ledger: &Ledger) -> Result<Vec<DebtPosition>> {
        let Some(creditor) = self.creditor() else {
            return Ok(Vec::new());
        };
        self.issued
            .as_slice()
            .iter()
            .filter(|i| i.notice.year == year)
            .map(|i| (i, self.view(i, ledger)))
            .filter(|(_, n)| n.status == NoticeStatus::Open)
            .map(|(i, n)| DebtPosition::of(&n, &ledger.charges[i.share.0], creditor))
            .collect()
    }

    /// Reconciles a flow against the notices and the payments booked (R-RECONCILE).
    pub(crate) fn reconcile(&self, flow: Flow, ledger: &Ledger) -> Result<Reconciliation> {
        let creditor = self.creditor_or_error()?;
        let mut report = Reconciliation {
            flow: FlowSummary::of(&flow),
            accepted: true,
            matched: Vec::new(),
            mismatched: Vec::new(),
            unknown: Vec::new(),
            already_recorded: Vec::new(),
            problems: Vec::new(),
            events: Vec::new(),
        };
        let root = "FlussoRiversamento";
        let refuse = |report: &mut Reconciliation, path: String, expected: String, found| {
            report.accepted = false;
            report.problems.push(Problem::new(path, expected, found));
        };
        if flow.receiver.code != creditor.codice_fiscale {
            refuse(
                &mut report,
                format!(
                    "{root}/istitutoRicevente/identificativoUnivocoRicevente/codiceIdentificativoUnivoco"
                ),
                format!(
                    "the creditor's codice fiscale, {}: nothing of a flow for another body is booked",
                    creditor.codice_fiscale
                ),
                flow.receiver.code.clone(),
            );
        }
        if usize::try_from(flow.count).ok() != Some(flow.payments.len()) {
            refuse(
                &mut report,
                format!("{root}/numeroTotalePagamenti"),
                format!(
                    "the number of datiSingoliPagamenti, {}: nothing of this flow is booked",
                    flow.payments.len()
                ),
                flow.count.to_string(),
            );
        }
        match Money::checked_sum(flow.payments.iter().map(|p| p.amount)) {
            Some(sum) if sum == flow.total => {}
            sum => refuse(
                &mut report,
                format!("{root}/importoTotalePagamenti"),
                format!(
                    "the sum of the singoloImportoPagato, {}: nothing of this flow is booked",
                    sum.map_or_else(|| "too large".to_owned(), Money::to_plain_string)
                ),
                flow.total.to_plain_string(),
            ),
        }
        // The pagoPA payments booked by this reconciliation's own events, so that a
        // payment revoked in the flow that reports it is found.
        let mut booking: BTreeMap<Receipt, (String, Money, NaiveDate)> = BTreeMap::new();
        let mut seen: BTreeMap<(String, String, u32), usize> = BTreeMap::new();
        for (k, p) in flow.payments.iter().enumerate() {
            let path = format!("{root}/datiSingoliPagamenti[{}]", k + 1);
            let mut line = FlowLine::of(k + 1, p);
            let key = (p.iuv.clone(), p.iur.clone(), p.index);
            if let Some(first) = seen.insert(key, k + 1) {
                report.problems.push(Problem::new(
                    path,
                    format!(
                        "a payment reported once: the same IUV, IUR and index as datiSingoliPagamenti[{first}]"
                    ),
                    format!("{} {} {}", p.iuv, p.iur, p.index),
                ));
                continue;
            }
            if !pagopa::valid_iuv(&p.iuv) {
                report.problems.push(Problem::new(
                    format!("{path}/identificativoUnivocoVersamento"),
                    "an IUV of 17 digits with the right check digits (R-NOTICE)",
                    p.iuv.clone(),
                ));
            }
            let Some(notice) = self.notice(&p.iuv, ledger) else {
                report.unknown.push(line);
                continue;
            };
            line.charge = Some(notice.charge.clone());
            line.payer = Some(notice.payer.clone());
            line.expected = Some(notice.amount);
            if p.outcome.is_paid() {
                let id = payment_id(p);
                line.payment = Some(id.clone());
                if ledger.payment(&id).is_some()
                    || self
                        .receipts
                        .contains_key(&(p.iuv.clone(), p.iur.clone(), p.index))
                {
                    report.already_recorded.push(line);
                    continue;
                }
                if p.amount <= Money::ZERO || p.amount != notice.amount {
                    if p.amount <= Money::ZERO {
                        report.problems.push(Problem::new(
                            format!("{path}/singoloImportoPagato"),
                            "an amount above zero for a payment made",
                            p.amount.to_plain_string(),
                        ));
                    }
                    report.mismatched.push(line);
                    continue;
                }
                if notice.status == NoticeStatus::Withdrawn {
                    report.problems.push(Problem::new(
                        format!("{path}/identificativoUnivocoVersamento"),
                        format!(
                            "a notice in force: {} was withdrawn with its charge {}; the payment is booked and becomes the payer's credit",
                            notice.iuv, notice.charge
                        ),
                        p.iuv.clone(),
                    ));
                }
                booking.insert(
                    (p.iuv.clone(), p.iur.clone(), p.index),
                    (id.clone(), p.amount, p.date),
                );
                report.events.push(Event::PaymentReceived {
                    payment: id,
                    payer: notice.payer.clone(),
                    date: p.date,
                    amount: p.amount,
                    charge: Some(notice.charge.clone()),
                    channel: Some(Box::new(Channel::Pagopa {
                        iuv: p.iuv.clone(),
                        iur: p.iur.clone(),
                        index: p.index,
                        flow: flow.id.clone(),
                    })),
                });
                report.matched.push(line);
            } else {
                // Revoked (esito 3): the payment of the same IUV, IUR and index is reversed.
                let key = (p.iuv.clone(), p.iur.clone(), p.index);
                let original = self
                    .receipt(&key, ledger)
                    .or_else(|| booking.get(&key).cloned());
                let Some((paid, amount, paid_on)) = original else {
                    report.problems.push(Problem::new(
                        path,
                        "the revocation of a payment booked from pagoPA (the same IUV, IUR and index)",
                        format!("{} {} {}: no such payment is recorded", p.iuv, p.iur, p.index),
                    ));
                    report.mismatched.push(line);
                    continue;
                };
                if let Some(reversal) = ledger.reversed_payments.get(&paid) {
                    line.payment = Some(reversal.clone());
                    report.already_recorded.push(line);
                    continue;
                }
                let id = format!("{paid}:revoca");
                line.payment = Some(id.clone());
                if p.date < paid_on {
                    report.problems.push(Problem::new(
                        format!("{path}/dataEsitoSingoloPagamento"),
                        format!(
                            "a revocation on or after the payment it revokes, {}",
                            crate::date_serde::Iso(paid_on)
                        ),
                        crate::date_serde::Iso(p.date).to_string(),
                    ));
                    report.mismatched.push(line);
                    continue;
                }
                if p.amount != -amount {
                    report.problems.push(Problem::new(
                        format!("{path}/singoloImportoPagato"),
                        format!(
                            "the revoked payment's amount with a minus sign, {}",
                            (-amount).to_plain_string()
                        ),
                        p.amount.to_plain_string(),
                    ));
                    report.mismatched.push(line);
                    continue;
                }
                report.events.push(Event::PaymentReversed {
                    id,
                    payment: paid,
                    date: p.date,
                    reason: format!(
                        "Pagamento revocato (esito 3) nel flusso di rendicontazione {}",
                        flow.id
                    ),
                });
                report.matched.push(line);
            }
        }
        if !report.accepted {
            report.events.clear();
        }
        Ok(report)
    }

    /// The pagoPA payment of a receipt already booked, with its amount and day.
    fn receipt(&self, key: &Receipt, ledger: &Ledger) -> Option<(String, Money, NaiveDate)> {
        let id = self.receipts.get(key)?;
        let payment = ledger.payment(id)?;
        Some((id.clone(), payment.amount, payment.date))
    }
}

/// The ledger id of a payment reported by a flow: `PA-{IUV}-{IUR}-{index}`, the same
/// for every flow that reports it, so that it is booked once.
fn payment_id(p: &FlowPayment) -> String {
    format!("PA-{}-{}-{}", p.iuv, p.iur, p.index)
}

/// What a flow says of itself (R-RECONCILE).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FlowSummary {
    /// `identificativoFlusso`.
    pub id: String,
    /// `dataOraFlusso`.
    pub date_time: String,
    /// `identificativoUnivocoRegolamento`: the settlement (a SEPA transfer's reference).
    pub regulation: String,
    /// `dataRegolamento`.
    #[schemars(with = "crate::schema::Date")]
    #[serde(with = "crate::date_serde")]
    pub regulation_date: NaiveDate,
    /// The PSP that sent it (`codiceIdentificativoUnivoco` of `istitutoMittente`).
    pub sender: String,
    /// The body it is for (`istitutoRicevente`).
    pub receiver: String,
    /// `numeroTotalePagamenti`.
    pub count: u64,
    /// `importoTotalePagamenti`.
    pub total: Money,
}

impl FlowSummary {
    fn of(flow: &Flow) -> FlowSummary {
        FlowSummary {
            id: flow.id.clone(),
            date_time: flow.date_time.format("%Y-%m-%dT%H:%M:%S").to_string(),
            regulation: flow.regulation.clone(),
            regulation_date: flow.regulation_date,
            sender: flow.sender.code.clone(),
            receiver: flow.receiver.code.clone(),
            count: flow.count,
            total: flow.total,
        }
    }
}

/// One payment of a flow, as the reconciliation found it (R-RECONCILE): what the flow
/// reports (its fields written alongside the others) and what it matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FlowLine {
    /// Its place in the flow, from 1 (`datiSingoliPagamenti[n]`).
    pub position: usize,
    /// The payment as the flow reports it.
    #[serde(flatten)]
    pub reported: FlowPayment,
    /// The notice's charge, if the IUV is a notice's.
    pub charge: Option<String>,
    /// The notice's payer.
    pub payer: Option<String>,
    /// What the notice asks.
    pub expected: Option<Money>,
    /// The ledger entry that books it (to be recorded, or recorded).
    pub payment: Option<String>,
}

impl FlowLine {
    fn of(position: usize, p: &FlowPayment) -> FlowLine {
        FlowLine {
            position,
            reported: p.clone(),
            charge: None,
            payer: None,
            expected: None,
            payment: None,
        }
    }
}

/// What a flusso di rendicontazione means for the ledger (R-RECONCILE): each payment
/// matched to its notice, or not, and the events that book what matched. Nothing is
/// booked until the host applies `events`; reconciling the same flow again after that
/// finds every payment `already_recorded` and gives no event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Reconciliation {
    /// What the flow says of itself.
    pub flow: FlowSummary,
    /// `false` when the flow does not add up or is for another body: then `events` is
    /// empty, whatever matched.
    pub accepted: bool,
    /// Paid or revoked as the notice and the ledger expect: booked by `events`.
    pub matched: Vec<FlowLine>,
    /// A notice's IUV with another amount than the notice's (or a revocation of no
    /// payment booked): reported, not booked.
    pub mismatched: Vec<FlowLine>,
    /// An IUV of no notice: reported, not booked.
    pub unknown: Vec<FlowLine>,
    /// Already booked (the same flow, or another that reported the same payment).
    pub already_recorded: Vec<FlowLine>,
    /// Every problem, with the element it is at: the flow's totals, its receiver, an
    /// IUV's check digits, an amount's sign.
    pub problems: Vec<Problem>,
    /// The events to apply, in order: a payment for each payment matched, a payment
    /// reversal for each revocation matched.
    pub events: Vec<Event>,
}

impl Reconciliation {
    /// The report as JSON.
    pub fn to_json(&self) -> String {
        crate::json::to_string(self)
    }
}
