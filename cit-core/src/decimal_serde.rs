//! Reading decimals from JSON without ever going through a float.
//!
//! With serde_json's `arbitrary_precision`, a JSON number reaches rust_decimal as its
//! decimal text. This module adds the checks that rust_decimal's own impl does not make:
//! no exponent notation, no silent rounding of digits that do not fit.

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::fmt;

/// The key under which serde_json (`arbitrary_precision`) hands over a number's text.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

struct DecimalText;

impl<'de> Visitor<'de> for DecimalText {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A binary float never gets here as one (serde's default refuses it with this
        // text): with arbitrary_precision, JSON numbers arrive as their digits.
        f.write_str("a decimal number or a string holding one, such as \"0.15\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        crate::money::parse_decimal(v).ok_or_else(|| {
            E::custom(format!(
                "expected a plain decimal number (no exponent) of at most 28 significant digits, found {v:?}"
            ))
        })
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decimal, A::Error> {
        match map.next_key::<String>()? {
            Some(key) if key == NUMBER_TOKEN => {
                let text: String = map.next_value()?;
                self.visit_str(&text)
            }
            _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }
}

/// Deserialises a [`Decimal`] from a JSON string or number, exactly.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    deserializer.deserialize_any(DecimalText)
}

/// Serialises a [`Decimal`] as its plain text in a JSON string.
pub(crate) fn serialize<S: serde::Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&value.to_string())
}
