"""cit.store on SQLite and PostgreSQL: appends per second and the time to open a large journal.

    .venv/bin/python benches/python/bench_store.py
    .venv/bin/python benches/python/bench_store.py --events 20000 --engines sqlite

For each engine (a SQLite file in target/, and a PostgreSQL server of its own, started as
the tests start it, cit-py/tests/pg_server.py):

- single appends: payments appended one at a time, each `append([event], expected_version=v)`
  its own transaction (SQLite: WAL, synchronous=FULL; PostgreSQL: fsync on, as shipped);
- batches of 100: the same payments 100 to an append;
- a large journal (default 200.000 events, the realistic journal of `tests/journal.rs`
  written by `cargo run --release --example registry_journal -- --events N --out FILE
  --no-measure`): stored with appends of 5.000 events, then, in a new `Journal` (nothing
  cached), the time of `cit.store.open(url).registry()` (read every row and replay) and of
  `journal.verify()` (recompute the hash chain and check each row's canonical form).

Figures are wall-clock seconds on this machine, best of `--repeat` where repeated.
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List

import cit
import cit.store

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "cit-py" / "tests"))
from pg_server import PgServer, bindir  # noqa: E402
from timing import best  # noqa: E402


def tariff() -> Dict[str, Any]:
    return json.loads((ROOT / "examples" / "tariffs" / "bs-2021-services.json").read_text(encoding="utf-8"))


def setup() -> List[Dict[str, Any]]:
    ente = {"id": "017001", "name": "Acquafredda", "kind": "comune", "abitanti": 1600, "imprese": 120}
    return [
        {"type": "tariff_adopted", "tariff": tariff()},
        {"type": "ente_registered", "ente": ente},
        {"type": "membership_requested", "membership": "A-1", "ente": "017001", "date": "2021-01-10"},
        {"type": "membership_approved", "membership": "A-1",
         "delibera": {"number": "1/2021", "date": "2021-01-20", "organ": "Consiglio comunale"}},
        {"type": "convention_signed", "membership": "A-1", "date": "2021-01-25", "to": "2025-12-31"},
        {"type": "billing_run", "year": 2021, "issued": "2021-03-01", "due": "2021-04-30"},
    ]


def payments(prefix: str, n: int) -> List[Dict[str, Any]]:
    return [{"type": "payment_received", "payment": f"{prefix}-{i}", "payer": "017001",
             "date": "2021-03-15", "amount": "1.00"} for i in range(n)]


def big_journal(events: int) -> Path:
    out = ROOT / "target" / f"journal-{events}.json"
    if not out.exists():
        cmd = ["cargo", "run", "--quiet", "--release", "-p", "cit-core", "--example", "registry_journal", "--",
               "--events", str(events), "--out", str(out), "--no-measure"]
        print("$ " + " ".join(cmd), flush=True)
        subprocess.run(cmd, cwd=ROOT, check=True)
    return out


def measure(url_factory: Callable[[], str], singles: int, batches: int, journal_file: Path, repeat: int) -> Dict[str, float]:
    figures: Dict[str, float] = {}
    url = url_factory()
    with cit.store.open(url) as j:
        j.append(setup())
        events = payments("S", singles)
        took = best(lambda: [j.append([e], expected_version=j.version) for e in events])
        figures["single appends/s"] = singles / took
        events = payments("B", 100 * batches)
        took = best(lambda: [j.append(events[k:k + 100], expected_version=j.version)
                              for k in range(0, len(events), 100)])
        figures["events/s in batches of 100"] = len(events) / took
    text = journal_file.read_text(encoding="utf-8")
    stored = json.loads(text)
    url = url_factory()
    with cit.store.open(url) as j:
        took = best(lambda: [j.append(stored[k:k + 5000]) for k in range(0, len(stored), 5000)])
        figures["store the large journal, s"] = took
        assert j.version == len(stored)
    opened: List[float] = []
    verified: List[float] = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        with cit.store.open(url) as j:
            r = j.registry()
            opened.append(time.perf_counter() - t0)
            assert r.version == len(stored)
            verified.append(best(j.verify))
    figures["open and replay, s"] = min(opened)
    figures["verify, s"] = min(verified)
    t0 = time.perf_counter()
    cit.Registry.from_json(text)
    figures["(Registry.from_json of the same journal, s)"] = time.perf_counter() - t0
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=200_000, help="size of the large journal")
    parser.add_argument("--singles", type=int, default=500, help="payments appended one at a time")
    parser.add_argument("--batches", type=int, default=50, help="batches of 100 payments")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args()
    journal_file = big_journal(args.events)
    engines = args.engines.split(",")
    results: Dict[str, Dict[str, float]] = {}
    work = ROOT / "target" / "bench-store"
    work.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1_000_000))
    stamp = datetime.datetime.now().strftime("%H%M%S")
    if "sqlite" in engines:
        def sqlite_url() -> str:
            path = work / f"books-{stamp}-{next(counter)}.db"
            return str(path)
        results["SQLite"] = measure(sqlite_url, args.singles, args.batches, journal_file, args.repeat)
        for f in work.glob(f"books-{stamp}-*"):
            f.unlink()
    if "postgresql" in engines:
        found = bindir()
        if found is None:
            print("PostgreSQL is not installed: skipped (.ci/setup installs it)")
        else:
            server = PgServer(found).start()
            try:
                results["PostgreSQL"] = measure(server.new_database, args.singles, args.batches, journal_file, args.repeat)
            finally:
                server.stop()
    names = list(next(iter(results.values())).keys()) if results else []
    print(f"\njournal of {args.events:,} events ({journal_file.stat().st_size / 1e6:.1f} MB of JSON)".replace(",", "."))
    header = f"{'':<44}" + "".join(f"{k:>14}" for k in results)
    print(header)
    for name in names:
        row = f"{name:<44}" + "".join(f"{results[k][name]:>14,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
                                      for k in results)
        print(row)


if __name__ == "__main__":
    main()
