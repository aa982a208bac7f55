// `cit-wasm/quota`, the calculator's build (pkg/quota/): one ente at a time, with the same
// answers and the same errors as the full package for everything it exports, and nothing else.
import { test } from "node:test";
import assert from "node:assert/strict";

import * as full from "cit-wasm";
import * as quota from "cit-wasm/quota";
import { read, tariffText, thrown } from "./helpers.mjs";

const TARIFFS = ["bs-2015.json", "av-2018.json", "bs-2021-services.json", "graduated-2026.json"];
const ENTI = [
  { id: "017029", name: "Brescia", kind: "comune", abitanti: 189902, imprese: 21500 },
  { id: "017001", name: "Acquafredda", kind: "comune", abitanti: 1600, imprese: 120 },
  { id: "064008", name: "Avellino", kind: "comune", abitanti: 54222, imprese: 5000 },
];

const outcome = (fn) => {
  try {
    return { value: fn() };
  } catch (e) {
    return { name: e.name, message: e.message, code: e.code, path: e.path, problems: e.problems };
  }
};

test("cit-wasm/quota exports the quota API only", () => {
  assert.deepEqual(
    Object.keys(quota).filter((k) => k !== "default" && k !== "initSync").sort(),
    ["Tariff", "errorCodes", "formatEuro", "rules", "sumMoney", "version"],
  );
  // Tariff authors (lint, adopt) and whole territories (quoteMany, quoteTotals) use the full
  // package; the calculator prices one ente at a time.
  for (const method of ["adopt", "lint", "quoteMany", "quoteTotals"]) {
    assert.equal(quota.Tariff.prototype[method], undefined, method);
    assert.equal(typeof full.Tariff.prototype[method], "function", method);
  }
  assert.deepEqual(quota.errorCodes(), full.errorCodes());
  assert.deepEqual(quota.rules(), full.rules());
  assert.equal(quota.version(), full.version());
});

test("cit-wasm/quota prices every example tariff as the full package does", () => {
  for (const name of TARIFFS) {
    const text = tariffText(name);
    const [f, q] = [full.Tariff.fromJson(text), quota.Tariff.fromJson(text)];
    assert.equal(q.toJson(), f.toJson(), name);
    assert.deepEqual(q.document(), f.document(), name);
    assert.deepEqual([q.id, q.name, q.period, q.adoption], [f.id, f.name, f.period, f.adoption]);
    const { from, to } = f.period;
    for (let year = Number(from.slice(0, 4)) - 1; year <= Number(to.slice(0, 4)) + 1; year++) {
      for (const ente of ENTI) {
        assert.deepEqual(outcome(() => q.quote(ente, year)), outcome(() => f.quote(ente, year)));
        assert.deepEqual(
          outcome(() => q.quote(ente, year, `${year}-07-01`)),
          outcome(() => f.quote(ente, year, `${year}-07-01`)),
        );
      }
    }
    for (const service of (f.document().services ?? []).map((s) => s.code)) {
      for (const standing of [
        { standing: "non_member" },
        { standing: "member", membership: "A-1", from: from, to: to },
      ]) {
        assert.deepEqual(
          outcome(() => q.priceService(ENTI[1], service, 3, standing, from)),
          outcome(() => f.priceService(ENTI[1], service, 3, standing, from)),
        );
      }
    }
  }
});

test("cit-wasm/quota refuses the bad inputs with the same error as the full package", () => {
  const { cases } = JSON.parse(read("tests/bad-input/cases.json"));
  const tariffs = cases.filter((c) => c.document === "tariff");
  assert.ok(tariffs.length > 0);
  for (const c of tariffs) {
    const text = "text" in c ? c.text : c.prefix + c.fill.repeat(c.times) + c.suffix;
    const [f, q] = [outcome(() => full.Tariff.fromJson(text)), outcome(() => quota.Tariff.fromJson(text))];
    assert.equal(q.code, c.code, c.name);
    assert.deepEqual(q, f, c.name);
  }
  const t = [full, quota].map((m) => m.Tariff.fromJson(tariffText("bs-2015.json")));
  for (const bad of [{ id: "x" }, "not json", { id: "1", name: "n", kind: "comune", abitanti: -1, imprese: 0 }]) {
    assert.deepEqual(outcome(() => t[1].quote(bad, 2016)), outcome(() => t[0].quote(bad, 2016)));
  }
  assert.deepEqual(outcome(() => t[1].quote(ENTI[0], 2016, "2016-13-01")), outcome(() => t[0].quote(ENTI[0], 2016, "2016-13-01")));
  assert.equal(thrown(() => quota.formatEuro("0.001")).code, thrown(() => full.formatEuro("0.001")).code);
});

test("cit-wasm/quota adds and formats money as the full package does", () => {
  for (const amount of ["0", "-0.5", "1234.56", "28485.3", 12, "999999999999.99"]) {
    assert.equal(quota.formatEuro(amount), full.formatEuro(amount));
  }
  const list = ["0.10", "0.20", "39988.24", "-5"];
  assert.equal(quota.sumMoney(list), full.sumMoney(list));
  assert.deepEqual(outcome(() => quota.sumMoney(["1", 0.1])), outcome(() => full.sumMoney(["1", 0.1])));
});
