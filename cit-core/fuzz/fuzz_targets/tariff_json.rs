//! Any text as a tariff document: parsing never panics; a tariff that parses survives a
//! JSON round trip unchanged, lints, and prices comuni and fixed kinds without panicking,
//! its itemised and totals-only paths agreeing.
#![no_main]

use cit_core::{Ente, EnteKind, Money, Tariff};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(tariff) = Tariff::from_json(text) else { return };
    let again = Tariff::from_json(&tariff.to_json()).expect("a tariff's own JSON parses");
    assert_eq!(again, tariff);
    let _ = tariff.lint();
    let year = tariff.document().period.from.format("%Y").to_string().parse().unwrap_or(2020);
    for (ab, imp) in [(0, 0), (1, 0), (2_999, 300), (3_001, 1), (189_902, 21_500), (u64::MAX, u64::MAX)] {
        let ente = Ente::comune("000001", "Fuzz", ab, imp);
        if let Ok(q) = tariff.quote(&ente, year) {
            let sum = Money::checked_sum(q.lines().iter().map(|l| l.amount)).expect("lines add up");
            assert_eq!(q.total(), sum);
            assert_eq!(tariff.quote_total(&ente, year).ok(), Some(q.total()));
        }
    }
    for kind in EnteKind::ALL {
        let mut ente = Ente::comune("E", "Fuzz", 1_000, 100);
        ente.kind = kind;
        let _ = tariff.quote(&ente, year);
    }
});
