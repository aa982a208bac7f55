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
mod tariff;

use cit_core::Money;
use wasm_bindgen::prelude::*;

use crate::interop::{JsResult, array_in, error_out, money_in, strings_out};

#[cfg(feature = "full")]
pub use analysis::{break_even, candidates, check_price, is_small, saving, simulate};
#[cfg(feature = "full")]
pub use governance::{Board, yearly};
#[cfg(feature = "full")]
pub use pagopa::{
    iuv, notice_number, read_flow, valid_codice_fiscale, valid_iuv, valid_notice_number,
};
#[cfg(feature = "full")]
pub use registry::{Registry, journal_entry};
pub use tariff::Tariff;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");
#[wasm_bindgen(typescript_custom_section)]
const GENERATED_TYPES: &str = include_str!("types.generated.d.ts");

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
    cit_core::Rule::ALL
        .iter()
        .map(|r| JsValue::from_str(r.id()))
        .collect()
}

/// The version of the package (the crate's version).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
