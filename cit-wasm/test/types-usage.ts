// The declared API (src/types.d.ts and wasm-bindgen's declarations, as pkg/cit_wasm.d.ts
// ships them) used as a TypeScript user would: `make wasm-test` type-checks this file with
// `tsc --noEmit --strict` (it is never run; `node --test` runs only the .mjs files). Each
// annotation says what the declarations promise; each `@ts-expect-error` a misuse they must
// refuse, so that a declaration widened to `any` fails here too.
import {
  Board,
  Registry,
  Tariff,
  breakEven,
  candidates,
  errorCodes,
  formatEuro,
  iuv,
  noticeNumber,
  readFlow,
  rules,
  simulate,
  sumMoney,
  validCodiceFiscale,
  validIuv,
  validNoticeNumber,
  version,
  yearly,
} from "cit-wasm";
import type {
  Applied,
  Balance,
  BoardKind,
  BreakEven,
  Candidate,
  Charge,
  CitError,
  Creditor,
  DebtPosition,
  Decision,
  Ente,
  EnteKind,
  ErrorCode,
  Flow,
  FlowLine,
  LintWarning,
  MoneyString,
  Notice,
  Payment,
  Period,
  Quote,
  QuorumCheck,
  Reconciliation,
  RegistryEvent,
  RenewalItem,
  RuleId,
  ServiceQuote,
  Simulation,
  TariffDocument,
  YearlyReport,
} from "cit-wasm";
import * as quota from "cit-wasm/quota";

declare const tariffText: string;
declare const boardText: string;
declare const flowXml: string;

// ---- Tariffs and quotes: money is a string, never a number.
const tariff: Tariff = Tariff.fromJson(tariffText);
const brescia: Ente = {
  id: "017029",
  name: "Brescia",
  kind: "comune",
  abitanti: 189902,
  imprese: 21500,
  counts_as_of: "2013-12-31",
};
const q: Quote = tariff.quote(brescia, 2016);
const total: MoneyString = q.total;
const rule: RuleId = q.lines[0].rule;
const fromText: Quote = tariff.quote(JSON.stringify(brescia), 2016, "2016-07-01");
const many: Quote[] = tariff.quoteMany([brescia], 2016);
const totals: string[] = tariff.quoteTotals(new Uint32Array([189902]), [21500], 2016);
const period: Period = tariff.period;
const doc: TariffDocument = tariff.document();
const warnings: LintWarning[] = tariff.lint();
const adoption: string | undefined = tariff.adoption;
const kind: EnteKind = "comunita_montana";
// @ts-expect-error: not a kind of ente
const notAKind: EnteKind = "comunità_montana";
// @ts-expect-error: money is a decimal string, never a number
const asNumber: number = q.total;
// @ts-expect-error: counts are numbers
tariff.quote({ ...brescia, abitanti: "189902" }, 2016);
const service: ServiceQuote = tariff.priceService(brescia, "PEC", 2, { standing: "non_member" }, "2016-03-01");
const member: ServiceQuote = tariff.priceService(
  "017029",
  "PEC",
  1,
  { standing: "member", membership: "M-1", from: "2016-01-01", to: "2018-12-31" },
  "2016-03-01",
);
const price: "included" | "member" | "list" = member.price;

// ---- Governance.
const board: Board = Board.fromJson(boardText);
const boardKind: BoardKind = board.kind;
const sittings: string[] = board.meetings();
const roll: QuorumCheck = board.rollCall(sittings[0]);
const decision: Decision = board.decide(sittings[0], "m1");
const passed: boolean = decision.passed;
const outcome: "passed" | "no_quorum" | "tie" | "rejected" = decision.outcome;
const words: string = decision.verdict + decision.sentence + roll.sentence;
const citation: string = board.adoptionCitation(sittings[0], "m1");
const adopted: Tariff = tariff.adopt(board, sittings[0], "m1");
const report: YearlyReport = yearly([board, boardText], 2015, 2016);
// @ts-expect-error: not a kind of board
const notABoard: BoardKind = "plenario";

// ---- Registry (R-JOIN … R-JOURNAL).
const registry = new Registry();
const events: RegistryEvent[] = [
  { type: "tariff_adopted", tariff: doc },
  { type: "ente_registered", ente: brescia },
  { type: "membership_requested", membership: "M-1", ente: "017029", date: "2016-01-10" },
  { type: "payment_received", payment: "P-1", payer: "017029", date: "2016-04-01", amount: "100.00" },
];
const applied: Applied[] = registry.applyAll(events, registry.version);
const one: Applied = registry.apply(JSON.stringify(events[0]));
if (one.outcome !== "unchanged") {
  const seq: number = one.seq;
}
// @ts-expect-error: an event needs its `type`
registry.apply({ membership: "M-1" });
const billed: string[] = registry.billingRun(2016, "2016-03-01", "2016-04-30");
const balance: Balance = registry.balance("017029", "2016-12-31");
const balances: Balance[] = registry.balances("2016-12-31");
const charge: Charge | undefined = registry.charge(billed[0]);
const charges: Charge[] = registry.charges();
const payments: Payment[] = registry.payments();
const enti: Ente[] = registry.enti();
const journal: RegistryEvent[] = registry.events();
const renewals: RenewalItem[] = registry.renewalCampaign(2017);
const priced: ServiceQuote = registry.priceService("017029", "PEC", 1, "2016-03-01");
const copy: Registry = Registry.fromJson(registry.toJson());

// ---- pagoPA (R-NOTICE, R-RECONCILE).
const creditor: Creditor = {
  codice_fiscale: "80008750178",
  name: "Provincia di Brescia",
  segregation_code: "07",
  iban: "IT60X0542811101000000123456",
  category: "9/0101002IM/",
  categories: { servizio: "9/0101108TS/" },
};
registry.apply({ type: "creditor_registered", creditor });
registry.apply({ type: "codice_fiscale_recorded", ente: "017029", codice_fiscale: "00761890177" });
registry.apply({ type: "notices_issued", year: 2016, date: "2016-03-01" });
const registered: Creditor | null = registry.creditor();
const notices: Notice[] = registry.notices(2016);
const status: "open" | "paid" | "withdrawn" = notices[0].status;
const notice: Notice | undefined = registry.notice(notices[0].iuv);
const positions: DebtPosition[] = registry.debtPositions(2016);
const cents: number = positions[0].paymentOption[0].transfer[0].amount;
const csv: string = registry.noticesCsv(2016);
const flow: Flow = readFlow(flowXml);
const flowTotal: MoneyString = flow.total;
const reconciliation: Reconciliation = registry.reconcileFlow(flowXml);
const matched: FlowLine[] = reconciliation.matched;
const toBook: Applied[] = registry.applyAll(reconciliation.events);
const channel = payments[0].channel;
// The schema makes `channel` optional as well as nullable (`channel?: Channel | null`).
if (channel != null && channel.kind === "pagopa") {
  const iur: string = channel.iur;
}
const avviso: string = noticeNumber("07", "0000000000001");
const code: string = iuv("07", "0000000000001");
const checks: boolean = validCodiceFiscale("80008750178") && validIuv(code) && validNoticeNumber(avviso);

// ---- Analysis (R-COST, R-SIM).
const even: BreakEven = breakEven({ setup: "150000.00", amortisation_years: 5, running: "45000.00" }, { enti: 60 });
// @ts-expect-error: money is a decimal string, never a number
breakEven({ setup: 150000, amortisation_years: 5, running: "45000.00" }, { enti: 60 });
const pool: Candidate[] = candidates(tariff, [brescia], ["0.5"], 2016);
const summary: Simulation = simulate(pool, { runs: 1000, seed: "42", cost: "75000.00" });
const seed: string = summary.seed;

// ---- Errors, codes, the rest.
const codes: ErrorCode[] = errorCodes();
const ids: RuleId[] = rules();
const euro: string = formatEuro(sumMoney(["1.10", "2.20"]));
const v: string = version();
try {
  Tariff.fromJson("{}");
} catch (e) {
  const err = e as CitError;
  const errCode: ErrorCode = err.code;
  const path: string | null = err.path;
  if (err.code === "version_conflict") {
    const expected: number | undefined = err.expected;
  }
  // @ts-expect-error: not a code of the core
  const notACode: ErrorCode = "wrong_type";
}

// ---- The quota-only build: the calculator's API, the same types.
const small: quota.Tariff = quota.Tariff.fromJson(tariffText);
const smallQuote: quota.Quote = small.quote(brescia, 2016);
const smallCodes: quota.ErrorCode[] = quota.errorCodes();
const smallEuro: string = quota.formatEuro(quota.sumMoney([smallQuote.total]));
