//! Pricing all 7.904 Italian comuni (2011 census; imprese estimated at 0,10 per abitante).
//!
//! `cargo bench --bench quote` reports quotes per second (criterion's "thrpt", in elements,
//! one element = one comune) for:
//! - `itemised`: `Tariff::quote`, the full quote with Italian labels;
//! - `total`: `Tariff::quote_total`, the same arithmetic without labels;
//! - `columnar`: `Tariff::quote_totals`, counts as two columns (the Python/JS batch path).
//!
//! Targets (one core): itemised ≥ 1 M quotes/s, totals-only ≥ 5 M quotes/s.

#[path = "../examples/common/mod.rs"]
mod common;

use std::hint::black_box;

use cit_core::Tariff;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rust_decimal::Decimal;

fn quote_all_comuni(c: &mut Criterion) {
    let rows = common::load_comuni(&common::default_comuni_csv(), Decimal::new(10, 2))
        .expect("census data");
    let enti: Vec<_> = rows.into_iter().map(|r| r.ente).collect();
    let abitanti: Vec<u64> = enti.iter().map(|e| e.abitanti.unwrap_or(0)).collect();
    let imprese: Vec<u64> = enti.iter().map(|e| e.imprese.unwrap_or(0)).collect();
    for (file, year) in [("bs-2015.json", 2016), ("graduated-2026.json", 2027)] {
        let text = std::fs::read_to_string(common::tariff_path(file)).expect("tariff file");
        let tariff = Tariff::from_json(&text).expect("valid tariff");
        let mut group = c.benchmark_group(format!("comuni/{}", tariff.id()));
        group.throughput(Throughput::Elements(enti.len() as u64));
        group.sample_size(30);
        group.bench_function("itemised", |b| {
            b.iter(|| {
                for e in &enti {
                    black_box(tariff.quote(black_box(e), year).unwrap());
                }
            })
        });
        group.bench_function("total", |b| {
            b.iter(|| {
                for e in &enti {
                    black_box(tariff.quote_total(black_box(e), year).unwrap());
                }
            })
        });
        group.bench_function("columnar", |b| {
            b.iter(|| {
                black_box(
                    tariff
                        .quote_totals(black_box(&abitanti), black_box(&imprese), year)
                        .unwrap(),
                )
            })
        });
        group.finish();
    }
}

criterion_group!(benches, quote_all_comuni);
criterion_main!(benches);
