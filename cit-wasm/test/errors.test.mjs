// Every code of the core's Error reaches JS as a thrown Error with that `code`, a `path`,
// and for an invalid document `problems`; the TypeScript union lists exactly the core's codes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { Board, Registry, Tariff, errorCodes, rules } from "cit-wasm";
import { boardText, tariffText, thrown } from "./helpers.mjs";

const bs = () => Tariff.fromJson(tariffText("bs-2015.json"));
const comune = (extra = {}) => ({ id: "017001", name: "Acquafredda", kind: "comune", abitanti: 1600, imprese: 120, ...extra });

function registry() {
  const cit = new Registry();
  cit.apply({ type: "tariff_adopted", tariff: JSON.parse(tariffText("bs-2021-services.json")) });
  cit.apply({ type: "ente_registered", ente: comune() });
  cit.apply({ type: "membership_requested", membership: "A-1", ente: "017001", date: "2021-01-10" });
  cit.apply({ type: "membership_approved", membership: "A-1", delibera: { number: "4/2021", date: "2021-01-20", organ: "Consiglio comunale" } });
  return cit;
}

const overlapping = () => {
  const doc = JSON.parse(tariffText("bs-2021-services.json"));
  doc.id = "bs-2021-bis";
  return doc;
};

// One way to provoke each code, and the path it must name.
const CASES = {
  malformed: [() => Tariff.fromJson('{"id": 1}'), "id"],
  invalid: [() => bs().quote(comune({ id: " " }), 2016), "id"],
  invalid_value: [() => bs().quote(comune(), "duemila"), "year"],
  missing_count: [() => bs().quote(comune({ imprese: undefined }), 2016), "imprese"],
  counts_date_mismatch: [() => bs().quote(comune({ counts_as_of: "2014-12-31" }), 2016), "counts_as_of"],
  year_outside_period: [() => bs().quote(comune(), 2030), "year"],
  kind_not_priced: [() => bs().quote({ id: "p", name: "Provincia", kind: "provincia" }, 2016), "membership.fixed.provincia"],
  overflow: [
    () => {
      const doc = JSON.parse(tariffText("bs-2015.json"));
      doc.membership.comune.per_abitante = "79228162514264337593543950";
      delete doc.membership.comune.ceiling;
      return Tariff.fromJson(JSON.stringify(doc)).quote(comune({ abitanti: 4000000000 }), 2016);
    },
    "membership.comune.per_abitante",
  ],
  adoption_refused: [
    () => bs().adopt(Board.fromJson(boardText("tavolo-tecnico-brescia.json")), Board.fromJson(boardText("tavolo-tecnico-brescia.json")).meetings()[0], "1"),
    "kind",
  ],
  illegal_transition: [
    () => registry().apply({ type: "membership_approved", membership: "A-1", delibera: { number: "5/2021", date: "2021-01-21", organ: "Consiglio comunale" } }),
    "state",
  ],
  not_a_member: [() => Tariff.fromJson(tariffText("bs-2021-services.json")).priceService(comune(), "protocollo", 1, { standing: "non_member" }, "2022-01-01"), "ente"],
  unknown_service: [() => Tariff.fromJson(tariffText("bs-2021-services.json")).priceService(comune(), "nope", 1, { standing: "non_member" }, "2022-01-01"), "service"],
  unknown_ente: [() => registry().apply({ type: "membership_requested", membership: "B-1", ente: "999999", date: "2021-01-10" }), "ente"],
  unknown_entry: [() => registry().apply({ type: "subscription_activated", subscription: "S-404", date: "2021-02-10" }), "subscription"],
  // The same id with other content (the identical event would be a retry, R-JOURNAL).
  duplicate_event: [() => registry().apply({ type: "ente_registered", ente: comune({ name: "Adro" }) }), "id"],
  no_tariff_on: [() => registry().priceService("017001", "spid", 1, "2030-01-01"), "date"],
  tariff_overlap: [() => registry().apply({ type: "tariff_adopted", tariff: overlapping() }), "period"],
  version_conflict: [() => registry().apply({ type: "year_closed", year: 2021 }, 3), "expected_version"],
};

test("the cases cover every code of the core", () => {
  assert.deepEqual(Object.keys(CASES).sort(), [...errorCodes()].sort());
});

for (const [code, [provoke, path]] of Object.entries(CASES)) {
  test(`error ${code}: a thrown CitError with code and path`, () => {
    const e = thrown(provoke);
    assert.ok(e instanceof Error, `${code}: not an Error: ${e}`);
    assert.equal(e.name, "CitError");
    assert.equal(e.code, code, e.message);
    assert.equal(e.path, path, e.message);
    assert.match(e.message, /\S/);
    assert.ok(typeof e.stack === "string");
  });
}

test("an invalid document lists every problem", () => {
  const doc = JSON.parse(tariffText("bs-2015.json"));
  doc.membership.comune.bands = [
    { up_to: 3000, discount: "0" },
    { up_to: 2000, discount: "0.10" },
    { up_to: 10000, discount: "1.5" },
  ];
  const e = thrown(() => Tariff.fromJson(JSON.stringify(doc)));
  assert.equal(e.code, "invalid");
  assert.ok(e.problems.length >= 2, JSON.stringify(e.problems));
  for (const p of e.problems) assert.deepEqual(Object.keys(p).sort(), ["expected", "found", "path"]);
  assert.equal(e.path, e.problems[0].path);
});

test("a malformed document names the JSON path, as in Rust and Python", () => {
  const doc = JSON.parse(tariffText("bs-2015.json"));
  doc.membership.comune.bands[1].discont = "0.1";
  const e = thrown(() => Tariff.fromJson(JSON.stringify(doc)));
  assert.equal(e.code, "malformed");
  assert.equal(e.path, "membership.comune.bands[1].discont");
});

test("the TypeScript ErrorCode union lists exactly the core's codes", () => {
  const dts = readFileSync(new URL("../pkg/cit_wasm.d.ts", import.meta.url), "utf8");
  const union = /export type ErrorCode =([^;]*);/.exec(dts);
  assert.ok(union, "ErrorCode is declared in pkg/cit_wasm.d.ts");
  const listed = [...union[1].matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
  assert.deepEqual(listed.sort(), [...errorCodes()].sort());
});

test("the TypeScript RuleId union lists exactly the core's rule ids", () => {
  const dts = readFileSync(new URL("../pkg/cit_wasm.d.ts", import.meta.url), "utf8");
  // RuleId is the schema's Rule (types.generated.d.ts), under the name the methods use.
  assert.match(dts, /export type RuleId = Rule;/);
  const union = /export type Rule =([^;]*);/.exec(dts);
  assert.ok(union, "Rule is declared in pkg/cit_wasm.d.ts");
  const listed = [...union[1].matchAll(/"(R-[A-Z-]+)"/g)].map((m) => m[1]);
  assert.deepEqual(listed.sort(), [...rules()].sort());
});

test("the declarations name real types, not any", () => {
  const dts = readFileSync(new URL("../pkg/cit_wasm.d.ts", import.meta.url), "utf8");
  assert.match(dts, /quote\(ente: Ente \| string, year: number, start\?: string \| null\): Quote;/);
  assert.match(dts, /static fromJson\(text: string\): Tariff;/);
  assert.match(dts, /apply\(event: RegistryEvent \| string, expectedVersion\?: number \| null\): Applied;/);
  assert.match(dts, /applyAll\(events: \(RegistryEvent \| string\)\[\], expectedVersion\?: number \| null\): Applied\[\];/);
  assert.match(dts, /readonly version: number;/);
  for (const type of ["Quote", "QuoteLine", "Ente", "TariffDocument", "Balance", "Charge", "Decision", "Simulation", "Applied"]) {
    assert.match(dts, new RegExp(`export (interface|type) ${type}\\b`));
  }
  assert.doesNotMatch(dts, /: any\b/);
});
