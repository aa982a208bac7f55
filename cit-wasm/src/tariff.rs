//! `Tariff`: the quota di adesione (R-FIX … R-PRORATA) and the services of its catalogue
//! (R-TIER … R-ENTITLE).

use cit_core::{Ente, Quote, Standing};
use wasm_bindgen::prelude::*;

#[cfg(feature = "full")]
use crate::Board;
use crate::interop::{
    JsResult, OrThrow, count_in, date_in, document_in, document_text, json_out, text_out, year_in,
};
#[cfg(feature = "full")]
use crate::interop::{counts_in, error_at, prefix_path};

/// A validated tariff (the README's *The tariff document*): prices the quota di adesione of any ente for the years
/// of its period, and the services of its catalogue.
#[wasm_bindgen]
pub struct Tariff {
    inner: cit_core::Tariff,
}

#[cfg(feature = "full")]
impl Tariff {
    pub(crate) fn core(&self) -> &cit_core::Tariff {
        &self.inner
    }
}

fn ente_in(value: &JsValue) -> JsResult<Ente> {
    Ente::from_json(&document_text(value, "ente")?).or_throw()
}

fn quote_out(q: &Quote) -> JsResult<JsValue> {
    text_out(&q.to_json())
}

#[wasm_bindgen]
impl Tariff {
    /// Reads and validates a tariff document (JSON text).
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> JsResult<Tariff> {
        Ok(Tariff {
            inner: cit_core::Tariff::from_json(text).or_throw()?,
        })
    }

    /// The tariff as its JSON document (text).
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The tariff as a plain object shaped like its JSON document.
    #[wasm_bindgen(unchecked_return_type = "TariffDocument")]
    pub fn document(&self) -> JsResult<JsValue> {
        text_out(&self.inner.to_json())
    }

    /// The tariff's id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.inner.id().to_owned()
    }

    /// The tariff's name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.inner.document().name.clone()
    }

    /// The first and last day the tariff prices, as ISO dates.
    #[wasm_bindgen(getter, unchecked_return_type = "Period")]
    pub fn period(&self) -> JsResult<JsValue> {
        json_out(&self.inner.document().period)
    }

    /// The date the counts used to price `year` must refer to (R-CAP): the tariff's
    /// `counts_as_of` for that year, an ISO date (`undefined` for a year whose date the
    /// calendar does not have).
    #[wasm_bindgen(js_name = countsDate)]
    pub fn counts_date(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] year: JsValue,
    ) -> JsResult<Option<String>> {
        let year = year_in(&year, "year")?;
        Ok(self.inner.counts_date(year).map(|d| d.to_string()))
    }

    /// The citation of the deliberation that adopted the tariff, if any (R-ADOPT). Not in
    /// the calculator's build (`cit-wasm/quota`), which prices a tariff and shows no act.
    #[cfg(feature = "full")]
    #[wasm_bindgen(getter)]
    pub fn adoption(&self) -> Option<String> {
        self.inner
            .document()
            .adoption
            .as_ref()
            .map(|a| a.citation())
    }

    /// The quota of `ente` for `year` (R-CAP … R-ROUND): a plain object shaped like the
    /// Quote JSON, money as strings. With `start` (an ISO date), the quota of a membership
    /// starting that day (R-PRORATA).
    #[wasm_bindgen(unchecked_return_type = "Quote")]
    pub fn quote(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ente | string")] ente: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] year: JsValue,
        start: Option<String>,
    ) -> JsResult<JsValue> {
        let ente = ente_in(&ente)?;
        let year = year_in(&year, "year")?;
        let quote = match start {
            Some(s) => self.inner.quote_from(&ente, year, date_in(&s, "start")?),
            None => self.inner.quote(&ente, year),
        };
        quote_out(&quote.or_throw()?)
    }

    /// The quotas of many enti for `year`; an error names the position of the ente
    /// (`enti[17].abitanti`). Not in the calculator's build (`cit-wasm/quota`).
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = quoteMany, unchecked_return_type = "Quote[]")]
    pub fn quote_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ente[]")] enti: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] year: JsValue,
    ) -> JsResult<JsValue> {
        let year = year_in(&year, "year")?;
        let list: Vec<Ente> = document_in("ente", &enti).map_err(|e| {
            // The core's path (`[3].abitanti`) reads better as `enti[3].abitanti`.
            prefix_path(e, "enti")
        })?;
        let mut out = String::from("[");
        for (i, ente) in list.iter().enumerate() {
            let quote = ente
                .validate()
                .and_then(|()| self.inner.quote(ente, year))
                .map_err(|e| error_at(&e, Some(&format!("enti[{i}]"))))?;
            if i > 0 {
                out.push(',');
            }
            out.push_str(&quote.to_json());
        }
        out.push(']');
        text_out(&out)
    }

    /// Totals of comuni given as two columns of counts (taken at the tariff's reference
    /// date), as decimal strings: the fast path for a whole territory. Not in the
    /// calculator's build (`cit-wasm/quota`).
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = quoteTotals)]
    pub fn quote_totals(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Uint32Array | number[]")] abitanti: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint32Array | number[]")] imprese: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] year: JsValue,
    ) -> JsResult<Vec<String>> {
        let ab = counts_in(&abitanti, "abitanti")?;
        let imp = counts_in(&imprese, "imprese")?;
        let year = year_in(&year, "year")?;
        let totals = self.inner.quote_totals(&ab, &imp, year).or_throw()?;
        Ok(totals
            .into_iter()
            .map(cit_core::Money::to_plain_string)
            .collect())
    }

    /// Prices `quantity` of service `service` for `ente` on `date` (R-TIER, R-PRICE,
    /// R-MEMBERS-ONLY, R-ENTITLE), for a member (`{standing: "member", membership, from,
    /// to}`) or a non-member (`{standing: "non_member"}`).
    #[wasm_bindgen(js_name = priceService, unchecked_return_type = "ServiceQuote")]
    pub fn price_service(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ente | string")] ente: JsValue,
        service: &str,
        #[wasm_bindgen(unchecked_param_type = "number")] quantity: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Standing")] standing: JsValue,
        date: &str,
    ) -> JsResult<JsValue> {
        let ente = ente_in(&ente)?;
        let quantity = count_in(&quantity, "quantity")?;
        let standing: Standing = document_in("standing", &standing)?;
        let date = date_in(date, "date")?;
        let q = self
            .inner
            .price_service(&ente, service, quantity, &standing, date)
            .or_throw()?;
        json_out(&q)
    }

    /// What the tariff linter finds (`{code, path, message}` each). Not in the calculator's
    /// build (`cit-wasm/quota`).
    #[cfg(feature = "full")]
    #[wasm_bindgen(unchecked_return_type = "LintWarning[]")]
    pub fn lint(&self) -> JsResult<JsValue> {
        json_out(&self.inner.lint())
    }

    /// This tariff as adopted by motion `motion` of the sitting of `board` on `meeting`
    /// (R-ADOPT); refused unless the board is the Tavolo Strategico, the sitting had quorum
    /// and the motion passed. Not in the calculator's build (`cit-wasm/quota`).
    #[cfg(feature = "full")]
    pub fn adopt(&self, board: &Board, meeting: &str, motion: &str) -> JsResult<Tariff> {
        let sitting = board.sitting(meeting)?;
        Ok(Tariff {
            inner: self.inner.adopt(board.core(), sitting, motion).or_throw()?,
        })
    }
}
