//! R-SAVING: what a member saves through the CIT versus buying alone, per ente and on
//! average, against the project's target of at least 15 % average reduction.
//!
//! A reduction is the fraction `saving / alone`, where `saving = alone − through CIT`.
//! Fractions are exact decimals with [`REDUCTION_DP`] (6) decimals (`0.333333` =
//! 33,3333 %), each ente's rounded half away from zero from its exact value with integer
//! arithmetic. The averages are taken over those per-ente figures, exactly, then rounded
//! the same way:
//! - plain mean: `Σ rᵢ / n`;
//! - population-weighted mean: `Σ abitantiᵢ·rᵢ / Σ abitantiᵢ`;
//! - overall reduction: `Σ savingᵢ / Σ aloneᵢ`, the reduction of the whole spend.
//!
//! Whether an average meets the target is decided on its exact value (before the last
//! rounding), so a mean of 0,1499996 does not meet 0,15 although it displays as 0,150000.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::int;
use crate::decimal::{self, DivRound};
use crate::{Error, Money, Result, fmt_it};

/// Decimal places of a reduction fraction (6: 4 decimals of a percentage).
pub const REDUCTION_DP: u32 = 6;

/// `10^REDUCTION_DP`.
const REDUCTION_UNITS: i128 = 1_000_000;
const _: () = assert!(10i128.pow(REDUCTION_DP) == REDUCTION_UNITS);

/// The project's result target: at least 15 % average reduction (`0.15`).
pub const SAVING_TARGET: Decimal = Decimal::from_parts(15, 0, 0, false, 2);

/// The price a saving is measured against: what the ente would pay buying alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Benchmark {
    /// The market price from a private supplier.
    Market,
    /// The CIT's own list price for non-members (*prezzo di listino*).
    List,
}

impl Benchmark {
    /// The Italian name: `"prezzo di mercato"`, `"prezzo di listino"`.
    pub fn label(self) -> &'static str {
        match self {
            Benchmark::Market => "prezzo di mercato",
            Benchmark::List => "prezzo di listino",
        }
    }

    /// The benchmark named `name` (`"market"` or `"list"`), as a binding takes it.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] at `benchmark` for any other name.
    ///
    /// # Example
    /// ```
    /// use cit_core::analysis::Benchmark;
    ///
    /// assert_eq!(Benchmark::named("list")?, Benchmark::List);
    /// let e = Benchmark::named("mercato").unwrap_err();
    /// assert_eq!((e.code(), e.path().as_deref()), ("invalid_value", Some("benchmark")));
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn named(name: &str) -> Result<Benchmark> {
        match name {
            "market" => Ok(Benchmark::Market),
            "list" => Ok(Benchmark::List),
            other => Err(Error::invalid_value(
                "benchmark",
                "\"market\" or \"list\"",
                format!("{other:?}"),
            )),
        }
    }

    fn field(self) -> &'static str {
        match self {
            Benchmark::Market => "market",
            Benchmark::List => "list",
        }
    }
}

/// One ente's cost of a service through the CIT and buying alone (R-SAVING).
///
/// # Example
/// ```
/// use cit_core::Money;
/// use cit_core::analysis::SavingCase;
///
/// let case = SavingCase::new("064008", 54_222, Money::from_cents(75_000))
///     .with_market(Money::from_cents(100_000))
///     .with_list(Money::from_cents(90_000));
/// let s = case.evaluate()?;
/// let market = s.market.unwrap();
/// assert_eq!(market.saving, Money::from_cents(25_000));
/// assert_eq!(market.reduction.to_string(), "0.250000");
/// assert_eq!(
///     market.label,
///     "Risparmio rispetto al prezzo di mercato: € 1.000,00 − € 750,00 = € 250,00 (25%)"
/// );
/// # Ok::<(), cit_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SavingCase {
    /// The ente's id.
    pub ente: String,
    /// Its abitanti, the weight of the population-weighted mean.
    pub abitanti: u64,
    /// What the service costs it through the CIT (member price, or its share of the quota).
    pub through_cit: Money,
    /// What it would pay a private supplier, if known; positive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market: Option<Money>,
    /// What it would pay at the CIT's list price as a non-member, if known; positive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<Money>,
}

/// The saving against one benchmark.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Comparison {
    /// What the ente compares with.
    pub benchmark: Benchmark,
    /// What it would pay alone.
    pub alone: Money,
    /// `alone − through_cit`; negative if the CIT costs more.
    pub saving: Money,
    /// `saving / alone`, rounded half away from zero to [`REDUCTION_DP`] decimals.
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(serialize_with = "crate::decimal::marked")]
    pub reduction: Decimal,
    /// The arithmetic, in Italian.
    pub label: String,
}

/// One ente's savings (R-SAVING).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct EnteSaving {
    /// The ente's id.
    pub ente: String,
    /// Its abitanti.
    pub abitanti: u64,
    /// What the service costs it through the CIT.
    pub through_cit: Money,
    /// Against the market price, if one was given.
    pub market: Option<Comparison>,
    /// Against the list price, if one was given.
    pub list: Option<Comparison>,
}

/// The average reduction over a set of enti against one benchmark (R-SAVING).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct SavingSummary {
    /// The benchmark compared with.
    pub benchmark: Benchmark,
    /// How many enti.
    pub enti: u64,
    /// Their abitanti in all.
    pub abitanti: u64,
    /// Their total cost through the CIT.
    pub through_cit: Money,
    /// Their total cost buying alone.
    pub alone: Money,
    /// Their total saving.
    pub saving: Money,
    /// Plain mean of the per-ente reductions.
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(serialize_with = "crate::decimal::marked")]
    pub mean_reduction: Decimal,
    /// Population-weighted mean of the per-ente reductions; `None` if the enti have no
    /// abitanti at all.
    #[schemars(with = "Option<crate::schema::DecimalText>")]
    #[serde(serialize_with = "crate::decimal::marked_option")]
    pub weighted_reduction: Option<Decimal>,
    /// The reduction of the total spend, `saving / alone`.
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(serialize_with = "crate::decimal::marked")]
    pub overall_reduction: Decimal,
    /// The target the means are checked against (usually [`SAVING_TARGET`]).
    #[schemars(with = "crate::schema::DecimalText")]
    #[serde(serialize_with = "crate::decimal::marked")]
    pub target: Decimal,
    /// True if the exact plain mean is at least the target.
    pub meets_target: bool,
    /// True if the exact weighted mean is at least the target; `None` without abitanti.
    pub meets_target_weighted: Option<bool>,
    /// How many enti reach the target on their own (exact `saving ≥ target × alone`).
    pub enti_meeting_target: u64,
    /// Each ente's savings, in input order.
    pub per_ente: Vec<EnteSaving>,
}

impl SavingCase {
    /// An ente with its abitanti and its cost through the CIT; no benchmark yet.
    pub fn new(ente: impl Into<String>, abitanti: u64, through_cit: Money) -> SavingCase {
        SavingCase {
            ente: ente.into(),
            abitanti,
            through_cit,
            market: None,
            list: None,
        }
    }

    /// The same case with a market price.
    #[must_use]
    pub fn with_market(mut self, price: Money) -> SavingCase {
        self.market = Some(price);
        self
    }

    /// The same case with a list price.
    #[must_use]
    pub fn with_list(mut self, price: Money) -> SavingCase {
        self.list = Some(price);
        self
    }

    /// The ente's saving against each benchmark given (R-SAVING).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a negative cost through the CIT or a benchmark price
    /// that is not positive; [`Error::Overflow`] if an amount does not fit.
    pub fn evaluate(&self) -> Result<EnteSaving> {
        self.evaluate_at("")
    }

    fn evaluate_at(&self, prefix: &str) -> Result<EnteSaving> {
        let path = |field: &str| format!("{prefix}{field}");
        if self.through_cit.is_negative() {
            return Err(Error::invalid_value(
                path("through_cit"),
                "an amount of zero or more",
                self.through_cit.to_plain_string(),
            ));
        }
        let compare = |benchmark: Benchmark, alone: Option<Money>| -> Result<Option<Comparison>> {
            alone
                .map(|alone| self.compare(benchmark, alone, &path(benchmark.field())))
                .transpose()
        };
        Ok(EnteSaving {
            ente: self.ente.clone(),
            abitanti: self.abitanti,
            through_cit: self.through_cit,
            market: compare(Benchmark::Market, self.market)?,
            list: compare(Benchmark::List, self.list)?,
        })
    }

    fn compare(&self, benchmark: Benchmark, alone: Money, path: &str) -> Result<Comparison> {
        if alone.is_negative() || alone.is_zero() {
            return Err(Error::invalid_value(
                path,
                "a positive price",
                alone.to_plain_string(),
            ));
        }
        let a = int::cents(alone, path)?;
        let c = int::cents(self.through_cit, path)?;
        let saving = a - c; // both fit an i64: no overflow in i128
        let units = int::checked(
            saving
                .checked_mul(REDUCTION_UNITS)
                .and_then(|n| n.div_round(a)),
            path,
            || format!("{saving} / {a}"),
        )?;
        let reduction = Decimal::try_from_i128_with_scale(units, REDUCTION_DP)
            .map_err(|_| Error::overflow(path, format!("{units} × 10^-{REDUCTION_DP}")))?;
        let saving = int::money(saving, path)?;
        Ok(Comparison {
            benchmark,
            alone,
            saving,
            reduction,
            label: format!(
                "Risparmio rispetto al {}: {alone} − {} = {saving} ({})",
                benchmark.label(),
                self.through_cit,
                fmt_it::percent(reduction)
            ),
        })
    }
}

/// The average reduction of `cases` against `benchmark`, plain and population-weighted,
/// checked against `target` (usually [`SAVING_TARGET`]) (R-SAVING).
///
/// # Errors
/// [`Error::InvalidValue`] for no cases, a target outside `[0, 1]`, a case without a price
/// for the benchmark (`cases[3].market`), or any error of [`SavingCase::evaluate`] (its
/// path prefixed with `cases[i].`); [`Error::Overflow`] if a sum does not fit.
///
/// # Example
/// ```
/// use cit_core::Money;
/// use cit_core::analysis::{Benchmark, SAVING_TARGET, SavingCase, average_saving};
///
/// let cases = [
///     // 1.000 → 800: 20 %, 1.000 abitanti
///     SavingCase::new("A", 1_000, Money::from_cents(80_000)).with_market(Money::from_cents(100_000)),
///     // 1.000 → 900: 10 %, 3.000 abitanti
///     SavingCase::new("B", 3_000, Money::from_cents(90_000)).with_market(Money::from_cents(100_000)),
/// ];
/// let s = average_saving(&cases, Benchmark::Market, SAVING_TARGET)?;
/// assert_eq!(s.mean_reduction.to_string(), "0.150000"); // (20 + 10) / 2 = 15 %
/// assert!(s.meets_target);
/// // (1.000 × 20 + 3.000 × 10) / 4.000 = 12,5 %
/// assert_eq!(s.weighted_reduction.map(|r| r.to_string()), Some("0.125000".into()));
/// assert_eq!(s.meets_target_weighted, Some(false));
/// # Ok::<(), cit_core::Error>(())
/// ```
pub fn average_saving(
    cases: &[SavingCase],
    benchmark: Benchmark,
    target: Decimal,
) -> Result<SavingSummary> {
    if cases.is_empty() {
        return Err(Error::invalid_value("cases", "at least one ente", "none"));
    }
    if target.is_sign_negative() && !target.is_zero() || target > Decimal::ONE {
        return Err(Error::invalid_value(
            "target",
            "a fraction between 0 and 1",
            target,
        ));
    }
    let overflow = |op: String| Error::overflow("cases", op);
    let mut per_ente = Vec::with_capacity(cases.len());
    let (mut abitanti, mut through_cit, mut alone, mut saving) = (0u64, 0i128, 0i128, 0i128);
    let (mut sum_r, mut sum_weighted, mut meeting) = (0i128, 0i128, 0u64);
    for (i, case) in cases.iter().enumerate() {
        let prefix = format!("cases[{i}].");
        let evaluated = case.evaluate_at(&prefix)?;
        let comparison = match benchmark {
            Benchmark::Market => &evaluated.market,
            Benchmark::List => &evaluated.list,
        };
        let Some(cmp) = comparison else {
            return Err(Error::invalid_value(
                format!("{prefix}{}", benchmark.field()),
                format!("a {} for every ente", benchmark.label()),
                "nothing",
            ));
        };
        let r = cmp.reduction.mantissa();
        abitanti = abitanti
            .checked_add(case.abitanti)
            .ok_or_else(|| overflow(format!("{abitanti} + {} abitanti", case.abitanti)))?;
        through_cit += int::cents(case.through_cit, "cases")?;
        alone += int::cents(cmp.alone, "cases")?;
        saving += int::cents(cmp.saving, "cases")?;
        sum_r += r;
        sum_weighted = i128::from(case.abitanti)
            .checked_mul(r)
            .and_then(|w| sum_weighted.checked_add(w))
            .ok_or_else(|| overflow(format!("{} abitanti × {r}", case.abitanti)))?;
        let threshold = decimal::mul(target, cmp.alone.to_decimal())
            .ok_or_else(|| overflow(format!("{target} × {}", cmp.alone)))?;
        if cmp.saving.to_decimal() >= threshold {
            meeting += 1;
        }
        per_ente.push(evaluated);
    }
    // n ≤ usize::MAX and every sum above stays far inside i128: at most 2^64 terms of
    // at most 2^64 (cents) or 2^64 × 10^6 (weighted units).
    let n = per_ente.len() as u64;
    let decimal = |units: i128| {
        Decimal::try_from_i128_with_scale(units, REDUCTION_DP)
            .map_err(|_| overflow(format!("{units} × 10^-{REDUCTION_DP}")))
    };
    let mean = |sum: i128, count: u64| {
        sum.div_round(i128::from(count))
            .ok_or_else(|| overflow(format!("{sum} / {count}")))
            .and_then(decimal)
    };
    let meets = |sum: i128, count: u64| -> Result<bool> {
        let needed = decimal::mul_count(count, target)
            .ok_or_else(|| overflow(format!("{count} × {target}")))?;
        Ok(decimal(sum)? >= needed)
    };
    let mean_reduction = mean(sum_r, n)?;
    let meets_target = meets(sum_r, n)?;
    let (weighted_reduction, meets_target_weighted) = if abitanti == 0 {
        (None, None)
    } else {
        (
            Some(mean(sum_weighted, abitanti)?),
            Some(meets(sum_weighted, abitanti)?),
        )
    };
    let overall = saving
        .checked_mul(REDUCTION_UNITS)
        .and_then(|s| s.div_round(alone))
        .ok_or_else(|| overflow(format!("{saving} / {alone}")))?;
    Ok(SavingSummary {
        benchmark,
        enti: n,
        abitanti,
        through_cit: int::money(through_cit, "cases")?,
        alone: int::money(alone, "cases")?,
        saving: int::money(saving, "cases")?,
        mean_reduction,
        weighted_reduction,
        overall_reduction: decimal(overall)?,
        target,
        meets_target,
        meets_target_weighted,
        enti_meeting_target: meeting,
        per_ente,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: &str, ab: u64, cit: i64, market: i64) -> SavingCase {
        SavingCase::new(id, ab, Money::from_cents(cit)).with_market(Money::from_cents(market))
    }

    #[test]
    fn r_saving_per_ente_against_both_benchmarks() {
        // Through the CIT € 750,00; market € 1.000,00 → 25 %; list € 900,00 →
        // 150/900 = 0,1666… → 0,166667.
        let s = SavingCase::new("064008", 54_222, Money::from_cents(75_000))
            .with_market(Money::from_cents(100_000))
            .with_list(Money::from_cents(90_000))
            .evaluate()
            .unwrap();
        let list = s.list.unwrap();
        assert_eq!(list.saving, Money::from_cents(15_000));
        assert_eq!(list.reduction, Decimal::new(166_667, 6));
        assert_eq!(
            list.label,
            "Risparmio rispetto al prezzo di listino: € 900,00 − € 750,00 = € 150,00 (16,6667%)"
        );
        assert_eq!(s.market.unwrap().reduction, Decimal::new(250_000, 6));
    }

    #[test]
    fn r_saving_negative_when_the_cit_costs_more() {
        // 1.200 vs 1.000: −200 / 1.000 = −20 %.
        let s = case("A", 1, 120_000, 100_000).evaluate().unwrap();
        let m = s.market.unwrap();
        assert_eq!(m.saving, Money::from_cents(-20_000));
        assert_eq!(m.reduction, Decimal::new(-200_000, 6));
        // 4 c through the CIT vs 3 c alone: −1 / 3 = −0,3333… → −0,333333.
        let m = case("B", 1, 4, 3).evaluate().unwrap().market.unwrap();
        assert_eq!(m.reduction, Decimal::new(-333_333, 6));
        // 1 c vs 3 c: 2 / 3 = 0,6666… → 0,666667 (half away from zero).
        let m = case("C", 1, 1, 3).evaluate().unwrap().market.unwrap();
        assert_eq!(m.reduction, Decimal::new(666_667, 6));
    }

    #[test]
    fn r_saving_averages_plain_weighted_and_overall() {
        // A: 1.000 ab., 800 vs 1.000 → 20 %; B: 3.000 ab., 900 vs 1.000 → 10 %;
        // C: 0 ab., 50 vs 200 → 75 %.
        // plain: (0,2 + 0,1 + 0,75) / 3 = 0,35; weighted: (200 + 300 + 0) / 4.000 = 0,125;
        // overall: (200 + 100 + 150) / 2.200 = 0,204545…  → 0,204545.
        let cases = [
            case("A", 1_000, 80_000, 100_000),
            case("B", 3_000, 90_000, 100_000),
            case("C", 0, 5_000, 20_000),
        ];
        let s = average_saving(&cases, Benchmark::Market, SAVING_TARGET).unwrap();
        assert_eq!(s.enti, 3);
        assert_eq!(s.abitanti, 4_000);
        assert_eq!(s.mean_reduction, Decimal::new(350_000, 6));
        assert_eq!(s.weighted_reduction, Some(Decimal::new(125_000, 6)));
        assert_eq!(s.overall_reduction, Decimal::new(204_545, 6));
        assert_eq!(s.saving, Money::from_cents(45_000));
        assert_eq!(s.alone, Money::from_cents(220_000));
        assert_eq!(s.through_cit, Money::from_cents(175_000));
        assert!(s.meets_target);
        assert_eq!(s.meets_target_weighted, Some(false));
        assert_eq!(s.enti_meeting_target, 2);
        assert_eq!(s.per_ente.len(), 3);
    }

    #[test]
    fn r_saving_target_is_checked_on_the_exact_mean() {
        // Reductions 0,149999 and 0,150000: mean 0,1499995 → displays 0,150000 (half away
        // from zero) but is below the 15 % target.
        let cases = [
            case("A", 1, 850_001, 1_000_000), // 149.999 / 1.000.000
            case("B", 1, 85_000, 100_000),
        ];
        let s = average_saving(&cases, Benchmark::Market, SAVING_TARGET).unwrap();
        assert_eq!(s.mean_reduction, Decimal::new(150_000, 6));
        assert!(!s.meets_target);
        assert_eq!(s.enti_meeting_target, 1);
    }

    #[test]
    fn r_saving_without_abitanti_has_no_weighted_mean() {
        let s = average_saving(&[case("U", 0, 1, 2)], Benchmark::Market, SAVING_TARGET).unwrap();
        assert_eq!(s.weighted_reduction, None);
        let json = serde_json::to_value(&s).unwrap();
        assert!(json["weighted_reduction"].is_null());
        assert_eq!(json["mean_reduction"], "0.500000");
        assert_eq!(json["target"], "0.15");
        assert_eq!(json["benchmark"], "market");
        assert_eq!(json["saving"], "0.01");
    }

    #[test]
    fn r_saving_refuses_bad_input() {
        let path = |r: Result<SavingSummary>| r.unwrap_err().path().unwrap();
        assert_eq!(
            path(average_saving(&[], Benchmark::Market, SAVING_TARGET)),
            "cases"
        );
        let ok = [case("A", 1, 1, 2)];
        assert_eq!(
            path(average_saving(&ok, Benchmark::Market, Decimal::new(11, 1))),
            "target"
        );
        assert_eq!(
            path(average_saving(&ok, Benchmark::Market, Decimal::new(-1, 2))),
            "target"
        );
        assert_eq!(
            path(average_saving(&ok, Benchmark::List, SAVING_TARGET)),
            "cases[0].list"
        );
        let zero = [case("A", 1, 1, 2), case("B", 1, 1, 0)];
        assert_eq!(
            path(average_saving(&zero, Benchmark::Market, SAVING_TARGET)),
            "cases[1].market"
        );
        let negative = [case("A", 1, -1, 2)];
        assert_eq!(
            path(average_saving(&negative, Benchmark::Market, SAVING_TARGET)),
            "cases[0].through_cit"
        );
        assert_eq!(
            case("A", 1, 1, -2)
                .evaluate()
                .unwrap_err()
                .path()
                .as_deref(),
            Some("market")
        );
    }

    #[test]
    fn r_saving_case_round_trips_and_refuses_unknown_fields() {
        let c = case("A", 10, 100, 200);
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(
            json,
            r#"{"ente":"A","abitanti":10,"through_cit":"1.00","market":"2.00"}"#
        );
        assert_eq!(serde_json::from_str::<SavingCase>(&json).unwrap(), c);
        assert!(
            serde_json::from_str::<SavingCase>(
                r#"{"ente":"A","abitanti":10,"through_cit":"1.00","markt":"2.00"}"#
            )
            .is_err()
        );
    }
}
