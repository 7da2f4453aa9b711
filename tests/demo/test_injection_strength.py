"""The strength of an injected non-objectivity can be set (bench/bench_sign_strength.py) without
changing anything else the generator draws, and the defaults stay those of docs/generator.md."""

from __future__ import annotations

import pyarrow as pa
import pytest

from opora.demo.generator import generate_tables
from opora.demo.properties import COLLAPSE_HELP, PEAK


def _cells(truth: pa.Table, prop: str) -> dict[tuple[object, ...], float]:
    return {(r["school_key"], r["year"], r["grade"], r["subject"]): r["strength"]
            for r in truth.to_pylist() if r["property"] == prop}


def test_a_set_strength_changes_only_the_strength_of_its_kind() -> None:
    default = generate_tables(scale="municipality", years=2, seed=5)
    weaker = generate_tables(scale="municipality", years=2, seed=5,
                             strengths={"boundary_peaks": 0.5, "cohort_collapse": 0.2})
    for prop, was, now in (("boundary_peaks", PEAK, 0.5), ("cohort_collapse", COLLAPSE_HELP, 0.2)):
        before, after = _cells(default["truth"], prop), _cells(weaker["truth"], prop)
        assert before and before.keys() == after.keys()  # the same schools and cells
        assert list(before.values()) == pytest.approx([was] * len(before))  # float32 column
        assert list(after.values()) == pytest.approx([now] * len(after))
    for prop in ("inflated_marks", "task_inversion", "persistently_low", "leader"):
        assert _cells(default["truth"], prop) == _cells(weaker["truth"], prop)
    # the weaker injection puts fewer scores on the boundaries; other schools are untouched
    assert default["results"].num_rows == weaker["results"].num_rows
    assert not default["results"].equals(weaker["results"])
    assert default["schools"].equals(weaker["schools"])
