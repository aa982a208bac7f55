
// ---- Domain types of cit (the documents of the README). Money is always a decimal string ("28485.30"),
// ---- never a number; dates are ISO strings ("2016-01-01").

/** An amount in euro as a decimal string with two decimals, e.g. `"28485.30"`, `"-9997.06"`. */
export type MoneyString = string;
/** An exact decimal as a string, e.g. `"0.15"` (rates, fractions, means). */
export type DecimalString = string;
/** An ISO date `YYYY-MM-DD`. */
export type IsoDate = string;

/** Every `code` a thrown {@link CitError} can carry (the core's `Error::CODES`). */
export type ErrorCode =
  | "malformed"
  | "invalid"
  | "invalid_value"
  | "missing_count"
  | "counts_date_mismatch"
  | "year_outside_period"
  | "kind_not_priced"
  | "overflow"
  | "adoption_refused"
  | "illegal_transition"
  | "not_a_member"
  | "unknown_service"
  | "unknown_ente"
  | "unknown_entry"
  | "duplicate_event"
  | "no_tariff_on"
  | "tariff_overlap"
  | "version_conflict";

/** One problem of an invalid document. */
export interface Problem {
  path: string;
  expected: string;
  found: string;
}

/** What every function throws: a JS `Error` named `"CitError"` with the core's code. */
export interface CitError extends Error {
  name: "CitError";
  code: ErrorCode;
  /** The JSON path (or argument) the error is about, `null` when there is none. */
  path: string | null;
  /** For `code === "invalid"`: every problem found. */
  problems?: Problem[];
  /** For `code === "version_conflict"`: the version the append expected (R-JOURNAL). */
  expected?: number;
  /** For `code === "version_conflict"`: the version the journal is at. */
  actual?: number;
}

/** A rule id of RULES.md, cited by every quote line. */
export type RuleId =
  | "R-FIX" | "R-CAP" | "R-BAND" | "R-CEIL" | "R-MINMAX" | "R-PERIOD" | "R-ROUND"
  | "R-ORDER" | "R-PRORATA" | "R-PAYER" | "R-TIER" | "R-BILL" | "R-PRICE"
  | "R-MEMBERS-ONLY" | "R-ENTITLE" | "R-JOIN" | "R-ACT" | "R-RENEW" | "R-CANCEL"
  | "R-RUN" | "R-LEDGER" | "R-JOURNAL" | "R-QUORUM" | "R-MAJORITY" | "R-YEARLY" | "R-ADOPT"
  | "R-COST" | "R-SAVING" | "R-SIM" | "R-SMALL" | "R-NOTICE" | "R-RECONCILE";

export type EnteKind =
  | "comune"
  | "unione"
  | "comunita_montana"
  | "provincia"
  | "citta_metropolitana"
  | "altro";

/** A public body (the README's "The ente and quote documents"). Counts are whole numbers. */
export interface Ente {
  id: string;
  name: string;
  kind: EnteKind;
  abitanti?: number;
  imprese?: number;
  counts_as_of?: IsoDate;
  /** Its codice fiscale (11 digits with the right check digit): needed on a pagoPA notice (R-NOTICE). */
  codice_fiscale?: string;
}

/** One line of a quote: the rule applied, the Italian label, the amount. */
export interface QuoteLine {
  rule: RuleId;
  label: string;
  amount: MoneyString;
}

/** An itemised quota (the README's "The ente and quote documents"); `total` is the sum of the lines. */
export interface Quote {
  ente: string;
  tariff: string;
  year: number;
  lines: QuoteLine[];
  total: MoneyString;
  /** The citation of the deliberation that adopted the tariff, if any. */
  adoption?: string;
}

export interface Period {
  from: IsoDate;
  to: IsoDate;
}

export interface Band {
  /** Inclusive upper bound; `null` for the last, open band. */
  up_to: number | null;
  discount: DecimalString;
}

export interface ComuneTariff {
  per_abitante: DecimalString;
  per_impresa: DecimalString;
  bands?: Band[];
  band_mode?: "volume" | "graduated";
  minimum?: MoneyString;
  maximum?: MoneyString;
  ceiling?: { per_abitante: DecimalString; per_impresa: DecimalString };
}

export interface MembershipTariff {
  comune: ComuneTariff;
  fixed: Partial<Record<Exclude<EnteKind, "comune">, MoneyString>>;
  proration: "full_year" | "monthly";
}

export type Price =
  | { basis: "flat"; amount: MoneyString }
  | { basis: "per_unit"; amount: MoneyString; unit: string }
  | { basis: "per_abitante"; rate: DecimalString; minimum?: MoneyString; maximum?: MoneyString }
  | { basis: "by_band"; bands: { up_to: number | null; amount: MoneyString }[] };

export interface Allowance {
  what: string;
  unit: string;
  bands: { up_to: number | null; included: DecimalString }[];
  beyond: MoneyString;
}

/** A service of the catalogue (R-TIER … R-ENTITLE). */
export interface Service {
  code: string;
  name: string;
  tier: "base" | "premium";
  billing: "una_tantum" | "canone";
  renewal: "confirm" | "tacit";
  list_price: Price;
  member_price?: Price;
  member_discount?: DecimalString;
  members_only: boolean;
  allowance?: Allowance;
}

export interface Tally {
  members: number;
  present: number;
  yes: number;
  no: number;
  abstain: number;
  blank: number;
}

/** The deliberation that adopted a tariff (R-ADOPT). */
export interface Adoption {
  board: string;
  meeting: IsoDate;
  motion: string;
  delibera?: string;
  title: string;
  majority: string;
  tally: Tally;
}

/** A tariff document (the README's "The tariff document"), as `Tariff.document()` returns it. */
export interface TariffDocument {
  id: string;
  name: string;
  period: Period;
  counts_as_of: IsoDate | "previous_year_end";
  membership: MembershipTariff;
  adoption?: Adoption;
  services?: Service[];
}

/** Whether an ente is a member on the date priced (R-JOIN). */
export type Standing =
  | { standing: "member"; membership: string; from: IsoDate; to: IsoDate }
  | { standing: "non_member" };

/** The price of a service for an ente on a date, and which price applied (R-TIER). */
export interface ServiceQuote {
  quote: Quote;
  service: string;
  date: IsoDate;
  price: "included" | "member" | "list";
  reason: string;
}

/** A finding of the tariff linter. */
export interface LintWarning {
  code: "band_cliff" | "minimum_unreachable" | "discount_full" | "rate_precision";
  path: string;
  message: string;
}

// ---- Registry (R-JOIN … R-LEDGER)

export interface Delibera {
  number: string;
  date: IsoDate;
  organ: string;
}

export type CapofilaShare =
  | { kind: "all" }
  | { kind: "percent"; percent: DecimalString }
  | { kind: "fixed"; amount: MoneyString };

/** An event of the registry's journal, tagged by `type`. */
export type RegistryEvent =
  | { type: "tariff_adopted"; tariff: TariffDocument }
  | { type: "ente_registered"; ente: Ente }
  | { type: "membership_requested"; membership: string; ente: string; date: IsoDate }
  | { type: "membership_approved"; membership: string; delibera: Delibera }
  | { type: "unione_approved"; unione: string; delibera: Delibera; memberships: string[] }
  | { type: "convention_signed"; membership: string; date: IsoDate; from?: IsoDate; to: IsoDate }
  | { type: "membership_withdrawn"; membership: string; date: IsoDate; reason: string }
  | { type: "membership_expired"; membership: string; date: IsoDate }
  | {
      type: "subscription_requested";
      subscription: string;
      ente: string;
      service: string;
      quantity: number;
      contact: string;
      people?: string[];
      date: IsoDate;
    }
  | { type: "subscription_activated"; subscription: string; date: IsoDate }
  | { type: "renewal_confirmed"; subscription: string; year: number; date: IsoDate }
  | { type: "renewal_declined"; subscription: string; year: number; date: IsoDate }
  | { type: "year_closed"; year: number }
  | {
      type: "subscription_cancelled";
      subscription: string;
      date: IsoDate;
      reason: string;
      conditions?: { label: string; amount: MoneyString }[];
    }
  | { type: "payer_agreed"; capofila: string; members: string[]; share: CapofilaShare; from_year: number }
  | { type: "billing_run"; year: number; issued: IsoDate; due: IsoDate }
  | {
      type: "payment_received";
      payment: string;
      payer: string;
      date: IsoDate;
      amount: MoneyString;
      charge?: string;
      /** How it was paid, if said (R-NOTICE, R-RECONCILE). */
      channel?: Channel;
    }
  | { type: "charge_reversed"; charge: string; date: IsoDate; reason: string }
  | { type: "payment_reversed"; id: string; payment: string; date: IsoDate; reason: string }
  | { type: "creditor_registered"; creditor: Creditor }
  | { type: "codice_fiscale_recorded"; ente: string; codice_fiscale: string }
  | { type: "notices_issued"; year: number; date: IsoDate };

/**
 * How a payment reached the creditor (R-NOTICE, R-RECONCILE): through pagoPA, as a flusso di
 * rendicontazione reports it (`registry.reconcileFlow` writes it), or by girofondo on the
 * Tesoreria Unica, with a causale that names the charge.
 */
export type Channel =
  | { kind: "pagopa"; iuv: string; iur: string; index: number; flow: string }
  | { kind: "tesoreria"; causale: string };

/**
 * What `registry.apply` did with an event (R-JOURNAL): `"recorded"` at position `seq` of the
 * journal (from 0; the version is then `seq + 1`); `"already_recorded"`, identical to the
 * event at `seq` (a retry: nothing changed); `"unchanged"`, accepted but not recorded (a
 * billing run of a year already billed, R-RUN), without `seq`.
 */
export type Applied =
  | { outcome: "recorded" | "already_recorded"; seq: number }
  | { outcome: "unchanged" };

export type ChargeKind = "quota" | "maggiorazione" | "servizio" | "disdetta" | "storno";

export interface PayerShare {
  payer: string;
  amount: MoneyString;
}

/** A charge of the ledger (R-RUN): kept with the price and explanation it was billed with. */
export interface Charge {
  id: string;
  ente: string;
  kind: ChargeKind;
  year: number;
  subscription: string | null;
  service: string | null;
  tariff: string | null;
  issued: IsoDate;
  due: IsoDate;
  lines: QuoteLine[];
  amount: MoneyString;
  explanation: string;
  shares: PayerShare[];
  reverses: string | null;
}

/** A payment (entrata), or the reversing entry of one (negative amount, R-LEDGER). */
export interface Payment {
  id: string;
  payer: string;
  date: IsoDate;
  amount: MoneyString;
  charge: string | null;
  /** How it was paid, if said (R-NOTICE, R-RECONCILE). */
  channel: Channel | null;
  /** For a reversing entry: the payment it reverses. */
  reverses: string | null;
  /** For a reversing entry: why. */
  reason: string | null;
}

/** The situazione contabile of an ente on a date (R-LEDGER). */
export interface Balance {
  ente: string;
  at: IsoDate;
  charged: MoneyString;
  paid: MoneyString;
  outstanding: MoneyString;
  credit: MoneyString;
  overdue: MoneyString;
}

export interface RenewalItem {
  subscription: string;
  ente: string;
  service: string;
  status: "pending" | "confirmed" | "declined" | "lapsed";
}

// ---- pagoPA (R-NOTICE, R-RECONCILE)

/** The creditor's profile for pagoPA (a `creditor_registered` event, R-NOTICE). */
export interface Creditor {
  /** Its codice fiscale: the `organizationFiscalCode` of every position and transfer. */
  codice_fiscale: string;
  /** Its name, as the notices print it. */
  name: string;
  /** Its codice di segregazione, `"00"` to `"49"`. */
  segregation_code: string;
  /** The IBAN its transfers are credited to. */
  iban: string;
  /** The pagoPA taxonomy code of its transfers (`"9/0101002IM/"`). */
  category: string;
  /** Another taxonomy code for some kinds of charge. */
  categories?: Partial<Record<ChargeKind, string>>;
}

/** A pagoPA payment notice for one payer's share of a charge, with its status now (R-NOTICE). */
export interface Notice {
  charge: string;
  payer: string;
  payer_name: string;
  codice_fiscale: string;
  /** The numero avviso, 18 digits. */
  notice_number: string;
  /** The IUV: the numero avviso without its aux digit, 17 digits. */
  iuv: string;
  /** What the notice asks: what was open of the share when it was issued. */
  amount: MoneyString;
  due: IsoDate;
  year: number;
  issued: IsoDate;
  status: "open" | "paid" | "withdrawn";
}

/** A transfer of a GPD payment option. Amounts in euro cents, as GPD counts them. */
export interface Transfer {
  idTransfer: string;
  /** Euro cents (GPD's unit), a whole number. */
  amount: number;
  organizationFiscalCode: string;
  remittanceInformation: string;
  category: string;
  iban: string;
}

/** A payment option of a GPD debt position. */
export interface PaymentOption {
  iuv: string;
  /** Euro cents (GPD's unit), a whole number. */
  amount: number;
  description: string;
  isPartialPayment: boolean;
  /** The due date at the end of the day, `"2026-04-30T23:59:59"`. */
  dueDate: string;
  /** Euro cents. */
  fee: number;
  transfer: Transfer[];
}

/**
 * A debt position of pagoPA's Gestione Posizioni Debitorie, exactly as the GPD API has it
 * (`PaymentPositionModel`, camelCase): one per open notice, addressed to the payer (R-NOTICE).
 */
export interface DebtPosition {
  iupd: string;
  type: "G";
  fiscalCode: string;
  fullName: string;
  companyName: string;
  switchToExpired: boolean;
  paymentOption: PaymentOption[];
}

/** What happened to a single payment of a flow (`codiceEsitoSingoloPagamento` 0, 3, 4, 8, 9). */
export type FlowOutcome = "paid" | "revoked" | "stand_in" | "stand_in_without_receipt" | "paid_without_receipt";

/** A sender or receiver of a flow (`istitutoMittente`, `istitutoRicevente`). */
export interface Institution {
  /** `"B"` a BIC, `"A"` an ABI code, `"G"` a fiscal code. */
  id_type: string;
  code: string;
  name: string | null;
}

/** One payment of a flow (`datiSingoliPagamenti`). */
export interface FlowPayment {
  iuv: string;
  iur: string;
  /** `indiceDatiSingoloPagamento`, 1 to 5. */
  index: number;
  /** Negative for a revocation. */
  amount: MoneyString;
  outcome: FlowOutcome;
  date: IsoDate;
}

/** A flusso di rendicontazione (FlussoRiversamento) as `readFlow` reads it (R-RECONCILE). */
export interface Flow {
  version: string;
  id: string;
  /** `dataOraFlusso`, `YYYY-MM-DDThh:mm:ss` with the fraction of a second if any. */
  date_time: string;
  regulation: string;
  regulation_date: IsoDate;
  sender: Institution;
  bic: string | null;
  receiver: Institution;
  count: number;
  total: MoneyString;
  payments: FlowPayment[];
}

/** What a flow says of itself, in a {@link Reconciliation}. */
export interface FlowSummary {
  id: string;
  date_time: string;
  regulation: string;
  regulation_date: IsoDate;
  /** The PSP that sent it. */
  sender: string;
  /** The body it is for. */
  receiver: string;
  count: number;
  total: MoneyString;
}

/** One payment of a flow, as the reconciliation found it (R-RECONCILE). */
export interface FlowLine {
  /** Its place in the flow, from 1 (`datiSingoliPagamenti[n]`). */
  position: number;
  iuv: string;
  iur: string;
  index: number;
  amount: MoneyString;
  outcome: FlowOutcome;
  date: IsoDate;
  /** The notice's charge, if the IUV is a notice's. */
  charge: string | null;
  /** The notice's payer. */
  payer: string | null;
  /** What the notice asks. */
  expected: MoneyString | null;
  /** The ledger entry that books it (to be recorded, or recorded). */
  payment: string | null;
}

/**
 * What a flusso di rendicontazione means for the ledger (R-RECONCILE). Nothing is booked
 * until `events` are applied (`registry.apply` or `registry.applyAll`, each as it is);
 * the same flow reconciled after that finds every payment `already_recorded`.
 */
export interface Reconciliation {
  flow: FlowSummary;
  /** `false` when the flow does not add up or is for another body: then `events` is empty. */
  accepted: boolean;
  matched: FlowLine[];
  mismatched: FlowLine[];
  unknown: FlowLine[];
  already_recorded: FlowLine[];
  problems: Problem[];
  /** `payment_received` for each payment matched, `payment_reversed` for each revocation matched. */
  events: Extract<RegistryEvent, { type: "payment_received" | "payment_reversed" }>[];
}

// ---- Governance (R-QUORUM, R-MAJORITY, R-YEARLY, R-ADOPT)

export type BoardKind = "strategico" | "tecnico" | "tematico";
/** An exact fraction as text, e.g. `"1/2"`, `"2/3"`. */
export type FractionString = string;
export type Comparator = "more_than" | "at_least";
export type Rounding = "exact" | "up" | "down" | "nearest";
export type MajorityBase = "members" | "present" | "voters";

export type QuorumRule =
  | { kind: "half_plus_one"; reading: "whole_above_half" | "literal" }
  | { kind: "fraction"; fraction: FractionString; rounding: Rounding }
  | { kind: "weighted"; fraction: FractionString; comparator: Comparator };

export interface MajorityRule {
  heads?: { base: MajorityBase; fraction: FractionString; comparator: Comparator; rounding: Rounding };
  weights?: { base: MajorityBase; fraction: FractionString; comparator: Comparator };
  abstentions: "weigh_as_no" | "left_out";
}

export type VoteValue = "yes" | "no" | "abstain" | "blank";

export interface BoardDocument {
  id: string;
  kind: BoardKind;
  name: string;
  president: string;
  members: { ente: string; representative: string; weight?: DecimalString }[];
  quorum?: QuorumRule;
  majority?: Partial<MajorityRule>;
  meetings?: {
    date: IsoDate;
    plenary?: boolean;
    present: string[];
    weights?: Record<string, DecimalString>;
    motions?: {
      id: string;
      title: string;
      delibera?: string;
      majority?: Partial<MajorityRule>;
      votes: Record<string, VoteValue>;
    }[];
  }[];
}

/** The quorum at a roll call or a vote (R-QUORUM), with the sentence for the minutes. */
export interface QuorumCheck {
  quorum: QuorumRule;
  members: number;
  present: number;
  required: number | null;
  weight: { members: DecimalString; present: DecimalString } | null;
  met: boolean;
  /** The rule in words (`"metà più uno dei componenti, …"`). */
  rule: string;
  sentence: string;
}

/** The result of a motion (R-MAJORITY). */
export interface Decision {
  passed: boolean;
  outcome: "passed" | "no_quorum" | "tie" | "rejected";
  verdict: string;
  sentence: string;
  majority: MajorityRule;
  quorum: QuorumCheck;
  tally: Tally;
  weights: {
    members: DecimalString;
    present: DecimalString;
    yes: DecimalString;
    no: DecimalString;
    abstain: DecimalString;
    blank: DecimalString;
  } | null;
  heads_check: { base: number; required: number; met: boolean } | null;
  weights_check: { base: DecimalString; yes: DecimalString; met: boolean } | null;
}

/** R-YEARLY: which boards met with quorum in each year, and which missed it. */
export interface YearlyReport {
  years: {
    year: number;
    met: { board: string; kind: BoardKind; sittings: IsoDate[] }[];
    missed: { board: string; kind: BoardKind; without_quorum: IsoDate[] }[];
  }[];
}

// ---- Analysis (R-COST, R-SIM)

export interface ServiceCost {
  setup: MoneyString;
  amortisation_years: number;
  running: MoneyString;
}

export interface Adherents {
  enti?: number;
  abitanti?: number;
}

/** R-COST: the break-even fee of a service, with its arithmetic as lines. */
export interface BreakEven {
  cost: ServiceCost;
  adherents: Adherents;
  yearly_amortisation: MoneyString;
  yearly_cost: MoneyString;
  lines: QuoteLine[];
  per_ente: { enti: number; fee: MoneyString; revenue: MoneyString; label: string } | null;
  per_abitante: { abitanti: number; rate: DecimalString; revenue: MoneyString; label: string } | null;
}

/** A candidate of the adhesion simulation (R-SIM). */
export interface Candidate {
  id: string;
  abitanti: number;
  quota: MoneyString;
  /** A decimal between 0 and 1, as a string. */
  probability: DecimalString;
}

export interface SimConfig {
  runs: number;
  /** A safe integer or a string of digits. */
  seed: number | string;
  cost?: MoneyString;
}

/** R-COST: a proposed price, flat per ente or a rate per abitante. */
export type Proposal = { per_ente: MoneyString } | { per_abitante: DecimalString };

/** R-COST: a proposed price against the yearly cost. */
export interface PriceCheck {
  basis: "per_ente" | "per_abitante";
  price: DecimalString;
  break_even: DecimalString;
  revenue: MoneyString;
  yearly_cost: MoneyString;
  margin: MoneyString;
  below_cost: boolean;
  lines: QuoteLine[];
}

export type Benchmark = "market" | "list";

/** R-SAVING: one ente's cost through the CIT and buying alone. */
export interface SavingCase {
  ente: string;
  abitanti: number;
  through_cit: MoneyString;
  market?: MoneyString;
  list?: MoneyString;
}

export interface Comparison {
  benchmark: Benchmark;
  alone: MoneyString;
  saving: MoneyString;
  reduction: DecimalString;
  label: string;
}

/** R-SAVING: savings per ente and on average. */
export interface SavingSummary {
  benchmark: Benchmark;
  enti: number;
  abitanti: number;
  through_cit: MoneyString;
  alone: MoneyString;
  saving: MoneyString;
  mean_reduction: DecimalString;
  weighted_reduction: DecimalString | null;
  overall_reduction: DecimalString;
  target: DecimalString;
  meets_target: boolean;
  meets_target_weighted: boolean | null;
  enti_meeting_target: number;
  per_ente: {
    ente: string;
    abitanti: number;
    through_cit: MoneyString;
    market: Comparison | null;
    list: Comparison | null;
  }[];
}

/** R-JOURNAL: one event as a journal stores it. */
export interface JournalEntry {
  type: string;
  key: string | null;
  event: string;
}

export interface CountSummary {
  mean: DecimalString;
  min: number;
  p5: number;
  p50: number;
  p95: number;
  max: number;
}

export interface MoneySummary {
  mean: MoneyString;
  min: MoneyString;
  p5: MoneyString;
  p50: MoneyString;
  p95: MoneyString;
  max: MoneyString;
}

/** R-SIM: a simulation, every run as columns. */
export interface Simulation {
  /** The seed, as a string (a u64 may exceed a JS number's exact range). */
  seed: string;
  runs: number;
  candidates: number;
  expected: { members: DecimalString; residents: DecimalString; revenue: MoneyString };
  members: CountSummary;
  residents: CountSummary;
  revenue: MoneySummary;
  coverage: { cost: MoneyString; covered_runs: number; runs: number; probability: DecimalString } | null;
  per_run: { members: number[]; residents: number[]; revenue: MoneyString[] };
}
