// pagoPA through the package (R-NOTICE, R-RECONCILE): numeri avviso, IUVs and codici fiscali;
// the creditor, the notices, GPD's debt positions and the office's CSV; a flusso di
// rendicontazione read and reconciled, its events applied as they are. The same scenario as
// the core's `r_reconcile_books_paid_and_revoked_once_and_reports_the_rest`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import {
  Registry,
  iuv,
  noticeNumber,
  readFlow,
  sumMoney,
  validCodiceFiscale,
  validIuv,
  validNoticeNumber,
} from "cit-wasm";
import { numbers, read, tariffText, thrown } from "./helpers.mjs";

const CREDITOR = {
  codice_fiscale: "80008750178",
  name: "Provincia di Brescia",
  segregation_code: "07",
  iban: "IT60X0542811101000000123456",
  category: "9/0101002IM/",
  categories: { servizio: "9/0101108TS/" },
};

/** Codici fiscali made up for the enti, each with the right check digit (as in the core's tests). */
const CF = { U1: "80003500172", "017001": "00413350174", "017002": "00413360173" };

const END = "2021-12-31";

/**
 * The catalogue tariff, an Unione (fixed € 300,00) and two comuni (Acquafredda € 360,00,
 * with its codice fiscale in the ente; Adro € 837,00, without), all members from 2021 and
 * billed for 2021: no creditor yet.
 */
function billed() {
  const cit = new Registry();
  cit.apply({ type: "tariff_adopted", tariff: JSON.parse(tariffText("bs-2021-services.json")) });
  cit.apply({ type: "ente_registered", ente: { id: "U1", name: "Unione della Franciacorta", kind: "unione" } });
  cit.apply({
    type: "ente_registered",
    ente: { id: "017001", name: "Acquafredda", kind: "comune", abitanti: 1600, imprese: 120, codice_fiscale: CF["017001"] },
  });
  cit.apply({ type: "ente_registered", ente: { id: "017002", name: "Adro", kind: "comune", abitanti: 4200, imprese: 300 } });
  for (const [membership, ente] of [["A-U1", "U1"], ["A-1", "017001"], ["A-2", "017002"]]) {
    cit.apply({ type: "membership_requested", membership, ente, date: "2021-01-10" });
    cit.apply({ type: "membership_approved", membership, delibera: { number: "1", date: "2021-01-20", organ: "Consiglio" } });
    cit.apply({ type: "convention_signed", membership, date: "2021-01-25", to: "2025-12-31" });
  }
  cit.billingRun(2021, "2021-03-01", "2021-04-30");
  return cit;
}

/** As `billed`, with the creditor, every codice fiscale and the notices of 2021 issued. */
function issued() {
  const cit = billed();
  cit.apply({ type: "creditor_registered", creditor: CREDITOR });
  for (const ente of ["U1", "017002"]) {
    cit.apply({ type: "codice_fiscale_recorded", ente, codice_fiscale: CF[ente] });
  }
  assert.equal(cit.apply({ type: "notices_issued", year: 2021, date: "2021-03-02" }).outcome, "recorded");
  return cit;
}

/** The notice of a payer's share. */
const noticeOf = (cit, payer) => cit.notices(2021).find((n) => n.payer === payer);

/**
 * A FlussoRiversamento for the creditor (the shape of cit-core/fuzz/corpus/flow/seed-0) with
 * these payments; its count and total add up unless given.
 */
function flowXml(payments, { id = "2021-03-15ABI03069-S0000001", receiver = CREDITOR.codice_fiscale, count, total } = {}) {
  const rows = payments
    .map(
      (p) => `
  <datiSingoliPagamenti>
    <identificativoUnivocoVersamento>${p.iuv}</identificativoUnivocoVersamento>
    <identificativoUnivocoRiscossione>${p.iur}</identificativoUnivocoRiscossione>
    <indiceDatiSingoloPagamento>${p.index ?? 1}</indiceDatiSingoloPagamento>
    <singoloImportoPagato>${p.amount}</singoloImportoPagato>
    <codiceEsitoSingoloPagamento>${p.esito ?? 0}</codiceEsitoSingoloPagamento>
    <dataEsitoSingoloPagamento>${p.date ?? "2021-03-14"}</dataEsitoSingoloPagamento>
  </datiSingoliPagamenti>`,
    )
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?>
<FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">
  <versioneOggetto>1.0</versioneOggetto>
  <identificativoFlusso>${id}</identificativoFlusso>
  <dataOraFlusso>2021-03-15T10:00:00</dataOraFlusso>
  <identificativoUnivocoRegolamento>Bonifico SEPA-03069-A0001</identificativoUnivocoRegolamento>
  <dataRegolamento>2021-03-15</dataRegolamento>
  <istitutoMittente>
    <identificativoUnivocoMittente>
      <tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco>
      <codiceIdentificativoUnivoco>BCITITMM</codiceIdentificativoUnivoco>
    </identificativoUnivocoMittente>
    <denominazioneMittente>Intesa Sanpaolo</denominazioneMittente>
  </istitutoMittente>
  <istitutoRicevente>
    <identificativoUnivocoRicevente>
      <tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco>
      <codiceIdentificativoUnivoco>${receiver}</codiceIdentificativoUnivoco>
    </identificativoUnivocoRicevente>
    <denominazioneRicevente>Provincia di Brescia</denominazioneRicevente>
  </istitutoRicevente>
  <numeroTotalePagamenti>${count ?? payments.length}</numeroTotalePagamenti>
  <importoTotalePagamenti>${total ?? sumMoney(payments.map((p) => p.amount))}</importoTotalePagamenti>${rows}
</FlussoRiversamento>
`;
}

/** Asserts that every number in `value` is a count (by its key) and every amount a decimal string. */
function assertMoneyStrings(value, what) {
  const counts = new Set(["year", "index", "position", "count", "seq"]);
  for (const path of numbers(value)) {
    const key = path.split(".").pop().replace(/\[\d+\]/g, "");
    assert.ok(counts.has(key), `${what}: ${path} is a JS number`);
  }
  const walk = (v, path) => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`));
    if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        const p = path ? `${path}.${k}` : k;
        if (["amount", "total", "expected", "paid", "outstanding", "charged", "credit"].includes(k) && x !== null) {
          assert.equal(typeof x, "string", `${what}: ${p} should be a decimal string`);
          assert.match(x, /^-?\d+\.\d\d$/, `${what}: ${p} = ${x}`);
        }
        walk(x, p);
      }
    }
  };
  walk(value, "");
}

test("R-NOTICE: noticeNumber and iuv as the specification computes them", () => {
  assert.equal(noticeNumber("07", "0000000012345"), "307000000001234573");
  assert.equal(iuv("07", "0000000012345"), "07000000001234573");
  // A check below 10 is zero-padded: 3000000000000001 mod 93 = 4.
  assert.equal(noticeNumber("00", "0000000000001"), "300000000000000104");
  assert.equal(validNoticeNumber("307000000001234573"), true);
  assert.equal(validIuv("07000000001234573"), true);
  assert.equal(validIuv("07000000001234574"), false);
  assert.equal(validNoticeNumber("07000000001234573"), false);
  assert.equal(validNoticeNumber("207000000001234573"), false);
  for (const bad of ["50", "99", "7", "007", "a1", ""]) {
    const e = thrown(() => noticeNumber(bad, "0000000012345"));
    assert.deepEqual([e.name, e.code, e.path], ["CitError", "invalid_value", "segregation_code"], bad);
    assert.equal(thrown(() => iuv(bad, "0000000012345")).path, "segregation_code");
  }
  for (const bad of ["000000001234", "00000000123456", "000000001234x"]) {
    const e = thrown(() => iuv("07", bad));
    assert.deepEqual([e.code, e.path], ["invalid_value", "base"], bad);
  }
});

test("R-NOTICE: validCodiceFiscale checks the 11 digits and the check digit", () => {
  assert.equal(validCodiceFiscale("80008750178"), true); // Provincia di Brescia
  for (const ok of ["00761890177", "01199250158", ...Object.values(CF)]) assert.equal(validCodiceFiscale(ok), true, ok);
  for (const bad of ["80008750179", "8000875017", "800087501780", "8000875017A", "", " 80008750178"]) {
    assert.equal(validCodiceFiscale(bad), false, bad);
  }
});

test("R-NOTICE: an ente's codice fiscale is checked, and a notice needs a creditor and each payer's", () => {
  const bad = thrown(() =>
    new Registry().apply({ type: "ente_registered", ente: { id: "p", name: "P", kind: "provincia", codice_fiscale: "80008750179" } }),
  );
  assert.equal(bad.name, "CitError");
  assert.ok(bad.problems.some((p) => p.path === "codice_fiscale"), JSON.stringify(bad.problems));
  const cit = billed();
  assert.equal(cit.creditor(), null);
  assert.deepEqual(cit.debtPositions(2021), []);
  const notices = { type: "notices_issued", year: 2021, date: "2021-03-02" };
  let e = thrown(() => cit.apply(notices));
  assert.deepEqual([e.code, e.path], ["invalid_value", "creditor"]);
  const flow = flowXml([{ iuv: iuv("07", "0000000000001"), iur: "IUR-A", amount: "360.00" }]);
  e = thrown(() => cit.reconcileFlow(flow));
  assert.deepEqual([e.name, e.code, e.path], ["CitError", "invalid_value", "creditor"]);
  assert.equal(cit.apply({ type: "creditor_registered", creditor: CREDITOR }).outcome, "recorded");
  assert.deepEqual(cit.creditor(), CREDITOR);
  assert.deepEqual(cit.apply({ type: "creditor_registered", creditor: CREDITOR }), { outcome: "unchanged" });
  // Adro has no codice fiscale: the whole issue is refused, naming it; then the Unione.
  e = thrown(() => cit.apply(notices));
  assert.deepEqual([e.code, e.path], ["invalid_value", "enti.017002.codice_fiscale"]);
  assert.match(e.message, /Adro/);
  assert.deepEqual(cit.notices(2021), []);
  e = thrown(() => cit.apply({ type: "codice_fiscale_recorded", ente: "017002", codice_fiscale: "00413360174" }));
  assert.equal(e.code, "invalid_value");
  cit.apply({ type: "codice_fiscale_recorded", ente: "017002", codice_fiscale: CF["017002"] });
  e = thrown(() => cit.apply(notices));
  assert.deepEqual([e.code, e.path], ["invalid_value", "enti.U1.codice_fiscale"]);
  cit.apply({ type: "codice_fiscale_recorded", ente: "U1", codice_fiscale: CF.U1 });
  assert.equal(cit.apply(notices).outcome, "recorded");
  assert.equal(cit.notices(2021).length, 3);
});

test("R-NOTICE: every open share gets one numero avviso, once, money as strings", () => {
  const cit = issued();
  const notices = cit.notices(2021);
  assert.deepEqual(
    notices.map((n) => [n.charge, n.payer, n.amount]).sort(),
    [["Q2021-017001", "017001", "360.00"], ["Q2021-017002", "017002", "837.00"], ["Q2021-U1", "U1", "300.00"]],
  );
  notices.forEach((n, k) => {
    assert.equal(Object.getPrototypeOf(n), Object.prototype);
    assert.equal(n.notice_number, noticeNumber("07", String(k + 1).padStart(13, "0")));
    assert.equal(n.iuv, n.notice_number.slice(1));
    assert.ok(validNoticeNumber(n.notice_number) && validIuv(n.iuv));
    assert.equal(typeof n.amount, "string");
    assert.deepEqual([n.codice_fiscale, n.due, n.issued, n.year, n.status], [CF[n.payer], "2021-04-30", "2021-03-02", 2021, "open"]);
    assert.deepEqual(cit.notice(n.iuv), n);
  });
  assert.deepEqual(Object.keys(notices[0]).sort(), [
    "amount", "charge", "codice_fiscale", "due", "issued", "iuv", "notice_number", "payer", "payer_name", "status", "year",
  ]);
  assertMoneyStrings(notices, "notices");
  assert.equal(cit.notice("07000000000009999"), undefined);
  assert.deepEqual(cit.notices(2022), []);
  // Issued once: again, nothing; after a replay, the very same numbers.
  assert.deepEqual(cit.apply({ type: "notices_issued", year: 2021, date: "2021-03-03" }), { outcome: "unchanged" });
  assert.deepEqual(Registry.fromJson(cit.toJson()).notices(2021), notices);
  assert.equal(thrown(() => cit.notices("duemila")).path, "year");
});

test("R-NOTICE: debtPositions are GPD's JSON objects, addressed to the payer, in cents", () => {
  const cit = issued();
  const positions = cit.debtPositions(2021);
  const notices = cit.notices(2021);
  assert.equal(positions.length, 3);
  positions.forEach((p, k) => {
    const n = notices[k];
    assert.deepEqual(Object.keys(p), ["iupd", "type", "fiscalCode", "fullName", "companyName", "switchToExpired", "paymentOption"]);
    assert.deepEqual(
      [p.iupd, p.type, p.fiscalCode, p.fullName, p.companyName, p.switchToExpired],
      [`CIT-${n.iuv}`, "G", n.codice_fiscale, n.payer_name, "Provincia di Brescia", false],
    );
    const [option] = p.paymentOption;
    assert.deepEqual(Object.keys(option), ["iuv", "amount", "description", "isPartialPayment", "dueDate", "fee", "transfer"]);
    // GPD counts euro cents, as whole numbers: the one place amounts are JS numbers.
    assert.equal(option.amount, Number(n.amount.replace(".", "")));
    assert.ok(Number.isInteger(option.amount));
    assert.deepEqual([option.iuv, option.isPartialPayment, option.dueDate, option.fee], [n.iuv, false, "2021-04-30T23:59:59", 0]);
    assert.ok(option.description.length <= 140);
    const [transfer] = option.transfer;
    assert.deepEqual(Object.keys(transfer), ["idTransfer", "amount", "organizationFiscalCode", "remittanceInformation", "category", "iban"]);
    assert.deepEqual(
      [transfer.idTransfer, transfer.amount, transfer.organizationFiscalCode, transfer.category, transfer.iban],
      ["1", option.amount, "80008750178", "9/0101002IM/", CREDITOR.iban],
    );
    assert.equal(transfer.remittanceInformation, `Quota di adesione 2021 ${n.charge}`);
  });
});

test("R-NOTICE: noticesCsv is the office's CSV, a line per notice", () => {
  const cit = issued();
  const csv = cit.noticesCsv(2021);
  const lines = csv.trimEnd().split("\n");
  assert.equal(lines[0], "pagatore;denominazione;codice_fiscale;numero_avviso;importo;scadenza;addebito;stato");
  assert.equal(lines.length, 4);
  const adro = noticeOf(cit, "017002");
  assert.ok(lines.includes(`017002;Adro;${CF["017002"]};${adro.notice_number};837,00;30/04/2021;Q2021-017002;open`), csv);
  assert.equal(new Registry().noticesCsv(2021), `${lines[0]}\n`);
});

test("R-RECONCILE: readFlow gives the Flow object, money as strings", () => {
  const flow = readFlow(read("cit-core/fuzz/corpus/flow/seed-0"));
  assert.deepEqual(flow, {
    version: "1.0",
    id: "2021-07-27SELBIT2B-S003014897",
    date_time: "2021-07-27T12:00:07",
    regulation: "Bonifico SEPA-03268-A0EDT",
    regulation_date: "2021-07-27",
    sender: { id_type: "B", code: "SELBIT2B", name: "Banca Sella" },
    bic: "SELBIT2B",
    receiver: { id_type: "G", code: "77777777777", name: "COMUNE DI MILANO" },
    count: 3,
    total: "60.00",
    payments: [
      {
        iuv: "02030267565002997",
        iur: "63e54a6b51694167ad30dafa0cb3a3c7",
        index: 2,
        amount: "20.00",
        outcome: "paid",
        date: "2021-07-26",
      },
    ],
  });
  assert.equal(typeof flow.total, "string");
  assert.equal(typeof flow.payments[0].amount, "string");
  const revoked = readFlow(flowXml([{ iuv: iuv("07", "0000000000001"), iur: "X", amount: "-0.50", esito: 3 }]));
  assert.deepEqual([revoked.payments[0].amount, revoked.payments[0].outcome, revoked.total, revoked.bic], ["-0.50", "revoked", "-0.50", null]);
  assertMoneyStrings(revoked, "flow");
});

test("R-RECONCILE: a flow is booked by its events, once; the rest is reported; a revocation reverses", () => {
  const cit = issued();
  const [acquafredda, adro, unione] = ["017001", "017002", "U1"].map((p) => noticeOf(cit, p));
  const unknown = iuv("07", "0000000000099");
  const xml = flowXml([
    { iuv: acquafredda.iuv, iur: "IUR-A", amount: "360.00" },
    { iuv: adro.iuv, iur: "IUR-B", amount: "837.00", esito: 9 }, // paid without a receipt
    { iuv: unione.iuv, iur: "IUR-C", amount: "299.99" }, // a cent short
    { iuv: unknown, iur: "IUR-D", amount: "50.00" },
  ]);
  const report = cit.reconcileFlow(xml);
  assert.deepEqual(Object.keys(report), ["flow", "accepted", "matched", "mismatched", "unknown", "already_recorded", "problems", "events"]);
  assert.deepEqual(report.flow, {
    id: "2021-03-15ABI03069-S0000001",
    date_time: "2021-03-15T10:00:00",
    regulation: "Bonifico SEPA-03069-A0001",
    regulation_date: "2021-03-15",
    sender: "BCITITMM",
    receiver: "80008750178",
    count: 4,
    total: "1546.99",
  });
  assert.equal(report.accepted, true);
  assert.deepEqual(report.matched.map((l) => l.iuv), [acquafredda.iuv, adro.iuv]);
  assert.deepEqual(report.mismatched.map((l) => [l.iuv, l.amount, l.expected]), [[unione.iuv, "299.99", "300.00"]]);
  assert.deepEqual(report.unknown.map((l) => [l.position, l.iuv, l.charge, l.payer, l.expected, l.payment]), [[4, unknown, null, null, null, null]]);
  assert.deepEqual([report.already_recorded, report.problems], [[], []]);
  assert.deepEqual(report.matched[0], {
    position: 1,
    iuv: acquafredda.iuv,
    iur: "IUR-A",
    index: 1,
    amount: "360.00",
    outcome: "paid",
    date: "2021-03-14",
    charge: "Q2021-017001",
    payer: "017001",
    expected: "360.00",
    payment: `PA-${acquafredda.iuv}-IUR-A-1`,
  });
  assert.equal(report.matched[1].outcome, "paid_without_receipt");
  assertMoneyStrings(report, "reconciliation");
  assert.deepEqual(report.events[0], {
    type: "payment_received",
    payment: `PA-${acquafredda.iuv}-IUR-A-1`,
    payer: "017001",
    date: "2021-03-14",
    amount: "360.00",
    charge: "Q2021-017001",
    channel: { kind: "pagopa", iuv: acquafredda.iuv, iur: "IUR-A", index: 1, flow: "2021-03-15ABI03069-S0000001" },
  });
  assert.equal(report.events.length, 2);
  // Nothing is booked until the events are applied; each is applied as it is.
  assert.equal(cit.balance("017001", END).paid, "0.00");
  const version = cit.version;
  assert.deepEqual(report.events.map((e) => cit.apply(e)), [
    { outcome: "recorded", seq: version },
    { outcome: "recorded", seq: version + 1 },
  ]);
  assert.equal(cit.balance("017001", END).outstanding, "0.00");
  const adroBalance = cit.balance("017002", END);
  assert.deepEqual([adroBalance.paid, adroBalance.outstanding], ["837.00", "0.00"]);
  assert.equal(typeof adroBalance.paid, "string");
  assert.deepEqual(cit.notices(2021).map((n) => [n.payer, n.status]).sort(), [["017001", "paid"], ["017002", "paid"], ["U1", "open"]]);
  assert.deepEqual(cit.debtPositions(2021).map((p) => p.fiscalCode), [CF.U1]);
  const payment = cit.payments().find((p) => p.id === report.events[0].payment);
  assert.deepEqual(payment.channel, report.events[0].channel);
  // The same flow again books nothing: every matched payment is already recorded.
  const again = cit.reconcileFlow(xml);
  assert.deepEqual([again.events, again.matched], [[], []]);
  assert.deepEqual(again.already_recorded.map((l) => l.iuv), [acquafredda.iuv, adro.iuv]);
  // Applying the events a second time is a retry: nothing changes.
  const before = cit.toJson();
  assert.deepEqual(cit.applyAll(report.events).map((a) => a.outcome), ["already_recorded", "already_recorded"]);
  assert.equal(cit.toJson(), before);
  // A later flow revokes Adro's payment: reversed, the share open again.
  const revocation = flowXml([{ iuv: adro.iuv, iur: "IUR-B", amount: "-837.00", esito: 3 }], { id: "2021-03-20ABI03069-S0000002" });
  const reversal = cit.reconcileFlow(revocation);
  assert.equal(reversal.matched.length, 1);
  assert.deepEqual(reversal.events, [
    {
      type: "payment_reversed",
      id: `PA-${adro.iuv}-IUR-B-1:revoca`,
      payment: `PA-${adro.iuv}-IUR-B-1`,
      date: "2021-03-14",
      reason: "Pagamento revocato (esito 3) nel flusso di rendicontazione 2021-03-20ABI03069-S0000002",
    },
  ]);
  cit.applyAll(reversal.events);
  const reopened = cit.balance("017002", END);
  assert.deepEqual([reopened.paid, reopened.outstanding], ["0.00", "837.00"]);
  assert.equal(noticeOf(cit, "017002").status, "open");
  assert.equal(cit.reconcileFlow(revocation).already_recorded.length, 1);
  assert.deepEqual(cit.reconcileFlow(revocation).events, []);
  // The journal replays to the same books.
  const replayed = Registry.fromJson(cit.toJson());
  assert.deepEqual(replayed.balances(END), cit.balances(END));
  assert.deepEqual(replayed.notices(2021), cit.notices(2021));
});

test("R-RECONCILE: a flow whose totals do not add up, or for another body, gives no events", () => {
  const cit = issued();
  const acquafredda = noticeOf(cit, "017001");
  const payments = [{ iuv: acquafredda.iuv, iur: "IUR-A", amount: "360.00" }];
  const report = cit.reconcileFlow(flowXml(payments, { count: 2, total: "360.01" }));
  assert.equal(report.accepted, false);
  assert.deepEqual(report.events, []);
  assert.equal(report.matched.length, 1, "what matched is still shown");
  assert.deepEqual(report.problems.map((p) => p.path), [
    "FlussoRiversamento/numeroTotalePagamenti",
    "FlussoRiversamento/importoTotalePagamenti",
  ]);
  assert.deepEqual(report.problems.map((p) => p.found), ["2", "360.01"]);
  assert.deepEqual(Object.keys(report.problems[0]).sort(), ["expected", "found", "path"]);
  const other = cit.reconcileFlow(flowXml(payments, { receiver: "00761890177" }));
  assert.deepEqual([other.accepted, other.events], [false, []]);
  assert.match(other.problems[0].path, /codiceIdentificativoUnivoco$/);
  assert.equal(cit.balance("017001", END).paid, "0.00");
});

test("R-RECONCILE: a flow that cannot be read throws a malformed CitError at the element", () => {
  const cit = issued();
  const good = flowXml([{ iuv: noticeOf(cit, "017001").iuv, iur: "IUR-A", amount: "360.00" }]);
  assert.equal(readFlow(good).payments.length, 1);
  const cases = [
    // Three decimals.
    [good.replace("<singoloImportoPagato>360.00", "<singoloImportoPagato>360.001"),
      "FlussoRiversamento/datiSingoliPagamenti[1]/singoloImportoPagato", /at most two decimals.*360\.001/],
    [good.replace("<importoTotalePagamenti>360.00", "<importoTotalePagamenti>360.000"),
      "FlussoRiversamento/importoTotalePagamenti", /at most two decimals/],
    // The wrong namespace, and none.
    [good.replace("schemas/2011/Pagamenti/", "schemas/2012/Pagamenti/"), ".", /2012\/Pagamenti/],
    [good.replace(' xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/"', ""), ".", /in no namespace/],
    // Not well-formed XML; cut short; a missing element.
    [good.replace("<versioneOggetto>1.0", "<versioneOggetto>1 & 0"), "FlussoRiversamento/versioneOggetto", /byte/],
    [good.slice(0, good.indexOf("<numeroTotale")), "FlussoRiversamento", /end of the document/],
    [good.replace("<dataRegolamento>2021-03-15</dataRegolamento>", ""), "FlussoRiversamento/dataRegolamento", /found none/],
    ["", ".", /./],
  ];
  for (const [xml, path, message] of cases) {
    for (const read of [() => readFlow(xml), () => cit.reconcileFlow(xml)]) {
      const e = thrown(read);
      assert.ok(e instanceof Error);
      assert.deepEqual([e.name, e.code, e.path], ["CitError", "malformed", path], e.message);
      assert.match(e.message, message);
    }
  }
  for (const notText of [undefined, 42, {}]) assert.throws(() => readFlow(notText));
});

test("R-NOTICE, R-RECONCILE: the declarations name the pagoPA types", () => {
  const dts = readFileSync(new URL("../pkg/cit_wasm.d.ts", import.meta.url), "utf8");
  for (const signature of [
    "export function noticeNumber(segregationCode: string, base: string): string;",
    "export function iuv(segregationCode: string, base: string): string;",
    "export function validCodiceFiscale(code: string): boolean;",
    "export function validIuv(iuv: string): boolean;",
    "export function validNoticeNumber(number: string): boolean;",
    "export function readFlow(xml: string): Flow;",
    "creditor(): Creditor | null;",
    "notices(year: number): Notice[];",
    "notice(iuv: string): Notice | undefined;",
    "debtPositions(year: number): DebtPosition[];",
    "noticesCsv(year: number): string;",
    "reconcileFlow(xml: string): Reconciliation;",
  ]) {
    assert.ok(dts.includes(signature), signature);
  }
  for (const type of ["Notice", "DebtPosition", "Reconciliation", "FlowLine", "Flow", "Creditor"]) {
    assert.match(dts, new RegExp(`export interface ${type} \\{`), type);
  }
  for (const event of ["creditor_registered", "codice_fiscale_recorded", "notices_issued"]) {
    assert.ok(dts.includes(`type: "${event}"`), event);
  }
  // As the schema says: optional, and null where the document may say null.
  assert.match(dts, /channel\?: Channel \| null;/);
  assert.match(dts, /codice_fiscale\?: string \| null;/);
});
