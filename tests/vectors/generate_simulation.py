#!/usr/bin/env python3
"""Writes simulation.json: the shared test vectors of the simulation family (R-SIM).

    python3 tests/vectors/generate_simulation.py          # rewrite simulation.json
    python3 tests/vectors/generate_simulation.py --check  # fail if simulation.json is not what it writes

A case names its inputs — the candidates (id, abitanti, quota, probability, as
`cit_core::analysis::Candidate` reads them), the number of runs, the seed (a decimal string:
a u64 does not fit a JavaScript number) and the cost (or null) — and either the expected
summary (`expected`: the `Simulation` JSON of cit-core without `seed` and `per_run`) or the
expected refusal (`expected_error`, `{"code": …, "path": …}`).

Two kinds of case:

- hand-written cases (HAND below) whose results follow from the arithmetic in `why`:
  probabilities 0 and 1, the first draws of seed 42 (15021278609987233951,
  5881210131331364753, 18149643915985481100, 12933668939759105464, 14637574242682825331,
  10848501901068131965) against the thresholds ⌊p × 2^64⌋, roundings half away from zero,
  refusals. Each carries the figures worked out by hand in `by_hand`; the generator refuses
  to write a case whose hand figures the reference does not reproduce.
- generated cases: random candidate sets from a seeded generator (SEED, COUNT), with the
  expected outputs of reference_simulation.py, an independent integer-only implementation.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from vector_file import write  # noqa: E402
import reference_simulation as ref  # noqa: E402

SEED = 20261124
COUNT = 20
U64_MAX = (1 << 64) - 1

# Refusals of a candidate's value happen while the candidates are read, before `simulate`:
# every runner reads the candidates as a document with the core's reader (the bindings'
# `simulate` does), which reports an unreadable value as malformed at its path inside the
# document, [i].<field>.


def cand(id_, abitanti, quota, probability):
    return {"id": id_, "abitanti": abitanti, "quota": quota, "probability": probability}


ACQUAFREDDA = ("017001", 1600, "360.00")  # bs-2015: 1.600 × 0,15 + 120 × 1,00
BRESCIA = ("017029", 189902, "39988.24")  # bs-2015 (quota.json, "R-CAP Brescia, volume 20 %")
ADRO = ("017002", 3001, "405.13")         # 3.001 ab., as "R-BAND volume, first abitante of the second band"

DEF = [cand(*ACQUAFREDDA, "1"), cand(*BRESCIA, "0"), cand(*ADRO, "1.000"), cand("017003", 500, "75.00", "0.000")]

HAND = [
    # name, candidates, runs, seed, cost, by_hand (dotted field → value, or ("error", code, path)), why
    ("probabilities 0 and 1 only: every run the same", DEF, 10, 7, None,
     {"candidates": 4, "members.mean": "2.0000", "members.min": 2, "members.p5": 2, "members.p50": 2,
      "members.p95": 2, "members.max": 2, "residents.mean": "4601.0000", "residents.p50": 4601,
      "revenue.mean": "765.13", "revenue.min": "765.13", "revenue.max": "765.13",
      "expected.members": "2.0000", "expected.residents": "4601.0000", "expected.revenue": "765.13",
      "coverage": None},
     "thresholds: p = 1 (also written 1.000) → 2^64, above every draw: joins; p = 0 (0.000) → 0: never. "
     "Each run: members 2, residents 1.600 + 3.001 = 4.601, revenue 360,00 + 405,13 = 765,13; every "
     "quantile and the mean are these; expected Σp = 2, Σp·ab = 4.601, Σp·quota = 765,13"),
    ("one candidate at 1/2, seed 42, one run: the first draw decides", [cand(*ACQUAFREDDA, "0.5")], 1, 42, None,
     {"members.max": 0, "residents.max": 0, "revenue.max": "0.00", "members.mean": "0.0000",
      "expected.members": "0.5000", "expected.residents": "800.0000", "expected.revenue": "180.00"},
     "threshold ⌊0,5 × 2^64⌋ = 2^63 = 9223372036854775808; the first draw of seed 42 is "
     "15021278609987233951 ≥ 2^63: it does not join; members 0, revenue 0,00; expected 0,5 members, "
     "800 residents, 180,00"),
    ("cost exactly equal to the revenue is covered", DEF[:3], 3, 1, "765.13",
     {"coverage.cost": "765.13", "coverage.covered_runs": 3, "coverage.runs": 3,
      "coverage.probability": "1.000000", "revenue.p50": "765.13"},
     "every run the revenue is 360,00 + 405,13 = 765,13 (p = 1, 0, 1), and a run covers the cost when "
     "its revenue is at least the cost: 3 of 3 → 1,000000"),
    ("cost one cent above the revenue is never covered", DEF[:3], 3, 1, "765.14",
     {"coverage.covered_runs": 0, "coverage.probability": "0.000000"},
     "765,13 < 765,14 in every run: 0 of 3 → 0,000000"),
    ("no candidates: every run is zero, and a zero cost is covered", [], 5, 0, "0.00",
     {"candidates": 0, "members.mean": "0.0000", "members.max": 0, "residents.mean": "0.0000",
      "revenue.mean": "0.00", "revenue.p95": "0.00", "expected.members": "0.0000",
      "expected.residents": "0.0000", "expected.revenue": "0.00", "coverage.covered_runs": 5,
      "coverage.probability": "1.000000"},
     "no draw is made; each of the 5 runs has 0 members and revenue 0,00 ≥ cost 0,00"),
    ("six runs of seed 42: means and coverage rounded half away from zero",
     [cand("017004", 1, "0.01", "0.5")], 6, 42, "0.01",
     {"members.mean": "0.1667", "members.p5": 0, "members.p50": 0, "members.p95": 1, "members.max": 1,
      "residents.mean": "0.1667", "revenue.mean": "0.00", "revenue.p95": "0.01",
      "coverage.covered_runs": 1, "coverage.probability": "0.166667",
      "expected.members": "0.5000", "expected.residents": "0.5000", "expected.revenue": "0.01"},
     "draws of seed 42 vs 2^63 = 9223372036854775808: only the second, 5881210131331364753, is below: "
     "members 0,1,0,0,0,0. Mean 1/6 = 0,16666… → 0,1667; revenue mean 0,01/6 → 0,00; nearest rank: "
     "p5 rank ⌈0,3⌉ = 1 → 0, p50 rank 3 → 0, p95 rank ⌈5,7⌉ = 6 → 1; coverage 1/6 → 0,166667; "
     "expected revenue 0,5 × 0,01 = 0,005 → 0,01"),
    ("draw r × n + i decides candidate i in run r (seed 42)",
     [cand("017005", 40000, "8000.00", "0.85"), cand("017006", 3000, "600.00", "0.75")], 3, 42, "8000.00",
     {"members.mean": "1.6667", "members.min": 1, "members.p5": 1, "members.p50": 2, "members.p95": 2,
      "residents.mean": "29666.6667", "residents.min": 3000, "residents.max": 43000,
      "revenue.mean": "5933.33", "revenue.min": "600.00", "revenue.p50": "8600.00",
      "coverage.covered_runs": 2, "coverage.probability": "0.666667",
      "expected.members": "1.6000", "expected.residents": "36250.0000", "expected.revenue": "7250.00"},
     "thresholds: 0,85 → 15679732462653118873, 0,75 → 13835058055282163712. Run 0: draw 0 "
     "15021278609987233951 < t₁ joins, draw 1 5881210131331364753 < t₂ joins; run 1: draw 2 "
     "18149643915985481100 ≥ t₁ no, draw 3 12933668939759105464 < t₂ joins; run 2: draw 4 "
     "14637574242682825331 < t₁ joins, draw 5 10848501901068131965 < t₂ joins. Members 2,1,2 → mean "
     "1,6667; residents 43.000, 3.000, 43.000 → 29.666,6667; revenue 8.600,00, 600,00, 8.600,00 → "
     "17.800,00/3 = 5.933,33; 2 of 3 runs reach 8.000,00 → 0,666667; expected 0,85 + 0,75 = 1,6, "
     "34.000 + 2.250 = 36.250, 6.800,00 + 450,00 = 7.250,00"),
    ("expected values are exact sums rounded once",
     [cand("A", 1000, "100.00", "0.1"), cand("B", 333, "33.33", "0.35"),
      cand("C", 1, "0.01", "0.000000000000000001")], 1, U64_MAX, None,
     {"expected.members": "0.4500", "expected.residents": "216.5500", "expected.revenue": "21.67"},
     "Σp = 0,1 + 0,35 + 10^-18 → 0,4500; Σp·ab = 100 + 116,55 + 10^-18 → 216,5500; Σp·quota = 10,00 + "
     "11,6655 + 10^-20 = 21,66550…01 → 21,67; the seed is 2^64 − 1"),
    ("trailing zeros past the 18th decimal are not decimals",
     [cand(*ACQUAFREDDA, "0.2500000000000000000000")], 1, 42, None,
     {"expected.members": "0.2500", "expected.residents": "400.0000", "expected.revenue": "90.00",
      "members.max": 0},
     "0,2500000000000000000000 = 0,25 (2 decimals once the zeros go): threshold 2^62 = "
     "4611686018427387904 < first draw 15021278609987233951: no; expected 1.600 × 0,25 = 400, "
     "360,00 × 0,25 = 90,00"),
    ("runs = 0 is refused", DEF, 0, 42, None, ("error", "invalid_value", "runs"),
     "a simulation has 1 to 1.000.000 runs"),
    ("runs above 1.000.000 are refused", DEF, 1000001, 42, None, ("error", "invalid_value", "runs"),
     "MAX_RUNS = 1.000.000 bounds the per-run results held in memory"),
    ("a negative cost is refused", DEF, 10, 42, "-0.01", ("error", "invalid_value", "cost"),
     "a cost to cover is zero or more"),
    ("runs are checked before the cost", DEF, 0, 42, "-0.01", ("error", "invalid_value", "runs"),
     "both are wrong: the runs are named first"),
    ("a negative quota is refused with the candidate's index",
     [cand(*ACQUAFREDDA, "0.5"), cand("017002", 3001, "-405.13", "0.5")], 10, 42, None,
     ("error", "invalid_value", "candidates[1].quota"), "a quota is zero or more; the second candidate (index 1)"),
    ("quotas whose sum does not fit 64-bit cents overflow",
     [cand("A", 1, "92233720368547758.07", "0.5"), cand("B", 1, "0.01", "0.5")], 1, 42, None,
     ("error", "overflow", "candidates"),
     "92.233.720.368.547.758,07 = 2^63 − 1 cents; one more cent does not fit"),
]

INPUT_ERRORS = [
    ("a probability above 1 is refused", [cand(*ACQUAFREDDA, "1.5")], 10, 42, None,
     ("error", "malformed", "[0].probability"), "a probability is between 0 and 1"),
    ("a probability with 19 decimals is refused", [cand(*ACQUAFREDDA, "0.1234567890123456789")], 10, 42, None,
     ("error", "malformed", "[0].probability"),
     "at most 18 decimals (a whole number of 10^-18): the 19th is not rounded away"),
]


def lookup(doc, dotted):
    for key in dotted.split("."):
        doc = doc[key] if doc is not None else None
    return doc


def case(name, candidates, runs, seed, cost, why=None, by_hand=None):
    c = {"name": name}
    if why is not None:
        c["why"] = why
    c.update({"candidates": candidates, "runs": runs, "seed": str(seed), "cost": cost})
    try:
        out = ref.simulate(candidates, runs, seed, cost)
    except ref.SimError as e:
        if by_hand is not None and by_hand != ("error", e.code, e.path):
            sys.exit(f"{name}: the reference refuses with {e.code} at {e.path}, by hand {by_hand}")
        c["expected_error"] = {"code": e.code, "path": e.path}
        return c
    if isinstance(by_hand, tuple):
        sys.exit(f"{name}: by hand {by_hand}, the reference accepts it")
    for field, value in (by_hand or {}).items():
        got = lookup(out, field)
        if got != value:
            sys.exit(f"{name}: {field} is {value!r} by hand, {got!r} by the reference")
    c["expected"] = out
    return c


def hand_cases():
    rows = HAND + INPUT_ERRORS
    return [case(name, cands, runs, seed, cost, why, by_hand)
            for name, cands, runs, seed, cost, by_hand, why in rows]


def random_probability(rng):
    roll = rng.random()
    if roll < 0.08:
        return rng.choice(["0", "0.0", "0.000000000000000000"])
    if roll < 0.16:
        return rng.choice(["1", "1.0", "1.000000000000000000"])
    dp = rng.randint(1, 18)
    units = rng.randint(0, 10**dp)
    if units == 10**dp:
        return "1." + "0" * dp
    return f"0.{units:0{dp}d}"


def random_candidates(rng):
    n = rng.choice([1, 2, rng.randint(1, 10), rng.randint(1, 40), 40])
    provincia = rng.choice([17, 75, 10, 64, 76])  # Brescia, Lecce, Genova, Avellino, Potenza
    ids = rng.sample(range(1, 300), n)
    out = []
    for k in ids:
        kind = rng.random()
        if kind < 0.08:  # an unione: fixed quota, residents counted with its comuni
            out.append(cand(f"U{provincia:03d}{k:03d}", 0, "300.00", random_probability(rng)))
            continue
        ab = rng.choice([rng.randint(30, 3000), rng.randint(3001, 10000), rng.randint(10001, 60000)]
                        if kind < 0.97 else [rng.randint(60001, 900000)])
        imprese = rng.randint(ab // 20, ab // 8 + 1)
        quota_cents = ab * 15 + imprese * 100  # 0,15 per abitante, 1,00 per impresa (RULES.md R-CAP)
        quota_cents -= quota_cents * rng.choice([0, 0, 5, 10, 20]) // 100  # a band discount, truncated
        out.append(cand(f"{provincia:03d}{k:03d}", ab, ref.money(quota_cents), random_probability(rng)))
    return out


def random_seed(rng, i):
    fixed = {0: 0, 1: U64_MAX, 2: 1, 3: 1 << 63}
    if i in fixed:
        return fixed[i]
    return rng.choice([rng.randint(0, 1000), rng.randint(0, U64_MAX), rng.randint(0, U64_MAX),
                       rng.randint(U64_MAX - 1000, U64_MAX)])


def generated_cases():
    rng = random.Random(SEED)
    out = []
    for i in range(COUNT):
        candidates = random_candidates(rng)
        runs = {0: 1, 1: 2000}.get(i) or rng.choice([rng.randint(1, 20), rng.randint(1, 2000)])
        seed = random_seed(rng, i)
        cost = None
        if rng.random() < 0.6:
            # near the expected revenue: Σ p × quota, in cents, moved by up to ±15 %
            exp = ref.cents(ref.simulate(candidates, 1, 0, None)["expected"]["revenue"])
            cost = ref.money(max(0, exp + exp * rng.randint(-15, 15) // 100))
        out.append(case(f"generated {i}", candidates, runs, seed, cost))
    return out


def main():
    write("simulation.json", "simulation",
          "R-SIM Monte Carlo: input candidates, runs, seed (decimal string) and cost (or null); output "
          "the Simulation summary without seed and per_run, or the error code and path.",
          hand_cases() + generated_cases(), "generate_simulation.py", SEED)


if __name__ == "__main__":
    main()
