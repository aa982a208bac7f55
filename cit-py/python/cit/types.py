"""The shapes of the values `cit` takes and returns: `TypedDict`s for dicts, aliases for
what a parameter accepts. Importable at run time (`from cit.types import Ente`) and used by
the type stubs; no dependency beyond the standard library (Python 3.10+)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Dict, List, Literal, Optional, Protocol, Tuple, TypedDict, Union

from .errors import Problem

if TYPE_CHECKING:  # names of annotations only: numpy stays optional at run time
    import numpy
    import numpy.typing

    from ._cit import RunTable

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
    "wrong_type",
]

class ArrowArray(Protocol):
    """An object exporting an Arrow array (the Arrow PyCapsule interface): a pyarrow array."""

    def __arrow_c_array__(self, requested_schema: Optional[object] = ...) -> Tuple[object, object]: ...


class ArrowStream(Protocol):
    """An object exporting an Arrow stream: a polars or pandas Series, a pyarrow chunked array."""

    def __arrow_c_stream__(self, requested_schema: Optional[object] = ...) -> object: ...


#: An Arrow column, as `Tariff.quote_totals` takes it.
ArrowColumn = Union[ArrowArray, ArrowStream]

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
    #: The codice fiscale of the body (11 digits with the right check digit), the debtor
    #: of its pagoPA notices (R-NOTICE).
    codice_fiscale: Optional[str]


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


class WeightPresence(TypedDict):
    """The weight of the members and of those present, for a weighted quorum."""

    members: Decimal
    present: Decimal


class QuorumResult(TypedDict):
    """The quorum at a roll call or a vote (R-QUORUM), as the core serialises it."""

    #: The rule applied, as the board document writes it (`{"kind": "half_plus_one", …}`).
    quorum: Dict[str, str]
    members: int
    present: int
    required: Optional[int]
    #: The weights, for a weighted quorum.
    weight: Optional[WeightPresence]
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
    #: The majority rule applied, as the board document writes it.
    majority: Dict[str, Any]
    outcome: Literal["passed", "no_quorum", "tie", "rejected"]
    verdict: str
    sentence: str
    tally: Tally
    quorum: QuorumResult
    weights: Optional[WeightTally]
    heads_check: Optional[HeadsCheck]
    weights_check: Optional[WeightsCheck]


BoardKind = Literal["strategico", "tecnico", "tematico"]


class Met(TypedDict):
    board: str
    kind: BoardKind
    sittings: List[datetime.date]


class Missed(TypedDict):
    board: str
    kind: BoardKind
    without_quorum: List[datetime.date]


class Year(TypedDict):
    year: int
    met: List[Met]
    missed: List[Missed]


class YearlyReport(TypedDict):
    years: List[Year]


class _ServiceCostIn(TypedDict):
    setup: MoneyIn
    amortisation_years: int
    running: MoneyIn


#: A service's costs (R-COST), as `break_even` and `check_price` take them.
ServiceCostIn = _ServiceCostIn


class ServiceCost(TypedDict):
    setup: Decimal
    amortisation_years: int
    running: Decimal


class Adherents(TypedDict, total=False):
    enti: int
    abitanti: int


class _PerEnte(TypedDict):
    per_ente: MoneyIn


class _PerAbitante(TypedDict):
    per_abitante: Union[Decimal, str]


#: A proposed price for `check_price`: `{"per_ente": amount}` or `{"per_abitante": rate}`.
Proposal = Union[_PerEnte, _PerAbitante]


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
    cost: ServiceCost
    adherents: Adherents
    yearly_amortisation: Decimal
    yearly_cost: Decimal
    lines: List[QuoteLine]
    per_ente: Optional[FlatFee]
    per_abitante: Optional[RateFee]


class PriceCheck(TypedDict):
    basis: Literal["per_ente", "per_abitante"]
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
    benchmark: Literal["market", "list"]
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


class PerRunArrays(TypedDict):
    """Every run as numpy int64 arrays (`simulate(..., per_run="arrays")`): the revenue in
    integer cents."""

    members: numpy.typing.NDArray[numpy.int64]
    residents: numpy.typing.NDArray[numpy.int64]
    revenue_cents: numpy.typing.NDArray[numpy.int64]


class SimulationSummary(TypedDict):
    """What every `simulate` returns, whatever the shape of its runs."""

    seed: str
    runs: int
    candidates: int
    expected: Expected
    members: CountSummary
    residents: CountSummary
    revenue: MoneySummary
    coverage: Optional[Coverage]


class Simulation(SimulationSummary):
    per_run: PerRun


class SimulationArrays(SimulationSummary):
    per_run: PerRunArrays


class SimulationTable(SimulationSummary):
    per_run: RunTable


class _SimConfigRequired(TypedDict):
    runs: int
    seed: Union[int, str]


class SimConfig(_SimConfigRequired, total=False):
    """How `simulate` runs: the number of runs, the seed (a whole number, or its digits as
    a str), the yearly cost to cover."""

    cost: MoneyIn


#: A member on the date priced (`from` is a keyword, hence the functional form).
MemberStanding = TypedDict(
    "MemberStanding", {"standing": Literal["member"], "membership": str, "from": DateIn, "to": DateIn}
)


class NonMemberStanding(TypedDict):
    standing: Literal["non_member"]


#: Whether an ente is a member on the date priced (R-JOIN), for `Tariff.price_service`.
Standing = Union[MemberStanding, NonMemberStanding]


#: The first and last day a tariff prices.
Period = TypedDict("Period", {"from": datetime.date, "to": datetime.date})


class JournalEntry(TypedDict):
    """One event as a journal stores it (R-JOURNAL)."""

    type: str
    key: Optional[str]
    event: str


class ServiceQuote(TypedDict):
    """A service priced for an ente on a date: which price applied and why."""

    service: str
    date: datetime.date
    price: Literal["included", "member", "list"]
    reason: str
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


class PagopaChannel(TypedDict):
    """A payment through pagoPA, as a flusso di rendicontazione reported it (R-RECONCILE)."""

    kind: Literal["pagopa"]
    iuv: str
    iur: str
    index: int
    flow: str


class TesoreriaChannel(TypedDict):
    """A girofondo on the Tesoreria Unica; the causale names the charge (R-NOTICE)."""

    kind: Literal["tesoreria"]
    causale: str


#: How a payment reached the creditor; `kind` tells which.
Channel = Union[PagopaChannel, TesoreriaChannel]


class Payment(TypedDict):
    """A payment (entrata), or the reversing entry of one (negative amount)."""

    id: str
    payer: str
    date: datetime.date
    amount: Decimal
    charge: Optional[str]
    reverses: Optional[str]
    reason: Optional[str]
    channel: Optional[Channel]


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


# pagoPA (R-NOTICE, R-RECONCILE)

ChargeKind = Literal["quota", "maggiorazione", "servizio", "disdetta", "storno"]


class _CreditorRequired(TypedDict):
    codice_fiscale: str
    name: str
    segregation_code: str
    iban: str
    category: str


class Creditor(_CreditorRequired, total=False):
    """The creditor's profile for pagoPA: the body that collects the quotas (R-NOTICE).
    `categories` (another taxonomy code by kind of charge) is present only if not empty."""

    categories: Dict[ChargeKind, str]


class Notice(TypedDict):
    """A pagoPA payment notice for one payer's share of a charge, with its status now
    (R-NOTICE)."""

    charge: str
    payer: str
    payer_name: str
    codice_fiscale: str
    notice_number: str
    iuv: str
    amount: Decimal
    due: datetime.date
    year: int
    issued: datetime.date
    status: Literal["open", "paid", "withdrawn"]


#: A transfer of a GPD payment option: amounts in integer euro cents (GPD's JSON keys).
Transfer = TypedDict(
    "Transfer",
    {
        "idTransfer": str,
        "amount": int,
        "organizationFiscalCode": str,
        "remittanceInformation": str,
        "category": str,
        "iban": str,
    },
)

#: A payment option of a GPD debt position: `amount` and `fee` in integer euro cents,
#: `dueDate` the end of the due day (`"2026-04-30T23:59:59"`).
PaymentOption = TypedDict(
    "PaymentOption",
    {
        "iuv": str,
        "amount": int,
        "description": str,
        "isPartialPayment": bool,
        "dueDate": str,
        "fee": int,
        "transfer": List[Transfer],
    },
)

#: A debt position of pagoPA's Gestione Posizioni Debitorie, exactly its JSON document
#: (camelCase keys; `type` is `"G"`, a legal person): `json.dumps` of it is what to post.
DebtPosition = TypedDict(
    "DebtPosition",
    {
        "iupd": str,
        "type": Literal["G"],
        "fiscalCode": str,
        "fullName": str,
        "companyName": str,
        "switchToExpired": bool,
        "paymentOption": List[PaymentOption],
    },
)

#: What happened to a payment of a flow (`codiceEsitoSingoloPagamento` 0, 3, 4, 8, 9).
Outcome = Literal["paid", "revoked", "stand_in", "stand_in_without_receipt", "paid_without_receipt"]


class Institution(TypedDict):
    """The sender or receiver of a flow: kind of identifier (`B`, `A`, `G`), identifier,
    name if given."""

    id_type: str
    code: str
    name: Optional[str]


class FlowPayment(TypedDict):
    """One payment of a flow (`datiSingoliPagamenti`); `amount` is negative for a
    revocation."""

    iuv: str
    iur: str
    index: int
    amount: Decimal
    outcome: Outcome
    date: datetime.date


class Flow(TypedDict):
    """A flusso di rendicontazione (FlussoRiversamento) as read. `date_time` is the ISO
    text of `dataOraFlusso` (`"2021-07-27T12:00:07"`, with a fraction of a second if it
    has one): it has no zone, so it stays text rather than a naive `datetime`."""

    version: str
    id: str
    date_time: str
    regulation: str
    regulation_date: datetime.date
    sender: Institution
    bic: Optional[str]
    receiver: Institution
    count: int
    total: Decimal
    payments: List[FlowPayment]


class FlowSummary(TypedDict):
    """What a flow says of itself, as a reconciliation reports it; `sender` and
    `receiver` are their identifiers, `date_time` the ISO text to the second."""

    id: str
    date_time: str
    regulation: str
    regulation_date: datetime.date
    sender: str
    receiver: str
    count: int
    total: Decimal


class FlowLine(FlowPayment):
    """One payment of a flow as the reconciliation found it (the payment's own fields, and
    its place in the flow): with the notice's charge, payer and amount (`expected`) if its
    IUV is a notice's, and the ledger entry that books it (`payment`)."""

    position: int
    charge: Optional[str]
    payer: Optional[str]
    expected: Optional[Decimal]
    payment: Optional[str]


class _PaymentReceivedRequired(TypedDict):
    type: Literal["payment_received"]
    payment: str
    payer: str
    date: datetime.date
    amount: Decimal


class PaymentReceivedEvent(_PaymentReceivedRequired, total=False):
    """A `payment_received` event as the core writes it (`charge` and `channel` only when
    given)."""

    charge: str
    channel: Channel


class PaymentReversedEvent(TypedDict):
    """A `payment_reversed` event as the core writes it."""

    type: Literal["payment_reversed"]
    id: str
    payment: str
    date: datetime.date
    reason: str


class Reconciliation(TypedDict):
    """What a flusso di rendicontazione means for the ledger (R-RECONCILE). Nothing is
    booked until each of `events` is applied (`registry.apply(event)`); `accepted` is
    false, and `events` empty, when the flow does not add up or is for another body."""

    flow: FlowSummary
    accepted: bool
    matched: List[FlowLine]
    mismatched: List[FlowLine]
    unknown: List[FlowLine]
    already_recorded: List[FlowLine]
    problems: List[Problem]
    events: List[Union[PaymentReceivedEvent, PaymentReversedEvent]]


#: A tariff document as a dict (see the README's *The tariff document*); money as `Decimal`,
#: dates as `datetime.date`.
TariffDocument = Dict[str, Any]

#: One event of a journal as a dict (`{"type": "payment_received", …}`).
RegistryEvent = Dict[str, Any]
