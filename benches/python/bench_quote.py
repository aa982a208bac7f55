"""cit's Python binding against what an analyst writes without it, on all 7.904 Italian comuni.

    .venv/bin/python benches/python/bench_quote.py

Two kinds of baseline, each timed in the same run and on the same data as `cit`:

- a pure-Python `decimal.Decimal` loop: the quota rules (R-CAP, R-BAND volume/graduated,
  R-MINMAX, R-CEIL, R-ROUND), totals only, exact;
- the columnar ways an analyst prices every comune at once: numpy with float64 (fast, and
  off by a cent on some comuni: the script counts them) and polars with integer-cent
  expressions written by hand (exact, as an expert writes it; without lines or
  explanations). Both need numpy / polars; without them their rows are skipped.

The script first checks that the exact ways give the same totals as `cit` on every
comune, then times `tariff.quote_many(enti, year)` (dicts in, `Quote` objects out) and
`tariff.quote_totals(abitanti, imprese, year)` (lists in and out; numpy int64 arrays in and
out) and `tariff.quote_table(...)` read by `pyarrow.table` and `polars.DataFrame` (Arrow,
`decimal128` totals). Each timing is the best of several repetitions (noisy machine); the
ratios are taken between timings of this one run.
"""

from __future__ import annotations

import csv
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

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


def numpy_float(doc: Dict[str, Any], np: Any) -> Callable[[Any, Any], Any]:
    """The quota as many analysts write it in numpy: float64 rates, `np.round` to cents."""
    c = doc["membership"]["comune"]
    pa, pi = float(c["per_abitante"]), float(c["per_impresa"])
    bands = [(b["up_to"], float(b["discount"])) for b in c.get("bands") or []]
    mode = c.get("band_mode")
    minimum = float(c["minimum"]) if c.get("minimum") is not None else None
    maximum = float(c["maximum"]) if c.get("maximum") is not None else None
    ceiling = c.get("ceiling")
    ups = np.array([up for up, _ in bands[:-1]], dtype=np.float64)
    discounts = np.array([d for _, d in bands], dtype=np.float64)

    def quota(ab: Any, imp: Any) -> Any:
        base = ab * pa + imp * pi
        total = np.round(ab * pa, 2) + np.round(imp * pi, 2)
        if mode == "volume":
            total = total - np.round(base * discounts[np.searchsorted(ups, ab, side="left")], 2)
        elif mode == "graduated":
            weighted = np.zeros_like(ab)
            lower = 0.0
            for up, d in bands:
                upper = ab if up is None else np.minimum(ab, up)
                weighted = weighted + np.maximum(upper - lower, 0.0) * d
                lower = up if up is not None else lower
            total = total - np.round(base * weighted / np.maximum(ab, 1.0), 2)
        if minimum is not None:
            total = np.maximum(total, minimum)
        if maximum is not None:
            total = np.minimum(total, maximum)
        if ceiling:
            cap = np.round(ab * float(ceiling["per_abitante"]), 2) + np.round(imp * float(ceiling["per_impresa"]), 2)
            total = np.minimum(total, cap)
        return total

    return quota


def polars_cents(doc: Dict[str, Any], pl: Any) -> Callable[[Any], Any]:
    """The quota in polars as an expert writes it: integer cents, rounding half up by hand.
    Valid for tariffs whose rates are whole cents and whose discounts whole percents (both
    of the bench's); the script checks every total against `cit`."""
    c = doc["membership"]["comune"]

    def whole(text: str, scale: int) -> int:
        v = Decimal(text) * scale
        assert v == v.to_integral_value(), f"{text} is not a whole number of 1/{scale}"
        return int(v)

    pa, pi = whole(c["per_abitante"], 100), whole(c["per_impresa"], 100)
    bands = [(b["up_to"], whole(b["discount"], 100)) for b in c.get("bands") or []]
    mode = c.get("band_mode")
    minimum = whole(c["minimum"], 100) if c.get("minimum") is not None else None
    maximum = whole(c["maximum"], 100) if c.get("maximum") is not None else None
    ceiling = c.get("ceiling")
    ab, imp = pl.col("abitanti"), pl.col("imprese")

    def expr() -> Any:
        base = ab * pa + imp * pi  # cents, exact
        total = base
        if mode == "volume":
            pct: Any = pl.lit(bands[-1][1])
            for up, d in reversed(bands[:-1]):
                pct = pl.when(ab <= up).then(d).otherwise(pct)
            total = total - (base * pct + 50) // 100
        elif mode == "graduated":
            weighted: Any = pl.lit(0)
            lower = 0
            for up, d in bands:
                upper = ab if up is None else pl.min_horizontal(ab, pl.lit(up))
                weighted = weighted + pl.max_horizontal(upper - lower, pl.lit(0)) * d
                lower = up if up is not None else lower
            num, den = base * weighted, ab * 100
            total = total - pl.when(ab > 0).then((2 * num + den) // (2 * den)).otherwise((base * bands[0][1] + 50) // 100)
        if minimum is not None:
            total = pl.max_horizontal(total, pl.lit(minimum))
        if maximum is not None:
            total = pl.min_horizontal(total, pl.lit(maximum))
        if ceiling:
            cap = ab * whole(ceiling["per_abitante"], 100) + imp * whole(ceiling["per_impresa"], 100)
            total = pl.min_horizontal(total, cap)
        return total.alias("cents")

    e = expr()
    return lambda frame: frame.select(e)


def optional(name: str) -> Optional[Any]:
    try:
        return __import__(name)
    except ImportError:
        return None


def main() -> None:
    np, pl, pa = optional("numpy"), optional("polars"), optional("pyarrow")
    enti = load_comuni()
    ab = [e["abitanti"] for e in enti]
    imp = [e["imprese"] for e in enti]
    n = len(enti)
    print(f"{n} comuni; best of repeated runs; Python {'.'.join(map(str, __import__('sys').version_info[:3]))}"
          f"; numpy {getattr(np, '__version__', '-')}, polars {getattr(pl, '__version__', '-')}, pyarrow {getattr(pa, '__version__', '-')}")
    for name, year in (("bs-2015.json", 2016), ("graduated-2026.json", 2027)):
        text = (ROOT / "examples" / "tariffs" / name).read_text()
        doc = json.loads(text)
        tariff = cit.Tariff.from_json(text)
        pure = make_pure_python(doc)
        expected = [pure(a, i) for a, i in zip(ab, imp)]
        cents = [int(x * 100) for x in expected]
        many = tariff.quote_many(enti, year)
        assert [q.total for q in many] == expected, "quote_many differs from the pure-Python loop"
        assert tariff.quote_totals(ab, imp, year) == cents, "quote_totals differs"
        rows: List[Tuple[str, float, str]] = []
        t_pure = best(lambda: [pure(a, i) for a, i in zip(ab, imp)], 5)
        rows.append(("pure-Python Decimal loop", t_pure, "yes"))
        rows.append(("quote_many (dicts in, Quote objects out)", best(lambda: tariff.quote_many(enti, year), 15), "yes"))
        rows.append(("quote_totals, lists in and out", best(lambda: tariff.quote_totals(ab, imp, year), 30), "yes"))
        t_float: Optional[float] = None
        if np is not None:
            ab_f, imp_f = np.array(ab, dtype=np.float64), np.array(imp, dtype=np.float64)
            quota_f = numpy_float(doc, np)
            off = int(np.count_nonzero(np.round(quota_f(ab_f, imp_f) * 100).astype(np.int64) != np.array(cents)))
            t_float = best(lambda: quota_f(ab_f, imp_f), 50)
            rows.append(("numpy float64 (what many write)", t_float, f"no: {off} comuni ({off / n:.0%}) off by a cent or more" if off else "yes, on this data"))
            ab_a, imp_a = np.array(ab, dtype=np.int64), np.array(imp, dtype=np.int64)
            arr = tariff.quote_totals(ab_a, imp_a, year)
            assert arr.dtype == np.int64 and arr.tolist() == cents, "quote_totals (arrays) differs"
            rows.append(("quote_totals, numpy int64 arrays in and out", best(lambda: tariff.quote_totals(ab_a, imp_a, year), 50), "yes"))
        if pl is not None:
            frame = pl.DataFrame({"abitanti": ab, "imprese": imp}, schema={"abitanti": pl.Int64, "imprese": pl.Int64})
            price = polars_cents(doc, pl)
            assert price(frame)["cents"].to_list() == cents, "the polars baseline differs"
            rows.append(("polars, integer-cent expressions by hand (an expert)", best(lambda: price(frame), 50), "yes, without lines or explanations"))
        if hasattr(tariff, "quote_table") and np is not None:
            ab_a, imp_a = np.array(ab, dtype=np.int64), np.array(imp, dtype=np.int64)
            ids = [e["id"] for e in enti]
            if pa is not None:
                table = pa.table(tariff.quote_table(ab_a, imp_a, year, ids=ids))
                assert table.column("cents").to_pylist() == cents, "quote_table (pyarrow) differs"
                assert table.column("total").to_pylist() == expected, "quote_table's decimal totals differ"
                rows.append(("quote_table → pyarrow.table (ids, decimal128, cents)", best(lambda: pa.table(tariff.quote_table(ab_a, imp_a, year, ids=ids)), 30), "yes"))
            if pl is not None:
                df = pl.DataFrame(tariff.quote_table(ab_a, imp_a, year, ids=ids))
                assert df["cents"].to_list() == cents, "quote_table (polars) differs"
                rows.append(("quote_table → polars.DataFrame", best(lambda: pl.DataFrame(tariff.quote_table(ab_a, imp_a, year, ids=ids)), 30), "yes"))
        print(f"\n{tariff.id} ({year})")
        print(f"  {'way':<56}{'ns a comune':>12}{'× pure Python':>15}{'× numpy float':>15}  exact?")
        for label, t, exact in rows:
            vs_float = f"{t / t_float:>14.2f}×" if t_float else f"{'-':>15}"
            print(f"  {label:<56}{t / n * 1e9:>12.0f}{t_pure / t:>14.1f}×{vs_float}  {exact}")
    print("\n(× pure Python = pure-Python time / this time: higher is faster; × numpy float = this time /"
          " numpy-float time: lower is faster. Targets: quote_many ≥ 10× pure Python;"
          " quote_totals from arrays ≤ 1,5× numpy float.)")


if __name__ == "__main__":
    main()
