// The quota calculator: page logic only. Every amount, label and rule id comes from the
// cit-wasm package (the same core as Rust and Python); amounts are decimal strings, added
// with sumMoney and displayed with formatEuro — never through floating point.
// The calculator's build (cit-wasm/quota): all this page needs, in under 120 KB gzipped.
// The comuni are data the page loads (examples/data/comuni-anpr-2024.csv), not code: each
// carries the date of its counts, which the ente sent to the core carries too, so the
// core checks it against the tariff's (R-CAP); a quota priced with counts at another date
// is an estimate only if the officer leaves «stima» ticked, and the result says so.
import init, { Tariff, formatEuro, sumMoney } from "./pkg/quota/cit_wasm.js";

const TARIFFS = ["bs-2015.json", "bs-2021-services.json", "av-2018.json", "graduated-2026.json"];
const $ = (id) => document.getElementById(id);
const DATA = "./data/comuni-anpr-2024.csv";
const state = { tariffs: new Map(), comuni: [], tariff: null, picked: null };

const FIELD_LABELS = {
  abitanti: "Abitanti",
  imprese: "Imprese",
  id: "Codice",
  name: "Denominazione",
  kind: "Tipo di ente",
  quantity: "Quantità",
  year: "Anno",
};

// ---- loading -------------------------------------------------------------------------

async function load() {
  await init({ module_or_path: new URL("./pkg/quota/cit_wasm_bg.wasm", import.meta.url) });
  for (const file of TARIFFS) {
    const text = await (await fetch(`./tariffs/${file}`)).text();
    state.tariffs.set(file, Tariff.fromJson(text));
  }
  state.comuni = parseCsv(await (await fetch(DATA)).text());
  const dates = [...new Set(state.comuni.map((c) => c.counts_as_of))];
  state.source = dates.length === 1 ? `residenti ANPR al ${italianDate(dates[0])}` : "residenti ANPR";
  $("comune-label").textContent = `Comune (${state.source})`;
  fillTariffs();
  fillProvinces();
  filterComuni();
  bind();
  selectTariff();
  // Start from a real example: Brescia, whose quota the README shows.
  $("province").value = "BS";
  filterComuni();
  $("comune").value = "017029";
  pickComune();
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("./sw.js").catch(() => {});
}

function parseCsv(text) {
  const [header, ...rows] = text.trim().split(/\r?\n/);
  const cols = header.split(",");
  const at = (name) => cols.indexOf(name);
  const [iIstat, iNome, iSigla, iProv, iAb, iDate] =
    ["istat", "nome", "sigla", "provincia", "abitanti", "counts_as_of"].map(at);
  return rows.map((line) => {
    const f = line.split(",");
    return {
      istat: f[iIstat], nome: f[iNome], sigla: f[iSigla], provincia: f[iProv], abitanti: f[iAb],
      counts_as_of: f[iDate],
    };
  });
}

// imprese are estimated at 0,10 per abitante rounded half up, in integers (as the Rust
// examples do); the page says so next to the field.
const estimateImprese = (abitanti) => ((BigInt(abitanti) + 5n) / 10n).toString();

// ---- form ----------------------------------------------------------------------------

function option(value, label) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = label;
  return o;
}

function fillTariffs() {
  const select = $("tariff");
  for (const [file, t] of state.tariffs) select.append(option(file, `${t.name} (${t.id})`));
  select.value = "bs-2021-services.json";
}

function fillProvinces() {
  const seen = new Map();
  for (const c of state.comuni) seen.set(c.sigla, c.provincia);
  const sorted = [...seen].sort((a, b) => a[1].localeCompare(b[1], "it"));
  for (const [sigla, name] of sorted) $("province").append(option(sigla, `${name} (${sigla})`));
}

function filterComuni() {
  const prov = $("province").value;
  const q = $("search").value.trim().toLocaleLowerCase("it");
  const list = $("comune");
  const matches = state.comuni.filter(
    (c) => (!prov || c.sigla === prov) && (!q || c.nome.toLocaleLowerCase("it").includes(q)),
  );
  list.replaceChildren(
    ...matches.slice(0, 400).map((c) => option(c.istat, `${c.nome} (${c.sigla}) — ${integer(c.abitanti)} ab.`)),
  );
  const n = matches.length;
  $("count").textContent =
    n === 0 ? "Nessun comune corrisponde alla ricerca."
      : n > 400 ? `${integer(n)} comuni: ne sono mostrati 400, restringete la ricerca.`
        : n === 1 ? "1 comune trovato."
          : `${integer(n)} comuni trovati.`;
}

function pickComune() {
  const c = state.comuni.find((x) => x.istat === $("comune").value);
  if (!c) return;
  $("kind").value = "comune";
  $("name").value = c.nome;
  $("istat").value = c.istat;
  $("abitanti").value = c.abitanti;
  $("imprese").value = estimateImprese(c.abitanti);
  state.picked = c;
  compute();
}

// The counts in the form, and where they come from: the comune picked, with the date of the
// data, as long as its abitanti are left as they are; typed by the officer otherwise (who
// then vouches that they are at the tariff's date).
function counts() {
  const c = state.picked;
  if (c && $("kind").value === "comune" && $("istat").value.trim() === c.istat && $("abitanti").value.trim() === c.abitanti) {
    return { counts_as_of: c.counts_as_of, source: `${state.source.replace(/ al .*/, "")} al ${italianDate(c.counts_as_of)}` };
  }
  return { counts_as_of: undefined, source: "inseriti a mano" };
}

// The tariff's date for the counts of `year`, ISO: the core's R-CAP.
function wantedDate(year) {
  return state.tariff.countsDate(year);
}

function selectTariff() {
  const t = state.tariffs.get($("tariff").value);
  state.tariff = t;
  const { from, to } = t.period;
  const years = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) years.push(y);
  const previous = $("year").value;
  $("year").replaceChildren(...years.map((y) => option(String(y), String(y))));
  if (years.includes(Number(previous))) $("year").value = previous;
  const doc = t.document();
  $("tariff-info").textContent = `Periodo ${italianDate(from)} – ${italianDate(to)}; conteggi al ${
    doc.counts_as_of === "previous_year_end" ? "31 dicembre dell'anno precedente" : italianDate(doc.counts_as_of)
  }.`;
  fillServices(doc.services ?? []);
}

const italianDate = (iso) => iso.split("-").reverse().join("/");
// 7.900, 1.558: dots for thousands from four digits on, as the core writes them (the it-IT
// locale leaves four-digit numbers ungrouped).
const integer = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");

function fillServices(services) {
  $("services-box").hidden = services.length === 0;
  const box = $("services");
  box.replaceChildren(
    ...services.map((s) => {
      const row = document.createElement("div");
      row.className = "service";
      const id = `svc-${s.code}`;
      const unit = s.list_price.unit ?? s.allowance?.unit;
      const takesQuantity = s.list_price.basis === "per_unit" || s.allowance;
      row.innerHTML = `
        <input type="checkbox" id="${id}" data-code="${s.code}">
        <label class="name" for="${id}"></label>
        ${takesQuantity ? `<span class="qty"><label for="${id}-qty">Quantità</label>
          <input type="text" inputmode="numeric" id="${id}-qty" value="1" aria-describedby="${id}-unit">
          <small id="${id}-unit" class="hint"></small></span>` : ""}`;
      row.querySelector("label.name").textContent = s.name;
      const tag = document.createElement("span");
      tag.className = "tag";
      tag.textContent = s.tier === "premium" ? "quota maggiorata" : "servizio base";
      row.querySelector("label.name").append(tag);
      if (takesQuantity) row.querySelector(`#${id}-unit`).textContent = unit ?? "";
      return row;
    }),
  );
}

// A count field: digits become a number; anything else goes to the core as typed, so that
// the core's own error (code and path) says what is wrong.
function countField(id) {
  const text = $(id).value.trim();
  if (text === "") return undefined;
  return /^\d{1,15}$/.test(text) ? Number(text) : text;
}

function ente() {
  const e = {
    id: $("istat").value.trim() || "manuale",
    name: $("name").value.trim() || "Ente",
    kind: $("kind").value,
  };
  for (const f of ["abitanti", "imprese"]) {
    const v = countField(f);
    if (v !== undefined) e[f] = v;
  }
  const { counts_as_of } = counts();
  if (counts_as_of) e.counts_as_of = counts_as_of;
  return e;
}

// Every price of the result, with the ente as it is (so the core checks the date of its
// counts); if the core refuses that date alone and «stima» is ticked, again with the counts
// vouched for (`counts_as_of` left out), as an estimate.
function priceAll(e, prices) {
  try {
    return { sections: prices(e), estimate: false };
  } catch (err) {
    if (err.code !== "counts_date_mismatch" || !$("estimate").checked) throw err;
    const { counts_as_of: _, ...vouched } = e;
    return { sections: prices(vouched), estimate: true };
  }
}

// ---- computing and showing -----------------------------------------------------------

function compute() {
  clearError();
  const t = state.tariff;
  const year = Number($("year").value);
  const member = $("member").checked;
  const e = ente();
  try {
    const { sections, estimate } = priceAll(e, (e) => prices(e, t, year, member));
    if (sections.length === 0) {
      $("output").innerHTML = '<p class="hint">Un ente non aderente non paga la quota: spuntate i servizi da acquistare a listino.</p>';
      return;
    }
    // The core checks R-CAP on the quota and on the services priced by the counts alike:
    // `priceAll` has priced with the counts vouched for, and says so, when the dates differ.
    render(e, year, sections, sumMoney(sections.map((s) => s.total)), estimate);
  } catch (err) {
    showError(err);
  }
}

function prices(e, t, year, member) {
  const sections = [];
  if (member) {
    const q = t.quote(e, year);
    sections.push({ title: `Quota di adesione ${year}`, lines: q.lines, total: q.total });
  }
  const { from, to } = t.period;
  const start = `${year}-01-01`;
  const date = start < from ? from : start;
  const standing = member
    ? { standing: "member", membership: "simulazione", from, to }
    : { standing: "non_member" };
  for (const box of $("services").querySelectorAll("input[type=checkbox]:checked")) {
    const code = box.dataset.code;
    const qtyInput = $(`svc-${code}-qty`);
    const quantity = qtyInput ? countField(`svc-${code}-qty`) ?? 0 : 1;
    const sq = t.priceService(e, code, quantity, standing, date);
    const name = box.parentElement.querySelector("label.name").firstChild.textContent;
    sections.push({ title: name, lines: sq.quote.lines, total: sq.quote.total, reason: sq.reason });
  }
  return sections;
}

function cell(tr, text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  tr.append(td);
}

function render(e, year, sections, total, estimate) {
  const out = document.createDocumentFragment();
  const head = document.createElement("p");
  head.textContent = `${e.name}${e.id !== "manuale" ? ` (${e.id})` : ""} — ${state.tariff.name}, anno ${year}`;
  out.append(head);
  if (e.kind === "comune") {
    const note = document.createElement("p");
    note.id = "counts-note";
    const wanted = italianDate(wantedDate(year));
    const { counts_as_of, source } = counts();
    note.className = estimate ? "estimate" : "hint";
    note.textContent = `Conteggi: ${source}; ${
      !counts_as_of ? `assunti al ${wanted}, la data della tariffa`
        : estimate ? `la tariffa li chiede al ${wanted}. STIMA: quota calcolata con conteggi non alla data della tariffa (R-CAP); per la quota della tariffa inserite abitanti e imprese al ${wanted}.`
          : "la data della tariffa"
    }`;
    out.append(note);
  }
  for (const s of sections) {
    const table = document.createElement("table");
    table.innerHTML = '<caption></caption><thead><tr><th scope="col">Regola</th><th scope="col">Voce</th><th scope="col" class="amount">Importo</th></tr></thead><tbody></tbody>';
    table.querySelector("caption").textContent = s.title;
    const body = table.querySelector("tbody");
    for (const l of s.lines) {
      const tr = document.createElement("tr");
      cell(tr, l.rule, "rule");
      cell(tr, l.label);
      cell(tr, formatEuro(l.amount), "amount");
      body.append(tr);
    }
    const sub = document.createElement("tr");
    sub.className = "subtotal";
    cell(sub, "");
    cell(sub, "Totale voce");
    cell(sub, formatEuro(s.total), "amount");
    body.append(sub);
    out.append(table);
    if (s.reason) {
      const p = document.createElement("p");
      p.className = "reason";
      p.textContent = s.reason;
      out.append(p);
    }
  }
  const t = document.createElement("div");
  t.className = "total";
  const label = estimate ? "Totale annuo (stima)" : "Totale annuo";
  t.innerHTML = `<span>${label}</span><output id="total" aria-label="${label}"></output>`;
  t.querySelector("output").textContent = formatEuro(total);
  t.querySelector("output").dataset.amount = total;
  out.append(t);
  $("output").replaceChildren(out);
}

const MESSAGES = {
  malformed: (f) => `Il valore del campo «${f}» non è valido: serve un numero intero, senza punti né lettere.`,
  invalid: (f) => `Il campo «${f}» non è valido.`,
  invalid_value: (f) => `Il valore del campo «${f}» non è valido.`,
  missing_count: (f) => `Manca il numero di ${f.toLowerCase()}: la tariffa ne ha bisogno per calcolare la quota (R-CAP).`,
  counts_date_mismatch: () => "I conteggi dell'ente non sono alla data di riferimento della tariffa (R-CAP): inserite abitanti e imprese a quella data, o spuntate «stima» per calcolare la quota come stima.",
  year_outside_period: () => "L'anno scelto è fuori dal periodo della tariffa (R-PERIOD).",
  kind_not_priced: () => "Questa tariffa non prevede una quota fissa per questo tipo di ente (R-FIX).",
  not_a_member: () => "Questo servizio è riservato agli enti aderenti alla convenzione (R-MEMBERS-ONLY).",
  unknown_service: () => "Servizio non presente nel catalogo della tariffa.",
  overflow: () => "I numeri inseriti sono troppo grandi per il calcolo.",
};

function showError(err) {
  const box = $("error");
  const field = FIELD_LABELS[(err.path ?? "").split(/[.[]/)[0]] ?? err.path ?? "";
  const message = (MESSAGES[err.code] ?? (() => "Impossibile calcolare la quota con questi dati."))(field);
  box.innerHTML = "<p><strong>Impossibile calcolare la quota.</strong></p><p class=\"msg\"></p><details><summary>Dettagli tecnici</summary><code></code></details>";
  box.querySelector(".msg").textContent = message;
  box.querySelector("code").textContent = `${err.code ?? err.name}${err.path ? ` @ ${err.path}` : ""}: ${err.message}`;
  box.hidden = false;
  const input = ["abitanti", "imprese", "name", "istat"].find((f) => FIELD_LABELS[f] === field || f === err.path);
  if (input) $(input === "id" ? "istat" : input).setAttribute("aria-invalid", "true");
  $("output").innerHTML = '<p class="hint">Correggete i dati per vedere la quota.</p>';
}

function clearError() {
  $("error").hidden = true;
  for (const el of document.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

function bind() {
  $("tariff").addEventListener("change", () => { selectTariff(); compute(); });
  $("province").addEventListener("change", filterComuni);
  $("search").addEventListener("input", filterComuni);
  $("comune").addEventListener("change", pickComune);
  $("form").addEventListener("submit", (ev) => { ev.preventDefault(); compute(); });
  for (const id of ["year", "kind", "member", "estimate"]) $(id).addEventListener("change", compute);
  for (const id of ["abitanti", "imprese", "name", "istat"]) $(id).addEventListener("input", compute);
  $("services").addEventListener("change", compute);
  $("services").addEventListener("input", compute);
}

load().catch((err) => {
  $("output").innerHTML = "";
  const box = $("error");
  box.hidden = false;
  box.textContent = `Il calcolatore non si è caricato: ${err.message}. Servite la pagina con \`npm --prefix cit-wasm run serve\` dopo \`npm --prefix cit-wasm run build\`.`;
});
