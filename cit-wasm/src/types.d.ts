
// ---- Domain types of cit: hand-written here is only what schema/cit.schema.json cannot say.
// ---- Every document and output (Quote, Ente, TariffDocument, Event, Charge, Simulation, …) is
// ---- declared in types.generated.d.ts, generated from the schema by json-schema-to-typescript
// ---- (`make types`; cit-wasm/scripts/types.mjs), which names the schema's `Tariff` and `Board`
// ---- `TariffDocument` and `BoardDocument` (`Tariff` and `Board` are this package's classes).
// ---- Money is always a decimal string ("28485.30"), never a number; dates are ISO strings
// ---- ("2016-01-01").

/** An amount in euro as a decimal string with two decimals, e.g. `"28485.30"`, `"-9997.06"`. */
export type MoneyString = string;
/** An exact decimal as a string, e.g. `"0.15"` (rates, fractions, means). */
export type DecimalString = string;
/** An ISO date `YYYY-MM-DD`. */
export type IsoDate = string;

/** An event of the registry's journal, tagged by `type` (the schema's `Event`). */
export type RegistryEvent = Event;
/** A finding of the tariff linter (the schema's `Warning`). */
export type LintWarning = Warning;
/** A rule id of RULES.md, cited by every quote line (the schema's `Rule`). */
export type RuleId = Rule;

/** Every `code` a thrown {@link CitError} can carry (the core's `Error::CODES`). */
export type ErrorCode =
  | "malformed"
  | "invalid"
  | "invalid_value"
  | "missing_count"
  | "counts_date_mismatch"
  | "year_outside_period"
  | "kind_not_priced"
  | "overflow"
  | "adoption_refused"
  | "illegal_transition"
  | "not_a_member"
  | "unknown_service"
  | "unknown_ente"
  | "unknown_entry"
  | "duplicate_event"
  | "no_tariff_on"
  | "tariff_overlap"
  | "version_conflict";

/** What every function throws: a JS `Error` named `"CitError"` with the core's code. */
export interface CitError extends Error {
  name: "CitError";
  code: ErrorCode;
  /** The JSON path (or argument) the error is about, `null` when there is none. */
  path: string | null;
  /** For `code === "invalid"`: every problem found. */
  problems?: Problem[];
  /** For `code === "version_conflict"`: the version the append expected (R-JOURNAL). */
  expected?: number;
  /** For `code === "version_conflict"`: the version the journal is at. */
  actual?: number;
}
