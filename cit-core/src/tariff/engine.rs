//! The quota engine: R-ORDER's steps, computed once and either summed (totals-only) or
//! written out as labelled lines (itemised). Both paths share [`Tariff::comune_steps`], so
//! they cannot disagree.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::band;
use super::fast::{FastComune, FastSteps};
use super::{BandMode, Proration, Tariff, TariffDocument};
use crate::{Ente, EnteKind, Error, Money, Quote, QuoteLine, Result, Rule, decimal, fmt_it};

/// The amounts of R-ORDER's steps for one comune. A step that changes nothing is `None`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ComuneSteps {
    /// `round(abitanti × per_abitante)`.
    pub abitanti: Money,
    /// `round(imprese × per_impresa)`; `None` when the tariff has no per-impresa rate.
    pub imprese: Option<Money>,
    /// `−round(base × effective_discount)`, when not zero.
    pub band: Option<Money>,
    /// Adjustment up to the minimum.
    pub minimum: Option<Money>,
    /// Adjustment down to the maximum.
    pub maximum: Option<Money>,
    /// Adjustment down to the ceiling, and the ceiling itself.
    pub ceiling: Option<(Money, Money)>,
    /// The quota: the sum of the steps.
    pub total: Money,
}

/// What a tariff derives from its document once: the fixed-point form of the comune
/// formula (when it fits) and the texts its labels repeat.
#[derive(Clone, Debug)]
pub(crate) struct Prepared {
    fast: Option<FastComune>,
    per_abitante: String,
    per_impresa: String,
    ceiling: Option<(String, String)>,
    /// Per band: the discount as a percentage and the band's range in words.
    bands: Vec<(String, String)>,
}

impl Prepared {
    pub(crate) fn new(doc: &TariffDocument) -> Prepared {
        let c = &doc.membership.comune;
        let bands = c.bands.as_deref().unwrap_or_default();
        let bands = (bands.iter().enumerate())
            .map(|(i, b)| (fmt_it::percent(b.discount), band::label(bands, i)))
            .collect();
        Prepared {
            fast: FastComune::new(c),
            per_abitante: fmt_it::rate(c.per_abitante),
            per_impresa: fmt_it::rate(c.per_impresa),
            ceiling: c
                .ceiling
                .map(|k| (fmt_it::rate(k.per_abitante), fmt_it::rate(k.per_impresa))),
            bands,
        }
    }
}

impl From<FastSteps> for ComuneSteps {
    fn from(f: FastSteps) -> ComuneSteps {
        ComuneSteps {
            abitanti: Money::from_cents(f.abitanti),
            imprese: f.imprese.map(Money::from_cents),
            band: f.band.map(Money::from_cents),
            minimum: f.minimum.map(Money::from_cents),
            maximum: f.maximum.map(Money::from_cents),
            ceiling: f
                .ceiling
                .map(|(a, c)| (Money::from_cents(a), Money::from_cents(c))),
            total: Money::from_cents(f.total),
        }
    }
}

const PER_ABITANTE: &str = "membership.comune.per_abitante";
const PER_IMPRESA: &str = "membership.comune.per_impresa";

fn overflow(path: &str, what: String) -> Error {
    Error::overflow(path, what)
}

fn mul_count(count: u64, rate: Decimal, path: &str) -> Result<Decimal> {
    decimal::mul_count(count, rate).ok_or_else(|| overflow(path, format!("{count} × {rate}")))
}

impl Tariff {
    /// Whether pricing a comune needs its `imprese` (a per-impresa rate, here or in the
    /// ceiling, is not zero).
    fn needs_imprese(&self) -> bool {
        let c = &self.doc.membership.comune;
        !c.per_impresa.is_zero() || c.ceiling.is_some_and(|k| !k.per_impresa.is_zero())
    }

    /// R-ORDER for a comune with `ab` abitanti and `imp` imprese: the integer fast path
    /// where the figures fit it, the exact decimal path otherwise (same results).
    pub(crate) fn comune_steps(&self, ab: u64, imp: u64) -> Result<ComuneSteps> {
        match self.comune_steps_fast(ab, imp) {
            Some(steps) => Ok(steps),
            None => self.comune_steps_decimal(ab, imp),
        }
    }

    /// R-ORDER on the integer fast path alone: `None` if the tariff's figures do not fit it
    /// or a step overflows (then [`Tariff::comune_steps`] takes the decimal path).
    pub(crate) fn comune_steps_fast(&self, ab: u64, imp: u64) -> Option<ComuneSteps> {
        let steps = self.prepared.fast.as_ref()?.steps(ab, imp)?;
        Some(steps.into())
    }

    /// The total of R-ORDER for a comune, straight from the fast path when it applies.
    pub(crate) fn comune_total(&self, ab: u64, imp: u64) -> Result<Money> {
        match self.prepared.fast.as_ref().and_then(|f| f.steps(ab, imp)) {
            Some(steps) => Ok(Money::from_cents(steps.total)),
            None => Ok(self.comune_steps_decimal(ab, imp)?.total),
        }
    }

    /// R-ORDER in exact decimal arithmetic.
    pub(crate) fn comune_steps_decimal(&self, ab: u64, imp: u64) -> Result<ComuneSteps> {
        let c = &self.doc.membership.comune;
        let exact_ab = mul_count(ab, c.per_abitante, PER_ABITANTE)?;
        let exact_imp = mul_count(imp, c.per_impresa, PER_IMPRESA)?;
        let abitanti = Money::round(exact_ab);
        let imprese = (!c.per_impresa.is_zero()).then(|| Money::round(exact_imp));
        let mut total = abitanti.add_at(imprese.unwrap_or(Money::ZERO), "membership.comune")?;

        let band = match (&c.bands, c.band_mode) {
            (Some(bands), Some(mode)) => {
                let base = decimal::add(exact_ab, exact_imp).ok_or_else(|| {
                    overflow("membership.comune", format!("{exact_ab} + {exact_imp}"))
                })?;
                let discount = band_discount(bands, mode, ab, base)?;
                (!discount.is_zero()).then_some(-discount)
            }
            _ => None,
        };
        if let Some(b) = band {
            total = total.add_at(b, "membership.comune.bands")?;
        }

        let minimum = match c.minimum {
            Some(min) if total < min => Some(min.sub_at(total, "membership.comune.minimum")?),
            _ => None,
        };
        if let Some(min) = c.minimum {
            total = total.max(min);
        }
        let maximum = match c.maximum {
            Some(max) if total > max => Some(max.sub_at(total, "membership.comune.maximum")?),
            _ => None,
        };
        if let Some(max) = c.maximum {
            total = total.min(max);
        }
        let ceiling = match &c.ceiling {
            Some(k) => {
                let cap_ab = Money::round(mul_count(
                    ab,
                    k.per_abitante,
                    "membership.comune.ceiling.per_abitante",
                )?);
                let cap_imp = Money::round(mul_count(
                    imp,
                    k.per_impresa,
                    "membership.comune.ceiling.per_impresa",
                )?);
                let cap = cap_ab.add_at(cap_imp, "membership.comune.ceiling")?;
                if total > cap {
                    let adjustment = cap.sub_at(total, "membership.comune.ceiling")?;
                    total = cap;
                    Some((adjustment, cap))
                } else {
                    None
                }
            }
            None => None,
        };
        Ok(ComuneSteps {
            abitanti,
            imprese,
            band,
            minimum,
            maximum,
            ceiling,
            total,
        })
    }

    /// R-PERIOD: the tariff prices only the years its period overlaps.
    pub(crate) fn check_year(&self, year: i32) -> Result<()> {
        let period = self.doc.period;
        if period.overlaps_year(year) {
            Ok(())
        } else {
            Err(Error::YearOutsidePeriod {
                tariff: self.doc.id.clone(),
                year,
                from: period.from,
                to: period.to,
            })
        }
    }

    /// R-CAP: the date the counts used to price `year` must refer to — the tariff's
    /// `counts_as_of` for that year — or `None` for a year whose date the calendar does not
    /// have. What a calculator shows as the counts' date, and what the quota and the
    /// services priced by the counts check.
    ///
    /// # Example
    /// ```
    /// use cit_core::Tariff;
    ///
    /// let tariff = Tariff::from_json(include_str!("../../../examples/tariffs/bs-2015.json"))?;
    /// assert_eq!(tariff.counts_date(2016).unwrap().to_string(), "2013-12-31");
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn counts_date(&self, year: i32) -> Option<NaiveDate> {
        self.doc.counts_as_of.for_year(year)
    }

    /// R-CAP: the ente's counts must be taken at the date the tariff takes them for `year`
    /// (`counts_as_of`); counts without a date are vouched for by the caller. Checked
    /// wherever the counts price something: the quota, and the services priced per
    /// abitante or by band.
    pub(crate) fn check_counts_date(&self, ente: &Ente, year: i32) -> Result<()> {
        match (ente.counts_as_of, self.counts_date(year)) {
            (Some(found), Some(expected)) if found != expected => Err(Error::CountsDateMismatch {
                ente: ente.id.clone(),
                tariff: self.doc.id.clone(),
                expected,
                found,
            }),
            _ => Ok(()),
        }
    }

    /// Checks the year (R-PERIOD) and the ente's counts (R-CAP) and computes the basis of
    /// its quota, before proration.
    fn basis(&self, ente: &Ente, year: i32) -> Result<Basis> {
        self.check_year(year)?;
        if ente.kind != EnteKind::Comune {
            return self
                .doc
                .membership
                .fixed
                .get(ente.kind)
                .map(|amount| Basis::Fixed(ente.kind, amount))
                .ok_or_else(|| Error::KindNotPriced {
                    tariff: self.doc.id.clone(),
                    kind: ente.kind,
                });
        }
        self.check_counts_date(ente, year)?;
        let missing = |field| Error::MissingCount {
            ente: ente.id.clone(),
            field,
        };
        let ab = ente.abitanti.ok_or_else(|| missing("abitanti"))?;
        let imp = match ente.imprese {
            Some(n) => n,
            None if self.needs_imprese() => return Err(missing("imprese")),
            None => 0,
        };
        Ok(Basis::Comune(ab, imp))
    }

    /// The yearly quota of `ente` for `year`, itemised, for a membership active the whole
    /// year.
    ///
    /// # Errors
    /// [`Error::YearOutsidePeriod`] (R-PERIOD); for a comune, [`Error::MissingCount`] and
    /// [`Error::CountsDateMismatch`] (R-CAP); for other kinds, [`Error::KindNotPriced`]
    /// (R-FIX); [`Error::Overflow`] if an amount does not fit exact arithmetic.
    ///
    /// # Example
    /// ```
    /// use cit_core::{Ente, Rule, Tariff};
    ///
    /// let tariff = Tariff::from_json(include_str!("../../../examples/tariffs/bs-2015.json"))?;
    /// let brescia = Ente::comune("017029", "Brescia", 189_902, 21_500);
    /// let quote = tariff.quote(&brescia, 2016)?;
    /// let rules: Vec<Rule> = quote.lines().iter().map(|l| l.rule).collect();
    /// assert_eq!(rules, [Rule::Cap, Rule::Cap, Rule::Band]);
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn quote(&self, ente: &Ente, year: i32) -> Result<Quote> {
        self.quote_inner(ente, year, None)
    }

    /// The quota of a membership that starts on `start` (R-PRORATA): under a `monthly`
    /// tariff, a start within `year` pays the months from its month to December over
    /// twelve; under `full_year`, or with a start before `year`, the full year.
    ///
    /// # Errors
    /// As [`Tariff::quote`], and [`Error::InvalidValue`] if `start` is after `year`.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use cit_core::{Ente, EnteKind, Tariff};
    ///
    /// let tariff = Tariff::from_json(include_str!("../../../examples/tariffs/graduated-2026.json"))?;
    /// let mut unione = Ente::comune("U1", "Unione della Valle", 0, 0);
    /// unione.kind = EnteKind::Unione;
    /// let start = NaiveDate::from_ymd_opt(2027, 4, 15).unwrap();
    /// let quote = tariff.quote_from(&unione, 2027, start)?;
    /// // € 400,00 fixed, April to December: 9/12 → € 300,00
    /// assert_eq!(quote.total().to_plain_string(), "300.00");
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn quote_from(&self, ente: &Ente, year: i32, start: NaiveDate) -> Result<Quote> {
        self.quote_inner(ente, year, Some(start))
    }

    fn quote_inner(&self, ente: &Ente, year: i32, start: Option<NaiveDate>) -> Result<Quote> {
        let basis = self.basis(ente, year)?;
        let mut lines = Vec::with_capacity(6);
        let total = match basis {
            Basis::Comune(ab, imp) => {
                let steps = self.comune_steps(ab, imp)?;
                self.comune_lines(&steps, ab, imp, &mut lines);
                steps.total
            }
            Basis::Fixed(kind, amount) => {
                lines.push(QuoteLine {
                    rule: Rule::Fix,
                    label: format!("Quota fissa {}", kind.label()),
                    amount,
                });
                amount
            }
        };
        if let Some(p) = self.proration(total, year, start)? {
            lines.push(QuoteLine {
                rule: Rule::Prorata,
                label: format!(
                    "Adesione da {} {year}: {}/12 dell'anno",
                    fmt_it::month(p.month).unwrap_or("?"),
                    p.months
                ),
                amount: p.adjustment,
            });
        }
        let citation = self.doc.adoption.as_ref().map(|a| a.citation());
        Ok(Quote::new(ente.id.clone(), self.doc.id.clone(), year, lines)?.with_adoption(citation))
    }

    /// The total of [`Tariff::quote`] without building the lines: the same arithmetic and
    /// the same result, for batch pricing.
    ///
    /// # Errors
    /// As [`Tariff::quote`].
    pub fn quote_total(&self, ente: &Ente, year: i32) -> Result<Money> {
        Ok(match self.basis(ente, year)? {
            Basis::Comune(ab, imp) => self.comune_total(ab, imp)?,
            Basis::Fixed(_, amount) => amount,
        })
    }

    /// Totals of comuni given as columns of counts taken at the tariff's reference date:
    /// `abitanti[i]` and `imprese[i]` are the i-th comune. The same arithmetic as
    /// [`Tariff::quote`], for analysts' batches.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] if the columns differ in length; [`Error::YearOutsidePeriod`];
    /// [`Error::Overflow`] naming the row whose amounts do not fit.
    ///
    /// # Example
    /// ```
    /// use cit_core::{Money, Tariff};
    ///
    /// let tariff = Tariff::from_json(include_str!("../../../examples/tariffs/bs-2015.json"))?;
    /// let totals = tariff.quote_totals(&[1_600, 189_902], &[120, 21_500], 2016)?;
    /// assert_eq!(totals[0], Money::from_cents(36_000));
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn quote_totals(&self, abitanti: &[u64], imprese: &[u64], year: i32) -> Result<Vec<Money>> {
        self.by_row(abitanti, imprese, year, |ab, imp| {
            self.comune_total(ab, imp)
        })
    }

    /// [`Tariff::quote_totals`] in integer cents: the same totals, for a binding that hands
    /// analysts a column of `i64` (a numpy array, an Arrow column) without a decimal per
    /// row. The fixed-point path's cents are taken as they are; a row that needs the
    /// decimal path is converted from its exact total.
    ///
    /// # Errors
    /// As [`Tariff::quote_totals`]; [`Error::Overflow`] also for a total beyond
    /// `i64::MAX` cents.
    ///
    /// # Example
    /// ```
    /// use cit_core::Tariff;
    ///
    /// let tariff = Tariff::from_json(include_str!("../../../examples/tariffs/bs-2015.json"))?;
    /// let (ab, imp) = ([1_600, 189_902], [120, 21_500]);
    /// let cents = tariff.quote_totals_cents(&ab, &imp, 2016)?;
    /// assert_eq!(cents, [36_000, 3_998_824]);
    /// let totals = tariff.quote_totals(&ab, &imp, 2016)?;
    /// assert!(totals.iter().zip(&cents).all(|(m, &c)| m.cents() == Some(c)));
    /// # Ok::<(), cit_core::Error>(())
    /// ```
    pub fn quote_totals_cents(
        &self,
        abitanti: &[u64],
        imprese: &[u64],
        year: i32,
    ) -> Result<Vec<i64>> {
        let fast = self.prepared.fast.as_ref();
        self.by_row(abitanti, imprese, year, |ab, imp| {
            if let Some(steps) = fast.and_then(|f| f.steps(ab, imp)) {
                return Ok(steps.total);
            }
            let total = self.comune_steps_decimal(ab, imp)?.total;
            total.cents().ok_or_else(|| Error::Overflow {
                path: "membership.comune".to_owned(),
                operation: format!("{total} in 64-bit cents"),
            })
        })
    }

    /// `row(abitanti[i], imprese[i])` for every row of two columns of counts, for `year`:
    /// the columns' lengths and the year checked once, an overflow placed at its row.
    fn by_row<T>(
        &self,
        abitanti: &[u64],
        imprese: &[u64],
        year: i32,
        row: impl Fn(u64, u64) -> Result<T>,
    ) -> Result<Vec<T>> {
        if abitanti.len() != imprese.len() {
            return Err(Error::InvalidValue {
                path: "imprese".to_owned(),
                expected: format!("as many values as abitanti ({})", abitanti.len()),
                found: imprese.len().to_string(),
            });
        }
        self.check_year(year)?;
        abitanti
            .iter()
            .zip(imprese)
            .enumerate()
            .map(|(i, (&ab, &imp))| {
                row(ab, imp).map_err(|e| match e {
                    Error::Overflow { path, operation } => Error::Overflow {
                        path,
                        operation: format!("row {i}: {operation}"),
                    },
                    other => other,
                })
            })
            .collect()
    }

    fn proration(
        &self,
        total: Money,
        year: i32,
        start: Option<NaiveDate>,
    ) -> Result<Option<Prorated>> {
        let Some(start) = start else { return Ok(None) };
        if start.year() > year {
            return Err(Error::InvalidValue {
                path: "start".to_owned(),
                expected: format!("a membership start on or before {year}-12-31"),
                found: start.to_string(),
            });
        }
        if start.year() < year
            || start.month() == 1
            || self.doc.membership.proration == Proration::FullYear
        {
            return Ok(None);
        }
        let months = 13 - start.month();
        let exact = decimal::mul(total.to_decimal(), Decimal::from(months))
            .ok_or_else(|| overflow("membership.proration", format!("{total} × {months}")))?;
        let prorated = decimal::round_div(exact, 12)
            .map(Money::round)
            .ok_or_else(|| overflow("membership.proration", format!("{exact} / 12")))?;
        Ok(Some(Prorated {
            month: start.month(),
            months,
            adjustment: prorated.sub_at(total, "membership.proration")?,
        }))
    }

    fn comune_lines(&self, steps: &ComuneSteps, ab: u64, imp: u64, lines: &mut Vec<QuoteLine>) {
        let c = &self.doc.membership.comune;
        let p = &self.prepared;
        let count_times = |n: u64, what: &str, rate: &str| {
            let mut label = String::with_capacity(40);
            fmt_it::push_integer(&mut label, n);
            label.push(' ');
            label.push_str(what);
            label.push_str(" × ");
            label.push_str(rate);
            label
        };
        lines.push(QuoteLine {
            rule: Rule::Cap,
            label: count_times(ab, "abitanti", &p.per_abitante),
            amount: steps.abitanti,
        });
        if let Some(amount) = steps.imprese {
            lines.push(QuoteLine {
                rule: Rule::Cap,
                label: count_times(imp, "imprese", &p.per_impresa),
                amount,
            });
        }
        if let (Some(amount), Some(bands), Some(mode)) = (steps.band, &c.bands, c.band_mode) {
            lines.push(QuoteLine {
                rule: Rule::Band,
                label: self.band_label(bands, mode, ab),
                amount,
            });
        }
        if let (Some(amount), Some(min)) = (steps.minimum, c.minimum) {
            lines.push(QuoteLine {
                rule: Rule::MinMax,
                label: format!("Integrazione alla quota minima di {min}"),
                amount,
            });
        }
        if let (Some(amount), Some(max)) = (steps.maximum, c.maximum) {
            lines.push(QuoteLine {
                rule: Rule::MinMax,
                label: format!("Riduzione alla quota massima di {max}"),
                amount,
            });
        }
        if let (Some((amount, cap)), Some(k), Some((rate_ab, rate_imp))) =
            (steps.ceiling, &c.ceiling, &p.ceiling)
        {
            let mut formula = count_times(ab, "abitanti", rate_ab);
            if !k.per_impresa.is_zero() {
                formula.push_str(" + ");
                formula.push_str(&count_times(imp, "imprese", rate_imp));
            }
            lines.push(QuoteLine {
                rule: Rule::Ceil,
                label: format!("Riduzione al tetto di {cap} ({formula})"),
                amount,
            });
        }
    }

    fn band_label(&self, bands: &[super::Band], mode: BandMode, ab: u64) -> String {
        let prepared = &self.prepared.bands;
        match mode {
            BandMode::Volume => {
                let (percent, range) = &prepared[band::index(bands, ab)];
                format!("Sconto del {percent} per la fascia {range}")
            }
            BandMode::Graduated if ab == 0 => {
                format!("Sconto del {} (prima fascia)", prepared[0].0)
            }
            BandMode::Graduated => {
                let mut label = String::from("Sconto per scaglioni: ");
                for (i, (_, slice)) in slices(bands, ab)
                    .enumerate()
                    .filter(|(_, (_, slice))| *slice > 0)
                {
                    if !label.ends_with(": ") {
                        label.push_str(", ");
                    }
                    fmt_it::push_integer(&mut label, slice);
                    label.push_str(" ab. al ");
                    label.push_str(&prepared[i].0);
                }
                label
            }
        }
    }
}

enum Basis {
    /// A comune with its abitanti and imprese (checked, not yet priced).
    Comune(u64, u64),
    Fixed(EnteKind, Money),
}

struct Prorated {
    month: u32,
    months: u32,
    adjustment: Money,
}

/// The slices of `ab` abitanti over the bands (R-BAND `graduated`): `(band, abitanti in it)`.
fn slices(bands: &[super::Band], ab: u64) -> impl Iterator<Item = (&super::Band, u64)> {
    let mut lower = 0u64;
    bands.iter().map_while(move |band| {
        if ab <= lower && lower > 0 {
            return None;
        }
        let upper = band.up_to.unwrap_or(u64::MAX).min(ab);
        let slice = upper.saturating_sub(lower);
        lower = band.up_to.unwrap_or(u64::MAX);
        Some((band, slice))
    })
}

/// The band discount in cents (positive), from the exact base (R-BAND, R-ORDER).
fn band_discount(bands: &[super::Band], mode: BandMode, ab: u64, base: Decimal) -> Result<Money> {
    let path = "membership.comune.bands";
    match mode {
        BandMode::Volume => {
            let d = bands[band::index(bands, ab)].discount;
            let exact =
                decimal::mul(base, d).ok_or_else(|| overflow(path, format!("{base} × {d}")))?;
            Ok(Money::round(exact))
        }
        BandMode::Graduated if ab == 0 => {
            // No abitanti to weigh: the limit of the weighted mean, the first band's discount.
            let d = bands[0].discount;
            let exact =
                decimal::mul(base, d).ok_or_else(|| overflow(path, format!("{base} × {d}")))?;
            Ok(Money::round(exact))
        }
        BandMode::Graduated => {
            // effective = Σ slice·d / ab, so discount = base · Σ slice·d / ab, rounded once.
            let mut weighted = Decimal::ZERO;
            for (band, slice) in slices(bands, ab) {
                let term = decimal::mul_count(slice, band.discount)
                    .ok_or_else(|| overflow(path, format!("{slice} × {}", band.discount)))?;
                weighted = decimal::add(weighted, term)
                    .ok_or_else(|| overflow(path, format!("{weighted} + {term}")))?;
            }
            let numerator = decimal::mul(base, weighted)
                .ok_or_else(|| overflow(path, format!("{base} × {weighted}")))?;
            decimal::round_div(numerator, ab)
                .map(Money::round)
                .ok_or_else(|| overflow(path, format!("{numerator} / {ab}")))
        }
    }
}
