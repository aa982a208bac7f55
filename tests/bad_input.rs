//! The bad-input suite (`tests/bad-input/cases.json`, see generate.py): every malformed
//! document is refused with its documented code and path, without a panic. (A `cost`
//! case's `argument_code` is for the bindings that take the costs as arguments: Python.)

use std::path::Path;

use cit_core::analysis::{Adherents, ServiceCost};
use cit_core::governance::Board;
use cit_core::pagopa::Flow;
use cit_core::registry::Registry;
use cit_core::{Error, Tariff};
use serde_json::Value;

/// The text of a case: `text`, or `prefix` + `fill` × `times` + `suffix`.
pub fn case_text(case: &Value) -> String {
    if let Some(t) = case["text"].as_str() {
        return t.to_owned();
    }
    let times = usize::try_from(case["times"].as_u64().unwrap()).unwrap();
    let mut s = case["prefix"].as_str().unwrap().to_owned();
    s.push_str(&case["fill"].as_str().unwrap().repeat(times));
    s.push_str(case["suffix"].as_str().unwrap());
    s
}

fn refusal(document: &str, text: &str) -> Option<Error> {
    match document {
        "tariff" => Tariff::from_json(text).err(),
        "registry" => Registry::from_json(text).err(),
        "board" => Board::from_json(text).err(),
        "flow" => Flow::from_xml(text).err(),
        "cost" => cit_core::json::parse::<ServiceCost>("cost", text)
            .and_then(|cost| {
                let sixty: Adherents = serde_json::from_str(r#"{"enti": 60}"#).unwrap();
                cost.break_even(sixty)
            })
            .err(),
        other => panic!("unknown document kind {other:?}"),
    }
}

#[test]
fn bad_input_is_refused_with_its_code_and_path() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/bad-input/cases.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 50, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let document = case["document"].as_str().unwrap();
        match refusal(document, &case_text(case)) {
            None => failures.push(format!("{document} / {name}: accepted")),
            Some(e) => {
                let code_ok = e.code() == case["code"].as_str().unwrap();
                let path_ok = case
                    .get("path")
                    .is_none_or(|p| e.path().as_deref() == p.as_str());
                if !(code_ok && path_ok) {
                    failures.push(format!(
                        "{document} / {name}: want {} at {}, got {} at {:?} ({e})",
                        case["code"],
                        case.get("path").unwrap_or(&Value::Null),
                        e.code(),
                        e.path()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
