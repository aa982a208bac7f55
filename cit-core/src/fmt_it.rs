//! Italian number formatting for labels: `189.902`, `€ 0,15`, `12,5%`.

use rust_decimal::Decimal;

/// Groups the digits of a whole number by thousands with dots: `189902` → `189.902`.
pub fn integer(n: u64) -> String {
    let mut out = String::with_capacity(26);
    push_integer(&mut out, n);
    out
}

/// Appends `n` grouped by thousands to `out`, without allocating.
pub fn push_integer(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut rest = n;
    loop {
        digits[len] = b'0' + (rest % 10) as u8;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for i in (0..len).rev() {
        out.push(char::from(digits[i]));
        if i > 0 && i % 3 == 0 {
            out.push('.');
        }
    }
}

fn group(digits: &str) -> String {
    let len = digits.len();
    let mut out = String::with_capacity(len + len / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// `max_dp` for [`decimal`] that keeps every significant digit: no rounding.
pub const ALL_DP: u32 = u32::MAX;

/// Formats a decimal the Italian way — thousands grouped with dots, a decimal comma — with
/// at least `min_dp` decimals and at most `max_dp`.
///
/// A value with more than `max_dp` decimals is rounded to `max_dp`, half away from zero
/// (R-ROUND's rounding, [`crate::ROUNDING`]); [`ALL_DP`] keeps every digit. Trailing zeros
/// are dropped, then zeros are added up to `min_dp`. If `min_dp` is above `max_dp`, the
/// maximum is taken to be `min_dp`: the value is written with exactly `min_dp` decimals.
/// A value that rounds to zero is written without a sign.
///
/// # Example
/// ```
/// use cit_core::fmt_it::{ALL_DP, decimal};
/// use rust_decimal::Decimal;
///
/// let v = Decimal::new(12_345_675, 4); // 1234.5675
/// assert_eq!(decimal(v, 0, ALL_DP), "1.234,5675");
/// assert_eq!(decimal(v, 0, 3), "1.234,568");
/// assert_eq!(decimal(v, 0, 0), "1.235");
/// assert_eq!(decimal(Decimal::new(15, 1), 2, 4), "1,50");
/// assert_eq!(decimal(v, 2, 1), "1.234,57"); // min above max: exactly 2 decimals
/// ```
pub fn decimal(value: Decimal, min_dp: u32, max_dp: u32) -> String {
    let max_dp = max_dp.max(min_dp);
    let v = value
        .round_dp_with_strategy(max_dp, crate::ROUNDING.strategy())
        .normalize();
    let text = v.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let keep = frac
        .len()
        .max(usize::try_from(min_dp).unwrap_or(usize::MAX));
    let mut out = String::new();
    if v.is_sign_negative() && !v.is_zero() {
        out.push('-');
    }
    out.push_str(&group(int));
    if keep > 0 {
        out.push(',');
        out.push_str(frac);
        out.extend(std::iter::repeat_n('0', keep - frac.len()));
    }
    out
}

/// A price per unit in euro, with at least two decimals and all the significant ones:
/// `0.15` → `€ 0,15`, `0.1234` → `€ 0,1234`, `1` → `€ 1,00`.
pub fn rate(value: Decimal) -> String {
    format!("€ {}", decimal(value, 2, ALL_DP))
}

/// A fraction as a percentage, with all its significant digits: `0.10` → `10%`,
/// `0.125` → `12,5%`.
pub fn percent(fraction: Decimal) -> String {
    let pct = fraction * Decimal::ONE_HUNDRED;
    format!("{}%", decimal(pct, 0, ALL_DP))
}

/// The Italian name of month `m` (1 = `gennaio`), `None` outside 1..=12.
pub fn month(m: u32) -> Option<&'static str> {
    const MONTHS: [&str; 12] = [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ];
    MONTHS.get(m.checked_sub(1)? as usize).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn integer_groups_thousands() {
        assert_eq!(integer(0), "0");
        assert_eq!(integer(999), "999");
        assert_eq!(integer(1000), "1.000");
        assert_eq!(integer(189_902), "189.902");
        assert_eq!(integer(u64::MAX), "18.446.744.073.709.551.615");
    }

    #[test]
    fn decimal_uses_comma_and_keeps_significant_digits() {
        assert_eq!(decimal(d("1234.5"), 2, 2), "1.234,50");
        assert_eq!(decimal(d("0.1234"), 2, ALL_DP), "0,1234");
        assert_eq!(decimal(d("23734.5"), 0, ALL_DP), "23.734,5");
        assert_eq!(decimal(d("-0.50"), 2, 2), "-0,50");
        assert_eq!(decimal(d("7"), 0, 0), "7");
        let max = "0.0000000000000000000000000001";
        assert_eq!(decimal(d(max), 0, ALL_DP), max.replace('.', ","));
        assert_eq!(
            decimal(Decimal::MAX, 0, 0),
            "79.228.162.514.264.337.593.543.950.335"
        );
    }

    #[test]
    fn decimal_max_dp_rounds_half_away_from_zero() {
        assert_eq!(decimal(d("0.1234"), 2, 2), "0,12");
        assert_eq!(decimal(d("0.1234"), 2, 3), "0,123");
        assert_eq!(decimal(d("0.1235"), 2, 3), "0,124");
        assert_eq!(decimal(d("1.005"), 0, 2), "1,01");
        assert_eq!(decimal(d("-1.005"), 0, 2), "-1,01");
        assert_eq!(decimal(d("2.5"), 0, 0), "3");
        assert_eq!(decimal(d("-2.5"), 0, 0), "-3");
        assert_eq!(decimal(d("1234.5678"), 0, 2), "1.234,57");
        assert_eq!(decimal(d("999.995"), 0, 2), "1.000");
        assert_eq!(decimal(d("999.995"), 2, 2), "1.000,00");
        // Rounded to zero, no sign: never "-0".
        assert_eq!(decimal(d("-0.004"), 0, 2), "0");
        assert_eq!(decimal(d("-0.004"), 2, 2), "0,00");
        // Trailing zeros go, up to min_dp.
        assert_eq!(decimal(d("1.50"), 0, 4), "1,5");
        assert_eq!(decimal(d("1.50"), 2, 4), "1,50");
        assert_eq!(decimal(d("1.2000049"), 1, 4), "1,2");
    }

    #[test]
    fn decimal_min_dp_above_max_dp_writes_exactly_min_dp() {
        assert_eq!(decimal(d("1.23456"), 3, 1), "1,235");
        assert_eq!(decimal(d("7"), 2, 0), "7,00");
        assert_eq!(decimal(d("-0.5"), 1, 0), "-0,5");
        assert_eq!(decimal(d("0.05"), 1, 0), "0,1");
    }

    proptest::proptest! {
        /// Read back (dots out, comma to point), the text is the value rounded to
        /// `max_dp` half away from zero, with at least `min_dp` and at most
        /// `max(min_dp, max_dp)` decimals.
        #[test]
        fn decimal_reads_back_as_the_value_rounded_to_max_dp(
            mantissa in proptest::prelude::any::<i64>(), scale in 0u32..=28,
            min_dp in 0u32..6, max_dp in 0u32..12,
        ) {
            let value = Decimal::new(mantissa, scale);
            let text = decimal(value, min_dp, max_dp);
            let back: Decimal = text.replace('.', "").replace(',', ".").parse().unwrap();
            let max = max_dp.max(min_dp);
            proptest::prop_assert_eq!(back, value.round_dp_with_strategy(max, crate::ROUNDING.strategy()));
            let decimals = text.split_once(',').map_or(0, |(_, f)| f.len() as u32);
            proptest::prop_assert!(min_dp <= decimals && decimals <= max, "{}", text);
            proptest::prop_assert_eq!(decimal(value, 0, ALL_DP).replace('.', "").replace(',', ".").parse::<Decimal>().unwrap(), value);
        }
    }

    #[test]
    fn rate_and_percent() {
        assert_eq!(rate(d("0.15")), "€ 0,15");
        assert_eq!(rate(d("1")), "€ 1,00");
        assert_eq!(rate(d("0.150")), "€ 0,15");
        assert_eq!(percent(d("0.10")), "10%");
        assert_eq!(percent(d("0.125")), "12,5%");
        assert_eq!(percent(d("0")), "0%");
    }
}
