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
