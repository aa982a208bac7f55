//! The shared test vectors (`tests/vectors/*.json`, see its README): every case run through
//! the public API, the output JSON compared exactly with the expected one.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use cit_core::{Ente, Error, Tariff};
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

fn load(file: &str) -> Value {
    let path = dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn tariff(spec: &Value) -> Tariff {
    let text = match spec {
        Value::String(file) => std::fs::read_to_string(dir().join("tariffs").join(file)).unwrap(),
        inline => inline.to_string(),
    };
    Tariff::from_json(&text).unwrap_or_else(|e| panic!("vector tariff does not load: {e}"))
}

/// The error as the vectors write it: `{"code": …, "path": …}`.
fn error_json(e: &Error) -> Value {
    serde_json::json!({"code": e.code(), "path": e.path()})
}

#[test]
fn quota_vectors_give_the_expected_json() {
    let doc = load("quota.json");
    assert_eq!(doc["family"], "quota");
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 250, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let t = tariff(&case["tariff"]);
        let ente = Ente::from_json(&case["ente"].to_string()).unwrap();
        let year = i32::try_from(case["year"].as_i64().unwrap()).unwrap();
        let result = match case.get("start").and_then(Value::as_str) {
            Some(start) => t.quote_from(&ente, year, start.parse::<NaiveDate>().unwrap()),
            None => t.quote(&ente, year),
        };
        let got = match &result {
            Ok(q) => {
                serde_json::json!({"expected": serde_json::from_str::<Value>(&q.to_json()).unwrap()})
            }
            Err(e) => serde_json::json!({"expected_error": error_json(e)}),
        };
        let want = match (case.get("expected"), case.get("expected_error")) {
            (Some(q), None) => serde_json::json!({"expected": q}),
            (None, Some(e)) => serde_json::json!({"expected_error": e}),
            _ => panic!("case {name:?}: exactly one of expected and expected_error"),
        };
        if got != want {
            failures.push(format!("{name}:\n  want {want}\n  got  {got}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
