//! The codice fiscale of a public body (DPR 605/1973, DM 23/12/1976): an ente records it
//! (R-NOTICE) and pagoPA's notices and creditor carry it. A leaf: the ente and pagopa
//! modules both use it; it is public as [`crate::pagopa::valid_codice_fiscale`].

/// True if `code` is the codice fiscale of a body (a *soggetto diverso dalle persone
/// fisiche*): 11 digits whose last is the check digit of the partita IVA algorithm (the
/// digits in odd places summed, those in even places doubled, less 9 when above 9, and
/// summed; the check digit brings the total to a multiple of 10).
///
/// # Example
/// ```
/// use cit_core::pagopa;
///
/// assert!(pagopa::valid_codice_fiscale("80008750178")); // Provincia di Brescia
/// assert!(!pagopa::valid_codice_fiscale("80008750179"));
/// assert!(!pagopa::valid_codice_fiscale("8000875017"));
/// ```
pub fn valid_codice_fiscale(code: &str) -> bool {
    if code.len() != 11 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = code
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                d
            } else if d * 2 > 9 {
                d * 2 - 9
            } else {
                d * 2
            }
        })
        .sum();
    sum % 10 == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn r_notice_codice_fiscale_of_known_bodies() {
        // Provincia di Brescia, Comune di Brescia, Comune di Milano, Agenzia delle Entrate,
        // INPS: codici fiscali published on their sites and on IndicePA.
        for ok in [
            "80008750178",
            "00761890177",
            "01199250158",
            "06363391001",
            "80078750587",
        ] {
            assert!(valid_codice_fiscale(ok), "{ok}");
        }
        for bad in [
            "80008750179",
            "80008750170",
            "00761890176",
            "8000875017",
            "800087501780",
            "8000875017A",
            "",
            " 80008750178",
        ] {
            assert!(!valid_codice_fiscale(bad), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn r_notice_exactly_one_check_digit_completes_ten_digits(first in 0u64..10_000_000_000) {
            let head = format!("{first:010}");
            let valid: Vec<u32> = (0..10)
                .filter(|d| valid_codice_fiscale(&format!("{head}{d}")))
                .collect();
            prop_assert_eq!(valid.len(), 1);
        }
    }
}
