//! `Registry`: memberships, subscriptions, billing runs and the ledger (R-JOIN … R-LEDGER);
//! its pagoPA methods are in `pagopa`.

use cit_core::{Error, Event};
use wasm_bindgen::prelude::*;

use crate::interop::{
    JsResult, OrThrow, array_in, count_in, date_in, document_in, document_text, error_at, json_out,
    number_out, year_in,
};

/// The registry of a CIT: an append-only journal of events whose fold is the state.
#[wasm_bindgen]
pub struct Registry {
    inner: cit_core::Registry,
}

impl Registry {
    pub(crate) fn core(&self) -> &cit_core::Registry {
        &self.inner
    }
}

impl Default for Registry {
    fn default() -> Registry {
        Registry::new()
    }
}

#[wasm_bindgen]
impl Registry {
    /// An empty registry.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Registry {
        Registry {
            inner: cit_core::Registry::new(),
        }
    }

    /// Replays a journal (the JSON text that `toJson` writes).
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> JsResult<Registry> {
        Ok(Registry {
            inner: cit_core::Registry::from_json(text).or_throw()?,
        })
    }

    /// The journal as JSON text; `fromJson` replays it to an equal registry.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The journal: every event applied, in order.
    #[wasm_bindgen(unchecked_return_type = "RegistryEvent[]")]
    pub fn events(&self) -> JsResult<JsValue> {
        json_out(self.inner.events())
    }

    /// The journal's version: the number of events recorded (R-JOURNAL). An append that
    /// names the version it expects is refused if another writer changed it first.
    #[wasm_bindgen(getter, unchecked_return_type = "number")]
    pub fn version(&self) -> JsValue {
        number_out(self.inner.version())
    }

    /// Applies one event (`{type: "membership_approved", …}`, or its JSON text). An event
    /// that breaks a rule is thrown back and nothing changes. Returns what was done:
    /// `{outcome: "recorded", seq}`, `{outcome: "already_recorded", seq}` (identical to the
    /// event at `seq`: a retry, nothing changed) or `{outcome: "unchanged"}` (a billing run
    /// that issues nothing). With `expectedVersion`, applied only if the journal is at that
    /// version (R-JOURNAL), else a `version_conflict` with `expected` and `actual`.
    #[wasm_bindgen(unchecked_return_type = "Applied")]
    pub fn apply(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "RegistryEvent | string")] event: JsValue,
        #[wasm_bindgen(js_name = expectedVersion, unchecked_optional_param_type = "number | null")]
        expected_version: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let expected = expected_in(expected_version)?;
        let event: Event = document_in("event", &event)?;
        let applied = match expected {
            Some(v) => self.inner.apply_expecting(v, event),
            None => self.inner.apply(event),
        };
        json_out(&applied.or_throw()?)
    }

    /// Applies a list of events (objects or JSON texts), all or none (R-JOURNAL): if one is
    /// malformed or refused, nothing is applied and the error's `path` names its position
    /// (`events[3].amount`). One outcome per event, as `apply` returns. With
    /// `expectedVersion`, applied only if the journal is at that version; the same list
    /// again at the same version (a retry) changes nothing and every event is
    /// `already_recorded`.
    #[wasm_bindgen(js_name = applyAll, unchecked_return_type = "Applied[]")]
    pub fn apply_all(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "(RegistryEvent | string)[]")] events: JsValue,
        #[wasm_bindgen(js_name = expectedVersion, unchecked_optional_param_type = "number | null")]
        expected_version: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let expected = expected_in(expected_version)?;
        let list = array_in(&events, "events")?;
        let mut batch = Vec::with_capacity(usize::try_from(list.length()).unwrap_or(0));
        for (index, value) in list.iter().enumerate() {
            let text = document_text(&value, &format!("events[{index}]"))?;
            let event = Event::from_json(&text).map_err(|source| {
                error_at(
                    &Error::InEvent {
                        index,
                        source: Box::new(source),
                    },
                    Some("events"),
                )
            })?;
            batch.push(event);
        }
        let applied = self.inner.apply_all(expected, batch).map_err(|e| match e {
            // The core's path (`[3].amount`) reads better as `events[3].amount`.
            Error::InEvent { .. } => error_at(&e, Some("events")),
            other => error_at(&other, None),
        })?;
        json_out(&applied)
    }

    /// The yearly billing run (R-RUN): the ids of the charges issued (none when the year
    /// was already billed).
    #[wasm_bindgen(js_name = billingRun)]
    pub fn billing_run(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] year: JsValue,
        issued: &str,
        due: &str,
    ) -> JsResult<Vec<String>> {
        let year = year_in(&year, "year")?;
        let issued = date_in(issued, "issued")?;
        let due = date_in(due, "due")?;
        self.inner.billing_run(year, issued, due).or_throw()
    }

    /// Every charge issued, in order.
    #[wasm_bindgen(unchecked_return_type = "Charge[]")]
    pub fn charges(&self) -> JsResult<JsValue> {
        json_out(self.inner.charges())
    }

    /// The charge with this id, or `undefined`.
    #[wasm_bindgen(unchecked_return_type = "Charge | undefined")]
    pub fn charge(&self, id: &str) -> JsResult<JsValue> {
        match self.inner.charge(id) {
            Some(c) => json_out(c),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Every payment received, in order.
    #[wasm_bindgen(unchecked_return_type = "Payment[]")]
    pub fn payments(&self) -> JsResult<JsValue> {
        json_out(self.inner.payments())
    }

    /// The registered enti, by id.
    #[wasm_bindgen(unchecked_return_type = "Ente[]")]
    pub fn enti(&self) -> JsResult<JsValue> {
        json_out(&self.inner.enti().collect::<Vec<_>>())
    }

    /// The balance of an ente on a date (R-LEDGER): charged, paid, outstanding, credit.
    #[wasm_bindgen(unchecked_return_type = "Balance")]
    pub fn balance(&self, ente: &str, at: &str) -> JsResult<JsValue> {
        let at = date_in(at, "at")?;
        json_out(&self.inner.balance(ente, at).or_throw()?)
    }

    /// The balance of every registered ente on a date.
    #[wasm_bindgen(unchecked_return_type = "Balance[]")]
    pub fn balances(&self, at: &str) -> JsResult<JsValue> {
        let at = date_in(at, "at")?;
        json_out(&self.inner.balances(at).or_throw()?)
    }

    /// The canoni awaiting confirmation for `year` and where each stands (R-RENEW).
    #[wasm_bindgen(js_name = renewalCampaign, unchecked_return_type = "RenewalItem[]")]
    pub fn renewal_campaign(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] year: JsValue,
    ) -> JsResult<JsValue> {
        let year = year_in(&year, "year")?;
        json_out(&self.inner.renewal_campaign(year))
    }

    /// Prices a service for a registered ente on a date, with the standing the registry
    /// knows (R-TIER, R-MEMBERS-ONLY).
    #[wasm_bindgen(js_name = priceService, unchecked_return_type = "ServiceQuote")]
    pub fn price_service(
        &self,
        ente: &str,
        service: &str,
        #[wasm_bindgen(unchecked_param_type = "number")] quantity: JsValue,
        date: &str,
    ) -> JsResult<JsValue> {
        let quantity = count_in(&quantity, "quantity")?;
        let date = date_in(date, "date")?;
        json_out(
            &self
                .inner
                .price_service(ente, service, quantity, date)
                .or_throw()?,
        )
    }
}

/// The version an append expects: absent (`undefined` or `null`: no check) or a whole
/// number, zero or more.
fn expected_in(value: Option<JsValue>) -> JsResult<Option<u64>> {
    value
        .filter(|v| !v.is_null() && !v.is_undefined())
        .map(|v| count_in(&v, "expected_version"))
        .transpose()
}

/// One event as a journal stores it (R-JOURNAL): `{type, key, event}` — its type, its key
/// (`"payment:P-1"`, unique in a journal; `null` for a billing run or a capofila agreement)
/// and its canonical JSON, the text a durable journal keeps and hashes. The event is read
/// (an object or JSON text), not checked against a registry.
#[wasm_bindgen(js_name = journalEntry, unchecked_return_type = "JournalEntry")]
pub fn journal_entry(
    #[wasm_bindgen(unchecked_param_type = "RegistryEvent | string")] event: JsValue,
) -> JsResult<JsValue> {
    let event: Event = document_in("event", &event)?;
    json_out(&event.journal_entry())
}
