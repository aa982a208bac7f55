"""An analyst's script: which comuni of a province will join the CIT, and will their quotas
pay for a shared service?

    .venv/bin/python examples/python/simulate_adesioni.py --province AV

It loads the comuni of a province from the census data shipped in examples/data, prices
them under a tariff (imprese estimated at 0,10 per abitante: see examples/data/README.md),
runs the seeded adhesion simulation (R-SIM) with join probabilities that rise with size,
prints a summary table and, if matplotlib is installed, saves a histogram of the revenue
distribution as a PNG.
"""

from __future__ import annotations

import argparse
import csv
from decimal import Decimal
from pathlib import Path
from typing import List, Tuple

import cit
from cit.types import Ente

ROOT = Path(__file__).resolve().parents[2]

#: Join probability by population class: (fewer than N abitanti, probability). Stated
#: assumptions of this example, not data: larger comuni have more to gain and staff to act.
PROBABILITIES: List[Tuple[int, str]] = [(1_000, "0.35"), (5_000, "0.50"), (10_000, "0.65"), (20_000, "0.80")]
LARGEST = "0.90"


def probability(abitanti: int) -> str:
    for limit, p in PROBABILITIES:
        if abitanti < limit:
            return p
    return LARGEST


def load_province(sigla: str) -> List[Ente]:
    enti: List[Ente] = []
    with open(ROOT / "examples" / "data" / "comuni-italia-2011.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["sigla"] == sigla:
                ab = int(row["abitanti"])
                enti.append({"id": row["istat"], "name": row["nome"], "kind": "comune",
                             "abitanti": ab, "imprese": (ab * 10 + 50) // 100})
    if not enti:
        raise SystemExit(f"no comune with province sigla {sigla!r}")
    return enti


def italian(value: Decimal, decimals: int) -> str:
    """1.234,56: dots for thousands, a comma for decimals."""
    return f"{value:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def euro(amount: Decimal) -> str:
    """€ 1.234,56."""
    return f"€ {italian(amount, 2)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--province", default="AV", help="province sigla (default AV, Avellino)")
    parser.add_argument("--tariff", default=str(ROOT / "examples" / "tariffs" / "av-2018.json"))
    parser.add_argument("--year", type=int, default=2018)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--cost", default="75000.00", help="yearly cost the quotas should cover, in euro")
    parser.add_argument("--png", default="simulate_adesioni.png", help="where to save the histogram")
    args = parser.parse_args()

    tariff = cit.Tariff.from_json(Path(args.tariff).read_text(encoding="utf-8"))
    enti = load_province(args.province)
    quotes = tariff.quote_many(enti, args.year)
    small = sum(1 for e in enti if cit.is_small(e.get("abitanti") or 0))
    print(f"{tariff.name}, anno {args.year}: {len(enti)} comuni della provincia {args.province}, "
          f"{small} sotto i 5.000 abitanti (R-SMALL)")
    print(f"Quote se aderissero tutti: {euro(sum((q.total for q in quotes), Decimal(0)))}")

    candidates = cit.candidates(tariff, enti, [probability(e.get("abitanti") or 0) for e in enti], args.year)
    sim = cit.simulate(candidates, args.runs, args.seed, cost=args.cost)
    print(f"\nSimulazione: {italian(Decimal(sim['runs']), 0)} esecuzioni, seme {sim['seed']}")
    print(f"{'':12}{'media':>16}{'5° perc.':>16}{'mediana':>16}{'95° perc.':>16}")
    m, r, rev = sim["members"], sim["residents"], sim["revenue"]
    for label, s, dp in (("aderenti", m, 1), ("abitanti", r, 0)):
        cells = [italian(s["mean"], dp)] + [italian(Decimal(s[k]), 0) for k in ("p5", "p50", "p95")]
        print(f"{label:12}" + "".join(f"{c:>16}" for c in cells))
    print(f"{'entrate':12}{euro(rev['mean']):>16}{euro(rev['p5']):>16}{euro(rev['p50']):>16}{euro(rev['p95']):>16}")
    coverage = sim["coverage"]
    if coverage is not None:
        pct = (coverage["probability"] * 100).quantize(Decimal("0.01"))
        print(f"\nProbabilità che le entrate coprano {euro(coverage['cost'])}: {str(pct).replace('.', ',')}%")

    try:
        import matplotlib  # type: ignore[import-not-found, unused-ignore]

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        print("\n(matplotlib non installato: nessun istogramma)")
        return
    revenue = [float(x) for x in sim["per_run"]["revenue"]]  # for plotting only
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.hist(revenue, bins=40, color="#2b6cb0")
    if coverage is not None:
        ax.axvline(float(coverage["cost"]), color="#c53030", linestyle="--", label=f"costo annuo {euro(coverage['cost'])}")
        ax.legend()
    ax.set_title(
        f"Entrate da quote di adesione, provincia {args.province} "
        f"({italian(Decimal(sim['runs']), 0)} simulazioni, seme {args.seed})"
    )
    ax.xaxis.set_major_formatter(lambda x, _pos: f"€ {italian(Decimal(int(x)), 0)}")
    ax.set_xlabel("entrate annue (€)")
    ax.set_ylabel("simulazioni")
    fig.tight_layout()
    fig.savefig(args.png, dpi=110)
    print(f"\nIstogramma salvato in {args.png}")


if __name__ == "__main__":
    main()
