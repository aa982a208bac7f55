"""Every error class, with the core's code and JSON path; floats refused; no panic."""

from __future__ import annotations

import typing
from decimal import Decimal
from typing import Any, Dict

import pytest

import cit
from conftest import brescia


def test_every_core_error_code_is_in_the_type_declarations() -> None:
    # The Literal that the stubs and users' type checkers see, against the core's list.
    assert list(typing.get_args(cit.types.ErrorCode)) == cit.ERROR_CODES
    # The core's codes in its order, then the binding's own.
    assert cit.ERROR_CODES[-1] == "wrong_type" and cit.ERROR_CODES.count("wrong_type") == 1


def test_every_class_the_module_raises_is_a_class_of_cit_errors() -> None:
    # The compiled module names its classes from one list (`errors::Class`); each must exist.
    assert "CitError" in cit._cit._ERROR_CLASSES
    for name in cit._cit._ERROR_CLASSES:
        cls = getattr(cit.errors, name)
        assert isinstance(cls, type) and issubclass(cls, cit.CitError), name
        assert name in cit.errors.__all__ and getattr(cit, name) is cls, name


def test_type_errors_are_named_for_what_they_are() -> None:
    # Counts and texts, not only money: one CitTypeError (a TypeError) with code
    # `wrong_type`; `MoneyTypeError` stays as its former name.
    assert cit.MoneyTypeError is cit.CitTypeError
    assert issubclass(cit.CitTypeError, TypeError) and issubclass(cit.CitTypeError, cit.CitError)
    r = cit.Registry()
    with pytest.raises(cit.CitTypeError) as listed:
        r.apply_all("not a list")
    assert (listed.value.code, listed.value.path) == ("wrong_type", "events")
    with pytest.raises(cit.CitTypeError) as count:
        r.apply_all([], expected_version="5")
    assert (count.value.code, count.value.path) == ("wrong_type", "expected_version")
    with pytest.raises(cit.CitTypeError) as money:
        cit.break_even({"setup": 150000.0, "amortisation_years": 5, "running": "45000.00"}, {"enti": 60})
    assert (money.value.code, money.value.path) == ("wrong_type", "setup")
    assert type(money.value).__name__ == "CitTypeError"


def test_malformed_tariff_names_the_path(bs_text: str) -> None:
    with pytest.raises(cit.TariffError) as info:
        cit.Tariff.from_json(bs_text.replace('"minimum"', '"minimun"'))
    e = info.value
    assert (e.code, e.path) == ("malformed", "membership.comune.minimun")
    assert isinstance(e, cit.CitError) and isinstance(e, ValueError)


def test_invalid_tariff_lists_every_problem(bs_text: str) -> None:
    bad = bs_text.replace('"up_to": 10000', '"up_to": 1000').replace('"per_abitante": "0.15"', '"per_abitante": "-0.15"', 1)
    with pytest.raises(cit.TariffError) as info:
        cit.Tariff.from_json(bad)
    e = info.value
    assert e.code == "invalid"
    assert [p["path"] for p in e.problems] == ["membership.comune.per_abitante", "membership.comune.bands[1].up_to"]
    assert e.path == "membership.comune.per_abitante"


@pytest.mark.parametrize(
    "ente, year, cls, code, path",
    [
        ({"id": "x", "name": "x", "kind": "comune", "imprese": 1}, 2016, cit.EnteError, "missing_count", "abitanti"),
        ({"id": "x", "name": "x", "kind": "provincia"}, 2016, cit.TariffError, "kind_not_priced", "membership.fixed.provincia"),
        (brescia(), 2030, cit.TariffError, "year_outside_period", "year"),
        ({"id": "x", "name": "x", "kind": "comune", "abitanti": 1, "imprese": 1, "abitanit": 2}, 2016, cit.EnteError, "malformed", "abitanit"),
        ({"id": "x", "name": "x", "kind": "comunne"}, 2016, cit.EnteError, "malformed", "kind"),
        ({"id": " ", "name": "x", "kind": "unione"}, 2016, cit.EnteError, "invalid", "id"),
        ({"id": "x", "name": "x", "kind": "comune", "abitanti": -1, "imprese": 1}, 2016, cit.InvalidValueError, "invalid_value", "abitanti"),
        ({"id": "x", "name": "x", "kind": "comune", "abitanti": 2**64, "imprese": 1}, 2016, cit.InvalidValueError, "invalid_value", "abitanti"),
    ],
)
def test_error_classes(bs_text: str, ente: Dict[str, Any], year: int, cls: type, code: str, path: str) -> None:
    t = cit.Tariff.from_json(bs_text)
    with pytest.raises(cls) as info:
        t.quote(ente, year)  # type: ignore[arg-type]
    assert (info.value.code, info.value.path) == (code, path)


def test_overflow_is_an_error_not_a_panic() -> None:
    text = '''{"id": "t", "name": "T", "period": {"from": "2016-01-01", "to": "2016-12-31"},
      "counts_as_of": "previous_year_end",
      "membership": {"comune": {"per_abitante": "0.1234567890123456789012345678", "per_impresa": "1"}, "fixed": {}}}'''
    t = cit.Tariff.from_json(text)
    with pytest.raises(cit.CitOverflowError) as info:
        t.quote({"id": "x", "name": "x", "kind": "comune", "abitanti": 2**64 - 1, "imprese": 2**64 - 1}, 2016)
    assert info.value.code == "overflow" and isinstance(info.value, ArithmeticError)


@pytest.mark.parametrize("bad", [1.5, 0.1, True, None, [1]])
def test_floats_and_other_types_are_refused_for_counts(bs_text: str, bad: Any) -> None:
    t = cit.Tariff.from_json(bs_text)
    with pytest.raises(cit.MoneyTypeError) as info:
        t.quote_totals([bad], [1], 2016)
    assert isinstance(info.value, TypeError)
    assert info.value.path == "abitanti[0]"


def test_floats_are_refused_for_money_with_the_reason() -> None:
    with pytest.raises(cit.MoneyTypeError) as info:
        cit.break_even({"setup": 150000.0, "amortisation_years": 5, "running": Decimal("45000")}, {"enti": 10})
    assert "float" in str(info.value) and "Decimal" in str(info.value)
    assert info.value.path == "setup"
    cost = {"setup": 150000, "amortisation_years": 5, "running": "45000.00"}
    assert cit.break_even(cost, {"enti": 10})["yearly_cost"] == Decimal("75000.00")
    with pytest.raises(cit.CitError) as cent:
        cit.break_even({"setup": "1.001", "amortisation_years": 5, "running": 0}, {"enti": 10})  # fractions of a cent
    assert (cent.value.code, cent.value.path) == ("malformed", "setup")


def test_batch_errors_name_the_position(bs_text: str) -> None:
    t = cit.Tariff.from_json(bs_text)
    enti = [brescia(), {"id": "y", "name": "y", "kind": "comune", "abitanti": 5}]
    with pytest.raises(cit.EnteError) as info:
        t.quote_many(enti, 2016)
    assert info.value.path == "enti[1].imprese"
    assert str(info.value).startswith("enti[1]: ")
    # An ente that does not read is placed the same way, path and message.
    with pytest.raises(cit.EnteError) as unread:
        t.quote_many([brescia(), brescia(), dict(brescia(), kind="comunne")], 2016)
    assert (unread.value.code, unread.value.path) == ("malformed", "enti[2].kind")
    assert str(unread.value).startswith("enti[2]: ") and unread.value.message == str(unread.value)
    with pytest.raises(cit.MoneyTypeError) as typed:
        t.quote_many([dict(brescia(), abitanti=1.0)], 2016)
    assert typed.value.path == "enti[0].abitanti" and str(typed.value).startswith("enti[0]: ")


def test_errors_pickle() -> None:
    import pickle
    e = cit.TariffError("m", code="invalid", path="p", problems=[{"path": "p", "expected": "x", "found": "y"}])
    back = pickle.loads(pickle.dumps(e))
    assert (type(back), back.code, back.path, back.problems) == (cit.TariffError, "invalid", "p", e.problems)


@pytest.mark.parametrize("text", ["", "{", "[]", '{"id": 1}', "x" * 100_000, "[" * 10_000 + "]" * 10_000])
def test_garbage_is_an_error(text: str) -> None:
    with pytest.raises(cit.CitError):
        cit.Tariff.from_json(text)
