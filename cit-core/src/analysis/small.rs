//! R-SMALL: comuni under 5.000 abitanti (D.L. 78/2010).

use crate::{Ente, EnteKind, Error, Result};

/// The R-SMALL limit: a comune with fewer abitanti than this is small.
///
/// D.L. 31 maggio 2010, n. 78 (conv. L. 122/2010), art. 14, commi 25-31, obliges small
/// comuni to run their basic functions (*funzioni fondamentali*) in associated form, by
/// convenzione or unione. R-SMALL (RULES.md) says "fewer than 5.000
/// abitanti", so the test is strict: `abitanti < 5.000`, and a comune of exactly 5.000 is
/// not small. (The decree's own text says "fino a 5.000 abitanti", and a lower limit of
/// 3.000 for comuni that belong or belonged to a comunità montana; neither is modelled.)
pub const SMALL_COMUNE_LIMIT: u64 = 5_000;

/// The Italian note analysts print next to a small comune.
pub const SMALL_COMUNE_NOTE: &str = "Comune sotto i 5.000 abitanti: funzioni fondamentali in forma associata (D.L. 78/2010, art. 14)";

/// True if `abitanti` is strictly below [`SMALL_COMUNE_LIMIT`] (R-SMALL).
///
/// # Example
/// ```
/// use cit_core::analysis::is_small;
///
/// assert!(is_small(4_999));
/// assert!(!is_small(5_000));
/// ```
pub fn is_small(abitanti: u64) -> bool {
    abitanti < SMALL_COMUNE_LIMIT
}

/// True if `ente` is a comune with fewer than 5.000 abitanti (R-SMALL). Other kinds of
/// ente are never small comuni.
///
/// # Errors
/// [`Error::MissingCount`] for a comune without `abitanti`: a missing count is never taken
/// as zero (R-CAP).
///
/// # Example
/// ```
/// use cit_core::Ente;
/// use cit_core::analysis::is_small_comune;
///
/// assert!(is_small_comune(&Ente::comune("064001", "Aiello del Sabato", 3_971, 0))?);
/// assert!(!is_small_comune(&Ente::comune("064008", "Avellino", 54_222, 0))?);
/// # Ok::<(), cit_core::Error>(())
/// ```
pub fn is_small_comune(ente: &Ente) -> Result<bool> {
    if ente.kind != EnteKind::Comune {
        return Ok(false);
    }
    let abitanti = ente.abitanti.ok_or_else(|| Error::MissingCount {
        ente: ente.id.clone(),
        field: "abitanti",
    })?;
    Ok(is_small(abitanti))
}

/// The small comuni among `enti`, in their order (R-SMALL).
///
/// # Errors
/// [`Error::MissingCount`] for the first comune without `abitanti`.
///
/// # Example
/// ```
/// use cit_core::Ente;
/// use cit_core::analysis::small_comuni;
///
/// let enti = [
///     Ente::comune("064001", "Aiello del Sabato", 3_971, 0),
///     Ente::comune("064008", "Avellino", 54_222, 0),
/// ];
/// let small = small_comuni(&enti)?;
/// assert_eq!(small.len(), 1);
/// assert_eq!(small[0].name, "Aiello del Sabato");
/// # Ok::<(), cit_core::Error>(())
/// ```
pub fn small_comuni(enti: &[Ente]) -> Result<Vec<&Ente>> {
    let mut small = Vec::new();
    for ente in enti {
        if is_small_comune(ente)? {
            small.push(ente);
        }
    }
    Ok(small)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_small_is_strictly_below_5000() {
        assert!(is_small(0));
        assert!(is_small(4_999));
        assert!(!is_small(5_000));
        assert!(!is_small(5_001));
    }

    #[test]
    fn r_small_only_comuni_are_small() {
        let mut unione = Ente::comune("U1", "Unione", 1_000, 0);
        unione.kind = EnteKind::Unione;
        assert!(!is_small_comune(&unione).unwrap());
        unione.abitanti = None;
        assert!(!is_small_comune(&unione).unwrap());
    }

    #[test]
    fn r_small_missing_abitanti_is_an_error() {
        let mut comune = Ente::comune("1", "A", 1_000, 0);
        comune.abitanti = None;
        let e = is_small_comune(&comune).unwrap_err();
        assert_eq!(e.code(), "missing_count");
        let e = small_comuni(&[comune]).unwrap_err();
        assert_eq!(e.path().as_deref(), Some("abitanti"));
    }

    #[test]
    fn r_small_filter_keeps_order() {
        let enti = [
            Ente::comune("1", "A", 4_000, 0),
            Ente::comune("2", "B", 5_000, 0),
            Ente::comune("3", "C", 12, 0),
        ];
        let ids: Vec<&str> = small_comuni(&enti)
            .unwrap()
            .iter()
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(ids, ["1", "3"]);
    }
}
