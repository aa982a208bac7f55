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

/// Formats a decimal the Italian way, with at least `min_dp` decimals and at most
/// `max_dp` (extra digits are never dropped silently: `max_dp` only trims trailing zeros).
pub fn decimal(value: Decimal, min_dp: u32, max_dp: u32) -> String {
    let v = value.normalize();
    let text = v.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let keep = (frac.len() as u32).clamp(min_dp, max_dp.max(frac.len() as u32)) as usize;
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
    format!("€ {}", decimal(value, 2, 2))
}

/// A fraction as a percentage: `0.10` → `10%`, `0.125` → `12,5%`.
pub fn percent(fraction: Decimal) -> String {
    let pct = fraction * Decimal::ONE_HUNDRED;
    format!("{}%", decimal(pct, 0, 0))
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
        assert_eq!(decimal(d("0.1234"), 2, 2), "0,1234");
        assert_eq!(decimal(d("-0.50"), 2, 2), "-0,50");
        assert_eq!(decimal(d("7"), 0, 0), "7");
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
