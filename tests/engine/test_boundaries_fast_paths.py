"""The speed-ups of issue 18 give the plain computation's result at the edges of their fast path.

Each fast path is compared with the computation it replaces (NumPy's ``unique``, a plain loop) on
inputs drawn to sit on both sides of the path's guard: the values it counts instead of sorting,
and the ones it must leave to the plain computation (NaN, −∞, negatives, fractions, numbers too
large to count).
"""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from opora.engine.gaps import _distinct

# whole degrees of freedom and ∞ (the fast path), and the values only np.unique may take
_COUNTED = st.one_of(st.integers(0, 40).map(float), st.just(np.inf))
_SPOILERS = st.sampled_from([np.nan, -np.inf, -1.0, -3.0, 0.5, 2.25, 5e7])


def _same_as_unique(values: np.ndarray) -> None:
    levels, where = _distinct(values)
    expected_levels, expected_where = np.unique(values, return_inverse=True)
    np.testing.assert_array_equal(levels, expected_levels)
    np.testing.assert_array_equal(where, expected_where)


@given(st.lists(_COUNTED, max_size=30))
@settings(max_examples=200, deadline=None)
def test_whole_degrees_of_freedom_and_infinity_are_grouped_as_np_unique_groups_them(
        values: list[float]) -> None:
    _same_as_unique(np.array(values, dtype=float))


@given(st.lists(_COUNTED, max_size=30), st.lists(_SPOILERS, min_size=1, max_size=3),
       st.randoms())
@settings(max_examples=300, deadline=None)
def test_nan_minus_infinity_negatives_fractions_and_huge_values_are_grouped_as_np_unique_does(
        values: list[float], spoilers: list[float], rnd: random.Random) -> None:
    mixed = values + spoilers
    rnd.shuffle(mixed)
    _same_as_unique(np.array(mixed, dtype=float))


def test_each_spoiler_alone_beside_counted_values_is_grouped_as_np_unique_does() -> None:
    for spoiler in (np.nan, -np.inf, -1.0, 0.5, 5e7):
        _same_as_unique(np.array([3.0, spoiler, 1.0, np.inf, 3.0, 0.0]))


def test_an_empty_array_and_infinity_alone_are_grouped_as_np_unique_groups_them() -> None:
    _same_as_unique(np.array([], dtype=float))
    _same_as_unique(np.array([np.inf, np.inf]))
