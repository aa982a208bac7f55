//! The JSON Schema of the contract (`cit_core::schema`): `schema/cit.schema.json` is the one
//! the core generates, and every shared vector's output validates against it in the
//! bindings' tests (cit-py/tests/test_contract.py, cit-wasm/test/contract.test.mjs).

/// `make schema` writes the file; this fails when the committed one is stale.
#[test]
fn the_committed_schema_is_the_one_the_core_generates() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema/cit.schema.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == cit_core::schema::text(),
        "schema/cit.schema.json is stale: run `make schema` and commit it"
    );
}

/// One `$defs` entry per type, named as the core's type, each entry type there.
#[test]
fn every_entry_type_has_its_definition_named_as_the_core_type() {
    let schema = cit_core::schema::document();
    let defs = schema["$defs"].as_object().unwrap();
    for name in schema["entry_types"].as_array().unwrap() {
        assert!(defs.contains_key(name.as_str().unwrap()), "{name}");
    }
    for name in [
        "Tariff",
        "Ente",
        "Quote",
        "Event",
        "Balance",
        "BreakEven",
        "Decision",
        "Flow",
        "Reconciliation",
        "DebtPosition",
    ] {
        assert!(defs.contains_key(name), "{name}");
    }
    // No type named twice (schemars numbers a second one: `Outcome2`).
    assert!(
        defs.keys()
            .all(|k| !k.ends_with(|c: char| c.is_ascii_digit()))
    );
}
