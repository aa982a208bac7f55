"""Writing a family's JSON file, shared by the generators: `--check` on the command line
compares instead of writing (what `make test` runs), and fails if the file is stale."""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def write(name: str, family: str, about: str, cases: list, script: str, seed: int) -> None:
    """Writes `name` (or checks it with `--check`): the family, a sentence about it naming
    the generator and its seed, and the cases."""
    doc = {"family": family,
           "about": f"{about} Written by {script} (seed {seed}); do not edit by hand.",
           "cases": cases}
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    target = HERE / name
    if "--check" in sys.argv:
        if not target.exists() or target.read_text() != text:
            sys.exit(f"tests/vectors/{name} is stale: run python3 tests/vectors/{script}")
        print(f"{name} is current ({len(cases)} cases)")
    else:
        target.write_text(text)
        print(f"wrote {name}: {len(cases)} cases")
