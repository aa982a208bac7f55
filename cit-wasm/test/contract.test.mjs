// The contract between the bindings (the README's *One contract* table): the package
// offers exactly the entry points the table lists in its JavaScript column, with the
// parameters it names in the same order, getters as getters; and every export of the
// package, and every method and getter of its classes, is in the table. pytest holds the
// Python column to the same table (cit-py/tests/test_contract.py).
import { test } from "node:test";
import assert from "node:assert/strict";

import * as cit from "cit-wasm";
import { read } from "./helpers.mjs";

const CELL = /^`(?<name>[A-Za-z_][\w.]*)(?:\((?<params>[^)]*)\))?`$/;

/** A cell: `{name, params}` (params `null` for a getter), or null for `—`. */
function parse(cell) {
  if (cell === "—") return null;
  const m = CELL.exec(cell);
  assert.ok(m, `not an entry point: ${cell}`);
  const { name, params } = m.groups;
  if (params === undefined) return { name, params: null };
  return { name, params: params.split(",").map((p) => p.trim()).filter(Boolean).map((p) => p.replace(/\?$/, "")) };
}

const body = read("README.md").split("<!-- entry-points:start -->")[1].split("<!-- entry-points:end -->")[0];
const rows = body.trim().split("\n").slice(2).map((line) => line.trim().replace(/^\||\|$/g, "").split("|").map((c) => c.trim()));
const entries = rows.map((cells) => parse(cells[1])).filter(Boolean);

// The glue's own members, not entry points: wasm-bindgen's memory management.
const GLUE = new Set(["constructor", "free", "__destroy_into_raw", "__wbg_ptr"]);
const INTERNAL_EXPORTS = new Set(["default", "initSync"]);

/** The parameter names of a function of the glue, from its source (`quote(ente, year, start) {`). */
function params(fn) {
  const source = fn.toString();
  const m = /^class\s/.test(source) ? /constructor\s*\(([^)]*)\)/.exec(source) : /^[^(]*\(([^)]*)\)/.exec(source);
  return m[1].split(",").map((p) => p.trim()).filter(Boolean);
}

/** What `name` is in the package: `{kind: "getter" | "function", fn}`. */
function resolve(name) {
  const [owner, member] = name.includes(".") ? name.split(".") : [null, name];
  if (owner === null) {
    const value = cit[member];
    assert.ok(value !== undefined, `${name} is not exported`);
    // A class named alone is its constructor (`Registry()`).
    return { kind: "function", fn: value };
  }
  const cls = cit[owner];
  assert.ok(typeof cls === "function", `${owner} is not an exported class`);
  const d = Object.getOwnPropertyDescriptor(cls.prototype, member);
  if (d) return d.get ? { kind: "getter", fn: d.get } : { kind: "function", fn: d.value };
  // A static method (`fromJson`); not a function's own `name` or `length`.
  assert.ok(!["name", "length", "prototype"].includes(member) && Object.hasOwn(cls, member), `${name} is not a member of ${owner}`);
  return { kind: "function", fn: cls[member] };
}

for (const entry of entries) {
  test(`the package offers ${entry.name}`, () => {
    const { kind, fn } = resolve(entry.name);
    if (entry.params === null) {
      assert.equal(kind, "getter", `${entry.name} must be a getter`);
      return;
    }
    assert.equal(kind, "function", `${entry.name} must be called`);
    assert.equal(typeof fn, "function");
    // A class: its constructor's parameters.
    assert.deepEqual(params(fn), entry.params, `${entry.name}: the parameters`);
  });
}

test("every export and every member of the package is in the table", () => {
  const listed = new Set(entries.map((e) => e.name));
  const found = new Set();
  for (const [name, value] of Object.entries(cit)) {
    if (INTERNAL_EXPORTS.has(name)) continue;
    if (typeof value === "function" && /^class\s/.test(value.toString())) {
      if (listed.has(name)) found.add(name); // a constructor in the table (`Registry()`)
      for (const key of Object.getOwnPropertyNames(value)) {
        if (["length", "name", "prototype"].includes(key) || key.startsWith("__")) continue;
        found.add(`${name}.${key}`);
      }
      for (const key of Object.getOwnPropertyNames(value.prototype)) {
        if (GLUE.has(key)) continue;
        found.add(`${name}.${key}`);
      }
    } else {
      found.add(name);
    }
  }
  const missing = [...found].filter((n) => !listed.has(n));
  const extra = [...listed].filter((n) => !found.has(n));
  assert.deepEqual(missing, [], "exported by the package, missing from the README's table");
  assert.deepEqual(extra, [], "in the table, not exported by the package");
});
