#!/usr/bin/env python3
"""Writes quota.json: the shared test vectors of the quota family.

    python3 tests/vectors/generate.py          # rewrite quota.json
    python3 tests/vectors/generate.py --check  # fail if quota.json is not what it writes

Two kinds of case, each a named input (tariff, ente, year, optional membership start) with
the expected output JSON (a quote, or an error code and path):

- hand-written edge cases (HAND below): band edges, exact half-cent roundings, ceilings
  against minimums, proration, every refusal. Each carries its arithmetic in `why` and the
  total computed by hand in `total_by_hand`; the generator checks that the independent
  reference implementation (reference_quota.py) agrees with the hand figure before it
  writes the case, so an expected output is never just copied from cit-core.
- generated cases: random tariffs and enti from a seeded generator (SEED, COUNT), with
  the expected outputs of reference_quota.py.

cit-core's Rust tests (tests/vectors.rs) run every case and compare the JSON exactly; the
Python and JavaScript bindings run the same file.
"""

from __future__ import annotations

import json
import random
import sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from vector_file import write  # noqa: E402
import reference_quota as ref  # noqa: E402

SEED = 20261123
COUNT = 260

BS = "bs-2015.json"
GR = "graduated-2026.json"


def comune(ab, imp, **extra):
    return {"id": "000001", "name": "Prova", "kind": "comune", "abitanti": ab, "imprese": imp, **extra}


def simple(**comune_fields):
    """A one-year tariff, 0,15/1,00, counts at 2015-12-31, with overrides."""
    c = {"per_abitante": "0.15", "per_impresa": "1.00", **comune_fields}
    return {"id": "t", "name": "T", "period": {"from": "2016-01-01", "to": "2016-12-31"},
            "counts_as_of": "2015-12-31",
            "membership": {"comune": c, "fixed": {"unione": "300.00"}, "proration": "monthly"}}


HAND = [
    # name, tariff, ente, year, start, total_by_hand (or error code), why
    ("R-CAP Brescia, volume 20 %", BS, comune(189902, 21500), 2016, None, "39988.24",
     "189.902 × 0,15 = 28.485,30; 21.500 × 1,00 = 21.500,00; band over 10.000 at 20 %: "
     "−round(49.985,30 × 0,20) = −9.997,06; total 39.988,24"),
    ("R-BAND volume, last abitante of the first band", BS, comune(3000, 0), 2016, None, "450.00",
     "3.000 × 0,15 = 450,00; band up to 3.000 at 0 %: no discount line"),
    ("R-BAND volume, first abitante of the second band", BS, comune(3001, 0), 2016, None, "405.13",
     "3.001 × 0,15 = 450,15; 10 %: round(45,015) = 45,02 (half away from zero); 450,15 − 45,02 = 405,13"),
    ("R-BAND volume, edge 10.000", BS, comune(10000, 0), 2016, None, "1350.00",
     "10.000 × 0,15 = 1.500,00; 10 % → −150,00; 1.350,00"),
    ("R-BAND volume, edge 10.001", BS, comune(10001, 0), 2016, None, "1200.12",
     "10.001 × 0,15 = 1.500,15; 20 %: round(300,03) = 300,03; 1.200,12 (a cliff of 149,88)"),
    ("R-BAND graduated, slices", GR, comune(12000, 1000), 2027, None, "2590.00",
     "slices 3.000 × 0 + 2.000 × 0,05 + 5.000 × 0,10 + 2.000 × 0,15 = 900; base 1.800 + 1.000 = 2.800; "
     "discount 2.800 × 900 / 12.000 = 210,00; 2.590,00"),
    ("R-BAND graduated, exact half cent", GR, comune(3001, 0), 2027, None, "450.14",
     "450,15 × (1 × 0,05) / 3.001 = 0,0075 exactly → 0,01; 450,15 − 0,01 = 450,14"),
    ("R-BAND graduated, zero abitanti takes the first band", GR, comune(0, 0), 2027, None, "100.00",
     "0 × 0,15 = 0; 0 imprese; first band 0 %: no discount; minimum 100,00 → +100,00"),
    ("R-MINMAX maximum after a graduated discount", GR, comune(189902, 21500), 2027, None, "25000.00",
     "28.485,30 + 21.500,00 = 49.985,30; Σ slice·d = 34.580,40; discount 49.985,30 × 34.580,40 / "
     "189.902 = 9.102,1246… → 9.102,12; 40.883,18 > maximum 25.000,00 → −15.883,18"),
    ("R-MINMAX minimum without ceiling", GR, comune(200, 10), 2027, None, "100.00",
     "200 × 0,15 = 30,00; 10,00; 40,00 < 100,00 → +60,00"),
    ("R-CEIL wins over the minimum", BS, comune(100, 10), 2016, None, "25.00",
     "15,00 + 10,00 = 25,00 < 50,00 → +25,00; ceiling 100 × 0,15 + 10 × 1,00 = 25,00 → −25,00"),
    ("R-CEIL below the tariff", simple(ceiling={"per_abitante": "0.10", "per_impresa": "0.50"}),
     comune(1000, 100), 2016, None, "150.00",
     "150,00 + 100,00 = 250,00; ceiling 1.000 × 0,10 + 100 × 0,50 = 150,00 → −100,00"),
    ("R-ROUND half a cent up", simple(per_abitante="0.005", per_impresa="0.0025"), comune(1, 3), 2016,
     None, "0.02", "1 × 0,005 = 0,005 → 0,01; 3 × 0,0025 = 0,0075 → 0,01"),
    ("R-ROUND just under half a cent", simple(per_abitante="0.0049", per_impresa="0"), comune(1, 0),
     2016, None, "0.00", "1 × 0,0049 = 0,0049 → 0,00; no imprese line without a per-impresa rate"),
    ("R-ROUND many digits", simple(per_abitante="0.1234567", per_impresa="0"), comune(40501, 0), 2016,
     None, "5000.12", "40.501 × 0,1234567 = 5.000,1197… → 5.000,12"),
    ("R-ORDER every step", simple(bands=[{"up_to": 10, "discount": "0"}, {"up_to": None, "discount": "0.5"}],
                                  band_mode="volume", minimum="100.00", maximum="120.00",
                                  ceiling={"per_abitante": "0.20", "per_impresa": "0"}),
     comune(100, 5), 2016, None, "20.00",
     "15,00 + 5,00 = 20,00; −50 % → −10,00; 10,00 → minimum +90,00; 100,00 ≤ 120,00; ceiling "
     "100 × 0,20 = 20,00 → −80,00"),
    ("R-FIX unione", BS, {"id": "U1", "name": "Unione", "kind": "unione"}, 2016, None, "300.00",
     "fixed quota of an Unione: 300,00"),
    ("R-FIX comunità montana", BS, {"id": "CM1", "name": "CM", "kind": "comunita_montana"}, 2020, None,
     "300.00", "fixed quota: 300,00; 2020 is the period's last year"),
    ("R-FIX provincia not priced", BS, {"id": "P1", "name": "P", "kind": "provincia"}, 2016, None,
     "kind_not_priced", "bs-2015 has no fixed quota for a provincia"),
    ("R-PERIOD year after", BS, comune(1000, 100), 2021, None, "year_outside_period",
     "bs-2015 covers 2015-2020"),
    ("R-PERIOD year before", BS, comune(1000, 100), 2014, None, "year_outside_period",
     "bs-2015 covers 2015-2020"),
    ("R-CAP missing abitanti", BS, {"id": "X", "name": "X", "kind": "comune", "imprese": 3}, 2016, None,
     "missing_count", "a missing count is never zero"),
    ("R-CAP missing imprese", BS, {"id": "X", "name": "X", "kind": "comune", "abitanti": 3}, 2016, None,
     "missing_count", "bs-2015 has a per-impresa rate"),
    ("R-CAP imprese not needed", simple(per_impresa="0"), {"id": "X", "name": "X", "kind": "comune",
                                                           "abitanti": 1000}, 2016, None, "150.00",
     "no per-impresa rate, no ceiling: 1.000 × 0,15 = 150,00"),
    ("R-CAP counts at the wrong date", BS, comune(1000, 100, counts_as_of="2014-12-31"), 2016, None,
     "counts_date_mismatch", "bs-2015 takes counts at 2013-12-31"),
    ("R-CAP counts at the previous year end", GR, comune(1000, 100, counts_as_of="2026-12-31"), 2027,
     None, "250.00", "1.000 × 0,15 + 100 = 250,00; counts at 31.12.2026 for 2027; first band 0 %"),
    ("R-PRORATA monthly from April", GR, {"id": "U1", "name": "Unione", "kind": "unione"}, 2027,
     "2027-04-15", "300.00", "400,00 × 9/12 = 300,00"),
    ("R-PRORATA rounding", simple(per_abitante="0.01", per_impresa="0"), comune(10001, 0), 2016,
     "2016-06-01", "58.34", "100,01 × 7/12 = 58,339… → 58,34"),
    ("R-PRORATA start in an earlier year", GR, {"id": "U1", "name": "Unione", "kind": "unione"}, 2027,
     "2026-05-01", "400.00", "a member since 2026 pays the full 2027"),
    ("R-PRORATA full year by default", BS, comune(1000, 10), 2016, "2016-09-01", "160.00",
     "bs-2015 prorates nothing: 150,00 + 10,00"),
    ("R-PRORATA start after the year", GR, {"id": "U1", "name": "Unione", "kind": "unione"}, 2027,
     "2028-01-01", "invalid_value", "a membership starting in 2028 has no 2027 quota"),
]


def load(tariff):
    return json.loads((HERE / "tariffs" / tariff).read_text()) if isinstance(tariff, str) else tariff


def expected(tariff, ente, year, start):
    try:
        return {"expected": ref.quote(load(tariff), ente, year, start)}
    except ref.QuoteError as e:
        return {"expected_error": {"code": e.code, "path": e.path}}


def case(name, tariff, ente, year, start, why=None):
    c = {"name": name}
    if why:
        c["why"] = why
    c.update({"tariff": tariff, "ente": ente, "year": year})
    if start:
        c["start"] = start
    c.update(expected(tariff, ente, year, start))
    return c


def hand_cases():
    out = []
    for name, tariff, ente, year, start, by_hand, why in HAND:
        c = case(name, tariff, ente, year, start, why)
        got = c["expected"]["total"] if "expected" in c else c["expected_error"]["code"]
        if got != by_hand:
            sys.exit(f"hand case {name!r}: the reference gives {got}, the hand arithmetic {by_hand}")
        out.append(c)
    return out


def random_decimal(rng, max_units, max_dp):
    dp = rng.randint(0, max_dp)
    return str(Decimal(rng.randint(0, max_units)).scaleb(-dp))


def random_tariff(rng, i):
    c = {"per_abitante": random_decimal(rng, 3000, 4), "per_impresa": random_decimal(rng, 3000, 3)}
    if rng.random() < 0.7:
        edges = sorted(rng.sample(range(1, 200_000), rng.randint(0, 4)))
        ds = sorted(Decimal(rng.randint(0, 60)) / 100 for _ in range(len(edges) + 1))
        c["bands"] = [{"up_to": e, "discount": str(d)} for e, d in zip(edges, ds)] + \
                     [{"up_to": None, "discount": str(ds[-1])}]
        c["band_mode"] = rng.choice(["volume", "graduated"])
    if rng.random() < 0.5:
        c["minimum"] = f"{rng.randint(0, 50000) / 100:.2f}"
    if rng.random() < 0.4:
        low = Decimal(c.get("minimum", "0"))
        c["maximum"] = f"{low + Decimal(rng.randint(0, 10_000_000)) / 100:.2f}"
    if rng.random() < 0.4:
        c["ceiling"] = {"per_abitante": random_decimal(rng, 3000, 4),
                        "per_impresa": random_decimal(rng, 3000, 3)}
    y0 = rng.randint(2000, 2040)
    return {"id": f"gen-{i}", "name": f"Generated {i}",
            "period": {"from": f"{y0}-01-01", "to": f"{y0 + rng.randint(0, 10)}-12-31"},
            "counts_as_of": rng.choice(["previous_year_end", f"{y0 - 1}-12-31"]),
            "membership": {"comune": c,
                           "fixed": {k: f"{rng.randint(0, 100000) / 100:.2f}"
                                     for k in rng.sample(["unione", "comunita_montana", "provincia",
                                                          "citta_metropolitana", "altro"], rng.randint(0, 5))},
                           "proration": rng.choice(["full_year", "monthly"])}}


def random_ente(rng, tariff, year):
    kind = rng.choices(["comune", "unione", "comunita_montana", "provincia", "citta_metropolitana", "altro"],
                       weights=[12, 2, 1, 1, 1, 1])[0]
    e = {"id": f"{rng.randint(1, 110999):06d}", "name": "Ente", "kind": kind}
    if kind == "comune":
        ab = rng.choice([rng.randint(0, 5000), rng.randint(0, 300_000), rng.randint(0, 3_000_000)])
        e["abitanti"] = ab
        e["imprese"] = rng.randint(0, ab // 5 + 1)
        if rng.random() < 0.3:
            e["counts_as_of"] = ref.counts_date(tariff, year)
    return e


def generated_cases():
    rng = random.Random(SEED)
    out = []
    for i in range(COUNT):
        t = random_tariff(rng, i)
        y0, y1 = int(t["period"]["from"][:4]), int(t["period"]["to"][:4])
        year = rng.randint(y0, y1) if rng.random() < 0.95 else y1 + 1
        ente = random_ente(rng, t, year)
        start = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.3 else None
        out.append(case(f"generated {i}", t, ente, year, start))
    return out


def main():
    write("quota.json", "quota",
          "Quota di adesione (R-FIX … R-PRORATA): input tariff (a file in tariffs/ or inline), ente, "
          "year and optional membership start; output the quote JSON or the error code and path.",
          hand_cases() + generated_cases(), "generate.py", SEED)


if __name__ == "__main__":
    main()
