// The shared vectors (tests/vectors/*.json, see its README): every case through the
// package, the output JSON compared with the expected one — exactly for quotes, field by
// field for the other families (every field a vector lists, with its exact value; the
// package may give more) — as tests/vectors.rs and cit-py do.
import { test } from "node:test";
import assert from "node:assert/strict";

import { Board, Registry, Tariff, simulate } from "cit-wasm";
import { assertSchema, read } from "./helpers.mjs";

const cache = new Map();
const tariff = (spec) => {
  const text = typeof spec === "string" ? read(`tests/vectors/tariffs/${spec}`) : JSON.stringify(spec);
  if (!cache.has(text)) cache.set(text, Tariff.fromJson(text));
  return cache.get(text);
};

/** `got` restricted to the fields `want` lists, recursively (arrays element by element). */
function project(got, want) {
  if (Array.isArray(got) && Array.isArray(want) && got.length === want.length) {
    return got.map((g, i) => project(g, want[i]));
  }
  if (got && want && typeof got === "object" && typeof want === "object" && !Array.isArray(got) && !Array.isArray(want)) {
    return Object.fromEntries(Object.keys(want).filter((k) => k in got).map((k) => [k, project(got[k], want[k])]));
  }
  return got;
}

/** Runs every case of `file` through `run` and compares as the README says; every output
 * is also validated against the schema by `contract` (the contract of every binding). */
function family(file, name, minimum, run, contract, exact = false) {
  test(`every ${name} vector gives the expected JSON`, () => {
    const doc = JSON.parse(read(`tests/vectors/${file}`));
    assert.equal(doc.family, name);
    assert.ok(doc.cases.length >= minimum, `${doc.cases.length} cases`);
    const failures = [];
    for (const c of doc.cases) {
      let got;
      try {
        const out = run(c);
        contract(out, c.name);
        got = { expected: exact ? out : project(out, c.expected) };
      } catch (e) {
        if (!e.code) throw e;
        got = {
          expected_error: {
            code: e.code,
            path: e.path,
            ...(e.event === undefined ? {} : { event: e.event }),
            ...(e.flow === undefined ? {} : { flow: e.flow }),
          },
        };
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
}

// The ente goes in as its JSON text, exactly as the vector writes it.
const as = (type) => (out, name) => assertSchema(out, type, name);
const fields = (types) => (out, name) => {
  for (const [key, type] of Object.entries(types)) assertSchema(out[key], type, `${name}: ${key}`);
};

family("quota.json", "quota", 250, (c) => tariff(c.tariff).quote(JSON.stringify(c.ente), c.year, c.start ?? undefined), as("Quote"), true);

family("service_price.json", "service_price", 30, (c) =>
  tariff(c.tariff).priceService(JSON.stringify(c.ente), c.service, c.quantity, c.standing, c.date),
  as("ServiceQuote"),
);

family("ledger.json", "ledger", 20, (c) => {
  const registry = new Registry();
  c.events.forEach((event, i) => {
    try {
      registry.apply(JSON.stringify(event));
    } catch (e) {
      e.event = i; // the index of the refused event
      throw e;
    }
  });
  return { charges: registry.charges(), balances: registry.balances(c.at) };
}, fields({ charges: "Charge[]", balances: "Balance[]" }));

family("governance.json", "governance", 40, (c) => {
  const board = Board.fromJson(JSON.stringify(c.board));
  return c.motion === null ? board.rollCall(c.meeting) : board.decide(c.meeting, c.motion);
}, (out, name) => assertSchema(out, "passed" in out ? "Decision" : "QuorumCheck", name));

family("simulation.json", "simulation", 10, (c) =>
  simulate(c.candidates, { runs: c.runs, seed: c.seed, cost: c.cost }),
  as("Simulation"),
);

// Each flow is reconciled, then its report's events (objects, money as strings) applied.
family("pagopa.json", "pagopa", 30, (c) => {
  const registry = new Registry();
  c.events.forEach((event, i) => {
    try {
      registry.apply(event);
    } catch (e) {
      e.event = i; // the index of the refused event
      throw e;
    }
  });
  const reports = c.flows.map((xml, k) => {
    try {
      const report = registry.reconcileFlow(xml);
      for (const event of report.events) registry.apply(event);
      return report;
    } catch (e) {
      if (e.code) e.flow = k; // the index of the flow refused
      throw e;
    }
  });
  return { notices: registry.notices(c.year), reports, balances: registry.balances(c.at) };
}, fields({ notices: "Notice[]", reports: "Reconciliation[]", balances: "Balance[]" }));
