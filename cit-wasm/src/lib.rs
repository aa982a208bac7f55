//! # cit-wasm
//!
//! The WebAssembly package of `cit` for the browser and Node (`cit-wasm/package.json`).
//! Conversion code only: every rule lives in `cit-core`. A `#[wasm_bindgen]` struct holds
//! a core value and delegates to it; the conversions live in one module, `interop`.
//!
//! - Documents go in as plain objects or JSON text and come out as plain objects shaped
//!   like their canonical JSON (the documents of the README): money is always a decimal **string**, dates
//!   are ISO strings.
//! - Errors are thrown JS `Error`s (`name` `"CitError"`) with `code` (the core's
//!   `Error::code()` slug), `path` and, for an invalid document, `problems`.
//! - The TypeScript declarations of the domain types are in `types.d.ts`
//!   (a `typescript_custom_section`), and the methods name them.
//!
//! With the default feature `full`, every binding; without it, the calculator's build
//! (`cit-wasm/quota`): `Tariff` one ente at a time (without `adopt`, `lint`, `quoteMany`
//! and `quoteTotals`), `sumMoney`, `formatEuro`, `errorCodes`, `rules` and `version`, the
//! same code of the core in a `.wasm` under 120 KB gzipped.

#[cfg(feature = "full")]
mod analysis;
#[cfg(feature = "full")]
mod governance;
mod interop;
#[cfg(feature = "full")]
mod pagopa;
#[cfg(feature = "full")]
mod registry;

use cit_core::{Ente, Money, Quote, Standing};
use wasm_bindgen::prelude::*;

use crate::interop::{
    JsResult, OrThrow, array_in, count_in, date_in, document_in, document_text, error_out,
    json_out, money_in, strings_out, text_out, year_in,
};
#[cfg(feature = "full")]
use crate::interop::{counts_in, error_at, prefix_path};

#[cfg(feature = "full")]
pub use analysis::{break_even, candidates, simulate};
#[cfg(feature = "full")]
pub use governance::{Board, yearly};
#[cfg(feature = "full")]
pub use pagopa::{
    iuv, notice_number, read_flow, valid_codice_fiscale, valid_iuv, valid_notice_number,
};
#[cfg(feature = "full")]
pub use registry::Registry;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

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

    /// The citation of the deliberation that adopted the tariff, if any (R-ADOPT).
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
        Ok(totals.into_iter().map(Money::to_plain_string).collect())
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

/// The exact sum of amounts given as decimal strings, as a decimal string (`"1234.56"`).
/// For adding quota and services in a page without floating point.
#[wasm_bindgen(js_name = sumMoney)]
pub fn sum_money(
    #[wasm_bindgen(unchecked_param_type = "string[]")] amounts: JsValue,
) -> JsResult<String> {
    let list = array_in(&amounts, "amounts")?;
    let mut total = Money::ZERO;
    for (i, v) in list.iter().enumerate() {
        let path = format!("amounts[{i}]");
        let m = money_in(&v, &path)?;
        total = total.checked_add(m).ok_or_else(|| {
            error_out(&cit_core::Error::Overflow {
                path,
                operation: format!("{total} + {m}"),
            })
        })?;
    }
    Ok(total.to_plain_string())
}

/// An amount (a decimal string such as `"-1234.5"`) in the Italian display form the core
/// prints: `"€ 1.234,56"`, `"-€ 0,50"`.
#[wasm_bindgen(js_name = formatEuro)]
pub fn format_euro(
    #[wasm_bindgen(unchecked_param_type = "string")] amount: JsValue,
) -> JsResult<String> {
    Ok(money_in(&amount, "amount")?.to_string())
}

/// Every code a thrown `CitError` can carry (the core's `Error::CODES`).
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "ErrorCode[]")]
pub fn error_codes() -> js_sys::Array {
    strings_out(cit_core::Error::CODES)
}

/// Every rule id (`R-CAP`, …) a quote line can cite.
#[wasm_bindgen(unchecked_return_type = "RuleId[]")]
pub fn rules() -> js_sys::Array {
    let ids: Vec<&str> = cit_core::Rule::ALL.iter().map(|r| r.id()).collect();
    strings_out(&ids)
}

/// The version of the package (the crate's version).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
