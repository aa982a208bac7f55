//! pagoPA (R-NOTICE, R-RECONCILE): the numero avviso, the IUV and the codice fiscale, the
//! flusso di rendicontazione, and the registry's notices, GPD debt positions and
//! reconciliation. Not in the calculator's build (`cit-wasm/quota`).

use cit_core::pagopa;
use wasm_bindgen::prelude::*;

use crate::interop::{JsResult, OrThrow, json_out, text_out, year_in};
use crate::registry::Registry;

/// The numero avviso of a notice (R-NOTICE): the aux digit 3, the codice di segregazione
/// (`"00"` to `"49"`), the 13-digit IUV base and the two check digits, 18 digits.
#[wasm_bindgen(js_name = noticeNumber)]
pub fn notice_number(
    #[wasm_bindgen(js_name = segregationCode)] segregation_code: &str,
    base: &str,
) -> JsResult<String> {
    pagopa::notice_number(segregation_code, base).or_throw()
}

/// The IUV of a notice (R-NOTICE): the numero avviso without its aux digit, 17 digits.
#[wasm_bindgen]
pub fn iuv(
    #[wasm_bindgen(js_name = segregationCode)] segregation_code: &str,
    base: &str,
) -> JsResult<String> {
    pagopa::iuv(segregation_code, base).or_throw()
}

/// True if `code` is the codice fiscale of a body: 11 digits with the right check digit.
#[wasm_bindgen(js_name = validCodiceFiscale)]
pub fn valid_codice_fiscale(code: &str) -> bool {
    pagopa::valid_codice_fiscale(code)
}

/// True if `iuv` is the IUV of a notice with aux digit 3: 17 digits, a codice di
/// segregazione 00–49 and the right check digits.
#[wasm_bindgen(js_name = validIuv)]
pub fn valid_iuv(iuv: &str) -> bool {
    pagopa::valid_iuv(iuv)
}

/// True if `number` is a numero avviso with aux digit 3 and a valid IUV.
#[wasm_bindgen(js_name = validNoticeNumber)]
pub fn valid_notice_number(number: &str) -> bool {
    pagopa::valid_notice_number(number)
}

/// Reads a flusso di rendicontazione (FlussoRiversamento XML, R-RECONCILE) as a plain
/// object; a `malformed` error with the element path
/// (`FlussoRiversamento/datiSingoliPagamenti[2]/singoloImportoPagato`) if it cannot be read.
#[wasm_bindgen(js_name = readFlow, unchecked_return_type = "Flow")]
pub fn read_flow(xml: &str) -> JsResult<JsValue> {
    json_out(&pagopa::Flow::from_xml(xml).or_throw()?)
}

/// pagoPA and the Tesoreria Unica (R-NOTICE, R-RECONCILE).
#[wasm_bindgen]
impl Registry {
    /// The creditor's profile for pagoPA (a `creditor_registered` event), or `null`.
    #[wasm_bindgen(unchecked_return_type = "Creditor | null")]
    pub fn creditor(&self) -> JsResult<JsValue> {
        match self.core().creditor() {
            Some(c) => json_out(c),
            None => Ok(JsValue::NULL),
        }
    }

    /// The pagoPA notices of `year`'s charges, in order of issue, each with its status now
    /// (R-NOTICE).
    #[wasm_bindgen(unchecked_return_type = "Notice[]")]
    pub fn notices(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] year: JsValue,
    ) -> JsResult<JsValue> {
        let year = year_in(&year, "year")?;
        json_out(&self.core().notices(year))
    }

    /// The notice of an IUV, with its status now, or `undefined`.
    #[wasm_bindgen(unchecked_return_type = "Notice | undefined")]
    pub fn notice(&self, iuv: &str) -> JsResult<JsValue> {
        match self.core().notice(iuv) {
            Some(n) => json_out(&n),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The GPD debt positions of `year`'s open notices, as pagoPA's GPD API has them
    /// (camelCase; amounts in euro cents, as GPD counts them): what the host posts to GPD
    /// (R-NOTICE). Empty without a creditor.
    #[wasm_bindgen(js_name = debtPositions, unchecked_return_type = "DebtPosition[]")]
    pub fn debt_positions(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] year: JsValue,
    ) -> JsResult<JsValue> {
        let year = year_in(&year, "year")?;
        json_out(&self.core().debt_positions(year).or_throw()?)
    }

    /// The notices of `year` as the office's CSV (`;`-separated, decimal comma, dates
    /// `dd/mm/yyyy`).
    #[wasm_bindgen(js_name = noticesCsv)]
    pub fn notices_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] year: JsValue,
    ) -> JsResult<String> {
        let year = year_in(&year, "year")?;
        Ok(self.core().notices_csv(year))
    }

    /// Reads a flusso di rendicontazione and reconciles it (R-RECONCILE): each payment
    /// matched to its notice, or not, and the `events` that book what matched, to be
    /// applied with `apply` or `applyAll`. The registry is not changed.
    #[wasm_bindgen(js_name = reconcileFlow, unchecked_return_type = "Reconciliation")]
    pub fn reconcile_flow(&self, xml: &str) -> JsResult<JsValue> {
        text_out(&self.core().reconcile_flow(xml).or_throw()?.to_json())
    }
}
