"""The shared vectors (tests/vectors/*.json, see its README) through the wheel: the same
JSON as the Rust core gives — exactly for quotes, field by field for the other families
(every field a vector lists, with its exact value; the binding may give more)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any, Callable, Dict, List

import pytest

import cit
from conftest import VECTORS, assert_schema, load_json


def cases(file: str, family: str, minimum: int) -> List[Dict[str, Any]]:
    doc = load_json(VECTORS / file)
    assert doc["family"] == family
    assert len(doc["cases"]) >= minimum, f"{file}: {len(doc['cases'])} cases"
    found: List[Dict[str, Any]] = doc["cases"]
    return found


def params(file: str, family: str, minimum: int) -> Any:
    found = cases(file, family, minimum)
    return pytest.mark.parametrize("case", found, ids=[c["name"] for c in found])


def tariff(spec: Any) -> cit.Tariff:
    text = (VECTORS / "tariffs" / spec).read_text() if isinstance(spec, str) else json.dumps(spec)
    return cit.Tariff.from_json(text)


def as_json(value: Any) -> Any:
    """The binding's native values as the JSON documents write them: a `Decimal` as its
    plain decimal text, a date in ISO form."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    return value


def project(got: Any, want: Any) -> Any:
    """`got` restricted to the fields `want` lists, recursively (lists element by element)."""
    if isinstance(got, dict) and isinstance(want, dict):
        return {k: project(got[k], want[k]) for k in want if k in got}
    if isinstance(got, list) and isinstance(want, list) and len(got) == len(want):
        return [project(g, w) for g, w in zip(got, want)]
    return got


def check(case: Dict[str, Any], run: Callable[[], Any], contract: Dict[str, str], exact: bool = False) -> None:
    """Runs the case and compares with its `expected` (projected unless `exact`) or its
    `expected_error`; the output is also validated against the schema (`contract`: the type
    of the output, under `"."`, or of each of its keys)."""
    want = {"expected": case["expected"]} if "expected" in case else {"expected_error": case["expected_error"]}
    try:
        out = as_json(run())
    except cit.CitError as e:
        got: Dict[str, Any] = {"expected_error": {"code": e.code, "path": e.path}}
        for where in ("event", "flow"):  # the index of the refused event or flow
            index = getattr(e, where, None)
            if index is not None:
                got["expected_error"][where] = index
    else:
        for key, type_name in contract.items():
            assert_schema(out if key == "." else out[key], type_name)
        got = {"expected": out if exact else project(out, case.get("expected"))}
    assert got == want, case.get("why", "")


@params("quota.json", "quota", 250)
def test_quota_vector(case: Dict[str, Any]) -> None:
    check(
        case,
        lambda: json.loads(tariff(case["tariff"]).quote(case["ente"], case["year"], case.get("start")).to_json()),
        {".": "Quote"},
        exact=True,
    )


@params("service_price.json", "service_price", 30)
def test_service_price_vector(case: Dict[str, Any]) -> None:
    def run() -> Any:
        t = tariff(case["tariff"])
        return t.price_service(case["ente"], case["service"], case["quantity"], case["standing"], case["date"])

    check(case, run, {".": "ServiceQuote"})


@params("ledger.json", "ledger", 20)
def test_ledger_vector(case: Dict[str, Any]) -> None:
    def run() -> Any:
        r = cit.Registry()
        for i, event in enumerate(case["events"]):
            try:
                r.apply(json.dumps(event))
            except cit.CitError as e:
                assert e.event is None, "a single apply names no position"
                e.event = i  # the index of the refused event in the vector
                raise
        return {"charges": r.charges(), "balances": r.balances(case["at"])}

    check(case, run, {"charges": "Charge[]", "balances": "Balance[]"})


@params("governance.json", "governance", 40)
def test_governance_vector(case: Dict[str, Any]) -> None:
    def run() -> Any:
        board = cit.Board.from_json(json.dumps(case["board"]))
        if case["motion"] is None:
            return board.roll_call(case["meeting"])
        return board.decide(case["meeting"], case["motion"])

    check(case, run, {".": "QuorumCheck" if case["motion"] is None else "Decision"})


@params("simulation.json", "simulation", 10)
def test_simulation_vector(case: Dict[str, Any]) -> None:
    config = {"runs": case["runs"], "seed": case["seed"]}
    if case["cost"] is not None:
        config["cost"] = case["cost"]
    check(case, lambda: cit.simulate(case["candidates"], config), {".": "Simulation"})


@params("pagopa.json", "pagopa", 30)
def test_pagopa_vector(case: Dict[str, Any]) -> None:
    def run() -> Any:
        r = cit.Registry()
        for i, event in enumerate(case["events"]):
            try:
                r.apply(event)
            except cit.CitError as e:
                assert e.event is None, "a single apply names no position"
                e.event = i  # the index of the refused event in the vector
                raise
        reports = []
        for k, xml in enumerate(case["flows"]):
            try:
                report = r.reconcile_flow(xml)
                for event in report["events"]:  # dicts with Decimal amounts and dates
                    r.apply(event)
            except cit.CitError as e:
                e.flow = k  # type: ignore[attr-defined]  # the index of the flow refused
                raise
            reports.append(report)
        return {"notices": r.notices(case["year"]), "reports": reports, "balances": r.balances(case["at"])}

    check(case, run, {"notices": "Notice[]", "reports": "Reconciliation[]", "balances": "Balance[]"})
