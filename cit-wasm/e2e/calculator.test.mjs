// End to end: the calculator (examples/web) in Debian's headless Chromium, driven by
// playwright-core (no browser download), served from 127.0.0.1. The displayed total must be
// the core's figure as the built package computes it in node, from the counts of the data
// the page loads (examples/data/comuni-anpr-2024.csv, read here too).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";
import { Tariff, formatEuro, sumMoney } from "cit-wasm";
import { serve } from "../../examples/web/serve.mjs";
import { tariffText } from "../test/helpers.mjs";

const repo = fileURLToPath(new URL("../../", import.meta.url));
// The comuni the page lists, by ISTAT code.
const COMUNI = new Map(
  readFileSync(join(repo, "examples", "data", "comuni-anpr-2024.csv"), "utf8")
    .trim().split("\n").slice(1).map((line) => {
      const [istat, nome, sigla, , , abitanti, counts_as_of] = line.split(",");
      return [istat, { istat, nome, sigla, abitanti: Number(abitanti), counts_as_of }];
    }),
);
// A comune of the data as the page prices it: imprese estimated at 0,10 per abitante.
function comune(istat) {
  const c = COMUNI.get(istat);
  const imprese = Math.floor((c.abitanti + 5) / 10);
  return { id: istat, name: c.nome, kind: "comune", abitanti: c.abitanti, imprese, counts_as_of: c.counts_as_of };
}
// The same, its counts vouched for: how the page prices it as an estimate.
const vouched = ({ counts_as_of: _, ...e }) => e;
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
let server, context, page, base, profile;

before(async () => {
  server = await serve(0);
  base = `http://127.0.0.1:${server.address().port}/`;
  profile = mkdtempSync(join(tmpdir(), "cit-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 1000 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (e) => console.error("page error:", e));
  await page.goto(base);
  await page.locator("#total").waitFor({ timeout: 30_000 });
});

after(async () => {
  await context?.close();
  server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

// What the page should show, computed in node with the built package.
function expected({ tariff, ente, year, services }) {
  const t = Tariff.fromJson(tariffText(tariff));
  const { from, to } = t.period;
  const standing = { standing: "member", membership: "simulazione", from, to };
  const totals = [t.quote(ente, year).total];
  for (const [code, quantity] of services) {
    totals.push(t.priceService(ente, code, quantity, standing, `${year}-01-01`).quote.total);
  }
  return formatEuro(sumMoney(totals));
}

test("the page starts on Brescia, priced with ANPR's counts as an estimate, and says so", async () => {
  const brescia = comune("017029");
  assert.equal(brescia.counts_as_of, "2024-01-10");
  assert.equal(await page.inputValue("#abitanti"), String(brescia.abitanti));
  // The core refuses counts of 10/01/2024 for a tariff that takes them at 31/12/2020 …
  const t = Tariff.fromJson(tariffText("bs-2021-services.json"));
  assert.throws(() => t.quote(brescia, 2021), (e) => e.code === "counts_date_mismatch");
  // … so the page prices them vouched for, and states it.
  const total = await page.locator("#total").textContent();
  assert.equal(total, expected({ tariff: "bs-2021-services.json", ente: vouched(brescia), year: 2021, services: [] }));
  assert.equal(await page.getAttribute("#total", "aria-label"), "Totale annuo (stima)");
  const note = await page.locator("#counts-note").textContent();
  assert.match(note, /^Conteggi: residenti ANPR al 10\/01\/2024; la tariffa li chiede al 31\/12\/2020\. STIMA/);
  assert.equal(await page.locator("#comune-label").textContent(), "Comune (residenti ANPR al 10/01/2024)");
  assert.match(await page.locator("footer").textContent(), /Dati dai Numeri del portale ANPR - CC0 Ministero dell'Interno/);
});

test("the picker lists today's 7.900 comuni, a merged one included, and prices it", async () => {
  await page.selectOption("#province", "");
  await page.fill("#search", "");
  assert.equal(await page.locator("#count").textContent(), "7.900 comuni: ne sono mostrati 400, restringete la ricerca.");
  await page.selectOption("#province", "VA");
  await page.fill("#search", "Bardello");
  const options = await page.locator("#comune option").allTextContents();
  const bardello = comune("012144");
  assert.deepEqual(options, [`Bardello con Malgesso e Bregano (VA) — ${String(bardello.abitanti).replace(/\B(?=(\d{3})+(?!\d))/g, ".")} ab.`]);
  await page.selectOption("#comune", "012144");
  const want = expected({ tariff: "bs-2021-services.json", ente: vouched(bardello), year: 2021, services: [] });
  await page.locator("#total", { hasText: want }).waitFor({ timeout: 5_000 });
});

test("without «stima» the core's R-CAP refusal is shown", async () => {
  await page.uncheck("#estimate");
  const error = page.locator("#error");
  await error.waitFor({ state: "visible" });
  assert.match(await error.textContent(), /non sono alla data di riferimento della tariffa \(R-CAP\)/);
  assert.match(await error.textContent(), /counts_date_mismatch/);
  await page.check("#estimate");
  await page.locator("#total").waitFor();
  assert.equal(await error.isVisible(), false);
});

test("choose a tariff, a comune and premium services: the total is the core's", async () => {
  await page.selectOption("#tariff", "bs-2021-services.json");
  await page.selectOption("#year", "2022");
  await page.selectOption("#province", "BS");
  await page.fill("#search", "Acquafredda");
  await page.selectOption("#comune", "017001");
  const acquafredda = comune("017001");
  assert.equal(await page.inputValue("#abitanti"), String(acquafredda.abitanti));
  assert.equal(await page.inputValue("#imprese"), String(acquafredda.imprese));
  // Keyboard: tick SPID with the space bar, then type the number of people.
  await page.focus("#svc-spid");
  await page.keyboard.press("Space");
  await page.fill("#svc-spid-qty", "3");
  await page.check("#svc-pec");
  await page.fill("#svc-pec-qty", "2");
  await page.locator("caption", { hasText: "Caselle PEC" }).waitFor();
  const want = expected({ tariff: "bs-2021-services.json", ente: vouched(acquafredda), year: 2022, services: [["spid", 3], ["pec", 2]] });
  assert.equal(await page.locator("#total").textContent(), want);
  assert.match(want, /^€ \d{1,3}(\.\d{3})*,\d{2}$/);
  // Itemised lines with their rule ids and Italian amounts.
  const rules = await page.locator("td.rule").allTextContents();
  assert.ok(rules.includes("R-CAP") && rules.includes("R-TIER"), rules.join(","));
  const amounts = await page.locator("td.amount").allTextContents();
  assert.ok(amounts.every((a) => /^-?€ \d{1,3}(\.\d{3})*,\d{2}$/.test(a)), amounts.join(" | "));
  mkdirSync(join(repo, "target"), { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(repo, "examples", "web", "screenshot.png"), fullPage: true });
});

test("it keeps working offline once loaded", async () => {
  await context.setOffline(true);
  try {
    // Counts typed by the officer: no date of a data set, so the quota is the tariff's.
    await page.fill("#abitanti", "2500");
    const ente = { ...vouched(comune("017001")), abitanti: 2500 };
    const want = expected({ tariff: "bs-2021-services.json", ente, year: 2022, services: [["spid", 3], ["pec", 2]] });
    await page.locator("#total", { hasText: want }).waitFor({ timeout: 5_000 });
    assert.equal(await page.getAttribute("#total", "aria-label"), "Totale annuo");
    assert.match(await page.locator("#counts-note").textContent(), /^Conteggi: inseriti a mano; assunti al 31\/12\/2021/);
  } finally {
    await context.setOffline(false);
  }
});

test("bad input gives a clear message, not a blank page", async () => {
  await page.fill("#abitanti", "12a");
  const error = page.locator("#error");
  await error.waitFor({ state: "visible" });
  const text = await error.textContent();
  assert.match(text, /Impossibile calcolare la quota/);
  assert.match(text, /«Abitanti» non è valido/);
  assert.equal(await page.getAttribute("#abitanti", "aria-invalid"), "true");
  assert.equal(await page.locator("#total").count(), 0);
  await page.screenshot({ path: join(repo, "examples", "web", "screenshot-error.png") });
  await page.fill("#abitanti", "");
  assert.match(await error.textContent(), /Manca il numero di abitanti/);
  await page.fill("#abitanti", "1579");
  await page.locator("#total").waitFor();
  assert.equal(await error.isVisible(), false);
});
