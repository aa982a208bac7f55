//! Internally tagged documents (`{"type": "payment_received", "amount": …}`) read with the
//! exact path of an error inside them.
//!
//! serde reads an internally tagged enum by buffering the whole object before it knows the
//! variant, and an error found in the buffer has lost its place: a bad amount in a journal
//! event was reported at the event, a bad date with chrono's bare "input is out of range".
//! [`tagged_enum!`] declares such an enum once; it is written by serde's own derive
//! (internally tagged, unchanged) and read through a private externally tagged mirror, so
//! that `serde_path_to_error` follows every field. [`read`] moves the tag out, reads the
//! mirror and hands the inner path back to [`crate::json::parse`], which joins it to the
//! outer one: `[3].amount`, `quorum.rounding`.
//!
//! Used for the registry's events, the capofila's share and the quorum. The price of a
//! service and the standing of an ente keep serde's buffering: they are in the quota-only
//! wasm build, where the mirror's reading through `serde_json::Value` would add 21 KB
//! gzipped; an error inside a price is reported at the price.

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde_json::{Map, Value};

/// Marks the start and the end of an inner path at the head of an error message (a
/// character no JSON path or message of this crate contains).
const MARK: char = '\u{1f}';

/// Declares an enum written internally tagged by serde's derive and read through an
/// externally tagged mirror (see the module docs). Struct and unit variants; the caller
/// derives everything but `Deserialize` and keeps its `#[serde(tag = …)]` attributes for
/// writing.
macro_rules! tagged_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident read as $mirror:ident by $tag:literal {
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

        /// The externally tagged form `{"variant": {fields}}` that reads the enum.
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "snake_case", deny_unknown_fields)]
        enum $mirror {
            $(
                $variant {
                    $($(
                        $(#[$fmeta])*
                        $field: $fty
                    ),*)?
                }
            ),*
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(match $crate::tagged::read::<D, $mirror>(d, $tag)? {
                    $(
                        $mirror::$variant { $($($field),*)? } => $name::$variant $({ $($field),* })?,
                    )*
                })
            }
        }
    };
}
pub(crate) use tagged_enum;

/// Reads the object `{tag: "variant", fields…}` as the mirror `{"variant": {fields…}}`.
///
/// An error inside keeps its path: the message carries it between [`MARK`]s for
/// [`split`] (an unknown variant is reported at `tag`).
pub(crate) fn read<'de, D, M>(d: D, tag: &'static str) -> Result<M, D::Error>
where
    D: Deserializer<'de>,
    M: DeserializeOwned,
{
    let mut fields = Map::deserialize(d)?;
    let variant = match fields.remove(tag) {
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(D::Error::custom(marked(
                tag,
                &format!("expected the `{tag}` as a string, found {other}"),
            )));
        }
        None => return Err(D::Error::missing_field(tag)),
    };
    let mirror = Value::Object(Map::from_iter([(variant, Value::Object(fields))]));
    serde_path_to_error::deserialize(mirror).map_err(|e| {
        let path = e.path().to_string();
        let (nested, message) = split(&e.into_inner().to_string());
        // The mirror's first segment is the variant: drop it. An unknown variant is an
        // error about the tag.
        let mut inner = match path.split_once('.') {
            Some((_, rest)) if !rest.is_empty() => rest.to_owned(),
            _ if message.starts_with("unknown variant") => tag.to_owned(),
            _ => String::new(),
        };
        // Reading a map, serde_path_to_error puts an unknown key in the path; reading text
        // it does not. Keep one rule everywhere: an unknown field is reported at the
        // object that holds it.
        if nested.is_none() && message.starts_with("unknown field") {
            inner.truncate(inner.rfind(['.', '[']).unwrap_or(0));
        }
        D::Error::custom(marked(&join(&inner, nested.as_deref()), &message))
    })
}

/// `message` carrying `path` for [`split`] (none when the path is empty).
fn marked(path: &str, message: &str) -> String {
    if path.is_empty() {
        message.to_owned()
    } else {
        format!("{MARK}{path}{MARK}{message}")
    }
}

/// The inner path an error message carries, and the message without it.
pub(crate) fn split(message: &str) -> (Option<String>, String) {
    message
        .strip_prefix(MARK)
        .and_then(|rest| rest.split_once(MARK))
        .map_or((None, message.to_owned()), |(path, rest)| {
            (Some(path.to_owned()), rest.to_owned())
        })
}

/// `outer` followed by `inner`, as serde_path_to_error writes paths (`.` is the root).
pub(crate) fn join(outer: &str, inner: Option<&str>) -> String {
    match inner {
        None | Some("") => outer.to_owned(),
        Some(inner) if outer.is_empty() || outer == "." => inner.to_owned(),
        Some(inner) if inner.starts_with('[') => format!("{outer}{inner}"),
        Some(inner) => format!("{outer}.{inner}"),
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
        // An unknown field is reported at the object that holds it, as everywhere.
        assert_eq!(event_error(payment("amonut", json!("1.00"))), at("[1]"));
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
        // A price is still read by serde's buffering (a mirror would cost the quota-only
        // wasm build 21 KB gzipped): an error inside it is reported at the price.
        t["services"][0]["tier"] = json!("premium");
        t["services"][0]["list_price"]["amount"] = json!("45.001");
        let adopted = json!({"type": "tariff_adopted", "tariff": t});
        assert_eq!(
            event_error(adopted).1.as_deref(),
            Some("[1].tariff.services[0].list_price")
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
    fn paths_join_as_serde_path_to_error_writes_them() {
        assert_eq!(super::join(".", Some("amount")), "amount");
        assert_eq!(super::join("[3]", Some("amount")), "[3].amount");
        assert_eq!(
            super::join("services[0]", Some("[2].x")),
            "services[0][2].x"
        );
        assert_eq!(super::join("services[0]", None), "services[0]");
        assert_eq!(super::split("plain").0, None);
    }
}
