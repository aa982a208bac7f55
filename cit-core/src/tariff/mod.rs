//! Tariffs: the yearly quota di adesione (R-FIX, R-CAP, R-BAND, R-CEIL, R-MINMAX, R-ROUND,
//! R-ORDER, R-PERIOD, R-PRORATA) and the service catalogue (R-TIER, R-BILL, R-PRICE,
//! R-MEMBERS-ONLY, R-ENTITLE).

mod band;
mod document;
mod engine;
mod fast;
mod lint;
mod services;

pub use document::{
    Band, BandMode, Ceiling, ComuneTariff, CountsAsOf, FixedQuotas, MembershipTariff, Period,
    Proration, TariffDocument,
};
pub use lint::Warning;
pub use services::{
    Allowance, AllowanceBand, AppliedPrice, Billing, Price, PriceBand, Renewal, Service,
    ServiceQuote, Standing, Tier,
};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{Error, Problem, Result, json};

/// A validated tariff: prices the quota of any ente for any year of its period.
///
/// Build it from JSON with [`Tariff::from_json`] or from a [`TariffDocument`] with
/// [`Tariff::new`]; both check the whole document and report every problem at once.
///
/// # Example
/// ```
/// use cit_core::{Ente, Tariff};
///
/// let tariff = Tariff::from_json(r#"{
///   "id": "bs-2015", "name": "CIT Brescia - Convenzione 2015-2020",
///   "period": {"from": "2015-01-01", "to": "2020-12-31"},
///   "counts_as_of": "2013-12-31",
///   "membership": {
///     "comune": {"per_abitante": "0.15", "per_impresa": "1.00",
///                "bands": [{"up_to": 3000, "discount": "0"},
///                          {"up_to": 10000, "discount": "0.10"},
///                          {"up_to": null, "discount": "0.20"}],
///                "band_mode": "volume", "minimum": "50.00"},
///     "fixed": {"unione": "300.00"}
///   }
/// }"#)?;
/// let quote = tariff.quote(&Ente::comune("017001", "Acquafredda", 1_600, 120), 2016)?;
/// // 1.600 × 0,15 = 240,00; 120 × 1,00 = 120,00; band 0 %: total 360,00
/// assert_eq!(quote.total().to_plain_string(), "360.00");
/// # Ok::<(), cit_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Tariff {
    doc: TariffDocument,
    /// Derived from `doc` once, for speed: the fixed-point form and the label texts.
    prepared: engine::Prepared,
}

impl PartialEq for Tariff {
    fn eq(&self, other: &Tariff) -> bool {
        self.doc == other.doc
    }
}

impl Eq for Tariff {}

impl Tariff {
    /// Reads and validates a tariff document.
    ///
    /// # Errors
    /// [`Error::Malformed`] for bad JSON, a wrong type, a missing or unknown field (with its
    /// JSON path); [`Error::Invalid`] listing every rule the document breaks.
    pub fn from_json(text: &str) -> Result<Tariff> {
        Tariff::new(json::parse("tariff", text)?)
    }

    /// Validates a tariff document.
    ///
    /// # Errors
    /// [`Error::Invalid`] listing every problem, each with its JSON path.
    pub fn new(doc: TariffDocument) -> Result<Tariff> {
        let problems = validate(&doc);
        if problems.is_empty() {
            let prepared = engine::Prepared::new(&doc);
            Ok(Tariff { doc, prepared })
        } else {
            Err(Error::Invalid {
                document: "tariff",
                problems,
            })
        }
    }

    /// The document this tariff was built from.
    pub fn document(&self) -> &TariffDocument {
        &self.doc
    }

    /// The tariff's id.
    pub fn id(&self) -> &str {
        &self.doc.id
    }

    /// The tariff as its JSON document.
    pub fn to_json(&self) -> String {
        json::to_string(&self.doc)
    }

    /// This tariff as adopted by motion `motion` of `meeting` of `board` (R-ADOPT): its
    /// quotes will cite the deliberation.
    ///
    /// # Errors
    /// [`Error::AdoptionRefused`] unless the board is the Tavolo Strategico, the sitting
    /// had quorum and the motion passed; the other errors of
    /// [`governance::adopt`](crate::governance::adopt).
    ///
    /// # Example
    /// ```
    /// use cit_core::governance::Board;
    /// use cit_core::{Ente, Tariff};
    ///
    /// let board = Board::from_json(r#"{
    ///   "id": "ts", "kind": "strategico", "name": "Tavolo Strategico", "president": "a",
    ///   "members": [{"ente": "a", "representative": "Sindaca di A"},
    ///               {"ente": "b", "representative": "Sindaco di B"},
    ///               {"ente": "c", "representative": "Assessore di C"}],
    ///   "meetings": [{"date": "2026-11-18", "present": ["a", "b", "c"],
    ///                 "motions": [{"id": "2", "title": "Quota di adesione 2027",
    ///                              "votes": {"a": "yes", "b": "yes", "c": "no"}}]}]
    /// }"#)?;
    /// let tariff = Tariff::from_json(include_str!("../../../examples/tariffs/graduated-2026.json"))?
    ///     .adopt(&board, &board.meetings[0], "2")?;
    /// let quote = tariff.quote(&Ente::comune("017029", "Brescia", 189_902, 21_500), 2027)?;
    /// assert_eq!(
    ///     quote.adoption(),
    ///     Some("Deliberazione del Tavolo Strategico del 18/11/2026, mozione 2: \
    ///           approvata a maggioranza dei presenti (favorevoli 2 su 3 presenti)")
    /// );
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn adopt(
        &self,
        board: &crate::governance::Board,
        meeting: &crate::governance::Meeting,
        motion: &str,
    ) -> Result<Tariff> {
        let adoption = crate::governance::adopt(board, meeting, motion)?;
        let mut doc = self.doc.clone();
        doc.adoption = Some(adoption);
        Tariff::new(doc)
    }

    /// Checks the adoption this tariff carries against the board and the minutes of the
    /// sitting it cites (R-ADOPT); a tariff that carries none is not adopted.
    ///
    /// # Errors
    /// [`Error::AdoptionRefused`] if the tariff carries no adoption, or one the minutes do
    /// not bear out.
    pub fn check_adoption(
        &self,
        board: &crate::governance::Board,
        meeting: &crate::governance::Meeting,
    ) -> Result<()> {
        match &self.doc.adoption {
            Some(adoption) => adoption.check(board, meeting),
            None => Err(Error::AdoptionRefused {
                board: board.id.clone(),
                meeting: meeting.date,
                motion: String::new(),
                path: "adoption".to_owned(),
                reason: format!("tariff `{}` carries no adoption", self.doc.id),
            }),
        }
    }
}

impl Serialize for Tariff {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.doc.serialize(s)
    }
}

impl schemars::JsonSchema for Tariff {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Tariff".into()
    }

    /// The schema of its document ([`TariffDocument`]), named `Tariff`.
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        TariffDocument::json_schema(generator)
    }
}

impl<'de> Deserialize<'de> for Tariff {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Tariff, D::Error> {
        Tariff::new(TariffDocument::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

fn validate(doc: &TariffDocument) -> Vec<Problem> {
    let mut p = Vec::new();
    if doc.id.trim().is_empty() {
        p.push(Problem::new(
            "id",
            "a non-empty id",
            format!("{:?}", doc.id),
        ));
    }
    if doc.period.from > doc.period.to {
        p.push(Problem::new(
            "period.to",
            format!("a date on or after period.from ({})", doc.period.from),
            doc.period.to.to_string(),
        ));
    }
    let c = &doc.membership.comune;
    let base = "membership.comune";
    non_negative(&mut p, &format!("{base}.per_abitante"), c.per_abitante);
    non_negative(&mut p, &format!("{base}.per_impresa"), c.per_impresa);
    if let Some(ceiling) = &c.ceiling {
        non_negative(
            &mut p,
            &format!("{base}.ceiling.per_abitante"),
            ceiling.per_abitante,
        );
        non_negative(
            &mut p,
            &format!("{base}.ceiling.per_impresa"),
            ceiling.per_impresa,
        );
    }
    match (&c.bands, c.band_mode) {
        (Some(bands), mode) => {
            validate_bands(&mut p, bands);
            if mode.is_none() {
                p.push(Problem::new(
                    format!("{base}.band_mode"),
                    "\"volume\" or \"graduated\" when bands are given",
                    "nothing",
                ));
            }
        }
        (None, Some(mode)) => p.push(Problem::new(
            format!("{base}.bands"),
            format!("bands, since band_mode is {mode:?}"),
            "nothing",
        )),
        (None, None) => {}
    }
    for (field, amount) in [("minimum", c.minimum), ("maximum", c.maximum)] {
        if let Some(m) = amount {
            non_negative(&mut p, &format!("{base}.{field}"), m.to_decimal());
        }
    }
    if let (Some(min), Some(max)) = (c.minimum, c.maximum) {
        if max < min {
            p.push(Problem::new(
                format!("{base}.maximum"),
                format!("at least the minimum, {}", min.to_plain_string()),
                max.to_plain_string(),
            ));
        }
    }
    for kind in crate::EnteKind::ALL {
        if let Some(m) = doc.membership.fixed.get(kind) {
            non_negative(&mut p, &format!("membership.fixed.{kind}"), m.to_decimal());
        }
    }
    if let Some(adoption) = &doc.adoption {
        p.extend(adoption.problems("adoption."));
    }
    services::validate(&mut p, &doc.services);
    p
}

pub(super) fn non_negative(p: &mut Vec<Problem>, path: &str, value: Decimal) {
    if value.is_sign_negative() && !value.is_zero() {
        p.push(Problem::new(
            path,
            "a value of zero or more",
            value.to_string(),
        ));
    }
}

fn validate_bands(p: &mut Vec<Problem>, bands: &[Band]) {
    let path = "membership.comune.bands";
    validate_band_edges(p, path, bands);
    for (i, band) in bands.iter().enumerate() {
        non_negative(p, &format!("{path}[{i}].discount"), band.discount);
    }
}

/// R-BAND's shape, for every banded table of a tariff (quota discounts, service prices,
/// allowances): at least one band, inclusive upper bounds that ascend, the last one open.
pub(super) fn validate_band_edges<B: band::Banded>(p: &mut Vec<Problem>, path: &str, bands: &[B]) {
    let Some(last) = bands.len().checked_sub(1) else {
        p.push(Problem::new(
            path,
            "at least one band (the last one open, up_to null)",
            "[]",
        ));
        return;
    };
    let mut previous: Option<u64> = None;
    for (i, band) in bands.iter().enumerate() {
        match (band.up_to(), i == last) {
            (None, false) => p.push(Problem::new(
                format!("{path}[{i}].up_to"),
                "a number of abitanti: only the last band is open",
                "null",
            )),
            (Some(u), true) => p.push(Problem::new(
                format!("{path}[{i}].up_to"),
                "null: the last band is open",
                u.to_string(),
            )),
            (Some(u), false) => {
                if let Some(prev) = previous.filter(|&prev| u <= prev) {
                    p.push(Problem::new(
                        format!("{path}[{i}].up_to"),
                        format!("more than the previous band's up_to, {prev} (bands ascend)"),
                        u.to_string(),
                    ));
                }
                previous = Some(previous.map_or(u, |prev| prev.max(u)));
            }
            (None, true) => {}
        }
    }
}

#[cfg(test)]
mod tests;
