"""The engine's stage sorts the cells by their key through integer ranks
(:func:`opora.engine.aggregate._key_order`); the order must be exactly Arrow's own sort of the
five key columns, whatever the strings (Cyrillic, case, prefixes) and numbers."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from opora.engine.aggregate import _key_order
from opora.engine.cell_query import KEY

keys = st.text(alphabet="аАбЁёz0-_ ", max_size=4)
rows = st.lists(st.tuples(keys, st.sampled_from(["VPR", "OGE", "EGE", "GVE", "ВПР"]),
                          st.sampled_from(["math", "math_base", "russian", "рус"]),
                          st.integers(-3, 11), st.integers(1990, 2030)),
                min_size=1, max_size=60)


def table_of(data: list[tuple[str, str, str, int, int]]) -> pa.Table:
    columns = list(zip(*data, strict=True))
    types = [pa.string(), pa.string(), pa.string(), pa.int8(), pa.int16()]
    return pa.table({k: pa.array(list(v), t) for k, v, t in zip(KEY, columns, types, strict=True)})


def arrow_order(table: pa.Table) -> list[int]:
    return pc.sort_indices(table, sort_keys=[(k, "ascending") for k in KEY]).to_pylist()


@settings(max_examples=200, deadline=None)
@given(rows)
def test_the_key_order_is_arrows_sort_of_the_key_columns(data: list[tuple[str, str, str, int, int]]) -> None:
    table = table_of(data)
    assert _key_order(table).to_pylist() == arrow_order(table)


def test_the_key_order_in_a_case_counted_by_hand() -> None:
    table = table_of([("ш2", "VPR", "math", 5, 2024), ("ш1", "VPR", "math", 5, 2025),
                      ("ш1", "OGE", "math", 9, 2024), ("ш1", "VPR", "math", 4, 2025),
                      ("Ш1", "VPR", "math", 4, 2025)])
    # «Ш» (U+0428) sorts before «ш» (U+0448); then OGE < VPR; grade 4 < 5
    assert _key_order(table).to_pylist() == [4, 2, 3, 1, 0]


def test_a_key_with_nulls_is_sorted_by_arrow() -> None:
    table = table_of([("ш2", "VPR", "math", 5, 2024), ("ш1", "VPR", "math", 5, 2025)])
    table = table.set_column(0, "school_key", pa.array([None, "ш1"], pa.string()))
    assert _key_order(table).to_pylist() == arrow_order(table) == [1, 0]
