"""Tariffs and quotes through the wheel: the entry points of the README's Python section."""

from __future__ import annotations

import datetime
import json
import pickle
from decimal import Decimal

import pytest

import cit
from conftest import brescia


def test_quote_entry_points(bs_text: str) -> None:
    t = cit.Tariff.from_json(bs_text)
    q = t.quote(brescia(), 2016)
    assert isinstance(q.total, Decimal)
    assert q.total == Decimal("39988.24")
    assert [l["rule"] for l in q.lines] == ["R-CAP", "R-CAP", "R-BAND"]
    assert q.lines[0] == {"rule": "R-CAP", "label": "189.902 abitanti × € 0,15", "amount": Decimal("28485.30")}
    assert sum(l["amount"] for l in q.lines) == q.total
    d = q.to_dict()
    assert d["total"] == Decimal("39988.24") and d["ente"] == "017029" and d["year"] == 2016
    assert (t.id, t.name) == ("bs-2015", "CIT Brescia - Convenzione 2015-2020")
    assert t.period == {"from": datetime.date(2015, 1, 1), "to": datetime.date(2020, 12, 31)}


def test_quote_json_round_trips(bs_text: str) -> None:
    t = cit.Tariff.from_json(bs_text)
    q = t.quote(brescia(), 2016)
    assert json.loads(q.to_json())["total"] == "39988.24"
    assert cit.Quote.from_json(q.to_json()) == q
    assert cit.Tariff.from_json(t.to_json()) == t


def test_quote_many_and_totals_agree_with_quote(bs_text: str, comuni: list) -> None:
    t = cit.Tariff.from_json(bs_text)
    some = comuni[:500]
    quotes = t.quote_many(some, 2016)
    assert [q.total for q in quotes] == [t.quote(e, 2016).total for e in some]
    cents = t.quote_totals([e["abitanti"] for e in some], [e["imprese"] for e in some], 2016)
    assert cents == [int(q.total * 100) for q in quotes]
    assert all(isinstance(c, int) for c in cents)


def test_quote_many_quotes_are_whole_quotes(bs_text: str, comuni: list) -> None:
    """A quote of a batch is the quote of its ente (lines, JSON, ids, year), read as the
    dict was when priced: mutating the dicts or dropping the other quotes changes nothing."""
    t = cit.Tariff.from_json(bs_text)
    some = [dict(e) for e in comuni[:50]]
    some[7]["counts_as_of"] = datetime.date(2013, 12, 31)
    some[9]["codice_fiscale"] = "00761890177"
    expected = [t.quote(e, 2016) for e in some]
    quotes = t.quote_many(some, 2016)
    for e in some:
        e["abitanti"] = 1
        e["id"] = "changed"
    kept = quotes[7::10]
    del quotes
    for q, want in zip(kept, expected[7::10]):
        assert (q.ente, q.tariff, q.year, q.total) == (want.ente, want.tariff, want.year, want.total)
        assert q.lines == want.lines and q.to_json() == want.to_json() and q == want


def test_quote_repr_is_the_same_for_one_quote_and_a_batch(bs_text: str) -> None:
    t = cit.Tariff.from_json(bs_text)
    one = t.quote(brescia(), 2016)
    [many] = t.quote_many([brescia()], 2016)
    assert repr(one) == repr(many) == (
        'Quote(ente="017029", tariff="bs-2015", year=2016, total=Decimal(\'39988.24\'))')


def test_an_ente_names_its_first_bad_field(bs_text: str) -> None:
    t = cit.Tariff.from_json(bs_text)
    bad = {"id": "x", "name": "y", "kind": "bogus", "codice_fiscale": 123}
    for price in (lambda: t.quote(bad, 2016), lambda: t.quote_many([bad], 2016)):
        with pytest.raises(cit.EnteError) as info:
            price()
        assert info.value.path.endswith("kind")


def test_quote_many_keeps_plain_strs(bs_text: str) -> None:
    """A str subclass given as an id comes back as a plain str with its text."""
    class Tagged(str):
        pass

    t = cit.Tariff.from_json(bs_text)
    [q] = t.quote_many([dict(brescia(), id=Tagged("017029"))], 2016)
    assert type(q.ente) is str and q.ente == "017029"


def test_quote_many_stops_at_the_first_bad_ente(bs_text: str) -> None:
    t = cit.Tariff.from_json(bs_text)
    no_imprese = {"id": "y", "name": "y", "kind": "comune", "abitanti": 5}
    with pytest.raises(cit.EnteError) as info:
        t.quote_many([brescia(), no_imprese, dict(brescia(), kind="comunne")], 2016)
    assert info.value.path == "enti[1].imprese"
    with pytest.raises(cit.EnteError) as unknown:
        t.quote_many([dict(brescia(), istat="017029")], 2016)
    assert unknown.value.path == "enti[0].istat"
    with pytest.raises(cit.EnteError) as dated:
        t.quote_many([dict(brescia(), counts_as_of="2024-01-10")], 2016)
    assert dated.value.code == "counts_date_mismatch"


def test_prorata_start_as_date_or_string(graduated_text: str) -> None:
    t = cit.Tariff.from_json(graduated_text)
    unione = {"id": "U1", "name": "Unione", "kind": "unione"}
    for start in (datetime.date(2027, 4, 15), "2027-04-15"):
        q = t.quote(unione, 2027, start=start)
        assert q.total == Decimal("300.00")
        assert q.lines[-1]["rule"] == "R-PRORATA"


def test_r_cap_counts_date_is_the_tariffs_for_the_year(bs_text: str, graduated_text: str) -> None:
    assert cit.Tariff.from_json(bs_text).counts_date(2016) == datetime.date(2013, 12, 31)
    assert cit.Tariff.from_json(graduated_text).counts_date(2027) == datetime.date(2026, 12, 31)


def test_counts_as_of_accepts_dates(bs_text: str) -> None:
    t = cit.Tariff.from_json(bs_text)
    e = dict(brescia(), counts_as_of=datetime.date(2013, 12, 31))
    assert t.quote(e, 2016).total == Decimal("39988.24")
    with pytest.raises(cit.EnteError) as info:
        t.quote(dict(e, counts_as_of="2014-12-31"), 2016)
    assert info.value.code == "counts_date_mismatch"


def test_lint(bs_text: str) -> None:
    codes = [w["code"] for w in cit.Tariff.from_json(bs_text).lint()]
    assert codes == ["band_cliff", "band_cliff", "minimum_unreachable"]


def test_handles_pickle(bs_text: str) -> None:
    t = cit.Tariff.from_json(bs_text)
    q = t.quote(brescia(), 2016)
    assert pickle.loads(pickle.dumps(t)) == t
    assert pickle.loads(pickle.dumps(q)) == q


def test_quote_rows_and_frame(bs_text: str) -> None:
    t = cit.Tariff.from_json(bs_text)
    rows = cit.quote_rows(t.quote_many([brescia()], 2016))
    assert rows == [{"ente": "017029", "tariff": "bs-2015", "year": 2016, "total": Decimal("39988.24"), "lines": 3}]
    pandas = pytest.importorskip("pandas")
    frame = cit.quotes_frame(t.quote_many([brescia()], 2016))
    assert isinstance(frame, pandas.DataFrame) and frame["total"][0] == Decimal("39988.24")


def test_version_and_rules() -> None:
    assert cit.__version__
    assert cit.RULES[0] == "R-FIX" and "R-ADOPT" in cit.RULES


def test_quote_totals_takes_int64_buffers(bs_text: str) -> None:
    """Columns with the buffer protocol (numpy int64 arrays; here array.array) are read
    in one copy, with the same results as lists."""
    from array import array

    t = cit.Tariff.from_json(bs_text)
    ab, imp = [189902, 130, 0], [21500, 9, 0]
    expected = t.quote_totals(ab, imp, 2016)
    assert t.quote_totals(array("q", ab), array("q", imp), 2016) == expected
    assert t.quote_totals(array("Q", ab), array("q", imp), 2016) == expected
    with pytest.raises(cit.InvalidValueError) as info:
        t.quote_totals(array("q", [1, -5]), array("q", [1, 1]), 2016)
    assert info.value.path == "abitanti[1]"
    with pytest.raises(cit.MoneyTypeError):
        t.quote_totals(array("d", [1.0]), array("q", [1]), 2016)
    numpy = pytest.importorskip("numpy")
    assert t.quote_totals(numpy.array(ab, dtype=numpy.int64), numpy.array(imp, dtype=numpy.int64), 2016).tolist() == expected


def test_quote_many_leaves_the_cycle_collector_as_it_was(bs_text: str) -> None:
    """quote_many pauses the collector while it makes the Quote objects (they hold no Python
    object): enabled or disabled before, the same after, and after an error too."""
    import gc

    t = cit.Tariff.from_json(bs_text)
    was = gc.isenabled()
    try:
        for state in (True, False):
            (gc.enable if state else gc.disable)()
            assert [q.total for q in t.quote_many([brescia()], 2016)] == [Decimal("39988.24")]
            assert gc.isenabled() is state
            with pytest.raises(cit.EnteError):
                t.quote_many([brescia(), {"id": "x"}], 2016)
            assert gc.isenabled() is state
    finally:
        (gc.enable if was else gc.disable)()
