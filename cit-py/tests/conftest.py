"""Shared fixtures. The suite runs against the installed wheel (`import cit`), never
against the source tree: `make test` builds the wheel with maturin and installs it."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
VECTORS = ROOT / "tests" / "vectors"
sys.path.insert(0, str(VECTORS))  # reference_quota.py, the independent implementation


SCHEMA = json.loads((ROOT / "schema" / "cit.schema.json").read_text(encoding="utf-8"))


def assert_schema(value: Any, type_name: str) -> None:
    """Asserts that `value` (as its JSON: `Decimal` and dates as text) is a `type_name` of
    schema/cit.schema.json, the contract generated from the core (`"Balance[]"`: a list)."""
    from jsonschema import Draft202012Validator

    ref = {"$ref": f"#/$defs/{type_name.removesuffix('[]')}"}
    schema = {"type": "array", "items": ref} if type_name.endswith("[]") else ref
    errors = list(Draft202012Validator({**schema, "$defs": SCHEMA["$defs"]}).iter_errors(value))
    assert not errors, f"not a {type_name} of the schema: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5])


def tariff_text(name: str) -> str:
    return (EXAMPLES / "tariffs" / name).read_text()


@pytest.fixture(scope="session")
def bs_text() -> str:
    return tariff_text("bs-2015.json")


@pytest.fixture(scope="session")
def graduated_text() -> str:
    return tariff_text("graduated-2026.json")


@pytest.fixture(scope="session")
def comuni() -> List[Dict[str, Any]]:
    """All 7.904 comuni of the 2011 census, with imprese estimated at 0,10 per abitante
    (rounded half up), as the Rust examples do."""
    rows = []
    with open(EXAMPLES / "data" / "comuni-italia-2011.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            ab = int(r["abitanti"])
            rows.append({"id": r["istat"], "name": r["nome"], "kind": "comune",
                         "abitanti": ab, "imprese": (ab * 10 + 50) // 100})
    return rows


def brescia() -> Dict[str, Any]:
    return {"id": "017029", "name": "Brescia", "kind": "comune", "abitanti": 189902, "imprese": 21500}


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
