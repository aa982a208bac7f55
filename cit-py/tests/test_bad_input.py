"""The bad-input suite (tests/bad-input/cases.json) through the wheel: every malformed
document raises a `CitError` with the documented code and path; nothing panics or hangs."""

from __future__ import annotations

import importlib
import json
from typing import Any, Callable, Dict

import pytest

import cit
from conftest import ROOT, load_json

CASES = load_json(ROOT / "tests" / "bad-input" / "cases.json")["cases"]


def read_flow(text: str) -> Any:
    """`cit.pagopa.read_flow`: a flusso di rendicontazione (FlussoRiversamento XML)."""
    pagopa = getattr(cit, "pagopa", None) or importlib.import_module("cit.pagopa")
    return pagopa.read_flow(text)


def break_even(text: str) -> Any:
    """`cit.break_even` of a service cost document, for 60 enti."""
    return cit.break_even(text, {"enti": 60})


READERS: Dict[str, Callable[[str], Any]] = {
    "tariff": cit.Tariff.from_json,
    "registry": cit.Registry.from_json,
    "board": cit.Board.from_json,
    "flow": read_flow,
    "cost": break_even,
}


def case_text(case: Dict[str, Any]) -> str:
    if "text" in case:
        return str(case["text"])
    return str(case["prefix"] + case["fill"] * case["times"] + case["suffix"])


@pytest.mark.parametrize("case", CASES, ids=[f"{c['document']}: {c['name']}" for c in CASES])
def test_bad_input_is_refused(case: Dict[str, Any]) -> None:
    with pytest.raises(cit.CitError) as info:
        READERS[case["document"]](case_text(case))
    assert info.value.code == case["code"], str(info.value)
    if "path" in case:
        assert info.value.path == case["path"], str(info.value)


def test_the_suite_is_large_enough() -> None:
    assert len(CASES) >= 50
