//! Core errors as the Python exceptions of `cit.errors`, chosen by code and document.

use cit_core::Error;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyModule};

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The Python class for a core error.
fn class_name(e: &Error) -> &'static str {
    match e {
        Error::Malformed { document, .. } | Error::Invalid { document, .. } => match *document {
            "tariff" => "TariffError",
            "ente" => "EnteError",
            "quote" => "QuoteError",
            "board" | "meeting" | "adoption" => "GovernanceError",
            "event" | "events" | "registry" => "RegistryError",
            _ => "CitError",
        },
        _ => match e.code() {
            "missing_count" | "counts_date_mismatch" => "EnteError",
            "year_outside_period" | "kind_not_priced" => "TariffError",
            "adoption_refused" => "GovernanceError",
            "illegal_transition" => "TransitionError",
            "not_a_member" | "unknown_service" | "unknown_ente" | "unknown_entry"
            | "duplicate_event" | "no_tariff_on" | "tariff_overlap" => "RegistryError",
            "invalid_value" => "InvalidValueError",
            "overflow" => "CitOverflowError",
            _ => "CitError",
        },
    }
}

/// Raises `class` of `cit.errors` with the message and attributes.
pub(crate) fn raise(
    py: Python<'_>,
    class: &str,
    message: String,
    code: &str,
    path: Option<String>,
) -> PyErr {
    build(py, class, message, code, path, None).unwrap_or_else(|e| e)
}

fn build(
    py: Python<'_>,
    class: &str,
    message: String,
    code: &str,
    path: Option<String>,
    problems: Option<Bound<'_, PyList>>,
) -> PyResult<PyErr> {
    let module = ERRORS.get_or_try_init(py, || py.import("cit.errors").map(Bound::unbind))?;
    let cls = module.bind(py).getattr(class)?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("code", code)?;
    kwargs.set_item("path", path)?;
    if let Some(p) = problems {
        kwargs.set_item("problems", p)?;
    }
    let instance = cls.call((message,), Some(&kwargs))?;
    Ok(PyErr::from_value(instance))
}

/// The Python exception for a core error; `within` prefixes the path and message (the
/// position in a batch: `enti[17]`).
pub(crate) fn to_py(py: Python<'_>, e: &Error, within: Option<&str>) -> PyErr {
    let message = match within {
        Some(w) => format!("{w}: {e}"),
        None => e.to_string(),
    };
    let path = match (within, e.path()) {
        (Some(w), p) => Some(cit_core::json::join_path(w, p.as_deref().unwrap_or(""))),
        (None, p) => p,
    };
    let problems = match e {
        Error::Invalid { problems, .. } => {
            let list = PyList::empty(py);
            for p in problems {
                let d = PyDict::new(py);
                let added = d
                    .set_item("path", &p.path)
                    .and_then(|()| d.set_item("expected", &p.expected))
                    .and_then(|()| d.set_item("found", &p.found))
                    .and_then(|()| list.append(d));
                if let Err(err) = added {
                    return err;
                }
            }
            Some(list)
        }
        _ => None,
    };
    build(py, class_name(e), message, e.code(), path, problems).unwrap_or_else(|err| err)
}

/// `Result<T, cit_core::Error>` → `PyResult<T>`.
pub(crate) trait IntoPy<T> {
    /// Converts the error, if any, to its Python exception.
    fn py_err(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPy<T> for Result<T, Error> {
    fn py_err(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py(py, &e, None))
    }
}
