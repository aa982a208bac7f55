//! Reading and writing the canonical JSON documents.

use serde::{Serialize, de::DeserializeOwned};

use crate::{Error, Result};

/// Parses `text` as a `document`, mapping any failure to [`Error::Malformed`] with the JSON
/// path where it happened.
pub(crate) fn parse<T: DeserializeOwned>(document: &'static str, text: &str) -> Result<T> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| malformed(document, e))?;
    de.end().map_err(|e| Error::Malformed {
        document,
        path: ".".to_owned(),
        message: e.to_string(),
    })?;
    Ok(value)
}

fn malformed(document: &'static str, e: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = e.path().to_string();
    let inner = e.into_inner();
    Error::Malformed {
        document,
        path,
        message: inner.to_string(),
    }
}

/// Serialises a document. The documents of this crate have only string keys and no
/// floats, so this cannot fail.
pub(crate) fn to_string<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| unreachable!("document serialises: {e}"))
}
