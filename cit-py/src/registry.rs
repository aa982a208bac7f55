//! `cit.Registry` (R-JOIN … R-LEDGER) and service pricing (R-TIER … R-ENTITLE).

use cit_core::Error;
use cit_core::registry::{Event, Registry};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::convert::{count_in, date_in};
use crate::errors::{IntoPy, at_event, to_py, within};
use crate::pyde::from_py as document_in;
use crate::pyser;

/// One event as a journal stores it (R-JOURNAL): the core's `JournalEntry`, `{"type",
/// "key", "event"}` — its type, its key (`"payment:P-1"`, unique in a journal; `None` for a
/// billing run or a capofila agreement) and its canonical JSON, the text that `cit.store`
/// keeps and hashes. The event is read (a dict or JSON text), not checked against a
/// registry.
#[pyfunction]
pub(crate) fn journal_entry<'py>(
    py: Python<'py>,
    event: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let event: Event = document_in("event", event)?;
    pyser::to_py(py, &event.journal_entry())
}

/// The life of a CIT as an append-only journal of events — enti, memberships,
/// subscriptions, billing runs, payments — and the state they fold to. An event that
/// breaks a rule is refused and changes nothing.
#[pyclass(module = "cit", name = "Registry")]
pub(crate) struct PyRegistry {
    inner: Registry,
}

#[pymethods]
impl PyRegistry {
    /// An empty registry.
    #[new]
    fn new() -> PyRegistry {
        PyRegistry {
            inner: Registry::new(),
        }
    }

    /// Replays a journal (a JSON array of events).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<PyRegistry> {
        Ok(PyRegistry {
            inner: Registry::from_json(text).py_err(py)?,
        })
    }

    /// The journal as a JSON array of events.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The number of events in the journal (its `version`).
    fn __len__(&self) -> usize {
        self.inner.events().len()
    }

    /// The journal's version: the number of events recorded (R-JOURNAL). An append that
    /// names the version it expects (`expected_version`) is refused if another writer
    /// changed it first.
    #[getter]
    fn version(&self) -> u64 {
        self.inner.version()
    }

    /// Appends an event — a dict shaped like the event JSON (`{"type":
    /// "payment_received", …}`, money as `Decimal`/`int`/`str`, dates as `datetime.date`)
    /// or its JSON text — after checking every rule; a refused event changes nothing.
    /// Returns what was done: `{"outcome": "recorded", "seq": n}`, `{"outcome":
    /// "already_recorded", "seq": n}` (identical to the event at `n`: a retry) or
    /// `{"outcome": "unchanged"}` (a billing run that issues nothing). With
    /// `expected_version`, the event is applied only if the journal is at that version
    /// (R-JOURNAL), else `ConflictError`.
    #[pyo3(signature = (event, *, expected_version = None))]
    fn apply<'py>(
        &mut self,
        py: Python<'py>,
        event: &Bound<'py, PyAny>,
        expected_version: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let expected = expected_in(expected_version)?;
        let event: Event = document_in("event", event)?;
        let applied = match expected {
            Some(v) => self.inner.apply_expecting(v, event),
            None => self.inner.apply(event),
        };
        pyser::to_py(py, &applied.py_err(py)?)
    }

    /// Appends a batch of events (dicts or JSON texts), all or none (R-JOURNAL): if one is
    /// malformed or refused, nothing is applied and the error names its position
    /// (`events[3].amount`). Returns one outcome per event, as `apply` does. With
    /// `expected_version`, the batch is applied only if the journal is at that version; a
    /// batch identical to the events recorded from that version on (a retry) changes
    /// nothing and each event is `already_recorded`.
    #[pyo3(signature = (events, *, expected_version = None))]
    fn apply_all<'py>(
        &mut self,
        py: Python<'py>,
        events: &Bound<'py, PyAny>,
        expected_version: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let expected = expected_in(expected_version)?;
        if events.is_instance_of::<PyString>() || events.is_instance_of::<PyDict>() {
            return Err(crate::errors::wrong_type(
                py,
                format!(
                    "`events`: expected a list of events (dicts or JSON texts), found {}",
                    events.get_type().name()?
                ),
                "events",
            ));
        }
        let mut batch = Vec::with_capacity(events.len().unwrap_or(0));
        for (i, event) in events.try_iter()?.enumerate() {
            let at = format!("events[{i}]");
            let event: Event = document_in("event", &event?)
                .map_err(|err| at_event(py, within(py, err, &at), i))?;
            batch.push(event);
        }
        let applied = self.inner.apply_all(expected, batch).map_err(|e| match e {
            Error::InEvent { index, source } => at_event(
                py,
                to_py(py, &source, Some(&format!("events[{index}]"))),
                index,
            ),
            other => to_py(py, &other, None),
        })?;
        pyser::to_py(py, &applied)
    }

    /// Runs the billing of `year` (R-RUN): returns the ids of the charges issued (none if
    /// the year was already billed).
    fn billing_run(
        &mut self,
        py: Python<'_>,
        year: i32,
        issued: &Bound<'_, PyAny>,
        due: &Bound<'_, PyAny>,
    ) -> PyResult<Vec<String>> {
        let (issued, due) = (date_in(issued, "issued")?, date_in(due, "due")?);
        self.inner.billing_run(year, issued, due).py_err(py)
    }

    /// The journal: every event applied, in order, as dicts.
    fn events<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pyser::to_py(py, self.inner.events())
    }

    /// The charge with this id, or `None`.
    fn charge<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        pyser::to_py(py, &self.inner.charge(id))
    }

    /// The registered enti (dicts shaped like the Ente document), by id.
    fn enti<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pyser::to_py(py, &self.inner.enti().collect::<Vec<_>>())
    }

    /// Every charge issued, in order, with its lines, payer shares and due date.
    fn charges<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pyser::to_py(py, self.inner.charges())
    }

    /// Every payment recorded, reversing entries included (negative, with the payment
    /// they reverse and why): dicts `{"id", "payer", "date", "amount", "charge",
    /// "reverses", "reason", "channel"}`; `channel` is `None` or how it was paid
    /// (`{"kind": "pagopa", "iuv", "iur", "index", "flow"}`, `{"kind": "tesoreria",
    /// "causale"}`).
    fn payments<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pyser::to_py(py, self.inner.payments())
    }

    /// The balance of `ente` at a date (R-LEDGER): charged, paid, outstanding, credit,
    /// overdue.
    fn balance<'py>(
        &self,
        py: Python<'py>,
        ente: &str,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        pyser::to_py(
            py,
            &self.inner.balance(ente, date_in(at, "at")?).py_err(py)?,
        )
    }

    /// The balances of every ente at a date.
    fn balances<'py>(
        &self,
        py: Python<'py>,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        pyser::to_py(py, &self.inner.balances(date_in(at, "at")?).py_err(py)?)
    }

    /// The renewal campaign of `year` (R-RENEW): the canoni that need confirmation, with
    /// their answer (`pending`, `confirmed`, `declined`, `lapsed`).
    fn renewal_campaign<'py>(&self, py: Python<'py>, year: i32) -> PyResult<Bound<'py, PyAny>> {
        pyser::to_py(py, &self.inner.renewal_campaign(year))
    }

    /// Prices a service for a registered ente on a date, with the tariff of that date and
    /// the member price only if a membership is active then.
    fn price_service<'py>(
        &self,
        py: Python<'py>,
        ente: &str,
        service: &str,
        quantity: &Bound<'py, PyAny>,
        date: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let q = self
            .inner
            .price_service(
                ente,
                service,
                count_in(quantity, "quantity")?,
                date_in(date, "date")?,
            )
            .py_err(py)?;
        pyser::to_py(py, &q)
    }

    /// The creditor's profile for pagoPA (R-NOTICE), as its JSON document (a dict), or
    /// `None` if no `creditor_registered` event recorded one.
    fn creditor<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pyser::to_py(py, &self.inner.creditor())
    }

    /// The pagoPA notices of `year`'s charges, in order of issue, each with its status now
    /// (R-NOTICE): dicts `{"charge", "payer", "payer_name", "codice_fiscale",
    /// "notice_number", "iuv", "amount", "due", "year", "issued", "status"}`.
    fn notices<'py>(&self, py: Python<'py>, year: i32) -> PyResult<Bound<'py, PyAny>> {
        pyser::to_py(py, &self.inner.notices(year))
    }

    /// The notice of an IUV with its status now, or `None`.
    fn notice<'py>(&self, py: Python<'py>, iuv: &str) -> PyResult<Bound<'py, PyAny>> {
        pyser::to_py(py, &self.inner.notice(iuv))
    }

    /// The GPD debt positions of `year`'s open notices (R-NOTICE), each the dict of the
    /// JSON document pagoPA's GPD takes (camelCase keys, amounts in integer cents):
    /// `json.dumps` of one is the document to post.
    fn debt_positions<'py>(&self, py: Python<'py>, year: i32) -> PyResult<Bound<'py, PyAny>> {
        let positions = self.inner.debt_positions(year).py_err(py)?;
        pyser::to_py(py, &positions)
    }

    /// The notices of `year` as the office's CSV (`;`-separated, decimal commas).
    fn notices_csv(&self, year: i32) -> String {
        self.inner.notices_csv(year)
    }

    /// Reads a flusso di rendicontazione (XML) and reconciles it against the notices and
    /// the payments booked (R-RECONCILE). Changes nothing: the report's `events` (dicts
    /// that `apply` takes as they are) book what matched; the same flow reconciled after
    /// that gives none. A flow that cannot be read raises `CitError` (code `malformed`,
    /// the element's path); without a creditor, `InvalidValueError` at `creditor`.
    fn reconcile_flow<'py>(&self, py: Python<'py>, xml: &str) -> PyResult<Bound<'py, PyAny>> {
        let inner = &self.inner;
        let report = py.detach(|| inner.reconcile_flow(xml)).py_err(py)?;
        pyser::to_py(py, &report)
    }

    /// A copy: the same journal and state, independent from here on (no replay).
    fn __copy__(&self) -> PyRegistry {
        PyRegistry {
            inner: self.inner.clone(),
        }
    }

    fn __deepcopy__(&self, _memo: &Bound<'_, PyAny>) -> PyRegistry {
        self.__copy__()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((
            slf.get_type().getattr("from_json")?,
            (slf.borrow().inner.to_json(),),
        ))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyRegistry>()
            .is_ok_and(|o| o.borrow().inner == self.inner)
    }

    fn __repr__(&self) -> String {
        format!("Registry(events={})", self.inner.events().len())
    }
}

/// The version an append expects: `None` (no check) or a whole number.
fn expected_in(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<u64>> {
    obj.filter(|o| !o.is_none())
        .map(|o| count_in(o, "expected_version"))
        .transpose()
}
