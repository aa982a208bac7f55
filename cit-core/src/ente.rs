//! Enti: the public bodies that join a CIT and pay its quota.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{Error, Problem, Result, json};

names! {
    /// The kind of a public body, which decides how its quota is priced (R-CAP, R-FIX).
    pub enum EnteKind {
        /// A municipality: pays per abitante and per impresa (R-CAP).
        Comune => "comune", "Comune",
        /// An Unione di Comuni: fixed quota (R-FIX); may pay for its members (R-PAYER).
        Unione => "unione", "Unione di Comuni",
        /// A Comunità Montana: fixed quota (R-FIX).
        ComunitaMontana => "comunita_montana", "Comunità Montana",
        /// A Provincia.
        Provincia => "provincia", "Provincia",
        /// A Città Metropolitana.
        CittaMetropolitana => "citta_metropolitana", "Città Metropolitana",
        /// Any other body (associative forms, bodies that are not local authorities).
        Altro => "altro", "altro ente",
    }
}

/// A public body, with the counts its quota is computed from (its JSON: the README's *The ente and quote documents*).
///
/// Counts are optional in the document because only comuni need them; a comune priced
/// without a count its tariff needs is an error ([`Error::MissingCount`]), never a zero.
///
/// # Example
/// ```
/// use cit_core::{Ente, EnteKind};
///
/// let brescia = Ente::from_json(r#"{"id": "017029", "name": "Brescia", "kind": "comune",
///     "abitanti": 189902, "imprese": 21500, "counts_as_of": "2013-12-31"}"#)?;
/// assert_eq!(brescia.kind, EnteKind::Comune);
/// assert_eq!(brescia.abitanti, Some(189_902));
/// # Ok::<(), cit_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ente {
    /// Stable id: the ISTAT code for comuni (`"017029"`), any stable id otherwise.
    pub id: String,
    /// The name, as printed on documents.
    pub name: String,
    /// The kind of body.
    pub kind: EnteKind,
    /// Residents at `counts_as_of`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abitanti: Option<u64>,
    /// Registered businesses at `counts_as_of`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imprese: Option<u64>,
    /// The date the counts refer to; omitted, the caller vouches for the tariff's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::schema::Date>")]
    #[serde(with = "crate::date_serde::option")]
    pub counts_as_of: Option<NaiveDate>,
    /// Its codice fiscale (11 digits with a check digit): needed on a pagoPA notice
    /// (R-NOTICE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codice_fiscale: Option<String>,
}

impl Ente {
    /// A comune with its counts, taken at the tariff's reference date.
    pub fn comune(
        id: impl Into<String>,
        name: impl Into<String>,
        abitanti: u64,
        imprese: u64,
    ) -> Ente {
        Ente {
            id: id.into(),
            name: name.into(),
            kind: EnteKind::Comune,
            abitanti: Some(abitanti),
            imprese: Some(imprese),
            counts_as_of: None,
            codice_fiscale: None,
        }
    }

    /// Reads an ente from its JSON document and checks it.
    ///
    /// # Errors
    /// [`Error::Malformed`] for bad JSON, wrong types or unknown fields;
    /// [`Error::Invalid`] for an empty id.
    pub fn from_json(text: &str) -> Result<Ente> {
        let ente: Ente = json::parse("ente", text)?;
        ente.validate()?;
        Ok(ente)
    }

    /// Checks what the types cannot: a non-empty id, a codice fiscale with its check digit.
    ///
    /// # Errors
    /// [`Error::Invalid`] listing every problem.
    pub fn validate(&self) -> Result<()> {
        let mut problems = Vec::new();
        if self.id.trim().is_empty() {
            problems.push(Problem::new(
                "id",
                "a non-empty id",
                format!("{:?}", self.id),
            ));
        }
        if let Some(cf) = &self.codice_fiscale
            && !crate::codice_fiscale::valid_codice_fiscale(cf)
        {
            problems.push(Problem::new(
                "codice_fiscale",
                "the codice fiscale of a public body: 11 digits with the right check digit (R-NOTICE)",
                format!("{cf:?}"),
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid {
                document: "ente",
                problems,
            })
        }
    }

    /// The ente as its JSON document.
    pub fn to_json(&self) -> String {
        json::to_string(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ente_refuses_unknown_fields() {
        let e = Ente::from_json(
            r#"{"id":"1","name":"A","kind":"comune","abitanti":1,"imprese":2,"abitanit":3}"#,
        )
        .unwrap_err();
        assert_eq!(e.code(), "malformed");
        assert!(e.to_string().contains("abitanit"), "{e}");
    }

    #[test]
    fn ente_refuses_negative_counts_with_path() {
        let e =
            Ente::from_json(r#"{"id":"1","name":"A","kind":"comune","abitanti":-5}"#).unwrap_err();
        assert_eq!(e.path().as_deref(), Some("abitanti"));
    }

    #[test]
    fn ente_refuses_empty_id() {
        let e = Ente::from_json(r#"{"id":" ","name":"A","kind":"unione"}"#).unwrap_err();
        assert_eq!(e.code(), "invalid");
        assert_eq!(e.path().as_deref(), Some("id"));
    }

    #[test]
    fn r_notice_ente_codice_fiscale_is_checked() {
        let ok = Ente::from_json(r#"{"id":"p","name":"Provincia di Brescia","kind":"provincia","codice_fiscale":"80008750178"}"#).unwrap();
        assert_eq!(ok.codice_fiscale.as_deref(), Some("80008750178"));
        let e = Ente::from_json(
            r#"{"id":"p","name":"P","kind":"provincia","codice_fiscale":"80008750179"}"#,
        )
        .unwrap_err();
        assert_eq!(
            (e.code(), e.path().as_deref()),
            ("invalid", Some("codice_fiscale"))
        );
        assert!(e.to_string().contains("80008750179"), "{e}");
    }

    #[test]
    fn ente_round_trips() {
        let text = r#"{"id":"017029","name":"Brescia","kind":"comune","abitanti":189902,"imprese":21500,"counts_as_of":"2013-12-31"}"#;
        let ente = Ente::from_json(text).unwrap();
        assert_eq!(ente.to_json(), text);
    }

    #[test]
    fn kinds_serialise_as_their_names_and_read_back() {
        use crate::governance::BoardKind;
        for kind in EnteKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(kind.to_string(), kind.as_str());
            assert_eq!(serde_json::from_str::<EnteKind>(&json).unwrap(), kind);
        }
        for kind in BoardKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(kind.to_string(), kind.as_str());
            assert_eq!(serde_json::from_str::<BoardKind>(&json).unwrap(), kind);
        }
        assert_eq!(EnteKind::ComunitaMontana.label(), "Comunità Montana");
        assert_eq!(BoardKind::Strategico.label(), "Tavolo Strategico");
    }
}
