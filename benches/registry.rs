//! The registry on realistic journals (`tests/journal.rs`: comuni and Unioni over 20 years,
//! memberships, services and renewal campaigns, two billing runs a year, payments in full,
//! partial and over, reversed charges and payments) of about 2.000, 20.000 and 200.000
//! events.
//!
//! `nice -n 10 cargo bench --bench registry` reports, for each size (group
//! `registry/<events asked>`; the journal's exact size is printed first):
//! - `from_json`: `Registry::from_json` of the journal's text, parse and replay (not the
//!   freeing of the registry afterwards); criterion's "thrpt" is events per second (one
//!   element = one event);
//! - `from_events`: `Registry::from_events` of the parsed events (the copy of the events
//!   is made outside the timing);
//! - `one_more_event`: `Registry::apply` of one more payment at the end of the journal (one
//!   element = one event): each sample replays the journal (outside the timing) and appends
//!   its payments one after the other;
//! - `balances`: `Registry::balances` of every ente at the end of the last year (one
//!   element = one ente).
//!
//! Targets: the cost per event at 200k within 1,5× of that at 2k; 200k events from JSON
//! in under 1 s; one more event under 50 µs; all balances under 50 ms. Memory per event is
//! `examples/registry_journal.rs` (criterion does not measure memory).
//!
//! `CIT_BENCH_EVENTS=2000,20000` picks the sizes (default `2000,20000,200000`): a
//! registry whose cost grows with the journal takes minutes at 200.000.

#[path = "../tests/journal.rs"]
mod journal;

use std::hint::black_box;
use std::time::{Duration, Instant};

use cit_core::{Event, Registry};
use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use journal::JournalConfig;

/// Years of every journal: the sizes differ by their number of enti.
const YEARS: i32 = 20;
const SEED: u64 = 1;

fn sizes() -> Vec<usize> {
    let text = std::env::var("CIT_BENCH_EVENTS").unwrap_or_else(|_| "2000,20000,200000".into());
    text.split(',')
        .map(|s| {
            s.trim()
                .replace(['_', '.'], "")
                .parse()
                .unwrap_or_else(|_| panic!("CIT_BENCH_EVENTS: {s:?} is not a number of events"))
        })
        .collect()
}

fn registry(c: &mut Criterion) {
    for asked in sizes() {
        let config = JournalConfig::sized(asked, YEARS, SEED);
        let events = journal::journal(&config);
        let n = events.len();
        let start = Instant::now();
        let registry = Registry::from_events(events.clone()).expect("the journal replays");
        eprintln!(
            "registry/{asked}: {n} events ({} comuni, {} Unioni, {YEARS} years; {} charges, {} payments), replayed once in {:.2?}",
            config.comuni,
            config.unioni,
            registry.charges().len(),
            registry.payments().len(),
            start.elapsed()
        );
        let text = registry.to_json();
        let at = journal::last_day(&events);
        let enti = registry.enti().count();

        let mut group = c.benchmark_group(format!("registry/{asked}"));
        // Whole replays take up to a second: few, flat samples.
        group.sampling_mode(SamplingMode::Flat);
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(match n {
            0..50_000 => 3,
            _ => 10,
        }));

        group.throughput(Throughput::Elements(n as u64));
        // The replays, not the freeing of what they built (`iter_with_large_drop`).
        group.bench_function("from_json", |b| {
            b.iter_with_large_drop(|| Registry::from_json(black_box(&text)).expect("replays"))
        });
        group.bench_function("from_events", |b| {
            b.iter_batched(
                || events.clone(),
                |e| Registry::from_events(e).expect("replays"),
                BatchSize::PerIteration,
            )
        });

        group.throughput(Throughput::Elements(1));
        let Event::PaymentReceived {
            payer,
            date,
            amount,
            ..
        } = journal::one_more_payment(&events, 0)
        else {
            unreachable!("one_more_payment is a payment");
        };
        // Each sample appends its payments, one after the other, to a registry replayed
        // from the journal (a copy would hold its lists at their exact length, so its first
        // append would move each of them: not what a registry that was replayed does).
        let mut next = 0u64;
        group.measurement_time(Duration::from_secs(2));
        group.bench_function("one_more_event", |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                let mut r = Registry::from_events(events.clone()).expect("the journal replays");
                for _ in 0..iters {
                    next += 1;
                    let e = Event::PaymentReceived {
                        payment: format!("EXTRA-{next}"),
                        payer: payer.clone(),
                        date,
                        amount,
                        charge: None,
                        channel: None,
                    };
                    let start = Instant::now();
                    black_box(r.apply(e).expect("one more payment"));
                    total += start.elapsed();
                }
                total
            })
        });

        group.throughput(Throughput::Elements(enti as u64));
        group.bench_function("balances", |b| {
            b.iter(|| registry.balances(black_box(at)).expect("balances"))
        });
        group.finish();
    }
}

criterion_group!(benches, registry);
criterion_main!(benches);
