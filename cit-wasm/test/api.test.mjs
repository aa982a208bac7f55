// Every entry point of the built package (`npm run build` first), as a user imports it.
import { test } from "node:test";
import assert from "node:assert/strict";

import {
  Board,
  Registry,
  Tariff,
  breakEven,
  candidates,
  errorCodes,
  formatEuro,
  rules,
  simulate,
  sumMoney,
  version,
  yearly,
} from "cit-wasm";
import { assertNoMoneyNumbers, boardText, tariffText, thrown } from "./helpers.mjs";

const BRESCIA = {
  id: "017029",
  name: "Brescia",
  kind: "comune",
  abitanti: 189902,
  imprese: 21500,
  counts_as_of: "2013-12-31",
};

test("entry points: Tariff.fromJson and tariff.quote give a plain Quote object, money as strings", () => {
  const tariff = Tariff.fromJson(tariffText("bs-2015.json"));
  assert.equal(tariff.id, "bs-2015");
  assert.equal(tariff.name, "CIT Brescia - Convenzione 2015-2020");
  assert.deepEqual(tariff.period, { from: "2015-01-01", to: "2020-12-31" });
  assert.equal(tariff.adoption, undefined);
  const quote = tariff.quote(BRESCIA, 2016);
  assert.equal(Object.getPrototypeOf(quote), Object.prototype);
  assert.deepEqual(quote, {
    ente: "017029",
    tariff: "bs-2015",
    year: 2016,
    lines: [
      { rule: "R-CAP", label: "189.902 abitanti × € 0,15", amount: "28485.30" },
      { rule: "R-CAP", label: "21.500 imprese × € 1,00", amount: "21500.00" },
      { rule: "R-BAND", label: "Sconto del 20% per la fascia oltre 10.000 abitanti", amount: "-9997.06" },
    ],
    total: "39988.24",
  });
  assertNoMoneyNumbers(quote, "quote");
  // The ente may also be given as its JSON text.
  assert.deepEqual(tariff.quote(JSON.stringify(BRESCIA), 2016), quote);
  assert.equal(formatEuro(quote.total), "€ 39.988,24");
});

test("quote with a start date prorates under a monthly tariff (R-PRORATA)", () => {
  const tariff = Tariff.fromJson(tariffText("graduated-2026.json"));
  const ente = { id: "x", name: "X", kind: "comune", abitanti: 12000, imprese: 900 };
  const full = tariff.quote(ente, 2026);
  const part = tariff.quote(ente, 2026, "2026-07-01");
  assert.ok(part.lines.some((l) => l.rule === "R-PRORATA"), JSON.stringify(part));
  assert.notEqual(part.total, full.total);
});

test("toJson and document round-trip the tariff", () => {
  const tariff = Tariff.fromJson(tariffText("bs-2021-services.json"));
  const again = Tariff.fromJson(tariff.toJson());
  assert.equal(again.toJson(), tariff.toJson());
  const doc = tariff.document();
  assert.equal(doc.id, "bs-2021");
  assert.equal(typeof doc.membership.comune.per_abitante, "string");
  assert.ok(doc.services.length >= 5);
  assertNoMoneyNumbers(doc, "tariff document");
});

test("quoteMany prices a list and names the position of a bad ente", () => {
  const tariff = Tariff.fromJson(tariffText("bs-2015.json"));
  const enti = [BRESCIA, { ...BRESCIA, id: "017001", abitanti: 1600, imprese: 120 }];
  const quotes = tariff.quoteMany(enti, 2016);
  assert.equal(quotes.length, 2);
  assert.equal(quotes[0].total, "39988.24");
  assert.deepEqual(quotes[1], tariff.quote(enti[1], 2016));
  const e = thrown(() => tariff.quoteMany([BRESCIA, { id: "y", name: "Y", kind: "comune", imprese: 3 }], 2016));
  assert.equal(e.code, "missing_count");
  assert.equal(e.path, "enti[1].abitanti");
  const m = thrown(() => tariff.quoteMany([BRESCIA, { ...BRESCIA, abitanti: "many" }], 2016));
  assert.equal(m.code, "malformed");
  assert.equal(m.path, "enti[1].abitanti");
});

test("quoteTotals: columns of counts to decimal-string totals, equal to quote()", () => {
  const tariff = Tariff.fromJson(tariffText("bs-2015.json"));
  const ab = [189902, 1600, 0, 2999, 3001];
  const imp = [21500, 120, 0, 300, 300];
  const totals = tariff.quoteTotals(Uint32Array.from(ab), imp, 2016);
  assert.deepEqual(
    totals,
    ab.map((a, i) => tariff.quote({ id: `c${i}`, name: "c", kind: "comune", abitanti: a, imprese: imp[i] }, 2016).total),
  );
  assert.ok(totals.every((t) => typeof t === "string"));
  const e = thrown(() => tariff.quoteTotals([1, 2], [1], 2016));
  assert.equal(e.code, "invalid_value");
  assert.equal(e.path, "imprese");
  const f = thrown(() => tariff.quoteTotals([1, 2.5], [1, 1], 2016));
  assert.equal(f.code, "invalid_value");
  assert.equal(f.path, "abitanti[1]");
});

test("priceService: member price, list price, members only (R-TIER, R-MEMBERS-ONLY)", () => {
  const tariff = Tariff.fromJson(tariffText("bs-2021-services.json"));
  const ente = { id: "017001", name: "Acquafredda", kind: "comune", abitanti: 1600, imprese: 120 };
  const member = { standing: "member", membership: "A-1", from: "2022-03-01", to: "2022-03-01" };
  const spid = tariff.priceService(ente, "spid", 3, member, "2022-03-01");
  assert.equal(spid.price, "member");
  assert.equal(spid.quote.lines[0].label, "3 persone × € 35,00 (prezzo aderenti)");
  assert.equal(spid.quote.total, "105.00");
  assertNoMoneyNumbers(spid, "service quote");
  const list = tariff.priceService(ente, "spid", 3, { standing: "non_member" }, "2022-03-01");
  assert.equal(list.price, "list");
  assert.equal(list.quote.total, "135.00");
  const e = thrown(() => tariff.priceService(ente, "protocollo", 1, { standing: "non_member" }, "2022-03-01"));
  assert.equal(e.code, "not_a_member");
  assert.equal(e.path, "ente");
});

test("lint returns warnings as plain objects", () => {
  const tariff = Tariff.fromJson(tariffText("bs-2015.json"));
  const warnings = tariff.lint();
  assert.ok(Array.isArray(warnings));
  for (const w of warnings) assert.deepEqual(Object.keys(w).sort(), ["code", "message", "path"]);
});

test("sumMoney adds decimal strings exactly; formatEuro prints the Italian form", () => {
  assert.equal(sumMoney(["0.10", "0.20"]), "0.30");
  assert.equal(sumMoney([]), "0.00");
  assert.equal(sumMoney(["39988.24", "105", "-0.5"]), "40092.74");
  assert.equal(formatEuro("1234.56"), "€ 1.234,56");
  assert.equal(formatEuro("-0.5"), "-€ 0,50");
  assert.equal(thrown(() => sumMoney(["1.001"])).path, "amounts[0]");
  // Read by the core's decimal parser, as documents are: no sign, no space around it.
  for (const bad of ["+1.00", " 1.00", "1.00 ", "1e2", "1_000"]) {
    assert.equal(thrown(() => sumMoney(["0.10", bad])).path, "amounts[1]", bad);
  }
});

test("Board: roll call, decision, adoption; yearly", () => {
  const board = Board.fromJson(boardText("tavolo-strategico-brescia.json"));
  assert.equal(board.kind, "strategico");
  assert.equal(board.id, "ts-cit-brescia");
  const meetings = board.meetings();
  assert.ok(meetings.includes("2025-11-20"));
  const roll = board.rollCall("2025-11-20");
  assert.equal(roll.met, true);
  assert.equal(typeof roll.sentence, "string");
  const decision = board.decide("2025-11-20", "1");
  assert.equal(decision.passed, true);
  assert.equal(decision.outcome, "passed");
  assert.equal(decision.tally.yes, 10);
  assert.match(decision.sentence, /\S/);
  assertNoMoneyNumbers(decision, "decision");
  const citation = board.adoptionCitation("2025-11-20", "1");
  assert.match(citation, /\S/);
  const tariff = Tariff.fromJson(tariffText("graduated-2026.json"));
  const adopted = tariff.adopt(board, "2025-11-20", "1");
  assert.equal(adopted.adoption, citation);
  const report = yearly([board, boardText("tavolo-tecnico-brescia.json")], 2025, 2026);
  assert.deepEqual(report.years.map((y) => y.year), [2025, 2026]);
  const e = thrown(() => board.decide("2019-01-01", "1"));
  assert.equal(e.code, "invalid_value");
  assert.equal(e.path, "meeting");
});

test("analysis: breakEven, candidates and the simulation summary (money as strings)", () => {
  const be = breakEven({ setup: "10000.00", amortisation_years: 5, running: "3000" }, { enti: 20, abitanti: 100000 });
  assert.equal(be.yearly_cost, "5000.00");
  assert.equal(be.per_ente.fee, "250.00");
  assertNoMoneyNumbers(be, "break even");
  const tariff = Tariff.fromJson(tariffText("bs-2015.json"));
  const enti = [
    { id: "017001", name: "Acquafredda", kind: "comune", abitanti: 1600, imprese: 120 },
    { id: "017029", name: "Brescia", kind: "comune", abitanti: 189902, imprese: 21500 },
  ];
  const cands = candidates(tariff, enti, ["0.5", "0.9"], 2016);
  assert.deepEqual(cands[0], { id: "017001", abitanti: 1600, quota: "360.00", probability: "0.5" });
  const sim = simulate(cands, { runs: 1000, seed: 42, cost: "20000" });
  assert.equal(sim.seed, "42");
  assert.equal(sim.runs, 1000);
  // Every run as columns, as the core writes them (and Python gives them).
  assert.equal(sim.per_run.members.length, 1000);
  assert.equal(typeof sim.per_run.revenue[0], "string");
  assert.equal(typeof sim.revenue.p50, "string");
  assert.equal(typeof sim.coverage.probability, "string");
  assertNoMoneyNumbers(sim, "simulation");
  // Same seed, same result; a string of digits is the same seed, and holds any u64.
  assert.deepEqual(simulate(cands, { runs: 1000, seed: "42", cost: "20000" }), sim);
  const big = simulate(cands, { runs: 10, seed: "18446744073709551615" });
  assert.equal(big.seed, "18446744073709551615");
  // A value out of range is refused where it was, with the same code and path as in Python.
  for (const [fn, code, path] of [
    [() => candidates(tariff, enti, ["0.5", "1.5"], 2016), "invalid_value", "probabilities[1]"],
    [() => simulate([{ ...cands[0], probability: "-0.1" }], { runs: 10, seed: 42 }), "malformed", "[0].probability"],
    [() => simulate([{ ...cands[0], quota: "1.001" }], { runs: 10, seed: 42 }), "malformed", "[0].quota"],
  ]) {
    const e = thrown(fn);
    assert.deepEqual([e.code, e.path], [code, path]);
  }
});

test("a date argument reads as a date in a document (as in Python)", () => {
  const tariff = Tariff.fromJson(tariffText("bs-2021-services.json"));
  const ente = { id: "017001", name: "Acquafredda", kind: "comune", abitanti: 1600, imprese: 120 };
  // ISO YYYY-MM-DD exactly: "22-03-01" is not the year 22, "2022-3-1" is not a date.
  const texts = ["2022-03-01", "2022-3-1", "2022-03-01 ", " 2022-03-01", "2022 -03-01", "22-03-01",
    "+2022-03-01", "2022-02-29", "01/03/2022", "2022-03"];
  for (const text of texts) {
    let asArgument = null;
    try {
      asArgument = tariff.priceService(ente, "spid", 1, { standing: "non_member" }, text).date;
    } catch (e) {
      assert.deepEqual([e.code, e.path], ["invalid_value", "date"]);
    }
    const registry = new Registry();
    registry.apply({ type: "ente_registered", ente });
    let asDocument = null;
    try {
      registry.apply({ type: "membership_requested", membership: "A", ente: "017001", date: text });
      asDocument = JSON.parse(registry.toJson()).at(-1).date;
    } catch (e) {
      assert.ok(e.code, text);
    }
    assert.equal(asArgument, asDocument, text);
    assert.equal(asArgument, text === "2022-03-01" ? text : null, text);
  }
});

test("Registry: events, billing run, payments, balances, renewal campaign, journal round trip", () => {
  const cit = new Registry();
  cit.apply({ type: "tariff_adopted", tariff: JSON.parse(tariffText("bs-2021-services.json")) });
  cit.apply({ type: "ente_registered", ente: { id: "017001", name: "Acquafredda", kind: "comune", abitanti: 1600, imprese: 120 } });
  cit.apply({ type: "membership_requested", membership: "A-1", ente: "017001", date: "2021-01-10" });
  cit.apply({ type: "membership_approved", membership: "A-1", delibera: { number: "4/2021", date: "2021-01-20", organ: "Consiglio comunale" } });
  cit.apply(JSON.stringify({ type: "convention_signed", membership: "A-1", date: "2021-01-25", to: "2025-12-31" }));
  cit.apply({ type: "subscription_requested", subscription: "S-1", ente: "017001", service: "pec", quantity: 2, contact: "Ufficio protocollo", date: "2021-02-01" });
  cit.apply({ type: "subscription_activated", subscription: "S-1", date: "2021-02-10" });
  const issued = cit.billingRun(2021, "2021-03-01", "2021-04-30");
  assert.ok(issued.length >= 2, JSON.stringify(issued));
  assert.deepEqual(cit.billingRun(2021, "2021-03-02", "2021-04-30"), []);
  const quota = cit.charge(issued[0]);
  assert.equal(quota.amount, "360.00");
  assert.equal(quota.kind, "quota");
  assert.equal(cit.charge("nope"), undefined);
  assertNoMoneyNumbers(cit.charges(), "charges");
  cit.apply({ type: "payment_received", payment: "P-1", payer: "017001", date: "2021-04-01", amount: "400.00" });
  const balance = cit.balance("017001", "2021-12-31");
  assert.equal(balance.paid, "400.00");
  assertNoMoneyNumbers(balance, "balance");
  assert.deepEqual(cit.balances("2021-12-31"), [balance]);
  assert.equal(cit.payments()[0].amount, "400.00");
  assert.equal(cit.enti()[0].id, "017001");
  assert.ok(Array.isArray(cit.renewalCampaign(2022)));
  const pec = cit.priceService("017001", "pec", 2, "2021-06-01");
  assert.equal(pec.price, "member");
  const events = cit.events();
  assert.equal(events.length, 9); // the second billing run added nothing
  assert.equal(events[0].type, "tariff_adopted");
  const replayed = Registry.fromJson(cit.toJson());
  assert.equal(replayed.toJson(), cit.toJson());
});

test("errorCodes and rules list the core's codes and rule ids", () => {
  assert.equal(errorCodes().length, 18);
  assert.ok(errorCodes().includes("version_conflict"));
  assert.ok(rules().includes("R-JOURNAL"));
  assert.ok(rules().includes("R-CAP"));
  assert.match(version(), /^\d+\.\d+\.\d+/);
});
