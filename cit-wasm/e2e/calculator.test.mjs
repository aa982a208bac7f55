// End to end: the calculator (examples/web) in Debian's headless Chromium, driven by
// playwright-core (no browser download), served from 127.0.0.1. The displayed total must be
// the core's figure as the built package computes it in node.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";
import { Tariff, formatEuro, sumMoney } from "cit-wasm";
import { serve } from "../../examples/web/serve.mjs";
import { tariffText } from "../test/helpers.mjs";

const repo = fileURLToPath(new URL("../../", import.meta.url));
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

test("the page starts on Brescia with the README's quota", async () => {
  const total = await page.locator("#total").textContent();
  const brescia = { id: "017029", name: "Brescia", kind: "comune", abitanti: 189902, imprese: 18990 };
  assert.equal(total, expected({ tariff: "bs-2021-services.json", ente: brescia, year: 2021, services: [] }));
});

test("choose a tariff, a comune and premium services: the total is the core's", async () => {
  await page.selectOption("#tariff", "bs-2021-services.json");
  await page.selectOption("#year", "2022");
  await page.selectOption("#province", "BS");
  await page.fill("#search", "Acquafredda");
  await page.selectOption("#comune", "017001");
  assert.equal(await page.inputValue("#abitanti"), "1579");
  assert.equal(await page.inputValue("#imprese"), "158");
  // Keyboard: tick SPID with the space bar, then type the number of people.
  await page.focus("#svc-spid");
  await page.keyboard.press("Space");
  await page.fill("#svc-spid-qty", "3");
  await page.check("#svc-pec");
  await page.fill("#svc-pec-qty", "2");
  await page.locator("caption", { hasText: "Caselle PEC" }).waitFor();
  const ente = { id: "017001", name: "Acquafredda", kind: "comune", abitanti: 1579, imprese: 158 };
  const want = expected({ tariff: "bs-2021-services.json", ente, year: 2022, services: [["spid", 3], ["pec", 2]] });
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
    await page.fill("#abitanti", "2500");
    const ente = { id: "017001", name: "Acquafredda", kind: "comune", abitanti: 2500, imprese: 158 };
    const want = expected({ tariff: "bs-2021-services.json", ente, year: 2022, services: [["spid", 3], ["pec", 2]] });
    await page.locator("#total", { hasText: want }).waitFor({ timeout: 5_000 });
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
