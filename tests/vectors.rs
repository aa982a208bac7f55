//! The shared test vectors (`tests/vectors/*.json`, see its README): every case run through
//! the public API, the output JSON compared with the expected one — exactly for quotes, and
//! field by field for the other families (every field the vector lists, with its exact
//! value; a binding may give more).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use cit_core::analysis::{self, Candidate, SimConfig};
use cit_core::registry::Event;
use cit_core::{Board, Ente, Error, Registry, Standing, Tariff};
use serde::Serialize;
use serde_json::{Value, json};

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

fn date(v: &Value) -> NaiveDate {
    v.as_str().unwrap().parse().unwrap()
}

fn to_value(v: &impl Serialize) -> Value {
    serde_json::to_value(v).unwrap()
}

/// The error as the vectors write it: `{"code": …, "path": …}`.
fn error_json(e: &Error) -> Value {
    json!({"code": e.code(), "path": e.path()})
}

/// `got` restricted to the fields `want` lists, recursively (arrays element by element);
/// a field `want` lists and `got` lacks stays missing, so the comparison fails.
fn project(got: &Value, want: &Value) -> Value {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => Value::Object(
            w.keys()
                .filter_map(|k| g.get(k).map(|v| (k.clone(), project(v, &w[k]))))
                .collect(),
        ),
        (Value::Array(g), Value::Array(w)) if g.len() == w.len() => {
            Value::Array(g.iter().zip(w).map(|(g, w)| project(g, w)).collect())
        }
        _ => got.clone(),
    }
}

/// Runs every case of `file` (family `family`) through `run`, which gives the output JSON
/// or the error, and compares it with the case's `expected` (projected: see [`project`];
/// exactly when `exact`) or `expected_error`. At least `min` cases.
fn run_family(
    file: &str,
    family: &str,
    min: usize,
    exact: bool,
    run: impl Fn(&Value) -> Result<Value, Value>,
) {
    let doc = load(file);
    assert_eq!(doc["family"], family);
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= min, "{file}: {} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let want = match (case.get("expected"), case.get("expected_error")) {
            (Some(q), None) => json!({"expected": q}),
            (None, Some(e)) => json!({"expected_error": e}),
            _ => panic!("{file}: case {name:?}: exactly one of expected and expected_error"),
        };
        let got = match run(case) {
            Ok(v) if exact => json!({"expected": v}),
            Ok(v) => json!({"expected": project(&v, &case["expected"])}),
            Err(e) => json!({"expected_error": e}),
        };
        if got != want {
            failures.push(format!("{name}:\n  want {want}\n  got  {got}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{file}: {} of {} vectors differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn quota_vectors_give_the_expected_json() {
    run_family("quota.json", "quota", 250, true, |case| {
        let t = tariff(&case["tariff"]);
        let ente = Ente::from_json(&case["ente"].to_string()).unwrap();
        let year = i32::try_from(case["year"].as_i64().unwrap()).unwrap();
        let result = match case.get("start").filter(|s| !s.is_null()) {
            Some(start) => t.quote_from(&ente, year, date(start)),
            None => t.quote(&ente, year),
        };
        result
            .map(|q| serde_json::from_str(&q.to_json()).unwrap())
            .map_err(|e| error_json(&e))
    });
}

#[test]
fn service_price_vectors_give_the_expected_json() {
    run_family("service_price.json", "service_price", 30, false, |case| {
        let t = tariff(&case["tariff"]);
        let ente = Ente::from_json(&case["ente"].to_string()).unwrap();
        let standing: Standing = serde_json::from_value(case["standing"].clone()).unwrap();
        t.price_service(
            &ente,
            case["service"].as_str().unwrap(),
            case["quantity"].as_u64().unwrap(),
            &standing,
            date(&case["date"]),
        )
        .map(|q| to_value(&q))
        .map_err(|e| error_json(&e))
    });
}

/// The registry of a case's `events`, applied in order; the first refused one as its error
/// JSON with its index (`event`).
fn journal(case: &Value) -> Result<Registry, Value> {
    let mut registry = Registry::new();
    for (i, event) in case["events"].as_array().unwrap().iter().enumerate() {
        Event::from_json(&event.to_string())
            .and_then(|e| registry.apply(e))
            .map_err(|e| {
                let mut v = error_json(&e);
                v["event"] = json!(i);
                v
            })?;
    }
    Ok(registry)
}

#[test]
fn ledger_vectors_give_the_expected_json() {
    run_family("ledger.json", "ledger", 20, false, |case| {
        let registry = journal(case)?;
        let balances = registry
            .balances(date(&case["at"]))
            .map_err(|e| error_json(&e))?;
        Ok(json!({"charges": to_value(&registry.charges()), "balances": to_value(&balances)}))
    });
}

#[test]
fn governance_vectors_give_the_expected_json() {
    run_family("governance.json", "governance", 40, false, |case| {
        let board = Board::from_json(&case["board"].to_string()).map_err(|e| error_json(&e))?;
        let day = date(&case["meeting"]);
        let sitting = board
            .meeting(day)
            .unwrap_or_else(|| panic!("no sitting on {day}"));
        match case["motion"].as_str() {
            None => board.roll_call(sitting).map(|check| to_value(&check)),
            Some(motion) => board.decide(sitting, motion).map(|d| to_value(&d)),
        }
        .map_err(|e| error_json(&e))
    });
}

#[test]
fn simulation_vectors_give_the_expected_json() {
    run_family("simulation.json", "simulation", 10, false, |case| {
        // A document, as every binding reads it: a value out of range is malformed at its
        // path in the candidates (`[0].probability`).
        let candidates: Vec<Candidate> =
            cit_core::json::parse("candidates", &case["candidates"].to_string())
                .map_err(|e| error_json(&e))?;
        let config = SimConfig {
            runs: u32::try_from(case["runs"].as_u64().unwrap()).unwrap(),
            seed: case["seed"].as_str().unwrap().parse().unwrap(),
            cost: case["cost"].as_str().map(|c| c.parse().unwrap()),
        };
        analysis::simulate(&candidates, &config)
            .map(|s| to_value(&s))
            .map_err(|e| error_json(&e))
    });
}

#[test]
fn pagopa_vectors_give_the_expected_json() {
    run_family("pagopa.json", "pagopa", 30, false, |case| {
        let mut registry = journal(case)?;
        let mut reports = Vec::new();
        for (k, xml) in case["flows"].as_array().unwrap().iter().enumerate() {
            let at_flow = |e: Error| {
                let mut v = error_json(&e);
                v["flow"] = json!(k);
                v
            };
            let report = registry
                .reconcile_flow(xml.as_str().unwrap())
                .map_err(at_flow)?;
            for event in &report.events {
                registry.apply(event.clone()).map_err(at_flow)?;
            }
            reports.push(to_value(&report));
        }
        let year = i32::try_from(case["year"].as_i64().unwrap()).unwrap();
        let balances = registry
            .balances(date(&case["at"]))
            .map_err(|e| error_json(&e))?;
        Ok(json!({
            "notices": to_value(&registry.notices(year)),
            "reports": reports,
            "balances": to_value(&balances),
        }))
    });
}
