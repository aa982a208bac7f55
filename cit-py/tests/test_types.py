"""`cit.types`: the TypedDicts generated from schema/cit.schema.json (`cit._types_generated`,
`make types`) and what is written by hand beside them, which must keep to the schema's keys."""

from __future__ import annotations

import subprocess
import sys
from typing import Any, Dict

import pytest

import cit
from conftest import SCHEMA

# (hand-written type, the generated type whose keys it must have, the keys it leaves out)
MIRRORS = [
    ("EnteIn", "Ente", set()),
    ("ServiceCostIn", "ServiceCost", set()),
    ("SimConfigIn", "SimConfig", set()),
    ("StandingMemberIn", "StandingMember", set()),
    ("SimulationSummary", "Simulation", {"per_run"}),
]


def keys(cls: Any) -> Dict[str, bool]:
    """Each key of a TypedDict, and whether it is required. `NotRequired[...]` written in a
    class body is a string annotation (`from __future__ import annotations`), which
    `__required_keys__` does not read: it is read here from the annotation's text."""
    out: Dict[str, bool] = {}
    for name, annotation in cls.__annotations__.items():
        text = getattr(annotation, "__forward_arg__", annotation if isinstance(annotation, str) else "")
        out[name] = name in cls.__required_keys__ and not text.startswith("NotRequired[")
    return out


@pytest.mark.parametrize("written,generated,left_out", MIRRORS)
def test_the_hand_written_types_keep_to_the_schemas_keys(written: str, generated: str, left_out: set) -> None:
    mine = keys(getattr(cit.types, written))
    theirs = keys(getattr(cit.types, generated))
    assert set(mine) == set(theirs) - left_out
    assert {k: v for k, v in theirs.items() if k not in left_out} == mine


def test_every_type_of_the_schema_is_a_name_of_cit_types() -> None:
    for name in SCHEMA["$defs"]:
        assert hasattr(cit.types, name), name


def test_cit_types_imports_without_numpy() -> None:
    code = "import sys; sys.modules['numpy'] = None; import cit.types; print('ok')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"
