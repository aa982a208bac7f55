//! Dates in the documents: ISO `YYYY-MM-DD` exactly, read with
//! [`crate::json::date`]'s rule and written the same way.
//!
//! chrono's own reader, which serde would use, is lenient: it takes `"22-03-01"` for the
//! year 22, `"2022-3-1"`, `" 2022-03-01"` and `"2022 - 03 - 01"`. A date on a fee or a
//! deliberation must mean one thing, so every date field of the crate goes through this
//! module (chrono's `serde` feature is off: a date field without it does not compile).
//!
//! The documents hold the years 0000 to 9999. A date outside them can only come from the
//! Rust API (a `NaiveDate` built by the caller, or a due date computed 30 days after
//! 9999-12-15); it is written as chrono writes it (`+10000-01-13`) and refused when read.

use std::fmt;

use chrono::NaiveDate;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::json::iso_date;

/// The name under which every date of the crate serialises, as a newtype struct around
/// its ISO text (`"2021-04-30"`).
///
/// A serializer that knows the name can tell a date from any other string without
/// guessing from the key it sits under: the Python package turns it into a
/// `datetime.date` (its `pyser`). Every other serializer ignores it: serde_json (and
/// `serde_json::to_value`, which the WebAssembly package uses) writes a newtype struct as
/// its inner value, so the JSON documents stay byte for byte what they were.
pub const DATE_NEWTYPE: &str = "cit::Date";

struct IsoDate;

impl Visitor<'_> for IsoDate {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date YYYY-MM-DD")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<NaiveDate, E> {
        iso_date(v).ok_or_else(|| E::custom(format!("expected a date YYYY-MM-DD, found {v:?}")))
    }
}

/// Reads a date written `YYYY-MM-DD`, a real day of the calendar.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    d.deserialize_str(IsoDate)
}

/// Writes a date as `YYYY-MM-DD`.
pub(crate) fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    Iso(*date).serialize(s)
}

/// A date as chrono writes it (`2021-04-30`; `+10000-01-13` beyond the year 9999), the
/// years 0000-9999 digit by digit: the journal writes and the registry's explanations cite
/// hundreds of thousands of dates, and chrono's general writer costs several times more.
pub(crate) struct Iso(pub(crate) NaiveDate);

/// The ISO text, marked as a date ([`DATE_NEWTYPE`]).
impl Serialize for Iso {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(DATE_NEWTYPE, &Text(self))
    }
}

/// The text of a date, written without an intermediate `String` (`collect_str`).
struct Text<'a>(&'a Iso);

impl Serialize for Text<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self.0)
    }
}

impl fmt::Display for Iso {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use chrono::Datelike;
        let d = self.0;
        let Ok(year) = u32::try_from(d.year()) else {
            return fmt::Display::fmt(&d, f);
        };
        if year > 9999 {
            return fmt::Display::fmt(&d, f);
        }
        let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
        let mut text = [0u8; 10];
        for (i, c) in [
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            '-',
            digit(d.month() / 10),
            digit(d.month()),
            '-',
            digit(d.day() / 10),
            digit(d.day()),
        ]
        .into_iter()
        .enumerate()
        {
            text[i] = c as u8;
        }
        f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
    }
}

/// An optional date (`null` or absent is `None`); pair it with `#[serde(default)]`.
pub(crate) mod option {
    use super::*;

    /// Reads `null` or a date.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        #[derive(Deserialize)]
        struct Date(#[serde(with = "super")] NaiveDate);
        Ok(Option::<Date>::deserialize(d)?.map(|Date(date)| date))
    }

    /// Writes `null` or the date.
    pub(crate) fn serialize<S: Serializer>(
        date: &Option<NaiveDate>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => s.serialize_some(&Iso(*date)),
            None => s.serialize_none(),
        }
    }
}

/// A list of dates, written as a JSON array of `YYYY-MM-DD`.
pub(crate) mod seq {
    use super::*;

    /// Writes the dates.
    pub(crate) fn serialize<S: Serializer>(dates: &[NaiveDate], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(dates.iter().map(|d| Iso(*d)))
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use serde_json::json;

    use super::Iso;
    use crate::registry::Event;

    fn read(date: &str) -> crate::Result<Vec<Event>> {
        let journal = json!([{"type": "membership_requested", "membership": "A", "ente": "1",
            "date": date}]);
        crate::json::parse("journal", &journal.to_string())
    }

    #[test]
    fn dates_are_iso_yyyy_mm_dd_exactly() {
        assert!(read("2021-04-01").is_ok());
        assert!(read("0021-04-01").is_ok());
        for bad in [
            "21-04-01",
            "2021-4-1",
            "2021-04-1",
            " 2021-04-01",
            "2021-04-01 ",
            "2021 - 04 - 01",
            "+2021-04-01",
            "-2021-04-01",
            "12021-04-01",
            "2021-04-31",
            "2021/04/01",
            "2021-04-01T00:00",
            "",
        ] {
            let e = read(bad).unwrap_err();
            assert_eq!(
                (e.code(), e.path().as_deref()),
                ("malformed", Some("[0].date")),
                "{bad:?}"
            );
            assert!(e.to_string().contains("expected a date YYYY-MM-DD"), "{e}");
        }
    }

    #[test]
    fn r_round_iso_writes_a_date_as_chrono_does() {
        let mut day = NaiveDate::from_ymd_opt(0, 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(10_001, 12, 31).unwrap();
        while day <= last {
            assert_eq!(Iso(day).to_string(), day.to_string());
            day = day + chrono::Days::new(97);
        }
        for d in [
            NaiveDate::MIN,
            NaiveDate::MAX,
            NaiveDate::from_ymd_opt(-1, 12, 31).unwrap(),
        ] {
            assert_eq!(Iso(d).to_string(), d.to_string());
        }
        let d = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(format!("{:>12}", Iso(d)), format!("{d:>12}"));
    }

    #[test]
    fn dates_are_written_as_they_are_read() {
        let events = read("2021-04-01").unwrap();
        let text = crate::json::to_string(&events);
        assert!(text.contains(r#""date":"2021-04-01""#), "{text}");
        assert_eq!(
            crate::json::parse::<Vec<Event>>("journal", &text).unwrap(),
            events
        );
    }
}
