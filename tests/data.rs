//! The data shipped in `examples/data` is what its README says it is.

use std::collections::BTreeMap;

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
