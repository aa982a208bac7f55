//! One event as a JSON document, for callers that append events one at a time (the
//! bindings, a portal's form).

use super::Event;
use crate::{Result, json};

impl Event {
    /// Reads one event (`{"type": "payment_received", …}`); unknown fields are refused.
    ///
    /// # Errors
    /// [`Error::Malformed`](crate::Error::Malformed) with the JSON path of the problem.
    ///
    /// # Example
    /// ```
    /// use cit_core::registry::Event;
    ///
    /// let e = Event::from_json(r#"{"type": "ente_registered", "ente":
    ///     {"id": "017001", "name": "Acquafredda", "kind": "comune", "abitanti": 1600, "imprese": 120}}"#)?;
    /// assert_eq!(Event::from_json(&e.to_json())?, e);
    /// assert_eq!(Event::from_json(r#"{"type": "nope"}"#).unwrap_err().code(), "malformed");
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Event> {
        json::parse("event", text)
    }

    /// The event as its JSON document.
    pub fn to_json(&self) -> String {
        json::to_string(self)
    }
}
