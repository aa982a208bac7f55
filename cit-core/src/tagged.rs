//! Internally tagged documents (`{"type": "payment_received", "amount": …}`) read with the
//! exact path of an error inside them.
//!
//! serde reads an internally tagged enum by buffering the whole object before it knows the
//! variant, and an error found in the buffer has lost its place: a bad amount in a journal
//! event was reported at the event, a bad date with chrono's bare "input is out of range".
//! [`tagged_enum!`] declares such an enum once; it is written by serde's own derive
//! (internally tagged, unchanged) and read through a private externally tagged mirror, so
//! that `serde_path_to_error` follows every field. [`read`] takes the object's own text,
//! finds the tag, reads `{"variant": {the object}}` as the mirror and hands the inner path
//! back to [`crate::json::parse`], which joins it to the outer one ([`crate::json::join_path`]): `[3].amount`,
//! `quorum.rounding`, `services[0].list_price.amount`.
//!
//! Used for every internally tagged document: the registry's events, the capofila's share,
//! the quorum, the price of a service and the standing of an ente. The mirror is read from
//! text by the same deserializer as every document, so it adds no deserializer of its own
//! to the code (the wasm builds are smaller for it than with serde's buffering or a
//! `serde_json::Value`). The price: these types read from serde_json only (text or a
//! `serde_json::Value`), the canonical format of the documents, not from other serde formats.

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::json::{Unreadable, marked, without_position};

/// Declares an enum written internally tagged by serde's derive and read through an
/// externally tagged mirror (see the module docs). Struct and unit variants; the caller
/// derives everything but `Deserialize` and keeps its `#[serde(tag = …)]` attributes for
/// writing. Each variant of the mirror also holds the tag, as the object read does.
macro_rules! tagged_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident read as $mirror:ident by $tag:literal $body:tt
    ) => {
        $crate::tagged::tagged_enum! {
            $(#[$meta])*
            $vis enum $name read as $mirror by $tag with read $body
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident read as $mirror:ident by $tag:literal with $reader:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident $({
                    $(
                        $(#[$fmeta:meta])*
                        $field:ident : $fty:ty
                    ),* $(,)?
                })?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        // Read through the mirror, which refuses unknown fields: the schema says so too.
        #[schemars(deny_unknown_fields)]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                $variant $({
                    $(
                        $(#[$fmeta])*
                        $field: $fty
                    ),*
                })?
            ),*
        }

        /// The externally tagged form `{"variant": {tag, fields}}` that reads the enum. (It
        /// derives `JsonSchema` only to take the fields' `schemars` attributes; the enum's
        /// own schema is the one written.)
        #[derive(serde::Deserialize, schemars::JsonSchema)]
        #[serde(rename_all = "snake_case", deny_unknown_fields)]
        enum $mirror {
            $(
                $variant {
                    #[serde(rename = $tag)]
                    #[schemars(with = "String")]
                    _tag: serde::de::IgnoredAny,
                    $($(
                        $(#[$fmeta])*
                        $field: $fty
                    ),*)?
                }
            ),*
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(match $crate::tagged::$reader::<D, $mirror>(
                    d,
                    $tag,
                    // `crate::json::TAGGED_PREFIX`, then the tag.
                    concat!("cit::tagged::", $tag),
                )? {
                    $(
                        $mirror::$variant { $($($field,)*)? .. } => $name::$variant $({ $($field),* })?,
                    )*
                })
            }
        }
    };
}
pub(crate) use tagged_enum;

/// Reads the object `{tag: "variant", fields…}` as the mirror `{"variant": {tag, fields…}}`.
///
/// An error inside keeps its path: the message carries it for [`crate::json`] to take
/// back out ([`marked`]; an unknown variant is reported at `tag`).
pub(crate) fn read<'de, D, M>(d: D, tag: &'static str, token: &'static str) -> Result<M, D::Error>
where
    D: Deserializer<'de>,
    M: DeserializeOwned,
{
    read_with(d, tag, token, crate::json::read)
}

/// [`read`] for the documents read by the hundred thousand (the events of a journal
/// replayed): the mirror is first read without following the path, and only a mirror
/// that fails is read again with it, for the error. The same result, at half the cost of
/// the path's bookkeeping; kept out of the other documents because each type read this way
/// carries a second reader (it would weigh on the calculator's `.wasm`).
pub(crate) fn read_fast<'de, D, M>(
    d: D,
    tag: &'static str,
    token: &'static str,
) -> Result<M, D::Error>
where
    D: Deserializer<'de>,
    M: DeserializeOwned,
{
    read_with(d, tag, token, crate::json::read_fast)
}

fn read_with<'de, D, M>(
    d: D,
    tag: &'static str,
    token: &'static str,
    reader: fn(&str) -> Result<M, Unreadable>,
) -> Result<M, D::Error>
where
    D: Deserializer<'de>,
    M: DeserializeOwned,
{
    // Without host values, straight from the text: the same code as before the map path,
    // and nothing more in the calculator's `.wasm`.
    #[cfg(not(feature = "host-values"))]
    {
        let _ = token;
        from_text(Box::<RawValue>::deserialize(d)?, tag, reader)
    }
    #[cfg(feature = "host-values")]
    d.deserialize_newtype_struct(
        token,
        host::Tagged {
            tag,
            reader,
            mirror: std::marker::PhantomData,
        },
    )
}

/// The tagged object `object` (its own JSON text) read as its mirror.
fn from_text<M: DeserializeOwned, E: serde::de::Error>(
    object: Box<RawValue>,
    tag: &'static str,
    reader: fn(&str) -> Result<M, Unreadable>,
) -> Result<M, E> {
    let read =
        mirror_of(&object, tag).and_then(|mirror| reader(&mirror).map_err(|u| inner_error(tag, u)));
    read.map_err(|e| match e {
        Inner::Missing => E::missing_field(tag),
        Inner::Message(message) => E::custom(message),
    })
}

/// The mirror read from a map that gives its tag first (the Python binding's reader of
/// dicts): only with the feature `host-values`, which cit-py enables. The WebAssembly
/// builds read their documents from JSON text and leave it out (about 4 KB gzipped there).
#[cfg(feature = "host-values")]
mod host {
    use serde::de::Error as _;

    use super::*;

    /// The visitor of [`read_with`]: the object's text from serde_json (which knows no
    /// `cit::tagged::` name and hands itself over), or a map with the tag first from a
    /// deserializer of host values.
    pub(super) struct Tagged<M> {
        pub(super) tag: &'static str,
        pub(super) reader: fn(&str) -> Result<M, Unreadable>,
        pub(super) mirror: std::marker::PhantomData<M>,
    }

    impl<'de, M: DeserializeOwned> Visitor<'de> for Tagged<M> {
        type Value = M;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map")
        }

        fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<M, D::Error> {
            from_text(Box::<RawValue>::deserialize(d)?, self.tag, self.reader)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<M, A::Error> {
            if map.next_key::<std::borrow::Cow<'_, str>>()?.as_deref() != Some(self.tag) {
                return Err(A::Error::missing_field(self.tag));
            }
            let variant: String = map.next_value()?;
            M::deserialize(Mirror {
                variant,
                tag: self.tag,
                map,
            })
        }
    }

    /// The mirror `{"variant": {tag, fields…}}` of a map that gives its tag first: the variant
    /// is the tag's value, its fields the map's entries, the tag given back as the first.
    pub(super) struct Mirror<A> {
        pub(super) variant: String,
        pub(super) tag: &'static str,
        pub(super) map: A,
    }

    /// An error whose only use is its message: serde's own wording of an unknown variant.
    #[derive(Debug)]
    struct Message(String);

    impl std::fmt::Display for Message {
        fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str(&self.0)
        }
    }

    impl std::error::Error for Message {}

    impl serde::de::Error for Message {
        fn custom<T: std::fmt::Display>(msg: T) -> Message {
            Message(msg.to_string())
        }
    }

    impl<'de, A: MapAccess<'de>> Deserializer<'de> for Mirror<A> {
        type Error = A::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, A::Error> {
            Err(A::Error::custom("a tagged document is read as its variant"))
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _name: &'static str,
            variants: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, A::Error> {
            if !variants.contains(&self.variant.as_str()) {
                // Reported at the tag, in serde's words, as the text's reader reports it.
                let Message(message) = Message::unknown_variant(&self.variant, variants);
                return Err(A::Error::custom(marked(self.tag, &message)));
            }
            visitor.visit_enum(self)
        }

        // serde's method names (a mirror holds no number, let alone a float): each one
        // refuses, as `deserialize_any` does.
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier
            ignored_any
        }
    }

    impl<'de, A: MapAccess<'de>> serde::de::EnumAccess<'de> for Mirror<A> {
        type Error = A::Error;
        type Variant = Self;

        fn variant_seed<V: serde::de::DeserializeSeed<'de>>(
            self,
            seed: V,
        ) -> Result<(V::Value, Self), A::Error> {
            let value = seed.deserialize(serde::de::value::StrDeserializer::<A::Error>::new(
                &self.variant,
            ))?;
            Ok((value, self))
        }
    }

    impl<'de, A: MapAccess<'de>> serde::de::VariantAccess<'de> for Mirror<A> {
        type Error = A::Error;

        fn unit_variant(self) -> Result<(), A::Error> {
            Err(A::Error::custom("a mirror's variant holds the tag"))
        }

        fn newtype_variant_seed<T: serde::de::DeserializeSeed<'de>>(
            self,
            _: T,
        ) -> Result<T::Value, A::Error> {
            Err(A::Error::custom("a mirror's variant is a struct"))
        }

        fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, A::Error> {
            Err(A::Error::custom("a mirror's variant is a struct"))
        }

        fn struct_variant<V: Visitor<'de>>(
            self,
            _fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, A::Error> {
            visitor.visit_map(TagFirst {
                tag: Some(self.tag),
                variant: Some(self.variant),
                map: self.map,
            })
        }
    }

    /// The map's entries, with the tag (already read) given back first.
    struct TagFirst<A> {
        tag: Option<&'static str>,
        variant: Option<String>,
        map: A,
    }

    impl<'de, A: MapAccess<'de>> MapAccess<'de> for TagFirst<A> {
        type Error = A::Error;

        fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, A::Error> {
            match self.tag.take() {
                Some(tag) => seed
                    .deserialize(serde::de::value::StrDeserializer::<A::Error>::new(tag))
                    .map(Some),
                None => self.map.next_key_seed(seed),
            }
        }

        fn next_value_seed<V: serde::de::DeserializeSeed<'de>>(
            &mut self,
            seed: V,
        ) -> Result<V::Value, A::Error> {
            match self.variant.take() {
                Some(variant) => seed.deserialize(
                    serde::de::value::StringDeserializer::<A::Error>::new(variant),
                ),
                None => self.map.next_value_seed(seed),
            }
        }
    }
}

/// Why a tagged object could not be read, before it is an error of the outer reader.
enum Inner {
    /// The object has no tag.
    Missing,
    /// Any other error, its inner path carried in the message.
    Message(String),
}

/// The text of the mirror of `object`: `{"variant": object}`.
fn mirror_of(object: &RawValue, tag: &'static str) -> Result<String, Inner> {
    let variant = serde_json::Deserializer::from_str(object.get())
        .deserialize_map(TagOf(tag))
        .map_err(|e| Inner::Message(without_position(&e)))?
        .ok_or(Inner::Missing)?;
    if serde_json::from_str::<String>(variant.get()).is_err() {
        let message = format!("expected the `{tag}` as a string, found {}", variant.get());
        return Err(Inner::Message(marked(tag, &message)));
    }
    // `variant` is the tag's own JSON text, quotes and escapes included.
    Ok(format!("{{{}:{}}}", variant.get(), object.get()))
}

/// An error in the mirror as an error inside the object. Its position in the mirror would
/// mean nothing to the caller: the outer reader gives the object's.
fn inner_error(tag: &'static str, u: Unreadable) -> Inner {
    // The mirror's first segment is the variant: drop it. An unknown variant is an error
    // about the tag.
    let inner = match u.path.split_once('.') {
        Some((_, rest)) if !rest.is_empty() => rest,
        _ if u.message.starts_with("unknown variant") => tag,
        _ => "",
    };
    Inner::Message(marked(inner, &u.message))
}

/// Finds the raw text of the tag's value in an object (the last one if the tag is given
/// more than once: the mirror then refuses the duplicate field).
struct TagOf(&'static str);

impl<'de> Visitor<'de> for TagOf {
    type Value = Option<Box<RawValue>>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == self.0 {
                found = Some(map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::registry::Event;
    use crate::{Board, Tariff};

    fn event_error(event: serde_json::Value) -> (String, Option<String>) {
        let e = crate::json::parse::<Vec<Event>>(
            "journal",
            &json!([{"type": "ente_registered",
            "ente": {"id": "1", "name": "A", "kind": "altro"}}, event])
            .to_string(),
        )
        .unwrap_err();
        (e.code().to_owned(), e.path())
    }

    fn payment(field: &str, value: serde_json::Value) -> serde_json::Value {
        let mut p = json!({"type": "payment_received", "payment": "P-1", "payer": "1",
            "date": "2021-04-01", "amount": "10.00"});
        p[field] = value;
        p
    }

    #[test]
    fn r_ledger_an_error_inside_a_journal_event_names_its_field() {
        let at = |p: &str| ("malformed".to_owned(), Some(p.to_owned()));
        assert_eq!(
            event_error(payment("amount", json!("10.001"))),
            at("[1].amount")
        );
        assert_eq!(
            event_error(payment("date", json!("2021-13-01"))),
            at("[1].date")
        );
        assert_eq!(event_error(payment("payer", json!(7))), at("[1].payer"));
        // The tag: unknown, not a string, missing.
        assert_eq!(
            event_error(payment("type", json!("payment_recieved"))),
            at("[1].type")
        );
        assert_eq!(event_error(payment("type", json!(3))), at("[1].type"));
        let mut untyped = payment("amount", json!("1.00"));
        untyped.as_object_mut().unwrap().remove("type");
        assert_eq!(event_error(untyped), at("[1]"));
        // An unknown field is reported at its key, as everywhere (`membership.comune.x`).
        assert_eq!(
            event_error(payment("amonut", json!("1.00"))),
            at("[1].amonut")
        );
        // A key holding the character that marks inner paths keeps its place.
        let mut odd = payment("amount", json!("1.00"));
        odd["a\u{1f}b"] = json!(1);
        assert_eq!(event_error(odd), at("[1].a\\u001fb"));
        // The tag given twice is refused, not read as the last one.
        let twice = r#"[{"type": "ente_registered", "type": "ente_registered",
            "ente": {"id": "1", "name": "A", "kind": "altro"}}]"#;
        let e = crate::json::parse::<Vec<Event>>("journal", twice).unwrap_err();
        assert_eq!(e.path().as_deref(), Some("[0]"));
        assert!(e.to_string().contains("duplicate field `type`"), "{e}");
        // Not an object.
        let e = crate::json::parse::<Vec<Event>>("journal", "[3]").unwrap_err();
        assert_eq!(e.path().as_deref(), Some("[0]"));
        assert!(
            e.to_string()
                .contains("invalid type: integer `3`, expected a map"),
            "{e}"
        );
        // The tag may come anywhere in the object.
        let last = json!({"payment": "P-1", "payer": "1", "date": "2021-04-01",
            "amount": "1.001", "type": "payment_received"});
        assert_eq!(event_error(last), at("[1].amount"));
    }

    #[test]
    fn r_run_an_error_inside_an_adopted_tariff_keeps_the_tariffs_own_path() {
        let mut t: serde_json::Value =
            serde_json::from_str(include_str!("../../examples/tariffs/bs-2021-services.json"))
                .unwrap();
        t["services"][0]["tier"] = json!("gold");
        let e = Tariff::from_json(&t.to_string()).unwrap_err();
        assert_eq!(e.path().as_deref(), Some("services[0].tier"));
        // An unknown variant of an enum inside keeps its own path, not the event's tag.
        let adopted = json!({"type": "tariff_adopted", "tariff": t});
        assert_eq!(
            event_error(adopted).1.as_deref(),
            Some("[1].tariff.services[0].tier")
        );
        // An error inside a price names its field, also inside an adopted tariff.
        t["services"][0]["tier"] = json!("premium");
        t["services"][0]["list_price"]["amount"] = json!("45.001");
        let e = Tariff::from_json(&t.to_string()).unwrap_err();
        assert_eq!(e.path().as_deref(), Some("services[0].list_price.amount"));
        let adopted = json!({"type": "tariff_adopted", "tariff": t});
        assert_eq!(
            event_error(adopted).1.as_deref(),
            Some("[1].tariff.services[0].list_price.amount")
        );
    }

    #[test]
    fn r_quorum_an_error_inside_a_quorum_names_its_field() {
        let board = json!({"id": "b", "kind": "strategico", "name": "B", "president": "a",
            "members": [{"ente": "a", "representative": "A"}],
            "quorum": {"kind": "fraction", "fraction": "1/3", "rounding": "sideways"}});
        let e = Board::from_json(&board.to_string()).unwrap_err();
        assert_eq!(
            (e.code(), e.path().as_deref()),
            ("malformed", Some("quorum.rounding"))
        );
    }

    #[test]
    fn tagged_documents_read_from_a_serde_json_value_too() {
        let v = json!({"basis": "per_unit", "unit": "kit", "amount": "1.00"});
        let price: crate::tariff::Price = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(serde_json::to_value(&price).unwrap(), v);
        let e = serde_json::from_value::<crate::tariff::Price>(json!({"basis": "flat"}));
        assert!(
            e.unwrap_err()
                .to_string()
                .contains("missing field `amount`")
        );
    }
}
