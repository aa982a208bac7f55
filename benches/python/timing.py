"""What the Python benchmarks time with: the best of a few runs, in wall-clock seconds."""

from __future__ import annotations

import time
from typing import Any, Callable


def best(f: Callable[[], Any], repeat: int = 1) -> float:
    """The fastest of `repeat` runs of `f`, in seconds (one run: its time)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)
