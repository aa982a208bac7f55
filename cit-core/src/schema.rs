//! The JSON Schema (draft 2020-12) of every document `cit` reads and every output it
//! writes, derived from the core's own types with `schemars`: the serde attributes that
//! write the JSON write the schema too, and the doc comments become its descriptions. One
//! `$defs` entry per type, named as the core's type (`Tariff`, `Ente`, `Quote`, `Event`,
//! `Balance`, `BreakEven`, `Decision`, `Flow`, `Reconciliation`, `DebtPosition`, …).
//!
//! `make schema` writes it to `schema/cit.schema.json` (committed); a test fails when that
//! file is stale, and the bindings' tests validate what they return against it.
//!
//! # Example
//! ```
//! let schema = cit_core::schema::document();
//! let defs = schema["$defs"].as_object().unwrap();
//! assert!(defs.contains_key("Quote") && defs.contains_key("Event"));
//! assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
//! ```

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::analysis::{
    Adherents, BreakEven, Candidate, PriceCheck, Proposal, SavingCase, SavingSummary, ServiceCost,
    SimConfig, Simulation,
};
use crate::governance::{Board, Decision, QuorumCheck, YearlyReport};
use crate::pagopa::{Creditor, DebtPosition, Flow, Notice};
use crate::registry::{
    Applied, Balance, Charge, Event, JournalEntry, Payment, Reconciliation, RenewalItem,
};
use crate::tariff::{Period, ServiceQuote, Standing, Warning};
use crate::{Ente, Quote, Tariff};

/// The `$id` of the schema.
pub const ID: &str = "https://cit.invalid/schema/cit.schema.json";

/// The whole schema: `$defs` holds every document and output type (and the types they
/// name); the root lists the entry types by name.
pub fn document() -> serde_json::Value {
    let mut generator = SchemaGenerator::default();
    let mut roots = Vec::new();
    macro_rules! root {
        ($($t:ty),* $(,)?) => {
            $(
                generator.subschema_for::<$t>();
                roots.push(<$t as JsonSchema>::schema_name().into_owned());
            )*
        };
    }
    // The documents read and the outputs written by the entry points of every binding.
    root!(
        Tariff,
        Ente,
        Quote,
        Warning,
        Period,
        Standing,
        ServiceQuote,
        Event,
        Applied,
        JournalEntry,
        Charge,
        Payment,
        Balance,
        RenewalItem,
        Creditor,
        Notice,
        DebtPosition,
        Flow,
        Reconciliation,
        Board,
        QuorumCheck,
        Decision,
        YearlyReport,
        ServiceCost,
        Adherents,
        BreakEven,
        Proposal,
        PriceCheck,
        SavingCase,
        SavingSummary,
        Candidate,
        SimConfig,
        Simulation,
    );
    let defs: serde_json::Map<String, serde_json::Value> =
        generator.take_definitions(true).into_iter().collect();
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": ID,
        "title": "cit",
        "description": "Every document cit reads and every output it writes, in every binding: generated from cit-core's types (cit_core::schema). Money is a decimal string with two decimals (on input a JSON number is read from its decimal text too); dates are ISO YYYY-MM-DD.",
        "entry_types": roots,
        "$defs": defs,
    })
}

/// The schema as the text `schema/cit.schema.json` holds: two-space indented, one newline
/// at the end.
pub fn text() -> String {
    let mut out = serde_json::to_string_pretty(&document()).unwrap_or_default();
    out.push('\n');
    out
}

/// An amount of money as the documents write it: a decimal string with two decimals.
pub(crate) fn money_schema() -> Schema {
    json_schema!({
        "type": "string",
        "pattern": "^-?[0-9]+\\.[0-9]{2}$",
        "description": "An amount in euro, a decimal string with two decimals (\"28485.30\"); on input a JSON number is read from its decimal text.",
    })
}

/// Declares the types that exist only for their schema, a form of text inlined where a
/// field is written that way (`#[schemars(with = "crate::schema::Date")]`).
macro_rules! text_schemas {
    ($($(#[$doc:meta])* $name:ident => $schema:tt,)*) => {
        $(
            $(#[$doc])*
            pub(crate) struct $name;

            impl JsonSchema for $name {
                fn inline_schema() -> bool {
                    true
                }

                fn schema_name() -> Cow<'static, str> {
                    stringify!($name).into()
                }

                fn json_schema(_: &mut SchemaGenerator) -> Schema {
                    json_schema!($schema)
                }
            }
        )*
    };
}

text_schemas! {
    /// An exact decimal written as text (a rate, a discount, a weight, a probability).
    DecimalText => {
        "type": "string",
        "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
        "description": "An exact decimal as text (\"0.15\"); on input a JSON number is read from its decimal text.",
    },
    /// A day of the calendar, ISO `YYYY-MM-DD`.
    Date => {
        "type": "string",
        "format": "date",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    },
    /// A date and time without a zone, ISO `YYYY-MM-DDThh:mm:ss` with the fraction of a
    /// second if any (a flusso's `dataOraFlusso`).
    DateTime => {
        "type": "string",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?$",
    },
    /// A `u64` written as its decimal digits (a seed: JavaScript's JSON numbers do not hold
    /// every `u64`); a whole number on input too.
    U64Text => {
        "type": ["string", "integer"],
        "pattern": "^[0-9]+$",
        "minimum": 0,
    },
    /// A `u64` written as its decimal digits, as an output writes it (a seed).
    U64Digits => {
        "type": "string",
        "pattern": "^[0-9]+$",
    },
}
