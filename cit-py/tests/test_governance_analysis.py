"""Governance and analysis through the wheel."""

from __future__ import annotations

import datetime
import pickle
from decimal import Decimal

import pytest

import cit
from conftest import EXAMPLES, brescia

BOARD = """{
  "id": "ts", "kind": "strategico", "name": "Tavolo Strategico", "president": "a",
  "members": [{"ente": "a", "representative": "Sindaca di A"},
              {"ente": "b", "representative": "Sindaco di B"},
              {"ente": "c", "representative": "Assessore di C"}],
  "meetings": [{"date": "2026-11-18", "present": ["a", "b", "c"],
                "motions": [{"id": "2", "title": "Quota di adesione 2027",
                             "votes": {"a": "yes", "b": "yes", "c": "no"}},
                            {"id": "3", "title": "Altro", "votes": {"a": "yes", "b": "no", "c": "abstain"}}]}]
}"""


def test_board_vote_and_adoption(graduated_text: str) -> None:
    board = cit.Board.from_json(BOARD)
    assert (board.id, board.kind, board.meetings()) == ("ts", "strategico", [datetime.date(2026, 11, 18)])
    rc = board.roll_call("2026-11-18")
    assert (rc["present"], rc["required"], rc["met"]) == (3, 2, True)
    d = board.decide(datetime.date(2026, 11, 18), "2")
    assert d["passed"] and d["outcome"] == "passed"
    assert d["sentence"] == "Presenti 3 su 3; favorevoli 2, contrari 1, astenuti 0: approvata a maggioranza dei presenti"
    # The names of the core's Decision JSON, as in the wasm package.
    assert d["verdict"] == "approvata a maggioranza dei presenti"
    assert d["heads_check"] == {"base": 3, "required": 2, "met": True}
    assert (d["weights"], d["weights_check"]) == (None, None)
    assert board.decide("2026-11-18", "3")["outcome"] in ("tie", "rejected")
    t = cit.Tariff.from_json(graduated_text).adopt(board, "2026-11-18", "2")
    assert t.adoption is not None and t.adoption.startswith("Deliberazione del Tavolo Strategico del 18/11/2026")
    assert t.quote(brescia(), 2027).adoption == t.adoption
    with pytest.raises(cit.GovernanceError) as info:
        cit.Tariff.from_json(graduated_text).adopt(board, "2026-11-18", "3")
    assert info.value.code == "adoption_refused"
    assert pickle.loads(pickle.dumps(board)) == board


def test_board_errors() -> None:
    with pytest.raises(cit.GovernanceError) as info:
        cit.Board.from_json(BOARD.replace('"kind": "strategico"', '"kind": "strategic"'))
    assert info.value.code == "malformed" and info.value.path == "kind"
    with pytest.raises(cit.InvalidValueError):
        cit.Board.from_json(BOARD).decide("2026-01-01", "2")


def test_yearly() -> None:
    report = cit.yearly([cit.Board.from_json(BOARD)], 2025, 2026)
    years = report["years"]
    assert [y["year"] for y in years] == [2025, 2026]
    assert [m["board"] for m in years[0]["missed"]] == ["ts"] and years[1]["met"][0]["board"] == "ts"
    assert isinstance(years[1]["met"][0]["sittings"][0], datetime.date)


def test_break_even_and_price_check() -> None:
    cost = {"setup": Decimal("1200000") / 100, "amortisation_years": 3, "running": 5000}
    be = cit.break_even(cost, {"enti": 40, "abitanti": 100_000})
    assert be["cost"]["setup"] == Decimal("12000.00") and be["adherents"] == {"enti": 40, "abitanti": 100_000}
    assert be["yearly_cost"] == Decimal("9000.00")
    assert be["per_ente"] is not None and be["per_ente"]["fee"] == Decimal("225.00")
    assert be["per_abitante"] is not None and be["per_abitante"]["rate"] == Decimal("0.09")
    check = cit.check_price(cost, {"enti": 40}, {"per_ente": "200.00"})
    assert check["below_cost"] and check["margin"] == Decimal("-1000.00") and check["basis"] == "per_ente"
    with pytest.raises(cit.CitError) as info:
        cit.check_price(cost, {"enti": 40}, {"per_ente": "200.001"})
    assert (info.value.code, info.value.path) == ("malformed", "per_ente")


def test_saving() -> None:
    s = cit.saving([
        {"ente": "a", "abitanti": 1000, "through_cit": "80.00", "market": "100.00"},
        {"ente": "b", "abitanti": 3000, "through_cit": 90, "market": Decimal("100")},
    ])
    assert s["mean_reduction"] == Decimal("0.15") and s["meets_target"]
    assert s["per_ente"][0]["market"] is not None


def test_simulation_is_seeded_and_matches_its_expectation(bs_text: str) -> None:
    t = cit.Tariff.from_json(bs_text)
    enti = [dict(brescia(), id=str(i), abitanti=1000 * (i + 1), imprese=100 * i) for i in range(20)]
    cands = cit.candidates(t, enti, ["0.5"] * 20, 2016)
    assert cands[0]["quota"] == t.quote(enti[0], 2016).total
    a = cit.simulate(cands, {"runs": 2000, "seed": 42, "cost": "10000.00"})
    b = cit.simulate(cands, {"runs": 2000, "seed": "42", "cost": Decimal("10000")})
    assert a == b
    assert a["expected"]["members"] == Decimal("10.0000")
    assert abs(a["members"]["mean"] - 10) < Decimal("0.3")
    assert a["coverage"] is not None and 0 <= a["coverage"]["probability"] <= 1
    assert len(a["per_run"]["revenue"]) == 2000 and a["seed"] == "42"
    with pytest.raises(cit.MoneyTypeError):
        cit.candidates(t, enti[:1], [0.5], 2016)  # type: ignore[list-item]
    # A probability out of range is refused where it was, once (not `….probability.probability`).
    with pytest.raises(cit.InvalidValueError) as info:
        cit.candidates(t, enti[:2], ["0.5", "1.5"], 2016)
    assert (info.value.code, info.value.path) == ("invalid_value", "probabilities[1]")
    with pytest.raises(cit.CitError) as info:
        cit.simulate([dict(cands[0], probability="-0.1")], {"runs": 10, "seed": 42})
    assert (info.value.code, info.value.path) == ("malformed", "[0].probability")


def test_is_small() -> None:
    assert cit.is_small(4999) and not cit.is_small(5000)
