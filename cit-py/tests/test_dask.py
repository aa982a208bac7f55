"""R-SIM and R-ROUND across processes: examples/python/dask_sweep.py on a real
distributed.LocalCluster of worker processes gives, figure by figure, what one process
gives — every quota in integer cents and every simulation (summaries and runs) equal,
never approximately."""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from typing import Iterator

import pytest

from conftest import EXAMPLES

distributed = pytest.importorskip("distributed")  # in requirements-dev.txt: present in `make test`

sys.path.insert(0, str(EXAMPLES / "python"))
import dask_sweep  # noqa: E402


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    # The worker processes import dask_sweep (the functions travel by reference): they get
    # the examples' directory on their path.
    path = os.pathsep.join([str(EXAMPLES / "python"), os.environ.get("PYTHONPATH", "")])
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                                       env={"PYTHONPATH": path})
    c = distributed.Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


def test_r_sim_a_dask_sweep_on_a_local_cluster_equals_one_process(client: distributed.Client) -> None:
    assert len(client.scheduler_info()["workers"]) == 2
    tariffs = dask_sweep.load_tariffs()
    comuni = dask_sweep.load_comuni("anpr")
    parts = dask_sweep.partitions(comuni)
    assert len(parts) == 20 and sum(len(p.ids) for p in parts) == len(comuni) == 7900

    priced = dask_sweep.price_on_cluster(client, tariffs, parts)
    single = dask_sweep.price_in_process(tariffs, parts)
    assert [(p.tariff, p.year) for p in priced] == [(t.id, y) for t, y in tariffs]
    for p, s, (tariff, year) in zip(priced, single, tariffs):
        assert all(c.dtype == "int64" for c in p.cents)
        assert [c.tolist() for c in p.cents] == [c.tolist() for c in s.cents]
        # and each comune's quota is the one of a single call over the whole file
        by_id = {i: int(x) for part, c in zip(parts, p.cents) for i, x in zip(part.ids, c)}
        ab = [c.abitanti for c in comuni]
        whole = tariff.quote_totals(ab, [(a * 10 + 50) // 100 for a in ab], year)
        assert [by_id[c.istat] for c in comuni] == whole

    # A region's comuni (Umbria, 92) and few runs: seconds, and every run compared.
    umbria = [c for c in comuni if c.regione == "Umbria"]
    assert len(umbria) == 92
    seeds = [1, 2]
    runs = dask_sweep.sweep_on_cluster(client, tariffs, umbria, seeds, 500, "300000.00")
    reference = dask_sweep.sweep_in_process(tariffs, umbria, seeds, 500, "300000.00")
    assert [(r.tariff, r.seed) for r in runs] == [(t.id, s) for t, _ in tariffs for s in seeds]
    for r, s in zip(runs, reference):
        assert r.simulation == s.simulation
        assert r.simulation["per_run"]["revenue"] == s.simulation["per_run"]["revenue"]
        assert all(isinstance(x, Decimal) for x in r.simulation["per_run"]["revenue"])
        for key in ("mean", "p5", "p50", "p95"):
            assert str(r.simulation["revenue"][key]) == str(s.simulation["revenue"][key])
    assert dask_sweep.differences(priced, single, runs, reference) == []
    # and the check itself sees a difference of one cent
    off = single[0].cents[0].copy()
    off[0] += 1
    bad = [dask_sweep.Priced(single[0].tariff, single[0].year, [off] + single[0].cents[1:])] + single[1:]
    assert dask_sweep.differences(priced, bad, runs, reference) == [f"{single[0].tariff}: partition 0 differs"]
