//! R-BAND's population bands (*fasce di abitanti*), one way for every banded table of a
//! tariff — the quota's discounts ([`Band`]), the service prices ([`PriceBand`]) and the
//! allowances ([`AllowanceBand`]): ascending inclusive upper bounds, the last one open;
//! one lookup ([`index`]) and one label ([`label`]) over them.

use super::{AllowanceBand, Band, PriceBand};
use crate::fmt_it;

/// A band of a banded table: what the lookup and the label need of it.
pub(crate) trait Banded {
    /// The inclusive upper bound in abitanti; `None` for the last, open band.
    fn up_to(&self) -> Option<u64>;
}

impl Banded for Band {
    fn up_to(&self) -> Option<u64> {
        self.up_to
    }
}

impl Banded for PriceBand {
    fn up_to(&self) -> Option<u64> {
        self.up_to
    }
}

impl Banded for AllowanceBand {
    fn up_to(&self) -> Option<u64> {
        self.up_to
    }
}

/// The index of the band of `ab` abitanti: the first whose bound holds it (bands
/// validated: ascending, the last one open; `0` for no bands).
pub(crate) fn index<B: Banded>(bands: &[B], ab: u64) -> usize {
    bands
        .iter()
        .position(|b| b.up_to().is_none_or(|u| ab <= u))
        .unwrap_or(bands.len().saturating_sub(1))
}

/// The range of band `i` in words, as quote lines write it after "fascia": `fino a 3.000
/// abitanti`, `da 3.001 a 10.000 abitanti`, `oltre 10.000 abitanti`, or `unica` for a
/// single open band.
pub(crate) fn label<B: Banded>(bands: &[B], i: usize) -> String {
    let lower = i
        .checked_sub(1)
        .and_then(|j| bands.get(j))
        .and_then(Banded::up_to);
    match (lower, bands.get(i).and_then(Banded::up_to)) {
        (_, Some(u)) if i == 0 => format!("fino a {} abitanti", fmt_it::integer(u)),
        (Some(l), Some(u)) => format!(
            "da {} a {} abitanti",
            fmt_it::integer(l.saturating_add(1)),
            fmt_it::integer(u)
        ),
        (Some(l), None) => format!("oltre {} abitanti", fmt_it::integer(l)),
        _ => "unica".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bands(ups: &[Option<u64>]) -> Vec<PriceBand> {
        ups.iter()
            .map(|&up_to| PriceBand {
                up_to,
                amount: crate::Money::ZERO,
            })
            .collect()
    }

    #[test]
    fn r_band_lookup_takes_the_first_band_holding_the_count() {
        let b = bands(&[Some(3000), Some(10_000), None]);
        assert_eq!(index(&b, 0), 0);
        assert_eq!(index(&b, 3000), 0);
        assert_eq!(index(&b, 3001), 1);
        assert_eq!(index(&b, 10_000), 1);
        assert_eq!(index(&b, u64::MAX), 2);
        assert_eq!(index(&bands(&[None]), 5), 0);
        assert_eq!(index::<PriceBand>(&[], 5), 0);
    }

    #[test]
    fn r_band_labels_name_the_range() {
        let b = bands(&[Some(3000), Some(10_000), None]);
        assert_eq!(label(&b, 0), "fino a 3.000 abitanti");
        assert_eq!(label(&b, 1), "da 3.001 a 10.000 abitanti");
        assert_eq!(label(&b, 2), "oltre 10.000 abitanti");
        assert_eq!(label(&bands(&[None]), 0), "unica");
        // A first band of no abitanti: the next one starts at 1, and is not the only one.
        let z = bands(&[Some(0), Some(500), None]);
        assert_eq!(label(&z, 1), "da 1 a 500 abitanti");
        assert_eq!(label(&bands(&[Some(0), None]), 1), "oltre 0 abitanti");
    }
}
