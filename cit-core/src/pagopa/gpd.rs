//! The debt positions of pagoPA's *Gestione Posizioni Debitorie* (GPD, external API v1,
//! `PaymentPositionModel`): one per notice, addressed to the payer (R-NOTICE).

use serde::Serialize;

use super::{Creditor, Notice, cut_at_word};
use crate::charge::Charge;
use crate::{Error, Result};

/// A GPD debt position, serialised as the API's JSON (`iupd`, `type`, `fiscalCode`,
/// `fullName`, `companyName`, `switchToExpired`, `paymentOption`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DebtPosition {
    /// The position's id, unique for the creditor: `CIT-{iuv}`.
    pub iupd: String,
    /// The debtor's kind: `G`, a legal person (every payer is a public body).
    #[serde(rename = "type")]
    pub debtor_type: &'static str,
    /// The debtor's codice fiscale.
    pub fiscal_code: String,
    /// The debtor's name.
    pub full_name: String,
    /// The creditor's name, as the notice prints it (GPD: "es. Comune di Roma").
    pub company_name: String,
    /// Whether the position expires at its due date: `false`, a late quota is still owed.
    pub switch_to_expired: bool,
    /// One option: the whole share, in one payment.
    pub payment_option: Vec<PaymentOption>,
}

/// A payment option of a debt position.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentOption {
    /// The notice's IUV.
    pub iuv: String,
    /// The amount, in euro cents.
    pub amount: i64,
    /// The charge's explanation, cut to 140 characters at a word.
    pub description: String,
    /// `false`: the share is paid in one payment.
    pub is_partial_payment: bool,
    /// The due date, at the end of the day (`2026-04-30T23:59:59`).
    pub due_date: String,
    /// The creditor's fee: none.
    pub fee: i64,
    /// The transfers, which add up to `amount`: one, to the creditor.
    pub transfer: Vec<Transfer>,
}

/// A transfer of a payment option: what reaches which account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Transfer {
    /// `"1"` to `"5"`.
    pub id_transfer: String,
    /// The amount, in euro cents.
    pub amount: i64,
    /// The creditor's codice fiscale.
    pub organization_fiscal_code: String,
    /// The causale: the charge's kind, year and id (at most 140 characters).
    pub remittance_information: String,
    /// The taxonomy code of the charge's kind.
    pub category: String,
    /// The creditor's IBAN.
    pub iban: String,
}

impl DebtPosition {
    /// The debt position of `notice`, for the `charge` it is a share of, owed to `creditor`.
    ///
    /// # Errors
    /// [`Error::Overflow`] if the amount has no whole number of cents in an `i64`.
    pub fn of(notice: &Notice, charge: &Charge, creditor: &Creditor) -> Result<DebtPosition> {
        let cents = notice
            .amount
            .cents()
            .ok_or_else(|| Error::overflow("notice", format!("{} in cents", notice.amount)))?;
        let causale = format!("{} {} {}", charge.kind.label(), charge.year, charge.id);
        Ok(DebtPosition {
            iupd: format!("CIT-{}", notice.iuv),
            debtor_type: "G",
            fiscal_code: notice.codice_fiscale.clone(),
            full_name: notice.payer_name.clone(),
            company_name: creditor.name.clone(),
            switch_to_expired: false,
            payment_option: vec![PaymentOption {
                iuv: notice.iuv.clone(),
                amount: cents,
                description: cut_at_word(&charge.explanation, 140),
                is_partial_payment: false,
                due_date: format!("{}T23:59:59", notice.due.format("%Y-%m-%d")),
                fee: 0,
                transfer: vec![Transfer {
                    id_transfer: "1".to_owned(),
                    amount: cents,
                    organization_fiscal_code: creditor.codice_fiscale.clone(),
                    remittance_information: cut_at_word(&causale, 140),
                    category: creditor.category_for(charge.kind).to_owned(),
                    iban: creditor.iban.clone(),
                }],
            }],
        })
    }

    /// The position as its GPD JSON document.
    pub fn to_json(&self) -> String {
        crate::json::to_string(self)
    }
}
