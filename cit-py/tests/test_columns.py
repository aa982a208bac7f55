"""Columns for analysts: numpy arrays in and out of `quote_totals`, exact to the cent
(R-ROUND) on every comune, without a Python object per comune."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Dict, List

import numpy as np
import pytest

import cit
from conftest import tariff_text

TARIFFS = [("bs-2015.json", 2016), ("graduated-2026.json", 2027)]


@pytest.mark.parametrize("name,year", TARIFFS)
def test_r_round_quote_totals_from_numpy_arrays_every_comune(name: str, year: int, comuni: List[Dict[str, Any]]) -> None:
    t = cit.Tariff.from_json(tariff_text(name))
    ab = [e["abitanti"] for e in comuni]
    imp = [e["imprese"] for e in comuni]
    cents = t.quote_totals(np.array(ab, dtype=np.int64), np.array(imp, dtype=np.int64), year)
    assert isinstance(cents, np.ndarray) and cents.dtype == np.int64 and cents.shape == (len(comuni),)
    assert cents.tolist() == t.quote_totals(ab, imp, year)
    assert [Decimal(int(c)) / 100 for c in cents] == [q.total for q in t.quote_many(comuni, year)]


def test_r_round_quote_totals_takes_any_integer_dtype_and_strides(bs_text: str) -> None:
    t = cit.Tariff.from_json(bs_text)
    ab, imp = [189902, 1579, 0, 3000], [21500, 158, 0, 300]
    expected = t.quote_totals(ab, imp, 2016)
    for dtype in (np.int64, np.uint64, np.int32, np.uint32):
        got = t.quote_totals(np.array(ab, dtype=dtype), np.array(imp, dtype=dtype), 2016)
        assert got.dtype == np.int64 and got.tolist() == expected
    both = np.array([ab, imp], dtype=np.int64).T.copy()  # columns of a 2-D array: strided
    assert t.quote_totals(both[:, 0], both[:, 1], 2016).tolist() == expected
    assert t.quote_totals(np.array(ab[::-1])[::-1], imp, 2016).tolist() == expected  # an array and a list
    assert t.quote_totals(np.array([], dtype=np.int64), np.array([], dtype=np.int64), 2016).tolist() == []


def test_r_round_quote_totals_refuses_floats_bools_and_negatives(bs_text: str) -> None:
    t = cit.Tariff.from_json(bs_text)
    one = np.array([1], dtype=np.int64)
    for bad in (np.array([1.0]), np.array([True])):
        with pytest.raises(cit.MoneyTypeError) as info:
            t.quote_totals(bad, one, 2016)
        assert info.value.path == "abitanti" and "int64" in str(info.value)
    with pytest.raises(cit.InvalidValueError) as value:
        t.quote_totals(one, np.array([-3], dtype=np.int64), 2016)
    assert value.value.path == "imprese[0]"
    with pytest.raises(cit.InvalidValueError) as dims:
        t.quote_totals(np.ones((2, 2), dtype=np.int64), one, 2016)
    assert dims.value.path == "abitanti"
    with pytest.raises(cit.InvalidValueError) as length:
        t.quote_totals(np.array([1, 2]), one, 2016)
    assert length.value.path == "imprese"


@pytest.mark.parametrize("name,year", TARIFFS)
def test_r_round_quote_table_is_read_exactly_by_pyarrow_polars_and_pandas(
    name: str, year: int, comuni: List[Dict[str, Any]]
) -> None:
    """Every total of quote_table, read by pyarrow, polars and pandas, equals quote_totals
    to the cent; `total` is a decimal with two places, never a float."""
    import pandas as pd
    import polars as pl
    import pyarrow as pa

    t = cit.Tariff.from_json(tariff_text(name))
    ab = np.array([e["abitanti"] for e in comuni], dtype=np.int64)
    imp = np.array([e["imprese"] for e in comuni], dtype=np.int64)
    ids = [e["id"] for e in comuni]
    cents = t.quote_totals(ab, imp, year).tolist()
    exact = [Decimal(c).scaleb(-2) for c in cents]
    table = t.quote_table(ab, imp, year, ids=ids)
    assert len(table) == len(comuni) and table.column_names == ["ente", "total", "cents"]

    arrow = pa.table(table)
    assert arrow.schema.field("total").type == pa.decimal128(19, 2)
    assert arrow.column("ente").to_pylist() == ids
    assert arrow.column("total").to_pylist() == exact
    assert arrow.column("cents").to_pylist() == cents
    assert pa.record_batch(table).column(2).to_pylist() == cents  # __arrow_c_array__ too

    frame = pl.DataFrame(table)
    assert frame.schema["total"] == pl.Decimal(19, 2) and frame.schema["cents"] == pl.Int64
    assert frame["total"].to_list() == exact and frame["cents"].to_list() == cents
    assert pl.from_arrow(arrow)["ente"].to_list() == ids

    pandas = pa.table(table).to_pandas(types_mapper=pd.ArrowDtype)
    assert str(pandas["total"].dtype) == "decimal128(19, 2)[pyarrow]"
    assert pandas["total"].tolist() == exact and pandas["cents"].tolist() == cents


def test_r_round_quote_table_without_ids_and_from_lists(bs_text: str) -> None:
    import pyarrow as pa

    t = cit.Tariff.from_json(bs_text)
    table = t.quote_table([189902, 1579], [21500, 158], 2016)
    assert table.column_names == ["total", "cents"]
    assert pa.table(table).to_pylist() == [
        {"total": Decimal("39988.24"), "cents": 3998824},
        {"total": Decimal("394.85"), "cents": 39485},
    ]
    with pytest.raises(cit.InvalidValueError) as info:
        t.quote_table([1, 2], [1, 2], 2016, ids=["a"])
    assert info.value.path == "ids"


def _italy_candidates(bs_text: str, comuni: List[Dict[str, Any]]) -> List[cit.types.Candidate]:
    t = cit.Tariff.from_json(bs_text)
    probs = ["0.35" if e["abitanti"] < 1000 else "0.5" if e["abitanti"] < 5000 else "0.8" for e in comuni]
    return cit.candidates(t, comuni, probs, 2016)


def test_r_sim_per_run_as_numpy_arrays_equals_the_lists(bs_text: str, comuni: List[Dict[str, Any]]) -> None:
    """Every run of per_run="arrays" is the run of the default lists: the same counts, the
    revenue in integer cents; the summaries are the same."""
    cands = _italy_candidates(bs_text, comuni)
    lists = cit.simulate(cands, {"runs": 1000, "seed": 7, "cost": "9000000.00"})
    arrays = cit.simulate(cands, {"runs": 1000, "seed": 7, "cost": "9000000.00"}, per_run="arrays")
    per = arrays["per_run"]
    assert sorted(per) == ["members", "residents", "revenue_cents"]
    for column in per.values():
        assert isinstance(column, np.ndarray) and column.dtype == np.int64 and column.shape == (1000,)
    assert per["members"].tolist() == lists["per_run"]["members"]
    assert per["residents"].tolist() == lists["per_run"]["residents"]
    assert [Decimal(int(c)).scaleb(-2) for c in per["revenue_cents"]] == lists["per_run"]["revenue"]
    assert all(Decimal(int(c)).scaleb(-2).as_tuple() == r.as_tuple()
               for c, r in zip(per["revenue_cents"], lists["per_run"]["revenue"]))
    assert {k: v for k, v in arrays.items() if k != "per_run"} == {k: v for k, v in lists.items() if k != "per_run"}
    assert int(per["revenue_cents"].sum()) == sum(int(r * 100) for r in lists["per_run"]["revenue"])


def test_r_sim_per_run_as_an_arrow_table_read_exactly_by_pyarrow_and_polars(
    bs_text: str, comuni: List[Dict[str, Any]]
) -> None:
    import polars as pl
    import pyarrow as pa

    cands = _italy_candidates(bs_text, comuni)
    lists = cit.simulate(cands, {"runs": 500, "seed": 11})
    table = cit.simulate(cands, {"runs": 500, "seed": 11}, per_run="table")
    runs = table["per_run"]
    assert isinstance(runs, cit.RunTable) and len(runs) == 500
    assert runs.column_names == ["members", "residents", "revenue", "revenue_cents"]
    arrow = pa.table(runs)
    assert arrow.schema.field("revenue").type == pa.decimal128(19, 2)
    assert arrow.column("members").to_pylist() == lists["per_run"]["members"]
    assert arrow.column("residents").to_pylist() == lists["per_run"]["residents"]
    assert arrow.column("revenue").to_pylist() == lists["per_run"]["revenue"]
    assert arrow.column("revenue_cents").to_pylist() == [int(r * 100) for r in lists["per_run"]["revenue"]]
    frame = pl.DataFrame(runs)
    assert frame.schema["revenue"] == pl.Decimal(19, 2)
    assert frame["revenue"].to_list() == lists["per_run"]["revenue"]
    assert frame["revenue"].sum() == sum(lists["per_run"]["revenue"], Decimal(0))  # exact, no float
    assert {k: v for k, v in table.items() if k != "per_run"} == {k: v for k, v in lists.items() if k != "per_run"}


def test_r_sim_per_run_refuses_an_unknown_shape(bs_text: str) -> None:
    cands = cit.candidates(cit.Tariff.from_json(bs_text), [cit_brescia()], ["0.5"], 2016)
    with pytest.raises(cit.InvalidValueError) as info:
        cit.simulate(cands, {"runs": 10, "seed": 1}, per_run="frame")  # type: ignore[call-overload]
    assert info.value.path == "per_run"


def cit_brescia() -> cit.types.Ente:
    return {"id": "017029", "name": "Brescia", "kind": "comune", "abitanti": 189902, "imprese": 21500}


@pytest.mark.parametrize("name,year", TARIFFS)
def test_r_round_quote_totals_from_arrow_columns_pyarrow_polars_pandas(
    name: str, year: int, comuni: List[Dict[str, Any]]
) -> None:
    """Arrow columns in (pyarrow arrays and chunked arrays, polars and pandas Series), a
    numpy int64 array of cents out, equal to the lists' totals on every comune."""
    import pandas as pd
    import polars as pl
    import pyarrow as pa

    t = cit.Tariff.from_json(tariff_text(name))
    ab = [e["abitanti"] for e in comuni]
    imp = [e["imprese"] for e in comuni]
    expected = t.quote_totals(ab, imp, year)
    half = len(ab) // 2
    inputs = [
        (pa.array(ab, type=pa.int64()), pa.array(imp, type=pa.int64())),
        (pa.chunked_array([ab[:half], ab[half:]], type=pa.int64()), pa.chunked_array([imp[:half], imp[half:]])),
        (pl.Series(ab, dtype=pl.Int64), pl.Series(imp, dtype=pl.Int64)),
        (pl.Series(ab, dtype=pl.UInt32), pl.Series(imp, dtype=pl.Int32)),
        (pd.Series(ab, dtype="int64"), pd.Series(imp, dtype="int64")),
        (pa.array(ab, type=pa.int64()), imp),  # an Arrow column and a list
    ]
    for a, i in inputs:
        cents = t.quote_totals(a, i, year)
        assert isinstance(cents, np.ndarray) and cents.dtype == np.int64
        assert cents.tolist() == expected
    # polars reads the result back without a copy, exactly
    assert pl.Series(t.quote_totals(inputs[2][0], inputs[2][1], year)).to_list() == expected


def test_r_round_quote_totals_refuses_arrow_floats_nulls_and_negatives(bs_text: str) -> None:
    import polars as pl
    import pyarrow as pa

    t = cit.Tariff.from_json(bs_text)
    one = pa.array([1, 2], type=pa.int64())
    for bad in (pa.array([1.0, 2.0]), pl.Series([1.5, 2.0]), pa.array([True, False]),
                pa.array([1, 2], type=pa.decimal128(5, 0))):
        with pytest.raises(cit.MoneyTypeError) as info:
            t.quote_totals(bad, one, 2016)
        assert info.value.path == "abitanti" and "int64" in str(info.value)
    with pytest.raises(cit.InvalidValueError) as null:
        t.quote_totals(one, pa.array([3, None], type=pa.int64()), 2016)
    assert null.value.path == "imprese[1]"
    with pytest.raises(cit.InvalidValueError) as negative:  # the position in the column, across chunks
        t.quote_totals(pa.chunked_array([[1, 2], [3, -4]], type=pa.int64()), pa.array([1, 2, 3, 4]), 2016)
    assert negative.value.path == "abitanti[3]"
    with pytest.raises(cit.InvalidValueError) as length:
        t.quote_totals(one, pl.Series([1, 2, 3]), 2016)
    assert length.value.path == "imprese"
