"""Every generated table follows the contract of ``opora.schemas``: columns, types, units."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from opora.schemas import TABLES

SHARES = [c.name for c in TABLES["context"].columns if c.name.startswith("share_")]


def test_every_table_has_exactly_the_schema_of_the_contract(town: dict[str, pa.Table]) -> None:
    assert set(town) == set(TABLES)
    for name, table in town.items():
        assert table.schema.equals(TABLES[name].schema), name
        assert table.num_rows > 0, name


def test_required_columns_have_no_nulls(town: dict[str, pa.Table]) -> None:
    for name, table in town.items():
        for column in TABLES[name].columns:
            if column.required:
                assert table.column(column.name).null_count == 0, (name, column.name)


def test_table_keys_are_unique(town: dict[str, pa.Table]) -> None:
    for name, table in town.items():
        frame = table.select(list(TABLES[name].key)).to_pandas()
        assert not frame.duplicated().any(), name


def test_context_shares_are_percentages_and_counts_are_whole(
        town_frames: dict[str, pd.DataFrame]) -> None:
    context = town_frames["context"]
    for name in SHARES:
        assert context[name].between(0, 100).all(), name
    assert (context["share_parents_higher_ed"].mean() > 5) and (
        context["share_low_income"].max() < 80)
    for name in ("students", "teachers", "teacher_vacancies"):
        assert (context[name] >= 0).all() and (context[name] % 1 == 0).all()
    assert (context["teachers"] < context["students"]).all()


def test_marks_are_two_to_five_and_follow_the_boundaries_of_the_year(
        town_frames: dict[str, pd.DataFrame]) -> None:
    res = town_frames["results"]
    scored = res[~res["absent"] & res["procedure"].isin(["VPR", "OGE"])].merge(
        town_frames["scales"][["procedure", "year", "grade", "subject",
                               "boundary_3", "boundary_4", "boundary_5"]],
        on=["procedure", "year", "grade", "subject"])
    expected = (2 + (scored["primary_score"] >= scored["boundary_3"]).astype(int)
                + (scored["primary_score"] >= scored["boundary_4"]).astype(int)
                + (scored["primary_score"] >= scored["boundary_5"]).astype(int))
    assert (scored["mark"] == expected).all()
    vpr = res[res["procedure"] == "VPR"]
    assert vpr["term_mark"].between(2, 5).all()


def test_task_scores_stay_within_task_maxima_and_sum_to_the_primary_score(
        town: dict[str, pa.Table]) -> None:
    tasks = town["tasks"].to_pandas()
    maxima = {key: group.sort_values("task_no")["max_score"].to_numpy()
              for key, group in tasks.groupby(["procedure", "year", "grade", "subject"])}
    res = town["results"].filter(pa.compute.invert(town["results"].column("absent")))
    frame = res.select(["procedure", "year", "grade", "subject", "primary_score",
                        "task_scores"]).to_pandas()
    for key, group in frame.groupby(["procedure", "year", "grade", "subject"]):
        scores = np.stack(group["task_scores"].to_numpy())
        assert scores.shape[1] == len(maxima[key]), key
        assert (scores >= 0).all() and (scores <= maxima[key]).all(), key
        assert np.array_equal(scores.sum(axis=1), group["primary_score"].to_numpy()), key


def test_absent_participants_have_no_scores_and_are_three_to_five_percent(
        town_frames: dict[str, pd.DataFrame]) -> None:
    res = town_frames["results"]
    absent = res[res["absent"]]
    assert absent[["primary_score", "mark", "test_score"]].isna().all().all()
    assert 0.025 <= res["absent"].mean() <= 0.055


def test_participant_codes_are_five_digits_and_unique_within_a_cell(
        town_frames: dict[str, pd.DataFrame]) -> None:
    res = town_frames["results"]
    assert res["participant_code"].str.fullmatch(r"\d{5}").all()
    vpr4 = res[(res["procedure"] == "VPR") & (res["grade"] == 4)]
    assert vpr4["participant_code"].str.startswith("4").all()
    assert set(res["sex"]) == {"м", "ж"} and set(res["variant"]) == {1, 2}
    labels = res["class_label"].str.extract(r"^(\d+)([АБВГ])$")
    assert (labels[0].astype(int) == res["grade"]).all()


def test_ege_test_scores_are_zero_to_hundred_and_grow_with_the_primary_score(
        town_frames: dict[str, pd.DataFrame]) -> None:
    ege = town_frames["results"]
    ege = ege[(ege["procedure"] == "EGE") & ~ege["absent"]]
    assert ege["test_score"].between(0, 100).all()
    assert ege["mark"].isna().all()
    for _, group in ege.groupby(["year", "subject"]):
        ordered = group.sort_values(["primary_score", "test_score"])
        assert ordered["test_score"].is_monotonic_increasing


@pytest.mark.parametrize(("subject", "threshold"), [("rus", 24), ("math_profile", 27)])
def test_ege_minimum_thresholds_are_the_official_test_scores(
        town_frames: dict[str, pd.DataFrame], subject: str, threshold: int) -> None:
    scales = town_frames["scales"]
    rows = scales[(scales["procedure"] == "EGE") & (scales["subject"] == subject)]
    assert (rows["min_threshold"] == threshold).all()
    assert (rows["threshold_scale"] == "test").all()


def test_oge_scales_are_the_published_ones(town_frames: dict[str, pd.DataFrame]) -> None:
    scales = town_frames["scales"].set_index(["procedure", "subject"])
    rus = scales.loc[("OGE", "rus")].iloc[0]
    math = scales.loc[("OGE", "math")].iloc[0]
    assert (rus["max_primary_score"], rus["boundary_3"], rus["boundary_4"], rus["boundary_5"]) == (
        33, 15, 23, 29)
    assert (math["max_primary_score"], math["boundary_3"], math["boundary_4"],
            math["boundary_5"]) == (31, 8, 15, 22)
    assert rus["min_threshold"] == 15 and rus["threshold_scale"] == "primary"


def test_vpr_works_have_ten_to_twenty_tasks_of_one_to_three_points_basic_first(
        town_frames: dict[str, pd.DataFrame]) -> None:
    tasks = town_frames["tasks"]
    vpr = tasks[tasks["procedure"] == "VPR"]
    for _, group in vpr.groupby(["year", "grade", "subject"]):
        assert 10 <= len(group) <= 20
        assert group["max_score"].between(1, 3).all()
        levels = group.sort_values("task_no")["level"].tolist()
        assert levels[0] == "basic" and levels[-1] != "basic"


def test_vpr_boundaries_move_a_little_between_years(town_frames: dict[str, pd.DataFrame]) -> None:
    vpr = town_frames["scales"]
    vpr = vpr[vpr["procedure"] == "VPR"]
    spread = vpr.groupby(["grade", "subject"])[["boundary_3", "boundary_4"]].agg(np.ptp)
    assert (spread.to_numpy() <= 2).all()
    assert (spread.to_numpy() > 0).any()
