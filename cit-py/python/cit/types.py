"""The shapes of the values `cit` takes and returns: `TypedDict`s for dicts, aliases for
what a parameter accepts. Importable at run time (`from cit.types import Ente`) and used by
the type stubs; no dependency beyond the standard library (Python 3.10+).

Every document and output of schema/cit.schema.json is a TypedDict of `cit._types_generated`,
generated from the schema by datamodel-code-generator (`make types`) and re-exported here
under the schema's names (`Ente`, `Quote`, `Charge`, `Simulation`, …; the variants of a union
after their tag: `EventPaymentReceived`, `ChannelPagopa`, `StandingMember`, …). Money and exact
decimals are `Decimal`, dates `datetime.date`: what the binding returns. Written here is only
what the schema cannot say: what the binding also accepts (`MoneyIn`, `DateIn` and the `…In`
documents), the names the stubs use where the schema's differ, the error codes, the numpy and
Arrow shapes of a simulation's runs."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, Optional, Protocol, Tuple, TypedDict, Union

from ._types_generated import *  # noqa: F403 (every type of the schema)
from ._types_generated import (
    Board,
    CountSummary,
    Coverage,
    EnteKind,
    Event,
    Expected,
    MoneySummary,
    QuorumCheck,
    Quote,
    RunColumns,
    Tariff,
    StandingNonMember,
    Warning,
)
from ._typing import NotRequired

if TYPE_CHECKING:  # names of annotations only: numpy stays optional at run time
    import numpy
    import numpy.typing

    from ._cit import RunTable

#: Every `code` a `CitError` raised from the core can carry (`cit_core::Error::code`), and
#: `"wrong_type"` (a value of the wrong Python type).
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

# The names the stubs use where the schema's differ (`Quote`, `Tariff` and `Board` are also
# classes of `cit`: their documents keep these names).

#: A quote as its JSON document, money as `Decimal` (`Quote.to_dict()`).
QuoteDict = Quote
#: A tariff document as a dict (the README's *The tariff document*; `Tariff.document()`).
TariffDocument = Tariff
#: A board document as a dict.
BoardDocument = Board
#: One event of a journal as a dict (`{"type": "payment_received", …}`), tagged by `type`.
RegistryEvent = Event
#: A finding of the tariff linter.
LintWarning = Warning
#: The quorum at a roll call or a vote (R-QUORUM).
QuorumResult = QuorumCheck
#: Every run of a simulation as lists (`simulate(..., per_run="lists")`).
PerRun = RunColumns


# What the binding accepts beside what it returns.

#: Money in: a `Decimal`, an `int` or a `str` — never a `float`.
MoneyIn = Union[Decimal, int, str]
#: A date in: a `datetime.date` or an ISO `str`.
DateIn = Union[datetime.date, str]


class _EnteInRequired(TypedDict):
    id: str
    name: str
    kind: EnteKind


class EnteIn(_EnteInRequired, total=False):
    """An ente as the binding takes it: an `Ente` whose `counts_as_of` may be an ISO `str`
    (unknown keys are refused)."""

    abitanti: Optional[int]
    imprese: Optional[int]
    counts_as_of: Optional[DateIn]
    #: The codice fiscale of the body (11 digits with the right check digit), the debtor
    #: of its pagoPA notices (R-NOTICE).
    codice_fiscale: Optional[str]


class ServiceCostIn(TypedDict):
    """A service's costs (R-COST), as `break_even` and `check_price` take them."""

    setup: MoneyIn
    amortisation_years: int
    running: MoneyIn


class _ProposalPerEnteIn(TypedDict):
    per_ente: MoneyIn


class _ProposalPerAbitanteIn(TypedDict):
    per_abitante: Union[Decimal, int, str]


#: A proposed price for `check_price`: `{"per_ente": amount}` or `{"per_abitante": rate}`.
ProposalIn = Union[_ProposalPerEnteIn, _ProposalPerAbitanteIn]


class _SimConfigInRequired(TypedDict):
    runs: int
    seed: Union[int, str]


class SimConfigIn(_SimConfigInRequired, total=False):
    """How `simulate` runs: the number of runs, the seed (a whole number, or its digits as
    a str), the yearly cost to cover."""

    cost: Optional[MoneyIn]


#: A member on the date priced (`from` is a keyword, hence the functional form).
StandingMemberIn = TypedDict(
    "StandingMemberIn", {"standing": Literal["member"], "membership": str, "from": DateIn, "to": DateIn}
)

#: Whether an ente is a member on the date priced (R-JOIN), for `Tariff.price_service`.
StandingIn = Union[StandingMemberIn, StandingNonMember]


# The columnar shapes of a simulation's runs (numpy, Arrow), which JSON has not.


class ArrowArray(Protocol):
    """An object exporting an Arrow array (the Arrow PyCapsule interface): a pyarrow array."""

    def __arrow_c_array__(self, requested_schema: Optional[object] = ...) -> Tuple[object, object]: ...


class ArrowStream(Protocol):
    """An object exporting an Arrow stream: a polars or pandas Series, a pyarrow chunked array."""

    def __arrow_c_stream__(self, requested_schema: Optional[object] = ...) -> object: ...


#: An Arrow column, as `Tariff.quote_totals` takes it.
ArrowColumn = Union[ArrowArray, ArrowStream]


class PerRunArrays(TypedDict):
    """Every run as numpy int64 arrays (`simulate(..., per_run="arrays")`): the revenue in
    integer cents."""

    members: numpy.typing.NDArray[numpy.int64]
    residents: numpy.typing.NDArray[numpy.int64]
    revenue_cents: numpy.typing.NDArray[numpy.int64]


class SimulationSummary(TypedDict):
    """What every `simulate` returns, whatever the shape of its runs: a `Simulation`
    without `per_run` (tests/test_types.py checks that the keys agree)."""

    candidates: int
    coverage: NotRequired[Optional[Coverage]]
    expected: Expected
    members: CountSummary
    residents: CountSummary
    revenue: MoneySummary
    runs: int
    seed: Union[str, int]


class SimulationArrays(SimulationSummary):
    per_run: PerRunArrays


class SimulationTable(SimulationSummary):
    per_run: RunTable
