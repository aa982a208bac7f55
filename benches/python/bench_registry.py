"""cit's Python `Registry` against the Rust core, on the same realistic journals.

    .venv/bin/python benches/python/bench_registry.py
    .venv/bin/python benches/python/bench_registry.py --events 2000,20000 --repeat 5

For each size N (default 2.000, 20.000 and 200.000 events) the script runs the Rust
example

    cargo run --release --example registry_journal -- --events N --out target/journal-N.json --json

which generates the journal of `tests/journal.rs` (comuni and Unioni over 20 years:
memberships, services and renewal campaigns, billing runs, payments, reversals), writes
it and measures the Rust core on it in a fresh process; the script keeps the Rust figures
from the example's last line (JSON). Then, in this process and on the same file, it times:

- `cit.Registry.from_json(text)`: parse and replay (best of `--repeat`);
- `registry.apply(event)`: one more payment at the end, the same payer, day and amount
  as the Rust example's, as a dict (money `Decimal`, day `datetime.date`), new ids
  one after the other (median of `--applies`);
- `registry.balances(day)`: every ente at the end of the last year (best of `--repeat`);

and prints both with the ratio Python / Rust (target: within 1,5×), and the memory the
registry keeps in this process (VmRSS after `from_json` − before; Linux).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import cit
from timing import best

ROOT = Path(__file__).resolve().parents[2]


def rss(field: str = "VmRSS") -> Optional[int]:
    """A figure of /proc/self/status in bytes (None off Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def rust_figures(events: int, repeat: int, applies: int, seed: int) -> Dict[str, Any]:
    out = ROOT / "target" / f"journal-{events}.json"
    cmd = [
        "cargo", "run", "--quiet", "--release", "-p", "cit-core", "--example", "registry_journal", "--",
        "--events", str(events), "--seed", str(seed), "--out", str(out),
        "--repeat", str(repeat), "--applies", str(applies), "--json",
    ]
    print("$ " + " ".join(cmd), flush=True)
    run = subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True)
    lines = run.stdout.strip().splitlines()
    for line in lines[:-1]:
        print("  " + line)
    figures: Dict[str, Any] = json.loads(lines[-1])
    figures["file"] = str(out)
    return figures


def python_figures(rust: Dict[str, Any], repeat: int, applies: int) -> Dict[str, Any]:
    text = Path(rust["file"]).read_text(encoding="utf-8")
    before = rss()
    registry = cit.Registry.from_json(text)
    after = rss()
    assert len(registry) == rust["events"], (len(registry), rust["events"])
    from_json = best(lambda: cit.Registry.from_json(text), repeat)

    payer = rust["payer"]
    day = datetime.date.fromisoformat(rust["payment_date"])
    times: List[int] = []
    for k in range(applies):
        event = {"type": "payment_received", "payment": f"PY-EXTRA-{k}", "payer": payer,
                 "date": day, "amount": Decimal("12.34")}
        t0 = time.perf_counter_ns()
        registry.apply(event)
        times.append(time.perf_counter_ns() - t0)
    at = datetime.date.fromisoformat(rust["balances_at"])
    assert len(registry.balances(at)) == rust["enti"]
    balances = best(lambda: registry.balances(at), repeat)
    return {
        "from_json": from_json,
        "apply": statistics.median(times) / 1e9,
        "balances": balances,
        "retained": None if before is None or after is None else after - before,
    }


def fmt(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.1f} µs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", default="2000,20000,200000",
                        help="sizes, comma-separated [default: 2000,20000,200000]")
    parser.add_argument("--repeat", type=int, default=3, help="replays and balances timed, best kept [3]")
    parser.add_argument("--applies", type=int, default=101, help="payments applied, median kept [101]")
    parser.add_argument("--seed", type=int, default=1, help="seed of the journal [1]")
    args = parser.parse_args()
    sizes = [int(s.replace("_", "").replace(".", "")) for s in args.events.split(",") if s.strip()]

    rows = []
    for n in sizes:
        rust = rust_figures(n, args.repeat, args.applies, args.seed)
        py = python_figures(rust, args.repeat, args.applies)
        rows.append((rust, py))

    print()
    print(f"Python {'.'.join(map(str, sys.version_info[:3]))}, cit {cit.__version__}; "
          f"best of {args.repeat} (from_json, balances), median of {args.applies} (apply)")
    print(f"{'events':>8}  {'what':<38}{'Rust':>12}{'Python':>12}{'Python/Rust':>13}")
    for rust, py in rows:
        n = rust["events"]
        pairs = [
            ("from_json", rust["from_json_ns"] / 1e9, py["from_json"]),
            ("  per event", rust["from_json_ns"] / 1e9 / n, py["from_json"] / n),
            ("apply (one more payment)", rust["apply_median_ns"] / 1e9, py["apply"]),
            (f"balances ({rust['enti']} enti)", rust["balances_ns"] / 1e9, py["balances"]),
        ]
        for i, (what, r, p) in enumerate(pairs):
            label = f"{n:>8}" if i == 0 else " " * 8
            print(f"{label}  {what:<38}{fmt(r):>12}{fmt(p):>12}{p / r:>12.2f}×")
        kept_rust, kept_py = rust.get("retained_bytes"), py["retained"]
        if kept_rust is not None and kept_py is not None:
            print(f"{'':>8}  {'memory kept, bytes/event':<38}{kept_rust // n:>12}{kept_py // n:>12}"
                  f"{kept_py / max(kept_rust, 1):>12.2f}×")
    print("(target: Python within 1,5× of Rust; memory: VmRSS after the replay − before, Linux)")


if __name__ == "__main__":
    os.environ.setdefault("CARGO_TERM_COLOR", "never")
    main()
