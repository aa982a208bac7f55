//! Reading and writing the canonical JSON documents (DOMAIN §4).

use chrono::NaiveDate;
use serde::{Serialize, de::DeserializeOwned};

use crate::{Error, Result};

/// Parses `text` as a `document` of type `T`, mapping any failure to [`Error::Malformed`]
/// with the JSON path where it happened — also inside the internally tagged documents
/// (journal events, prices, quorums). Every `from_json` of the crate reads through it, and
/// the bindings use it for the documents that have none (a standing, a list of enti).
///
/// ```
/// use cit_core::registry::Event;
///
/// let text = r#"[{"type": "payment_received", "payment": "P-1", "payer": "017001",
///                 "date": "2021-04-01", "amount": "10.001"}]"#;
/// let e = cit_core::json::parse::<Vec<Event>>("journal", text).unwrap_err();
/// assert_eq!((e.code(), e.path().as_deref()), ("malformed", Some("[0].amount")));
/// ```
///
/// # Errors
/// [`Error::Malformed`] naming `document`, the path and serde's message.
pub fn parse<T: DeserializeOwned>(document: &'static str, text: &str) -> Result<T> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| malformed(document, e))?;
    de.end().map_err(|e| Error::Malformed {
        document,
        path: ".".to_owned(),
        message: e.to_string(),
    })?;
    Ok(value)
}

/// A date given as text outside a document (an argument of a binding), read exactly as the
/// documents read their dates (`"2021-04-01"`; chrono's `NaiveDate::from_str`), so that a
/// date means the same in an argument and in a document, in every binding.
///
/// ```
/// let d = cit_core::json::date("2021-04-01", "date").unwrap();
/// assert_eq!(d.to_string(), "2021-04-01");
/// let e = cit_core::json::date("2021-02-29", "date").unwrap_err();
/// assert_eq!((e.code(), e.path().as_deref()), ("invalid_value", Some("date")));
/// ```
///
/// # Errors
/// [`Error::InvalidValue`] at `path` for text that is not a date of the calendar.
pub fn date(text: &str, path: &str) -> Result<NaiveDate> {
    text.parse().map_err(|_| Error::InvalidValue {
        path: path.to_owned(),
        expected: "an ISO date YYYY-MM-DD".to_owned(),
        found: format!("{text:?}"),
    })
}

fn malformed(document: &'static str, e: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let outer = e.path().to_string();
    let (inner, message) = crate::tagged::split(&e.into_inner().to_string());
    Error::Malformed {
        document,
        path: crate::tagged::join(&outer, inner.as_deref()),
        message,
    }
}

/// Serialises a document. The documents of this crate have only string keys and no
/// floats, so this cannot fail.
pub(crate) fn to_string<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| unreachable!("document serialises: {e}"))
}
