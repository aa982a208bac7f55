"""Handles pickle, so work fans out to processes: quote_many over chunks in a
ProcessPoolExecutor gives the same totals as one call."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from typing import Any, Dict, List

import cit


def chunk_totals(args: Any) -> List[Decimal]:
    tariff, chunk = args
    return [q.total for q in tariff.quote_many(chunk, 2016)]


def test_quote_many_in_a_process_pool(bs_text: str, comuni: List[Dict[str, Any]]) -> None:
    t = cit.Tariff.from_json(bs_text)
    chunks = [comuni[i:i + 1000] for i in range(0, len(comuni), 1000)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        parallel = [x for part in pool.map(chunk_totals, [(t, c) for c in chunks]) for x in part]
    single = [q.total for q in t.quote_many(comuni, 2016)]
    assert parallel == single
    assert sum(single) == sum(parallel)
