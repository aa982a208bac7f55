"""The shapes of the values `cit` takes and returns: `TypedDict`s for dicts, aliases for
what a parameter accepts. Importable at run time (`from cit.types import Ente`) and used by
the type stubs; no dependency beyond the standard library (Python 3.9+)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import List, Literal, Optional, TypedDict, Union

#: Every `code` a `CitError` raised from the core can carry (`cit_core::Error::code`).
ErrorCode = Literal[
    "malformed",
    "invalid",
    "invalid_value",
    "missing_count",
    "counts_date_mismatch",
    "year_outside_period",
    "kind_not_priced",
    "overflow",
    "adoption_refused",
    "illegal_transition",
    "not_a_member",
    "unknown_service",
    "unknown_ente",
    "unknown_entry",
    "duplicate_event",
    "no_tariff_on",
    "tariff_overlap",
    "version_conflict",
]

#: Money in: a `Decimal`, an `int` or a `str` — never a `float`.
MoneyIn = Union[Decimal, int, str]
#: A date in: a `datetime.date` or an ISO `str`.
DateIn = Union[datetime.date, str]

EnteKind = Literal["comune", "unione", "comunita_montana", "provincia", "citta_metropolitana", "altro"]


class _EnteRequired(TypedDict):
    id: str
    name: str
    kind: EnteKind


class Ente(_EnteRequired, total=False):
    """An ente, shaped like the Ente JSON document (unknown keys are refused)."""
    abitanti: Optional[int]
    imprese: Optional[int]
    counts_as_of: Optional[DateIn]


class QuoteLine(TypedDict):
    """One line of a quote: rule id, Italian label, amount."""

    rule: str
    label: str
    amount: Decimal


class _QuoteDictRequired(TypedDict):
    ente: str
    tariff: str
    year: int
    lines: List[QuoteLine]
    total: Decimal


class QuoteDict(_QuoteDictRequired, total=False):
    """A quote as its JSON document, money as `Decimal`."""
    adoption: str


class LintWarning(TypedDict):
    """A finding of the tariff linter."""

    code: Literal["band_cliff", "minimum_unreachable", "discount_full", "rate_precision"]
    path: str
    message: str


class QuorumResult(TypedDict):
    """The quorum at a roll call or a vote (R-QUORUM)."""

    members: int
    present: int
    required: Optional[int]
    met: bool
    rule: str
    sentence: str


class Tally(TypedDict):
    members: int
    present: int
    yes: int
    no: int
    abstain: int
    blank: int


class WeightTally(TypedDict):
    """The weights of a vote (R-MAJORITY, weighted rules and quorums)."""

    members: Decimal
    present: Decimal
    yes: Decimal
    no: Decimal
    abstain: Decimal
    blank: Decimal


class HeadsCheck(TypedDict):
    """The heads condition of a decision: its base, the yes votes needed, met or not."""

    base: int
    required: int
    met: bool


class WeightsCheck(TypedDict):
    """The weights condition of a decision: the base's weight, the yes weight, met or not."""

    base: Decimal
    yes: Decimal
    met: bool


class Decision(TypedDict):
    """The result of a vote (R-MAJORITY), with the sentence for the minutes."""

    passed: bool
    outcome: Literal["passed", "no_quorum", "tie", "rejected"]
    verdict: str
    sentence: str
    tally: Tally
    quorum: QuorumResult
    weights: Optional[WeightTally]
    heads_check: Optional[HeadsCheck]
    weights_check: Optional[WeightsCheck]


class BoardsMet(TypedDict):
    board: str
    sittings: List[datetime.date]


class YearReport(TypedDict):
    year: int
    met: List[BoardsMet]
    missed: List[str]


class FlatFee(TypedDict):
    enti: int
    fee: Decimal
    revenue: Decimal
    label: str


class RateFee(TypedDict):
    abitanti: int
    rate: Decimal
    revenue: Decimal
    label: str


class BreakEven(TypedDict):
    yearly_amortisation: Decimal
    yearly_cost: Decimal
    lines: List[QuoteLine]
    per_ente: Optional[FlatFee]
    per_abitante: Optional[RateFee]


class PriceCheck(TypedDict):
    price: Decimal
    break_even: Decimal
    revenue: Decimal
    yearly_cost: Decimal
    margin: Decimal
    below_cost: bool
    lines: List[QuoteLine]


class _SavingCaseRequired(TypedDict):
    ente: str
    abitanti: int
    through_cit: MoneyIn


class SavingCase(_SavingCaseRequired, total=False):
    market: Optional[MoneyIn]
    list: Optional[MoneyIn]


class Comparison(TypedDict):
    alone: Decimal
    saving: Decimal
    reduction: Decimal
    label: str


class EnteSaving(TypedDict):
    ente: str
    abitanti: int
    through_cit: Decimal
    market: Optional[Comparison]
    list: Optional[Comparison]


class SavingSummary(TypedDict):
    benchmark: Literal["market", "list"]
    enti: int
    abitanti: int
    through_cit: Decimal
    alone: Decimal
    saving: Decimal
    mean_reduction: Decimal
    weighted_reduction: Optional[Decimal]
    overall_reduction: Decimal
    target: Decimal
    meets_target: bool
    meets_target_weighted: Optional[bool]
    enti_meeting_target: int
    per_ente: List[EnteSaving]


class Candidate(TypedDict):
    id: str
    abitanti: int
    quota: Decimal
    probability: Decimal


class Expected(TypedDict):
    members: Decimal
    residents: Decimal
    revenue: Decimal


class CountSummary(TypedDict):
    mean: Decimal
    min: int
    p5: int
    p50: int
    p95: int
    max: int


class MoneySummary(TypedDict):
    mean: Decimal
    min: Decimal
    p5: Decimal
    p50: Decimal
    p95: Decimal
    max: Decimal


class Coverage(TypedDict):
    cost: Decimal
    covered_runs: int
    runs: int
    probability: Decimal


class PerRun(TypedDict):
    members: List[int]
    residents: List[int]
    revenue: List[Decimal]


class Simulation(TypedDict):
    seed: int
    runs: int
    candidates: int
    expected: Expected
    members: CountSummary
    residents: CountSummary
    revenue: MoneySummary
    coverage: Optional[Coverage]
    per_run: PerRun


#: A membership as service pricing needs it: its id and the days it covers (`from` is a
#: keyword, hence the functional form).
MembershipRef = TypedDict("MembershipRef", {"id": str, "from": DateIn, "to": DateIn})


class ServiceQuote(TypedDict):
    """A service priced for an ente on a date: which price applied and why."""

    service: str
    date: datetime.date
    price: Literal["included", "member", "list"]
    reason: str
    lines: List[QuoteLine]
    total: Decimal
    quote: QuoteDict


class Balance(TypedDict):
    """What an ente owes, has paid and holds as credit at a date (R-LEDGER)."""

    ente: str
    at: datetime.date
    charged: Decimal
    paid: Decimal
    outstanding: Decimal
    credit: Decimal
    overdue: Decimal


class PayerShare(TypedDict):
    payer: str
    amount: Decimal


class Charge(TypedDict):
    """A charge of the ledger, as billed (R-RUN)."""

    id: str
    ente: str
    kind: Literal["quota", "maggiorazione", "servizio", "disdetta", "storno"]
    year: int
    subscription: Optional[str]
    service: Optional[str]
    tariff: Optional[str]
    issued: datetime.date
    due: datetime.date
    lines: List[QuoteLine]
    amount: Decimal
    explanation: str
    shares: List[PayerShare]
    reverses: Optional[str]


class Payment(TypedDict):
    """A payment (entrata), or the reversing entry of one (negative amount)."""

    id: str
    payer: str
    date: datetime.date
    amount: Decimal
    charge: Optional[str]
    reverses: Optional[str]
    reason: Optional[str]


class RenewalItem(TypedDict):
    subscription: str
    ente: str
    service: str
    status: Literal["pending", "confirmed", "declined", "lapsed"]


class Recorded(TypedDict):
    """An event appended (`"recorded"`) at position `seq` of the journal (from 0; the
    version is then `seq + 1`), or identical to the event already at `seq`
    (`"already_recorded"`: a retry, nothing changed) (R-JOURNAL)."""

    outcome: Literal["recorded", "already_recorded"]
    seq: int


class Unchanged(TypedDict):
    """An event accepted that changes nothing and is not recorded: a billing run of a year
    already billed (R-RUN). No `seq`."""

    outcome: Literal["unchanged"]


#: What `Registry.apply` did with an event; `outcome` tells which (R-JOURNAL).
Applied = Union[Recorded, Unchanged]
