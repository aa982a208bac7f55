//! `cit.Board` and `cit.yearly`: boards, sittings, quorum and votes (R-QUORUM, R-MAJORITY,
//! R-YEARLY, R-ADOPT).

use cit_core::governance::{Board, yearly};
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::convert::{date_in, date_out};
use crate::errors::IntoPy;
use crate::pyser::to_py as to_py_value;

/// A board (Tavolo Strategico, Tecnico or Tematico) with its members and its register of
/// sittings.
#[pyclass(frozen, module = "cit", name = "Board")]
pub(crate) struct PyBoard {
    pub(crate) inner: Board,
}

#[pymethods]
impl PyBoard {
    /// Reads and validates a board document (members, president, sittings).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<PyBoard> {
        Ok(PyBoard {
            inner: Board::from_json(text).py_err(py)?,
        })
    }

    /// The board as its JSON document.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The board's id.
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }

    /// `"strategico"`, `"tecnico"` or `"tematico"`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.inner.kind.as_str()
    }

    /// The board's name.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// The dates of its sittings, in the register's order.
    fn meetings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for m in &self.inner.meetings {
            list.append(date_out(py, m.date)?)?;
        }
        Ok(list)
    }

    /// The quorum at the roll call of the sitting on `meeting` (R-QUORUM), as the core
    /// serialises it (the rule in words and the sentence for the minutes included).
    fn roll_call<'py>(
        &self,
        py: Python<'py>,
        meeting: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let sitting = self
            .inner
            .sitting(date_in(meeting, "meeting")?)
            .py_err(py)?;
        to_py_value(py, &self.inner.roll_call(sitting).py_err(py)?)
    }

    /// The result of motion `motion` at the sitting on `meeting` (R-MAJORITY): passed,
    /// outcome, the verdict, the tally, the quorum at the vote and the Italian sentence for
    /// the minutes, as the core serialises a `Decision`.
    fn decide<'py>(
        &self,
        py: Python<'py>,
        meeting: &Bound<'py, PyAny>,
        motion: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let sitting = self
            .inner
            .sitting(date_in(meeting, "meeting")?)
            .py_err(py)?;
        to_py_value(py, &self.inner.decide(sitting, motion).py_err(py)?)
    }

    /// The citation of the deliberation adopted by motion `motion` at the sitting on
    /// `meeting` (R-ADOPT), or a `GovernanceError` saying why it adopts nothing.
    fn adoption_citation(
        &self,
        py: Python<'_>,
        meeting: &Bound<'_, PyAny>,
        motion: &str,
    ) -> PyResult<String> {
        let sitting = self
            .inner
            .sitting(date_in(meeting, "meeting")?)
            .py_err(py)?;
        Ok(cit_core::governance::adopt(&self.inner, sitting, motion)
            .py_err(py)?
            .citation())
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((
            slf.get_type().getattr("from_json")?,
            (slf.get().inner.to_json(),),
        ))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyBoard>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "Board(id={:?}, kind={:?})",
            self.inner.id,
            self.inner.kind.as_str()
        )
    }
}

/// R-YEARLY: for each year from `first` to `last`, which boards met in plenary with quorum
/// and which strategic or technical boards missed it: the core's `YearlyReport`.
#[pyfunction(name = "yearly")]
pub(crate) fn py_yearly<'py>(
    py: Python<'py>,
    boards: Vec<PyRef<'py, PyBoard>>,
    first: i32,
    last: i32,
) -> PyResult<Bound<'py, PyAny>> {
    let boards: Vec<Board> = boards.iter().map(|b| b.inner.clone()).collect();
    to_py_value(py, &yearly(&boards, first, last).py_err(py)?)
}
