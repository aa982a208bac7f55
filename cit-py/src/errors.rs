//! Core errors as the Python exceptions of `cit.errors`, chosen by variant (and, for a
//! document that does not parse or validate, by the document).

use cit_core::Error;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyModule, PyTuple};

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    ERRORS
        .get_or_try_init(py, || py.import("cit.errors").map(Bound::unbind))
        .map(|m| m.bind(py))
}

/// The Python class for a core error, by the variant of its [`Error::root`] (an event
/// refused inside a journal or batch raises the class of its own error).
fn class_name(e: &Error) -> &'static str {
    match e.root() {
        Error::Malformed { document, .. } | Error::Invalid { document, .. } => match *document {
            "tariff" => "TariffError",
            "ente" => "EnteError",
            "quote" => "QuoteError",
            "board" | "meeting" | "adoption" => "GovernanceError",
            "event" | "events" | "registry" => "RegistryError",
            _ => "CitError",
        },
        Error::MissingCount { .. } | Error::CountsDateMismatch { .. } => "EnteError",
        Error::YearOutsidePeriod { .. } | Error::KindNotPriced { .. } => "TariffError",
        Error::AdoptionRefused { .. } => "GovernanceError",
        Error::IllegalTransition { .. } => "TransitionError",
        Error::NotAMember { .. }
        | Error::UnknownService { .. }
        | Error::UnknownEnte { .. }
        | Error::UnknownEntry { .. }
        | Error::DuplicateEvent { .. }
        | Error::NoTariffOn { .. }
        | Error::TariffOverlap { .. } => "RegistryError",
        Error::VersionConflict { .. } => "ConflictError",
        Error::InvalidValue { .. } => "InvalidValueError",
        Error::Overflow { .. } => "CitOverflowError",
        // `root()` never returns `InEvent`; a variant the core adds later (the enum is
        // `#[non_exhaustive]`) is a plain `CitError` until it is given a class here.
        _ => "CitError",
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
    kwargs(py, code, path)
        .and_then(|k| build(py, class, message, &k))
        .unwrap_or_else(|e| e)
}

/// The keyword arguments every class of `cit.errors` takes.
fn kwargs<'py>(py: Python<'py>, code: &str, path: Option<String>) -> PyResult<Bound<'py, PyDict>> {
    let kwargs = PyDict::new(py);
    kwargs.set_item("code", code)?;
    kwargs.set_item("path", path)?;
    Ok(kwargs)
}

fn build(
    py: Python<'_>,
    class: &str,
    message: String,
    kwargs: &Bound<'_, PyDict>,
) -> PyResult<PyErr> {
    let cls = errors_module(py)?.getattr(class)?;
    let instance = cls.call((message,), Some(kwargs))?;
    Ok(PyErr::from_value(instance))
}

/// The Python exception for a core error: the class and the attributes (`problems` of an
/// invalid document, `expected` and `actual` of a version conflict) from [`Error::root`],
/// `code` from [`Error::code`], `path` from [`Error::path`]. `within` prefixes the path and
/// message (the position in a batch: `enti[17]`, `events[3]`).
pub(crate) fn to_py(py: Python<'_>, e: &Error, within: Option<&str>) -> PyErr {
    let message = match within {
        Some(w) => format!("{w}: {e}"),
        None => e.to_string(),
    };
    let path = match (within, e.path()) {
        (Some(w), p) => Some(cit_core::json::join_path(w, p.as_deref().unwrap_or(""))),
        (None, p) => p,
    };
    let built = kwargs(py, e.code(), path).and_then(|k| {
        match e.root() {
            Error::Invalid { problems, .. } => {
                let list = PyList::empty(py);
                for p in problems {
                    let d = PyDict::new(py);
                    d.set_item("path", &p.path)?;
                    d.set_item("expected", &p.expected)?;
                    d.set_item("found", &p.found)?;
                    list.append(d)?;
                }
                k.set_item("problems", list)?;
            }
            Error::VersionConflict { expected, actual } => {
                k.set_item("expected", expected)?;
                k.set_item("actual", actual)?;
            }
            _ => {}
        }
        build(py, class_name(e), message, &k)
    });
    built.unwrap_or_else(|err| err)
}

/// A `cit.errors` exception raised about an item of a batch, placed where it was: its
/// path and message prefixed by `within` (`events[3]`), as [`to_py`] places a core error.
/// Any other exception is returned unchanged.
pub(crate) fn within(py: Python<'_>, err: PyErr, within: &str) -> PyErr {
    let placed = (|| -> PyResult<()> {
        let value = err.value(py);
        if !value.is_instance(&errors_module(py)?.getattr("CitError")?)? {
            return Ok(());
        }
        let path: Option<String> = value.getattr("path")?.extract()?;
        let message: String = value.getattr("message")?.extract()?;
        let message = format!("{within}: {message}");
        value.setattr(
            "path",
            cit_core::json::join_path(within, path.as_deref().unwrap_or("")),
        )?;
        value.setattr("args", PyTuple::new(py, [&message])?)?;
        value.setattr("message", message)?;
        Ok(())
    })();
    match placed {
        Ok(()) => err,
        Err(e) => e,
    }
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
