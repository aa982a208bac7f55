//! R-COST: the break-even fee of a service, from its costs and its expected adherents.
//!
//! "Una valutazione economica complessiva dei costi relativi all'erogazione e alla gestione
//! di tale servizio e una stima dei potenziali utenti" (RULES.md, R-COST).
//!
//! Every amount here is rounded **up**, not half away from zero as R-ROUND does for a
//! quota: a break-even fee rounded down would fall short of the cost it must recover.
//! - the yearly share of the set-up cost is `⌈set-up / years⌉` to the cent, so that
//!   `years` shares recover at least the set-up cost;
//! - the yearly cost is that share plus the yearly running cost (whole cents);
//! - the flat fee per ente is `⌈yearly cost / enti⌉` to the cent;
//! - the rate per abitante is `⌈yearly cost / abitanti⌉` to [`RATE_DP`] (4) decimals of a
//!   euro.
//!
//! Each fee is the smallest of its precision whose revenue (`fee × enti`,
//! `rate × abitanti`) is not below the yearly cost. Caveat: when a rate per abitante is
//! billed comune by comune, each quota is rounded by R-ROUND and may lose up to half a cent;
//! the rate's margin over the cost (up to `abitanti × 0,0001 €`) normally absorbs that, but
//! this module does not promise it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::int;
use crate::decimal::{self, DivRound};
use crate::{Ente, Error, Money, QuoteLine, Result, Rule, fmt_it};

/// Decimal places of a break-even rate per abitante (`€ 0,1504`).
pub const RATE_DP: u32 = 4;

/// `10^(RATE_DP − 2)`: a rate in units of `10^-RATE_DP` € times abitanti, over this, is cents.
const RATE_UNITS_PER_CENT: i128 = 100;
const _: () = assert!(10i128.pow(RATE_DP - 2) == RATE_UNITS_PER_CENT);

/// What a service costs: a one-off set-up cost amortised over some years, and a yearly
/// running cost (R-COST).
///
/// # Example
/// ```
/// use cit_core::Money;
/// use cit_core::analysis::{Adherents, ServiceCost};
///
/// let cost = ServiceCost {
///     setup: Money::from_cents(1_000_000),   // € 10.000,00 once
///     amortisation_years: 3,
///     running: Money::from_cents(500_000),   // € 5.000,00 a year
/// };
/// let be = cost.break_even(Adherents::new(40, 55_432))?;
/// // € 10.000,00 / 3 = 3.333,33… → 3.333,34 (up); + 5.000,00 = 8.333,34 a year
/// assert_eq!(be.yearly_cost, Money::from_cents(833_334));
/// // 8.333,34 / 40 = 208,3335 → € 208,34 per ente
/// assert_eq!(be.per_ente.as_ref().map(|f| f.fee), Some(Money::from_cents(20_834)));
/// // 8.333,34 / 55.432 = 0,150334… → € 0,1504 per abitante
/// assert_eq!(be.per_abitante.as_ref().map(|r| r.rate.to_string()), Some("0.1504".into()));
/// assert!(be.check_flat(Money::from_cents(20_000))?.below_cost);
/// # Ok::<(), cit_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceCost {
    /// The one-off set-up cost (*costo di avvio*), zero or more.
    pub setup: Money,
    /// The years over which the set-up cost is recovered, at least 1.
    pub amortisation_years: u32,
    /// The yearly running cost (*costo di gestione*), zero or more.
    pub running: Money,
}

/// The expected adherents of a service: how many enti, and how many abitanti they have.
/// At least one of the two must be given; each one given must be positive.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Adherents {
    /// The number of enti expected to adhere (prices a flat fee per ente).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enti: Option<u64>,
    /// Their abitanti in all (prices a rate per abitante).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abitanti: Option<u64>,
}

impl Adherents {
    /// `enti` adherents and their `abitanti`.
    pub fn new(enti: u64, abitanti: u64) -> Adherents {
        Adherents {
            enti: Some(enti),
            abitanti: Some(abitanti),
        }
    }

    /// `enti` adherents, abitanti unknown (prices only a flat fee).
    pub fn enti(enti: u64) -> Adherents {
        Adherents {
            enti: Some(enti),
            abitanti: None,
        }
    }

    /// Adherents totalling `abitanti` (prices only a rate per abitante).
    pub fn abitanti(abitanti: u64) -> Adherents {
        Adherents {
            enti: None,
            abitanti: Some(abitanti),
        }
    }

    /// The count of `enti` and the sum of their abitanti.
    ///
    /// # Errors
    /// [`Error::MissingCount`] for an ente without `abitanti` (never taken as zero);
    /// [`Error::Overflow`] if the sum does not fit a `u64`.
    ///
    /// # Example
    /// ```
    /// use cit_core::Ente;
    /// use cit_core::analysis::Adherents;
    ///
    /// let enti = [Ente::comune("1", "A", 1_000, 0), Ente::comune("2", "B", 2_500, 0)];
    /// assert_eq!(Adherents::of(&enti)?, Adherents::new(2, 3_500));
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn of(enti: &[Ente]) -> Result<Adherents> {
        let mut abitanti: u64 = 0;
        for ente in enti {
            let ab = ente.abitanti.ok_or_else(|| Error::MissingCount {
                ente: ente.id.clone(),
                field: "abitanti",
            })?;
            abitanti = int::checked(abitanti.checked_add(ab), "adherents.abitanti", || {
                format!("{abitanti} + {ab}")
            })?;
        }
        Ok(Adherents::new(enti.len() as u64, abitanti))
    }
}

/// The break-even flat fee per ente (R-COST).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct FlatFee {
    /// The expected adherents it is spread over.
    pub enti: u64,
    /// The fee: `⌈yearly cost / enti⌉` to the cent.
    pub fee: Money,
    /// `fee × enti`: never below the yearly cost, and less than a cent per ente above it.
    pub revenue: Money,
    /// The arithmetic, in Italian.
    pub label: String,
}

/// The break-even rate per abitante (R-COST).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct RateFee {
    /// The abitanti of the expected adherents.
    pub abitanti: u64,
    /// The rate in euro per abitante: `⌈yearly cost / abitanti⌉` to [`RATE_DP`] decimals.
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(serialize_with = "crate::decimal::marked")]
    pub rate: Decimal,
    /// `rate × abitanti` rounded to the cent (R-ROUND): never below the yearly cost.
    pub revenue: Money,
    /// The arithmetic, in Italian.
    pub label: String,
}

/// The break-even of a service for its expected adherents (R-COST), with the arithmetic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct BreakEven {
    /// The costs.
    pub cost: ServiceCost,
    /// The expected adherents.
    pub adherents: Adherents,
    /// `⌈setup / amortisation_years⌉` to the cent.
    pub yearly_amortisation: Money,
    /// The yearly cost to recover: `yearly_amortisation + running`.
    pub yearly_cost: Money,
    /// The yearly cost line by line, like a quote: the lines sum to `yearly_cost`.
    pub lines: Vec<QuoteLine>,
    /// The flat fee per ente, when the number of enti is given.
    pub per_ente: Option<FlatFee>,
    /// The rate per abitante, when the abitanti are given.
    pub per_abitante: Option<RateFee>,
}

/// How a proposed price is charged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeeBasis {
    /// A flat fee per ente.
    PerEnte,
    /// A rate per abitante.
    PerAbitante,
}

/// A price proposed for a service, to check against its break-even (R-COST):
/// `{"per_ente": "250.00"}` (a flat fee, whole cents) or `{"per_abitante": "0.0150"}` (a
/// rate in euro per abitante).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Proposal {
    /// A flat fee per ente.
    PerEnte(Money),
    /// A rate per abitante.
    PerAbitante(
        #[serde(with = "crate::decimal")]
        #[schemars(with = "crate::schema::DecimalText")]
        Decimal,
    ),
}

/// A proposed price against the yearly cost (R-COST): revenue, margin, and whether it is
/// below cost (Genova's concern: no unfair competition with private suppliers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct PriceCheck {
    /// Flat per ente or per abitante.
    pub basis: FeeBasis,
    /// The proposed price (euro per ente or per abitante).
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(serialize_with = "crate::decimal::marked")]
    pub price: Decimal,
    /// The break-even price on the same basis.
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(serialize_with = "crate::decimal::marked")]
    pub break_even: Decimal,
    /// What the price collects from the expected adherents, rounded to the cent (R-ROUND).
    pub revenue: Money,
    /// The yearly cost to recover.
    pub yearly_cost: Money,
    /// `revenue − yearly_cost`; the lines sum to it.
    pub margin: Money,
    /// True if the exact revenue is below the yearly cost, i.e. the price is below the
    /// break-even price. Decided on the exact revenue, so a rate whose revenue falls short
    /// by less than half a cent is below cost even though its rounded margin is `0,00`.
    pub below_cost: bool,
    /// Revenue and cost, like a quote.
    pub lines: Vec<QuoteLine>,
}

impl ServiceCost {
    /// Checks the costs: both zero or more, at least one year of amortisation.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] naming the first field out of its domain.
    pub fn validate(&self) -> Result<()> {
        for (path, m) in [("setup", self.setup), ("running", self.running)] {
            if m.is_negative() {
                return Err(Error::invalid_value(
                    path,
                    "an amount of zero or more",
                    m.to_plain_string(),
                ));
            }
        }
        if self.amortisation_years == 0 {
            return Err(Error::invalid_value(
                "amortisation_years",
                "at least 1 year",
                0,
            ));
        }
        Ok(())
    }

    /// `⌈setup / amortisation_years⌉` to the cent: the yearly share of the set-up cost.
    ///
    /// # Errors
    /// As [`ServiceCost::validate`]; [`Error::Overflow`] if the amount does not fit.
    pub fn yearly_amortisation(&self) -> Result<Money> {
        self.validate()?;
        let setup = int::cents(self.setup, "setup")?;
        let years = i128::from(self.amortisation_years);
        let share = int::checked(int::div_ceil(setup, years), "setup", || {
            format!("{setup} / {years}")
        })?;
        int::money(share, "setup")
    }

    /// The yearly cost to recover: the set-up share plus the running cost.
    ///
    /// # Errors
    /// As [`ServiceCost::yearly_amortisation`].
    pub fn yearly_cost(&self) -> Result<Money> {
        let share = self.yearly_amortisation()?;
        share.checked_add(self.running).ok_or_else(|| {
            Error::overflow(
                "running",
                format!(
                    "{} + {}",
                    share.to_plain_string(),
                    self.running.to_plain_string()
                ),
            )
        })
    }

    /// The break-even fees for `adherents` (R-COST): flat per ente if their number is
    /// given, per abitante if their abitanti are, both rounded up (see the module docs).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for negative costs, zero amortisation years, no adherents
    /// given, or zero enti or abitanti; [`Error::Overflow`] if an amount does not fit.
    ///
    /// # Example
    /// ```
    /// use cit_core::Money;
    /// use cit_core::analysis::{Adherents, ServiceCost};
    ///
    /// let cost = ServiceCost {
    ///     setup: Money::from_cents(1_200_000),
    ///     amortisation_years: 3,
    ///     running: Money::from_cents(500_000),
    /// };
    /// let be = cost.break_even(Adherents::enti(40))?;
    /// for line in &be.lines {
    ///     println!("{} {:<70} {:>14}", line.rule, line.label, line.amount);
    /// }
    /// // 12.000 / 3 + 5.000 = 9.000 a year; / 40 = € 225,00 per ente
    /// assert_eq!(be.per_ente.map(|f| f.fee.to_string()), Some("€ 225,00".into()));
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn break_even(&self, adherents: Adherents) -> Result<BreakEven> {
        self.validate()?;
        if adherents.enti.is_none() && adherents.abitanti.is_none() {
            return Err(Error::invalid_value(
                "adherents",
                "the expected number of enti, their abitanti, or both",
                "neither",
            ));
        }
        for (path, n) in [
            ("adherents.enti", adherents.enti),
            ("adherents.abitanti", adherents.abitanti),
        ] {
            if n == Some(0) {
                return Err(Error::invalid_value(path, "a positive number", 0));
            }
        }
        let yearly_amortisation = self.yearly_amortisation()?;
        let yearly_cost = self.yearly_cost()?;
        let cost = int::cents(yearly_cost, "running")?;

        let mut lines = Vec::with_capacity(2);
        if !self.setup.is_zero() {
            let years = self.amortisation_years;
            let label = if years == 1 {
                format!("Costo di avvio {} recuperato in 1 anno", self.setup)
            } else {
                format!(
                    "Costo di avvio {} ammortizzato in {years} anni (quota annua per eccesso)",
                    self.setup
                )
            };
            lines.push(QuoteLine {
                rule: Rule::Cost,
                label,
                amount: yearly_amortisation,
            });
        }
        lines.push(QuoteLine {
            rule: Rule::Cost,
            label: "Costo annuo di gestione".to_owned(),
            amount: self.running,
        });

        let per_ente = match adherents.enti {
            Some(n) => {
                let n_i = i128::from(n);
                let fee = int::checked(int::div_ceil(cost, n_i), "adherents.enti", || {
                    format!("{cost} / {n}")
                })?;
                let revenue = int::checked(fee.checked_mul(n_i), "adherents.enti", || {
                    format!("{fee} × {n}")
                })?;
                let fee = int::money(fee, "adherents.enti")?;
                Some(FlatFee {
                    enti: n,
                    fee,
                    revenue: int::money(revenue, "adherents.enti")?,
                    label: format!(
                        "Tariffa di pareggio per ente: {yearly_cost} / {} enti = {fee} (per eccesso)",
                        fmt_it::integer(n)
                    ),
                })
            }
            None => None,
        };

        let per_abitante = match adherents.abitanti {
            Some(ab) => {
                let ab_i = i128::from(ab);
                let path = "adherents.abitanti";
                let scaled = int::checked(cost.checked_mul(RATE_UNITS_PER_CENT), path, || {
                    format!("{cost} × {RATE_UNITS_PER_CENT}")
                })?;
                let units = int::checked(int::div_ceil(scaled, ab_i), path, || {
                    format!("{scaled} / {ab}")
                })?;
                let exact =
                    int::checked(units.checked_mul(ab_i), path, || format!("{units} × {ab}"))?;
                let revenue = int::checked(exact.div_round(RATE_UNITS_PER_CENT), path, || {
                    format!("{exact} / {RATE_UNITS_PER_CENT}")
                })?;
                let rate = Decimal::try_from_i128_with_scale(units, RATE_DP)
                    .map_err(|_| Error::overflow(path, format!("{units} × 10^-{RATE_DP}")))?;
                Some(RateFee {
                    abitanti: ab,
                    rate,
                    revenue: int::money(revenue, path)?,
                    label: format!(
                        "Tariffa di pareggio per abitante: {yearly_cost} / {} abitanti = € {} (per eccesso, {RATE_DP} decimali)",
                        fmt_it::integer(ab),
                        fmt_it::decimal(rate, RATE_DP, RATE_DP)
                    ),
                })
            }
            None => None,
        };

        Ok(BreakEven {
            cost: self.clone(),
            adherents,
            yearly_amortisation,
            yearly_cost,
            lines,
            per_ente,
            per_abitante,
        })
    }
}

impl BreakEven {
    /// A proposed price on either basis: [`BreakEven::check_flat`] for
    /// [`Proposal::PerEnte`], [`BreakEven::check_per_abitante`] for
    /// [`Proposal::PerAbitante`].
    ///
    /// # Errors
    /// As the check of its basis.
    ///
    /// # Example
    /// ```
    /// use cit_core::Money;
    /// use cit_core::analysis::{Adherents, Proposal, ServiceCost};
    ///
    /// let cost = ServiceCost {
    ///     setup: Money::from_cents(1_200_000),
    ///     amortisation_years: 3,
    ///     running: Money::from_cents(500_000),
    /// };
    /// let proposal: Proposal = serde_json::from_str(r#"{"per_ente": "250.00"}"#).unwrap();
    /// let check = cost.break_even(Adherents::enti(40))?.check(&proposal)?;
    /// assert_eq!(check.margin.to_plain_string(), "1000.00");
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn check(&self, proposal: &Proposal) -> Result<PriceCheck> {
        match *proposal {
            Proposal::PerEnte(fee) => self.check_flat(fee),
            Proposal::PerAbitante(rate) => self.check_per_abitante(rate),
        }
    }
    /// A flat `price` per ente against the yearly cost: revenue `price × enti`, margin, and
    /// the below-cost flag.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a negative price, or if the adherents were given without
    /// their number of enti; [`Error::Overflow`] if the revenue does not fit.
    ///
    /// # Example
    /// ```
    /// use cit_core::Money;
    /// use cit_core::analysis::{Adherents, ServiceCost};
    ///
    /// let cost = ServiceCost {
    ///     setup: Money::from_cents(1_200_000),
    ///     amortisation_years: 3,
    ///     running: Money::from_cents(500_000),
    /// };
    /// let check = cost.break_even(Adherents::enti(40))?.check_flat("250.00".parse().unwrap())?;
    /// // 40 × 250,00 = 10.000,00 − 9.000,00 = 1.000,00
    /// assert_eq!(check.margin.to_plain_string(), "1000.00");
    /// assert!(!check.below_cost);
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn check_flat(&self, price: Money) -> Result<PriceCheck> {
        let Some(flat) = &self.per_ente else {
            return Err(Error::invalid_value(
                "adherents.enti",
                "the expected number of enti, to check a price per ente",
                "nothing",
            ));
        };
        if price.is_negative() {
            return Err(Error::invalid_value(
                "price",
                "a price of zero or more",
                price.to_plain_string(),
            ));
        }
        let p = int::cents(price, "price")?;
        let revenue = int::checked(p.checked_mul(i128::from(flat.enti)), "price", || {
            format!("{p} × {}", flat.enti)
        })?;
        let cost = int::cents(self.yearly_cost, "running")?;
        let label = format!("Ricavo: {} enti × {price}", fmt_it::integer(flat.enti));
        self.price_check(
            FeeBasis::PerEnte,
            price.to_decimal(),
            flat.fee.to_decimal(),
            int::money(revenue, "price")?,
            revenue < cost,
            label,
        )
    }

    /// A `rate` in euro per abitante against the yearly cost: revenue `rate × abitanti`
    /// rounded to the cent (R-ROUND), margin, and the below-cost flag (on the exact revenue).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a negative rate, or if the adherents were given without
    /// their abitanti; [`Error::Overflow`] if the revenue does not fit exact arithmetic.
    ///
    /// # Example
    /// ```
    /// use cit_core::Money;
    /// use cit_core::analysis::{Adherents, ServiceCost};
    /// use rust_decimal::Decimal;
    ///
    /// let cost = ServiceCost {
    ///     setup: Money::ZERO,
    ///     amortisation_years: 1,
    ///     running: Money::from_cents(900_000),
    /// };
    /// let be = cost.break_even(Adherents::abitanti(60_000))?;
    /// let check = be.check_per_abitante(Decimal::new(15, 2))?;
    /// // 60.000 × 0,15 = 9.000,00: exactly the cost
    /// assert!(check.margin.is_zero() && !check.below_cost);
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn check_per_abitante(&self, rate: Decimal) -> Result<PriceCheck> {
        let Some(fee) = &self.per_abitante else {
            return Err(Error::invalid_value(
                "adherents.abitanti",
                "the abitanti of the expected adherents, to check a rate per abitante",
                "nothing",
            ));
        };
        if rate.is_sign_negative() && !rate.is_zero() {
            return Err(Error::invalid_value("rate", "a rate of zero or more", rate));
        }
        let exact = decimal::mul_count(fee.abitanti, rate)
            .ok_or_else(|| Error::overflow("rate", format!("{} × {rate}", fee.abitanti)))?;
        let label = format!(
            "Ricavo: {} abitanti × {}",
            fmt_it::integer(fee.abitanti),
            fmt_it::rate(rate)
        );
        self.price_check(
            FeeBasis::PerAbitante,
            rate,
            fee.rate,
            Money::round(exact),
            exact < self.yearly_cost.to_decimal(),
            label,
        )
    }

    fn price_check(
        &self,
        basis: FeeBasis,
        price: Decimal,
        break_even: Decimal,
        revenue: Money,
        below_cost: bool,
        label: String,
    ) -> Result<PriceCheck> {
        let margin = revenue.checked_sub(self.yearly_cost).ok_or_else(|| {
            Error::overflow(
                "price",
                format!(
                    "{} - {}",
                    revenue.to_plain_string(),
                    self.yearly_cost.to_plain_string()
                ),
            )
        })?;
        let lines = vec![
            QuoteLine {
                rule: Rule::Cost,
                label,
                amount: revenue,
            },
            QuoteLine {
                rule: Rule::Cost,
                label: "Costo annuo da coprire".to_owned(),
                amount: -self.yearly_cost,
            },
        ];
        Ok(PriceCheck {
            basis,
            price,
            break_even,
            revenue,
            yearly_cost: self.yearly_cost,
            margin,
            below_cost,
            lines,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cost(setup: i64, years: u32, running: i64) -> ServiceCost {
        ServiceCost {
            setup: Money::from_cents(setup),
            amortisation_years: years,
            running: Money::from_cents(running),
        }
    }

    #[test]
    fn r_cost_worked_example() {
        // Set-up € 10.000,00 over 3 years: 1.000.000 c / 3 = 333.333,3… c → 333.334 c (up).
        // Running € 5.000,00: yearly cost 833.334 c = € 8.333,34.
        // 40 enti: 833.334 / 40 = 20.833,35 c → 20.834 c = € 208,34; × 40 = € 8.333,60.
        // 55.432 abitanti: 833.334 c × 100 / 55.432 = 1.503,35… → 1.504 units of € 0,0001
        //   = € 0,1504; × 55.432 = € 8.336,9728 → € 8.336,97.
        let be = cost(1_000_000, 3, 500_000)
            .break_even(Adherents::new(40, 55_432))
            .unwrap();
        assert_eq!(be.yearly_amortisation, Money::from_cents(333_334));
        assert_eq!(be.yearly_cost, Money::from_cents(833_334));
        assert_eq!(
            Money::checked_sum(be.lines.iter().map(|l| l.amount)),
            Some(be.yearly_cost)
        );
        assert!(be.lines.iter().all(|l| l.rule == Rule::Cost));
        assert_eq!(
            be.lines[0].label,
            "Costo di avvio € 10.000,00 ammortizzato in 3 anni (quota annua per eccesso)"
        );
        let flat = be.per_ente.as_ref().unwrap();
        assert_eq!(flat.fee, Money::from_cents(20_834));
        assert_eq!(flat.revenue, Money::from_cents(833_360));
        assert_eq!(
            flat.label,
            "Tariffa di pareggio per ente: € 8.333,34 / 40 enti = € 208,34 (per eccesso)"
        );
        let rate = be.per_abitante.as_ref().unwrap();
        assert_eq!(rate.rate, Decimal::new(1504, 4));
        assert_eq!(rate.revenue, Money::from_cents(833_697));
        assert_eq!(
            rate.label,
            "Tariffa di pareggio per abitante: € 8.333,34 / 55.432 abitanti = € 0,1504 (per eccesso, 4 decimali)"
        );
    }

    #[test]
    fn r_cost_exact_division_is_not_rounded_up() {
        // 12.000 / 3 = 4.000; + 5.000 = 9.000; / 40 = 225,00; / 60.000 ab = 0,15 exactly.
        let be = cost(1_200_000, 3, 500_000)
            .break_even(Adherents::new(40, 60_000))
            .unwrap();
        assert_eq!(be.yearly_cost, Money::from_cents(900_000));
        assert_eq!(be.per_ente.unwrap().fee, Money::from_cents(22_500));
        let rate = be.per_abitante.unwrap();
        assert_eq!(rate.rate, Decimal::new(1500, 4));
        assert_eq!(rate.revenue, Money::from_cents(900_000));
    }

    #[test]
    fn r_cost_no_setup_has_one_line() {
        let be = cost(0, 1, 100).break_even(Adherents::enti(3)).unwrap();
        assert_eq!(be.lines.len(), 1);
        // 100 c / 3 = 33,3… → 34 c
        assert_eq!(be.per_ente.unwrap().fee, Money::from_cents(34));
        assert!(be.per_abitante.is_none());
    }

    #[test]
    fn r_cost_price_check_margin_and_flag() {
        let be = cost(1_200_000, 3, 500_000)
            .break_even(Adherents::new(40, 60_000))
            .unwrap();
        // 40 × € 224,99 = 8.999,60: 0,40 short.
        let low = be.check_flat(Money::from_cents(22_499)).unwrap();
        assert!(low.below_cost);
        assert_eq!(low.margin, Money::from_cents(-40));
        assert_eq!(low.lines[0].label, "Ricavo: 40 enti × € 224,99");
        assert_eq!(
            Money::checked_sum(low.lines.iter().map(|l| l.amount)),
            Some(low.margin)
        );
        assert_eq!(low.basis, FeeBasis::PerEnte);
        assert_eq!(low.break_even, Decimal::new(22_500, 2));
        let even = be.check_flat(Money::from_cents(22_500)).unwrap();
        assert!(!even.below_cost);
        assert!(even.margin.is_zero());
        // 60.000 × 0,14999 = 8.999,40 → below cost by 0,60.
        let rate = be.check_per_abitante(Decimal::new(14_999, 5)).unwrap();
        assert!(rate.below_cost);
        assert_eq!(rate.margin, Money::from_cents(-60));
        assert_eq!(rate.lines[0].label, "Ricavo: 60.000 abitanti × € 0,14999");
    }

    #[test]
    fn r_cost_below_cost_is_decided_on_the_exact_revenue() {
        // Cost € 1,00 over 3 abitanti: a rate of € 0,333333 collects € 0,999999 →
        // rounded € 1,00 (margin 0,00), but it is below cost.
        let be = cost(0, 1, 100).break_even(Adherents::abitanti(3)).unwrap();
        let check = be.check_per_abitante(Decimal::new(333_333, 6)).unwrap();
        assert!(check.margin.is_zero());
        assert!(check.below_cost);
    }

    #[test]
    fn r_cost_refuses_bad_input() {
        let code_path = |r: Result<BreakEven>| {
            let e = r.unwrap_err();
            (e.code(), e.path().unwrap())
        };
        assert_eq!(
            code_path(cost(100, 0, 0).break_even(Adherents::enti(1))),
            ("invalid_value", "amortisation_years".to_owned())
        );
        assert_eq!(
            code_path(cost(-1, 1, 0).break_even(Adherents::enti(1))),
            ("invalid_value", "setup".to_owned())
        );
        assert_eq!(
            code_path(cost(0, 1, -5).break_even(Adherents::enti(1))),
            ("invalid_value", "running".to_owned())
        );
        assert_eq!(
            code_path(cost(0, 1, 5).break_even(Adherents::default())),
            ("invalid_value", "adherents".to_owned())
        );
        assert_eq!(
            code_path(cost(0, 1, 5).break_even(Adherents::enti(0))),
            ("invalid_value", "adherents.enti".to_owned())
        );
        assert_eq!(
            code_path(cost(0, 1, 5).break_even(Adherents::new(2, 0))),
            ("invalid_value", "adherents.abitanti".to_owned())
        );
        let be = cost(0, 1, 5).break_even(Adherents::enti(2)).unwrap();
        assert_eq!(
            be.check_per_abitante(Decimal::ONE)
                .unwrap_err()
                .path()
                .as_deref(),
            Some("adherents.abitanti")
        );
        assert_eq!(
            be.check_flat(Money::from_cents(-1))
                .unwrap_err()
                .path()
                .as_deref(),
            Some("price")
        );
        let be = cost(0, 1, 5).break_even(Adherents::abitanti(2)).unwrap();
        assert_eq!(
            be.check_flat(Money::ZERO).unwrap_err().path().as_deref(),
            Some("adherents.enti")
        );
        assert_eq!(
            be.check_per_abitante(Decimal::NEGATIVE_ONE)
                .unwrap_err()
                .path()
                .as_deref(),
            Some("rate")
        );
    }

    #[test]
    fn r_cost_huge_amounts_overflow_not_panic() {
        let huge = cost(i64::MAX, 1, i64::MAX);
        assert_eq!(
            huge.break_even(Adherents::enti(1)).unwrap_err().code(),
            "overflow"
        );
        // 1 cent per ente, but u64::MAX enti collect more cents than an i64 holds.
        assert_eq!(
            cost(0, 1, i64::MAX)
                .break_even(Adherents::new(u64::MAX, u64::MAX))
                .unwrap_err()
                .code(),
            "overflow"
        );
        let be = cost(0, 1, 100).break_even(Adherents::enti(1_000)).unwrap();
        assert_eq!(
            be.check_flat(Money::from_cents(i64::MAX))
                .unwrap_err()
                .code(),
            "overflow"
        );
    }

    #[test]
    fn r_cost_adherents_of_enti() {
        let mut unione = Ente::comune("U", "Unione", 0, 0);
        unione.abitanti = None;
        assert_eq!(
            Adherents::of(&[unione]).unwrap_err().code(),
            "missing_count"
        );
        assert_eq!(Adherents::of(&[]).unwrap(), Adherents::new(0, 0));
    }

    #[test]
    fn r_cost_serialises_money_as_strings() {
        let be = cost(1_000_000, 3, 500_000)
            .break_even(Adherents::new(40, 55_432))
            .unwrap();
        let json = serde_json::to_value(&be).unwrap();
        assert_eq!(json["yearly_cost"], "8333.34");
        assert_eq!(json["per_abitante"]["rate"], "0.1504");
        assert_eq!(json["per_ente"]["fee"], "208.34");
        assert_eq!(json["lines"][0]["rule"], "R-COST");
        assert_eq!(json["cost"]["amortisation_years"], 3);
        let back: ServiceCost = serde_json::from_value(json["cost"].clone()).unwrap();
        assert_eq!(back, be.cost);
    }

    proptest! {
        /// The break-even fee × adherents covers the yearly cost to the cent (never short),
        /// and a cent (or a unit of the rate) less would fall short: it is the least such fee.
        #[test]
        fn r_cost_break_even_never_short(
            setup in 0i64..10_000_000_000,
            years in 1u32..40,
            running in 0i64..10_000_000_000,
            enti in 1u64..100_000,
            abitanti in 1u64..60_000_000,
        ) {
            let c = cost(setup, years, running);
            let be = c.break_even(Adherents::new(enti, abitanti)).unwrap();
            let yearly = i128::from(be.yearly_cost.cents().unwrap());
            // The yearly share recovers the set-up cost over the years.
            let share = i128::from(be.yearly_amortisation.cents().unwrap());
            prop_assert!(share * i128::from(years) >= i128::from(setup));
            prop_assert!((share - 1) * i128::from(years) < i128::from(setup) || setup == 0);

            let flat = be.per_ente.clone().unwrap();
            let fee = i128::from(flat.fee.cents().unwrap());
            prop_assert!(fee * i128::from(enti) >= yearly);
            prop_assert!(fee == 0 || (fee - 1) * i128::from(enti) < yearly);
            prop_assert_eq!(i128::from(flat.revenue.cents().unwrap()), fee * i128::from(enti));

            let rate = be.per_abitante.clone().unwrap();
            prop_assert!(rate.rate.scale() == RATE_DP);
            let units = rate.rate.mantissa();
            // units × 10^-4 € × abitanti ≥ yearly cents × 10^-2 €
            prop_assert!(units * i128::from(abitanti) >= yearly * 100);
            prop_assert!(units == 0 || (units - 1) * i128::from(abitanti) < yearly * 100);
            prop_assert!(rate.revenue >= be.yearly_cost);
            let check = be.check_per_abitante(rate.rate).unwrap();
            prop_assert!(!check.below_cost);
            prop_assert!(!be.check_flat(flat.fee).unwrap().below_cost);
        }
    }
}
