"""Property tests with hypothesis: the wheel and the independent pure-Python reference
(tests/vectors/reference_quota.py) agree on random tariffs and enti, line by line; batches
of events applied all or none agree with single appends (R-JOURNAL)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any, Dict, List, Optional, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cit
import reference_quota as ref

rates = st.builds(lambda m, s: str(Decimal(m).scaleb(-s)), st.integers(0, 300_000), st.integers(0, 5))
cents = st.integers(0, 10_000_000).map(lambda c: f"{Decimal(c) / 100:.2f}")


@st.composite
def tariffs(draw: Any) -> Dict[str, Any]:
    c: Dict[str, Any] = {"per_abitante": draw(rates), "per_impresa": draw(rates)}
    if draw(st.booleans()):
        edges = sorted(draw(st.sets(st.integers(1, 300_000), max_size=4)))
        ds = [str(Decimal(d) / 100) for d in draw(st.lists(st.integers(0, 100), min_size=len(edges) + 1, max_size=len(edges) + 1))]
        c["bands"] = [{"up_to": e, "discount": d} for e, d in zip(edges, ds)] + [{"up_to": None, "discount": ds[-1]}]
        c["band_mode"] = draw(st.sampled_from(["volume", "graduated"]))
    minimum = draw(st.none() | cents)
    if minimum is not None:
        c["minimum"] = minimum
    maximum = draw(st.none() | st.integers(0, 10_000_000))
    if maximum is not None:
        c["maximum"] = f"{Decimal(minimum or 0) + Decimal(maximum) / 100:.2f}"
    if draw(st.booleans()):
        c["ceiling"] = {"per_abitante": draw(rates), "per_impresa": draw(rates)}
    return {"id": "h", "name": "H", "period": {"from": "2020-01-01", "to": "2030-12-31"},
            "counts_as_of": "previous_year_end",
            "membership": {"comune": c, "fixed": {"unione": draw(cents)},
                           "proration": draw(st.sampled_from(["full_year", "monthly"]))}}


enti = st.builds(
    lambda ab, ratio: {"id": "000001", "name": "P", "kind": "comune", "abitanti": ab, "imprese": ab * ratio // 100},
    st.integers(0, 3_000_000), st.integers(0, 40),
)


@st.composite
def years_and_starts(draw: Any) -> Tuple[int, Optional[str]]:
    """A year of the tariffs' period and, about half the time, a start date inside that year
    (R-PRORATA); otherwise no start."""
    year = draw(st.integers(2020, 2030))
    if not draw(st.booleans()):
        return year, None
    return year, draw(st.dates(min_value=date(year, 1, 1), max_value=date(year, 12, 31))).isoformat()


@settings(max_examples=300, deadline=None)
@given(tariffs(), enti, years_and_starts())
def test_wheel_agrees_with_the_reference(doc: Dict[str, Any], ente: Dict[str, Any], year_and_start: Tuple[int, Optional[str]]) -> None:
    year, start = year_and_start
    t = cit.Tariff.from_json(json.dumps(doc))
    expected = ref.quote(doc, ente, year, start)
    got = json.loads(t.quote(ente, year, start=start).to_json())
    assert got == expected


@settings(max_examples=100, deadline=None)
@given(tariffs(), st.lists(enti, min_size=1, max_size=20))
def test_batch_paths_agree(doc: Dict[str, Any], some: list) -> None:
    t = cit.Tariff.from_json(json.dumps(doc))
    totals = [q.total for q in t.quote_many(some, 2025)]
    assert totals == [t.quote(e, 2025).total for e in some]
    assert t.quote_totals([e["abitanti"] for e in some], [e["imprese"] for e in some], 2025) == [int(x * 100) for x in totals]


@st.composite
def journals(draw: Any) -> List[Dict[str, Any]]:
    """Enti registered, then payments by them (each a new id, whole cents)."""
    n = draw(st.integers(1, 5))
    events: List[Dict[str, Any]] = [
        {"type": "ente_registered", "ente": {"id": f"0170{i:02d}", "name": f"C{i}", "kind": "comune",
                                             "abitanti": 1000 + i, "imprese": 100}}
        for i in range(n)
    ]
    for k, (payer, c) in enumerate(draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(1, 10_000_000)), max_size=8))):
        events.append({"type": "payment_received", "payment": f"P-{k}", "payer": f"0170{payer:02d}",
                       "date": "2021-04-01", "amount": f"{c // 100}.{c % 100:02d}"})
    return events


@settings(max_examples=100, deadline=None)
@given(journals(), st.data())
def test_r_journal_batches_agree_with_single_appends(events: List[Dict[str, Any]], data: Any) -> None:
    one = cit.Registry()
    for seq, e in enumerate(events):
        assert one.apply(e, expected_version=seq) == {"outcome": "recorded", "seq": seq}
    cuts = sorted(data.draw(st.sets(st.integers(1, len(events) - 1), max_size=4)) if len(events) > 1 else set())
    chunks = [events[a:b] for a, b in zip([0, *cuts], [*cuts, len(events)])]
    refused = {"type": "payment_received", "payment": "P-x", "payer": "999999", "date": "2021-04-01", "amount": "1.00"}
    batched = cit.Registry()
    for chunk in chunks:
        v = batched.version
        # A refused event anywhere in the batch: nothing of it is applied, its position named.
        pos = data.draw(st.integers(0, len(chunk)))
        before = batched.to_json()
        with pytest.raises(cit.RegistryError) as info:
            batched.apply_all(chunk[:pos] + [refused] + chunk[pos:], expected_version=v)
        assert (info.value.code, info.value.path) == ("unknown_ente", f"events[{pos}].ente")
        assert batched.to_json() == before and batched.version == v
        recorded = batched.apply_all(chunk, expected_version=v)
        assert recorded == [{"outcome": "recorded", "seq": s} for s in range(v, v + len(chunk))]
        # The same batch again at the same version is a retry; at a stale one, a conflict.
        assert batched.apply_all(chunk, expected_version=v) == [
            {"outcome": "already_recorded", "seq": s} for s in range(v, v + len(chunk))]
        if v > 0:
            with pytest.raises(cit.ConflictError) as conflict:
                batched.apply_all([refused], expected_version=v - 1)
            assert (conflict.value.expected, conflict.value.actual) == (v - 1, batched.version)
    assert batched == one and batched.version == one.version == len(events)
    assert batched.to_json() == one.to_json()
