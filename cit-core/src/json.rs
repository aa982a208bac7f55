//! Reading and writing the canonical JSON documents (the README's *The tariff document*
//! and *The ente and quote documents*).

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
    read(text).map_err(|u| u.malformed(document))
}

/// Why a text could not be read, and where.
pub(crate) struct Unreadable {
    /// The path of the value, inner paths that [`crate::tagged`] carries in the message
    /// joined on.
    pub(crate) path: String,
    /// serde_json's message, without the position.
    pub(crate) message: String,
    /// The line of the position in the text, from 1; 0 if there is none.
    pub(crate) line: usize,
    /// The column of the position.
    pub(crate) column: usize,
}

// What does not depend on the type read is outside the generic functions, once in the code
// rather than once per document type (it matters in the wasm package).
impl Unreadable {
    fn at(path: String, e: &serde_json::Error) -> Unreadable {
        let (inner, message) = split(&without_position(e));
        Unreadable {
            path: join_path(&path, inner.as_deref().unwrap_or("")),
            message,
            line: e.line(),
            column: e.column(),
        }
    }

    fn traced(e: serde_path_to_error::Error<serde_json::Error>) -> Unreadable {
        let path = e.path().to_string();
        Unreadable::at(path, &e.into_inner())
    }

    pub(crate) fn malformed(self, document: &'static str) -> Error {
        Error::Malformed {
            document,
            path: self.path,
            message: match self.line {
                0 => self.message,
                line => format!("{} at line {line} column {}", self.message, self.column),
            },
        }
    }
}

/// Reads `text` as a `T`, following the path with serde_path_to_error.
pub(crate) fn read<T: DeserializeOwned>(text: &str) -> std::result::Result<T, Unreadable> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(Unreadable::traced)?;
    de.end().map_err(|e| Unreadable::at(".".to_owned(), &e))?;
    Ok(value)
}

/// [`read`], first without following the path: for the documents read by the hundred
/// thousand (a journal replayed), where serde_path_to_error's bookkeeping costs as much as
/// the parse. Only a text that fails is read again, with the path, so the error is the one
/// [`read`] gives.
pub(crate) fn read_fast<T: DeserializeOwned>(text: &str) -> std::result::Result<T, Unreadable> {
    serde_json::from_str(text).or_else(|_| read(text))
}

/// `inner`, a path inside the value found at `outer`, as a path from the document's root,
/// written as serde_path_to_error writes paths (`.` is the root itself). The bindings place
/// an error about one item of a list with it (`enti[3]` and `abitanti`).
///
/// ```
/// use cit_core::json::join_path;
///
/// assert_eq!(join_path("enti[3]", "abitanti"), "enti[3].abitanti");
/// assert_eq!(join_path("services[0]", "[2].x"), "services[0][2].x");
/// assert_eq!(join_path(".", "amount"), "amount");
/// assert_eq!(join_path("enti[3]", "."), "enti[3]");
/// assert_eq!(join_path("enti[3]", ""), "enti[3]");
/// ```
pub fn join_path(outer: &str, inner: &str) -> String {
    match inner {
        "" | "." => outer.to_owned(),
        _ if outer.is_empty() || outer == "." => inner.to_owned(),
        _ if inner.starts_with('[') => format!("{outer}{inner}"),
        _ => format!("{outer}.{inner}"),
    }
}

/// serde_json's message of `e` without the position its `Display` appends.
pub(crate) fn without_position(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match message.strip_suffix(&suffix) {
        Some(bare) if e.line() != 0 => bare.to_owned(),
        _ => message,
    }
}

/// Marks the start and the end of an inner path at the head of an error message: a reader
/// of an inner document ([`crate::tagged`]) can hand serde only a message, so it carries
/// its path there ([`marked`]) and [`Unreadable`] takes it back out ([`split`]). A path may
/// hold it only inside a key (`{"a\u001fb": 1}`, an unknown field), where [`marked`] writes
/// it escaped.
const MARK: char = '\u{1f}';

/// `message` carrying `path` for [`split`] (none when the path is empty). A MARK inside
/// the path (from a key) is written `\u001f`, as JSON would, so that the path ends at the
/// second MARK.
pub(crate) fn marked(path: &str, message: &str) -> String {
    if path.is_empty() {
        message.to_owned()
    } else {
        let path = path.replace(MARK, "\\u001f");
        format!("{MARK}{path}{MARK}{message}")
    }
}

/// The inner path an error message carries, and the message without it.
fn split(message: &str) -> (Option<String>, String) {
    message
        .strip_prefix(MARK)
        .and_then(|rest| rest.split_once(MARK))
        .map_or((None, message.to_owned()), |(path, rest)| {
            (Some(path.to_owned()), rest.to_owned())
        })
}

/// The error of a document read by a deserializer other than serde_json (a binding's reader
/// of its host's values, with serde_path_to_error): [`Error::Malformed`] at `path` joined
/// with the inner path a tagged document carries in `message`, as [`parse`] reports it.
#[doc(hidden)]
pub fn malformed(document: &'static str, path: &str, message: &str) -> Error {
    let (inner, message) = split(message);
    Error::Malformed {
        document,
        path: join_path(path, inner.as_deref().unwrap_or("")),
        message,
    }
}

/// The names under which the tagged documents (events, prices, standings, quorums, payer
/// shares) ask a deserializer for themselves: this prefix, then the tag
/// (`cit::tagged::type`). serde_json knows no such name and hands itself over; a binding's
/// reader of its host's values that knows it gives the object as a map whose first entry is
/// the tag (`crate::tagged`).
#[doc(hidden)]
pub const TAGGED_PREFIX: &str = "cit::tagged::";

/// A date given as text outside a document (an argument of a binding), read exactly as the
/// documents read their dates: ISO `YYYY-MM-DD`, four digits, two and two, a
/// real day of the calendar. Nothing else is a date: not `"22-03-01"` (which chrono's own
/// reader takes for the year 22), not `"2022-3-1"`, not `" 2022-03-01"`.
///
/// ```
/// let d = cit_core::json::date("2021-04-01", "date").unwrap();
/// assert_eq!(d.to_string(), "2021-04-01");
/// for bad in ["2021-02-29", "21-04-01", "2021-4-1", "2021-04-01 "] {
///     let e = cit_core::json::date(bad, "date").unwrap_err();
///     assert_eq!((e.code(), e.path().as_deref()), ("invalid_value", Some("date")));
/// }
/// ```
///
/// # Errors
/// [`Error::InvalidValue`] at `path` for text that is not a date `YYYY-MM-DD`.
pub fn date(text: &str, path: &str) -> Result<NaiveDate> {
    iso_date(text).ok_or_else(|| Error::InvalidValue {
        path: path.to_owned(),
        expected: "an ISO date YYYY-MM-DD".to_owned(),
        found: format!("{text:?}"),
    })
}

/// `YYYY-MM-DD` as a day of the calendar, or `None`.
pub(crate) fn iso_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(number(&b[..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, number(&b[5..7])?, number(&b[8..])?)
}

/// Serialises a document. The documents of this crate have only string keys and no
/// floats, so this cannot fail.
pub(crate) fn to_string<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| unreachable!("document serialises: {e}"))
}
