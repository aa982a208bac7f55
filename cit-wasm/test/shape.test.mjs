// The Python and JS packages give outputs of the same shape on the shared vectors: for every
// case, the same keys at every level and values of corresponding kinds (a Python `Decimal`
// or `datetime.date` is a JS string, an int a number), or errors with the same code. The
// Python side runs test/shapes.py with the interpreter in CIT_PYTHON (`make wasm-test`
// passes the project's .venv, where `make python-test` installed the wheel), or else the
// project's .venv itself; never skipped: without a Python with the wheel it fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { Board, Registry } from "cit-wasm";
import { read } from "./helpers.mjs";

const venv = fileURLToPath(new URL("../../.venv/bin/python", import.meta.url));
const python = process.env.CIT_PYTHON || (existsSync(venv) ? venv : "python3");
const script = fileURLToPath(new URL("./shapes.py", import.meta.url));

/** `value`'s kinds, written as shapes.py writes them for Python values. */
function kinds(value) {
  if (Array.isArray(value)) return { array: value.map(kinds) };
  if (value === null) return "null";
  if (typeof value === "object") {
    return { object: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, kinds(v)])) };
  }
  return typeof value; // "string", "number", "boolean"
}

/** Python's kinds as JS has them: decimals and dates are strings in JS. */
function asJs(shape) {
  if (shape === "decimal" || shape === "date") return "string";
  if (typeof shape === "string") return shape;
  if ("array" in shape) return { array: shape.array.map(asJs) };
  if ("object" in shape) {
    return { object: Object.fromEntries(Object.entries(shape.object).map(([k, v]) => [k, asJs(v)])) };
  }
  return shape;
}

/** Sorted keys at every level, so that the comparison is of key sets, not of key order. */
function sorted(shape) {
  if (typeof shape === "string") return shape;
  if ("array" in shape) return { array: shape.array.map(sorted) };
  if ("object" in shape) {
    return { object: Object.fromEntries(Object.keys(shape.object).sort().map((k) => [k, sorted(shape.object[k])])) };
  }
  return shape;
}

const FAMILIES = {
  "governance.json": (c) => {
    const board = Board.fromJson(JSON.stringify(c.board));
    return c.motion === null ? board.rollCall(c.meeting) : board.decide(c.meeting, c.motion);
  },
  "ledger.json": (c) => {
    const registry = new Registry();
    const applied = c.events.map((event) => registry.apply(JSON.stringify(event)));
    return { applied, charges: registry.charges(), payments: registry.payments(), balances: registry.balances(c.at) };
  },
};

for (const [file, run] of Object.entries(FAMILIES)) {
  test(`Python and JS outputs have the same shape on ${file}`, () => {
    const py = JSON.parse(execFileSync(python, [script, file], { encoding: "utf8" }));
    const cases = JSON.parse(read(`tests/vectors/${file}`)).cases;
    assert.ok(cases.length > 0);
    assert.deepEqual(Object.keys(py).sort(), cases.map((c) => c.name).sort());
    let outputs = 0;
    for (const c of cases) {
      let js;
      try {
        js = kinds(run(c));
        outputs += 1;
      } catch (e) {
        if (e.name !== "CitError") throw e;
        js = { error: e.code };
      }
      const fromPython = "error" in py[c.name] ? py[c.name] : asJs(py[c.name]);
      assert.deepEqual(sorted(js), sorted(fromPython), c.name);
    }
    assert.ok(outputs > 0, `${file}: no case gave an output`);
  });
}
