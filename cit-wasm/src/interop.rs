//! Every conversion between JavaScript values and core values lives here.
//!
//! Documents cross the boundary as their canonical JSON (the documents of the README): a JS object is
//! serialised with `JSON.stringify` and read by the core's own parser (so unknown fields,
//! wrong types and missing counts give the same errors, with the same JSON paths, as in
//! Rust and Python); a core value is written by the core's serialiser and handed to JS with
//! `JSON.parse`. Money therefore always reaches JS as a decimal string, never as a number;
//! dates are ISO strings.

use std::str::FromStr;

use chrono::NaiveDate;
use cit_core::{Error, Money};
use js_sys::{Array, JSON, Reflect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

/// What every exported function returns: a value, or a thrown `Error` made by [`error_out`].
pub(crate) type JsResult<T> = Result<T, JsValue>;

/// A core error as a thrown JS `Error`: `name` `"CitError"`, the core's message, `code`
/// (the core's [`Error::code`] slug), `path` (string or `null`) and, from the error's
/// [`Error::root`] (the event's own error inside a journal or batch), `problems` for an
/// invalid document (`{path, expected, found}` each) or `expected` and `actual` for a
/// version conflict.
pub(crate) fn error_out(e: &Error) -> JsValue {
    thrown(e, e.path())
}

/// As [`error_out`], with the path prefixed by `within` (`enti[3]` → `enti[3].abitanti`).
#[cfg(feature = "full")]
pub(crate) fn error_at(e: &Error, within: Option<&str>) -> JsValue {
    let path = match (within, e.path()) {
        (Some(w), p) => Some(cit_core::json::join_path(w, p.as_deref().unwrap_or(""))),
        (None, p) => p,
    };
    thrown(e, path)
}

/// The thrown `Error` of [`error_out`], at `path`.
fn thrown(e: &Error, path: Option<String>) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("CitError");
    set(&err, "code", &JsValue::from_str(e.code()));
    set(
        &err,
        "path",
        &path.map_or(JsValue::NULL, |p| JsValue::from_str(&p)),
    );
    match e.root() {
        Error::Invalid { problems, .. } => {
            let list = Array::new();
            for p in problems {
                let o = js_sys::Object::new();
                set(&o, "path", &JsValue::from_str(&p.path));
                set(&o, "expected", &JsValue::from_str(&p.expected));
                set(&o, "found", &JsValue::from_str(&p.found));
                list.push(&o);
            }
            set(&err, "problems", &list);
        }
        // Only the registry's appends conflict (not in the calculator's build).
        #[cfg(feature = "full")]
        Error::VersionConflict { expected, actual } => {
            set(&err, "expected", &number_out(*expected));
            set(&err, "actual", &number_out(*actual));
        }
        _ => {}
    }
    err.into()
}

/// A count (a version, a position in the journal) as a JS number, not a `BigInt`: exact
/// for every count up to 2^53, far beyond any journal.
#[cfg(feature = "full")]
pub(crate) fn number_out(n: u64) -> JsValue {
    JsValue::from_f64(n as f64)
}

/// A thrown error about an item of a list, placed where it was: its `path` prefixed by
/// `within` (`events[3]` → `events[3].amount`), as [`error_at`] places a core error.
#[cfg(feature = "full")]
pub(crate) fn prefix_path(err: JsValue, within: &str) -> JsValue {
    if let Some(p) = field(&err, "path").as_string() {
        let joined = cit_core::json::join_path(within, &p);
        let _ = Reflect::set(&err, &"path".into(), &joined.into());
    }
    err
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    // Setting a data property on a fresh object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// Maps a core result to a thrown error.
pub(crate) trait OrThrow<T> {
    /// The value, or the core error as a JS `Error`.
    fn or_throw(self) -> JsResult<T>;
}

impl<T> OrThrow<T> for cit_core::Result<T> {
    fn or_throw(self) -> JsResult<T> {
        self.map_err(|e| error_out(&e))
    }
}

/// An argument out of its domain, as the core reports one.
pub(crate) fn invalid(path: &str, expected: &str, found: String) -> JsValue {
    error_out(&Error::InvalidValue {
        path: path.to_owned(),
        expected: expected.to_owned(),
        found,
    })
}

pub(crate) fn describe(value: &JsValue) -> String {
    if value.is_undefined() {
        return "undefined".to_owned();
    }
    // What JSON cannot write (a function, a symbol, a BigInt) is named by its type.
    JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .or_else(|| value.js_typeof().as_string().map(|t| format!("a {t}")))
        .unwrap_or_default()
}

/// The JSON text of a document given either as a string of JSON or as a plain object (or,
/// in the full package, any object with a `toJson()` method, such as a `Board`).
pub(crate) fn document_text(value: &JsValue, path: &str) -> JsResult<String> {
    if let Some(s) = value.as_string() {
        return Ok(s);
    }
    if value.is_object() {
        // A handle of the package (a `Board`) is given by its own JSON; the calculator's
        // build has no such handle to take.
        #[cfg(feature = "full")]
        if let Ok(to_json) = Reflect::get(value, &JsValue::from_str("toJson")) {
            if let Some(f) = to_json.dyn_ref::<js_sys::Function>() {
                if let Some(s) = f.call0(value)?.as_string() {
                    return Ok(s);
                }
            }
        }
        // Throws a TypeError for a BigInt or a cycle: let it through unchanged.
        if let Some(s) = JSON::stringify(value)?.as_string() {
            return Ok(s);
        }
    }
    Err(invalid(
        path,
        "a JSON document (a string or a plain object)",
        describe(value),
    ))
}

/// Reads a document that the core has no `from_json` for (an event, a standing, a list of
/// enti) with the core's reader: [`Error::Malformed`] at the JSON path of the problem.
pub(crate) fn parse<T: DeserializeOwned>(document: &'static str, text: &str) -> JsResult<T> {
    cit_core::json::parse(document, text).map_err(|e| error_out(&e))
}

/// A document of type `T` from a JS value (object or JSON text).
pub(crate) fn document_in<T: DeserializeOwned>(
    document: &'static str,
    value: &JsValue,
) -> JsResult<T> {
    parse(document, &document_text(value, document)?)
}

/// A core value as a plain JS object, through its canonical JSON.
pub(crate) fn json_out<T: Serialize + ?Sized>(value: &T) -> JsResult<JsValue> {
    let text = serde_json::to_string(value).map_err(|e| {
        invalid(
            ".",
            "a value that serialises to JSON",
            format!("an error: {e}"),
        )
    })?;
    text_out(&text)
}

/// JSON text (as the core writes it) as a plain JS object.
pub(crate) fn text_out(text: &str) -> JsResult<JsValue> {
    JSON::parse(text)
}

/// A list of JS values from an array argument.
pub(crate) fn array_in(value: &JsValue, path: &str) -> JsResult<Array> {
    if Array::is_array(value) {
        Ok(value.clone().unchecked_into())
    } else {
        Err(invalid(path, "an array", describe(value)))
    }
}

/// An ISO date (`YYYY-MM-DD`), read as the core reads a document's dates.
pub(crate) fn date_in(value: &str, path: &str) -> JsResult<NaiveDate> {
    cit_core::json::date(value, path).map_err(|e| error_out(&e))
}

/// A year: a whole number that fits an `i32` (JS numbers arrive as `f64`).
pub(crate) fn year_in(value: &JsValue, path: &str) -> JsResult<i32> {
    integer_in(value, path)
        .and_then(|n| i32::try_from(n).map_err(|_| invalid(path, "a year", describe(value))))
}

/// A whole number of JS (a safe integer), or a `BigInt`, or a string of digits.
pub(crate) fn integer_in(value: &JsValue, path: &str) -> JsResult<i64> {
    let text =
        integer_text(value).ok_or_else(|| invalid(path, "a whole number", describe(value)))?;
    text.trim()
        .parse::<i64>()
        .map_err(|_| invalid(path, "a whole number", describe(value)))
}

/// The decimal text of a whole number given as a string, a `BigInt` or a safe integer.
fn integer_text(value: &JsValue) -> Option<String> {
    if let Some(s) = value.as_string() {
        Some(s)
    } else if let Some(big) = value.dyn_ref::<js_sys::BigInt>() {
        big.to_string(10).ok().and_then(|s| s.as_string())
    } else if js_sys::Number::is_safe_integer(value) {
        Some(describe(value))
    } else {
        None
    }
}

/// A count (abitanti, imprese, a quantity): a whole number, zero or more.
pub(crate) fn count_in(value: &JsValue, path: &str) -> JsResult<u64> {
    integer_in(value, path).and_then(|n| {
        u64::try_from(n).map_err(|_| invalid(path, "a whole number, zero or more", describe(value)))
    })
}

/// A column of counts: a `Uint32Array` or an array of whole numbers.
#[cfg(feature = "full")]
pub(crate) fn counts_in(value: &JsValue, path: &str) -> JsResult<Vec<u64>> {
    if let Some(typed) = value.dyn_ref::<js_sys::Uint32Array>() {
        return Ok(typed.to_vec().into_iter().map(u64::from).collect());
    }
    let array = array_in(value, path)?;
    array
        .iter()
        .enumerate()
        .map(|(i, v)| count_in(&v, &format!("{path}[{i}]")))
        .collect()
}

/// An amount of money: a decimal string (`"12.50"`), or a JS number read from its decimal
/// text (never through float arithmetic).
pub(crate) fn money_in(value: &JsValue, path: &str) -> JsResult<Money> {
    let text = match value.as_string() {
        Some(s) => s,
        None if value.as_f64().is_some() => describe(value),
        None => {
            return Err(invalid(
                path,
                "an amount as a decimal string",
                describe(value),
            ));
        }
    };
    Money::from_str(&text).map_err(|_| {
        invalid(
            path,
            "an amount in euro, at most to the cent",
            describe(value),
        )
    })
}

/// A property of an options object, `undefined` when absent.
#[cfg(feature = "full")]
pub(crate) fn field(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A list of strings as a JS array.
pub(crate) fn strings_out<S: AsRef<str>>(items: &[S]) -> Array {
    items
        .iter()
        .map(|s| JsValue::from_str(s.as_ref()))
        .collect()
}
