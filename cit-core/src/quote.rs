//! Quotes: itemised prices with the rule behind every line.

use serde::{Deserialize, Serialize};

use crate::{Error, Money, Problem, Result, Rule, json};

/// One line of a quote: the rule applied, an Italian label a municipal officer can paste
/// into a *determina*, and the amount in whole cents (R-ROUND).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteLine {
    /// The rule that produced the line (`R-CAP`).
    pub rule: Rule,
    /// What the line is, in Italian (`"189.902 abitanti × € 0,15"`).
    pub label: String,
    /// The amount; negative for discounts and reductions.
    pub amount: Money,
}

/// An itemised price for one ente and one year (its JSON: the README's *The ente and quote documents*); the total is always
/// the sum of the lines.
///
/// # Example
/// ```
/// use cit_core::{Ente, Tariff};
///
/// let tariff = Tariff::from_json(r#"{
///   "id": "demo", "name": "Demo", "period": {"from": "2016-01-01", "to": "2016-12-31"},
///   "counts_as_of": "previous_year_end",
///   "membership": {"comune": {"per_abitante": "0.15", "per_impresa": "1.00"}, "fixed": {}}
/// }"#)?;
/// let quote = tariff.quote(&Ente::comune("017029", "Brescia", 189_902, 21_500), 2016)?;
/// assert_eq!(quote.lines()[0].label, "189.902 abitanti × € 0,15");
/// assert_eq!(quote.total().to_string(), "€ 49.985,30");
/// # Ok::<(), cit_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Quote {
    ente: String,
    tariff: String,
    year: i32,
    lines: Vec<QuoteLine>,
    total: Money,
    /// The deliberation that adopted the tariff (R-ADOPT), cited.
    #[serde(skip_serializing_if = "Option::is_none")]
    adoption: Option<String>,
}

impl Quote {
    /// A quote from its lines; the total is their sum.
    ///
    /// # Errors
    /// [`Error::Overflow`] if the sum does not fit.
    pub fn new(ente: String, tariff: String, year: i32, lines: Vec<QuoteLine>) -> Result<Quote> {
        let total = Money::checked_sum(lines.iter().map(|l| l.amount))
            .ok_or_else(|| Error::overflow("lines", "sum of the quote lines"))?;
        Ok(Quote {
            ente,
            tariff,
            year,
            lines,
            total,
            adoption: None,
        })
    }

    /// The quote citing `adoption`, the deliberation that adopted its tariff (R-ADOPT).
    #[must_use]
    pub fn with_adoption(mut self, adoption: Option<String>) -> Quote {
        self.adoption = adoption;
        self
    }

    /// The citation of the deliberation that adopted the tariff, if it was adopted.
    pub fn adoption(&self) -> Option<&str> {
        self.adoption.as_deref()
    }

    /// The id of the ente priced.
    pub fn ente(&self) -> &str {
        &self.ente
    }

    /// The id of the tariff that priced it.
    pub fn tariff(&self) -> &str {
        &self.tariff
    }

    /// The year priced.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The lines, in the order of R-ORDER.
    pub fn lines(&self) -> &[QuoteLine] {
        &self.lines
    }

    /// The lines, taken out of the quote (for a charge that keeps them, R-RUN).
    pub fn into_lines(self) -> Vec<QuoteLine> {
        self.lines
    }

    /// The total: the sum of the lines.
    pub fn total(&self) -> Money {
        self.total
    }

    /// The quote as its JSON document.
    pub fn to_json(&self) -> String {
        json::to_string(self)
    }

    /// Reads a quote document back, checking that its total is the sum of its lines.
    ///
    /// # Errors
    /// [`Error::Malformed`] for bad JSON; [`Error::Invalid`] if the total is not the sum of
    /// the lines.
    pub fn from_json(text: &str) -> Result<Quote> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Doc {
            ente: String,
            tariff: String,
            year: i32,
            lines: Vec<QuoteLine>,
            total: Money,
            #[serde(default)]
            adoption: Option<String>,
        }
        let doc: Doc = json::parse("quote", text)?;
        let quote =
            Quote::new(doc.ente, doc.tariff, doc.year, doc.lines)?.with_adoption(doc.adoption);
        if quote.total != doc.total {
            return Err(Error::Invalid {
                document: "quote",
                problems: vec![Problem::new(
                    "total",
                    format!("the sum of the lines, {}", quote.total.to_plain_string()),
                    doc.total.to_plain_string(),
                )],
            });
        }
        Ok(quote)
    }
}
