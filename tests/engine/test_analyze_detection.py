"""Precision and recall of each flag and sign on a generated region with known injected properties.

The floors are not the figures last measured: each comes from a documented target
(``opora.demo.detection.RECALL_TARGETS``, ``FALSE_RATE_TARGETS``; docs/methodology.md) set by the
strength the generator injects, and from the number of injected and honest units in this data set's
truth — the lowest share a rule meeting its target shows but for chance (α = 0,5 %). For
persistently_low and leader the rules of seed 001 flag *every* school below (above) the region
while the truth lists only the injected ones, so only recall has a floor; a non-objectivity sign's
fired cell counts as right when any non-objectivity was injected into it.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from opora.demo.detection import (
    FALSE_RATE_TARGETS,
    NON_OBJECTIVE,
    RECALL_TARGETS,
    Score,
    precision_floor,
    recall_floor,
    school_scores,
    sign_scores,
)
from opora.engine import analyze

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def region_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from opora.demo.generator import generate

    data = tmp_path_factory.mktemp("region")
    generate(scale="region", years=3, seed=3, out=data)
    out = tmp_path_factory.mktemp("region_out")
    analyze(data, out)
    return data, out


def _scores(region_run: tuple[Path, Path]) -> dict[str, Score]:
    import csv

    data, out = region_run
    with (out / "flags.csv").open(encoding="utf-8-sig", newline="") as fh:
        flags = [(r["school_key"], r["flag"]) for r in csv.DictReader(fh)]
    truth = pq.read_table(data / "truth.parquet")
    scores = {s.name.split(" ")[0]: s for s in school_scores(flags, truth)}
    objectivity = pq.read_table(out / "objectivity.parquet")
    for s in sign_scores(objectivity, truth, min_participants=30):
        scores[s.name.split(" ")[0] + "_30"] = s
    return scores


@pytest.mark.parametrize("name", sorted(RECALL_TARGETS))
def test_recall_of_injected_properties_is_above_the_floor_of_its_target(
        region_run: tuple[Path, Path], name: str) -> None:
    score = _scores(region_run)[name]
    assert score.truth >= 5, score  # the generator injected enough to measure
    floor = recall_floor(RECALL_TARGETS[name], score.truth)
    assert score.recall is not None and score.recall >= floor, (score, floor)


def _honest(region_run: tuple[Path, Path], name: str, score: Score) -> int:
    """Units where nothing of the kind was injected: schools, or ВПР cells with ≥ 30."""
    data, out = region_run
    if not name.endswith("_30"):
        return pq.read_table(data / "schools.parquet").num_rows - score.truth
    objectivity = pq.read_table(out / "objectivity.parquet").to_pylist()
    truth = pq.read_table(data / "truth.parquet").to_pylist()
    injected = {(r["school_key"], r["year"], r["grade"], r["subject"]) for r in truth
                if r["property"] in NON_OBJECTIVE}
    return sum(1 for r in objectivity if (r["participants"] or 0) >= 30
               and (r["school_key"], r["year"], r["grade"], r["subject"]) not in injected)


@pytest.mark.parametrize("name", sorted(FALSE_RATE_TARGETS))
def test_precision_is_above_the_floor_its_false_alarm_rate_allows(
        region_run: tuple[Path, Path], name: str) -> None:
    score = _scores(region_run)[name]
    floor = precision_floor(RECALL_TARGETS[name], score.truth, FALSE_RATE_TARGETS[name],
                            _honest(region_run, name, score))
    assert floor > 0.2, floor  # a floor that says something
    assert score.precision is not None and score.precision >= floor, (score, floor)


def test_adverse_context_precision_is_what_its_share_allows(
        region_run: tuple[Path, Path]) -> None:
    # the rule flags adverse_share_pct = 20 % of each region's schools, the truth is 17 %: the
    # fewest right ones (recall floor × truth) among at most 20 % (+ one tie a region) flagged
    data, _ = region_run
    score = _scores(region_run)["adverse_context"]
    schools = pq.read_table(data / "schools.parquet").num_rows
    hits = recall_floor(RECALL_TARGETS["adverse_context"], score.truth) * score.truth
    assert score.precision is not None and score.precision >= hits / (0.2 * schools + 1), score
