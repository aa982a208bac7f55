//! Unit tests of the quota rules, one worked example each, computed by hand.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::*;
use crate::{Ente, EnteKind, Money, Quote, Rule};

const BS_2015: &str = include_str!("../../../examples/tariffs/bs-2015.json");
const GRADUATED: &str = include_str!("../../../examples/tariffs/graduated-2026.json");

fn bs() -> Tariff {
    Tariff::from_json(BS_2015).unwrap()
}

fn graduated() -> Tariff {
    Tariff::from_json(GRADUATED).unwrap()
}

/// A simple tariff: 0.15/1.00, 2016 only, counts at 2015-12-31, with `comune` overrides.
fn tariff_with(comune: Value) -> Result<Tariff> {
    let mut c = json!({"per_abitante": "0.15", "per_impresa": "1.00"});
    for (k, v) in comune.as_object().unwrap() {
        c[k] = v.clone();
    }
    let doc = json!({
        "id": "t", "name": "T", "period": {"from": "2016-01-01", "to": "2016-12-31"},
        "counts_as_of": "2015-12-31",
        "membership": {"comune": c, "fixed": {"unione": "300.00"}}
    });
    Tariff::from_json(&doc.to_string())
}

fn comune(ab: u64, imp: u64) -> Ente {
    Ente::comune("000001", "Prova", ab, imp)
}

fn cents(q: &Quote) -> Vec<(Rule, i64)> {
    q.lines()
        .iter()
        .map(|l| (l.rule, l.amount.cents().unwrap()))
        .collect()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn r_cap_brescia_per_abitante_and_per_impresa() {
    // 189.902 × 0,15 = 28.485,30; 21.500 × 1,00 = 21.500,00; total 49.985,30.
    let q = tariff_with(json!({}))
        .unwrap()
        .quote(&comune(189_902, 21_500), 2016)
        .unwrap();
    assert_eq!(cents(&q), [(Rule::Cap, 2_848_530), (Rule::Cap, 2_150_000)]);
    assert_eq!(q.lines()[0].label, "189.902 abitanti × € 0,15");
    assert_eq!(q.lines()[1].label, "21.500 imprese × € 1,00");
    assert_eq!(q.total(), Money::from_cents(4_998_530));
}

#[test]
fn r_cap_missing_abitanti_is_an_error_not_zero() {
    let mut e = comune(1, 1);
    e.abitanti = None;
    let err = bs().quote(&e, 2016).unwrap_err();
    assert_eq!(
        err,
        Error::MissingCount {
            ente: "000001".into(),
            field: "abitanti"
        }
    );
}

#[test]
fn r_cap_missing_imprese_is_an_error_when_the_tariff_needs_them() {
    let mut e = comune(1_000, 0);
    e.imprese = None;
    assert_eq!(bs().quote(&e, 2016).unwrap_err().code(), "missing_count");
    // With no per-impresa rate anywhere, imprese are not needed and no line shows them.
    let t = tariff_with(json!({"per_impresa": "0"})).unwrap();
    let q = t.quote(&e, 2016).unwrap();
    assert_eq!(cents(&q), [(Rule::Cap, 15_000)]);
    // …but a per-impresa rate in the ceiling needs them again.
    let t = tariff_with(
        json!({"per_impresa": "0", "ceiling": {"per_abitante": "0.15", "per_impresa": "1"}}),
    )
    .unwrap();
    assert_eq!(t.quote(&e, 2016).unwrap_err().code(), "missing_count");
}

#[test]
fn r_cap_counts_date_must_match_the_tariff() {
    let mut e = comune(1_000, 100);
    e.counts_as_of = Some(date(2013, 12, 31));
    assert!(bs().quote(&e, 2016).is_ok());
    e.counts_as_of = Some(date(2014, 12, 31));
    let err = bs().quote(&e, 2016).unwrap_err();
    assert_eq!(
        err,
        Error::CountsDateMismatch {
            ente: "000001".into(),
            tariff: "bs-2015".into(),
            expected: date(2013, 12, 31),
            found: date(2014, 12, 31),
        }
    );
}

#[test]
fn r_cap_previous_year_end_moves_with_the_year() {
    let mut e = comune(1_000, 100);
    e.counts_as_of = Some(date(2026, 12, 31));
    assert!(graduated().quote(&e, 2027).is_ok());
    let err = graduated().quote(&e, 2028).unwrap_err();
    assert_eq!(err.code(), "counts_date_mismatch");
    assert!(err.to_string().contains("2027-12-31"), "{err}");
}

#[test]
fn r_fix_unione_pays_the_fixed_quota() {
    let mut e = comune(0, 0);
    e.kind = EnteKind::Unione;
    e.abitanti = None;
    e.imprese = None;
    let q = bs().quote(&e, 2016).unwrap();
    assert_eq!(cents(&q), [(Rule::Fix, 30_000)]);
    assert_eq!(q.lines()[0].label, "Quota fissa Unione di Comuni");
}

#[test]
fn r_fix_kind_missing_from_the_tariff_is_an_error_naming_it() {
    let mut e = comune(0, 0);
    e.kind = EnteKind::Provincia;
    let err = bs().quote(&e, 2016).unwrap_err();
    assert_eq!(
        err,
        Error::KindNotPriced {
            tariff: "bs-2015".into(),
            kind: EnteKind::Provincia
        }
    );
    assert_eq!(err.path().as_deref(), Some("membership.fixed.provincia"));
}

#[test]
fn r_round_half_away_from_zero_on_every_line() {
    // 1 × 0,005 = 0,005 → 0,01; 3 × 0,0025 = 0,0075 → 0,01; 1 × 0,0049 → 0,00.
    let t = tariff_with(json!({"per_abitante": "0.005", "per_impresa": "0.0025"})).unwrap();
    assert_eq!(
        cents(&t.quote(&comune(1, 3), 2016).unwrap()),
        [(Rule::Cap, 1), (Rule::Cap, 1)]
    );
    let t = tariff_with(json!({"per_abitante": "0.0049", "per_impresa": "0"})).unwrap();
    assert_eq!(
        cents(&t.quote(&comune(1, 0), 2016).unwrap()),
        [(Rule::Cap, 0)]
    );
}

#[test]
fn r_band_volume_discount_of_the_comunes_band() {
    // 5.000 × 0,15 = 750,00; 400 imprese = 400,00; band 3.001–10.000 at 10 %:
    // −round(1.150 × 0,10) = −115,00; total 1.035,00.
    let q = bs().quote(&comune(5_000, 400), 2016).unwrap();
    assert_eq!(
        cents(&q),
        [
            (Rule::Cap, 75_000),
            (Rule::Cap, 40_000),
            (Rule::Band, -11_500)
        ]
    );
    assert_eq!(
        q.lines()[2].label,
        "Sconto del 10% per la fascia da 3.001 a 10.000 abitanti"
    );
    assert_eq!(q.total(), Money::from_cents(103_500));
}

#[test]
fn r_band_volume_edges_are_inclusive_upper_bounds() {
    // 3.000 abitanti: first band, no discount: 450,00.
    assert_eq!(
        cents(&bs().quote(&comune(3_000, 0), 2016).unwrap()),
        [(Rule::Cap, 45_000), (Rule::Cap, 0)]
    );
    // 3.001: 450,15 and −round(450,15 × 0,10 = 45,015) = −45,02 → 405,13 (a cliff of 44,87).
    let q = bs().quote(&comune(3_001, 0), 2016).unwrap();
    assert_eq!(
        cents(&q),
        [(Rule::Cap, 45_015), (Rule::Cap, 0), (Rule::Band, -4_502)]
    );
    // Above 10.000: the open band, 20 %.
    let q = bs().quote(&comune(10_001, 0), 2016).unwrap();
    assert_eq!(
        q.lines()[2].label,
        "Sconto del 20% per la fascia oltre 10.000 abitanti"
    );
}

#[test]
fn r_band_graduated_each_slice_takes_its_band() {
    // 12.000 ab.: slices 3.000 at 0 %, 2.000 at 5 %, 5.000 at 10 %, 2.000 at 15 %:
    // Σ slice·d = 0 + 100 + 500 + 300 = 900; base 1.800,00 + 1.000 imprese = 2.800,00;
    // discount = 2.800 × 900 / 12.000 = 210,00; total 2.590,00.
    let q = graduated().quote(&comune(12_000, 1_000), 2027).unwrap();
    assert_eq!(
        cents(&q),
        [
            (Rule::Cap, 180_000),
            (Rule::Cap, 100_000),
            (Rule::Band, -21_000)
        ]
    );
    assert_eq!(
        q.lines()[2].label,
        "Sconto per scaglioni: 3.000 ab. al 0%, 2.000 ab. al 5%, 5.000 ab. al 10%, 2.000 ab. al 15%"
    );
}

#[test]
fn r_band_graduated_rounds_once_from_the_exact_value() {
    // 3.001 ab.: 450,15 × (1 × 0,05) / 3.001 = 0,0075 exactly → 0,01.
    let q = graduated().quote(&comune(3_001, 0), 2027).unwrap();
    assert_eq!(
        cents(&q),
        [(Rule::Cap, 45_015), (Rule::Cap, 0), (Rule::Band, -1)]
    );
}

#[test]
fn r_band_graduated_has_no_cliff_where_volume_has_one() {
    let g = graduated();
    let before = g.quote_total(&comune(3_000, 0), 2027).unwrap();
    let after = g.quote_total(&comune(3_001, 0), 2027).unwrap();
    assert!(after > before, "{after} > {before}");
    let v = bs();
    assert!(
        v.quote_total(&comune(3_001, 0), 2016).unwrap()
            < v.quote_total(&comune(3_000, 0), 2016).unwrap()
    );
}

#[test]
fn r_minmax_minimum_then_ceiling_which_always_wins() {
    // 100 ab. = 15,00; 10 imprese = 10,00; total 25,00 < minimum 50,00 → +25,00;
    // ceiling 100 × 0,15 + 10 × 1,00 = 25,00 → −25,00. The comune pays 25,00.
    let q = bs().quote(&comune(100, 10), 2016).unwrap();
    assert_eq!(
        cents(&q),
        [
            (Rule::Cap, 1_500),
            (Rule::Cap, 1_000),
            (Rule::MinMax, 2_500),
            (Rule::Ceil, -2_500)
        ]
    );
    assert_eq!(
        q.lines()[2].label,
        "Integrazione alla quota minima di € 50,00"
    );
    assert_eq!(
        q.lines()[3].label,
        "Riduzione al tetto di € 25,00 (100 abitanti × € 0,15 + 10 imprese × € 1,00)"
    );
    assert_eq!(q.total(), Money::from_cents(2_500));
}

#[test]
fn r_minmax_minimum_without_ceiling() {
    // 200 × 0,15 = 30,00; 10 imprese = 10,00; 40,00 → minimum 100,00: +60,00.
    let q = graduated().quote(&comune(200, 10), 2027).unwrap();
    assert_eq!(
        cents(&q),
        [
            (Rule::Cap, 3_000),
            (Rule::Cap, 1_000),
            (Rule::MinMax, 6_000)
        ]
    );
}

#[test]
fn r_minmax_maximum() {
    // Brescia under the graduated tariff: 28.485,30 + 21.500,00 = 49.985,30;
    // Σ slice·d = 0 + 100 + 500 + 6.000 + 139.902 × 0,20 = 34.580,40;
    // discount = 49.985,30 × 34.580,40 / 189.902 = 9.102,1246… → −9.102,12; 40.883,18;
    // maximum 25.000,00 → −15.883,18.
    let q = graduated().quote(&comune(189_902, 21_500), 2027).unwrap();
    assert_eq!(
        cents(&q),
        [
            (Rule::Cap, 2_848_530),
            (Rule::Cap, 2_150_000),
            (Rule::Band, -910_212),
            (Rule::MinMax, -1_588_318)
        ]
    );
    assert_eq!(
        q.lines()[3].label,
        "Riduzione alla quota massima di € 25.000,00"
    );
    assert_eq!(q.total(), Money::from_cents(2_500_000));
}

#[test]
fn r_ceil_limits_to_the_earlier_formula() {
    // 1.000 × 0,15 + 100 × 1,00 = 250,00; ceiling 1.000 × 0,10 + 100 × 0,50 = 150,00.
    let t =
        tariff_with(json!({"ceiling": {"per_abitante": "0.10", "per_impresa": "0.50"}})).unwrap();
    let q = t.quote(&comune(1_000, 100), 2016).unwrap();
    assert_eq!(
        cents(&q),
        [
            (Rule::Cap, 15_000),
            (Rule::Cap, 10_000),
            (Rule::Ceil, -10_000)
        ]
    );
    assert_eq!(q.total(), Money::from_cents(15_000));
}

#[test]
fn r_order_steps_come_in_order() {
    let t = tariff_with(json!({
        "bands": [{"up_to": 10, "discount": "0"}, {"up_to": null, "discount": "0.5"}],
        "band_mode": "volume", "minimum": "100.00", "maximum": "120.00",
        "ceiling": {"per_abitante": "0.20", "per_impresa": "0"}
    }))
    .unwrap();
    // 100 × 0,15 = 15,00; 5 imprese = 5,00; −50 % = −10,00 → 10,00; minimum → +90,00 →
    // 100,00; maximum 120 not reached; ceiling 100 × 0,20 = 20,00 → −80,00.
    let q = t.quote(&comune(100, 5), 2016).unwrap();
    assert_eq!(
        cents(&q),
        [
            (Rule::Cap, 1_500),
            (Rule::Cap, 500),
            (Rule::Band, -1_000),
            (Rule::MinMax, 9_000),
            (Rule::Ceil, -8_000)
        ]
    );
}

#[test]
fn r_period_year_outside_is_an_error_naming_the_period() {
    let err = bs().quote(&comune(1, 1), 2021).unwrap_err();
    assert_eq!(err.code(), "year_outside_period");
    assert_eq!(
        err.to_string(),
        "tariff `bs-2015` covers 2015-01-01 to 2020-12-31: year 2021 is outside its period (R-PERIOD)"
    );
    assert!(bs().quote(&comune(1, 1), 2015).is_ok());
    assert!(bs().quote(&comune(1, 1), 2020).is_ok());
    assert!(bs().quote_totals(&[1], &[1], 2014).is_err());
}

#[test]
fn r_prorata_monthly_from_the_start_month() {
    let mut e = comune(0, 0);
    e.kind = EnteKind::Unione;
    // 400,00 from April: 9/12 → 300,00.
    let q = graduated().quote_from(&e, 2027, date(2027, 4, 15)).unwrap();
    assert_eq!(cents(&q), [(Rule::Fix, 40_000), (Rule::Prorata, -10_000)]);
    assert_eq!(
        q.lines()[1].label,
        "Adesione da aprile 2027: 9/12 dell'anno"
    );
    // January, or a membership from an earlier year: the full year.
    assert_eq!(
        graduated()
            .quote_from(&e, 2027, date(2027, 1, 31))
            .unwrap()
            .lines()
            .len(),
        1
    );
    assert_eq!(
        graduated()
            .quote_from(&e, 2027, date(2026, 6, 1))
            .unwrap()
            .lines()
            .len(),
        1
    );
    // A start after the year priced is an error.
    let err = graduated()
        .quote_from(&e, 2027, date(2028, 1, 1))
        .unwrap_err();
    assert_eq!(err.code(), "invalid_value");
}

#[test]
fn r_prorata_rounds_the_prorated_quota() {
    // A comune at the 100,00 minimum plus 0,01: 100,01 × 7 / 12 = 58,339… → 58,34.
    let t = tariff_with(json!({"per_abitante": "0.01", "per_impresa": "0"})).unwrap();
    let mut doc = t.document().clone();
    doc.membership.proration = Proration::Monthly;
    let t = Tariff::new(doc).unwrap();
    let q = t
        .quote_from(&comune(10_001, 0), 2016, date(2016, 6, 1))
        .unwrap();
    assert_eq!(cents(&q), [(Rule::Cap, 10_001), (Rule::Prorata, -4_167)]);
    assert_eq!(q.total(), Money::from_cents(5_834));
}

#[test]
fn r_prorata_full_year_is_the_default() {
    let q = bs()
        .quote_from(&comune(1_000, 10), 2016, date(2016, 9, 1))
        .unwrap();
    assert!(q.lines().iter().all(|l| l.rule != Rule::Prorata));
}

#[test]
fn totals_paths_agree_with_the_itemised_quote() {
    for t in [bs(), graduated()] {
        let year = if t.id() == "bs-2015" { 2016 } else { 2027 };
        let counts = [
            (0, 0),
            (1, 0),
            (2_999, 300),
            (3_000, 1),
            (3_001, 0),
            (50_000, 4_000),
            (189_902, 21_500),
        ];
        let (ab, imp): (Vec<u64>, Vec<u64>) = counts.iter().copied().unzip();
        let totals = t.quote_totals(&ab, &imp, year).unwrap();
        let cents = t.quote_totals_cents(&ab, &imp, year).unwrap();
        for (i, &(a, b)) in counts.iter().enumerate() {
            assert_eq!(totals[i].cents(), Some(cents[i]));
            let e = comune(a, b);
            let q = t.quote(&e, year).unwrap();
            assert_eq!(q.total(), t.quote_total(&e, year).unwrap());
            assert_eq!(q.total(), totals[i]);
        }
    }
}

#[test]
fn quote_totals_columns_must_have_the_same_length() {
    let err = bs().quote_totals(&[1, 2], &[1], 2016).unwrap_err();
    assert_eq!(err.code(), "invalid_value");
    assert_eq!(err.path().as_deref(), Some("imprese"));
    let err = bs().quote_totals_cents(&[1, 2], &[1], 2016).unwrap_err();
    assert_eq!(err.path().as_deref(), Some("imprese"));
    assert!(bs().quote_totals_cents(&[1], &[1], 2014).is_err());
}

#[test]
fn quote_totals_cents_past_the_fixed_point_path() {
    // A count beyond i64 leaves the fixed-point path; a total beyond i64::MAX cents is an
    // overflow naming its row.
    let t = bs();
    let big = [0, 1_000, u64::MAX];
    let err = t.quote_totals_cents(&big, &[0, 0, 0], 2016).unwrap_err();
    assert_eq!(err.code(), "overflow");
    assert!(err.to_string().contains("row 2"), "{err}");
}

#[test]
fn quote_json_has_the_canonical_shape() {
    let q = bs()
        .quote(&Ente::comune("017029", "Brescia", 189_902, 21_500), 2016)
        .unwrap();
    let v: Value = serde_json::from_str(&q.to_json()).unwrap();
    assert_eq!(v["ente"], "017029");
    assert_eq!(v["tariff"], "bs-2015");
    assert_eq!(v["year"], 2016);
    assert_eq!(
        v["lines"][0],
        json!({"rule": "R-CAP", "label": "189.902 abitanti × € 0,15", "amount": "28485.30"})
    );
    assert_eq!(v["total"], "39988.24");
    assert_eq!(Quote::from_json(&q.to_json()).unwrap(), q);
}

#[test]
fn quote_json_with_a_wrong_total_is_refused() {
    let q = bs().quote(&comune(1_000, 10), 2016).unwrap();
    let text = q
        .to_json()
        .replace("\"total\":\"160.00\"", "\"total\":\"160.01\"");
    assert_ne!(text, q.to_json());
    assert_eq!(Quote::from_json(&text).unwrap_err().code(), "invalid");
}

#[test]
fn validation_reports_every_problem_at_once() {
    let err = Tariff::from_json(
        &json!({
            "id": "", "name": "x", "period": {"from": "2020-01-01", "to": "2019-12-31"},
            "counts_as_of": "previous_year_end",
            "membership": {
                "comune": {
                    "per_abitante": "-0.15", "per_impresa": "1",
                    "bands": [{"up_to": 5000, "discount": "0"}, {"up_to": null, "discount": "0.1"},
                              {"up_to": 3000, "discount": "-0.1"}],
                    "minimum": "100", "maximum": "50"
                },
                "fixed": {"unione": "-1"}
            }
        })
        .to_string(),
    )
    .unwrap_err();
    let Error::Invalid {
        document: "tariff",
        problems,
    } = &err
    else {
        panic!("{err:?}")
    };
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "id",
            "period.to",
            "membership.comune.per_abitante",
            "membership.comune.bands[1].up_to",
            "membership.comune.bands[2].up_to",
            "membership.comune.bands[2].discount",
            "membership.comune.band_mode",
            "membership.comune.maximum",
            "membership.fixed.unione",
        ]
    );
    assert_eq!(problems[4].expected, "null: the last band is open");
    assert_eq!(
        problems[3].expected,
        "a number of abitanti: only the last band is open"
    );
}

#[test]
fn validation_refuses_bands_out_of_order() {
    let err = tariff_with(json!({
        "bands": [{"up_to": 5000, "discount": "0"}, {"up_to": 3000, "discount": "0.1"},
                  {"up_to": 3000, "discount": "0.1"}, {"up_to": null, "discount": "0.2"}],
        "band_mode": "volume"
    }))
    .unwrap_err();
    let Error::Invalid { problems, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(problems.len(), 2);
    assert_eq!(problems[0].path, "membership.comune.bands[1].up_to");
    assert_eq!(
        problems[0].expected,
        "more than the previous band's up_to, 5000 (bands ascend)"
    );
    assert_eq!(problems[1].path, "membership.comune.bands[2].up_to");
}

#[test]
fn validation_refuses_empty_bands_and_mode_without_bands() {
    let err = tariff_with(json!({"bands": [], "band_mode": "volume"})).unwrap_err();
    assert_eq!(err.path().as_deref(), Some("membership.comune.bands"));
    let err = tariff_with(json!({"band_mode": "graduated"})).unwrap_err();
    assert_eq!(err.path().as_deref(), Some("membership.comune.bands"));
}

#[test]
fn parsing_refuses_unknown_fields_with_their_path() {
    let text = BS_2015.replace(
        "\"per_impresa\": \"1.00\",\n      \"bands\"",
        "\"per_impresa\": \"1.00\", \"per_abitant\": 1,\n      \"bands\"",
    );
    assert_ne!(text, BS_2015);
    let err = Tariff::from_json(&text).unwrap_err();
    assert_eq!(err.code(), "malformed");
    assert_eq!(err.path().as_deref(), Some("membership.comune.per_abitant"));
    assert!(
        err.to_string().contains("unknown field `per_abitant`"),
        "{err}"
    );
}

#[test]
fn parsing_reads_numbers_from_their_text_never_a_float() {
    // 0.1 + 0.2 style: a JSON number with many digits keeps every one.
    let t = tariff_with(json!({})).unwrap();
    let text = t
        .to_json()
        .replace("\"0.15\"", "0.1500000000000000000000000001");
    let t = Tariff::from_json(&text).unwrap();
    assert_eq!(
        t.document().membership.comune.per_abitante.to_string(),
        "0.1500000000000000000000000001"
    );
    // Money in whole cents only.
    let text = BS_2015.replace("\"unione\": \"300.00\"", "\"unione\": 300.005");
    let err = Tariff::from_json(&text).unwrap_err();
    assert_eq!(err.path().as_deref(), Some("membership.fixed.unione"));
    assert!(err.to_string().contains("whole cents"), "{err}");
}

#[test]
fn huge_counts_and_long_rates_are_errors_not_panics() {
    let t = tariff_with(json!({"per_abitante": "0.1234567890123456789012345678"})).unwrap();
    let err = t.quote(&comune(u64::MAX, u64::MAX), 2016).unwrap_err();
    assert_eq!(err.code(), "overflow");
    assert_eq!(
        err.path().as_deref(),
        Some("membership.comune.per_abitante")
    );
    // Plain rates still price u64::MAX exactly: 18.446.744.073.709.551.615 × 0,15.
    let q = bs().quote(&comune(u64::MAX, 0), 2016).unwrap();
    assert_eq!(
        q.lines()[0].amount.to_plain_string(),
        "2767011611056432742.25"
    );
    assert!(
        Tariff::from_json(&BS_2015.replace("\"0.15\"", "\"0.12345678901234567890123456789012\""))
            .is_err()
    );
}

#[test]
fn r_round_an_adjustment_that_needs_more_than_28_digits_is_an_overflow_not_a_rounding() {
    // Found by the `quote` fuzz target: 197.568.495.616 abitanti × € 60.797.477.283.652.992
    // is a 29-digit quota; the ceiling's adjustment to € 92.252.587.437,54 would need 31
    // digits, and rust_decimal used to round it to whole euro silently, so the lines
    // summed to 92.252.587.438,00 while the steps said …437,54.
    let t = tariff_with(json!({
        "per_abitante": "60797477283652992", "per_impresa": "0",
        "ceiling": {"per_abitante": "0.089676228562302611", "per_impresa": "6459.7273718953082880"}
    }))
    .unwrap();
    let e = comune(197_568_495_616, 11_538_473);
    assert_eq!(t.quote(&e, 2016).unwrap_err().code(), "overflow");
    assert_eq!(t.quote_total(&e, 2016).unwrap_err().code(), "overflow");
    let big = Money::from_decimal_exact("12011666124179255738417283072".parse().unwrap()).unwrap();
    assert_eq!(big.checked_sub(Money::from_cents(46)), None);
    // 31 digits with the cents: refused rather than rounded, even where whole euro would do.
    assert_eq!(big.checked_add(Money::from_cents(100)), None);
}

#[test]
fn tariff_json_round_trips() {
    for text in [BS_2015, GRADUATED] {
        let t = Tariff::from_json(text).unwrap();
        let again = Tariff::from_json(&t.to_json()).unwrap();
        assert_eq!(again, t);
        assert_eq!(again.to_json(), t.to_json());
    }
}

#[test]
fn lint_band_cliffs_largest_first() {
    let w = bs().lint();
    let cliffs: Vec<_> = w.iter().filter(|w| w.code == "band_cliff").collect();
    // Edge 10.000: 1.500,00 × 0,90 = 1.350,00 → 10.001 × 0,15 × 0,80 = 1.200,12: −149,88.
    // Edge 3.000: 450,00 → 405,13: −44,87.
    assert_eq!(cliffs.len(), 2);
    assert_eq!(cliffs[0].path, "membership.comune.bands[1].up_to");
    assert!(
        cliffs[0].message.contains("€ 149,88"),
        "{}",
        cliffs[0].message
    );
    assert_eq!(cliffs[1].path, "membership.comune.bands[0].up_to");
    assert!(
        cliffs[1].message.contains("€ 44,87"),
        "{}",
        cliffs[1].message
    );
    assert!(graduated().lint().iter().all(|w| w.code != "band_cliff"));
}

#[test]
fn lint_minimum_unreachable_under_the_ceiling() {
    // round(ab × 0,15) ≥ 50,00 from 334 abitanti (333 × 0,15 = 49,95).
    let w = bs().lint();
    let m: Vec<_> = w
        .iter()
        .filter(|w| w.code == "minimum_unreachable")
        .collect();
    assert_eq!(m.len(), 1);
    assert!(
        m[0].message.contains("under 334 abitanti"),
        "{}",
        m[0].message
    );
}

#[test]
fn lint_full_discount_and_rate_precision() {
    let t = tariff_with(json!({
        "per_abitante": "0.123456",
        "bands": [{"up_to": 10, "discount": "0"}, {"up_to": null, "discount": "1"}],
        "band_mode": "graduated"
    }))
    .unwrap();
    let codes: Vec<_> = t.lint().iter().map(|w| (w.code, w.path.clone())).collect();
    assert_eq!(
        codes,
        [
            (
                "discount_full",
                "membership.comune.bands[1].discount".to_owned()
            ),
            (
                "rate_precision",
                "membership.comune.per_abitante".to_owned()
            ),
        ]
    );
    assert!(tariff_with(json!({})).unwrap().lint().is_empty());
}

mod fast_path {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    /// Decimals `m × 10^-s`.
    fn decimal(
        m: std::ops::RangeInclusive<i64>,
        s: std::ops::RangeInclusive<u32>,
    ) -> BoxedStrategy<Decimal> {
        (m, s).prop_map(|(m, s)| Decimal::new(m, s)).boxed()
    }

    prop_compose! {
        /// A comune tariff whose rates (the ceiling's too) are drawn from `rate` and whose
        /// band discounts are drawn from `discount`.
        fn comune_tariff(rate: BoxedStrategy<Decimal>, discount: BoxedStrategy<Decimal>)(
            pa in rate.clone(), pi in rate.clone(),
            edges in prop::collection::btree_set(0u64..500_000, 0..5),
            discounts in prop::collection::vec(discount, 6),
            mode in prop_oneof![Just(None), Just(Some(BandMode::Volume)), Just(Some(BandMode::Graduated))],
            min in prop::option::of(0i64..=1_000_000), max in prop::option::of(0i64..=100_000_000),
            ceiling in prop::option::of((rate.clone(), rate)),
        ) -> Tariff {
            let mut bands: Vec<Band> = edges.into_iter().zip(&discounts)
                .map(|(e, &discount)| Band { up_to: Some(e), discount }).collect();
            bands.push(Band { up_to: None, discount: discounts[5] });
            let mut doc = bs().document().clone();
            doc.membership.comune = ComuneTariff {
                per_abitante: pa, per_impresa: pi,
                bands: mode.map(|_| bands), band_mode: mode,
                minimum: min.map(Money::from_cents),
                maximum: max.map(|m| Money::from_cents(m + min.unwrap_or(0))),
                ceiling: ceiling.map(|(per_abitante, per_impresa)| Ceiling { per_abitante, per_impresa }),
            };
            Tariff::new(doc).unwrap()
        }
    }

    /// Any tariff: rates up to 5.000.000 × 10^-8 … 5.000.000, discounts up to 15.000 ×
    /// 10^-6 … 15.000; many of them, with large counts, overflow the fast path.
    fn any_tariff() -> impl Strategy<Value = Tariff> {
        comune_tariff(decimal(0..=5_000_000, 0..=8), decimal(0..=15_000, 0..=6))
    }

    /// A realistic tariff: rates in cents up to € 9,99, discounts in whole percents up to
    /// 100 %. With fewer than 3.000.000 abitanti and 500.000 imprese every step of the fast
    /// path fits an `i64`: the largest, a graduated band's `base × Σ slice × discount` in
    /// units of 10^-4, is below 3.500.000 × 999 × 3.000.000 × 100 ≈ 1,05 × 10^18 (the
    /// `i64` ends at 9,2 × 10^18).
    fn realistic_tariff() -> impl Strategy<Value = Tariff> {
        comune_tariff(decimal(0..=999, 2..=2), decimal(0..=100, 2..=2))
    }

    /// Where the fast path computes R-ORDER's steps, they are the decimal path's (which
    /// must not refuse them); where it computes none, the steps are the decimal path's.
    fn same(t: &Tariff, ab: u64, imp: u64) -> std::result::Result<(), TestCaseError> {
        let exact = t.comune_steps_decimal(ab, imp);
        match t.comune_steps_fast(ab, imp) {
            Some(fast) => prop_assert_eq!(Ok(fast), exact),
            None => prop_assert_eq!(t.comune_steps(ab, imp), exact),
        }
        Ok(())
    }

    proptest! {
        /// R-ORDER: the integer fast path and the exact decimal path agree on every step.
        #[test]
        fn r_order_fast_path_equals_decimal_path(
            t in any_tariff(), ab in 0u64..3_000_000, imp in 0u64..500_000, huge in any::<u64>(),
        ) {
            same(&t, ab, imp)?;
            same(&t, huge, imp)?;
            same(&t, ab, huge)?;
        }

        /// R-ORDER: on a realistic tariff and comune the fast path itself computes every
        /// step (no fallback), and its steps are the decimal path's.
        #[test]
        fn r_order_fast_path_computes_realistic_quotas(
            t in realistic_tariff(), ab in 0u64..3_000_000, imp in 0u64..500_000,
        ) {
            let Some(fast) = t.comune_steps_fast(ab, imp) else {
                return Err(TestCaseError::fail(format!(
                    "the fast path gave up on {ab} abitanti, {imp} imprese"
                )));
            };
            prop_assert_eq!(Ok(fast), t.comune_steps_decimal(ab, imp));
        }
    }

    #[test]
    fn r_order_fast_path_computes_the_example_tariffs() {
        for t in [bs(), graduated()] {
            for (ab, imp) in [
                (0, 0),
                (1_600, 120),
                (189_902, 21_500),
                (2_750_000, 350_000),
            ] {
                let fast = t.comune_steps_fast(ab, imp).unwrap_or_else(|| {
                    panic!(
                        "{}: the fast path gave up on {ab} abitanti, {imp} imprese",
                        t.id()
                    )
                });
                assert_eq!(Ok(fast), t.comune_steps_decimal(ab, imp));
            }
        }
    }
}

mod adoption {
    use super::*;
    use crate::governance::Board;

    fn board(kind: &str, votes: &str) -> Board {
        Board::from_json(&format!(
            r#"{{"id": "ts", "kind": "{kind}", "name": "Tavolo", "president": "a",
              "members": [{{"ente": "a", "representative": "A"}}, {{"ente": "b", "representative": "B"}},
                          {{"ente": "c", "representative": "C"}}],
              "meetings": [{{"date": "2026-11-18", "present": ["a", "b", "c"],
                            "motions": [{{"id": "2", "title": "Quota 2027", "votes": {votes}}}]}}]}}"#
        ))
        .unwrap()
    }

    const PASSES: &str = r#"{"a": "yes", "b": "yes", "c": "no"}"#;

    #[test]
    fn r_adopt_quotes_cite_the_deliberation() {
        let b = board("strategico", PASSES);
        let t = graduated().adopt(&b, &b.meetings[0], "2").unwrap();
        let q = t.quote(&comune(1_000, 100), 2027).unwrap();
        let citation = "Deliberazione del Tavolo Strategico del 18/11/2026, mozione 2: \
                        approvata a maggioranza dei presenti (favorevoli 2 su 3 presenti)";
        assert_eq!(q.adoption(), Some(citation));
        let v: Value = serde_json::from_str(&q.to_json()).unwrap();
        assert_eq!(v["adoption"], citation);
        assert_eq!(Quote::from_json(&q.to_json()).unwrap(), q);
        // The adoption travels with the tariff document, and is checked against the minutes.
        let again = Tariff::from_json(&t.to_json()).unwrap();
        assert_eq!(again, t);
        again.check_adoption(&b, &b.meetings[0]).unwrap();
        // A tariff that was never adopted says so, and its quotes cite nothing.
        assert_eq!(
            graduated()
                .check_adoption(&b, &b.meetings[0])
                .unwrap_err()
                .code(),
            "adoption_refused"
        );
        assert_eq!(
            graduated()
                .quote(&comune(1_000, 100), 2027)
                .unwrap()
                .adoption(),
            None
        );
    }

    #[test]
    fn r_adopt_refused_unless_strategic_board_and_motion_passed() {
        let technical = board("tecnico", PASSES);
        let err = graduated()
            .adopt(&technical, &technical.meetings[0], "2")
            .unwrap_err();
        assert_eq!(err.code(), "adoption_refused");
        let tie = board("strategico", r#"{"a": "yes", "b": "no", "c": "abstain"}"#);
        let err = graduated().adopt(&tie, &tie.meetings[0], "2").unwrap_err();
        assert_eq!(err.code(), "adoption_refused");
        assert!(err.to_string().contains("did not pass"), "{err}");
    }

    #[test]
    fn r_adopt_record_is_validated_with_the_tariff() {
        let b = board("strategico", PASSES);
        let t = graduated().adopt(&b, &b.meetings[0], "2").unwrap();
        let text = t.to_json().replace("\"motion\":\"2\"", "\"motion\":\" \"");
        assert_ne!(text, t.to_json());
        let err = Tariff::from_json(&text).unwrap_err();
        assert_eq!(err.path().as_deref(), Some("adoption.motion"));
    }
}
