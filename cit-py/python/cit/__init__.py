"""cit: the rules of Italian inter-municipal digital service centres (CIT), for Python.

The quota di adesione of every ente to the cent, the governance of the Tavoli, cost
recovery, savings and adhesion simulation — computed by the same Rust core as the
WebAssembly package, so that a portal, a notebook and a browser agree to the cent.

Money is `decimal.Decimal` (in: `Decimal`, `int` or `str`; a `float` raises
`CitTypeError`), dates are `datetime.date`, enti are dicts shaped like the Ente JSON
document. Every error is a `CitError` with the core's `code` and the JSON `path`.

>>> import cit
>>> tariff = cit.Tariff.from_json(open("examples/tariffs/bs-2015.json").read())  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, List

from ._cit import (
    ERROR_CODES,
    RULES,
    Board,
    Quote,
    QuoteTable,
    Registry,
    RunTable,
    Tariff,
    __version__,
    break_even,
    candidates,
    check_price,
    format_euro,
    journal_entry,
    is_small,
    saving,
    simulate,
    yearly,
)
from . import pagopa, types
from .errors import (
    CitError,
    CitOverflowError,
    CitTypeError,
    ConflictError,
    EnteError,
    GovernanceError,
    InvalidValueError,
    MoneyTypeError,
    Problem,
    QuoteError,
    RegistryError,
    TariffError,
    TransitionError,
)

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]


def quote_rows(quotes: Iterable[Quote]) -> List[dict[str, Any]]:
    """One plain dict per quote — `ente`, `tariff`, `year`, `total` (a `Decimal`) and the
    number of lines — ready for `pandas.DataFrame(...)` or `polars.DataFrame(...)`."""
    return [
        {"ente": q.ente, "tariff": q.tariff, "year": q.year, "total": q.total, "lines": len(q.lines)}
        for q in quotes
    ]


def quotes_frame(quotes: Iterable[Quote]) -> "pandas.DataFrame":
    """The quotes as a pandas DataFrame (one row per quote, `total` as `Decimal`).

    pandas is optional: this raises `ImportError` with a hint if it is not installed."""
    try:
        import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("cit.quotes_frame needs pandas: pip install pandas") from e
    return pandas.DataFrame(quote_rows(quotes))


__all__ = [
    "ERROR_CODES",
    "RULES",
    "Board",
    "CitError",
    "CitOverflowError",
    "CitTypeError",
    "ConflictError",
    "EnteError",
    "GovernanceError",
    "InvalidValueError",
    "MoneyTypeError",
    "Problem",
    "Quote",
    "QuoteTable",
    "QuoteError",
    "Registry",
    "RegistryError",
    "RunTable",
    "Tariff",
    "TariffError",
    "TransitionError",
    "__version__",
    "break_even",
    "candidates",
    "check_price",
    "format_euro",
    "journal_entry",
    "is_small",
    "pagopa",
    "quote_rows",
    "quotes_frame",
    "saving",
    "types",
    "simulate",
    "yearly",
]
