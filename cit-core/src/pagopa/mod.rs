//! pagoPA, the payment system of Italian public bodies (art. 5 CAD), and the Tesoreria
//! Unica (R-NOTICE, R-RECONCILE): the numero avviso of a payment notice, the codice
//! fiscale of a public body, the creditor's profile, the debt positions of pagoPA's
//! *Gestione Posizioni Debitorie* (GPD) and the *flusso di rendicontazione* a PSP sends
//! back.
//!
//! Pure data in and out: the host posts the documents and fetches the flows. The
//! registry's side is [`Registry::notices`](crate::Registry::notices),
//! [`Registry::debt_positions`](crate::Registry::debt_positions) and
//! [`Registry::reconcile_flow`](crate::Registry::reconcile_flow).
//!
//! Sources: AgID/PagoPA S.p.A., *Specifiche attuative dei codici identificativi di
//! versamento, riversamento e rendicontazione* (Allegato A alle Linee guida, the numero
//! avviso and the IUV) and *Specifiche Attuative del Nodo dei Pagamenti-SPC* (the
//! FlussoRiversamento); PagoPA S.p.A., GPD external API v1 (`PaymentPositionModel`); DPR
//! 605/1973 and DM 23/12/1976 (the codice fiscale of a body, the partita IVA's check digit).

mod flow;
mod gpd;

pub use flow::{Flow, FlowPayment, Institution, Outcome};
pub use gpd::{DebtPosition, PaymentOption, Transfer};

pub use crate::codice_fiscale::valid_codice_fiscale;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::charge::ChargeKind;
use crate::{Error, Money, Problem, Result, fmt_it};

/// The aux digit of every numero avviso `cit` makes: 3, a creditor that gives out its own
/// IUVs and is told apart from its other systems by a codice di segregazione.
pub const AUX_DIGIT: u8 = 3;

/// The remainder of dividing by 93 the number that `digits` write, computed digit by
/// digit (the number has up to 18 digits). `digits` holds only ASCII digits.
fn mod93(digits: &str) -> u32 {
    digits
        .bytes()
        .fold(0, |r, d| (r * 10 + u32::from(d - b'0')) % 93)
}

fn all_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// An [`Error::InvalidValue`] whose text `found` is shown quoted.
fn invalid(path: &str, expected: &str, found: &str) -> Error {
    Error::invalid_value(path, expected, format!("{found:?}"))
}

/// Checks a codice di segregazione: two digits, `00` to `49` (assigned to the creditor
/// by PagoPA, R-NOTICE).
///
/// # Errors
/// [`Error::InvalidValue`] at `segregation_code`.
pub fn check_segregation_code(code: &str) -> Result<()> {
    if all_digits(code, 2) && code < "50" {
        Ok(())
    } else {
        Err(invalid(
            "segregation_code",
            "a codice di segregazione of two digits, 00 to 49 (R-NOTICE)",
            code,
        ))
    }
}

/// The IUV of a notice (R-NOTICE): the codice di segregazione, the 13-digit base and the
/// two check digits — the remainder of dividing by 93 the number `3` + segregation code +
/// base, zero-padded. 17 digits.
///
/// # Errors
/// [`Error::InvalidValue`] at `segregation_code` or `base`.
///
/// # Example
/// ```
/// use cit_core::pagopa;
///
/// let iuv = pagopa::iuv("07", "0000000012345")?;
/// assert_eq!(iuv, "07000000001234573");
/// assert!(pagopa::valid_iuv(&iuv));
/// # Ok::<(), cit_core::Error>(())
/// ```
pub fn iuv(segregation_code: &str, base: &str) -> Result<String> {
    check_segregation_code(segregation_code)?;
    if !all_digits(base, 13) {
        return Err(invalid("base", "an IUV base of 13 digits (R-NOTICE)", base));
    }
    let check = mod93(&format!("{AUX_DIGIT}{segregation_code}{base}"));
    Ok(format!("{segregation_code}{base}{check:02}"))
}

/// The numero avviso of a notice (R-NOTICE): the aux digit 3 and the IUV ([`iuv`]), 18
/// digits, as printed on the notice and read by the PSP.
///
/// # Errors
/// As [`iuv`].
///
/// # Example
/// ```
/// use cit_core::pagopa;
///
/// assert_eq!(pagopa::notice_number("07", "0000000012345")?, "307000000001234573");
/// assert_eq!(pagopa::notice_number("50", "0000000012345").unwrap_err().path().as_deref(),
///            Some("segregation_code"));
/// # Ok::<(), cit_core::Error>(())
/// ```
pub fn notice_number(segregation_code: &str, base: &str) -> Result<String> {
    Ok(format!("{AUX_DIGIT}{}", iuv(segregation_code, base)?))
}

/// True if `iuv` is an IUV of a notice with aux digit 3: 17 digits, a codice di
/// segregazione 00–49 and the right check digits.
pub fn valid_iuv(iuv: &str) -> bool {
    all_digits(iuv, 17)
        && iuv[..2] < *"50"
        && format!("{:02}", mod93(&format!("{AUX_DIGIT}{}", &iuv[..15]))) == iuv[15..]
}

/// True if `number` is a numero avviso with aux digit 3 and a valid IUV ([`valid_iuv`]).
pub fn valid_notice_number(number: &str) -> bool {
    number.len() == 18 && number.starts_with('3') && valid_iuv(&number[1..])
}

/// Checks a codice fiscale at `path` ([`valid_codice_fiscale`]).
///
/// # Errors
/// [`Error::InvalidValue`] at `path`.
pub(crate) fn check_codice_fiscale(code: &str, path: &str) -> Result<()> {
    if valid_codice_fiscale(code) {
        Ok(())
    } else {
        Err(invalid(
            path,
            "the codice fiscale of a public body: 11 digits with the right check digit (R-NOTICE)",
            code,
        ))
    }
}

/// True if `iban` is an Italian IBAN (`IT`, 27 characters) whose check digits are right
/// (ISO 13616: the rearranged number is 1 modulo 97).
pub fn valid_iban(iban: &str) -> bool {
    let b = iban.as_bytes();
    if b.len() != 27 || !iban.starts_with("IT") || !b.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let mut r: u32 = 0;
    for &c in b[4..].iter().chain(&b[..4]) {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return false,
        };
        r = if v < 10 { r * 10 + v } else { r * 100 + v } % 97;
    }
    r == 1
}

/// True if `code` is a code of pagoPA's taxonomy of services, as a transfer names it:
/// `9/` + 7 digits + 2 capital letters + `/` (`9/0101002IM/`).
pub fn valid_category(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 12
        && code.starts_with("9/")
        && b[2..9].iter().all(u8::is_ascii_digit)
        && b[9..11].iter().all(u8::is_ascii_uppercase)
        && b[11] == b'/'
}

/// The creditor: the body that runs the CIT and collects its quotas through pagoPA
/// (R-NOTICE). Recorded by [`Event::CreditorRegistered`](crate::Event::CreditorRegistered).
///
/// # Example
/// ```
/// use cit_core::pagopa::Creditor;
///
/// let c = Creditor::from_json(r#"{"codice_fiscale": "80008750178",
///     "name": "Provincia di Brescia", "segregation_code": "07",
///     "iban": "IT60X0542811101000000123456", "category": "9/0101002IM/"}"#)?;
/// assert_eq!(c.category_for(cit_core::ChargeKind::Quota), "9/0101002IM/");
/// # Ok::<(), cit_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Creditor {
    /// Its codice fiscale: the `organizationFiscalCode` of every position and transfer.
    pub codice_fiscale: String,
    /// Its name, as the notices print it (`companyName`).
    pub name: String,
    /// Its codice di segregazione, `00` to `49`.
    pub segregation_code: String,
    /// The IBAN its transfers are credited to.
    pub iban: String,
    /// The taxonomy code of its transfers.
    pub category: String,
    /// Another taxonomy code for some kinds of charge (`{"servizio": "9/0101108TS/"}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub categories: BTreeMap<ChargeKind, String>,
}

impl Creditor {
    /// Reads a creditor's profile and checks it ([`Creditor::validate`]).
    ///
    /// # Errors
    /// [`Error::Malformed`] for bad JSON or unknown fields; [`Error::Invalid`] with every
    /// problem.
    pub fn from_json(text: &str) -> Result<Creditor> {
        let c: Creditor = crate::json::parse("creditor", text)?;
        c.validate()?;
        Ok(c)
    }

    /// Checks every field: the codice fiscale and IBAN with their check digits, the
    /// codice di segregazione, the taxonomy codes, a name.
    ///
    /// # Errors
    /// [`Error::Invalid`] listing every problem.
    pub fn validate(&self) -> Result<()> {
        let mut problems = Vec::new();
        let mut check = |ok: bool, path: String, expected: &str, found: &str| {
            if !ok {
                problems.push(Problem::new(path, expected, format!("{found:?}")));
            }
        };
        check(
            valid_codice_fiscale(&self.codice_fiscale),
            "codice_fiscale".into(),
            "11 digits with the right check digit (R-NOTICE)",
            &self.codice_fiscale,
        );
        check(
            !self.name.trim().is_empty(),
            "name".into(),
            "a name",
            &self.name,
        );
        check(
            check_segregation_code(&self.segregation_code).is_ok(),
            "segregation_code".into(),
            "two digits, 00 to 49 (R-NOTICE)",
            &self.segregation_code,
        );
        check(
            valid_iban(&self.iban),
            "iban".into(),
            "an Italian IBAN of 27 characters with the right check digits",
            &self.iban,
        );
        check(
            valid_category(&self.category),
            "category".into(),
            "a pagoPA taxonomy code such as 9/0101002IM/",
            &self.category,
        );
        for (kind, code) in &self.categories {
            check(
                valid_category(code),
                format!("categories.{}", kind.as_str()),
                "a pagoPA taxonomy code such as 9/0101002IM/",
                code,
            );
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid {
                document: "creditor",
                problems,
            })
        }
    }

    /// The taxonomy code of the transfers of a charge of `kind`.
    pub fn category_for(&self, kind: ChargeKind) -> &str {
        self.categories.get(&kind).unwrap_or(&self.category)
    }
}

/// Where a notice stands (R-NOTICE).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoticeStatus {
    /// Something of its share is still open: payable.
    Open,
    /// Its share is paid, by pagoPA or otherwise.
    Paid,
    /// Its charge was reversed: not to be paid (delete its debt position).
    Withdrawn,
}

/// A pagoPA payment notice for one payer's share of a charge (R-NOTICE). Its number is
/// given once, by [`Event::NoticesIssued`](crate::Event::NoticesIssued), and never reused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Notice {
    /// The charge.
    pub charge: String,
    /// The payer (the debtor): its ente id.
    pub payer: String,
    /// The payer's name.
    pub payer_name: String,
    /// The payer's codice fiscale.
    pub codice_fiscale: String,
    /// The numero avviso, 18 digits.
    pub notice_number: String,
    /// The IUV: the numero avviso without its aux digit.
    pub iuv: String,
    /// What the notice asks: what was open of the share when it was issued.
    pub amount: Money,
    /// The charge's due date.
    #[schemars(with = "crate::schema::Date")]
    #[serde(with = "crate::date_serde")]
    pub due: NaiveDate,
    /// The charge's year.
    pub year: i32,
    /// Day of issue of the notice.
    #[schemars(with = "crate::schema::Date")]
    #[serde(with = "crate::date_serde")]
    pub issued: NaiveDate,
    /// Where it stands now.
    pub status: NoticeStatus,
}

/// The notices as a CSV for the office (R-NOTICE): one line per notice, `;`-separated as
/// an Italian spreadsheet reads it, amounts with a decimal comma, dates `dd/mm/yyyy`.
/// Columns: `pagatore;denominazione;codice_fiscale;numero_avviso;importo;scadenza;addebito;stato`.
///
/// # Example
/// ```
/// use cit_core::pagopa::{Notice, NoticeStatus, notices_csv};
/// use chrono::NaiveDate;
///
/// let n = Notice { charge: "Q2026-017001".into(), payer: "017001".into(),
///     payer_name: "Acquafredda".into(), codice_fiscale: "00413350174".into(),
///     notice_number: "307000000000000105".into(), iuv: "07000000000000105".into(),
///     amount: "360.00".parse().unwrap(), due: NaiveDate::from_ymd_opt(2026, 4, 30).unwrap(),
///     year: 2026, issued: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(), status: NoticeStatus::Open };
/// assert_eq!(notices_csv(&[n]).lines().nth(1),
///     Some("017001;Acquafredda;00413350174;307000000000000105;360,00;30/04/2026;Q2026-017001;open"));
/// ```
pub fn notices_csv(notices: &[Notice]) -> String {
    let mut out = String::from(
        "pagatore;denominazione;codice_fiscale;numero_avviso;importo;scadenza;addebito;stato\n",
    );
    for n in notices {
        let status = match n.status {
            NoticeStatus::Open => "open",
            NoticeStatus::Paid => "paid",
            NoticeStatus::Withdrawn => "withdrawn",
        };
        let fields = [
            csv_field(&n.payer),
            csv_field(&n.payer_name),
            csv_field(&n.codice_fiscale),
            n.notice_number.clone(),
            fmt_it::decimal(n.amount.to_decimal(), 2, 2).replace('.', ""),
            n.due.format("%d/%m/%Y").to_string(),
            csv_field(&n.charge),
            status.to_owned(),
        ];
        out.push_str(&fields.join(";"));
        out.push('\n');
    }
    out
}

/// A CSV field, quoted when it holds a separator, a quote or a line break.
fn csv_field(s: &str) -> String {
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Cuts `text` to at most `max` characters at a word, ending with `…` when cut: the
/// `description` of a payment option holds 140.
pub(crate) fn cut_at_word(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let room: String = text.chars().take(max - 1).collect();
    let cut = match room.rfind(' ') {
        Some(i) if i > 0 => &room[..i],
        _ => &room,
    };
    format!("{}…", cut.trim_end_matches([' ', ',', ';', ':', '-']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// An independent computation of the check digits: the whole 16-digit number as an
    /// integer, divided by 93.
    fn check_by_division(segregation: u8, base: u64) -> u64 {
        let n: u64 = 3 * 10u64.pow(15) + u64::from(segregation) * 10u64.pow(13) + base;
        n % 93
    }

    #[test]
    fn r_notice_number_of_the_specification() {
        // Allegato A, aux digit 3: 3 + segregation code + IUV base + check digits, the
        // check being the 16 preceding digits modulo 93.
        let n = notice_number("07", "0000000012345").unwrap();
        assert_eq!(n.len(), 18);
        assert_eq!(&n[..16], "3070000000012345");
        assert_eq!(n[16..].parse::<u64>().unwrap(), 3_070_000_000_012_345 % 93);
        // A check below 10 is zero-padded: segregation code 00, base 1 gives the IUV
        // 00000000000000104, as in GovPay's own tests of its IUV check (IuvUtilsTest,
        // "IUV valido con auxDigit 3": 3000000000000001 % 93).
        let n = notice_number("00", "0000000000001").unwrap();
        assert_eq!(&n[16..], "04");
        assert_eq!(iuv("00", "0000000000001").unwrap(), "00000000000000104");
        assert_eq!(n, "300000000000000104");
        let n = notice_number("01", "0000000000002").unwrap();
        assert_eq!(&n[16..], format!("{:02}", 3_010_000_000_000_002u64 % 93));
    }

    #[test]
    fn r_notice_refuses_a_bad_segregation_code_or_base() {
        for bad in ["50", "99", "7", "007", "a1", ""] {
            assert_eq!(
                notice_number(bad, "0000000012345")
                    .unwrap_err()
                    .path()
                    .as_deref(),
                Some("segregation_code"),
                "{bad}"
            );
        }
        for bad in [
            "000000001234",
            "00000000123456",
            "000000001234x",
            "-000000012345",
        ] {
            assert_eq!(
                notice_number("07", bad).unwrap_err().path().as_deref(),
                Some("base"),
                "{bad}"
            );
        }
    }

    proptest! {
        #[test]
        fn r_notice_check_digits_match_an_independent_division(
            segregation in 0u8..50, base in 0u64..10_000_000_000_000) {
            let seg = format!("{segregation:02}");
            let b = format!("{base:013}");
            let n = notice_number(&seg, &b).unwrap();
            prop_assert_eq!(n.len(), 18);
            prop_assert_eq!(&n[..16], format!("3{seg}{b}"));
            prop_assert_eq!(n[16..].parse::<u64>().unwrap(), check_by_division(segregation, base));
            prop_assert!(valid_notice_number(&n));
            prop_assert!(valid_iuv(&n[1..]));
        }

        #[test]
        fn r_notice_a_changed_digit_breaks_the_check(
            segregation in 0u8..50, base in 0u64..10_000_000_000_000, at in 0usize..17, by in 1u8..10) {
            let iuv = iuv(&format!("{segregation:02}"), &format!("{base:013}")).unwrap();
            let mut bytes = iuv.clone().into_bytes();
            bytes[at] = b'0' + (bytes[at] - b'0' + by) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            // A digit of the first 15 changed moves the number by d·10^k with 0 < |d| < 10,
            // which 93 never divides (93 is prime to 10 and above 9): the remainder
            // changes. A changed check digit is another remainder, or above 92.
            prop_assert!(!valid_iuv(&changed));
        }
    }

    #[test]
    fn r_notice_iban_and_taxonomy_codes() {
        assert!(valid_iban("IT60X0542811101000000123456"));
        assert!(!valid_iban("IT61X0542811101000000123456"));
        assert!(!valid_iban("DE89370400440532013000"));
        assert!(!valid_iban("IT60x0542811101000000123456"));
        assert!(valid_category("9/0101002IM/"));
        for bad in ["0101002IM", "9/0101002IM", "9/010100IM/", "9/0101002im/"] {
            assert!(!valid_category(bad), "{bad}");
        }
    }

    #[test]
    fn r_notice_creditor_names_every_bad_field() {
        let e = Creditor::from_json(
            r#"{"codice_fiscale": "80008750179", "name": " ", "segregation_code": "51",
                "iban": "IT00X0542811101000000123456", "category": "IM",
                "categories": {"servizio": "9/x/"}}"#,
        )
        .unwrap_err();
        let Error::Invalid { problems, .. } = e else {
            panic!("{e}")
        };
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "codice_fiscale",
                "name",
                "segregation_code",
                "iban",
                "category",
                "categories.servizio"
            ]
        );
    }

    #[test]
    fn r_notice_description_is_cut_at_a_word() {
        let long = "Quota di adesione 2026 al CIT della Provincia di Brescia per il Comune di \
                    Acquafredda, convenzione 2026-2036, 1.600 abitanti a € 0,15 e 120 imprese a € 1,00";
        let cut = cut_at_word(long, 140);
        assert!(cut.chars().count() <= 140, "{cut}");
        assert!(cut.ends_with('…'));
        assert!(long.starts_with(cut.trim_end_matches('…')));
        assert_eq!(cut_at_word("breve", 140), "breve");
        let one_word = "x".repeat(200);
        assert_eq!(cut_at_word(&one_word, 140).chars().count(), 140);
    }
}
