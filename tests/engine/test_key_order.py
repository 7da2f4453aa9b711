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


def test_the_sorted_cells_are_arrows_sort_of_the_joined_parts_with_each_column_in_one_chunk():
    """:func:`opora.engine.aggregate._sorted_by_key` sorts column by column, the list columns in
    two halves on two threads (issue 18); the table must be Arrow's ``sort_by`` of the parts,
    nulls in the lists and equal keys (stable) included."""
    import numpy as np

    from opora.engine.aggregate import _sorted_by_key

    rng = np.random.default_rng(18)
    n = 70_000  # more than the 65,536 rows from which the lists are sorted in halves

    def part(rows: int) -> pa.Table:
        data = table_of([(f"ш{rng.integers(0, 900)}", str(rng.choice(["VPR", "OGE"])),
                          str(rng.choice(["math", "russian"])), int(rng.integers(4, 12)),
                          int(rng.integers(2023, 2026))) for _ in range(rows)])
        lengths = rng.integers(0, 6, rows)
        tasks = [None if k == 0 else rng.random(k).tolist() for k in lengths]
        hist = [rng.integers(0, 9, k).tolist() for k in lengths]
        return data.append_column("task_success", pa.array(tasks, pa.list_(pa.float64()))) \
                   .append_column("score_hist", pa.array(hist, pa.list_(pa.int32()))) \
                   .append_column("row", pa.array(np.arange(rows), pa.int64()))

    parts = [part(n // 2), part(n - n // 2)]
    expected = pa.concat_tables(parts).sort_by([(k, "ascending") for k in KEY]).combine_chunks()
    found = _sorted_by_key(list(parts))
    assert found.equals(expected)
    assert all(found.column(name).num_chunks == 1 for name in found.column_names)
