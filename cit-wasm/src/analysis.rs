//! Analysis: the break-even fee of a service (R-COST) and the adhesion simulation (R-SIM).

use cit_core::Ente;
use cit_core::analysis::{self, Adherents, Candidate, Probability, ServiceCost, SimConfig};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::Tariff;
use crate::interop::{
    JsResult, OrThrow, array_in, count_in, describe, document_in, error_at, error_out, field,
    invalid, json_out, money_in, u64_in, year_in,
};

/// A probability from its decimal text, refused at `path`.
fn probability_in(text: &str, path: &str) -> JsResult<Probability> {
    text.parse::<Probability>()
        .map_err(|e| error_out(&e.at(path)))
}

/// The candidates of a simulation, field by field as `cit.simulate` reads them in Python:
/// an out-of-range value is an `invalid_value` at `candidates[i].<field>`.
fn candidates_in(value: &JsValue) -> JsResult<Vec<Candidate>> {
    let list = array_in(value, "candidates")?;
    let mut out = Vec::with_capacity(list.length() as usize);
    for (i, c) in list.iter().enumerate() {
        let at = |key: &str| format!("candidates[{i}].{key}");
        let id = field(&c, "id").as_string().ok_or_else(|| {
            invalid(
                &at("id"),
                "the ente's id, a string",
                describe(&field(&c, "id")),
            )
        })?;
        let abitanti = count_in(&field(&c, "abitanti"), &at("abitanti"))?;
        let quota = money_in(&field(&c, "quota"), &at("quota"))?;
        let p = field(&c, "probability");
        let text = p.as_string().ok_or_else(|| {
            invalid(
                &at("probability"),
                "a probability as a decimal string",
                describe(&p),
            )
        })?;
        out.push(Candidate::new(
            id,
            abitanti,
            quota,
            probability_in(&text, &at("probability"))?,
        ));
    }
    Ok(out)
}

/// R-COST: the break-even yearly fee of a service, flat per ente and/or per abitante,
/// with its arithmetic as lines. `cost` is `{setup, amortisation_years, running}` (money
/// as strings), `adherents` is `{enti?, abitanti?}`.
#[wasm_bindgen(js_name = breakEven, unchecked_return_type = "BreakEven")]
pub fn break_even(
    #[wasm_bindgen(unchecked_param_type = "ServiceCost")] cost: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Adherents")] adherents: JsValue,
) -> JsResult<JsValue> {
    let cost: ServiceCost = document_in("cost", &cost)?;
    let adherents: Adherents = document_in("adherents", &adherents)?;
    json_out(&cost.break_even(adherents).or_throw()?)
}

/// R-SIM: candidates priced once under `tariff` for `year`: `enti[i]` joins with
/// `probabilities[i]` (decimal strings such as `"0.35"`).
#[wasm_bindgen(unchecked_return_type = "Candidate[]")]
pub fn candidates(
    tariff: &Tariff,
    #[wasm_bindgen(unchecked_param_type = "Ente[]")] enti: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string[]")] probabilities: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] year: JsValue,
) -> JsResult<JsValue> {
    let enti: Vec<Ente> = document_in("ente", &enti)?;
    for (i, e) in enti.iter().enumerate() {
        e.validate()
            .map_err(|err| error_at(&err, Some(&format!("enti[{i}]"))))?;
    }
    let probs = array_in(&probabilities, "probabilities")?;
    let mut ps = Vec::with_capacity(probs.length() as usize);
    for (i, p) in probs.iter().enumerate() {
        let path = format!("probabilities[{i}]");
        let text = p
            .as_string()
            .ok_or_else(|| invalid(&path, "a probability as a decimal string", format!("{p:?}")))?;
        ps.push(probability_in(&text, &path)?);
    }
    let year = year_in(&year, "year")?;
    json_out(&Candidate::from_tariff(tariff.core(), &enti, &ps, year).or_throw()?)
}

/// R-SIM: seeded Monte Carlo over `candidates` (as `candidates()` makes them). `config` is
/// `{runs, seed, cost?}`; the seed is a safe integer, a `BigInt` or a string of digits (the
/// same seed gives the same result as in Rust and Python). Returns the summary: expected
/// values, members, residents and revenue (mean, min, 5/50/95 percentiles, max) and the
/// chance of covering `cost`; the runs themselves stay inside. The seed comes back as a
/// string.
#[wasm_bindgen(unchecked_return_type = "SimulationSummary")]
pub fn simulate(
    #[wasm_bindgen(unchecked_param_type = "Candidate[]")] candidates: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SimulationConfig")] config: JsValue,
) -> JsResult<JsValue> {
    let cands = candidates_in(&candidates)?;
    let runs = u64_in(&field(&config, "runs"), "config.runs")?;
    let runs = u32::try_from(runs)
        .map_err(|_| invalid("config.runs", "a number of runs", runs.to_string()))?;
    let seed = u64_in(&field(&config, "seed"), "config.seed")?;
    let cost = field(&config, "cost");
    let cost = if cost.is_undefined() || cost.is_null() {
        None
    } else {
        Some(money_in(&cost, "config.cost")?)
    };
    let sim = analysis::simulate(&cands, &SimConfig { runs, seed, cost }).or_throw()?;
    let mut v = serde_json::to_value(&sim).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        map.remove("per_run");
        map.insert("seed".to_owned(), Value::String(sim.seed.to_string()));
    }
    json_out(&v)
}
