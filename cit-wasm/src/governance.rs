//! `Board` and `yearly`: sittings, quorum and votes (R-QUORUM, R-MAJORITY, R-YEARLY,
//! R-ADOPT).

use cit_core::governance::{self, Meeting};
use wasm_bindgen::prelude::*;

use crate::interop::{
    JsResult, OrThrow, array_in, date_in, document_text, json_out, strings_out, year_in,
};

/// A board (Tavolo Strategico, Tecnico or Tematico) with its members and its register of
/// sittings.
#[wasm_bindgen]
pub struct Board {
    inner: governance::Board,
}

impl Board {
    pub(crate) fn core(&self) -> &governance::Board {
        &self.inner
    }

    /// The sitting on `date` (the core's [`governance::Board::sitting`]).
    pub(crate) fn sitting(&self, date: &str) -> JsResult<&Meeting> {
        self.inner.sitting(date_in(date, "meeting")?).or_throw()
    }
}

#[wasm_bindgen]
impl Board {
    /// Reads and validates a board document (members, president, sittings).
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> JsResult<Board> {
        Ok(Board {
            inner: governance::Board::from_json(text).or_throw()?,
        })
    }

    /// The board as its JSON document (text).
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The board's id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.inner.id.clone()
    }

    /// `"strategico"`, `"tecnico"` or `"tematico"`.
    #[wasm_bindgen(getter, unchecked_return_type = "BoardKind")]
    pub fn kind(&self) -> String {
        self.inner.kind.as_str().to_owned()
    }

    /// The board's name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.inner.name.clone()
    }

    /// The dates of its sittings (ISO), in the register's order.
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn meetings(&self) -> js_sys::Array {
        let dates: Vec<String> = self
            .inner
            .meetings
            .iter()
            .map(|m| m.date.to_string())
            .collect();
        strings_out(&dates)
    }

    /// The quorum at the roll call of the sitting on `meeting` (R-QUORUM), with the
    /// sentence for the minutes.
    #[wasm_bindgen(js_name = rollCall, unchecked_return_type = "QuorumCheck")]
    pub fn roll_call(&self, meeting: &str) -> JsResult<JsValue> {
        json_out(&self.inner.roll_call(self.sitting(meeting)?).or_throw()?)
    }

    /// The result of motion `motion` at the sitting on `meeting` (R-MAJORITY): `passed`,
    /// the outcome, the verdict, the tally, the quorum at the vote and the sentence for the
    /// minutes, as the core serialises a `Decision`.
    #[wasm_bindgen(unchecked_return_type = "Decision")]
    pub fn decide(&self, meeting: &str, motion: &str) -> JsResult<JsValue> {
        json_out(
            &self
                .inner
                .decide(self.sitting(meeting)?, motion)
                .or_throw()?,
        )
    }

    /// The citation of the deliberation adopted by motion `motion` at the sitting on
    /// `meeting` (R-ADOPT); thrown `adoption_refused` when it adopts nothing.
    #[wasm_bindgen(js_name = adoptionCitation)]
    pub fn adoption_citation(&self, meeting: &str, motion: &str) -> JsResult<String> {
        let sitting = self.sitting(meeting)?;
        Ok(governance::adopt(&self.inner, sitting, motion)
            .or_throw()?
            .citation())
    }
}

/// R-YEARLY: for each year from `first` to `last`, which boards met in plenary with quorum
/// and which strategic or technical boards missed it. `boards` are `Board`s or board
/// documents.
#[wasm_bindgen(unchecked_return_type = "YearlyReport")]
pub fn yearly(
    #[wasm_bindgen(unchecked_param_type = "Array<Board | BoardDocument | string>")] boards: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] first: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] last: JsValue,
) -> JsResult<JsValue> {
    let list = array_in(&boards, "boards")?;
    let mut core = Vec::with_capacity(list.length() as usize);
    for (i, b) in list.iter().enumerate() {
        let text = document_text(&b, &format!("boards[{i}]"))?;
        core.push(governance::Board::from_json(&text).or_throw()?);
    }
    let first = year_in(&first, "first")?;
    let last = year_in(&last, "last")?;
    json_out(&governance::yearly(&core, first, last).or_throw()?)
}
