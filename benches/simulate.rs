//! R-SIM at national scale: 10.000 Monte Carlo runs over all 7.904 Italian comuni (2011
//! census; imprese estimated at 0,10 per abitante; € 0,15 per abitante + € 1 per impresa).
//!
//! `nice -n 10 cargo bench --bench simulate` reports the time of one whole simulation
//! (criterion's "time", per iteration) and draws per second ("thrpt", one element = one
//! candidate decided in one run). Each candidate's quota is priced once, outside the timed
//! loop, as the analysis API intends.
//!
//! Target (one core): 10.000 runs × 7.904 comuni in under 2 s.

#[path = "../examples/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::Duration;

use cit_core::Tariff;
use cit_core::analysis::{Candidate, Probability, SimConfig, simulate};
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use rust_decimal::Decimal;

const RUNS: u32 = 10_000;

/// Join probabilities rising with size, as in `examples/simulate.rs`.
fn probability(abitanti: u64) -> Probability {
    let p = match abitanti {
        0..1_000 => "0.35",
        1_000..5_000 => "0.50",
        5_000..10_000 => "0.65",
        10_000..20_000 => "0.80",
        _ => "0.90",
    };
    p.parse().expect("a probability")
}

fn simulate_all_comuni(c: &mut Criterion) {
    let rows = common::load_comuni(&common::default_comuni_csv(), Decimal::new(10, 2))
        .expect("census data");
    let enti: Vec<_> = rows.into_iter().map(|r| r.ente).collect();
    let probabilities: Vec<_> = enti
        .iter()
        .map(|e| probability(e.abitanti.unwrap_or(0)))
        .collect();
    let text = std::fs::read_to_string(common::tariff_path("av-2018.json")).expect("tariff file");
    let tariff = Tariff::from_json(&text).expect("valid tariff");
    let candidates =
        Candidate::from_tariff(&tariff, &enti, &probabilities, 2018).expect("priced candidates");
    let config = SimConfig {
        runs: RUNS,
        seed: 42,
        cost: Some(cit_core::Money::from_cents(1_000_000_000)),
    };

    let mut group = c.benchmark_group(format!("simulate/{}_comuni", candidates.len()));
    group.throughput(Throughput::Elements(
        u64::from(RUNS) * candidates.len() as u64,
    ));
    // One iteration is a whole simulation (tenths of a second): few, flat samples keep
    // the bench well under a minute.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(8));
    group.bench_function(format!("{RUNS}_runs"), |b| {
        b.iter(|| simulate(black_box(&candidates), black_box(&config)).expect("simulation"))
    });
    group.finish();
}

criterion_group!(benches, simulate_all_comuni);
criterion_main!(benches);
