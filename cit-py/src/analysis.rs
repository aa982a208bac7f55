//! Analysis (R-COST, R-SAVING, R-SIM, R-SMALL): functions taking and returning plain
//! Python values (dicts, lists, `Decimal`), which pickle and go straight into a DataFrame.

use cit_core::analysis::{
    self, Adherents, Benchmark, BreakEven, Candidate, Comparison, CountSummary, Coverage,
    EnteSaving, Expected, FlatFee, MoneySummary, PriceCheck, Probability, RateFee, SavingCase,
    SavingSummary, ServiceCost, SimConfig, Simulation,
};
use cit_core::{Money, QuoteLine};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use crate::columns::int64_array;
use crate::convert::{count_in, decimal_in, ente_in, money_in, money_out};
use crate::errors::{self, IntoPy, to_py};
use crate::pyser;
use crate::table::PyRunTable;
use crate::tariff::PyTariff;

// The outputs are the core's values through `pyser::to_py` (the runs of `simulate` apart,
// built as columns); where Python's documented shape (`cit/types.py`) leaves out a key of
// the core's, a view borrowing the core's value serialises the keys Python gives, in the
// same order.

/// A decimal of a view, marked as the core marks its own (`cit_core::DECIMAL_NEWTYPE`):
/// a `decimal.Decimal` in Python.
fn marked<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_newtype_struct(cit_core::DECIMAL_NEWTYPE, &d.to_string())
}

/// `value` through `pyser::to_py`, as the dict it serialises to.
fn dict_out<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyDict>> {
    Ok(pyser::to_py(py, value)?.cast_into::<PyDict>()?)
}

/// [`BreakEven`] without its inputs (`cost`, `adherents`).
#[derive(Serialize)]
struct BreakEvenOut<'a> {
    yearly_amortisation: Money,
    yearly_cost: Money,
    lines: &'a [QuoteLine],
    per_ente: &'a Option<FlatFee>,
    per_abitante: &'a Option<RateFee>,
}

impl<'a> From<&'a BreakEven> for BreakEvenOut<'a> {
    fn from(b: &'a BreakEven) -> Self {
        BreakEvenOut {
            yearly_amortisation: b.yearly_amortisation,
            yearly_cost: b.yearly_cost,
            lines: &b.lines,
            per_ente: &b.per_ente,
            per_abitante: &b.per_abitante,
        }
    }
}

/// [`PriceCheck`] without its `basis`.
#[derive(Serialize)]
struct PriceCheckOut<'a> {
    #[serde(serialize_with = "marked")]
    price: Decimal,
    #[serde(serialize_with = "marked")]
    break_even: Decimal,
    revenue: Money,
    yearly_cost: Money,
    margin: Money,
    below_cost: bool,
    lines: &'a [QuoteLine],
}

impl<'a> From<&'a PriceCheck> for PriceCheckOut<'a> {
    fn from(c: &'a PriceCheck) -> Self {
        PriceCheckOut {
            price: c.price,
            break_even: c.break_even,
            revenue: c.revenue,
            yearly_cost: c.yearly_cost,
            margin: c.margin,
            below_cost: c.below_cost,
            lines: &c.lines,
        }
    }
}

/// [`Comparison`] without its `benchmark` (the key it sits under says it).
#[derive(Serialize)]
struct ComparisonOut<'a> {
    alone: Money,
    saving: Money,
    #[serde(serialize_with = "marked")]
    reduction: Decimal,
    label: &'a str,
}

impl<'a> From<&'a Comparison> for ComparisonOut<'a> {
    fn from(c: &'a Comparison) -> Self {
        ComparisonOut {
            alone: c.alone,
            saving: c.saving,
            reduction: c.reduction,
            label: &c.label,
        }
    }
}

/// [`EnteSaving`] with its comparisons as [`ComparisonOut`].
#[derive(Serialize)]
struct EnteSavingOut<'a> {
    ente: &'a str,
    abitanti: u64,
    through_cit: Money,
    market: Option<ComparisonOut<'a>>,
    list: Option<ComparisonOut<'a>>,
}

impl<'a> From<&'a EnteSaving> for EnteSavingOut<'a> {
    fn from(e: &'a EnteSaving) -> Self {
        EnteSavingOut {
            ente: &e.ente,
            abitanti: e.abitanti,
            through_cit: e.through_cit,
            market: e.market.as_ref().map(ComparisonOut::from),
            list: e.list.as_ref().map(ComparisonOut::from),
        }
    }
}

/// [`SavingSummary`] with its enti as [`EnteSavingOut`].
#[derive(Serialize)]
struct SavingSummaryOut<'a> {
    benchmark: Benchmark,
    enti: u64,
    abitanti: u64,
    through_cit: Money,
    alone: Money,
    saving: Money,
    #[serde(serialize_with = "marked")]
    mean_reduction: Decimal,
    weighted_reduction: Option<MarkedDecimal>,
    #[serde(serialize_with = "marked")]
    overall_reduction: Decimal,
    #[serde(serialize_with = "marked")]
    target: Decimal,
    meets_target: bool,
    meets_target_weighted: Option<bool>,
    enti_meeting_target: u64,
    per_ente: Vec<EnteSavingOut<'a>>,
}

/// A marked decimal inside an `Option`.
struct MarkedDecimal(Decimal);

impl Serialize for MarkedDecimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        marked(&self.0, s)
    }
}

impl<'a> From<&'a SavingSummary> for SavingSummaryOut<'a> {
    fn from(s: &'a SavingSummary) -> Self {
        SavingSummaryOut {
            benchmark: s.benchmark,
            enti: s.enti,
            abitanti: s.abitanti,
            through_cit: s.through_cit,
            alone: s.alone,
            saving: s.saving,
            mean_reduction: s.mean_reduction,
            weighted_reduction: s.weighted_reduction.map(MarkedDecimal),
            overall_reduction: s.overall_reduction,
            target: s.target,
            meets_target: s.meets_target,
            meets_target_weighted: s.meets_target_weighted,
            enti_meeting_target: s.enti_meeting_target,
            per_ente: s.per_ente.iter().map(EnteSavingOut::from).collect(),
        }
    }
}

/// [`Simulation`] without its runs (`per_run`, whose shape the caller chooses).
#[derive(Serialize)]
struct SimulationOut<'a> {
    seed: u64,
    runs: u64,
    candidates: u64,
    expected: &'a Expected,
    members: &'a CountSummary,
    residents: &'a CountSummary,
    revenue: &'a MoneySummary,
    coverage: &'a Option<Coverage>,
}

impl<'a> From<&'a Simulation> for SimulationOut<'a> {
    fn from(s: &'a Simulation) -> Self {
        SimulationOut {
            seed: s.seed,
            runs: s.runs,
            candidates: s.candidates,
            expected: &s.expected,
            members: &s.members,
            residents: &s.residents,
            revenue: &s.revenue,
            coverage: &s.coverage,
        }
    }
}

fn cost_in(
    setup: &Bound<'_, PyAny>,
    years: u32,
    running: &Bound<'_, PyAny>,
) -> PyResult<ServiceCost> {
    Ok(ServiceCost {
        setup: money_in(setup, "setup")?,
        amortisation_years: years,
        running: money_in(running, "running")?,
    })
}

fn adherents_in(
    enti: Option<&Bound<'_, PyAny>>,
    abitanti: Option<&Bound<'_, PyAny>>,
) -> PyResult<Adherents> {
    Ok(Adherents {
        enti: enti.map(|v| count_in(v, "enti")).transpose()?,
        abitanti: abitanti.map(|v| count_in(v, "abitanti")).transpose()?,
    })
}

/// R-COST: the break-even yearly fee of a service, flat per ente (`enti`) and/or per
/// abitante (`abitanti`), rounded up so that it never falls short; with its arithmetic as
/// lines.
#[pyfunction]
#[pyo3(signature = (setup, amortisation_years, running, *, enti = None, abitanti = None))]
pub(crate) fn break_even<'py>(
    py: Python<'py>,
    setup: &Bound<'py, PyAny>,
    amortisation_years: u32,
    running: &Bound<'py, PyAny>,
    enti: Option<&Bound<'py, PyAny>>,
    abitanti: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let cost = cost_in(setup, amortisation_years, running)?;
    let b = cost.break_even(adherents_in(enti, abitanti)?).py_err(py)?;
    dict_out(py, &BreakEvenOut::from(&b))
}

/// R-COST: a proposed price against the yearly cost — `per_ente` (flat, needs `enti`) or
/// `per_abitante` (a rate, needs `abitanti`): revenue, margin, and `below_cost`.
#[pyfunction]
#[pyo3(signature = (setup, amortisation_years, running, *, enti = None, abitanti = None, per_ente = None, per_abitante = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn check_price<'py>(
    py: Python<'py>,
    setup: &Bound<'py, PyAny>,
    amortisation_years: u32,
    running: &Bound<'py, PyAny>,
    enti: Option<&Bound<'py, PyAny>>,
    abitanti: Option<&Bound<'py, PyAny>>,
    per_ente: Option<&Bound<'py, PyAny>>,
    per_abitante: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let cost = cost_in(setup, amortisation_years, running)?;
    let b = cost.break_even(adherents_in(enti, abitanti)?).py_err(py)?;
    let check = match (per_ente, per_abitante) {
        (Some(p), None) => b.check_flat(money_in(p, "per_ente")?),
        (None, Some(r)) => b.check_per_abitante(decimal_in(r, "per_abitante")?),
        _ => {
            return Err(errors::invalid_value(
                py,
                "give exactly one of per_ente and per_abitante".to_owned(),
                "per_ente".to_owned(),
            ));
        }
    };
    dict_out(py, &PriceCheckOut::from(&check.py_err(py)?))
}

fn item<'py>(d: &Bound<'py, PyDict>, key: &str, path: &str) -> PyResult<Bound<'py, PyAny>> {
    d.get_item(key)?.ok_or_else(|| {
        errors::invalid_value(
            d.py(),
            format!("`{path}`: missing key `{key}`"),
            format!("{path}.{key}"),
        )
    })
}

/// R-SAVING: per ente, the cost through the CIT against buying alone (`market` and/or
/// `list` price), and the plain, population-weighted and overall average reduction
/// against `target` (15 % by default). `cases` are dicts `{"ente", "abitanti",
/// "through_cit", "market"?, "list"?}`; `benchmark` is `"market"` or `"list"`.
#[pyfunction]
#[pyo3(signature = (cases, benchmark = "market", target = None))]
pub(crate) fn saving<'py>(
    py: Python<'py>,
    cases: Vec<Bound<'py, PyDict>>,
    benchmark: &str,
    target: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let benchmark = match benchmark {
        "market" => Benchmark::Market,
        "list" => Benchmark::List,
        other => {
            return Err(to_py(
                py,
                &cit_core::Error::InvalidValue {
                    path: "benchmark".to_owned(),
                    expected: "\"market\" or \"list\"".to_owned(),
                    found: format!("{other:?}"),
                },
                None,
            ));
        }
    };
    let mut core_cases = Vec::with_capacity(cases.len());
    for (i, c) in cases.iter().enumerate() {
        let path = format!("cases[{i}]");
        let ente: String = item(c, "ente", &path)?.extract()?;
        let abitanti = count_in(&item(c, "abitanti", &path)?, &format!("{path}.abitanti"))?;
        let through = money_in(
            &item(c, "through_cit", &path)?,
            &format!("{path}.through_cit"),
        )?;
        let mut case = SavingCase::new(ente, abitanti, through);
        if let Some(m) = c.get_item("market")?.filter(|v| !v.is_none()) {
            case = case.with_market(money_in(&m, &format!("{path}.market"))?);
        }
        if let Some(l) = c.get_item("list")?.filter(|v| !v.is_none()) {
            case = case.with_list(money_in(&l, &format!("{path}.list"))?);
        }
        core_cases.push(case);
    }
    let target = match target {
        Some(t) => decimal_in(t, "target")?,
        None => analysis::SAVING_TARGET,
    };
    let s = analysis::average_saving(&core_cases, benchmark, target).py_err(py)?;
    dict_out(py, &SavingSummaryOut::from(&s))
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

/// R-SIM: Monte Carlo over `candidates` (dicts as `candidates()` makes them): `runs` runs
/// with `seed` (the same seed gives the same result in every language), computed without
/// holding the GIL. Returns the expected values, the summaries (mean and 5/50/95
/// percentiles) of members, residents and revenue, the chance of covering `cost`, and
/// every run as columns: by default (`per_run="lists"`) lists of ints and of `Decimal`
/// revenues; with `per_run="arrays"` numpy int64 arrays `members`, `residents` and
/// `revenue_cents` (no Python object per run); with `per_run="table"` a `cit.RunTable`
/// of Arrow columns (`revenue` as `decimal128(19, 2)`).
#[pyfunction]
#[pyo3(signature = (candidates, runs, seed, cost = None, *, per_run = "lists"))]
pub(crate) fn simulate<'py>(
    py: Python<'py>,
    candidates: Vec<Bound<'py, PyDict>>,
    runs: u32,
    seed: u64,
    cost: Option<&Bound<'py, PyAny>>,
    per_run: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let per_run_as = per_run_in(py, per_run)?;
    let mut cands = Vec::with_capacity(candidates.len());
    for (i, c) in candidates.iter().enumerate() {
        let path = format!("candidates[{i}]");
        cands.push(Candidate::new(
            item(c, "id", &path)?.extract::<String>()?,
            count_in(&item(c, "abitanti", &path)?, &format!("{path}.abitanti"))?,
            money_in(&item(c, "quota", &path)?, &format!("{path}.quota"))?,
            probability_in(
                &item(c, "probability", &path)?,
                &format!("{path}.probability"),
            )?,
        ));
    }
    let config = SimConfig {
        runs,
        seed,
        cost: cost.map(|c| money_in(c, "cost")).transpose()?,
    };
    let sim = py
        .detach(|| analysis::simulate(&cands, &config))
        .py_err(py)?;
    let d = dict_out(py, &SimulationOut::from(&sim))?;
    match per_run_as {
        PerRun::Lists => {
            // Built directly, as the arrays and the table are: through `pyser::to_py` these
            // columns took a quarter longer (200.000 runs: 49 ms against 38 ms), without
            // the shared `Decimal("0.00")` of `money_out` and through a `Vec` of objects.
            let per_run = PyDict::new(py);
            let members: Vec<u64> = sim.per_run.iter().map(|r| r.members).collect();
            let residents: Vec<u64> = sim.per_run.iter().map(|r| r.residents).collect();
            per_run.set_item("members", members)?;
            per_run.set_item("residents", residents)?;
            let revenue = PyList::empty(py);
            for r in &sim.per_run {
                revenue.append(money_out(py, r.revenue)?)?;
            }
            per_run.set_item("revenue", revenue)?;
            d.set_item("per_run", per_run)?;
        }
        PerRun::Arrays => {
            let [members, residents, revenue] = run_columns(py, &sim.per_run)?;
            let per_run = PyDict::new(py);
            per_run.set_item("members", int64_array(py, members))?;
            per_run.set_item("residents", int64_array(py, residents))?;
            per_run.set_item("revenue_cents", int64_array(py, revenue))?;
            d.set_item("per_run", per_run)?;
        }
        PerRun::Table => {
            let [members, residents, revenue] = run_columns(py, &sim.per_run)?;
            let table = PyRunTable::new(members, residents, revenue)?;
            d.set_item("per_run", Bound::new(py, table)?)?;
        }
    }
    Ok(d)
}

/// R-SMALL: true for a comune of fewer than 5.000 abitanti (D.L. 78/2010).
#[pyfunction]
pub(crate) fn is_small(abitanti: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(analysis::is_small(count_in(abitanti, "abitanti")?))
}
