//! `cit.Tariff` and `cit.Quote`.

use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use cit_core::{Ente, EnteKind, Money, Quote, Standing, Tariff};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::columns::{counts_in, int64_array};
use crate::convert::{
    EnteText, count_in, date_in, date_out, ente_in, ente_read, lines_out, money_out, quote_out,
};
use crate::errors::{IntoPy, to_py, within};
use crate::governance::PyBoard;
use crate::pyde::from_py as document_in;
use crate::pyser;

/// A validated tariff: prices the quota di adesione of any ente for the years of its period.
#[pyclass(frozen, module = "cit", name = "Tariff")]
pub(crate) struct PyTariff {
    pub(crate) inner: Arc<Tariff>,
}

impl PyTariff {
    fn new(inner: Tariff) -> PyTariff {
        PyTariff {
            inner: Arc::new(inner),
        }
    }

    /// The core's columnar totals, computed without holding the GIL, as integer cents.
    pub(crate) fn cents(
        &self,
        py: Python<'_>,
        abitanti: &[u64],
        imprese: &[u64],
        year: i32,
    ) -> PyResult<Vec<i64>> {
        let tariff = &self.inner;
        py.detach(|| tariff.quote_totals_cents(abitanti, imprese, year))
            .py_err(py)
    }
}

#[pymethods]
impl PyTariff {
    /// Reads and validates a tariff document (the README's *The tariff document*).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<PyTariff> {
        Ok(PyTariff::new(Tariff::from_json(text).py_err(py)?))
    }

    /// The tariff as its JSON document.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The tariff's id.
    #[getter]
    fn id(&self) -> &str {
        self.inner.id()
    }

    /// The tariff's name.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.document().name
    }

    /// The first and last day the tariff prices: `{"from": date, "to": date}`.
    #[getter]
    fn period<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pyser::to_py(py, &self.inner.document().period)
    }

    /// The tariff as a dict shaped like its JSON document (money as `Decimal`, dates as
    /// `datetime.date`).
    fn document<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pyser::to_py(py, self.inner.document())
    }

    /// The date the counts used to price `year` must refer to (R-CAP): the tariff's
    /// `counts_as_of` for that year, a `datetime.date` (`None` for a year whose date the
    /// calendar does not have).
    fn counts_date<'py>(&self, py: Python<'py>, year: i32) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .counts_date(year)
            .map(|d| date_out(py, d))
            .transpose()
    }

    /// The citation of the deliberation that adopted the tariff, if any (R-ADOPT).
    #[getter]
    fn adoption(&self) -> Option<String> {
        self.inner
            .document()
            .adoption
            .as_ref()
            .map(|a| a.citation())
    }

    /// The quota of `ente` (a dict shaped like the Ente document) for `year`; with
    /// `start`, of a membership starting that day (R-PRORATA).
    #[pyo3(signature = (ente, year, start = None))]
    fn quote(
        &self,
        py: Python<'_>,
        ente: &Bound<'_, PyAny>,
        year: i32,
        start: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyQuote> {
        let ente = ente_in(ente)?;
        let quote = match start {
            Some(s) => self.inner.quote_from(&ente, year, date_in(s, "start")?),
            None => self.inner.quote(&ente, year),
        };
        Ok(PyQuote::ready(quote.py_err(py)?))
    }

    /// The quotas of many enti for `year`. Each quote holds its exact total at once; its
    /// lines are itemised (by the same core, with the same arithmetic) the first time they
    /// are read. An error names the position of the first bad ente (`enti[17]`).
    fn quote_many<'py>(
        &self,
        py: Python<'py>,
        enti: &Bound<'py, PyAny>,
        year: i32,
    ) -> PyResult<Bound<'py, PyList>> {
        let tariff = &self.inner;
        let enti = enti.try_iter()?;
        let mut rows = Vec::with_capacity(enti.size_hint().0);
        // One `Ente` read into again and again: its strings keep their buffers.
        let mut ente = Ente::comune(String::new(), String::new(), 0, 0);
        for (i, e) in enti.enumerate() {
            let at = || format!("enti[{i}]");
            let text = ente_read(&e?, &mut ente).map_err(|err| within(py, err, &at()))?;
            let total = tariff
                .quote_total(&ente, year)
                .map_err(|err| to_py(py, &err, Some(&at())))?;
            rows.push(Row::new(&ente, text, total));
        }
        let batch = Arc::new(Batch {
            tariff: Arc::clone(tariff),
            year,
            rows,
        });
        // A Quote holds no Python container (only `str`s), so the new ones can form no
        // reference cycle: the cycle collector is paused while they are made (it would
        // otherwise walk every live object, the caller's dicts included, a few times per
        // batch), then restored.
        let paused = CollectorPause::new(py)?;
        let quotes = PyList::new(
            py,
            (0..batch.rows.len()).map(|index| PyQuote {
                source: Source::Batch {
                    batch: Arc::clone(&batch),
                    index,
                },
                itemised: OnceLock::new(),
            }),
        );
        paused.restore()?;
        quotes
    }

    /// Totals in integer cents of comuni given as two columns of counts (taken at the
    /// tariff's reference date), computed without holding the GIL. Given numpy arrays (any
    /// integer dtype) or Arrow columns (`__arrow_c_array__` / `__arrow_c_stream__`: a
    /// pyarrow array, a polars or pandas Series; any integer type, no nulls), the result is
    /// a numpy `int64` array of cents, made without a Python object per comune; given lists
    /// (or any other iterable, or a buffer), a list of ints.
    fn quote_totals<'py>(
        &self,
        py: Python<'py>,
        abitanti: &Bound<'py, PyAny>,
        imprese: &Bound<'py, PyAny>,
        year: i32,
    ) -> PyResult<Bound<'py, PyAny>> {
        let ab = counts_in(abitanti, "abitanti")?;
        let imp = counts_in(imprese, "imprese")?;
        let cents = self.cents(py, &ab.values, &imp.values, year)?;
        if ab.array || imp.array {
            Ok(int64_array(py, cents))
        } else {
            Ok(PyList::new(py, cents)?.into_any())
        }
    }

    /// The totals of `quote_totals` as an Arrow table (`cit.QuoteTable`): the ente `ids`
    /// (a list of str, one per row, if given), `total` as `decimal128(19, 2)` and `cents`
    /// as int64; polars, pyarrow and pandas read it exactly, without a `Decimal` per row.
    #[pyo3(signature = (abitanti, imprese, year, ids = None))]
    fn quote_table(
        &self,
        py: Python<'_>,
        abitanti: &Bound<'_, PyAny>,
        imprese: &Bound<'_, PyAny>,
        year: i32,
        ids: Option<Vec<String>>,
    ) -> PyResult<crate::table::PyQuoteTable> {
        let ab = counts_in(abitanti, "abitanti")?;
        let imp = counts_in(imprese, "imprese")?;
        if let Some(ids) = &ids {
            if ids.len() != ab.values.len() {
                return Err(to_py(
                    py,
                    &cit_core::Error::InvalidValue {
                        path: "ids".to_owned(),
                        expected: format!("as many ids as abitanti ({})", ab.values.len()),
                        found: ids.len().to_string(),
                    },
                    None,
                ));
            }
        }
        let cents = self.cents(py, &ab.values, &imp.values, year)?;
        crate::table::PyQuoteTable::new(ids, cents)
    }

    /// What the tariff linter finds: dicts `{"code", "path", "message"}`.
    fn lint<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        Ok(crate::pyser::to_py(py, &self.inner.lint())?.cast_into::<PyList>()?)
    }

    /// This tariff as adopted by motion `motion` of the sitting of `board` on `meeting`
    /// (R-ADOPT); refused unless the board is the Tavolo Strategico, the sitting had quorum
    /// and the motion passed.
    fn adopt(
        &self,
        py: Python<'_>,
        board: &PyBoard,
        meeting: &Bound<'_, PyAny>,
        motion: &str,
    ) -> PyResult<PyTariff> {
        let sitting = board
            .inner
            .sitting(date_in(meeting, "meeting")?)
            .py_err(py)?;
        Ok(PyTariff::new(
            self.inner.adopt(&board.inner, sitting, motion).py_err(py)?,
        ))
    }

    /// Prices `quantity` of service `service` for `ente` (a dict) on `date` (R-TIER,
    /// R-PRICE, R-MEMBERS-ONLY, R-ENTITLE), for a member (`standing` `{"standing":
    /// "member", "membership", "from", "to"}`) or a non-member (`{"standing":
    /// "non_member"}`): the core's `ServiceQuote`. A price per abitante or by band checks
    /// the counts' date as the quota does (R-CAP).
    fn price_service<'py>(
        &self,
        py: Python<'py>,
        ente: &Bound<'py, PyAny>,
        service: &str,
        quantity: &Bound<'py, PyAny>,
        standing: &Bound<'py, PyAny>,
        date: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let ente = ente_in(ente)?;
        let quantity = count_in(quantity, "quantity")?;
        let standing: Standing = document_in("standing", standing)?;
        let q = self
            .inner
            .price_service(&ente, service, quantity, &standing, date_in(date, "date")?)
            .py_err(py)?;
        pyser::to_py(py, &q)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((
            slf.get_type().getattr("from_json")?,
            (slf.get().inner.to_json(),),
        ))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyTariff>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "Tariff(id={:?}, name={:?})",
            self.inner.id(),
            self.inner.document().name
        )
    }
}

/// Python's cycle collector paused while a batch of objects that cannot form cycles is
/// made (`gc.disable()`), if it was running; `restore` (or dropping) turns it back on.
struct CollectorPause<'py> {
    gc: Option<Bound<'py, PyAny>>,
}

impl<'py> CollectorPause<'py> {
    fn new(py: Python<'py>) -> PyResult<Self> {
        let gc = py.import(pyo3::intern!(py, "gc"))?;
        if gc
            .call_method0(pyo3::intern!(py, "isenabled"))?
            .is_truthy()?
        {
            gc.call_method0(pyo3::intern!(py, "disable"))?;
            Ok(CollectorPause {
                gc: Some(gc.into_any()),
            })
        } else {
            Ok(CollectorPause { gc: None })
        }
    }

    fn restore(mut self) -> PyResult<()> {
        match self.gc.take() {
            Some(gc) => gc.call_method0(pyo3::intern!(gc.py(), "enable")).map(drop),
            None => Ok(()),
        }
    }
}

impl Drop for CollectorPause<'_> {
    fn drop(&mut self) {
        if let Some(gc) = self.gc.take() {
            let _ = gc.call_method0(pyo3::intern!(gc.py(), "enable"));
        }
    }
}

/// An itemised quote: the lines with their rule, Italian label and amount, and the total.
#[pyclass(frozen, module = "cit", name = "Quote")]
pub(crate) struct PyQuote {
    source: Source,
    // Boxed: a Quote object of a batch stays small, whatever the size of the core's
    // values.
    itemised: OnceLock<Box<Quote>>,
}

/// Where a quote's lines come from: already itemised, or a row of a `quote_many` batch,
/// itemised by the core when first read (the total is known exactly either way).
enum Source {
    Ready,
    Batch { batch: Arc<Batch>, index: usize },
}

/// The enti of one `quote_many` call, as read, and their totals. Its quotes share it (an
/// `Arc` each, no allocation per quote), so it lives as long as the last of them.
struct Batch {
    tariff: Arc<Tariff>,
    year: i32,
    rows: Vec<Row>,
}

/// An ente of a batch: its counts, and its `str`s kept as they were given (immutable)
/// rather than copied.
struct Row {
    id: Py<PyString>,
    name: Py<PyString>,
    codice_fiscale: Option<Py<PyString>>,
    kind: EnteKind,
    abitanti: Option<u64>,
    imprese: Option<u64>,
    counts_as_of: Option<NaiveDate>,
    total: Money,
}

impl Row {
    fn new(ente: &Ente, text: EnteText<'_>, total: Money) -> Row {
        Row {
            id: text.id.unbind(),
            name: text.name.unbind(),
            codice_fiscale: text.codice_fiscale.map(Bound::unbind),
            kind: ente.kind,
            abitanti: ente.abitanti,
            imprese: ente.imprese,
            counts_as_of: ente.counts_as_of,
            total,
        }
    }

    /// The ente again, as it was read.
    fn ente(&self, py: Python<'_>) -> PyResult<Ente> {
        Ok(Ente {
            id: self.id.bind(py).to_str()?.to_owned(),
            name: self.name.bind(py).to_str()?.to_owned(),
            kind: self.kind,
            abitanti: self.abitanti,
            imprese: self.imprese,
            counts_as_of: self.counts_as_of,
            codice_fiscale: match &self.codice_fiscale {
                Some(cf) => Some(cf.bind(py).to_str()?.to_owned()),
                None => None,
            },
        })
    }
}

impl PyQuote {
    pub(crate) fn ready(quote: Quote) -> PyQuote {
        PyQuote {
            source: Source::Ready,
            itemised: OnceLock::from(Box::new(quote)),
        }
    }

    /// The batch row of a quote of `quote_many`.
    fn row(&self) -> Option<(&Batch, &Row)> {
        match &self.source {
            Source::Batch { batch, index } => Some((batch, &batch.rows[*index])),
            Source::Ready => None,
        }
    }

    /// The itemised core quote, computed once.
    fn quote(&self, py: Python<'_>) -> PyResult<&Quote> {
        if let Some(q) = self.itemised.get() {
            return Ok(q);
        }
        let Some((batch, row)) = self.row() else {
            unreachable!("a ready quote is itemised at construction")
        };
        let q = Box::new(batch.tariff.quote(&row.ente(py)?, batch.year).py_err(py)?);
        Ok(self.itemised.get_or_init(|| q))
    }
}

#[pymethods]
impl PyQuote {
    /// Reads a quote document back, checking that its total is the sum of its lines.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<PyQuote> {
        Ok(PyQuote::ready(Quote::from_json(text).py_err(py)?))
    }

    /// The quote as its JSON document (money as strings).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.quote(py)?.to_json())
    }

    /// The quote as a dict shaped like its JSON document, money as `Decimal`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        quote_out(py, self.quote(py)?)
    }

    /// The ente's id.
    #[getter]
    fn ente<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        Ok(match self.row() {
            Some((_, row)) => row.id.bind(py).clone(),
            None => PyString::new(py, self.quote(py)?.ente()),
        })
    }

    /// The tariff's id.
    #[getter]
    fn tariff(&self, py: Python<'_>) -> PyResult<String> {
        Ok(match self.row() {
            Some((batch, _)) => batch.tariff.id().to_owned(),
            None => self.quote(py)?.tariff().to_owned(),
        })
    }

    /// The year priced.
    #[getter]
    fn year(&self, py: Python<'_>) -> PyResult<i32> {
        Ok(match self.row() {
            Some((batch, _)) => batch.year,
            None => self.quote(py)?.year(),
        })
    }

    /// The lines: dicts `{"rule", "label", "amount"}`.
    #[getter]
    fn lines<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        lines_out(py, self.quote(py)?.lines())
    }

    /// The total, a `Decimal`: the sum of the lines.
    #[getter]
    fn total<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self.row() {
            Some((_, row)) => money_out(py, row.total),
            None => money_out(py, self.quote(py)?.total()),
        }
    }

    /// The citation of the deliberation that adopted the tariff, if any.
    #[getter]
    fn adoption(&self, py: Python<'_>) -> PyResult<Option<String>> {
        Ok(self.quote(py)?.adoption().map(str::to_owned))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let py = slf.py();
        Ok((
            slf.get_type().getattr("from_json")?,
            (slf.get().quote(py)?.to_json(),),
        ))
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        match other.cast::<PyQuote>() {
            Ok(o) => Ok(o.get().quote(py)? == self.quote(py)?),
            Err(_) => Ok(false),
        }
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Quote(ente={:?}, tariff={:?}, year={}, total=Decimal('{}'))",
            self.ente(py)?.to_str()?,
            self.tariff(py)?,
            self.year(py)?,
            self.total(py)?.str()?
        ))
    }
}
