//! How long replaying a long journal takes (`Registry::from_events`, one `apply` per event).
//! Ignored by default; run it in release to measure:
//!
//! `nice -n 10 cargo test --release -p cit-core --test cit registry_replay -- --ignored --nocapture`
//!
//! It prints the time and asserts only the result, never a duration.
//!
//! Measured on a shared 2-core machine (release): 76,1 s while `Registry::apply` copied the
//! whole state for every event; 0,81 s since the ledger undoes a refused event instead.

use std::time::Instant;

use chrono::{Days, NaiveDate};
use cit_core::{Delibera, Ente, Event, Money, Registry, Tariff};

const CATALOGUE: &str = include_str!("../examples/tariffs/bs-2021-services.json");

/// A journal of `total` events: 100 comuni join, five yearly billing runs (2021-2025), and
/// payments of € 37,00 to € 136,00 by each comune in turn, every tenth one reversed.
pub fn journal(total: usize) -> Vec<Event> {
    let d = |y: i32, m: u32, day: u32| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
    let mut events = vec![Event::TariffAdopted {
        tariff: Box::new(Tariff::from_json(CATALOGUE).unwrap()),
    }];
    let enti: Vec<String> = (0..100).map(|i| format!("{:06}", 17_001 + i)).collect();
    for (i, id) in enti.iter().enumerate() {
        let i = u64::try_from(i).unwrap();
        events.push(Event::EnteRegistered {
            ente: Ente::comune(id, id, 800 + 97 * i, 40 + 13 * i),
        });
        events.push(Event::MembershipRequested {
            membership: format!("A-{id}"),
            ente: id.clone(),
            date: d(2021, 1, 10),
        });
        events.push(Event::MembershipApproved {
            membership: format!("A-{id}"),
            delibera: Delibera {
                number: format!("{i}/2021"),
                date: d(2021, 1, 20),
                organ: "Consiglio comunale".into(),
            },
        });
        events.push(Event::ConventionSigned {
            membership: format!("A-{id}"),
            date: d(2021, 1, 25),
            from: None,
            to: d(2025, 12, 31),
        });
    }
    let payments = total.saturating_sub(events.len() + 5);
    let per_year = payments.div_ceil(5);
    let mut n = 0usize;
    for year in 2021..=2025 {
        events.push(Event::BillingRun {
            year,
            issued: d(year, 3, 1),
            due: d(year, 4, 30),
        });
        for k in 0..per_year {
            if events.len() >= total {
                break;
            }
            let on = d(year, 3, 2) + Days::new(u64::try_from(k * 300 / per_year).unwrap());
            if n % 10 == 9 {
                events.push(Event::PaymentReversed {
                    id: format!("ST-{n}"),
                    payment: format!("P-{}", n - 1),
                    date: on,
                    reason: "bonifico respinto".into(),
                });
            } else {
                events.push(Event::PaymentReceived {
                    payment: format!("P-{n}"),
                    payer: enti[n % enti.len()].clone(),
                    date: on,
                    amount: Money::from_cents(3_700 + i64::try_from(n % 100).unwrap() * 100),
                    charge: None,
                });
            }
            n += 1;
        }
    }
    events
}

#[test]
#[ignore = "a measurement: run with --release --ignored --nocapture"]
fn replay_20_000_events() {
    let events = journal(20_000);
    assert_eq!(events.len(), 20_000);
    let start = Instant::now();
    let r = Registry::from_events(events).unwrap();
    let took = start.elapsed();
    assert_eq!(r.events().len(), 20_000);
    eprintln!(
        "replayed {} events ({} charges, {} payments, {} allocations) in {:.2?}",
        r.events().len(),
        r.charges().len(),
        r.payments().len(),
        r.allocations().len(),
        took
    );
    // The same journal read back from its JSON text (every event through its tagged mirror).
    let text = r.to_json();
    let start = Instant::now();
    let read = Registry::from_json(&text).unwrap();
    let took = start.elapsed();
    assert_eq!(read.events(), r.events());
    eprintln!(
        "read and replayed the same journal from {} KB of JSON in {took:.2?}",
        text.len() / 1000
    );
}
