"""The shapes of the Python package's outputs on shared vectors, for shape.test.mjs: one
JSON line, each case's output written as its kinds (a dict's keys with the kinds of their
values, a list's items, and "decimal", "date", "string", "number", "boolean" or "null" for
a value), or the code of the error it raised. Run with the package installed
(`make python-wheel`)."""

from __future__ import annotations

import datetime
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict

import cit

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors"


def kinds(value: Any) -> Any:
    if isinstance(value, dict):
        return {"object": {k: kinds(v) for k, v in value.items()}}
    if isinstance(value, (list, tuple)):
        return {"array": [kinds(v) for v in value]}
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "number"
    if isinstance(value, Decimal):
        return "decimal"
    if isinstance(value, datetime.date):
        return "date"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    raise TypeError(f"unexpected {type(value).__name__}")


def governance(case: Dict[str, Any]) -> Any:
    board = cit.Board.from_json(json.dumps(case["board"]))
    if case["motion"] is None:
        return board.roll_call(case["meeting"])
    return board.decide(case["meeting"], case["motion"])


def ledger(case: Dict[str, Any]) -> Any:
    r = cit.Registry()
    applied = [r.apply(json.dumps(event)) for event in case["events"]]
    return {"applied": applied, "charges": r.charges(), "payments": r.payments(), "balances": r.balances(case["at"])}


FAMILIES: Dict[str, Callable[[Dict[str, Any]], Any]] = {"governance.json": governance, "ledger.json": ledger}


def main(file: str) -> None:
    out = {}
    for case in json.loads((VECTORS / file).read_text())["cases"]:
        try:
            out[case["name"]] = kinds(FAMILIES[file](case))
        except cit.CitError as e:
            out[case["name"]] = {"error": e.code}
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
