"""An independent reference implementation of R-SIM (RULES.md, adhesion scenarios): the
seeded Monte Carlo over candidate enti, in pure Python with integers only.

It shares no code with cit-core: it is written from the sequence contract documented on
`cit_core::analysis::simulate` and from the published definitions of the algorithms:

- SplitMix64 (Vigna, https://prng.di.unimi.it/splitmix64.c), which expands the u64 seed into
  the four state words, as rand_xoshiro 0.8.1's `Xoshiro256PlusPlus::seed_from_u64` does
  (it overrides rand_core 0.10's default PCG32 expansion; the four outputs are written as
  little-endian bytes and read back as little-endian words, so s[i] is output i);
- xoshiro256++ 1.0 (Blackman and Vigna, https://prng.di.unimi.it/xoshiro256plusplus.c).

No binary float is used anywhere: probabilities, money and means are parsed from their
decimal text into integers (10^-18 parts, cents), and every division is an integer
division rounded half away from zero. `generate_simulation.py` uses it to compute the
expected outputs of simulation.json.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

MASK64 = (1 << 64) - 1
I64_MAX = (1 << 63) - 1
PROBABILITY_DP = 18  # at most 18 decimals: a probability is a whole number of 10^-18
MEAN_DP = 4  # means of members and residents, expected members and residents
COVERAGE_DP = 6  # the probability of covering the cost
MAX_RUNS = 1_000_000

_DECIMAL = re.compile(r"^(-?)(\d+)(?:\.(\d+))?$")


class SimError(Exception):
    """A refusal, with the code and path cit-core gives."""

    def __init__(self, code: str, path: str):
        super().__init__(f"{code} at {path}")
        self.code = code
        self.path = path


# --- the generator -------------------------------------------------------------------------


def _rotl(x: int, k: int) -> int:
    return ((x << k) | (x >> (64 - k))) & MASK64


def splitmix64(state: int):
    """SplitMix64 outputs from `state` (wrapping 64-bit arithmetic)."""
    x = state & MASK64
    while True:
        x = (x + 0x9E3779B97F4A7C15) & MASK64
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        yield z ^ (z >> 31)


class Xoshiro256PlusPlus:
    """xoshiro256++ 1.0; `next()` is one raw 64-bit output."""

    def __init__(self, seed: int):
        if not 0 <= seed <= MASK64:
            raise ValueError("a seed is a u64")
        sm = splitmix64(seed)
        self.s = [next(sm) for _ in range(4)]
        # SplitMix64's output function is a bijection and its four inputs differ, so the
        # state is never all zero (rand_xoshiro's zero-seed fallback cannot apply).
        assert any(self.s)

    def next(self) -> int:
        s0, s1, s2, s3 = self.s
        result = (_rotl((s0 + s3) & MASK64, 23) + s0) & MASK64
        t = (s1 << 17) & MASK64
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = _rotl(s3, 45)
        self.s = [s0, s1, s2, s3]
        return result


# --- inputs --------------------------------------------------------------------------------


def _parse(text: str) -> tuple:
    m = _DECIMAL.match(text)
    if not m:
        raise ValueError(f"not plain decimal text: {text!r}")
    sign, whole, frac = m.group(1), m.group(2), m.group(3) or ""
    return (-1 if sign else 1), int(whole), frac


def probability_units(text: str, path: str = "probability", code: str = "invalid_value") -> int:
    """p × 10^18 from decimal text: 0 ≤ p ≤ 1, at most 18 decimals once trailing zeros go."""
    sign, whole, frac = _parse(text)
    frac = frac.rstrip("0")
    units = whole * 10**PROBABILITY_DP + (int(frac) * 10 ** (PROBABILITY_DP - len(frac)) if frac else 0)
    if len(frac) > PROBABILITY_DP or units > 10**PROBABILITY_DP or (sign < 0 and units != 0):
        raise SimError(code, path)
    return units


def threshold(units: int) -> int:
    """⌊p × 2^64⌋, exactly (2^64 for p = 1)."""
    return (units << 64) // 10**PROBABILITY_DP


def cents(text: str) -> int:
    """An amount in whole cents from its decimal text."""
    sign, whole, frac = _parse(text)
    if len(frac.rstrip("0")) > 2:
        raise ValueError(f"not whole cents: {text!r}")
    frac = (frac + "00")[:2]
    return sign * (whole * 100 + int(frac))


# --- arithmetic and text -------------------------------------------------------------------


def div_round(n: int, d: int) -> int:
    """n / d rounded half away from zero (d > 0)."""
    q, r = divmod(abs(n), d)
    if 2 * r >= d:
        q += 1
    return -q if n < 0 else q


def fixed(units: int, dp: int) -> str:
    """units × 10^-dp as plain text with exactly dp decimals (`"0.2500"`)."""
    sign = "-" if units < 0 else ""
    whole, frac = divmod(abs(units), 10**dp)
    return f"{sign}{whole}.{frac:0{dp}d}" if dp else f"{sign}{whole}"


def money(c: int) -> str:
    return fixed(c, 2)


def nearest_rank(sorted_values: List[int], q: int) -> int:
    """The value of rank ⌈q × N / 100⌉ (at least 1), N values sorted ascending."""
    n = len(sorted_values)
    rank = max(1, -(-(q * n) // 100))
    return sorted_values[rank - 1]


def _summary(values: List[int], mean: str, as_text) -> Dict[str, Any]:
    s = sorted(values)
    return {"mean": mean, "min": as_text(s[0]), "p5": as_text(nearest_rank(s, 5)),
            "p50": as_text(nearest_rank(s, 50)), "p95": as_text(nearest_rank(s, 95)),
            "max": as_text(s[-1])}


# --- the simulation ------------------------------------------------------------------------


def simulate(candidates: List[Dict[str, Any]], runs: int, seed: int, cost: Optional[str]) -> Dict[str, Any]:
    """The summary of R-SIM's Monte Carlo, as cit-core serialises `Simulation` without
    `seed` and `per_run`; raises SimError for a refusal."""
    # Reading the candidates comes first: the candidates document, read by the core's reader
    # in every binding, is malformed at the bad probability (its path inside the document).
    read = [(probability_units(str(c["probability"]), f"[{i}].probability", "malformed"),
             cents(str(c["quota"])), int(c["abitanti"])) for i, c in enumerate(candidates)]
    if not 1 <= runs <= MAX_RUNS:
        raise SimError("invalid_value", "runs")
    cost_cents = None if cost is None else cents(cost)
    if cost_cents is not None and cost_cents < 0:
        raise SimError("invalid_value", "cost")
    packed = []
    total_quota = total_abitanti = 0
    for i, (p, q, ab) in enumerate(read):
        if q < 0:
            raise SimError("invalid_value", f"candidates[{i}].quota")
        if q > I64_MAX:
            raise SimError("overflow", f"candidates[{i}].quota")
        total_quota += q
        total_abitanti += ab
        if total_quota > I64_MAX or total_abitanti > MASK64:
            raise SimError("overflow", "candidates")
        packed.append((p, threshold(p), ab, q))

    # The exact expectations Σ p, Σ p × abitanti, Σ p × quota, rounded once.
    scale = 10**PROBABILITY_DP
    expected = {
        "members": fixed(div_round(sum(p for p, _, _, _ in packed) * 10**MEAN_DP, scale), MEAN_DP),
        "residents": fixed(div_round(sum(p * ab for p, _, ab, _ in packed) * 10**MEAN_DP, scale), MEAN_DP),
        "revenue": money(div_round(sum(p * q for p, _, _, q in packed), scale)),
    }

    rng = Xoshiro256PlusPlus(seed)
    members, residents, revenue = [], [], []
    for _ in range(runs):
        m = r = q = 0
        for _, t, ab, quota in packed:  # one draw per candidate per run, in order
            if rng.next() < t:
                m += 1
                r += ab
                q += quota
        members.append(m)
        residents.append(r)
        revenue.append(q)

    def count_mean(values):
        return fixed(div_round(sum(values) * 10**MEAN_DP, runs), MEAN_DP)

    coverage = None
    if cost_cents is not None:
        covered = sum(1 for q in revenue if q >= cost_cents)
        coverage = {"cost": money(cost_cents), "covered_runs": covered, "runs": runs,
                    "probability": fixed(div_round(covered * 10**COVERAGE_DP, runs), COVERAGE_DP)}
    return {
        "runs": runs,
        "candidates": len(packed),
        "expected": expected,
        "members": _summary(members, count_mean(members), int),
        "residents": _summary(residents, count_mean(residents), int),
        "revenue": _summary(revenue, money(div_round(sum(revenue), runs)), money),
        "coverage": coverage,
    }


if __name__ == "__main__":
    # The first outputs for seed 42 (cit-core pins the same six in sim.rs).
    g = Xoshiro256PlusPlus(42)
    print([g.next() for _ in range(6)])
