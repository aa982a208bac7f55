// R-JOURNAL through the package: the version, appends that name the version they expect,
// retries after a lost acknowledgement, all-or-none batches (the same cases as Python's).
import { test } from "node:test";
import assert from "node:assert/strict";

import { Registry } from "cit-wasm";
import { tariffText, thrown } from "./helpers.mjs";

const acquafredda = { id: "017001", name: "Acquafredda", kind: "comune", abitanti: 1600, imprese: 120 };
const payment = (id, amount = "100.00", payer = "017001") => ({ type: "payment_received", payment: id, payer, date: "2021-04-01", amount });

function registry() {
  const cit = new Registry();
  cit.apply({ type: "tariff_adopted", tariff: JSON.parse(tariffText("bs-2021-services.json")) });
  cit.apply({ type: "ente_registered", ente: acquafredda });
  cit.apply({ type: "membership_requested", membership: "A-1", ente: "017001", date: "2021-01-10" });
  cit.apply({ type: "membership_approved", membership: "A-1", delibera: { number: "4/2021", date: "2021-01-20", organ: "Consiglio comunale" } });
  cit.apply({ type: "convention_signed", membership: "A-1", date: "2021-01-25", to: "2025-12-31" });
  return cit;
}

const recorded = (from, n) => Array.from({ length: n }, (_, i) => ({ outcome: "recorded", seq: from + i }));
const already = (from, n) => Array.from({ length: n }, (_, i) => ({ outcome: "already_recorded", seq: from + i }));

test("R-JOURNAL: the version counts the events recorded", () => {
  const empty = new Registry();
  assert.equal(empty.version, 0);
  assert.deepEqual(empty.apply({ type: "ente_registered", ente: acquafredda }), { outcome: "recorded", seq: 0 });
  assert.equal(empty.version, 1);
  const cit = registry();
  assert.equal(cit.version, 5);
  assert.equal(typeof cit.version, "number");
  assert.deepEqual(cit.apply(payment("P-1")), { outcome: "recorded", seq: 5 });
  const run = { type: "billing_run", year: 2021, issued: "2021-03-01", due: "2021-04-30" };
  assert.deepEqual(cit.apply(run), { outcome: "recorded", seq: 6 });
  // A second run of the same year issues nothing and is not recorded (R-RUN).
  assert.deepEqual(cit.apply({ ...run, issued: "2021-03-02" }), { outcome: "unchanged" });
  assert.equal(cit.version, 7);
  assert.equal(cit.events().length, 7);
  assert.equal(Registry.fromJson(cit.toJson()).version, 7);
});

test("R-JOURNAL: apply at the expected version, or a version_conflict that changes nothing", () => {
  const cit = registry();
  assert.deepEqual(cit.apply(payment("P-1"), 5), { outcome: "recorded", seq: 5 });
  const before = cit.toJson();
  const e = thrown(() => cit.apply(payment("P-2"), 5));
  assert.equal(e.name, "CitError");
  assert.deepEqual([e.code, e.expected, e.actual, e.path], ["version_conflict", 5, 6, "expected_version"]);
  assert.match(e.message, /R-JOURNAL/);
  const ahead = thrown(() => cit.apply(payment("P-2"), 9));
  assert.deepEqual([ahead.expected, ahead.actual], [9, 6]);
  assert.equal(cit.toJson(), before);
  assert.equal(cit.version, 6);
  // A BigInt or a string of digits is a version too; undefined and null mean no check.
  assert.deepEqual(cit.apply(payment("P-2"), 6n), { outcome: "recorded", seq: 6 });
  assert.deepEqual(cit.apply(payment("P-3"), "7"), { outcome: "recorded", seq: 7 });
  assert.deepEqual(cit.apply(payment("P-4"), undefined), { outcome: "recorded", seq: 8 });
  assert.deepEqual(cit.apply(payment("P-5"), null), { outcome: "recorded", seq: 9 });
  for (const bad of [-1, 1.5, "cinque", {}]) {
    for (const append of [() => cit.apply(payment("P-6"), bad), () => cit.applyAll([payment("P-6")], bad)]) {
      const b = thrown(append);
      assert.deepEqual([b.code, b.path], ["invalid_value", "expected_version"], String(bad));
    }
  }
  assert.equal(cit.version, 10);
});

test("R-JOURNAL: a retry at the same expected version is already_recorded", () => {
  const cit = registry();
  assert.deepEqual(cit.apply(payment("P-1"), 5), { outcome: "recorded", seq: 5 });
  cit.apply(payment("P-2"));
  const before = cit.toJson();
  assert.deepEqual(cit.apply(payment("P-1"), 5), { outcome: "already_recorded", seq: 5 });
  assert.deepEqual(cit.apply(JSON.stringify(payment("P-1")), 5), { outcome: "already_recorded", seq: 5 });
  assert.equal(cit.toJson(), before);
  assert.equal(cit.version, 7);
  // The same id with other content at that version is a conflict, not a retry.
  assert.equal(thrown(() => cit.apply(payment("P-1", "99.00"), 5)).code, "version_conflict");
});

test("R-JOURNAL: an identical event is already_recorded; same id, other content, duplicate_event", () => {
  const cit = registry();
  cit.apply(payment("P-1"));
  const before = cit.toJson();
  assert.deepEqual(cit.apply(payment("P-1")), { outcome: "already_recorded", seq: 5 });
  assert.deepEqual(cit.apply({ type: "ente_registered", ente: acquafredda }), { outcome: "already_recorded", seq: 1 });
  const e = thrown(() => cit.apply(payment("P-1", "99.00")));
  assert.deepEqual([e.code, e.path, e.expected], ["duplicate_event", "id", undefined]);
  assert.equal(cit.toJson(), before);
});

test("R-JOURNAL: applyAll is all or none, and the error names the position", () => {
  const cit = registry();
  const before = cit.toJson();
  const e = thrown(() => cit.applyAll([payment("P-1"), payment("P-2", "100.00", "999999"), payment("P-3")], 5));
  assert.deepEqual([e.code, e.path], ["unknown_ente", "events[1].ente"]);
  assert.match(e.message, /^event \[1\]: /);
  assert.equal(cit.toJson(), before);
  assert.equal(cit.version, 5);
  // An ente refused inside a batch keeps its problems.
  const invalid = thrown(() => cit.applyAll([payment("P-1"), { type: "ente_registered", ente: { ...acquafredda, id: " " } }]));
  assert.deepEqual([invalid.code, invalid.path], ["invalid", "events[1].id"]);
  assert.deepEqual(invalid.problems.map((p) => p.path), ["id"]);
  const transition = thrown(() =>
    cit.applyAll([payment("P-1"), payment("P-2"), { type: "membership_approved", membership: "A-1", delibera: { number: "5/2021", date: "2021-02-01", organ: "Giunta" } }]),
  );
  assert.deepEqual([transition.code, transition.path], ["illegal_transition", "events[2].state"]);
  assert.equal(cit.toJson(), before);
  assert.deepEqual(cit.applyAll([payment("P-1"), JSON.stringify(payment("P-2"))], 5), recorded(5, 2));
  assert.equal(cit.version, 7);
  assert.deepEqual(cit.applyAll([]), []);
  assert.deepEqual(cit.applyAll([], 7), []);
});

test("R-JOURNAL: applyAll names a malformed event and changes nothing", () => {
  const cit = registry();
  const before = cit.toJson();
  const unknown = thrown(() => cit.applyAll([payment("P-1"), { type: "payment_recieved" }]));
  assert.deepEqual([unknown.code, unknown.path], ["malformed", "events[1].type"]);
  assert.match(unknown.message, /^event \[1\]: malformed event/);
  const text = thrown(() => cit.applyAll([payment("P-1"), payment("P-2"), "{"]));
  assert.deepEqual([text.code, text.path], ["malformed", "events[2]"]);
  const field = thrown(() => cit.applyAll([payment("P-1"), payment("P-2", "cento")]));
  assert.deepEqual([field.code, field.path], ["malformed", "events[1].amount"]);
  const notAnEvent = thrown(() => cit.applyAll([payment("P-1"), 42]));
  assert.deepEqual([notAnEvent.code, notAnEvent.path], ["invalid_value", "events[1]"]);
  for (const notAList of [payment("P-1"), JSON.stringify([payment("P-1")])]) {
    const e = thrown(() => cit.applyAll(notAList));
    assert.deepEqual([e.code, e.path], ["invalid_value", "events"]);
  }
  assert.equal(cit.toJson(), before);
});

test("R-JOURNAL: applyAll retried at the same version is already_recorded; another batch conflicts", () => {
  const cit = registry();
  const batch = [payment("P-1"), payment("P-2", "50.00")];
  assert.deepEqual(cit.applyAll(batch, 5), recorded(5, 2));
  const before = cit.toJson();
  assert.deepEqual(cit.applyAll(batch, 5), already(5, 2));
  const e = thrown(() => cit.applyAll([payment("P-3")], 5));
  assert.deepEqual([e.code, e.expected, e.actual], ["version_conflict", 5, 7]);
  // Part recorded, part new: not a retry either.
  assert.equal(thrown(() => cit.applyAll([payment("P-1"), payment("P-3")], 5)).code, "version_conflict");
  assert.equal(cit.toJson(), before);
  assert.deepEqual(cit.applyAll([payment("P-2", "50.00"), payment("P-3")]), [
    { outcome: "already_recorded", seq: 6 },
    { outcome: "recorded", seq: 7 },
  ]);
});

test("R-JOURNAL: a refused replay names the event's position", () => {
  const events = JSON.parse(registry().toJson());
  events[1].ente.id = " ";
  const e = thrown(() => Registry.fromJson(JSON.stringify(events)));
  assert.deepEqual([e.code, e.path], ["invalid", "[1].id"]);
  assert.deepEqual(e.problems.map((p) => p.path), ["id"]);
  const again = JSON.parse(registry().toJson());
  const twice = thrown(() => Registry.fromJson(JSON.stringify([...again, again[1]])));
  assert.deepEqual([twice.code, twice.path], ["duplicate_event", "[5].id"]);
});
