"""The grouping helpers of :mod:`opora.engine.cells` against their plain-Python definitions.

The rules group and match millions of cells through integer codes (issue 18); each helper must
give exactly what the slow, obvious version gives, including nulls, codes no row holds (a taken
subset) and negative integers.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from opora.engine.cells import (
    codes_of,
    factorize,
    group_index,
    map_factorized,
    map_values,
    match,
)

labels = st.lists(st.one_of(st.none(), st.sampled_from(["а", "б", "в", "г", "д"])),
                  min_size=1, max_size=40)


def coded(values: list[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """A string column and its codes as :func:`opora.engine.cells.to_cells` makes them."""
    encoded = pa.array(values, pa.string()).dictionary_encode()
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    return np.asarray(values, dtype=object), codes


def first_appearance_codes(values: list[object]) -> list[int]:
    """Codes numbered as values first appear, None → 0: the definition factorize follows."""
    seen: dict[object, int] = {}
    out = []
    for v in values:
        if v is None:
            out.append(0)
            continue
        out.append(seen.setdefault(v, len(seen) + 1))
    return out


@settings(max_examples=150, deadline=None)
@given(labels, st.lists(st.booleans(), min_size=40, max_size=40),
       st.dictionaries(st.sampled_from(["а", "б", "в", "г", "д"]),
                       st.one_of(st.none(), st.sampled_from(["X", "Y", "Z"]))))
def test_map_factorized_gives_the_mapped_values_and_their_first_appearance_codes(
        values: list[str | None], keep: list[bool], mapping: dict[str, str | None]) -> None:
    column, codes = coded(values)
    rows = np.flatnonzero(np.asarray(keep[:len(values)]))
    if len(rows) == 0:
        return
    column, codes = column[rows], codes[rows]  # a subset: some codes no longer occur

    def lookup(v: object) -> str | None:
        return "пусто" if v is None else mapping.get(str(v), "нет")

    mapped, mapped_codes = map_factorized(column, codes, lookup)
    expected = [lookup(v) for v in column.tolist()]
    assert mapped.tolist() == expected
    assert mapped_codes.tolist() == first_appearance_codes(expected)
    assert mapped_codes.tolist() == factorize(mapped)[0].tolist()


@settings(max_examples=150, deadline=None)
@given(labels, st.lists(st.one_of(st.none(), st.sampled_from(["а", "в", "е", "ё"])),
                        max_size=10))
def test_codes_of_finds_each_value_of_the_column_and_marks_the_rest(
        values: list[str | None], other: list[str | None]) -> None:
    column, codes = coded(values)
    found = codes_of(column, codes, other).tolist()
    for value, code in zip(other, found, strict=True):
        if value is None:
            assert code == -1
        elif value in values:
            assert column[codes == code].tolist() == [value] * int(np.sum(codes == code))
        else:
            assert code == -2


def test_match_on_codes_finds_the_same_rows_as_on_strings() -> None:
    school, codes = coded(["ш1", "ш2", "ш1", None, "ш3", "ш2"])
    year = np.array([2024, 2024, 2025, 2024, 2025, 2025])
    other_school = ["ш2", "ш1", "ш9", "ш1"]
    other_year = np.array([2025, 2024, 2024, 2025])
    by_strings = match([school, year], [np.asarray(other_school, dtype=object), other_year])
    by_codes = match([codes, year], [codes_of(school, codes, other_school), other_year])
    # counted by hand: ш1/2024 → B row 1, ш2/2024 → none, ш1/2025 → 3, null → none,
    # ш3/2025 → none, ш2/2025 → 0
    assert by_strings.tolist() == [1, -1, 3, -1, -1, 0]
    assert by_codes.tolist() == by_strings.tolist()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(-5, 30), min_size=1, max_size=60))
def test_factorize_of_integers_with_negatives_numbers_them_in_sorted_order(
        values: list[int]) -> None:
    codes, size = factorize(np.asarray(values, dtype=np.int64))
    ranks = {v: i for i, v in enumerate(sorted(set(values)))}
    assert codes.tolist() == [ranks[v] for v in values]
    assert size == len(ranks)


def test_map_values_still_calls_the_lookup_once_per_distinct_value() -> None:
    column, codes = coded(["а", "б", "а", None, "б", "а"])
    calls: list[object] = []

    def lookup(v: object) -> int:
        calls.append(v)
        return 0 if v is None else len(str(v))

    assert map_values(column, codes, lookup, int).tolist() == [1, 1, 1, 0, 1, 1]
    assert sorted(calls, key=str) == sorted(["а", "б", None], key=str)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(2023, 2025),
                          st.sampled_from([0, 1, 7, 40_000])), min_size=1, max_size=60))
def test_group_index_numbers_groups_in_key_order_with_their_first_rows(rows):
    """Group k is the k-th distinct (a, b, c) in sorted order, and ``first[k]`` the first row
    holding it — whether the integer keys are shifted or factorized (issue 18)."""
    a, b, c = (np.asarray(col, dtype=np.int64) for col in zip(*rows, strict=True))
    key, first = group_index(a, b, c)
    distinct = sorted(set(rows))
    assert key.tolist() == [distinct.index(r) for r in rows]
    assert first.tolist() == [rows.index(d) for d in distinct]


def test_group_index_of_keys_too_wide_to_shift_factorizes_them_with_the_same_numbers():
    """Keys whose ranges multiply past the counting limit are ranked instead: same groups."""
    a = np.asarray([10**12, 5, 10**12, -(10**9), 5], dtype=np.int64)
    b = np.asarray([1, 2, 1, 3, 2], dtype=np.int64)
    key, first = group_index(a, b)
    assert key.tolist() == [2, 1, 2, 0, 1]
    assert first.tolist() == [3, 1, 0]
