"""cit's Python binding against a pure-Python loop, on all 7.904 Italian comuni.

    .venv/bin/python benches/python/bench_quote.py

The baseline is what an analyst would write without `cit`: the quota rules (R-CAP,
R-BAND volume/graduated, R-MINMAX, R-CEIL, R-ROUND) in plain Python with
`decimal.Decimal`, totals only. The script first checks that it gives exactly the same
totals as `cit` on every comune, then times, in one run and on the same data:

- the pure-Python loop,
- `tariff.quote_many(enti, year)` (dicts in, `Quote` objects out),
- `tariff.quote_totals(abitanti, imprese, year)` (two int columns in, integer cents out),

and prints the ratios. Each timing is the best of several repetitions (noisy machine).
"""

from __future__ import annotations

import csv
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import cit
from timing import best

ROOT = Path(__file__).resolve().parents[2]
CENT = Decimal("0.01")


def load_comuni() -> List[Dict[str, Any]]:
    with open(ROOT / "examples" / "data" / "comuni-italia-2011.csv", newline="", encoding="utf-8") as f:
        return [
            {"id": r["istat"], "name": r["nome"], "kind": "comune",
             "abitanti": int(r["abitanti"]), "imprese": (int(r["abitanti"]) * 10 + 50) // 100}
            for r in csv.DictReader(f)
        ]


def make_pure_python(doc: Dict[str, Any]) -> Callable[[int, int], Decimal]:
    """The quota of a comune as an analyst would code it: Decimal, totals only."""
    c = doc["membership"]["comune"]
    pa, pi = Decimal(c["per_abitante"]), Decimal(c["per_impresa"])
    bands = [(b["up_to"], Decimal(b["discount"])) for b in c.get("bands") or []]
    mode = c.get("band_mode")
    minimum = Decimal(c["minimum"]) if c.get("minimum") is not None else None
    maximum = Decimal(c["maximum"]) if c.get("maximum") is not None else None
    ceiling = c.get("ceiling")
    kab = Decimal(ceiling["per_abitante"]) if ceiling else None
    kimp = Decimal(ceiling["per_impresa"]) if ceiling else None

    def rnd(x: Decimal) -> Decimal:
        return x.quantize(CENT, rounding=ROUND_HALF_UP)

    def quota(ab: int, imp: int) -> Decimal:
        total = rnd(ab * pa) + rnd(imp * pi)
        if bands:
            base = ab * pa + imp * pi
            if mode == "volume":
                d = next(d for up, d in bands if up is None or ab <= up)
                total -= rnd(base * d)
            elif ab > 0:
                weighted, lower = Decimal(0), 0
                for up, d in bands:
                    upper = ab if up is None else min(up, ab)
                    weighted += (upper - lower) * d
                    if up is None or up >= ab:
                        break
                    lower = up
                q, r = divmod(base * weighted * 100, ab)
                total -= (q + (1 if 2 * r >= ab else 0)) * CENT
            else:
                total -= rnd(base * bands[0][1])
        if minimum is not None and total < minimum:
            total = minimum
        if maximum is not None and total > maximum:
            total = maximum
        if kab is not None and kimp is not None:
            total = min(total, rnd(ab * kab) + rnd(imp * kimp))
        return total

    return quota


def main() -> None:
    enti = load_comuni()
    ab = [e["abitanti"] for e in enti]
    imp = [e["imprese"] for e in enti]
    n = len(enti)
    print(f"{n} comuni; best of repeated runs; Python {'.'.join(map(str, __import__('sys').version_info[:3]))}")
    print(f"{'tariff':<22}{'pure Python':>14}{'quote_many':>14}{'ratio':>8}{'quote_totals':>14}{'ratio':>8}")
    for name, year in (("bs-2015.json", 2016), ("graduated-2026.json", 2027)):
        text = (ROOT / "examples" / "tariffs" / name).read_text()
        doc = json.loads(text)
        tariff = cit.Tariff.from_json(text)
        pure = make_pure_python(doc)
        expected = [pure(a, i) for a, i in zip(ab, imp)]
        many = tariff.quote_many(enti, year)
        assert [q.total for q in many] == expected, "quote_many differs from the pure-Python loop"
        assert tariff.quote_totals(ab, imp, year) == [int(x * 100) for x in expected], "quote_totals differs"
        t_pure = best(lambda: [pure(a, i) for a, i in zip(ab, imp)], 5)
        t_many = best(lambda: tariff.quote_many(enti, year), 15)
        t_cols = best(lambda: tariff.quote_totals(ab, imp, year), 30)
        print(f"{tariff.id:<22}{t_pure / n * 1e6:>11.2f} µs{t_many / n * 1e6:>11.3f} µs{t_pure / t_many:>7.1f}×"
              f"{t_cols / n * 1e6:>11.3f} µs{t_pure / t_cols:>7.1f}×")
    print("(per comune; ratio = pure-Python time / cit time; targets: quote_many ≥ 5×, quote_totals ≥ 25×)")


if __name__ == "__main__":
    main()
