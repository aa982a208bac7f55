//! Services and maggiorazioni: the `services` section of a tariff (R-TIER, R-BILL,
//! R-PRICE, R-MEMBERS-ONLY, R-ENTITLE) and how a service is priced for an ente.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::band::{self, Banded};
use super::{Tariff, non_negative, validate_band_edges};
use crate::date_serde::Iso;
use crate::{Ente, Error, Money, Problem, Quote, QuoteLine, Result, Rule, decimal, fmt_it};

/// A service of the catalogue (R-TIER, R-BILL, R-PRICE, R-MEMBERS-ONLY, R-ENTITLE).
///
/// A member pays nothing for a `base` service (it is in the quota) and the member price for
/// a `premium` one (a *maggiorazione*): explicit (`member_price`), or the list price less
/// `member_discount`, or the list price if neither is given. A non-member pays the list
/// price; a `members_only` service cannot be sold to one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Stable code, unique in the tariff (`"spid"`).
    pub code: String,
    /// Italian name, printed on charges (`"Assistenza al rilascio SPID"`).
    pub name: String,
    /// `base` or `premium` (R-TIER).
    pub tier: Tier,
    /// `una_tantum` or `canone` (R-BILL).
    pub billing: Billing,
    /// How a canone renews: `confirm` (default) or `tacit` (R-RENEW).
    #[serde(default)]
    pub renewal: Renewal,
    /// The list price, for non-members (R-PRICE).
    pub list_price: Price,
    /// An explicit member price (premium services only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_price: Option<Price>,
    /// A member discount on the list price, as a fraction in [0, 1] (premium only).
    #[schemars(with = "Option<crate::schema::DecimalText>")]
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::decimal::option"
    )]
    pub member_discount: Option<Decimal>,
    /// Delivered only to formal members (R-MEMBERS-ONLY).
    #[serde(default)]
    pub members_only: bool,
    /// Use included in membership, by population band, and the price beyond (R-ENTITLE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowance: Option<Allowance>,
}

/// Base or premium service (R-TIER).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Included in the quota for members.
    Base,
    /// Charged to members as a maggiorazione, with the member price.
    Premium,
}

/// One-off or yearly (R-BILL).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Billing {
    /// Charged once; never renewed (*una tantum*).
    UnaTantum,
    /// A yearly fee (*canone*), renewed by R-RENEW.
    Canone,
}

/// How a canone renews (R-RENEW).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Renewal {
    /// Renewed only on the ente's formal confirmation (the default).
    #[default]
    Confirm,
    /// Renewed by itself every year until cancelled (Brescia's PEC mailboxes).
    Tacit,
}

crate::tagged::tagged_enum! {
/// A pricing basis with its amounts (R-PRICE).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum Price read as PriceJson by "basis" {
    /// A flat amount per ente.
    Flat {
        /// The amount.
        amount: Money,
    },
    /// An amount per unit requested (releases, kits, mailboxes, people).
    PerUnit {
        /// The amount per unit.
        amount: Money,
        /// The unit, plural, for labels (`"persone"`).
        unit: String,
    },
    /// A rate per abitante, with optional minimum and maximum.
    PerAbitante {
        /// Euro per abitante.
        #[schemars(with = "crate::schema::DecimalText")]
        #[serde(with = "crate::decimal")]
        rate: Decimal,
        /// Minimum amount.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        minimum: Option<Money>,
        /// Maximum amount.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        maximum: Option<Money>,
    },
    /// An amount per population band.
    ByBand {
        /// Ascending bands, inclusive upper bounds, the last one open.
        bands: Vec<PriceBand>,
    },
}
}

/// A population band with its amount (R-PRICE).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceBand {
    /// Inclusive upper bound in abitanti; `null` for the last, open band.
    pub up_to: Option<u64>,
    /// The amount for an ente of this band.
    pub amount: Money,
}

/// Use included in membership by population band, and the price of use beyond (R-ENTITLE).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Allowance {
    /// What is measured, for labels (`"Spazio di conservazione"`).
    pub what: String,
    /// The unit (`"GB"`, `"visure"`).
    pub unit: String,
    /// Ascending bands, inclusive upper bounds, the last one open.
    pub bands: Vec<AllowanceBand>,
    /// The price of each unit beyond the allowance (non-members pay it on every unit).
    pub beyond: Money,
}

/// The units included for an ente of a band (R-ENTITLE).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllowanceBand {
    /// Inclusive upper bound in abitanti; `null` for the last, open band.
    pub up_to: Option<u64>,
    /// Units included (`"0.5"` GB).
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(with = "crate::decimal")]
    pub included: Decimal,
}

crate::tagged::tagged_enum! {
/// Whether an ente is a member on the date priced (R-JOIN), as the caller (usually the
/// [`Registry`](crate::Registry)) knows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "standing", rename_all = "snake_case")]
pub enum Standing read as StandingJson by "standing" {
    /// A membership active on the date.
    Member {
        /// The membership's id.
        membership: String,
        /// First day of the membership.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        from: NaiveDate,
        /// Last day of the membership.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        to: NaiveDate,
    },
    /// No membership active on the date.
    NonMember,
}
}

/// Which price a service quote applied (R-TIER).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppliedPrice {
    /// Base service, included in a member's quota (only use beyond an allowance is paid).
    Included,
    /// Premium service at the member price (a maggiorazione).
    Member,
    /// The list price, for a non-member.
    List,
}

/// The itemised price of a service for an ente on a date, and why that price applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ServiceQuote {
    /// The lines and their total (the quote's year is the year of the date).
    pub quote: Quote,
    /// The service's code.
    pub service: String,
    /// The date priced.
    #[schemars(with = "crate::schema::Date")]
    #[serde(with = "crate::date_serde")]
    pub date: NaiveDate,
    /// Which price applied.
    pub price: AppliedPrice,
    /// Why, in Italian, citing the membership (R-JOIN).
    pub reason: String,
}

impl ServiceQuote {
    /// The total: the sum of the lines.
    pub fn total(&self) -> Money {
        self.quote.total()
    }
}

/// `quote`, `service`, `date`, `price`, `reason`, then the quote's `lines` and `total`.
impl Tariff {
    /// The service with this code.
    ///
    /// # Errors
    /// [`Error::UnknownService`] if the catalogue has none.
    pub fn service(&self, code: &str) -> Result<&Service> {
        self.doc
            .services
            .iter()
            .find(|s| s.code == code)
            .ok_or_else(|| Error::UnknownService {
                tariff: self.doc.id.clone(),
                service: code.to_owned(),
            })
    }

    /// Prices `quantity` of a service for an ente on a date (R-TIER, R-PRICE,
    /// R-MEMBERS-ONLY, R-ENTITLE). `quantity` counts the units of a `per_unit` price or the
    /// use measured by an allowance; any other service is asked for once (`quantity` 1).
    ///
    /// Lines: the price by its basis (list, or explicit member price), then the member
    /// discount or the base-service inclusion (R-TIER), then use beyond the allowance
    /// (R-ENTITLE; a non-member has no allowance).
    ///
    /// # Errors
    /// [`Error::UnknownService`]; [`Error::NotAMember`] for a members-only service and a
    /// non-member (R-MEMBERS-ONLY); [`Error::YearOutsidePeriod`] for a date outside the
    /// tariff's period; [`Error::MissingCount`] when a band or a per-abitante rate needs
    /// `abitanti`, and [`Error::CountsDateMismatch`] when the ente's counts are not at the
    /// date the tariff takes them for the year priced (R-CAP, as for the quota: a flat or
    /// per-unit price reads no count and checks none); [`Error::InvalidValue`] for a quantity the service does not take;
    /// [`Error::Overflow`].
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use cit_core::{AppliedPrice, Ente, Standing, Tariff};
    ///
    /// let tariff = Tariff::from_json(include_str!("../../../examples/tariffs/bs-2021-services.json"))?;
    /// let ente = Ente::comune("017001", "Acquafredda", 1_600, 120);
    /// let date = NaiveDate::from_ymd_opt(2022, 3, 1).unwrap();
    /// let member = Standing::Member { membership: "A-1".into(), from: date, to: date };
    /// let spid = tariff.price_service(&ente, "spid", 3, &member, date)?;
    /// assert_eq!(spid.price, AppliedPrice::Member);
    /// assert_eq!(spid.quote.lines()[0].label, "3 persone × € 35,00 (prezzo aderenti)");
    /// assert_eq!(spid.total().to_string(), "€ 105,00");
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn price_service(
        &self,
        ente: &Ente,
        code: &str,
        quantity: u64,
        standing: &Standing,
        date: NaiveDate,
    ) -> Result<ServiceQuote> {
        let service = self.service(code)?;
        let period = self.doc.period;
        if !period.contains(date) {
            return Err(Error::YearOutsidePeriod {
                tariff: self.doc.id.clone(),
                year: date.year(),
                from: period.from,
                to: period.to,
            });
        }
        let member = matches!(standing, Standing::Member { .. });
        if service.members_only && !member {
            return Err(Error::NotAMember {
                ente: ente.id.clone(),
                service: code.to_owned(),
                date,
            });
        }
        let per_unit = matches!(service.list_price, Price::PerUnit { .. });
        if !per_unit && service.allowance.is_none() && quantity != 1 {
            return Err(Error::InvalidValue {
                path: "quantity".to_owned(),
                expected: format!("1: service `{code}` is not priced per unit"),
                found: quantity.to_string(),
            });
        }
        let base = ServiceAt(code);
        let counts = Counts {
            ente,
            tariff: self,
            year: date.year(),
        };
        let mut lines = Vec::new();
        let applied = match (service.tier, member) {
            (_, false) => {
                price_lines(&service.list_price, &counts, quantity, base, &mut lines)?;
                AppliedPrice::List
            }
            (Tier::Base, true) => {
                let list = price_lines(&service.list_price, &counts, quantity, base, &mut lines)?;
                if !list.is_zero() {
                    lines.push(QuoteLine {
                        rule: Rule::Tier,
                        label: "Servizio base compreso nella quota di adesione".to_owned(),
                        amount: -list,
                    });
                }
                AppliedPrice::Included
            }
            (Tier::Premium, true) => {
                if let Some(price) = &service.member_price {
                    price_lines(price, &counts, quantity, base, &mut lines)?;
                    for line in &mut lines {
                        line.label.push_str(" (prezzo aderenti)");
                    }
                } else {
                    let list =
                        price_lines(&service.list_price, &counts, quantity, base, &mut lines)?;
                    if let Some(d) = service.member_discount.filter(|d| !d.is_zero()) {
                        let exact = decimal::mul(list.to_decimal(), d).ok_or_else(|| {
                            Error::overflow(base.to_string(), format!("{list} × {d}"))
                        })?;
                        lines.push(QuoteLine {
                            rule: Rule::Tier,
                            label: format!("Sconto aderenti del {}", fmt_it::percent(d)),
                            amount: -Money::round(exact),
                        });
                    }
                }
                AppliedPrice::Member
            }
        };
        if let Some(allowance) = &service.allowance {
            allowance_line(allowance, &counts, quantity, member, base, &mut lines)?;
        }
        let reason = match standing {
            Standing::Member {
                membership,
                from,
                to,
            } => format!(
                "aderente al {} (adesione {membership}, dal {} al {}): {} (R-JOIN)",
                Iso(date),
                Iso(*from),
                Iso(*to),
                match applied {
                    AppliedPrice::Included => "servizio base compreso nella quota",
                    _ => "prezzo aderenti",
                }
            ),
            Standing::NonMember => {
                format!(
                    "nessuna adesione attiva al {}: prezzo di listino (R-JOIN)",
                    Iso(date)
                )
            }
        };
        Ok(ServiceQuote {
            quote: Quote::new(ente.id.clone(), self.doc.id.clone(), date.year(), lines)?,
            service: code.to_owned(),
            date,
            price: applied,
            reason,
        })
    }
}

/// The counts of the ente priced, read only where a price uses them (per abitante, by
/// band): then, as for the quota, they must be at the tariff's date for the year priced
/// (R-CAP) and present (never a silent zero).
struct Counts<'a> {
    ente: &'a Ente,
    tariff: &'a Tariff,
    year: i32,
}

impl Counts<'_> {
    fn abitanti(&self) -> Result<u64> {
        self.tariff.check_counts_date(self.ente, self.year)?;
        self.ente.abitanti.ok_or_else(|| Error::MissingCount {
            ente: self.ente.id.clone(),
            field: "abitanti",
        })
    }
}

/// The band an ente falls in; a single open band needs no count.
fn ente_band<B: Banded>(bands: &[B], counts: &Counts<'_>) -> Result<usize> {
    if bands.len() <= 1 {
        return Ok(0);
    }
    Ok(band::index(bands, counts.abitanti()?))
}

/// Where a priced service sits in its tariff (`services[code]`), the path of an error in
/// its pricing: written only when there is one.
#[derive(Clone, Copy)]
struct ServiceAt<'a>(&'a str);

impl std::fmt::Display for ServiceAt<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "services[{}]", self.0)
    }
}

/// Pushes the lines of a price (R-PRICE) and returns their sum.
fn price_lines(
    price: &Price,
    counts: &Counts<'_>,
    quantity: u64,
    path: ServiceAt<'_>,
    lines: &mut Vec<QuoteLine>,
) -> Result<Money> {
    let start = lines.len();
    match price {
        Price::Flat { amount } => lines.push(QuoteLine {
            rule: Rule::Price,
            label: "Importo forfettario".to_owned(),
            amount: *amount,
        }),
        Price::PerUnit { amount, unit } => {
            let exact = decimal::mul_count(quantity, amount.to_decimal()).ok_or_else(|| {
                Error::overflow(path.to_string(), format!("{quantity} × {amount}"))
            })?;
            lines.push(QuoteLine {
                rule: Rule::Price,
                label: format!("{} {unit} × {amount}", fmt_it::integer(quantity)),
                amount: Money::round(exact),
            });
        }
        Price::PerAbitante {
            rate,
            minimum,
            maximum,
        } => {
            let ab = counts.abitanti()?;
            let exact = decimal::mul_count(ab, *rate)
                .ok_or_else(|| Error::overflow(path.to_string(), format!("{ab} × {rate}")))?;
            let amount = Money::round(exact);
            lines.push(QuoteLine {
                rule: Rule::Price,
                label: format!("{} abitanti × {}", fmt_it::integer(ab), fmt_it::rate(*rate)),
                amount,
            });
            let sub = |a: Money, b: Money| {
                a.checked_sub(b)
                    .ok_or_else(|| Error::overflow(path.to_string(), format!("{a} - {b}")))
            };
            if let Some(min) = minimum.filter(|m| amount < *m) {
                lines.push(QuoteLine {
                    rule: Rule::Price,
                    label: format!("Integrazione all'importo minimo di {min}"),
                    amount: sub(min, amount)?,
                });
            } else if let Some(max) = maximum.filter(|m| amount > *m) {
                lines.push(QuoteLine {
                    rule: Rule::Price,
                    label: format!("Riduzione all'importo massimo di {max}"),
                    amount: sub(max, amount)?,
                });
            }
        }
        Price::ByBand { bands } => {
            let i = ente_band(bands, counts)?;
            let amount = bands.get(i).map_or(Money::ZERO, |b| b.amount);
            lines.push(QuoteLine {
                rule: Rule::Price,
                label: format!("Importo per la fascia {}", band::label(bands, i)),
                amount,
            });
        }
    }
    Money::checked_sum(lines[start..].iter().map(|l| l.amount))
        .ok_or_else(|| Error::overflow(path.to_string(), "sum of the price lines"))
}

/// Use beyond the allowance (R-ENTITLE): members get the units of their band free.
fn allowance_line(
    a: &Allowance,
    counts: &Counts<'_>,
    quantity: u64,
    member: bool,
    path: ServiceAt<'_>,
    lines: &mut Vec<QuoteLine>,
) -> Result<()> {
    let used = Decimal::from(quantity);
    let (included, label) = if member {
        let i = ente_band(&a.bands, counts)?;
        let included = a.bands.get(i).map_or(Decimal::ZERO, |b| b.included);
        (
            included,
            format!(
                "{} oltre la franchigia di {} {}",
                a.what,
                fmt_it::decimal(included, 0, fmt_it::ALL_DP),
                a.unit
            ),
        )
    } else {
        (
            Decimal::ZERO,
            format!("{} (nessuna franchigia per i non aderenti)", a.what),
        )
    };
    let beyond = used
        .checked_sub(included)
        .ok_or_else(|| Error::overflow(path.to_string(), format!("{used} - {included}")))?;
    if beyond > Decimal::ZERO {
        let exact = decimal::mul(beyond, a.beyond.to_decimal())
            .ok_or_else(|| Error::overflow(path.to_string(), format!("{beyond} × {}", a.beyond)))?;
        lines.push(QuoteLine {
            rule: Rule::Entitle,
            label: format!(
                "{label}: {} {} × {}",
                fmt_it::decimal(beyond, 0, fmt_it::ALL_DP),
                a.unit,
                a.beyond
            ),
            amount: Money::round(exact),
        });
    }
    Ok(())
}

/// Every problem of the `services` section, with its JSON path.
pub(super) fn validate(p: &mut Vec<Problem>, services: &[Service]) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, s) in services.iter().enumerate() {
        let base = format!("services[{i}]");
        if s.code.trim().is_empty() {
            p.push(Problem::new(
                format!("{base}.code"),
                "a non-empty code",
                format!("{:?}", s.code),
            ));
        } else if let Some(j) = seen.get(s.code.as_str()) {
            p.push(Problem::new(
                format!("{base}.code"),
                format!("a code not already used by services[{j}]"),
                format!("{:?}", s.code),
            ));
        } else {
            seen.insert(&s.code, i);
        }
        if s.name.trim().is_empty() {
            p.push(Problem::new(
                format!("{base}.name"),
                "a non-empty name",
                format!("{:?}", s.name),
            ));
        }
        validate_price(p, &format!("{base}.list_price"), &s.list_price);
        if let Some(price) = &s.member_price {
            validate_price(p, &format!("{base}.member_price"), price);
        }
        if let Some(d) = s.member_discount {
            if d.is_sign_negative() && !d.is_zero() || d > Decimal::ONE {
                p.push(Problem::new(
                    format!("{base}.member_discount"),
                    "a fraction between 0 and 1",
                    d.to_string(),
                ));
            }
        }
        if s.member_price.is_some() && s.member_discount.is_some() {
            p.push(Problem::new(
                format!("{base}.member_discount"),
                "either member_price or member_discount, not both",
                "both",
            ));
        }
        if s.tier == Tier::Base && (s.member_price.is_some() || s.member_discount.is_some()) {
            p.push(Problem::new(
                format!("{base}.tier"),
                "\"premium\" when a member price or discount is given: base services are included in the quota (R-TIER)",
                "\"base\"",
            ));
        }
        if s.billing == Billing::UnaTantum && s.renewal == Renewal::Tacit {
            p.push(Problem::new(
                format!("{base}.renewal"),
                "\"confirm\" (or nothing): una tantum services never renew (R-RENEW)",
                "\"tacit\"",
            ));
        }
        if let Some(a) = &s.allowance {
            let path = format!("{base}.allowance");
            if matches!(s.list_price, Price::PerUnit { .. })
                || matches!(s.member_price, Some(Price::PerUnit { .. }))
            {
                p.push(Problem::new(
                    path.clone(),
                    "no allowance on a per_unit price (the units would be priced twice)",
                    "an allowance",
                ));
            }
            non_negative(p, &format!("{path}.beyond"), a.beyond.to_decimal());
            validate_band_edges(p, &format!("{path}.bands"), &a.bands);
            for (j, b) in a.bands.iter().enumerate() {
                non_negative(p, &format!("{path}.bands[{j}].included"), b.included);
            }
        }
    }
}

fn validate_price(p: &mut Vec<Problem>, path: &str, price: &Price) {
    match price {
        Price::Flat { amount } | Price::PerUnit { amount, .. } => {
            non_negative(p, &format!("{path}.amount"), amount.to_decimal());
        }
        Price::PerAbitante {
            rate,
            minimum,
            maximum,
        } => {
            non_negative(p, &format!("{path}.rate"), *rate);
            for (field, m) in [("minimum", minimum), ("maximum", maximum)] {
                if let Some(m) = m {
                    non_negative(p, &format!("{path}.{field}"), m.to_decimal());
                }
            }
            if let (Some(min), Some(max)) = (minimum, maximum) {
                if max < min {
                    p.push(Problem::new(
                        format!("{path}.maximum"),
                        format!("at least the minimum, {}", min.to_plain_string()),
                        max.to_plain_string(),
                    ));
                }
            }
        }
        Price::ByBand { bands } => {
            validate_band_edges(p, &format!("{path}.bands"), bands);
            for (j, b) in bands.iter().enumerate() {
                non_negative(
                    p,
                    &format!("{path}.bands[{j}].amount"),
                    b.amount.to_decimal(),
                );
            }
        }
    }
    if let Price::PerUnit { unit, .. } = price {
        if unit.trim().is_empty() {
            p.push(Problem::new(
                format!("{path}.unit"),
                "a unit for labels (\"persone\")",
                "\"\"",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::EnteKind;

    const CATALOGUE: &str = include_str!("../../../examples/tariffs/bs-2021-services.json");

    fn catalogue() -> Tariff {
        Tariff::from_json(CATALOGUE).unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn member() -> Standing {
        Standing::Member {
            membership: "A-1".into(),
            from: d(2021, 1, 1),
            to: d(2025, 12, 31),
        }
    }

    fn lines(q: &ServiceQuote) -> Vec<(Rule, String, i64)> {
        q.quote
            .lines()
            .iter()
            .map(|l| (l.rule, l.label.clone(), l.amount.cents().unwrap()))
            .collect()
    }

    /// The example catalogue with `service` appended (or replacing the services).
    fn with_services(services: Value) -> Result<Tariff> {
        let mut doc: Value = serde_json::from_str(CATALOGUE).unwrap();
        doc["services"] = services;
        Tariff::from_json(&doc.to_string())
    }

    #[test]
    fn r_price_per_unit_member_price_spid() {
        // 3 persone × € 35,00 = € 105,00 at the member price; € 45,00 each at list price.
        let t = catalogue();
        let ente = Ente::comune("017001", "Acquafredda", 1_600, 120);
        let q = t
            .price_service(&ente, "spid", 3, &member(), d(2022, 3, 1))
            .unwrap();
        assert_eq!(
            lines(&q),
            [(
                Rule::Price,
                "3 persone × € 35,00 (prezzo aderenti)".into(),
                10_500
            )]
        );
        assert_eq!(q.price, AppliedPrice::Member);
        assert!(
            q.reason.contains("aderente al 2022-03-01 (adesione A-1"),
            "{}",
            q.reason
        );
        let q = t
            .price_service(&ente, "spid", 3, &Standing::NonMember, d(2022, 3, 1))
            .unwrap();
        assert_eq!(q.total(), Money::from_cents(13_500));
        assert_eq!(q.price, AppliedPrice::List);
        assert_eq!(
            q.reason,
            "nessuna adesione attiva al 2022-03-01: prezzo di listino (R-JOIN)"
        );
    }

    #[test]
    fn r_entitle_preservation_bands_and_beyond() {
        // A comune of 4.200 abitanti is in the band up to 5.000: 1 GB included.
        // 3 GB used → 2 GB × € 40,00 = € 80,00; the € 300 flat is in the quota (R-TIER).
        let t = catalogue();
        let ente = Ente::comune("017002", "Adro", 4_200, 300);
        let q = t
            .price_service(&ente, "conservazione", 3, &member(), d(2021, 6, 1))
            .unwrap();
        assert_eq!(
            lines(&q),
            [
                (Rule::Price, "Importo forfettario".into(), 30_000),
                (
                    Rule::Tier,
                    "Servizio base compreso nella quota di adesione".into(),
                    -30_000
                ),
                (
                    Rule::Entitle,
                    "Spazio di conservazione oltre la franchigia di 1 GB: 2 GB × € 40,00".into(),
                    8_000
                ),
            ]
        );
        assert_eq!(q.price, AppliedPrice::Included);
        // Up to 3.000 abitanti: 0,5 GB, so 3 GB → 2,5 GB × 40 = 100,00.
        let small = Ente::comune("017003", "Piccolo", 3_000, 10);
        let q = t
            .price_service(&small, "conservazione", 3, &member(), d(2021, 6, 1))
            .unwrap();
        assert_eq!(q.total(), Money::from_cents(10_000));
        // Within the allowance nothing is due.
        let q = t
            .price_service(&ente, "conservazione", 1, &member(), d(2021, 6, 1))
            .unwrap();
        assert_eq!(q.total(), Money::ZERO);
        // A non-member pays the list price and every GB: 300 + 3 × 40 = 420,00.
        let q = t
            .price_service(
                &ente,
                "conservazione",
                3,
                &Standing::NonMember,
                d(2021, 6, 1),
            )
            .unwrap();
        assert_eq!(q.total(), Money::from_cents(42_000));
    }

    #[test]
    fn r_entitle_telemaco_170_lookups_up_to_3000() {
        // 200 look-ups, 170 included: 30 × € 0,50 = € 15,00.
        let t = catalogue();
        let ente = Ente::comune("017003", "Piccolo", 2_500, 10);
        let q = t
            .price_service(&ente, "telemaco", 200, &member(), d(2021, 6, 1))
            .unwrap();
        assert_eq!(q.total(), Money::from_cents(1_500));
        assert!(q.quote.lines()[2].label.ends_with("30 visure × € 0,50"));
    }

    #[test]
    fn r_tier_member_discount_on_per_abitante_canone() {
        // 12.345 × 0,05 = 617,25; 25 % off = −154,3125 → −154,31; total 462,94.
        let t = catalogue();
        let ente = Ente::comune("017004", "Medio", 12_345, 900);
        let q = t
            .price_service(&ente, "protocollo", 1, &member(), d(2021, 6, 1))
            .unwrap();
        assert_eq!(
            lines(&q),
            [
                (Rule::Price, "12.345 abitanti × € 0,05".into(), 61_725),
                (Rule::Tier, "Sconto aderenti del 25%".into(), -15_431),
            ]
        );
        // The minimum: 1.000 × 0,05 = 50,00, raised to 150,00 (R-PRICE).
        let small = Ente::comune("017005", "Mini", 1_000, 9);
        let q = t
            .price_service(&small, "protocollo", 1, &member(), d(2021, 6, 1))
            .unwrap();
        assert_eq!(q.quote.lines()[1].amount, Money::from_cents(10_000));
    }

    #[test]
    fn r_members_only_refuses_a_non_member() {
        let t = catalogue();
        let ente = Ente::comune("017004", "Medio", 12_345, 900);
        let e = t
            .price_service(&ente, "protocollo", 1, &Standing::NonMember, d(2021, 6, 1))
            .unwrap_err();
        assert_eq!(e.code(), "not_a_member");
        assert_eq!(
            e.to_string(),
            "service `protocollo` is delivered only to members: ente `017004` has no active membership on 2021-06-01 (R-MEMBERS-ONLY)"
        );
    }

    #[test]
    fn r_price_by_band_and_unione_without_counts() {
        let t = with_services(json!([{
            "code": "sito", "name": "Sito web", "tier": "premium", "billing": "canone",
            "list_price": {"basis": "by_band", "bands": [
                {"up_to": 3000, "amount": "200.00"}, {"up_to": null, "amount": "500.00"}]},
            "member_price": {"basis": "flat", "amount": "100.00"}
        }]))
        .unwrap();
        let ente = Ente::comune("017004", "Medio", 12_345, 900);
        let q = t
            .price_service(&ente, "sito", 1, &Standing::NonMember, d(2021, 6, 1))
            .unwrap();
        assert_eq!(
            lines(&q),
            [(
                Rule::Price,
                "Importo per la fascia oltre 3.000 abitanti".into(),
                50_000
            )]
        );
        let mut unione = Ente::comune("U1", "Unione", 0, 0);
        unione.kind = EnteKind::Unione;
        unione.abitanti = None;
        let e = t
            .price_service(&unione, "sito", 1, &Standing::NonMember, d(2021, 6, 1))
            .unwrap_err();
        assert_eq!(e.code(), "missing_count");
        let q = t
            .price_service(&unione, "sito", 1, &member(), d(2021, 6, 1))
            .unwrap();
        assert_eq!(q.total(), Money::from_cents(10_000));
    }

    #[test]
    fn r_price_refuses_unknown_service_quantity_and_date() {
        let t = catalogue();
        let ente = Ente::comune("017004", "Medio", 12_345, 900);
        let e = t
            .price_service(&ente, "nope", 1, &member(), d(2021, 6, 1))
            .unwrap_err();
        assert_eq!(e.code(), "unknown_service");
        let e = t
            .price_service(&ente, "protocollo", 2, &member(), d(2021, 6, 1))
            .unwrap_err();
        assert_eq!(e.path().as_deref(), Some("quantity"));
        let e = t
            .price_service(&ente, "spid", 1, &member(), d(2026, 1, 1))
            .unwrap_err();
        assert_eq!(e.code(), "year_outside_period");
    }

    #[test]
    fn services_validation_reports_every_problem_with_its_path() {
        let e = with_services(json!([
            {"code": "a", "name": "A", "tier": "premium", "billing": "canone",
             "list_price": {"basis": "flat", "amount": "-1.00"},
             "member_price": {"basis": "flat", "amount": "1.00"}, "member_discount": "1.5"},
            {"code": "a", "name": "", "tier": "base", "billing": "una_tantum", "renewal": "tacit",
             "list_price": {"basis": "per_unit", "amount": "1.00", "unit": "kit"},
             "member_discount": "0.1",
             "allowance": {"what": "X", "unit": "u", "beyond": "1.00",
                 "bands": [{"up_to": 5000, "included": "1"}, {"up_to": 3000, "included": "-1"},
                           {"up_to": null, "included": "2"}]}},
            {"code": "c", "name": "C", "tier": "premium", "billing": "canone",
             "list_price": {"basis": "by_band", "bands": [{"up_to": null, "amount": "1.00"},
                                                          {"up_to": 10, "amount": "1.00"}]}},
            {"code": "d", "name": "D", "tier": "premium", "billing": "canone",
             "list_price": {"basis": "per_abitante", "rate": "0.1", "minimum": "10.00", "maximum": "5.00"}}
        ]))
        .unwrap_err();
        let Error::Invalid { problems, .. } = &e else {
            panic!("{e}")
        };
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "services[0].list_price.amount",
                "services[0].member_discount",
                "services[0].member_discount",
                "services[1].code",
                "services[1].name",
                "services[1].tier",
                "services[1].renewal",
                "services[1].allowance",
                "services[1].allowance.bands[1].up_to",
                "services[1].allowance.bands[1].included",
                "services[2].list_price.bands[0].up_to",
                "services[2].list_price.bands[1].up_to",
                "services[3].list_price.maximum",
            ]
        );
    }

    #[test]
    fn services_refuse_unknown_fields_with_path() {
        let e = with_services(json!([{"code": "a", "name": "A", "tier": "premium",
            "billing": "canone", "list_price": {"basis": "flat", "amount": "1.00", "amonut": 1}}]))
        .unwrap_err();
        assert_eq!(e.code(), "malformed");
        assert_eq!(e.path().as_deref(), Some("services[0].list_price.amonut"));
        // An error inside a price names its field, whatever the order of the basis.
        let e = with_services(json!([{"code": "a", "name": "A", "tier": "premium",
            "billing": "canone", "list_price": {"amount": "1.001", "basis": "flat"}}]))
        .unwrap_err();
        assert_eq!(e.path().as_deref(), Some("services[0].list_price.amount"));
        assert!(e.to_string().contains("1.001"), "{e}");
        let e = with_services(json!([{"code": "a", "name": "A", "tier": "premium",
            "billing": "canone", "list_price": {"basis": "by_band",
            "bands": [{"up_to": 10, "amount": "1.00"}, {"up_to": "x", "amount": "2.00"}]}}]))
        .unwrap_err();
        assert_eq!(
            e.path().as_deref(),
            Some("services[0].list_price.bands[1].up_to")
        );
    }

    #[test]
    fn catalogue_round_trips() {
        let t = catalogue();
        assert_eq!(Tariff::from_json(&t.to_json()).unwrap(), t);
        assert_eq!(t.document().services.len(), 5);
    }
}
