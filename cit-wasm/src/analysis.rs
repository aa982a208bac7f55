//! Analysis: the break-even fee of a service and a proposed price against it (R-COST),
//! savings (R-SAVING), the adhesion simulation (R-SIM) and the small-comune flag (R-SMALL).

use cit_core::Ente;
use cit_core::analysis::{
    self, Adherents, Benchmark, Candidate, Probability, Proposal, SavingCase, ServiceCost,
    SimConfig,
};
use wasm_bindgen::prelude::*;

use crate::Tariff;
use crate::interop::{
    JsResult, OrThrow, array_in, count_in, document_in, error_at, error_out, invalid, json_out,
    year_in,
};

/// R-COST: the break-even yearly fee of a service, flat per ente and/or per abitante,
/// with its arithmetic as lines. `cost` is `{setup, amortisation_years, running}` (money
/// as strings), `adherents` is `{enti?, abitanti?}`.
#[wasm_bindgen(js_name = breakEven, unchecked_return_type = "BreakEven")]
pub fn break_even(
    #[wasm_bindgen(unchecked_param_type = "ServiceCost | string")] cost: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Adherents | string")] adherents: JsValue,
) -> JsResult<JsValue> {
    let cost: ServiceCost = document_in("cost", &cost)?;
    let adherents: Adherents = document_in("adherents", &adherents)?;
    json_out(&cost.break_even(adherents).or_throw()?)
}

/// R-COST: a proposed price (`{per_ente: amount}` or `{per_abitante: rate}`) against the
/// yearly cost of `cost` for `adherents`: revenue, margin, and `below_cost`.
#[wasm_bindgen(js_name = checkPrice, unchecked_return_type = "PriceCheck")]
pub fn check_price(
    #[wasm_bindgen(unchecked_param_type = "ServiceCost | string")] cost: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Adherents | string")] adherents: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Proposal | string")] price: JsValue,
) -> JsResult<JsValue> {
    let cost: ServiceCost = document_in("cost", &cost)?;
    let adherents: Adherents = document_in("adherents", &adherents)?;
    let price: Proposal = document_in("price", &price)?;
    json_out(
        &cost
            .break_even(adherents)
            .or_throw()?
            .check(&price)
            .or_throw()?,
    )
}

/// R-SAVING: per ente, the cost through the CIT against buying alone (`market` and/or
/// `list` price), and the plain, population-weighted and overall average reduction against
/// `target` (a decimal string, `"0.15"` when left out). `benchmark` is `"market"` (when
/// left out) or `"list"`.
#[wasm_bindgen(unchecked_return_type = "SavingSummary")]
pub fn saving(
    #[wasm_bindgen(unchecked_param_type = "SavingCase[]")] cases: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Benchmark")] benchmark: Option<String>,
    #[wasm_bindgen(unchecked_optional_param_type = "string")] target: Option<String>,
) -> JsResult<JsValue> {
    let benchmark = Benchmark::named(benchmark.as_deref().unwrap_or("market")).or_throw()?;
    let cases: Vec<SavingCase> = document_in("cases", &cases)?;
    let target = match target {
        Some(t) => cit_core::decimal::parse(&t)
            .ok_or_else(|| invalid("target", "a plain decimal number", format!("{t:?}")))?,
        None => analysis::SAVING_TARGET,
    };
    json_out(&analysis::average_saving(&cases, benchmark, target).or_throw()?)
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
        ps.push(
            text.parse::<Probability>()
                .map_err(|e| error_out(&e.at(&path)))?,
        );
    }
    let year = year_in(&year, "year")?;
    json_out(&Candidate::from_tariff(tariff.core(), &enti, &ps, year).or_throw()?)
}

/// R-SIM: seeded Monte Carlo over `candidates` (as `candidates()` makes them). `config` is
/// `{runs, seed, cost?}`; the seed is a whole number or a string of digits (the same seed
/// gives the same result as in Rust and Python). Returns the core's `Simulation`: expected
/// values, members, residents and revenue (mean, min, 5/50/95 percentiles, max), the chance
/// of covering `cost` and every run as columns; the seed comes back as a string.
#[wasm_bindgen(unchecked_return_type = "Simulation")]
pub fn simulate(
    #[wasm_bindgen(unchecked_param_type = "Candidate[]")] candidates: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SimConfig")] config: JsValue,
) -> JsResult<JsValue> {
    let cands: Vec<Candidate> = document_in("candidates", &candidates)?;
    let config: SimConfig = document_in("config", &config)?;
    json_out(&analysis::simulate(&cands, &config).or_throw()?)
}

/// R-SMALL: true for a comune of fewer than 5.000 abitanti (D.L. 78/2010).
#[wasm_bindgen(js_name = isSmall)]
pub fn is_small(
    #[wasm_bindgen(unchecked_param_type = "number")] abitanti: JsValue,
) -> JsResult<bool> {
    Ok(analysis::is_small(count_in(&abitanti, "abitanti")?))
}
