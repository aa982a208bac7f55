// Node timing of the wasm package: price all 7.904 comuni of the 2011 census under the
// Brescia 2015 tariff, year 2016. imprese are estimated at 0,10 per abitante rounded half
// up (integers), as examples/common/mod.rs does: no public data set has them per comune.
//
//   npm --prefix cit-wasm run build && node benches/wasm/quote_all.mjs
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { Tariff, sumMoney, formatEuro } from "../../cit-wasm/node.js";

const repo = new URL("../../", import.meta.url);
const csv = readFileSync(new URL("examples/data/comuni-italia-2011.csv", repo), "utf8").trim().split(/\r?\n/);
const cols = csv[0].split(",");
if (cols.indexOf("abitanti") < 0) throw new Error("the census CSV has no abitanti column");
const [iIstat, iNome, iAb] = ["istat", "nome", "abitanti"].map((c) => cols.indexOf(c));
const rows = csv.slice(1).map((l) => l.split(","));
const abitanti = Uint32Array.from(rows, (r) => Number(r[iAb]));
const imprese = Uint32Array.from(abitanti, (a) => Number((BigInt(a) + 5n) / 10n));
const enti = rows.map((r, i) => ({ id: r[iIstat], name: r[iNome], kind: "comune", abitanti: abitanti[i], imprese: imprese[i] }));
const tariff = Tariff.fromJson(readFileSync(new URL("examples/tariffs/bs-2015.json", repo), "utf8"));

function time(label, fn, reps = 30) {
  let result;
  for (let i = 0; i < 5; i++) result = fn(); // warm-up
  const ms = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    result = fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label}: median ${ms[ms.length >> 1].toFixed(2)} ms, best ${ms[0].toFixed(2)} ms (${reps} runs)`);
  return result;
}

console.log(`${enti.length} comuni, tariff ${tariff.id}, year 2016`);
const totals = time("quoteTotals (columns → totals)", () => tariff.quoteTotals(abitanti, imprese, 2016));
const quotes = time("quoteMany (itemised quotes)", () => tariff.quoteMany(enti, 2016), 10);
time("quote, one call per comune", () => enti.map((e) => tariff.quote(e, 2016)), 5);
if (quotes.some((q, i) => q.total !== totals[i])) throw new Error("quoteMany and quoteTotals disagree");
console.log(`Entrate annue: ${formatEuro(sumMoney(totals))}`);
