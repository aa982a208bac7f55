//! Analysis (R-COST, R-SAVING, R-SIM, R-SMALL): functions taking documents (dicts, lists)
//! and returning the core's outputs as plain Python values (dicts, lists, `Decimal`), which
//! pickle and go straight into a DataFrame.

use cit_core::analysis::{
    self, Adherents, Benchmark, Candidate, Probability, Proposal, SavingCase, ServiceCost,
    SimConfig,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::columns::int64_array;
use crate::convert::{count_in, decimal_in, ente_in};
use crate::errors::{IntoPy, to_py};
use crate::pyde::from_py as document_in;
use crate::pyser;
use crate::table::PyRunTable;
use crate::tariff::PyTariff;

/// R-COST: the break-even yearly fee of a service — `cost` `{"setup", "amortisation_years",
/// "running"}`, `adherents` `{"enti"?, "abitanti"?}` — flat per ente and/or per abitante,
/// rounded up so that it never falls short; with its arithmetic as lines.
#[pyfunction]
pub(crate) fn break_even<'py>(
    py: Python<'py>,
    cost: &Bound<'py, PyAny>,
    adherents: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let cost: ServiceCost = document_in("cost", cost)?;
    let adherents: Adherents = document_in("adherents", adherents)?;
    pyser::to_py(py, &cost.break_even(adherents).py_err(py)?)
}

/// R-COST: a proposed price (`{"per_ente": amount}` or `{"per_abitante": rate}`) against the
/// yearly cost of `cost` for `adherents`: revenue, margin, and `below_cost`.
#[pyfunction]
pub(crate) fn check_price<'py>(
    py: Python<'py>,
    cost: &Bound<'py, PyAny>,
    adherents: &Bound<'py, PyAny>,
    price: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let cost: ServiceCost = document_in("cost", cost)?;
    let adherents: Adherents = document_in("adherents", adherents)?;
    let price: Proposal = document_in("price", price)?;
    let b = cost.break_even(adherents).py_err(py)?;
    pyser::to_py(py, &b.check(&price).py_err(py)?)
}

/// R-SAVING: per ente, the cost through the CIT against buying alone (`market` and/or
/// `list` price), and the plain, population-weighted and overall average reduction
/// against `target` (15 % by default). `cases` are dicts `{"ente", "abitanti",
/// "through_cit", "market"?, "list"?}`; `benchmark` is `"market"` or `"list"`.
#[pyfunction]
#[pyo3(signature = (cases, benchmark = "market", target = None))]
pub(crate) fn saving<'py>(
    py: Python<'py>,
    cases: &Bound<'py, PyAny>,
    benchmark: &str,
    target: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let benchmark = Benchmark::named(benchmark).py_err(py)?;
    let cases: Vec<SavingCase> = document_in("cases", cases)?;
    let target = match target {
        Some(t) => decimal_in(t, "target")?,
        None => analysis::SAVING_TARGET,
    };
    pyser::to_py(
        py,
        &analysis::average_saving(&cases, benchmark, target).py_err(py)?,
    )
}

fn probability_in(obj: &Bound<'_, PyAny>, path: &str) -> PyResult<Probability> {
    let d = decimal_in(obj, path)?;
    Probability::new(d).map_err(|e| to_py(obj.py(), &e.at(path), None))
}

/// R-SIM: candidates priced once under `tariff` for `year` — dicts `{"id", "abitanti",
/// "quota", "probability"}` ready for `simulate`. `probabilities` are `Decimal`s or
/// strings, one per ente (floats are refused: they would make the sequence differ between
/// languages).
#[pyfunction]
pub(crate) fn candidates<'py>(
    py: Python<'py>,
    tariff: &PyTariff,
    enti: Vec<Bound<'py, PyAny>>,
    probabilities: Vec<Bound<'py, PyAny>>,
    year: i32,
) -> PyResult<Bound<'py, PyList>> {
    let enti: Vec<_> = enti.iter().map(ente_in).collect::<PyResult<_>>()?;
    let probs: Vec<Probability> = probabilities
        .iter()
        .enumerate()
        .map(|(i, p)| probability_in(p, &format!("probabilities[{i}]")))
        .collect::<PyResult<_>>()?;
    let inner = &tariff.inner;
    let cands = py
        .detach(|| Candidate::from_tariff(inner, &enti, &probs, year))
        .py_err(py)?;
    Ok(pyser::to_py(py, &cands)?.cast_into::<PyList>()?)
}

/// How `simulate` returns every run.
#[derive(Clone, Copy)]
enum PerRun {
    /// Lists: ints, and a `Decimal` revenue per run.
    Lists,
    /// numpy int64 arrays: members, residents, revenue in cents.
    Arrays,
    /// A `cit.RunTable` (Arrow columns).
    Table,
}

fn per_run_in(py: Python<'_>, value: &str) -> PyResult<PerRun> {
    match value {
        "lists" => Ok(PerRun::Lists),
        "arrays" => Ok(PerRun::Arrays),
        "table" => Ok(PerRun::Table),
        other => Err(to_py(
            py,
            &cit_core::Error::InvalidValue {
                path: "per_run".to_owned(),
                expected: "\"lists\", \"arrays\" or \"table\"".to_owned(),
                found: format!("{other:?}"),
            },
            None,
        )),
    }
}

/// The runs as three columns of `i64`: members, residents, revenue in cents.
fn run_columns(py: Python<'_>, runs: &[analysis::Run]) -> PyResult<[Vec<i64>; 3]> {
    let overflow = |i: usize, what: &str| {
        to_py(
            py,
            &cit_core::Error::Overflow {
                path: format!("per_run[{i}].{what}"),
                operation: "does not fit an int64".to_owned(),
            },
            None,
        )
    };
    let (mut members, mut residents, mut revenue) = (
        Vec::with_capacity(runs.len()),
        Vec::with_capacity(runs.len()),
        Vec::with_capacity(runs.len()),
    );
    for (i, r) in runs.iter().enumerate() {
        members.push(i64::try_from(r.members).map_err(|_| overflow(i, "members"))?);
        residents.push(i64::try_from(r.residents).map_err(|_| overflow(i, "residents"))?);
        revenue.push(r.revenue.cents().ok_or_else(|| overflow(i, "revenue"))?);
    }
    Ok([members, residents, revenue])
}

/// R-SIM: Monte Carlo over `candidates` (dicts as `candidates()` makes them) with `config`
/// `{"runs", "seed", "cost"?}` (the same seed gives the same result in every language),
/// computed without holding the GIL: the core's `Simulation` — the expected values, the
/// summaries (mean and 5/50/95 percentiles) of members, residents and revenue, the chance
/// of covering `cost`, and every run as columns (`per_run`: lists of ints and of `Decimal`
/// revenues). Python's own choices for the runs: `per_run="arrays"` gives numpy int64
/// arrays `members`, `residents` and `revenue_cents` (no Python object per run);
/// `per_run="table"` a `cit.RunTable` of Arrow columns (`revenue` as `decimal128(19, 2)`).
#[pyfunction]
#[pyo3(signature = (candidates, config, *, per_run = "lists"))]
pub(crate) fn simulate<'py>(
    py: Python<'py>,
    candidates: &Bound<'py, PyAny>,
    config: &Bound<'py, PyAny>,
    per_run: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let per_run_as = per_run_in(py, per_run)?;
    let cands: Vec<Candidate> = document_in("candidates", candidates)?;
    let config: SimConfig = document_in("config", config)?;
    let sim = py
        .detach(|| analysis::simulate(&cands, &config))
        .py_err(py)?;
    let out = pyser::to_py(py, &sim)?;
    let columns = match per_run_as {
        PerRun::Lists => return Ok(out),
        PerRun::Arrays => {
            let [members, residents, revenue] = run_columns(py, &sim.per_run)?;
            let per_run = PyDict::new(py);
            per_run.set_item("members", int64_array(py, members))?;
            per_run.set_item("residents", int64_array(py, residents))?;
            per_run.set_item("revenue_cents", int64_array(py, revenue))?;
            per_run.into_any()
        }
        PerRun::Table => {
            let [members, residents, revenue] = run_columns(py, &sim.per_run)?;
            Bound::new(py, PyRunTable::new(members, residents, revenue)?)?.into_any()
        }
    };
    out.cast::<PyDict>()?.set_item("per_run", columns)?;
    Ok(out)
}

/// An amount (a `Decimal`, an `int` or a `str`, whole cents) in the Italian display form
/// the core prints: `"€ 1.234,56"`, `"-€ 0,50"`.
#[pyfunction]
pub(crate) fn format_euro(amount: &Bound<'_, PyAny>) -> PyResult<String> {
    let d = decimal_in(amount, "amount")?;
    cit_core::Money::from_decimal_exact(d)
        .map(|m| m.to_string())
        .ok_or_else(|| {
            to_py(
                amount.py(),
                &cit_core::Error::InvalidValue {
                    path: "amount".to_owned(),
                    expected: "an amount in euro, at most to the cent".to_owned(),
                    found: d.to_string(),
                },
                None,
            )
        })
}

/// R-SMALL: true for a comune of fewer than 5.000 abitanti (D.L. 78/2010).
#[pyfunction]
pub(crate) fn is_small(abitanti: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(analysis::is_small(count_in(abitanti, "abitanti")?))
}
