"""An analyst's sweep that outgrows one process: every comune of Italy priced partition by
partition on a Dask cluster, and the adhesion simulation (R-SIM) over a grid of tariffs ×
seeds — each figure checked against the same computation in one process.

    .venv/bin/python examples/python/dask_sweep.py                  # a LocalCluster of 2 worker processes
    .venv/bin/python examples/python/dask_sweep.py --workers 4 --data istat2011
    .venv/bin/python examples/python/dask_sweep.py --scheduler tcp://10.0.0.5:8786   # a cluster of yours

The comuni come from examples/data — by default the residents in ANPR at 10/01/2024
(--data anpr), or the 2011 census (--data istat2011) — with imprese estimated at 0,10 per
abitante (see examples/data/README.md). Each partition is a region's comuni as two numpy
int64 columns, priced on a worker by `Tariff.quote_totals` (a `Tariff` pickles: it travels
as its JSON document); the candidates of each tariff are priced once, sent to the workers
once with `client.scatter`, and simulated there for every seed. Money stays exact on the
way: integer cents in numpy arrays, `Decimal`s in the simulation's summaries.

The counts are not at the date each tariff asks for (R-CAP), so quotas and simulation are
an estimate, and the output says so; the join probabilities are those of
simulate_adesioni.py (stated assumptions, not data). Needs dask[distributed] (in
cit-py/requirements-dev.txt); cit itself does not.
"""

from __future__ import annotations

import argparse
import csv
from decimal import Decimal
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple, TypeVar

import numpy as np
import numpy.typing as npt
from distributed import Client, Future, LocalCluster

import cit
from cit.types import Candidate, Ente, Simulation
from simulate_adesioni import DATA_SETS, describe, euro, italian, italian_date, probability, tariff_counts_date

ROOT = Path(__file__).resolve().parents[2]
TARIFFS_DIR = ROOT / "examples" / "tariffs"
#: The grid's tariffs, each with the year it prices.
TARIFFS: List[Tuple[str, int]] = [("bs-2015.json", 2016), ("av-2018.json", 2018), ("graduated-2026.json", 2027)]
SEEDS: List[int] = [1, 2, 3]
Cents = npt.NDArray[np.int64]
T = TypeVar("T")


class Comune(NamedTuple):
    istat: str
    nome: str
    regione: str
    abitanti: int
    imprese: int
    counts_as_of: str


class Partition(NamedTuple):
    """A region's comuni as columns: what a worker prices."""

    regione: str
    ids: List[str]
    abitanti: Cents
    imprese: Cents


class Priced(NamedTuple):
    """One tariff's quotas of every comune, partition by partition, in integer cents."""

    tariff: str
    year: int
    cents: List[Cents]


class Run(NamedTuple):
    """One point of the simulation grid."""

    tariff: str
    year: int
    seed: int
    simulation: Simulation


def load_tariffs() -> List[Tuple[cit.Tariff, int]]:
    return [(cit.Tariff.from_json((TARIFFS_DIR / name).read_text(encoding="utf-8")), year) for name, year in TARIFFS]


def load_comuni(data: str) -> List[Comune]:
    """Every comune of a data set of examples/data, with imprese estimated at 0,10 per
    abitante (rounded half up) and the date of its counts."""
    path, _, default_date = DATA_SETS[data]
    comuni: List[Comune] = []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            ab = int(row["abitanti"])
            date = row.get("counts_as_of") or default_date or ""
            comuni.append(Comune(row["istat"], row["nome"], row["regione"], ab, (ab * 10 + 50) // 100, date))
    return comuni


def partitions(comuni: Sequence[Comune]) -> List[Partition]:
    """The comuni by region, in the order of the file."""
    by_region: Dict[str, List[Comune]] = {}
    for c in comuni:
        by_region.setdefault(c.regione, []).append(c)
    return [
        Partition(regione, [c.istat for c in cs], np.array([c.abitanti for c in cs], dtype=np.int64),
                  np.array([c.imprese for c in cs], dtype=np.int64))
        for regione, cs in by_region.items()
    ]


def price_partition(part: Partition, tariff: cit.Tariff, year: int) -> Cents:
    """On a worker: the quotas of a partition in integer cents (counts vouched for)."""
    return tariff.quote_totals(part.abitanti, part.imprese, year)


def candidates_of(tariff: cit.Tariff, comuni: Sequence[Comune], year: int) -> List[Candidate]:
    """Every comune as a candidate, priced once under `tariff` with its counts vouched for
    (as `quote_totals` takes them), with the join probability of its size."""
    enti: List[Ente] = [{"id": c.istat, "name": c.nome, "kind": "comune", "abitanti": c.abitanti, "imprese": c.imprese}
                        for c in comuni]
    return cit.candidates(tariff, enti, [probability(c.abitanti) for c in comuni], year)


def simulate_point(candidates: List[Candidate], runs: int, seed: int, cost: Optional[str]) -> Simulation:
    """On a worker: one point of the grid."""
    config: cit.types.SimConfigIn = {"runs": runs, "seed": seed}
    if cost is not None:
        config["cost"] = cost
    return cit.simulate(candidates, config)


# Typed wrappers of the calls of distributed that carry no annotations (mypy --strict).
def scatter_each(client: Client, values: List[T]) -> List[Future[T]]:
    """Each value to a worker (a future per value)."""
    futures: List[Future[T]] = client.scatter(values)  # type: ignore[no-untyped-call]
    return futures


def scatter_one(client: Client, value: T) -> Future[T]:
    """One value, as one object, to every worker: wrapped in a list, since a bare list
    would be scattered item by item."""
    [future] = client.scatter([value], broadcast=True)  # type: ignore[no-untyped-call]
    return future  # type: ignore[no-any-return]


def gather(client: Client, futures: List[Future[T]]) -> List[T]:
    values: List[T] = client.gather(futures)  # type: ignore[no-untyped-call]
    return values


def start_cluster(workers: int) -> Tuple[LocalCluster, Client]:
    """A LocalCluster of `workers` processes of one thread each, and its client."""
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,  # type: ignore[no-untyped-call]
                           dashboard_address=None)
    return cluster, Client(cluster)  # type: ignore[no-untyped-call]


def price_on_cluster(client: Client, tariffs: Sequence[Tuple[cit.Tariff, int]], parts: Sequence[Partition]) -> List[Priced]:
    """Every partition priced on the workers under every tariff: the partitions and the
    tariffs are sent once each (scatter), the cents come back as numpy arrays."""
    part_futures = scatter_each(client, list(parts))
    out: List[Priced] = []
    for tariff, year in tariffs:
        on_workers = scatter_one(client, tariff)
        futures = client.map(price_partition, part_futures, tariff=on_workers, year=year)
        out.append(Priced(tariff.id, year, gather(client, futures)))
    return out


def price_in_process(tariffs: Sequence[Tuple[cit.Tariff, int]], parts: Sequence[Partition]) -> List[Priced]:
    """The same, in this process: the reference the cluster's figures must equal."""
    return [Priced(tariff.id, year, [price_partition(p, tariff, year) for p in parts]) for tariff, year in tariffs]


def sweep_on_cluster(client: Client, tariffs: Sequence[Tuple[cit.Tariff, int]], comuni: Sequence[Comune],
                     seeds: Sequence[int], runs: int, cost: Optional[str]) -> List[Run]:
    """The simulation over tariffs × seeds on the workers. Each tariff's candidates are
    priced once here and scattered once (as one object: a bare list would be scattered
    item by item); every seed's run then reads them on its worker."""
    points: List[Tuple[str, int, int, Future[Simulation]]] = []
    for tariff, year in tariffs:
        cands = scatter_one(client, candidates_of(tariff, comuni, year))
        for seed in seeds:
            points.append((tariff.id, year, seed, client.submit(simulate_point, cands, runs, seed, cost)))
    sims = gather(client, [f for *_, f in points])
    return [Run(t, y, s, sim) for (t, y, s, _), sim in zip(points, sims)]


def sweep_in_process(tariffs: Sequence[Tuple[cit.Tariff, int]], comuni: Sequence[Comune], seeds: Sequence[int],
                     runs: int, cost: Optional[str]) -> List[Run]:
    out: List[Run] = []
    for tariff, year in tariffs:
        cands = candidates_of(tariff, comuni, year)
        out.extend(Run(tariff.id, year, seed, simulate_point(cands, runs, seed, cost)) for seed in seeds)
    return out


def differences(cluster: Sequence[Priced], single: Sequence[Priced],
                runs_cluster: Sequence[Run], runs_single: Sequence[Run]) -> List[str]:
    """Every figure of the cluster that is not exactly the single process's (none, if all is well)."""
    out: List[str] = []
    if len(cluster) != len(single) or len(runs_cluster) != len(runs_single):
        return ["the cluster returned a different number of results"]
    for a, b in zip(cluster, single):
        if (a.tariff, a.year, len(a.cents)) != (b.tariff, b.year, len(b.cents)):
            out.append(f"{a.tariff}: different partitions")
            continue
        for i, (x, y) in enumerate(zip(a.cents, b.cents)):
            if x.dtype != np.int64 or x.tolist() != y.tolist():
                out.append(f"{a.tariff}: partition {i} differs")
    for r, s in zip(runs_cluster, runs_single):
        if (r.tariff, r.year, r.seed) != (s.tariff, s.year, s.seed) or r.simulation != s.simulation:
            out.append(f"{r.tariff}, seed {r.seed}: the simulation differs")
    return out


def euro_cents(cents: int) -> str:
    return euro(Decimal(cents).scaleb(-2))


def report(data: str, comuni: Sequence[Comune], parts: Sequence[Partition], tariffs: Sequence[Tuple[cit.Tariff, int]],
           priced: Sequence[Priced], runs: Sequence[Run], workers: str) -> None:
    path = DATA_SETS[data][0]
    dates = sorted({c.counts_as_of for c in comuni})
    print(f"Sweep su Dask ({workers}): {italian(Decimal(len(comuni)), 0)} comuni in {len(parts)} partizioni "
          f"(regioni), {len(tariffs)} tariffe")
    for date in dates:
        asks = ", ".join(f"{t.id} al {italian_date(tariff_counts_date(t, y))}" for t, y in tariffs)
        print(f"Conteggi: {describe(data, date or None)} ({path.name}); le tariffe li chiedono: {asks}")
    print("STIMA: quote e simulazione con conteggi non alla data delle tariffe (R-CAP), imprese stimate a 0,10 per abitante")

    width = max(len(p.regione) for p in parts)
    head = "".join(f"{f'{p.tariff} ({p.year})':>26}" for p in priced)
    print(f"\nQuote se aderissero tutti (stima), per regione:\n{'regione':{width}} {'comuni':>7}{head}")
    for i, part in enumerate(parts):
        cells = "".join(f"{euro_cents(int(p.cents[i].sum())):>26}" for p in priced)
        print(f"{part.regione:{width}} {italian(Decimal(len(part.ids)), 0):>7}{cells}")
    totals = "".join(f"{euro_cents(sum(int(c.sum()) for c in p.cents)):>26}" for p in priced)
    print(f"{'Italia':{width}} {italian(Decimal(len(comuni)), 0):>7}{totals}")

    sim = runs[0].simulation
    coverage = sim["coverage"]
    cover = f", costo da coprire {euro(coverage['cost'])}" if coverage is not None else ""
    print(f"\nSimulazione delle adesioni (stima): {italian(Decimal(sim['runs']), 0)} esecuzioni per punto, "
          f"{italian(Decimal(sim['candidates']), 0)} candidati{cover}")
    print(f"{'tariffa':<20}{'seme':>5}{'aderenti':>10}{'entrate medie':>20}{'5° perc.':>20}{'95° perc.':>20}"
          f"{'copertura':>11}")
    for r in runs:
        s = r.simulation
        rev = s["revenue"]
        cov = s["coverage"]
        pct = "—" if cov is None else str((cov["probability"] * 100).quantize(Decimal("0.01"))).replace(".", ",") + "%"
        print(f"{r.tariff:<20}{r.seed:>5}{italian(s['members']['mean'], 1):>10}{euro(rev['mean']):>20}"
              f"{euro(rev['p5']):>20}{euro(rev['p95']):>20}{pct:>11}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the LocalCluster (default 2)")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler, instead of a LocalCluster")
    parser.add_argument("--data", default="anpr", choices=sorted(DATA_SETS),
                        help="anpr (residents in ANPR at 10/01/2024, the default) or istat2011 (the 2011 census)")
    parser.add_argument("--runs", type=int, default=2_000, help="runs of each simulation (default 2.000)")
    parser.add_argument("--seeds", default=",".join(map(str, SEEDS)), help="comma-separated seeds (default 1,2,3)")
    parser.add_argument("--cost", default="9500000.00",
                        help="yearly cost the quotas should cover, in euro (default 9.500.000,00)")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]

    tariffs = load_tariffs()
    comuni = load_comuni(args.data)
    parts = partitions(comuni)
    if args.scheduler:
        client = Client(args.scheduler)  # type: ignore[no-untyped-call]
        workers = f"{len(client.scheduler_info()['workers'])} worker su {args.scheduler}"
        cluster: Optional[LocalCluster] = None
    else:
        cluster, client = start_cluster(args.workers)
        workers = f"LocalCluster di {args.workers} {'processo' if args.workers == 1 else 'processi'} worker"
    try:
        priced = price_on_cluster(client, tariffs, parts)
        runs = sweep_on_cluster(client, tariffs, comuni, seeds, args.runs, args.cost)
    finally:
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()

    report(args.data, comuni, parts, tariffs, priced, runs, workers)
    wrong = differences(priced, price_in_process(tariffs, parts), runs,
                        sweep_in_process(tariffs, comuni, seeds, args.runs, args.cost))
    if wrong:
        raise SystemExit("Verifica FALLITA: " + "; ".join(wrong))
    quotes = sum(len(c) for p in priced for c in p.cents)
    print(f"\nVerifica: {italian(Decimal(quotes), 0)} quote e {len(runs)} simulazioni del cluster identiche "
          "al calcolo in un solo processo")


if __name__ == "__main__":
    main()
