//! Charges (R-RUN, R-LEDGER): what a charge is for, who owes it (R-PAYER), and the charge
//! itself. The registry issues them into its ledger; pagoPA's notices and debt positions
//! are drawn from them. A leaf: it depends on neither the registry nor pagopa, which both
//! use it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{Error, Money, QuoteLine, Result};

/// The path of the ledger's overflow errors: a charge's sum of its lines, a payer's
/// running totals.
pub(crate) const LEDGER: &str = "ledger";

/// What a charge is for (R-RUN, R-CANCEL, R-LEDGER).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ChargeKind {
    /// The yearly quota di adesione.
    Quota,
    /// A premium service at the member price, added to the member's quota (R-TIER).
    Maggiorazione,
    /// A service at list price, or use beyond a base service's allowance.
    Servizio,
    /// The conditions of a cancellation (R-CANCEL).
    Disdetta,
    /// A reversing entry that cancels an earlier charge (R-LEDGER).
    Storno,
}

impl ChargeKind {
    /// The JSON name, `"maggiorazione"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChargeKind::Quota => "quota",
            ChargeKind::Maggiorazione => "maggiorazione",
            ChargeKind::Servizio => "servizio",
            ChargeKind::Disdetta => "disdetta",
            ChargeKind::Storno => "storno",
        }
    }

    /// The Italian name, for tables.
    pub fn label(self) -> &'static str {
        match self {
            ChargeKind::Quota => "Quota di adesione",
            ChargeKind::Maggiorazione => "Maggiorazione",
            ChargeKind::Servizio => "Servizio",
            ChargeKind::Disdetta => "Disdetta",
            ChargeKind::Storno => "Storno",
        }
    }
}

/// The part of a charge one payer owes (R-PAYER).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PayerShare {
    /// The payer's ente id.
    pub payer: String,
    /// What it owes of the charge.
    pub amount: Money,
}

/// An issued charge. It keeps the lines, the tariff version and the explanation it was
/// billed with; it is never edited: a correction is a reversing charge (R-RUN, R-LEDGER).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Charge {
    /// Stable id (`"Q2021-017001"`, `"S2021-SUB-1"`, `"D-SUB-1"`, `"R-Q2021-017001"`).
    pub id: String,
    /// The ente the charge is about (whose quota or service).
    pub ente: String,
    /// What it is for.
    pub kind: ChargeKind,
    /// The year billed.
    pub year: i32,
    /// The subscription, for service charges.
    pub subscription: Option<String>,
    /// The service's code, for service charges.
    pub service: Option<String>,
    /// The tariff version that priced it.
    pub tariff: Option<String>,
    /// Day of issue.
    #[serde(with = "crate::date_serde")]
    #[schemars(with = "crate::schema::Date")]
    pub issued: NaiveDate,
    /// Due date.
    #[serde(with = "crate::date_serde")]
    #[schemars(with = "crate::schema::Date")]
    pub due: NaiveDate,
    /// The itemised lines, with their rules.
    pub lines: Vec<QuoteLine>,
    /// The sum of the lines.
    pub amount: Money,
    /// Why, in Italian (which price, which membership, which payer arrangement).
    pub explanation: String,
    /// Who owes what; the shares always add up to `amount` (R-PAYER).
    pub shares: Vec<PayerShare>,
    /// The charge this one reverses, for a [`ChargeKind::Storno`].
    pub reverses: Option<String>,
}

impl Charge {
    /// A charge of `lines` about `ente` for `year`, issued and due on the days given: its
    /// amount is the sum of the lines and `ente` owes all of it, until
    /// [`Charge::owed_by`] says otherwise. The one way the registry builds a charge.
    pub(crate) fn new(
        id: String,
        kind: ChargeKind,
        ente: &str,
        year: i32,
        (issued, due): (NaiveDate, NaiveDate),
        lines: Vec<QuoteLine>,
        explanation: String,
    ) -> Result<Charge> {
        let amount = Money::checked_sum(lines.iter().map(|l| l.amount))
            .ok_or_else(|| Error::overflow(LEDGER, format!("sum of the lines of {id}")))?;
        Ok(Charge {
            id,
            ente: ente.to_owned(),
            kind,
            year,
            subscription: None,
            service: None,
            tariff: None,
            issued,
            due,
            lines,
            amount,
            explanation,
            shares: vec![PayerShare {
                payer: ente.to_owned(),
                amount,
            }],
            reverses: None,
        })
    }

    /// The same charge, for a service subscription.
    pub(crate) fn for_subscription(mut self, subscription: &str, service: &str) -> Charge {
        self.subscription = Some(subscription.to_owned());
        self.service = Some(service.to_owned());
        self
    }

    /// The same charge, priced by a tariff version.
    pub(crate) fn priced_by(mut self, tariff: Option<&str>) -> Charge {
        self.tariff = tariff.map(str::to_owned);
        self
    }

    /// The same charge, owed by these payers (R-PAYER); the ledger checks that the shares
    /// add up to the amount when it issues the charge.
    pub(crate) fn owed_by(mut self, shares: Vec<PayerShare>) -> Charge {
        self.shares = shares;
        self
    }

    /// The reversing entry of this charge (R-LEDGER): `R-{id}`, every line, share and the
    /// amount with the opposite sign, issued and due on `date`.
    pub(crate) fn reversal(&self, date: NaiveDate, reason: &str) -> Charge {
        Charge {
            id: format!("R-{}", self.id),
            ente: self.ente.clone(),
            kind: ChargeKind::Storno,
            year: self.year,
            subscription: self.subscription.clone(),
            service: self.service.clone(),
            tariff: self.tariff.clone(),
            issued: date,
            due: date,
            lines: self
                .lines
                .iter()
                .map(|l| QuoteLine {
                    rule: l.rule,
                    label: format!("Storno: {}", l.label),
                    amount: -l.amount,
                })
                .collect(),
            amount: -self.amount,
            explanation: format!("Storno dell'addebito {}: {reason}", self.id),
            shares: self
                .shares
                .iter()
                .map(|s| PayerShare {
                    payer: s.payer.clone(),
                    amount: -s.amount,
                })
                .collect(),
            reverses: Some(self.id.clone()),
        }
    }
}
