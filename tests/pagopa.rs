//! pagoPA over realistic journals (R-NOTICE, R-RECONCILE): years of memberships, services,
//! capofila shares, reversals and payments (the generator of `journal.rs`), then the
//! creditor, a codice fiscale for every ente, the notices of every year, and flows that pay
//! and revoke them.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use cit_core::pagopa::{self, Creditor, Flow, FlowPayment, Institution, NoticeStatus, Outcome};
use cit_core::{Event, Money, Registry};

use crate::journal::{self, JournalConfig};

const CREDITOR: &str = r#"{"codice_fiscale": "80008750178", "name": "Provincia di Brescia",
    "segregation_code": "11", "iban": "IT60X0542811101000000123456", "category": "9/0101002IM/"}"#;

/// A codice fiscale for the `n`-th ente: ten digits from `n`, and its check digit, found
/// by trying the ten (exactly one is right).
fn codice_fiscale(n: usize) -> String {
    let head = format!("{:010}", 7_000_000_000 + n);
    (0..10)
        .map(|d| format!("{head}{d}"))
        .find(|c| pagopa::valid_codice_fiscale(c))
        .expect("one check digit completes ten digits")
}

/// The generated journal with pagoPA in it: the creditor first, each ente's codice fiscale
/// as it is registered, the notices of a year right after its billing run. With `cut`, the
/// journal ends with the first issue of the last year's notices (its payments left out).
fn with_notices(config: &JournalConfig, cut: bool) -> Vec<Event> {
    let mut out = vec![Event::CreditorRegistered {
        creditor: Creditor::from_json(CREDITOR).unwrap(),
    }];
    let mut enti = 0;
    for event in journal::journal(config) {
        let then = match &event {
            Event::EnteRegistered { ente } => {
                enti += 1;
                Some(Event::CodiceFiscaleRecorded {
                    ente: ente.id.clone(),
                    codice_fiscale: codice_fiscale(enti),
                })
            }
            Event::BillingRun { year, issued, .. } => Some(Event::NoticesIssued {
                year: *year,
                date: *issued,
            }),
            _ => None,
        };
        out.push(event);
        out.extend(then);
    }
    if cut {
        let last_year = config.first_year + config.years - 1;
        let first = out
            .iter()
            .position(|e| matches!(e, Event::NoticesIssued { year, .. } if *year == last_year))
            .unwrap();
        out.truncate(first + 1);
    }
    out
}

/// The shares of `year`'s charges in force with something open.
fn open_shares(r: &Registry, year: i32) -> BTreeSet<(String, String)> {
    r.charges()
        .iter()
        .filter(|c| c.year == year && r.reversal_of(&c.id).is_none() && c.reverses.is_none())
        .flat_map(|c| c.shares.iter().map(move |s| (c, s)))
        .filter(|(c, s)| r.open_amount(&c.id, &s.payer) > Money::ZERO)
        .map(|(c, s)| (c.id.clone(), s.payer.clone()))
        .collect()
}

fn configs() -> Vec<JournalConfig> {
    vec![
        JournalConfig::new(8, 4, 7),
        JournalConfig::new(30, 6, 2026),
        JournalConfig::billing_only(20, 3, 9),
    ]
}

fn flow(id: &str, payments: Vec<FlowPayment>) -> Flow {
    let day = NaiveDate::from_ymd_opt(2031, 1, 15).unwrap();
    Flow {
        version: "1.0".into(),
        id: id.into(),
        date_time: day.and_hms_opt(6, 0, 0).unwrap(),
        regulation: format!("SEPA {id}"),
        regulation_date: day,
        sender: Institution {
            id_type: "B".into(),
            code: "BCITITMM".into(),
            name: None,
        },
        bic: None,
        receiver: Institution {
            id_type: "G".into(),
            code: "80008750178".into(),
            name: None,
        },
        count: payments.len() as u64,
        total: Money::checked_sum(payments.iter().map(|p| p.amount)).unwrap(),
        payments,
    }
}

#[test]
fn r_notice_every_open_share_of_a_real_journal_has_one_number_never_reused() {
    for config in configs() {
        let events = with_notices(&config, false);
        let mut r = Registry::new();
        for event in events {
            let issued = match &event {
                Event::NoticesIssued { year, .. } => Some(*year),
                _ => None,
            };
            r.apply(event).unwrap();
            // Right after an issue, every open share of the year has its notice, once.
            if let Some(year) = issued {
                let noticed: Vec<(String, String)> = r
                    .notices(year)
                    .into_iter()
                    .filter(|n| n.status == NoticeStatus::Open)
                    .map(|n| (n.charge, n.payer))
                    .collect();
                let unique: BTreeSet<_> = noticed.iter().cloned().collect();
                assert_eq!(unique.len(), noticed.len(), "one notice per share");
                assert_eq!(unique, open_shares(&r, year), "{config:?} {year}");
            }
        }
        let notices: Vec<_> = (config.first_year..config.first_year + config.years)
            .flat_map(|y| r.notices(y))
            .collect();
        assert!(notices.len() > config.enti(), "{config:?}");
        // Bases 1, 2, 3 … in order of issue, every IUV valid and given once.
        let mut bases: Vec<u64> = notices
            .iter()
            .map(|n| n.iuv[2..15].parse().unwrap())
            .collect();
        bases.sort_unstable();
        assert_eq!(bases, (1..=notices.len() as u64).collect::<Vec<_>>());
        for n in &notices {
            assert!(pagopa::valid_notice_number(&n.notice_number), "{n:?}");
            assert_eq!(&n.iuv[..2], "11");
            assert!(n.amount > Money::ZERO);
        }
        // The payments of the generated journal (bank transfers) paid most of them.
        assert!(notices.iter().any(|n| n.status == NoticeStatus::Paid));
        // The journal replays to the same numbers.
        let again = Registry::from_json(&r.to_json()).unwrap();
        assert_eq!(again, r);
    }
}

#[test]
fn r_reconcile_a_flow_paying_every_notice_then_revoking_half_of_them() {
    for config in configs() {
        let mut r = Registry::from_events(with_notices(&config, true)).unwrap();
        let year = config.first_year + config.years - 1;
        let notices: Vec<_> = r
            .notices(year)
            .into_iter()
            .filter(|n| n.status == NoticeStatus::Open)
            .collect();
        assert!(
            notices.len() > config.comuni / 2,
            "{config:?}: {} open of {}",
            notices.len(),
            r.notices(year).len()
        );
        let positions = r.debt_positions(year).unwrap();
        assert_eq!(positions.len(), notices.len());
        let owed: i64 = positions.iter().map(|p| p.payment_option[0].amount).sum();
        let paid_before: Money = Money::checked_sum(r.payments().iter().map(|p| p.amount)).unwrap();
        let payments: Vec<FlowPayment> = notices
            .iter()
            .enumerate()
            .map(|(k, n)| FlowPayment {
                iuv: n.iuv.clone(),
                iur: format!("IUR{k:06}"),
                index: 1,
                amount: n.amount,
                outcome: if k % 3 == 0 {
                    Outcome::PaidWithoutReceipt
                } else {
                    Outcome::Paid
                },
                date: n.due,
            })
            .collect();
        let f = flow("F-PAY", payments.clone());
        assert_eq!(f.total.cents(), Some(owed));
        // Read from its XML, as the host would.
        let report = r.reconcile_flow(&f.to_xml()).unwrap();
        assert!(report.accepted && report.problems.is_empty(), "{config:?}");
        assert_eq!(report.matched.len(), notices.len());
        r.apply_all(Some(r.version()), report.events).unwrap();
        assert!(
            r.notices(year)
                .iter()
                .all(|n| n.status == NoticeStatus::Paid)
        );
        assert!(r.debt_positions(year).unwrap().is_empty());
        let paid: Money = Money::checked_sum(r.payments().iter().map(|p| p.amount)).unwrap();
        assert_eq!(paid.checked_sub(paid_before), Some(f.total));
        // Twice: nothing more.
        let again = r.reconcile(f).unwrap();
        assert!(again.events.is_empty());
        assert_eq!(again.already_recorded.len(), notices.len());
        // Every other payment revoked: the shares open again, the money taken back.
        let revoked: Vec<FlowPayment> = payments
            .iter()
            .step_by(2)
            .map(|p| FlowPayment {
                amount: -p.amount,
                outcome: Outcome::Revoked,
                ..p.clone()
            })
            .collect();
        let back = flow("F-REVOKE", revoked);
        let report = r.reconcile(back.clone()).unwrap();
        assert_eq!(report.matched.len(), notices.len().div_ceil(2));
        r.apply_all(None, report.events).unwrap();
        let paid_now: Money = Money::checked_sum(r.payments().iter().map(|p| p.amount)).unwrap();
        assert_eq!(paid_now.checked_sub(paid), Some(back.total));
        let open = r
            .notices(year)
            .iter()
            .filter(|n| n.status == NoticeStatus::Open)
            .count();
        assert_eq!(open, notices.len().div_ceil(2));
        assert!(r.reconcile(back).unwrap().events.is_empty());
        assert_eq!(Registry::from_json(&r.to_json()).unwrap(), r);
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// One payment of a generated flow: which notice (past the last: an IUV of none), an
    /// IUR out of three, an index, how the amount relates to the notice's, the outcome and
    /// a day around the due date.
    type Line = (usize, u8, u32, u8, u8, i64);

    fn line() -> impl Strategy<Value = Line> {
        (0usize..12, 0u8..3, 1u32..3, 0u8..4, 0u8..5, -20i64..20)
    }

    fn payment(
        r: &Registry,
        year: i32,
        (k, iur, index, amount, outcome, days): Line,
    ) -> FlowPayment {
        let notices = r.notices(year);
        let (iuv, owed, due) = match notices.get(k) {
            Some(n) => (n.iuv.clone(), n.amount, n.due),
            None => (
                pagopa::iuv("11", "9999999999999").unwrap(),
                Money::from_cents(12_345),
                NaiveDate::from_ymd_opt(year, 6, 30).unwrap(),
            ),
        };
        let outcome = [
            Outcome::Paid,
            Outcome::Revoked,
            Outcome::StandIn,
            Outcome::StandInWithoutReceipt,
            Outcome::PaidWithoutReceipt,
        ][usize::from(outcome)];
        let amount = match amount {
            0 => owed,
            1 => -owed,
            2 => owed.checked_add(Money::from_cents(1)).unwrap(),
            _ => Money::ZERO,
        };
        FlowPayment {
            iuv,
            iur: format!("IUR-{iur}"),
            index,
            amount,
            outcome,
            date: due + chrono::Duration::days(days),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever a PSP reports — payments of the right or wrong amount, revocations of
        /// what was or was not paid, repeats, unknown IUVs — every event of an accepted
        /// report applies, the payments of a flow are each classified once, and the same
        /// flow reconciled again books nothing.
        #[test]
        fn r_reconcile_every_event_of_a_report_applies_and_a_flow_books_once(
            flows in proptest::collection::vec(proptest::collection::vec(line(), 1..12), 1..4),
            seed in 0u64..4,
        ) {
            let config = JournalConfig::new(6, 2, seed);
            let year = config.first_year + config.years - 1;
            let mut r = Registry::from_events(with_notices(&config, true)).unwrap();
            for (f, lines) in flows.into_iter().enumerate() {
                let payments: Vec<FlowPayment> =
                    lines.into_iter().map(|l| payment(&r, year, l)).collect();
                let n = payments.len();
                let flow = flow(&format!("F-{f}"), payments);
                let report = r.reconcile_flow(&flow.to_xml()).unwrap();
                prop_assert!(report.accepted);
                let lines = report.matched.len() + report.mismatched.len() + report.unknown.len()
                    + report.already_recorded.len();
                let repeats = report.problems.iter().filter(|p| !p.path.contains("]/")).count();
                prop_assert!(lines <= n && lines + repeats >= n, "{lines} lines, {repeats} repeats of {n}");
                prop_assert_eq!(report.events.len(), report.matched.len());
                r.apply_all(Some(r.version()), report.events).unwrap();
                prop_assert!(r.reconcile(flow).unwrap().events.is_empty());
            }
            prop_assert_eq!(Registry::from_json(&r.to_json()).unwrap(), r);
        }
    }
}
