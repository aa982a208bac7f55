//! pagoPA at the size of a real territory (R-NOTICE, R-RECONCILE): a CIT of 1.000 and of
//! 7.900 comuni (every comune of Italy), all members, billed for a year.
//!
//! `nice -n 10 cargo bench --bench pagopa` reports, for each size (group `pagopa/<comuni>`,
//! one element = one notice):
//! - `notices_issued`: `Registry::apply` of the year's `notices_issued` (a numero avviso for
//!   every share; the registry is cloned outside the timing);
//! - `debt_positions`: `Registry::debt_positions` of the year, every GPD document;
//! - `reconcile_flow`: `Registry::reconcile_flow` of a flusso di rendicontazione paying every
//!   notice, from its XML text (read, matched, the events made);
//! - `book`: `Registry::apply_all` of the reconciliation's events (one payment per notice).
//!
//! Target: a flow paying every comune of Italy reconciled and booked in under 0,5 s.
//!
//! `CIT_BENCH_COMUNI=1000` picks the sizes (default `1000,7900`).

use std::hint::black_box;

use chrono::NaiveDate;
use cit_core::pagopa::{Creditor, Flow, FlowPayment, Institution, Outcome};
use cit_core::{Delibera, Ente, Event, Money, Registry, Tariff};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

const TARIFF: &str = include_str!("../examples/tariffs/bs-2021-services.json");

const CREDITOR: &str = r#"{"codice_fiscale": "80008750178", "name": "Provincia di Brescia",
    "segregation_code": "07", "iban": "IT60X0542811101000000123456", "category": "9/0101002IM/"}"#;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a date")
}

fn sizes() -> Vec<usize> {
    std::env::var("CIT_BENCH_COMUNI")
        .unwrap_or_else(|_| "1000,7900".into())
        .split(',')
        .map(|s| {
            s.trim()
                .replace('.', "")
                .parse()
                .expect("a number of comuni")
        })
        .collect()
}

/// A codice fiscale for the `n`-th comune: ten digits and the one check digit that fits.
fn codice_fiscale(n: usize) -> String {
    let head = format!("{:010}", 100_000 + n);
    (0..10)
        .map(|k| format!("{head}{k}"))
        .find(|c| cit_core::pagopa::valid_codice_fiscale(c))
        .expect("one check digit fits")
}

/// `comuni` member comuni (from 500 to about 40.000 abitanti), billed for 2022, with the
/// creditor registered.
fn billed(comuni: usize) -> Registry {
    let mut r = Registry::new();
    let mut events = vec![
        Event::TariffAdopted {
            tariff: Box::new(Tariff::from_json(TARIFF).expect("the tariff")),
        },
        Event::CreditorRegistered {
            creditor: Creditor::from_json(CREDITOR).expect("the creditor"),
        },
    ];
    for n in 0..comuni {
        let id = format!("{:06}", n + 1);
        let abitanti = 500 + (n as u64 * 7_919) % 40_000;
        let mut ente = Ente::comune(&id, format!("Comune {n}"), abitanti, abitanti / 10);
        ente.codice_fiscale = Some(codice_fiscale(n));
        let membership = format!("A-{id}");
        events.extend([
            Event::EnteRegistered { ente },
            Event::MembershipRequested {
                membership: membership.clone(),
                ente: id,
                date: d(2021, 11, 2),
            },
            Event::MembershipApproved {
                membership: membership.clone(),
                delibera: Delibera {
                    number: format!("{n}/2021"),
                    date: d(2021, 11, 20),
                    organ: "Consiglio comunale".into(),
                },
            },
            Event::ConventionSigned {
                membership,
                date: d(2021, 12, 1),
                from: Some(d(2022, 1, 1)),
                to: d(2025, 12, 31),
            },
        ]);
    }
    r.apply_all(None, events).expect("the CIT");
    r.billing_run(2022, d(2022, 3, 1), d(2022, 4, 30))
        .expect("the billing run");
    r
}

/// A flow paying every notice of 2022.
fn paying_all(r: &Registry) -> String {
    let payments: Vec<FlowPayment> = r
        .notices(2022)
        .iter()
        .enumerate()
        .map(|(k, n)| FlowPayment {
            iuv: n.iuv.clone(),
            iur: format!("IUR{k:08}"),
            index: 1,
            amount: n.amount,
            outcome: Outcome::Paid,
            date: d(2022, 4, 20),
        })
        .collect();
    Flow {
        version: "1.0".into(),
        id: "2022-04-21BCITITMM-S0000001".into(),
        date_time: d(2022, 4, 21).and_hms_opt(7, 0, 0).expect("a time"),
        regulation: "Bonifico SEPA-03069-A0001".into(),
        regulation_date: d(2022, 4, 21),
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
        total: Money::checked_sum(payments.iter().map(|p| p.amount)).expect("a total"),
        payments,
    }
    .to_xml()
}

fn pagopa(c: &mut Criterion) {
    for comuni in sizes() {
        let before = billed(comuni);
        let issue = Event::NoticesIssued {
            year: 2022,
            date: d(2022, 3, 1),
        };
        let mut r = before.clone();
        r.apply(issue.clone()).expect("the notices");
        let xml = paying_all(&r);
        let report = r.reconcile_flow(&xml).expect("the flow");
        assert_eq!(report.matched.len(), comuni);
        eprintln!(
            "pagopa/{comuni}: {comuni} notices, a flow of {} payments in {} bytes of XML",
            report.matched.len(),
            xml.len()
        );
        let mut g = c.benchmark_group(format!("pagopa/{comuni}"));
        g.throughput(Throughput::Elements(comuni as u64));
        g.sample_size(10);
        g.bench_function("notices_issued", |b| {
            b.iter_batched(
                || before.clone(),
                |mut r| black_box(r.apply(issue.clone()).expect("the notices")),
                BatchSize::LargeInput,
            )
        });
        g.bench_function("debt_positions", |b| {
            b.iter(|| black_box(r.debt_positions(2022).expect("the positions")))
        });
        g.bench_function("reconcile_flow", |b| {
            b.iter(|| black_box(r.reconcile_flow(black_box(&xml)).expect("the flow")))
        });
        g.bench_function("book", |b| {
            b.iter_batched(
                || (r.clone(), report.events.clone()),
                |(mut r, events)| black_box(r.apply_all(None, events).expect("booked")),
                BatchSize::LargeInput,
            )
        });
        g.finish();
    }
}

criterion_group!(benches, pagopa);
criterion_main!(benches);
