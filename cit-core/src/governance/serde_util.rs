//! Serde helpers of the governance documents: maps keyed by member that refuse a member
//! written twice (a duplicate vote must not silently replace the first). Optional
//! decimals use [`crate::decimal::option`].

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serializer};

use crate::decimal::Exact;

/// A decimal of an output (a weight): its JSON is the plain decimal text, as
/// `crate::decimal::serialize` writes it, marked as a decimal ([`crate::DECIMAL_NEWTYPE`])
/// so that a binding's serializer can make it a decimal of its own (`decimal.Decimal`).
pub(crate) fn decimal<S: Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    crate::decimal::marked(v, s)
}

struct UniqueMap<V>(PhantomData<V>);

impl<'de, V: Deserialize<'de>> Visitor<'de> for UniqueMap<V> {
    type Value = BTreeMap<String, V>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object keyed by member (ente id), each member once")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("member `{key}` appears twice")));
            }
            let value = map.next_value::<V>()?;
            out.insert(key, value);
        }
        Ok(out)
    }
}

/// A map keyed by member that refuses duplicate keys.
pub(crate) fn unique_map<'de, D, V>(d: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    d.deserialize_map(UniqueMap(PhantomData))
}

/// `BTreeMap<String, Decimal>` keyed by member: read exactly, refusing duplicate keys;
/// written with the decimals as strings.
pub(crate) mod decimal_map {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        m: &BTreeMap<String, Decimal>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_map(m.iter().map(|(k, v)| (k, v.to_string())))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<String, Decimal>, D::Error> {
        let exact: BTreeMap<String, Exact> = unique_map(d)?;
        Ok(exact.into_iter().map(|(k, v)| (k, v.0)).collect())
    }
}
