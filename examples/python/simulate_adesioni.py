"""An analyst's script: which comuni of a province will join the CIT, and will their quotas
pay for a shared service?

    .venv/bin/python examples/python/simulate_adesioni.py --province AV
    .venv/bin/python examples/python/simulate_adesioni.py --province AV --data istat2011

It loads the comuni of a province from the data shipped in examples/data — by default the
residents in ANPR at 10/01/2024 (--data anpr), or the 2011 census (--data istat2011), or a
CSV of yours with columns istat,nome,abitanti and optionally sigla, imprese, counts_as_of —
prices them under a tariff (imprese estimated at 0,10 per abitante where the data has none:
see examples/data/README.md), runs the seeded adhesion simulation (R-SIM) with join
probabilities that rise with size, prints a summary table and, if matplotlib is installed,
saves a histogram of the revenue distribution as a PNG.

Every ente carries the date of its counts, so the core checks it against the tariff's
(R-CAP). When they differ the quotas are an estimate: the ente is priced again with its
counts vouched for, and the output says so on its first lines, on the totals and on the
histogram; --strict-counts refuses instead.
"""

from __future__ import annotations

import argparse
import csv
from decimal import Decimal
from pathlib import Path
from typing import List, Optional, Tuple

import cit
from cit.types import EnteIn

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


DATA = ROOT / "examples" / "data"
#: The data sets shipped in examples/data: (file, what it is, the date of its counts when
#: the file does not give it per row).
DATA_SETS = {
    "anpr": (DATA / "comuni-anpr-2024.csv", "residenti ANPR", None),
    "istat2011": (DATA / "comuni-italia-2011.csv", "censimento ISTAT 2011", "2011-10-09"),
}


def italian_date(iso: str) -> str:
    """2024-01-10 → 10/01/2024."""
    return "/".join(reversed(iso.split("-")))


def describe(data: str, date: Optional[str]) -> str:
    """The data and the date of its counts: "residenti ANPR al 10/01/2024"."""
    what = DATA_SETS[data][1] if data in DATA_SETS else data
    if date is None:
        return f"{what} (data dei conteggi non indicata)"
    if data == "istat2011":
        return f"{what} (residenti al {italian_date(date)})"
    return f"{what} al {italian_date(date)}"


def load_province(data: str, sigla: str) -> List[EnteIn]:
    """The comuni of a province, each with the date of its counts where the data gives it."""
    path, _, default_date = DATA_SETS.get(data, (Path(data), data, None))
    enti: List[EnteIn] = []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row.get("sigla") == sigla:
                ab = int(row["abitanti"])
                imprese = row.get("imprese") or ""
                ente: EnteIn = {"id": row["istat"], "name": row["nome"], "kind": "comune", "abitanti": ab,
                                "imprese": int(imprese) if imprese else (ab * 10 + 50) // 100}
                date = row.get("counts_as_of") or default_date
                if date:
                    ente["counts_as_of"] = date
                enti.append(ente)
    if not enti:
        raise SystemExit(f"no comune with province sigla {sigla!r} in {path}")
    return enti


def tariff_counts_date(tariff: cit.Tariff, year: int) -> str:
    """The date the tariff takes the counts at for `year`, ISO (R-CAP, the core's rule)."""
    wanted = tariff.counts_date(year)
    if wanted is None:
        raise SystemExit(f"the tariff has no date for the counts of {year}")
    return wanted.isoformat()


def priced(tariff: cit.Tariff, enti: List[EnteIn], year: int, strict: bool) -> Tuple[List[EnteIn], int]:
    """The enti to price, and how many of them are an estimate.

    Each is quoted with the date of its counts, so the core checks it (R-CAP); one it
    refuses for that date alone is, unless `strict`, priced with its counts vouched for
    (`counts_as_of` left out), as an estimate."""
    out: List[EnteIn] = []
    estimated = 0
    for e in enti:
        try:
            tariff.quote(e, year)
            out.append(e)
        except cit.CitError as err:
            if err.code != "counts_date_mismatch" or strict:
                hint = ("\n  for the tariff's quota give counts at its date: --data FILE.csv with a counts_as_of "
                        "column (or, without --strict-counts, price these as an estimate)"
                        if err.code == "counts_date_mismatch" else "")
                raise SystemExit(f"{e['name']} ({e['id']}): {err}{hint}")
            vouched: EnteIn = {"id": e["id"], "name": e["name"], "kind": e["kind"],
                               "abitanti": e.get("abitanti"), "imprese": e.get("imprese")}
            out.append(vouched)
            estimated += 1
    return out, estimated


def italian(value: Decimal, decimals: int) -> str:
    """1.234,56: dots for thousands, a comma for decimals."""
    return f"{value:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def euro(amount: Decimal) -> str:
    """€ 1.234,56."""
    return f"€ {italian(amount, 2)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--province", default="AV", help="province sigla (default AV, Avellino)")
    parser.add_argument("--data", default="anpr",
                        help="anpr (residents in ANPR at 10/01/2024, the default), istat2011 (the 2011 census) "
                             "or a CSV with columns istat,nome,sigla,abitanti (optionally imprese, counts_as_of)")
    parser.add_argument("--strict-counts", action="store_true",
                        help="refuse counts not taken at the tariff's date (R-CAP) instead of pricing an estimate")
    parser.add_argument("--tariff", default=str(ROOT / "examples" / "tariffs" / "av-2018.json"))
    parser.add_argument("--year", type=int, default=2018)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--cost", default="75000.00", help="yearly cost the quotas should cover, in euro")
    parser.add_argument("--png", default="simulate_adesioni.png", help="where to save the histogram")
    args = parser.parse_args()

    tariff = cit.Tariff.from_json(Path(args.tariff).read_text(encoding="utf-8"))
    dated = load_province(args.data, args.province)
    enti, estimated = priced(tariff, dated, args.year, args.strict_counts)
    wanted = tariff_counts_date(tariff, args.year)
    quotes = tariff.quote_many(enti, args.year)
    small = sum(1 for e in enti if cit.is_small(e.get("abitanti") or 0))
    print(f"{tariff.name}, anno {args.year}: {len(enti)} comuni della provincia {args.province}, "
          f"{small} sotto i 5.000 abitanti (R-SMALL)")
    dates = sorted({str(e["counts_as_of"]) if e.get("counts_as_of") else "" for e in dated})
    for date in dates:
        how = (f"assunti al {italian_date(wanted)}, la data della tariffa" if not date
               else "la data della tariffa" if date == wanted
               else f"la tariffa li chiede al {italian_date(wanted)}")
        print(f"Conteggi: {describe(args.data, date or None)}; {how}")
    mark = ""
    if estimated:
        mark = " (stima)"
        which = "quote e simulazione" if estimated == len(enti) else f"{estimated} quote su {len(enti)}"
        print(f"STIMA: {which} con conteggi non alla data della tariffa (R-CAP); per la quota della")
        print(f"       tariffa, --data FILE.csv con i conteggi al {italian_date(wanted)} (colonna counts_as_of).")
    print(f"Quote se aderissero tutti{mark}: {euro(sum((q.total for q in quotes), Decimal(0)))}")

    candidates = cit.candidates(tariff, enti, [probability(e.get("abitanti") or 0) for e in enti], args.year)
    config: cit.types.SimConfigIn = {"runs": args.runs, "seed": args.seed}
    if args.cost is not None:
        config["cost"] = args.cost
    sim = cit.simulate(candidates, config)
    print(f"\nSimulazione{mark}: {italian(Decimal(sim['runs']), 0)} esecuzioni, seme {sim['seed']}")
    print(f"{'':12}{'media':>16}{'5° perc.':>16}{'mediana':>16}{'95° perc.':>16}")
    m, r, rev = sim["members"], sim["residents"], sim["revenue"]
    for label, s, dp in (("aderenti", m, 1), ("abitanti", r, 0)):
        cells = [italian(s["mean"], dp)] + [italian(Decimal(s[k]), 0) for k in ("p5", "p50", "p95")]
        print(f"{label:12}" + "".join(f"{c:>16}" for c in cells))
    print(f"{'entrate':12}{euro(rev['mean']):>16}{euro(rev['p5']):>16}{euro(rev['p50']):>16}{euro(rev['p95']):>16}")
    coverage = sim["coverage"]
    if coverage is not None:
        pct = (coverage["probability"] * 100).quantize(Decimal("0.01"))
        print(f"\nProbabilità che le entrate coprano {euro(coverage['cost'])}: {str(pct).replace('.', ',')}%{mark}")

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
    counts = "; ".join(describe(args.data, d or None) for d in dates)
    ax.set_title(
        f"Entrate da quote di adesione{mark}, provincia {args.province} "
        f"({italian(Decimal(sim['runs']), 0)} simulazioni, seme {args.seed})\n"
        f"conteggi: {counts}",
        fontsize=10,
    )
    ax.xaxis.set_major_formatter(lambda x, _pos: f"€ {italian(Decimal(int(x)), 0)}")
    ax.set_xlabel("entrate annue (€)")
    ax.set_ylabel("simulazioni")
    fig.tight_layout()
    fig.savefig(args.png, dpi=110)
    print(f"\nIstogramma salvato in {args.png}")


if __name__ == "__main__":
    main()
