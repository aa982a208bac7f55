//! The tariff document (membership part; its fields in the README's *The tariff
//! document*), as plain serde data.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{EnteKind, Money};

/// The tariff document as written in JSON (the README's *The tariff document*). Plain data: build a [`Tariff`]
/// from it with [`Tariff::new`], which validates it.
///
/// [`Tariff`]: crate::Tariff
/// [`Tariff::new`]: crate::Tariff::new
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TariffDocument {
    /// Stable id of this tariff version (`"bs-2015"`).
    pub id: String,
    /// Human name (`"CIT Brescia - Convenzione 2015-2020"`).
    pub name: String,
    /// The days this tariff prices (R-PERIOD).
    pub period: Period,
    /// The reference date of the counts (R-CAP).
    pub counts_as_of: CountsAsOf,
    /// The quota di adesione.
    pub membership: MembershipTariff,
    /// The deliberation of the Tavolo Strategico that adopted this tariff (R-ADOPT), cited
    /// by its quotes. Set it with [`Tariff::adopt`](crate::Tariff::adopt), which refuses
    /// an invalid deliberation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adoption: Option<crate::governance::Adoption>,
    /// The service catalogue (R-TIER, R-BILL, R-PRICE, R-MEMBERS-ONLY, R-ENTITLE); may be
    /// omitted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<super::Service>,
}

/// A closed range of days, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// First day.
    #[schemars(with = "crate::schema::Date")]
    #[serde(with = "crate::date_serde")]
    pub from: NaiveDate,
    /// Last day.
    #[schemars(with = "crate::schema::Date")]
    #[serde(with = "crate::date_serde")]
    pub to: NaiveDate,
}

impl Period {
    /// True if some day of `year` is in the period.
    pub fn overlaps_year(&self, year: i32) -> bool {
        self.from.year() <= year && year <= self.to.year()
    }

    /// True if `date` is in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

/// When the counts of abitanti and imprese are taken (R-CAP).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountsAsOf {
    /// A fixed date for every year of the tariff (Brescia 2015-2020: 2013-12-31).
    Date(NaiveDate),
    /// 31 December of the year before the one priced (`"previous_year_end"`).
    PreviousYearEnd,
}

impl CountsAsOf {
    /// The reference date for the counts used to price `year`, or `None` if that date
    /// does not exist in the calendar.
    pub fn for_year(self, year: i32) -> Option<NaiveDate> {
        match self {
            CountsAsOf::Date(d) => Some(d),
            CountsAsOf::PreviousYearEnd => NaiveDate::from_ymd_opt(year.checked_sub(1)?, 12, 31),
        }
    }
}

const PREVIOUS_YEAR_END: &str = "previous_year_end";

impl Serialize for CountsAsOf {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            CountsAsOf::Date(d) => crate::date_serde::serialize(d, s),
            CountsAsOf::PreviousYearEnd => s.serialize_str(PREVIOUS_YEAR_END),
        }
    }
}

impl schemars::JsonSchema for CountsAsOf {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CountsAsOf".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let date = generator.subschema_for::<crate::schema::Date>();
        schemars::json_schema!({
            "description": "When the counts are taken (R-CAP): a date, or \"previous_year_end\" (31 December of the year before the one priced).",
            "anyOf": [date, {"const": PREVIOUS_YEAR_END}],
        })
    }
}

impl<'de> Deserialize<'de> for CountsAsOf {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<CountsAsOf, D::Error> {
        let text = String::deserialize(d)?;
        if text == PREVIOUS_YEAR_END {
            return Ok(CountsAsOf::PreviousYearEnd);
        }
        crate::json::iso_date(&text)
            .map(CountsAsOf::Date)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "expected a date YYYY-MM-DD or \"{PREVIOUS_YEAR_END}\", found {text:?}"
                ))
            })
    }
}

/// The membership part of a tariff: the comune formula, the fixed quotas and proration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MembershipTariff {
    /// How comuni pay (R-CAP, R-BAND, R-CEIL, R-MINMAX).
    pub comune: ComuneTariff,
    /// Fixed yearly quotas of the other kinds (R-FIX); a kind left out cannot be priced.
    pub fixed: FixedQuotas,
    /// Membership starting within the year (R-PRORATA); default `full_year`.
    #[serde(default)]
    pub proration: Proration,
}

/// The formula of a comune's quota.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ComuneTariff {
    /// Euro per abitante (`"0.15"`).
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(with = "crate::decimal")]
    pub per_abitante: Decimal,
    /// Euro per impresa (`"1.00"`).
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(with = "crate::decimal")]
    pub per_impresa: Decimal,
    /// Population bands with their discounts (R-BAND).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bands: Option<Vec<Band>>,
    /// How the band discounts apply; required when `bands` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band_mode: Option<BandMode>,
    /// Minimum quota (R-MINMAX).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<Money>,
    /// Maximum quota (R-MINMAX).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<Money>,
    /// An earlier formula the quota may never exceed (R-CEIL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceiling: Option<Ceiling>,
}

/// A population band (*fascia di abitanti*): up to an inclusive bound, with a discount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Inclusive upper bound in abitanti; `null` for the last, open band.
    pub up_to: Option<u64>,
    /// Discount as a fraction (`"0.10"` = 10 %).
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(with = "crate::decimal")]
    pub discount: Decimal,
}

/// How band discounts apply (R-BAND).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BandMode {
    /// The whole amount takes the discount of the comune's band (cliffs at the edges).
    Volume,
    /// Each slice of abitanti takes its own band's discount (no cliffs).
    Graduated,
}

/// The ceiling formula (R-CEIL): rates of an earlier tariff.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ceiling {
    /// Euro per abitante of the earlier formula.
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(with = "crate::decimal")]
    pub per_abitante: Decimal,
    /// Euro per impresa of the earlier formula.
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(with = "crate::decimal")]
    pub per_impresa: Decimal,
}

/// Fixed yearly quotas by kind (R-FIX). Comuni are priced by formula, so there is no
/// `comune` field.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct FixedQuotas {
    /// Unione di Comuni.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unione: Option<Money>,
    /// Comunità Montana.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comunita_montana: Option<Money>,
    /// Provincia.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provincia: Option<Money>,
    /// Città Metropolitana.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citta_metropolitana: Option<Money>,
    /// Other bodies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub altro: Option<Money>,
}

impl FixedQuotas {
    /// The fixed quota of `kind`, `None` if the tariff does not price it (or for comuni).
    pub fn get(&self, kind: EnteKind) -> Option<Money> {
        match kind {
            EnteKind::Comune => None,
            EnteKind::Unione => self.unione,
            EnteKind::ComunitaMontana => self.comunita_montana,
            EnteKind::Provincia => self.provincia,
            EnteKind::CittaMetropolitana => self.citta_metropolitana,
            EnteKind::Altro => self.altro,
        }
    }
}

/// How a membership that starts within the year pays (R-PRORATA).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Proration {
    /// The full year, whatever the start (the default).
    #[default]
    FullYear,
    /// The months from the start month to December, over twelve.
    Monthly,
}
