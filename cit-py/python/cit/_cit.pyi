"""Type stubs of the compiled module `cit._cit` (re-exported by `cit`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Iterable, List, Literal, Mapping, Optional, Sequence, Tuple, Union, final, overload

import numpy
import numpy.typing

from .types import (
    ArrowColumn,
    Applied,
    Creditor,
    DebtPosition,
    Flow,
    Notice,
    Reconciliation,
    Balance,
    Charge,
    JournalEntry,
    Period,
    Standing,
    StandingIn,
    SimConfig,
    SimConfigIn,
    ServiceCost,
    ServiceCostIn,
    Adherents,
    Proposal,
    ProposalIn,
    TariffDocument,
    RegistryEvent,
    Payment,
    RenewalItem,
    ServiceQuote,
    BreakEven,
    Candidate,
    Comparison,
    CountSummary,
    Coverage,
    DateIn,
    Decision,
    Ente,
    EnteIn,
    EnteKind,
    EnteSaving,
    ErrorCode,
    Expected,
    FlatFee,
    LintWarning,
    MoneyIn,
    MoneySummary,
    PerRun,
    PerRunArrays,
    PriceCheck,
    QuoteDict,
    QuoteLine,
    QuorumResult,
    RateFee,
    SavingCase,
    SavingSummary,
    Simulation,
    SimulationArrays,
    SimulationTable,
    Tally,
    YearlyReport,
)

__version__: str
__all__ = [
    "Board",
    "ERROR_CODES",
    "Quote",
    "QuoteTable",
    "RULES",
    "Registry",
    "RunTable",
    "Tariff",
    "__version__",
    "break_even",
    "candidates",
    "check_price",
    "format_euro",
    "is_small",
    "iuv",
    "journal_entry",
    "notice_number",
    "read_flow",
    "saving",
    "simulate",
    "valid_codice_fiscale",
    "valid_iuv",
    "valid_notice_number",
    "yearly",
]
#: The core's error codes, then `"wrong_type"` (a value of the wrong Python type).
ERROR_CODES: List[str]
#: The names of the classes of `cit.errors` the module raises (checked by the tests).
_ERROR_CLASSES: List[str]
#: The rule ids of the specification, `"R-FIX"` … `"R-SMALL"`.
RULES: List[str]

@final
class Tariff:
    """A validated tariff: prices the quota di adesione of any ente for the years of its
    period (R-FIX … R-PRORATA)."""

    @staticmethod
    def from_json(text: str) -> Tariff:
        """Reads and validates a tariff document; raises `TariffError` with every problem."""
    def to_json(self) -> str:
        """The tariff as its JSON document."""
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def period(self) -> Period:
        """The first and last day the tariff prices."""
    def document(self) -> TariffDocument:
        """The tariff as a dict shaped like its JSON document."""
    @property
    def adoption(self) -> Optional[str]:
        """The citation of the deliberation that adopted the tariff (R-ADOPT), if any."""
    def counts_date(self, year: int) -> Optional[datetime.date]:
        """The date the counts used to price `year` must refer to (R-CAP)."""
    def quote(self, ente: Union[Ente, EnteIn], year: int, start: Optional[DateIn] = None) -> Quote:
        """The quota of `ente` for `year`; with `start`, of a membership starting that day."""
    def quote_many(self, enti: Iterable[Union[Ente, EnteIn]], year: int) -> List[Quote]:
        """The quotas of many enti, each with its exact total (its lines itemised when first read); an error names the first bad ente (`enti[17]`)."""
    @overload
    def quote_totals(
        self, abitanti: Union[numpy.typing.NDArray[numpy.integer], ArrowColumn],
        imprese: Union[numpy.typing.NDArray[numpy.integer], ArrowColumn, Sequence[int]], year: int
    ) -> numpy.typing.NDArray[numpy.int64]:
        """Totals in integer cents of comuni given as two columns of counts: a numpy
        `int64` array when a column is a numpy array (any integer dtype) or an Arrow column
        (pyarrow, polars, pandas; any integer type, no nulls), a list otherwise."""
    @overload
    def quote_totals(
        self, abitanti: Sequence[int], imprese: Union[numpy.typing.NDArray[numpy.integer], ArrowColumn], year: int
    ) -> numpy.typing.NDArray[numpy.int64]: ...
    @overload
    def quote_totals(self, abitanti: Iterable[int], imprese: Iterable[int], year: int) -> List[int]: ...
    def quote_table(
        self,
        abitanti: Union[numpy.typing.NDArray[numpy.integer], ArrowColumn, Iterable[int]],
        imprese: Union[numpy.typing.NDArray[numpy.integer], ArrowColumn, Iterable[int]],
        year: int,
        ids: Optional[Sequence[str]] = None,
    ) -> QuoteTable:
        """The totals as an Arrow table: `ente` (if `ids`), `total` (decimal128(19, 2)), `cents` (int64)."""
    def lint(self) -> List[LintWarning]:
        """What is legal but likely unintended in the tariff."""
    def price_service(
        self, ente: Union[Ente, EnteIn], service: str, quantity: int, standing: Union[Standing, StandingIn], date: DateIn
    ) -> ServiceQuote:
        """Prices a service for a member or a non-member (`standing`) on `date`."""
    def adopt(self, board: Board, meeting: DateIn, motion: str) -> Tariff:
        """This tariff as adopted by a motion of the Tavolo Strategico (R-ADOPT)."""
    def __eq__(self, other: object, /) -> bool: ...

@final
class QuoteTable:
    """Quota totals as exact Arrow columns (the Arrow PyCapsule interface): pass it to
    `polars.DataFrame`, `pyarrow.table` or `pandas` through pyarrow."""

    def __arrow_c_schema__(self) -> object: ...
    def __arrow_c_array__(self, requested_schema: Optional[object] = None) -> Tuple[object, object]: ...
    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object: ...
    @property
    def column_names(self) -> List[str]: ...
    def __len__(self) -> int: ...

@final
class RunTable:
    """A simulation's runs as exact Arrow columns, one row a run: `members`, `residents`
    (int64), `revenue` (decimal128(19, 2)) and `revenue_cents` (int64)."""

    def __arrow_c_schema__(self) -> object: ...
    def __arrow_c_array__(self, requested_schema: Optional[object] = None) -> Tuple[object, object]: ...
    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object: ...
    @property
    def column_names(self) -> List[str]: ...
    def __len__(self) -> int: ...

@final
class Quote:
    """An itemised quote; the total is the sum of the lines."""

    @staticmethod
    def from_json(text: str) -> Quote:
        """Reads a quote document back; raises `QuoteError` if its total is not the sum."""
    def to_json(self) -> str: ...
    def to_dict(self) -> QuoteDict: ...
    @property
    def ente(self) -> str: ...
    @property
    def tariff(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def lines(self) -> List[QuoteLine]: ...
    @property
    def total(self) -> Decimal: ...
    @property
    def adoption(self) -> Optional[str]: ...
    def __eq__(self, other: object, /) -> bool: ...


@final
class Registry:
    """The life of a CIT as an append-only journal of events and the state they fold to."""

    def __init__(self) -> None: ...
    @staticmethod
    def from_json(text: str) -> Registry:
        """Replays a journal (a JSON array of events)."""
    def to_json(self) -> str: ...
    def __len__(self) -> int:
        """The number of events recorded (the `version`)."""
    @property
    def version(self) -> int:
        """The journal's version: the number of events recorded (R-JOURNAL)."""
    def apply(self, event: Union[str, Mapping[str, object]], *, expected_version: Optional[int] = None) -> Applied:
        """Appends an event after checking every rule; a refused event changes nothing.

        Returns `{"outcome": "recorded", "seq": n}` (appended at position `n`),
        `{"outcome": "already_recorded", "seq": n}` (identical to the event at `n`: a retry,
        nothing changed) or `{"outcome": "unchanged"}` (a billing run that issues nothing).
        With `expected_version`, raises `ConflictError` unless the journal is at that
        version or the event at that position is this very event (R-JOURNAL)."""
    def apply_all(
        self, events: Iterable[Union[str, Mapping[str, object]]], *, expected_version: Optional[int] = None
    ) -> List[Applied]:
        """Appends a batch of events, all or none: a malformed or refused event raises with
        its position (`events[3].amount`) and nothing is applied. One outcome per event, as
        `apply`; with `expected_version`, `ConflictError` unless the journal is at that
        version or the batch is the one recorded from there (a retry: all `already_recorded`)."""
    def billing_run(self, year: int, issued: DateIn, due: DateIn) -> List[str]:
        """Bills `year` (R-RUN); the ids of the charges issued, none if already billed."""
    def events(self) -> List[RegistryEvent]:
        """The journal: every event applied, in order."""
    def charge(self, id: str) -> Optional[Charge]:
        """The charge with this id, or `None`."""
    def enti(self) -> List[Ente]:
        """The registered enti, by id."""
    def charges(self) -> List[Charge]: ...
    def payments(self) -> List[Payment]:
        """Every payment, reversing entries included; `channel` is how it was paid
        (pagoPA or a girofondo on the Tesoreria Unica), `None` if not said."""
    def balance(self, ente: str, at: DateIn) -> Balance: ...
    def balances(self, at: DateIn) -> List[Balance]: ...
    def renewal_campaign(self, year: int) -> List[RenewalItem]: ...
    def price_service(self, ente: str, service: str, quantity: int, date: DateIn) -> ServiceQuote: ...
    def creditor(self) -> Optional[Creditor]:
        """The creditor's profile for pagoPA (R-NOTICE), `None` until one is registered."""
    def notices(self, year: int) -> List[Notice]:
        """The pagoPA notices of `year`'s charges, in order of issue, with their status now."""
    def notice(self, iuv: str) -> Optional[Notice]:
        """The notice of an IUV, with its status now; `None` for an IUV of no notice."""
    def debt_positions(self, year: int) -> List[DebtPosition]:
        """The GPD debt positions of `year`'s open notices, as GPD's JSON documents."""
    def notices_csv(self, year: int) -> str:
        """The notices of `year` as the office's CSV (`;`-separated, decimal commas)."""
    def reconcile_flow(self, xml: str) -> Reconciliation:
        """Reconciles a flusso di rendicontazione (R-RECONCILE); changes nothing: apply
        the report's `events` to book what matched."""
    def __copy__(self) -> Registry:
        """A copy, independent from here on (no replay)."""
    def __deepcopy__(self, memo: object, /) -> Registry: ...
    def __eq__(self, other: object, /) -> bool: ...


def journal_entry(event: Union[str, Mapping[str, object]]) -> JournalEntry:
    """One event as a journal stores it (R-JOURNAL): its `type`, its `key`
    (`"payment:P-1"`, unique in a journal; `None` for a billing run or an agreement) and
    its canonical JSON (`event`), the text `cit.store` keeps and hashes. Reads the event, does not
    check it against a registry."""

def notice_number(*, segregation_code: str, base: str) -> str:
    """R-NOTICE: the numero avviso (18 digits): 3, the codice di segregazione, the IUV base
    of 13 digits and the check digits."""

def iuv(*, segregation_code: str, base: str) -> str:
    """R-NOTICE: the IUV (17 digits): the numero avviso without its aux digit."""

def valid_codice_fiscale(code: str) -> bool:
    """True for the codice fiscale of a body: 11 digits with the right check digit."""

def valid_iuv(iuv: str) -> bool:
    """True for an IUV of 17 digits with the right check digits (aux digit 3)."""

def valid_notice_number(number: str) -> bool:
    """True for a numero avviso: 3 and a valid IUV."""

def read_flow(xml: str) -> Flow:
    """R-RECONCILE: a flusso di rendicontazione read from its XML; raises `CitError`
    (code `malformed`, the element's path) if it cannot be read."""

@final
class Board:
    """A board (Tavolo Strategico, Tecnico or Tematico) with its register of sittings."""

    @staticmethod
    def from_json(text: str) -> Board: ...
    def to_json(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> Literal["strategico", "tecnico", "tematico"]: ...
    @property
    def name(self) -> str: ...
    def meetings(self) -> List[datetime.date]: ...
    def roll_call(self, meeting: DateIn) -> QuorumResult: ...
    def decide(self, meeting: DateIn, motion: str) -> Decision: ...
    def adoption_citation(self, meeting: DateIn, motion: str) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...


def yearly(boards: Sequence[Board], first: int, last: int) -> YearlyReport:
    """R-YEARLY: which boards met in plenary each year, and which missed it."""


def break_even(cost: Union[ServiceCost, ServiceCostIn, str], adherents: Union[Adherents, str]) -> BreakEven:
    """R-COST: the break-even yearly fee, rounded up so that it never falls short."""

def check_price(
    cost: Union[ServiceCost, ServiceCostIn, str],
    adherents: Union[Adherents, str],
    price: Union[Proposal, ProposalIn, str],
) -> PriceCheck:
    """R-COST: a proposed price against the yearly cost."""


def saving(
    cases: Sequence[Mapping[str, object]],
    benchmark: Literal["market", "list"] = "market",
    target: Optional[MoneyIn] = None,
) -> SavingSummary:
    """R-SAVING: savings per ente and on average against the 15 % target."""


def candidates(tariff: Tariff, enti: Sequence[Union[Ente, EnteIn]], probabilities: Sequence[Union[Decimal, str]], year: int) -> List[Candidate]:
    """R-SIM: candidates priced once, ready for `simulate`."""


@overload
def simulate(candidates: Sequence[Candidate], config: Union[SimConfig, SimConfigIn], *, per_run: Literal["lists"] = "lists") -> Simulation:
    """R-SIM: seeded Monte Carlo; the same seed gives the same result in every language.
    Every run as lists (the default), as numpy int64 arrays (`per_run="arrays"`, revenue
    in cents) or as a `RunTable` of Arrow columns (`per_run="table"`)."""
@overload
def simulate(candidates: Sequence[Candidate], config: Union[SimConfig, SimConfigIn], *, per_run: Literal["arrays"]) -> SimulationArrays: ...
@overload
def simulate(candidates: Sequence[Candidate], config: Union[SimConfig, SimConfigIn], *, per_run: Literal["table"]) -> SimulationTable: ...

def format_euro(amount: MoneyIn) -> str:
    """An amount in the Italian display form: `"€ 1.234,56"`, `"-€ 0,50"`."""

def is_small(abitanti: int) -> bool:
    """R-SMALL: fewer than 5.000 abitanti (D.L. 78/2010)."""
