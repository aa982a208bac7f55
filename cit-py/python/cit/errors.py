"""The exceptions of `cit`: every error of the core arrives as a subclass of `CitError`.

Each carries a stable `code` (the core's `"year_outside_period"`, …, or `"wrong_type"`: see
`ERROR_CODES`), the JSON `path` of the offending field where there is one, and for an
invalid document every `problem` found (path, expected, found). The class is chosen by the kind of error: an event
refused inside a batch or a journal raises the class of its own error, its position in
`path` (`events[3].amount`).
"""

from __future__ import annotations

from typing import List, Optional, TypedDict


class Problem(TypedDict):
    """One problem of an invalid document."""

    path: str
    expected: str
    found: str


class CitError(ValueError):
    """Base class of every error `cit` raises."""

    message: str
    code: str
    path: Optional[str]
    problems: List[Problem]
    #: The position of the refused event in a journal (`Registry.from_json`) or a batch
    #: (`Registry.apply_all`); `None` for any other error.
    event: Optional[int]

    def __init__(
        self,
        message: str,
        *,
        code: str = "error",
        path: Optional[str] = None,
        problems: Optional[List[Problem]] = None,
        event: Optional[int] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.path = path
        self.problems = list(problems or [])
        self.event = event


class TariffError(CitError):
    """A tariff document that does not parse or validate, a year outside its period, a
    kind it does not price."""


class EnteError(CitError):
    """An ente that does not parse, or whose counts the tariff cannot use (missing, or
    taken at another date)."""


class QuoteError(CitError):
    """A quote document that does not parse, or whose total is not the sum of its lines."""


class GovernanceError(CitError):
    """A board, sitting or adoption record that does not parse or validate, or an
    adoption the minutes do not allow (R-ADOPT)."""


class TransitionError(CitError):
    """A lifecycle step the state of a membership, subscription or charge does not allow
    (R-JOIN, R-ACT, R-RENEW, R-CANCEL); nothing was changed."""


class RegistryError(CitError):
    """An event the registry refuses: an unknown ente, service or entry, a duplicate id,
    no tariff for a date or overlapping tariff periods, a members-only service for a
    non-member (R-MEMBERS-ONLY). Nothing was appended."""


class ConflictError(RegistryError):
    """An append that expected the journal at version `expected`, but another writer
    appended first and it is at `actual` (code `version_conflict`, R-JOURNAL). Nothing was
    applied: re-read the registry and retry."""

    expected: int
    actual: int

    def __init__(
        self,
        message: str,
        *,
        code: str = "version_conflict",
        path: Optional[str] = None,
        problems: Optional[List[Problem]] = None,
        event: Optional[int] = None,
        expected: int = 0,
        actual: int = 0,
    ) -> None:
        super().__init__(message, code=code, path=path, problems=problems, event=event)
        self.expected = expected
        self.actual = actual


class InvalidValueError(CitError):
    """An argument out of its domain."""


class CitOverflowError(CitError, ArithmeticError):
    """An amount beyond exact decimal arithmetic: never rounded silently."""


class CitTypeError(CitError, TypeError):
    """A value of the wrong Python type (code `wrong_type`): a `float` or a `bool` where
    money, a decimal or a count was expected (a `float` cannot hold amounts such as 0.15
    exactly: pass a `Decimal`, an `int` or a `str`), a `str` where a count or a list was
    expected, anything but a `str` where text was expected."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "wrong_type",
        path: Optional[str] = None,
        problems: Optional[List[Problem]] = None,
        event: Optional[int] = None,
    ) -> None:
        super().__init__(message, code=code, path=path, problems=problems, event=event)


#: The former name of `CitTypeError`, kept so that code catching it keeps working: it is
#: raised for counts, texts and lists too, not only for money.
MoneyTypeError = CitTypeError


__all__ = [
    "CitError",
    "CitOverflowError",
    "CitTypeError",
    "ConflictError",
    "EnteError",
    "GovernanceError",
    "InvalidValueError",
    "MoneyTypeError",
    "Problem",
    "QuoteError",
    "RegistryError",
    "TariffError",
    "TransitionError",
]
