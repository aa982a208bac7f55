//! Analysis (R-COST, R-SAVING, R-SIM, R-SMALL): functions taking and returning plain
//! Python values (dicts, lists, `Decimal`), which pickle and go straight into a DataFrame.

use cit_core::analysis::{
    self, Adherents, Benchmark, BreakEven, Candidate, Comparison, PriceCheck, Probability,
    SavingCase, ServiceCost, SimConfig,
};
use cit_core::{Money, QuoteLine};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::columns::int64_array;
use crate::convert::{count_in, decimal_in, decimal_out, ente_in, lines_out, money_in, money_out};
use crate::errors::{self, IntoPy, to_py};
use crate::table::PyRunTable;
use crate::tariff::PyTariff;

fn set<'py>(d: &Bound<'py, PyDict>, key: &str, value: impl IntoPyObject<'py>) -> PyResult<()> {
    d.set_item(key, value)
}

fn money<'py>(py: Python<'py>, m: Money) -> PyResult<Bound<'py, PyAny>> {
    money_out(py, m)
}

fn lines<'py>(py: Python<'py>, l: &[QuoteLine]) -> PyResult<Bound<'py, PyList>> {
    lines_out(py, l)
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

fn break_even_out<'py>(py: Python<'py>, b: &BreakEven) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    set(&d, "yearly_amortisation", money(py, b.yearly_amortisation)?)?;
    set(&d, "yearly_cost", money(py, b.yearly_cost)?)?;
    set(&d, "lines", lines(py, &b.lines)?)?;
    match &b.per_ente {
        Some(f) => {
            let fd = PyDict::new(py);
            set(&fd, "enti", f.enti)?;
            set(&fd, "fee", money(py, f.fee)?)?;
            set(&fd, "revenue", money(py, f.revenue)?)?;
            set(&fd, "label", &f.label)?;
            set(&d, "per_ente", fd)?;
        }
        None => set(&d, "per_ente", py.None())?,
    }
    match &b.per_abitante {
        Some(r) => {
            let rd = PyDict::new(py);
            set(&rd, "abitanti", r.abitanti)?;
            set(&rd, "rate", decimal_out(py, r.rate)?)?;
            set(&rd, "revenue", money(py, r.revenue)?)?;
            set(&rd, "label", &r.label)?;
            set(&d, "per_abitante", rd)?;
        }
        None => set(&d, "per_abitante", py.None())?,
    }
    Ok(d)
}

fn check_out<'py>(py: Python<'py>, c: &PriceCheck) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    set(&d, "price", decimal_out(py, c.price)?)?;
    set(&d, "break_even", decimal_out(py, c.break_even)?)?;
    set(&d, "revenue", money(py, c.revenue)?)?;
    set(&d, "yearly_cost", money(py, c.yearly_cost)?)?;
    set(&d, "margin", money(py, c.margin)?)?;
    set(&d, "below_cost", c.below_cost)?;
    set(&d, "lines", lines(py, &c.lines)?)?;
    Ok(d)
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
    break_even_out(py, &b)
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
    check_out(py, &check.py_err(py)?)
}

fn comparison_out<'py>(
    py: Python<'py>,
    c: &Option<Comparison>,
) -> PyResult<Option<Bound<'py, PyDict>>> {
    let Some(c) = c else { return Ok(None) };
    let d = PyDict::new(py);
    set(&d, "alone", money(py, c.alone)?)?;
    set(&d, "saving", money(py, c.saving)?)?;
    set(&d, "reduction", decimal_out(py, c.reduction)?)?;
    set(&d, "label", &c.label)?;
    Ok(Some(d))
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
    let d = PyDict::new(py);
    set(
        &d,
        "benchmark",
        if benchmark == Benchmark::Market {
            "market"
        } else {
            "list"
        },
    )?;
    set(&d, "enti", s.enti)?;
    set(&d, "abitanti", s.abitanti)?;
    set(&d, "through_cit", money(py, s.through_cit)?)?;
    set(&d, "alone", money(py, s.alone)?)?;
    set(&d, "saving", money(py, s.saving)?)?;
    set(&d, "mean_reduction", decimal_out(py, s.mean_reduction)?)?;
    set(
        &d,
        "weighted_reduction",
        s.weighted_reduction
            .map(|r| decimal_out(py, r))
            .transpose()?,
    )?;
    set(
        &d,
        "overall_reduction",
        decimal_out(py, s.overall_reduction)?,
    )?;
    set(&d, "target", decimal_out(py, s.target)?)?;
    set(&d, "meets_target", s.meets_target)?;
    set(&d, "meets_target_weighted", s.meets_target_weighted)?;
    set(&d, "enti_meeting_target", s.enti_meeting_target)?;
    let per = PyList::empty(py);
    for e in &s.per_ente {
        let ed = PyDict::new(py);
        set(&ed, "ente", &e.ente)?;
        set(&ed, "abitanti", e.abitanti)?;
        set(&ed, "through_cit", money(py, e.through_cit)?)?;
        set(&ed, "market", comparison_out(py, &e.market)?)?;
        set(&ed, "list", comparison_out(py, &e.list)?)?;
        per.append(ed)?;
    }
    set(&d, "per_ente", per)?;
    Ok(d)
}

fn probability_in(obj: &Bound<'_, PyAny>, path: &str) -> PyResult<Probability> {
    let d = decimal_in(obj, path)?;
    Probability::new(d).map_err(|e| to_py(obj.py(), &e.at(path), None))
}

fn candidate_out<'py>(py: Python<'py>, c: &Candidate) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    set(&d, "id", &c.id)?;
    set(&d, "abitanti", c.abitanti)?;
    set(&d, "quota", money(py, c.quota)?)?;
    set(
        &d,
        "probability",
        decimal_out(py, c.probability.to_decimal())?,
    )?;
    Ok(d)
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
    let list = PyList::empty(py);
    for c in &cands {
        list.append(candidate_out(py, c)?)?;
    }
    Ok(list)
}

fn count_summary<'py>(py: Python<'py>, s: &analysis::CountSummary) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    set(&d, "mean", decimal_out(py, s.mean)?)?;
    for (k, v) in [
        ("min", s.min),
        ("p5", s.p5),
        ("p50", s.p50),
        ("p95", s.p95),
        ("max", s.max),
    ] {
        set(&d, k, v)?;
    }
    Ok(d)
}

fn money_summary<'py>(py: Python<'py>, s: &analysis::MoneySummary) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in [
        ("mean", s.mean),
        ("min", s.min),
        ("p5", s.p5),
        ("p50", s.p50),
        ("p95", s.p95),
        ("max", s.max),
    ] {
        set(&d, k, money(py, v)?)?;
    }
    Ok(d)
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
    let d = PyDict::new(py);
    set(&d, "seed", sim.seed)?;
    set(&d, "runs", sim.runs)?;
    set(&d, "candidates", sim.candidates)?;
    let expected = PyDict::new(py);
    set(&expected, "members", decimal_out(py, sim.expected.members)?)?;
    set(
        &expected,
        "residents",
        decimal_out(py, sim.expected.residents)?,
    )?;
    set(&expected, "revenue", money(py, sim.expected.revenue)?)?;
    set(&d, "expected", expected)?;
    set(&d, "members", count_summary(py, &sim.members)?)?;
    set(&d, "residents", count_summary(py, &sim.residents)?)?;
    set(&d, "revenue", money_summary(py, &sim.revenue)?)?;
    match &sim.coverage {
        Some(c) => {
            let cd = PyDict::new(py);
            set(&cd, "cost", money(py, c.cost)?)?;
            set(&cd, "covered_runs", c.covered_runs)?;
            set(&cd, "runs", c.runs)?;
            set(&cd, "probability", decimal_out(py, c.probability)?)?;
            set(&d, "coverage", cd)?;
        }
        None => set(&d, "coverage", py.None())?,
    }
    match per_run_as {
        PerRun::Lists => {
            let per_run = PyDict::new(py);
            set(
                &per_run,
                "members",
                sim.per_run.iter().map(|r| r.members).collect::<Vec<_>>(),
            )?;
            set(
                &per_run,
                "residents",
                sim.per_run.iter().map(|r| r.residents).collect::<Vec<_>>(),
            )?;
            let revenue = PyList::empty(py);
            for r in &sim.per_run {
                revenue.append(money(py, r.revenue)?)?;
            }
            set(&per_run, "revenue", revenue)?;
            set(&d, "per_run", per_run)?;
        }
        PerRun::Arrays => {
            let [members, residents, revenue] = run_columns(py, &sim.per_run)?;
            let per_run = PyDict::new(py);
            set(&per_run, "members", int64_array(py, members))?;
            set(&per_run, "residents", int64_array(py, residents))?;
            set(&per_run, "revenue_cents", int64_array(py, revenue))?;
            set(&d, "per_run", per_run)?;
        }
        PerRun::Table => {
            let [members, residents, revenue] = run_columns(py, &sim.per_run)?;
            let table = PyRunTable::new(members, residents, revenue)?;
            set(&d, "per_run", Bound::new(py, table)?)?;
        }
    }
    Ok(d)
}

/// R-SMALL: true for a comune of fewer than 5.000 abitanti (D.L. 78/2010).
#[pyfunction]
pub(crate) fn is_small(abitanti: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(analysis::is_small(count_in(abitanti, "abitanti")?))
}
