//! Core errors as the Python exceptions of `cit.errors`, chosen by variant (and, for a
//! document that does not parse or validate, by the document).

use cit_core::{Error, ErrorCode};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule, PyTuple};

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    ERRORS
        .get_or_try_init(py, || py.import("cit.errors").map(Bound::unbind))
        .map(|m| m.bind(py))
}

/// Declares [`Class`] from the names of the classes of `cit.errors`, each written once.
macro_rules! classes {
    ($($(#[$doc:meta])* $class:ident,)*) => {
        /// The classes of `cit.errors` the compiled module raises.
        // The variants are the Python names, `…Error` as Python names exceptions.
        #[allow(clippy::enum_variant_names)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Class {
            $($(#[$doc])* $class,)*
        }

        impl Class {
            /// Every class, in declaration order (`cit._cit._ERROR_CLASSES`, which the tests
            /// check against `cit.errors`).
            pub(crate) const ALL: &'static [Class] = &[$(Class::$class,)*];

            /// Its name in `cit.errors`.
            pub(crate) fn name(self) -> &'static str {
                match self { $(Class::$class => stringify!($class),)* }
            }
        }
    };
}

classes! {
    /// The base class; a document the bindings do not name below.
    CitError,
    /// A tariff that does not read, a year outside its period, a kind it does not price.
    TariffError,
    /// An ente that does not read, or whose counts the tariff cannot use.
    EnteError,
    /// A quote document that does not read.
    QuoteError,
    /// A board, sitting or adoption that does not read, or an adoption refused.
    GovernanceError,
    /// A lifecycle step the state does not allow.
    TransitionError,
    /// An event the registry refuses.
    RegistryError,
    /// An append that expected another journal version.
    ConflictError,
    /// An argument out of its domain.
    InvalidValueError,
    /// An amount beyond exact decimal arithmetic.
    CitOverflowError,
    /// A Python value of the wrong type (code [`WRONG_TYPE`]); `MoneyTypeError` is its
    /// older name.
    CitTypeError,
}

/// The code of [`Class::CitTypeError`]: a value of the wrong Python type, which only the
/// binding can meet (the core takes typed values); `cit.ERROR_CODES` lists it after the
/// core's codes.
pub(crate) const WRONG_TYPE: &str = "wrong_type";

/// The class of a document that does not read or validate (`Error::document`).
fn document_class(document: &str) -> Class {
    match document {
        "tariff" => Class::TariffError,
        "ente" => Class::EnteError,
        "quote" => Class::QuoteError,
        "board" | "meeting" | "adoption" => Class::GovernanceError,
        "event" | "events" | "registry" => Class::RegistryError,
        _ => Class::CitError,
    }
}

/// The Python class for a core error, by the code of its [`Error::root`] (an event
/// refused inside a journal or batch raises the class of its own error). The match has no
/// catch-all: a code the core adds does not compile here until it is given a class.
fn class_of(e: &Error) -> Class {
    match e.error_code() {
        ErrorCode::Malformed | ErrorCode::Invalid => {
            document_class(e.document().unwrap_or_default())
        }
        ErrorCode::MissingCount | ErrorCode::CountsDateMismatch => Class::EnteError,
        ErrorCode::YearOutsidePeriod | ErrorCode::KindNotPriced => Class::TariffError,
        ErrorCode::AdoptionRefused => Class::GovernanceError,
        ErrorCode::IllegalTransition => Class::TransitionError,
        ErrorCode::NotAMember
        | ErrorCode::UnknownService
        | ErrorCode::UnknownEnte
        | ErrorCode::UnknownEntry
        | ErrorCode::DuplicateEvent
        | ErrorCode::NoTariffOn
        | ErrorCode::TariffOverlap => Class::RegistryError,
        ErrorCode::VersionConflict => Class::ConflictError,
        ErrorCode::InvalidValue => Class::InvalidValueError,
        ErrorCode::Overflow => Class::CitOverflowError,
    }
}

impl Class {
    /// Raises this class with the message and attributes.
    pub(crate) fn raise(
        self,
        py: Python<'_>,
        message: String,
        code: &str,
        path: Option<String>,
    ) -> PyErr {
        kwargs(py, code, path)
            .and_then(|k| build(py, self, message, &k))
            .unwrap_or_else(|e| e)
    }
}

/// A [`Class::InvalidValueError`] (the code of [`ErrorCode::InvalidValue`]) about the
/// argument at `path`, for a check only the binding makes (a missing key of a dict).
pub(crate) fn invalid_value(py: Python<'_>, message: String, path: String) -> PyErr {
    Class::InvalidValueError.raise(py, message, ErrorCode::InvalidValue.as_str(), Some(path))
}

/// A [`Class::CitTypeError`] (code [`WRONG_TYPE`]) about the value at `path`.
pub(crate) fn wrong_type(py: Python<'_>, message: String, path: &str) -> PyErr {
    Class::CitTypeError.raise(py, message, WRONG_TYPE, Some(path.to_owned()))
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
    class: Class,
    message: String,
    kwargs: &Bound<'_, PyDict>,
) -> PyResult<PyErr> {
    let cls = errors_module(py)?.getattr(class.name())?;
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
        k.set_item("event", e.event_index())?;
        match e.root() {
            Error::Invalid { problems, .. } => {
                k.set_item("problems", crate::pyser::to_py(py, problems)?)?;
            }
            Error::VersionConflict { expected, actual } => {
                k.set_item("expected", expected)?;
                k.set_item("actual", actual)?;
            }
            _ => {}
        }
        build(py, class_of(e), message, &k)
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

/// A `cit.errors` exception about the event at `index` of a batch: its `event` set (any
/// other exception is returned unchanged).
pub(crate) fn at_event(py: Python<'_>, err: PyErr, index: usize) -> PyErr {
    let value = err.value(py);
    let is_cit = errors_module(py)
        .and_then(|m| m.getattr("CitError"))
        .and_then(|c| value.is_instance(&c));
    match is_cit {
        Ok(true) => match value.setattr("event", index) {
            Ok(()) => err,
            Err(e) => e,
        },
        Ok(false) => err,
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
