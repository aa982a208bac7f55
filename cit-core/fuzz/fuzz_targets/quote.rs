//! The arithmetic of the quota on arbitrary rates, discounts, bounds and counts: a quote or
//! an error, never a panic; when it prices, the total is the sum of the lines, the totals-only
//! and columnar paths agree, and a ceiling is never exceeded.
#![no_main]

use cit_core::tariff::{Band, BandMode, Ceiling, Proration};
use cit_core::{Ente, Money, Tariff};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

const BASE: &str = include_str!("../../../examples/tariffs/graduated-2026.json");

struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        let n = self.0.len().min(8);
        b[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        u64::from_le_bytes(b)
    }

    fn decimal(&mut self) -> Decimal {
        let m = i128::from(self.u64() >> (self.u64() % 64)) * i128::from(1 + self.u64() % 1_000);
        Decimal::try_from_i128_with_scale(m, (self.u64() % 29) as u32).unwrap_or(Decimal::ZERO)
    }
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let mut doc = Tariff::from_json(BASE).expect("the base tariff").document().clone();
    let c = &mut doc.membership.comune;
    c.per_abitante = b.decimal();
    c.per_impresa = b.decimal();
    let mut edge = 0u64;
    let mut bands = Vec::new();
    for _ in 0..(b.u64() % 5) {
        edge = edge.saturating_add(1 + b.u64() % 100_000);
        bands.push(Band { up_to: Some(edge), discount: b.decimal() });
    }
    bands.push(Band { up_to: None, discount: b.decimal() });
    c.band_mode = Some(if b.u64() % 2 == 0 { BandMode::Volume } else { BandMode::Graduated });
    c.bands = Some(bands);
    c.minimum = Money::from_decimal_exact(b.decimal().round_dp(2));
    c.maximum = None;
    c.ceiling = (b.u64() % 2 == 0).then(|| Ceiling { per_abitante: b.decimal(), per_impresa: b.decimal() });
    doc.membership.proration = if b.u64() % 2 == 0 { Proration::Monthly } else { Proration::FullYear };
    let Ok(tariff) = Tariff::new(doc) else { return };
    let (ab, imp) = (b.u64() >> (b.u64() % 64), b.u64() >> (b.u64() % 64));
    let ente = Ente::comune("000001", "Fuzz", ab, imp);
    let Ok(q) = tariff.quote(&ente, 2027) else { return };
    assert_eq!(Money::checked_sum(q.lines().iter().map(|l| l.amount)), Some(q.total()));
    assert_eq!(tariff.quote_total(&ente, 2027).ok(), Some(q.total()));
    assert_eq!(tariff.quote_totals(&[ab], &[imp], 2027).ok(), Some(vec![q.total()]));
    if let Some(k) = tariff.document().membership.comune.ceiling {
        if let (Some(x), Some(y)) = (
            Decimal::from(ab).checked_mul(k.per_abitante),
            Decimal::from(imp).checked_mul(k.per_impresa),
        ) {
            if let Some(cap) = Money::round(x).checked_add(Money::round(y)) {
                assert!(q.total() <= cap, "{} > ceiling {cap}", q.total());
            }
        }
    }
});
