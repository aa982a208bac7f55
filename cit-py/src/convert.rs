//! Values between Python and the core: money as `decimal.Decimal` (never a float), dates as
//! `datetime.date`, enti as dicts.

use std::cell::Cell;

use chrono::{Datelike, NaiveDate};
use cit_core::{Ente, EnteKind, Error, Money, Quote};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyType};
use rust_decimal::Decimal;

use crate::errors::{self, to_py};
use crate::pyser;

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();

pub(crate) fn decimal_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DECIMAL.import(py, "decimal", "Decimal")
}

/// The name of `obj`'s Python type, for messages.
pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_owned())
}

fn invalid(py: Python<'_>, path: &str, expected: &str, found: String) -> PyErr {
    to_py(
        py,
        &Error::InvalidValue {
            path: path.to_owned(),
            expected: expected.to_owned(),
            found,
        },
        None,
    )
}

fn wrong_type(py: Python<'_>, path: &str, expected: &str, obj: &Bound<'_, PyAny>) -> PyErr {
    let why = if obj.is_instance_of::<PyFloat>() {
        " (a float cannot hold amounts such as 0.15 exactly: pass a Decimal or a str)"
    } else {
        ""
    };
    errors::wrong_type(
        py,
        format!(
            "`{path}`: expected {expected}, found {}{why}",
            type_name(obj)
        ),
        path,
    )
}

/// A decimal from a `Decimal`, an `int` or a `str` ([`cit_core::decimal::parse`]'s plain
/// decimal text); a `float` (or a `bool`) is refused.
pub(crate) fn decimal_in(obj: &Bound<'_, PyAny>, path: &str) -> PyResult<Decimal> {
    let py = obj.py();
    let text = if obj.is_instance(decimal_class(py)?)? {
        // format(d, "f") writes no exponent; NaN and Infinity fail to parse below.
        obj.call_method1("__format__", ("f",))?
            .extract::<String>()?
    } else if obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>() {
        obj.str()?.to_string()
    } else if obj.is_instance_of::<PyString>() {
        obj.extract::<String>()?
    } else {
        return Err(wrong_type(py, path, "a Decimal, an int or a str", obj));
    };
    // The core's reader, the one of every document: no `+`, spaces, exponent or
    // separators, at most 28 significant digits.
    cit_core::decimal::parse(&text).ok_or_else(|| {
        invalid(
            py,
            path,
            "a plain decimal number (no `+`, spaces, exponent or `_`) of at most 28 significant digits",
            format!("{text:?}"),
        )
    })
}

static ZERO: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Money as a `decimal.Decimal` with two decimals (`Decimal("28485.30")`). Zero, the most
/// frequent amount of a ledger's outputs, is one shared `Decimal("0.00")` (immutable).
pub(crate) fn money_out<'py>(py: Python<'py>, m: Money) -> PyResult<Bound<'py, PyAny>> {
    if m.is_zero() {
        let zero = ZERO.get_or_try_init(py, || {
            decimal_class(py)?
                .call1((Money::ZERO.to_plain_string(),))
                .map(Bound::unbind)
        })?;
        return Ok(zero.bind(py).clone());
    }
    decimal_class(py)?.call1((m.to_plain_string(),))
}

/// A date from a `datetime.date` (not a `datetime`) or an ISO `str`.
pub(crate) fn date_in(obj: &Bound<'_, PyAny>, path: &str) -> PyResult<NaiveDate> {
    let py = obj.py();
    if obj.is_instance(DATETIME.import(py, "datetime", "datetime")?)? {
        return Err(wrong_type(
            py,
            path,
            "a datetime.date (not a datetime) or an ISO date str",
            obj,
        ));
    }
    if obj.is_instance(DATE.import(py, "datetime", "date")?)? {
        let (y, m, d): (i32, u32, u32) = (
            obj.getattr("year")?.extract()?,
            obj.getattr("month")?.extract()?,
            obj.getattr("day")?.extract()?,
        );
        return NaiveDate::from_ymd_opt(y, m, d)
            .ok_or_else(|| invalid(py, path, "a calendar date", format!("{y}-{m}-{d}")));
    }
    if obj.is_instance_of::<PyString>() {
        let text: String = obj.extract()?;
        return cit_core::json::date(&text, path).map_err(|e| to_py(py, &e, None));
    }
    Err(wrong_type(
        py,
        path,
        "a datetime.date or an ISO date str",
        obj,
    ))
}

/// A `datetime.date`.
pub(crate) fn date_out<'py>(py: Python<'py>, d: NaiveDate) -> PyResult<Bound<'py, PyAny>> {
    DATE.import(py, "datetime", "date")?
        .call1((d.year(), d.month(), d.day()))
}

/// A plain `int` that fits a `u64`, or `None` (then `count_in` says why, or accepts an
/// `int` subclass).
pub(crate) fn fast_count(obj: &Bound<'_, PyAny>) -> Option<u64> {
    if obj.is_exact_instance_of::<PyInt>() {
        obj.extract::<u64>().ok()
    } else {
        None
    }
}

/// A whole number ≥ 0 (a count), refusing floats and bools.
pub(crate) fn count_in(obj: &Bound<'_, PyAny>, path: &str) -> PyResult<u64> {
    let py = obj.py();
    if let Some(n) = fast_count(obj) {
        return Ok(n);
    }
    if !obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyBool>() {
        return Err(wrong_type(py, path, "a whole number (int)", obj));
    }
    obj.extract::<u64>().map_err(|_| {
        invalid(
            py,
            path,
            "a whole number from 0 to 18446744073709551615",
            obj.str().map(|s| s.to_string()).unwrap_or_default(),
        )
    })
}

fn string_in(obj: &Bound<'_, PyAny>, path: &str) -> PyResult<String> {
    let mut text = String::new();
    string_into(obj.clone(), path, &mut text)?;
    Ok(text)
}

/// The text of a `str` copied into `out` (its buffer reused), and the `str` itself (a plain
/// `str` with the same text if it was of a subclass).
fn string_into<'py>(
    obj: Bound<'py, PyAny>,
    path: &str,
    out: &mut String,
) -> PyResult<Bound<'py, PyString>> {
    let text = match obj.cast_into::<PyString>() {
        Ok(text) => text,
        Err(e) => {
            let obj = e.into_inner();
            return Err(wrong_type(obj.py(), path, "a str", &obj));
        }
    };
    out.clear();
    out.push_str(text.to_str()?);
    // A subclass of `str` may carry attributes (and references): keep a plain copy instead.
    if text.is_exact_instance_of::<PyString>() {
        Ok(text)
    } else {
        Ok(PyString::new(text.py(), out))
    }
}

const ENTE_FIELDS: &str = "id, name, kind, abitanti, imprese, counts_as_of, codice_fiscale";

fn ente_error(py: Python<'_>, path: String, message: String) -> PyErr {
    to_py(
        py,
        &Error::Malformed {
            document: "ente",
            path,
            message,
        },
        None,
    )
}

fn kind_in(obj: &Bound<'_, PyAny>) -> PyResult<EnteKind> {
    let py = obj.py();
    // Identity with the interned names first (literals in user code are interned; a
    // comune, the usual kind, before the others), then by value.
    if obj.is(intern!(py, "comune")) {
        return Ok(EnteKind::Comune);
    }
    let names = [
        (intern!(py, "comune"), EnteKind::Comune),
        (intern!(py, "unione"), EnteKind::Unione),
        (intern!(py, "comunita_montana"), EnteKind::ComunitaMontana),
        (intern!(py, "provincia"), EnteKind::Provincia),
        (
            intern!(py, "citta_metropolitana"),
            EnteKind::CittaMetropolitana,
        ),
        (intern!(py, "altro"), EnteKind::Altro),
    ];
    if let Some((_, kind)) = names.iter().find(|(name, _)| obj.is(name)) {
        return Ok(*kind);
    }
    let text = string_in(obj, "kind")?;
    EnteKind::ALL.into_iter().find(|k| k.as_str() == text).ok_or_else(|| {
        ente_error(
            py,
            "kind".to_owned(),
            format!(
                "unknown variant `{text}`, expected one of comune, unione, comunita_montana, provincia, citta_metropolitana, altro"
            ),
        )
    })
}

/// An ente from a dict shaped like the Ente JSON document (see the README). Unknown keys are
/// refused, like unknown fields in JSON.
pub(crate) fn ente_in(obj: &Bound<'_, PyAny>) -> PyResult<Ente> {
    let mut ente = Ente::comune(String::new(), String::new(), 0, 0);
    ente_read(obj, &mut ente)?;
    Ok(ente)
}

/// The `str` objects an ente was read from. A `str` is immutable, so a batch may keep them
/// (a reference each) instead of copies of their text.
pub(crate) struct EnteText<'py> {
    pub(crate) id: Bound<'py, PyString>,
    pub(crate) name: Bound<'py, PyString>,
    pub(crate) codice_fiscale: Option<Bound<'py, PyString>>,
}

/// Reads the dict `obj` into `ente` (as [`ente_in`]; every field is overwritten, and its
/// strings reuse their buffers, so a batch read into one `Ente` allocates nothing per
/// ente), checked by [`Ente::validate`]. Looks the known keys up by interned name: a few
/// hash lookups a dict.
pub(crate) fn ente_read<'py>(obj: &Bound<'py, PyAny>, ente: &mut Ente) -> PyResult<EnteText<'py>> {
    let py = obj.py();
    let dict = obj.cast::<PyDict>().map_err(|_| {
        ente_error(
            py,
            ".".to_owned(),
            format!(
                "expected a dict with {ENTE_FIELDS}, found {}",
                type_name(obj)
            ),
        )
    })?;
    let found = Cell::new(0);
    let get = |key: &Bound<'py, PyString>| -> PyResult<Option<Bound<'py, PyAny>>> {
        let value = dict.get_item(key)?;
        found.set(found.get() + usize::from(value.is_some()));
        Ok(value.filter(|v| !v.is_none()))
    };
    let missing = |field: &str| ente_error(py, ".".to_owned(), format!("missing field `{field}`"));
    let id = get(intern!(py, "id"))?.ok_or_else(|| missing("id"))?;
    let name = get(intern!(py, "name"))?.ok_or_else(|| missing("name"))?;
    let kind = get(intern!(py, "kind"))?.ok_or_else(|| missing("kind"))?;
    let abitanti = get(intern!(py, "abitanti"))?;
    let imprese = get(intern!(py, "imprese"))?;
    // Every key found already (a comune's usual dict): the optional ones are absent.
    let (counts_as_of, codice_fiscale) = if found.get() == dict.len() {
        (None, None)
    } else {
        (
            get(intern!(py, "counts_as_of"))?,
            get(intern!(py, "codice_fiscale"))?,
        )
    };
    if found.get() != dict.len() {
        for key in dict.keys() {
            let key = key.str()?.to_string();
            if !ENTE_FIELDS.split(", ").any(|f| f == key) {
                return Err(ente_error(
                    py,
                    key.clone(),
                    format!("unknown field `{key}`, expected one of {ENTE_FIELDS}"),
                ));
            }
        }
    }
    // In the order of the fields, so the first bad one is the one named.
    let id = string_into(id, "id", &mut ente.id)?;
    let name = string_into(name, "name", &mut ente.name)?;
    ente.kind = kind_in(&kind)?;
    ente.abitanti = abitanti.map(|v| count_in(&v, "abitanti")).transpose()?;
    ente.imprese = imprese.map(|v| count_in(&v, "imprese")).transpose()?;
    ente.counts_as_of = counts_as_of
        .map(|v| date_in(&v, "counts_as_of"))
        .transpose()?;
    let codice_fiscale = match codice_fiscale {
        Some(v) => Some(string_into(
            v,
            "codice_fiscale",
            ente.codice_fiscale.get_or_insert_default(),
        )?),
        None => {
            ente.codice_fiscale = None;
            None
        }
    };
    ente.validate().map_err(|e| to_py(py, &e, None))?;
    Ok(EnteText {
        id,
        name,
        codice_fiscale,
    })
}

/// The lines of a quote as dicts `{"rule", "label", "amount"}` (amount a `Decimal`): their
/// serialisation, through [`pyser::to_py`].
pub(crate) fn lines_out<'py>(
    py: Python<'py>,
    lines: &[cit_core::QuoteLine],
) -> PyResult<Bound<'py, PyList>> {
    Ok(pyser::to_py(py, lines)?.cast_into::<PyList>()?)
}

/// A quote as the dict of its JSON document, money as `Decimal`: its serialisation,
/// through [`pyser::to_py`].
pub(crate) fn quote_out<'py>(py: Python<'py>, q: &Quote) -> PyResult<Bound<'py, PyDict>> {
    Ok(pyser::to_py(py, q)?.cast_into::<PyDict>()?)
}
