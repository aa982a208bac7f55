// Shared by the node tests: paths of the repository's example documents, and a walker that
// proves money never reaches JS as a number.
import { readFileSync } from "node:fs";
import assert from "node:assert/strict";

export const repo = new URL("../../", import.meta.url);
export const read = (path) => readFileSync(new URL(path, repo), "utf8");
export const tariffText = (name) => read(`examples/tariffs/${name}`);
export const boardText = (name) => read(`examples/boards/${name}`);

/** Every number inside `value`, with its path (`lines[0].amount`). */
export function numbers(value, path = "") {
  if (typeof value === "number" || typeof value === "bigint") return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbers(v, `${path}[${i}]`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => numbers(v, path ? `${path}.${k}` : k));
  }
  return [];
}

// Keys whose values are counts, years or votes: whole numbers, never money.
const COUNT_KEYS = new Set([
  "year", "abitanti", "imprese", "members", "present", "required", "yes", "no", "abstain",
  "blank", "enti", "runs", "candidates", "residents", "covered_runs", "min", "p5", "p50", "p95", "max",
  "base", "quantity", "amortisation_years", "up_to", "from_year",
]);

/** Asserts that every number in `value` is a count (by its key) and every money field a string. */
export function assertNoMoneyNumbers(value, what) {
  for (const path of numbers(value)) {
    const key = path.replace(/\[\d+\]$/, "").split(".").pop().replace(/\[\d+\]/g, "");
    assert.ok(COUNT_KEYS.has(key), `${what}: ${path} is a JS number`);
  }
  walkMoney(value, "", what);
}

const MONEY_KEYS = new Set([
  "amount", "total", "charged", "paid", "outstanding", "credit", "overdue", "quota", "fee",
  "revenue", "yearly_cost", "yearly_amortisation", "setup", "running", "cost", "mean",
]);

function walkMoney(value, path, what) {
  if (Array.isArray(value)) return value.forEach((v, i) => walkMoney(v, `${path}[${i}]`, what));
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const p = path ? `${path}.${k}` : k;
      if (MONEY_KEYS.has(k) && v !== null && typeof v !== "object") {
        assert.equal(typeof v, "string", `${what}: ${p} should be a decimal string`);
        assert.match(v, /^-?\d+(\.\d+)?$/, `${what}: ${p} = ${v}`);
      }
      walkMoney(v, p, what);
    }
  }
}

/** Runs `fn` and returns the thrown error, failing if nothing was thrown. */
export function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail("expected an error");
}

// The contract (schema/cit.schema.json, generated from the core's types): a validator of
// any of its types, or of an array of one, by name.
import { Ajv2020 } from "ajv/dist/2020.js";

export const schema = JSON.parse(read("schema/cit.schema.json"));
// The schema's `format`s (`date`, `uint64`) are annotations; its patterns hold the forms.
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema(schema);
const validators = new Map();

/** Asserts that `value` is a `type` of the schema (`"Quote"`, or `"Balance[]"` for an array). */
export function assertSchema(value, type, what = type) {
  if (!validators.has(type)) {
    const ref = { $ref: `${schema.$id}#/$defs/${type.replace(/\[\]$/, "")}` };
    validators.set(type, ajv.compile(type.endsWith("[]") ? { type: "array", items: ref } : ref));
  }
  const validate = validators.get(type);
  assert.ok(validate(value), `${what} is not a ${type} of the schema: ${ajv.errorsText(validate.errors)}`);
}
