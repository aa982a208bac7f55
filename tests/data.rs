//! The data shipped in `examples/data` is what its README says it is.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use cit_core::{Ente, Error, Tariff};
use rust_decimal::Decimal;

#[path = "../examples/common/mod.rs"]
mod common;

#[test]
fn census_csv_has_every_comune_with_the_documented_totals() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/data/comuni-italia-2011.csv"
    );
    let mut reader = csv::Reader::from_path(path).unwrap();
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["istat", "nome", "sigla", "provincia", "regione", "abitanti"]
    );
    let mut by_province: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut comuni = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let abitanti: u64 = record[5].parse().unwrap();
        let entry = by_province.entry(record[2].to_owned()).or_default();
        entry.0 += 1;
        entry.1 += abitanti;
        comuni += 1;
    }
    assert_eq!(comuni, 7_904);
    for (sigla, expected) in [
        ("BS", (205, 1_238_044)),
        ("LE", (96, 802_018)),
        ("GE", (67, 855_834)),
        ("AV", (118, 429_157)),
        ("PZ", (100, 377_935)),
    ] {
        assert_eq!(by_province[sigla], expected, "province {sigla}");
    }
}

fn data_file(name: &str) -> csv::Reader<std::fs::File> {
    let path = format!("{}/../examples/data/{name}", env!("CARGO_MANIFEST_DIR"));
    csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn anpr_csv_is_the_published_file_with_the_documented_totals() {
    let mut reader = data_file("anpr-popolazione-residente.csv");
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "DATA ELABORAZIONE",
            "REGIONE",
            "PROVINCIA",
            "COD_ISTAT_COMUNE",
            "COMUNE",
            "RESIDENTI"
        ]
    );
    let mut provinces = std::collections::BTreeSet::new();
    let (mut comuni, mut residents) = (0u64, 0u64);
    for record in reader.records() {
        let record = record.unwrap();
        assert_eq!(&record[0], "10-01-2024");
        assert_eq!(record[3].len(), 6, "{:?}", &record[3]);
        provinces.insert(record[2].to_owned());
        residents += record[5].parse::<u64>().unwrap();
        comuni += 1;
    }
    assert_eq!(
        (comuni, provinces.len(), residents),
        (7_900, 107, 59_644_520)
    );
}

/// `comuni-anpr-2024.csv` (written by `examples/data/generate_anpr.py`) is the ANPR file
/// joined to the 2011 one: the same codes and residents, the 2011 sigla of every code of
/// 2011, the README's provinces for the five new codes, and the documented totals.
#[test]
fn anpr_comuni_csv_is_the_join_with_the_documented_totals() {
    let mut anpr = BTreeMap::new();
    for record in data_file("anpr-popolazione-residente.csv").records() {
        let record = record.unwrap();
        anpr.insert(
            record[3].to_owned(),
            (record[4].to_owned(), record[5].parse::<u64>().unwrap()),
        );
    }
    let mut census = BTreeMap::new();
    for record in data_file("comuni-italia-2011.csv").records() {
        let record = record.unwrap();
        census.insert(record[0].to_owned(), record[2].to_owned());
    }

    let mut reader = data_file("comuni-anpr-2024.csv");
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "istat",
            "nome",
            "sigla",
            "provincia",
            "regione",
            "abitanti",
            "counts_as_of"
        ]
    );
    let mut by_province: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let (mut comuni, mut residents, mut in_both) = (0u64, 0u64, 0u64);
    let mut new = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        let (istat, nome, sigla) = (&record[0], &record[1], &record[2]);
        let abitanti: u64 = record[5].parse().unwrap();
        assert_eq!(&record[6], "2024-01-10", "{istat}");
        let (published, residenti) = &anpr[istat];
        assert_eq!(abitanti, *residenti, "{istat}");
        let capitals: String = nome
            .to_uppercase()
            .chars()
            .map(|c| if "ŠŽČ".contains(c) { '¿' } else { c })
            .collect();
        assert_eq!(&capitals, published, "{istat}: the name is ANPR's");
        match census.get(istat) {
            Some(old) => {
                assert_eq!(sigla, old, "{istat}: the 2011 sigla");
                in_both += 1;
            }
            None => {
                new.insert(istat.to_owned(), (nome.to_owned(), sigla.to_owned()));
            }
        }
        let entry = by_province.entry(sigla.to_owned()).or_default();
        entry.0 += 1;
        entry.1 += abitanti;
        comuni += 1;
        residents += abitanti;
    }
    assert_eq!((comuni, residents, in_both), (7_900, 59_644_520, 7_895));
    let new: Vec<_> = new
        .iter()
        .map(|(k, (n, s))| (k.as_str(), n.as_str(), s.as_str()))
        .collect();
    assert_eq!(
        new,
        [
            ("005122", "Moransengo-Tonengo", "AT"),
            ("012144", "Bardello con Malgesso e Bregano", "VA"),
            ("081025", "Misiliscemi", "TP"),
            ("099030", "Montecopiolo", "RN"),
            ("099031", "Sassofeltrio", "RN"),
        ]
    );
    for (sigla, expected) in [
        ("BS", (205, 1_269_376)),
        ("LE", (96, 775_340)),
        ("GE", (67, 821_448)),
        ("AV", (118, 402_377)),
        ("PZ", (100, 346_580)),
    ] {
        assert_eq!(by_province[sigla], expected, "province {sigla}");
    }
    assert_eq!(by_province.len(), 107);
}

/// The examples read a data set as a document with its own date: every ente carries it, so
/// the core's R-CAP check compares it with the tariff's rather than being bypassed.
#[test]
fn enti_read_from_a_data_set_carry_its_date_and_the_core_checks_it() {
    let anpr = common::Data::Anpr.load(Decimal::new(10, 2)).unwrap();
    assert_eq!(anpr.len(), 7_900);
    let counted = NaiveDate::from_ymd_opt(2024, 1, 10);
    assert!(anpr.iter().all(|r| r.ente.counts_as_of == counted));
    let census = common::Data::Istat2011.load(Decimal::new(10, 2)).unwrap();
    assert_eq!(census.len(), 7_904);
    assert!(
        census
            .iter()
            .all(|r| r.ente.counts_as_of == NaiveDate::from_ymd_opt(2011, 10, 9))
    );

    let tariff = Tariff::from_json(include_str!("../examples/tariffs/bs-2015.json")).unwrap();
    // Misiliscemi (TP), split from Trapani in 2021: in ANPR, not in the 2011 file.
    let misiliscemi = anpr.iter().find(|r| r.ente.id == "081025").unwrap();
    assert_eq!(
        (misiliscemi.ente.name.as_str(), misiliscemi.sigla.as_str()),
        ("Misiliscemi", "TP")
    );
    assert!(census.iter().all(|r| r.ente.id != "081025"));
    match tariff.quote(&misiliscemi.ente, 2015) {
        Err(Error::CountsDateMismatch {
            expected, found, ..
        }) => {
            assert_eq!(
                (Some(expected), Some(found)),
                (NaiveDate::from_ymd_opt(2013, 12, 31), counted)
            );
        }
        other => panic!("expected counts_date_mismatch, got {other:?}"),
    }
    // Priced as an estimate, the counts vouched for: the same as a comune with no date.
    let vouched = Ente {
        counts_as_of: None,
        ..misiliscemi.ente.clone()
    };
    let undated = Ente::comune("081025", "Misiliscemi", 8_473, 847);
    assert_eq!(
        tariff.quote(&vouched, 2015).unwrap().total(),
        tariff.quote(&undated, 2015).unwrap().total()
    );
    // At the tariff's own date the counts are priced as they are.
    let on_time = Ente {
        counts_as_of: NaiveDate::from_ymd_opt(2013, 12, 31),
        ..misiliscemi.ente.clone()
    };
    assert!(tariff.quote(&on_time, 2015).is_ok());
}
