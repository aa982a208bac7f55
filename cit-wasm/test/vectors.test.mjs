// The shared vectors (tests/vectors/quota.json, see its README): every case through the
// package, the output JSON compared exactly, as tests/vectors.rs and cit-py do.
import { test } from "node:test";
import assert from "node:assert/strict";

import { Tariff } from "cit-wasm";
import { read } from "./helpers.mjs";

const doc = JSON.parse(read("tests/vectors/quota.json"));

test("every quota vector gives the expected JSON", () => {
  assert.equal(doc.family, "quota");
  assert.ok(doc.cases.length >= 250, `${doc.cases.length} cases`);
  const cache = new Map();
  const tariff = (spec) => {
    const text = typeof spec === "string" ? read(`tests/vectors/tariffs/${spec}`) : JSON.stringify(spec);
    if (!cache.has(text)) cache.set(text, Tariff.fromJson(text));
    return cache.get(text);
  };
  const failures = [];
  for (const c of doc.cases) {
    let got;
    try {
      // The ente goes in as its JSON text, exactly as the vector writes it.
      const q = tariff(c.tariff).quote(JSON.stringify(c.ente), c.year, c.start ?? undefined);
      got = { expected: q };
    } catch (e) {
      if (!e.code) throw e;
      got = { expected_error: { code: e.code, path: e.path } };
    }
    const want = "expected" in c ? { expected: c.expected } : { expected_error: c.expected_error };
    try {
      assert.deepStrictEqual(got, want);
    } catch {
      failures.push(`${c.name}:\n  want ${JSON.stringify(want)}\n  got  ${JSON.stringify(got)}`);
    }
  }
  assert.equal(failures.length, 0, `${failures.length} of ${doc.cases.length} vectors differ:\n${failures.join("\n")}`);
});
