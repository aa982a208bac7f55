// The bad-input suite (tests/bad-input/cases.json) through the built package: every
// malformed document (a flow: FlussoRiversamento XML, read by readFlow) throws an Error
// with the documented code and path; nothing panics.
import { test } from "node:test";
import assert from "node:assert/strict";

import { Board, Registry, Tariff, breakEven, readFlow } from "cit-wasm";
import { read } from "./helpers.mjs";

const { cases } = JSON.parse(read("tests/bad-input/cases.json"));
const readers = {
  tariff: Tariff.fromJson,
  registry: Registry.fromJson,
  board: Board.fromJson,
  flow: readFlow,
  cost: (text) => breakEven(text, { enti: 60 }),
};

const text = (c) => ("text" in c ? c.text : c.prefix + c.fill.repeat(c.times) + c.suffix);

test("the suite is large enough", () => assert.ok(cases.length >= 50, `${cases.length} cases`));

for (const c of cases) {
  test(`${c.document}: ${c.name}`, () => {
    let error;
    try {
      readers[c.document](text(c));
    } catch (e) {
      error = e;
    }
    assert.ok(error, "the document must be refused");
    assert.ok(error instanceof Error, "a thrown Error");
    assert.equal(error.code, c.code, String(error.message));
    if ("path" in c) assert.equal(error.path, c.path, String(error.message));
  });
}
