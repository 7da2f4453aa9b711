"""Published tables agree with the student rows they summarise; the region is not the town."""

from __future__ import annotations

import numpy as np
import pandas as pd

CELL = ["procedure", "year", "grade", "subject"]


def test_ege_aggregates_are_the_sums_of_the_student_level_ege_results(
        region_frames: dict[str, pd.DataFrame]) -> None:
    res = region_frames["results"]
    ege = res[(res["procedure"] == "EGE") & ~res["absent"]]
    score = ege["test_score"]
    ege = ege.assign(below=score < ege["subject"].map({"rus": 24, "math_profile": 27,
                                                      "social": 42, "physics": 36,
                                                      "informatics": 40}),
                     high=(score >= 80) & (score <= 99), top=score == 100)
    expected = ege.groupby(["school_key", *CELL]).agg(
        participants=("test_score", "size"), below_threshold=("below", "sum"),
        high_scorers=("high", "sum"), top_scorers=("top", "sum"), mean=("test_score", "mean"))
    published = region_frames["aggregates"].set_index(["school_key", *CELL]).sort_index()
    expected = expected.sort_index()
    assert published.index.equals(expected.index)
    for column in ("participants", "below_threshold", "high_scorers", "top_scorers"):
        assert (published[column] == expected[column]).all(), column
    assert np.allclose(published["mean_score"], expected["mean"], atol=0.005)
    assert (published["score_scale"] == "test").all()


def test_ege_results_look_like_real_ones(region_frames: dict[str, pd.DataFrame]) -> None:
    agg = region_frames["aggregates"]
    rus = agg[agg["subject"] == "rus"].sum(numeric_only=True)
    assert 0.005 < rus["below_threshold"] / rus["participants"] < 0.12
    assert 0.1 < rus["high_scorers"] / rus["participants"] < 0.4
    assert 0 < rus["top_scorers"] / rus["participants"] < 0.05
    profile = agg[agg["subject"] == "math_profile"]["participants"].sum()
    assert 0.3 < profile / rus["participants"] < 0.65


def test_region_reference_is_the_participant_weighted_mean_over_all_schools(
        region_frames: dict[str, pd.DataFrame]) -> None:
    res = region_frames["results"]
    scored = res[~res["absent"]]
    score = scored["test_score"].where(scored["procedure"] == "EGE", scored["primary_score"])
    expected = scored.assign(score=score).groupby(CELL).agg(
        participants=("score", "size"), mean=("score", "mean"),
        mark_2=("mark", lambda m: int((m == 2).sum())))
    ref = region_frames["reference"]
    ref = ref[ref["level"] == "region"].set_index(CELL).sort_index()
    expected = expected.sort_index()
    assert ref.index.equals(expected.index)
    assert (ref["participants"] == expected["participants"]).all()
    assert np.allclose(ref["mean_score"], expected["mean"])
    vpr = ref.index.get_level_values("procedure") == "VPR"
    assert (ref.loc[vpr, "mark_2"] == expected.loc[vpr, "mark_2"]).all()


def test_municipality_reference_rows_sum_the_town_and_the_region_rows_differ_from_them(
        town_frames: dict[str, pd.DataFrame]) -> None:
    res = town_frames["results"]
    scored = res[~res["absent"] & (res["procedure"] != "EGE")]
    town_mean = scored.groupby(CELL)["primary_score"].mean()
    ref = town_frames["reference"]
    municipal = ref[ref["level"] == "municipality"].set_index(CELL)["mean_score"]
    regional = ref[ref["level"] == "region"].set_index(CELL)
    assert np.allclose(municipal.loc[town_mean.index], town_mean)
    region_mean = regional.loc[town_mean.index, "mean_score"]
    relative = (region_mean - town_mean).abs() / region_mean
    assert (relative > 1e-6).all() and relative.mean() > 0.01
    town_participants = scored.groupby(CELL).size()
    assert (regional.loc[town_participants.index, "participants"] > 10 * town_participants).all()


def test_federal_markers_name_mostly_injected_cells_and_a_few_clean_schools(
        town_frames: dict[str, pd.DataFrame], region_frames: dict[str, pd.DataFrame]) -> None:
    for frames_ in (town_frames, region_frames):
        markers, truth = frames_["markers"], frames_["truth"]
        injected = truth[truth["property"].isin(["inflated_marks", "boundary_peaks",
                                                 "task_inversion", "cohort_collapse"])]
        key = ["school_key", "year", "grade", "subject"]
        hits = markers.merge(injected[key], on=key, how="left", indicator=True)
        true_hits = (hits["_merge"] == "both").sum()
        false_schools = set(hits.loc[hits["_merge"] == "left_only", "school_key"])
        assert true_hits >= 1 and len(false_schools) >= 1
        assert not false_schools & set(injected["school_key"])
        assert true_hits > len(false_schools)
        assert markers["marker"].str.fullmatch(r"[45] (РУ|МА)").all()
        assert set(markers["grade"]) <= {4, 5}
