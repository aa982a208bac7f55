"""The shared vectors (tests/vectors/*.json) through the wheel: the same JSON, exactly, as
the Rust core gives."""

from __future__ import annotations

import json
from typing import Any, Dict

import pytest

import cit
from conftest import VECTORS, load_json

DOC = load_json(VECTORS / "quota.json")


def tariff(spec: Any) -> cit.Tariff:
    text = (VECTORS / "tariffs" / spec).read_text() if isinstance(spec, str) else json.dumps(spec)
    return cit.Tariff.from_json(text)


@pytest.mark.parametrize("case", DOC["cases"], ids=[c["name"] for c in DOC["cases"]])
def test_quota_vector(case: Dict[str, Any]) -> None:
    t = tariff(case["tariff"])
    try:
        q = t.quote(case["ente"], case["year"], start=case.get("start"))
    except cit.CitError as e:
        assert {"expected_error": {"code": e.code, "path": e.path}} == {"expected_error": case.get("expected_error")}
        return
    assert json.loads(q.to_json()) == case.get("expected"), case.get("why", "")
