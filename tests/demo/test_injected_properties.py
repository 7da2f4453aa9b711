"""The properties written to ``truth`` are really in the data, by simple independent statistics.

Each statistic is computed here from the student rows with pandas, the way an analyst would,
and compared between the injected schools/cells and the clean ones. Nothing is read back from
the generator's internals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from demo_frames import NON_OBJECTIVE, cells_of, injected_mask, region_pct

CELL = ["school_key", "year", "grade", "subject"]


def _vpr_scored(frames_: dict[str, pd.DataFrame]) -> pd.DataFrame:
    res = frames_["results"]
    return res[(res["procedure"] == "VPR") & ~res["absent"]]


def _schools_with(truth: pd.DataFrame, prop: str) -> list[str]:
    return sorted(set(truth.loc[truth["property"] == prop, "school_key"]))


def _gap_by_school_year(frames_: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Each student's ВПР rus/math score minus the region's mean for the cell (% of max),
    averaged per school and year, with the standard error of that mean."""
    vpr = _vpr_scored(frames_)
    vpr = vpr[vpr["subject"].isin(["rus", "math"])].merge(
        region_pct(frames_), on=["procedure", "year", "grade", "subject"])
    vpr = vpr.assign(gap=vpr["pct"] - vpr["region_pct"])
    stats = vpr.groupby(["school_key", "year"])["gap"].agg(["mean", "std", "count"])
    stats["se"] = stats["std"] / np.sqrt(stats["count"])
    return stats


def test_persistently_low_schools_are_below_the_region_in_every_year(
        town_frames, region_frames) -> None:
    for frames_, years in ((town_frames, 3), (region_frames, 2)):
        truth = frames_["truth"]
        stats = _gap_by_school_year(frames_)
        low = _schools_with(truth, "persistently_low")
        assert len(low) >= 2
        for key in low:
            rows = stats.loc[key]
            assert len(rows) == years
            assert (rows["mean"] < -rows["se"]).all(), (key, rows)
            assert (rows["mean"] < -5).all(), (key, rows)


def test_improving_schools_gain_and_declining_schools_lose_against_the_region(
        town_frames) -> None:
    truth = town_frames["truth"]
    stats = _gap_by_school_year(town_frames)["mean"].unstack("year")
    change = stats[2025] - stats[2023]
    ordinary = change.drop(truth.loc[truth["property"].isin(["improving", "declining"]),
                                     "school_key"], errors="ignore")
    for key in _schools_with(truth, "improving"):
        assert change[key] > ordinary.quantile(0.9), (key, change[key])
    for key in _schools_with(truth, "declining"):
        assert change[key] < ordinary.quantile(0.1), (key, change[key])


def test_inflated_marks_cells_have_far_more_vpr_marks_above_the_term_mark(
        region_frames) -> None:
    vpr = _vpr_scored(region_frames)
    truth = region_frames["truth"]
    injected = injected_mask(vpr, cells_of(truth, "inflated_marks"))
    any_injected = injected_mask(vpr, set().union(*(cells_of(truth, p) for p in NON_OBJECTIVE)))
    above = vpr["mark"] > vpr["term_mark"]
    clean_share = above[~any_injected].mean()
    assert 0.08 <= clean_share <= 0.2
    per_cell = above[injected].groupby([vpr.loc[injected, c] for c in CELL]).agg(["mean", "size"])
    big = per_cell[per_cell["size"] >= 30]
    assert len(big) >= 10
    assert (big["mean"] > 2 * clean_share).mean() >= 0.9, big
    assert 0.4 <= above[injected].mean() <= 0.65


def test_boundary_peaks_put_many_more_scores_on_a_boundary_than_just_below_it(
        region_frames) -> None:
    vpr = _vpr_scored(region_frames).merge(
        region_frames["scales"][["procedure", "year", "grade", "subject", "boundary_3",
                                 "boundary_4", "boundary_5"]],
        on=["procedure", "year", "grade", "subject"])
    truth = region_frames["truth"]
    injected = injected_mask(vpr, cells_of(truth, "boundary_peaks"))
    any_injected = injected_mask(vpr, set().union(*(cells_of(truth, p) for p in NON_OBJECTIVE)))
    score = vpr["primary_score"]
    at = sum((score == vpr[b]) for b in ("boundary_3", "boundary_4", "boundary_5"))
    below = sum((score == vpr[b] - 1) for b in ("boundary_3", "boundary_4", "boundary_5"))
    ratio_injected = at[injected].sum() / below[injected].sum()
    ratio_clean = at[~any_injected].sum() / below[~any_injected].sum()
    assert 0.6 < ratio_clean < 1.6
    assert ratio_injected > 3 * ratio_clean


def _success_by_level(frames_: dict[str, pd.DataFrame], tables) -> pd.DataFrame:
    """Per school cell: mean share of the maximum on basic tasks and on the other tasks."""
    tasks = frames_["tasks"]
    res = tables["results"].to_pandas()
    res = res[(res["procedure"] == "VPR") & ~res["absent"]]
    rows = []
    for key, group in res.groupby(["year", "grade", "subject"]):
        spec = tasks[(tasks["procedure"] == "VPR") & (tasks["year"] == key[0])
                     & (tasks["grade"] == key[1]) & (tasks["subject"] == key[2])]
        spec = spec.sort_values("task_no")
        share = np.stack(group["task_scores"].to_numpy()) / spec["max_score"].to_numpy()
        basic = (spec["level"] == "basic").to_numpy()
        frame = pd.DataFrame({"school_key": group["school_key"].to_numpy(),
                              "basic": share[:, basic].mean(axis=1),
                              "hard": share[:, ~basic].mean(axis=1)})
        summary = frame.groupby("school_key").agg(basic=("basic", "mean"), hard=("hard", "mean"),
                                                  n=("basic", "size")).reset_index()
        summary["year"], summary["grade"], summary["subject"] = key
        rows.append(summary)
    return pd.concat(rows, ignore_index=True)


def test_task_inversion_cells_do_hard_tasks_better_than_easy_ones_and_others_do_not(
        region_frames, region) -> None:
    success = _success_by_level(region_frames, region)
    truth = region_frames["truth"]
    injected = injected_mask(success, cells_of(truth, "task_inversion"))
    any_injected = injected_mask(success, set().union(*(cells_of(truth, p)
                                                        for p in NON_OBJECTIVE)))
    inverted = success["hard"] > success["basic"]
    sizeable = success["n"] >= 10
    assert inverted[injected & sizeable].mean() >= 0.85
    assert inverted[~any_injected & sizeable].mean() <= 0.02


def test_cohort_collapse_grade_four_falls_back_in_grade_five_next_year(region_frames) -> None:
    vpr = _vpr_scored(region_frames).merge(
        region_pct(region_frames), on=["procedure", "year", "grade", "subject"])
    vpr = vpr.assign(gap=vpr["pct"] - vpr["region_pct"])
    gap = vpr.groupby(CELL)["gap"].mean()
    rows = []
    for (key, year, grade, subject), value in gap.items():
        later = (key, year + 1, 5, subject)
        if grade == 4 and later in gap.index:
            rows.append((key, year, subject, value - gap[later]))
    drop = pd.DataFrame(rows, columns=["school_key", "year", "subject", "drop"])
    truth = region_frames["truth"]
    injected = {(k, y, s) for k, y, _, s in cells_of(truth, "cohort_collapse")}
    is_injected = np.array([(k, y, s) in injected for k, y, s in
                            drop[["school_key", "year", "subject"]].itertuples(index=False)])
    assert is_injected.sum() >= 15
    clean = drop.loc[~is_injected, "drop"]
    assert drop.loc[is_injected, "drop"].mean() > clean.mean() + 15
    assert (drop.loc[is_injected, "drop"] > clean.quantile(0.75)).mean() >= 0.9


def _context_index(context: pd.DataFrame) -> pd.Series:
    """A simple disadvantage index: mean of standardised shares (educated parents counted −)."""
    shares = context.groupby("school_key")[[
        "share_low_income", "share_single_parent", "share_unemployed_parents",
        "share_parents_higher_ed"]].mean()
    z = (shares - shares.mean()) / shares.std()
    return (z["share_low_income"] + z["share_single_parent"] + z["share_unemployed_parents"]
            - z["share_parents_higher_ed"]) / 4


def test_social_context_drives_school_results(town_frames, region_frames) -> None:
    """Across a region's schools |r| > 0.5; in the town of 44 schools, where three persistently
    low and two resilient schools sit off the line on purpose, |r| > 0.4."""
    for frames_, bound in ((region_frames, -0.5), (town_frames, -0.4)):
        mean = _vpr_scored(frames_).groupby("school_key")["pct"].mean()
        index = _context_index(frames_["context"]).loc[mean.index]
        assert np.corrcoef(index, mean)[0, 1] < bound


def test_adverse_context_schools_are_the_most_disadvantaged_sixth_of_the_region(
        region_frames) -> None:
    index = _context_index(region_frames["context"])
    adverse = _schools_with(region_frames["truth"], "adverse_context")
    assert 0.12 <= len(adverse) / len(index) <= 0.22
    assert index.loc[adverse].mean() > index.drop(adverse).quantile(0.75)


def test_resilient_schools_are_adverse_context_yet_above_the_region(
        town_frames, region_frames) -> None:
    for frames_ in (town_frames, region_frames):
        truth = frames_["truth"]
        resilient = _schools_with(truth, "resilient")
        assert len(resilient) >= 2
        assert set(resilient) <= set(_schools_with(truth, "adverse_context"))
        gap = _gap_by_school_year(frames_)["mean"].groupby("school_key").mean()
        assert (gap.loc[resilient] > 0).all(), gap.loc[resilient]


def test_leaders_are_above_the_region_and_clean(region_frames) -> None:
    truth = region_frames["truth"]
    leaders = _schools_with(truth, "leader")
    gap = _gap_by_school_year(region_frames)["mean"].groupby("school_key").mean()
    assert (gap.loc[[k for k in leaders if k in gap.index]] > 0).mean() >= 0.95
    suspicious = set(truth.loc[truth["property"].isin(NON_OBJECTIVE), "school_key"])
    assert not set(leaders) & suspicious


def test_small_schools_have_mostly_fewer_than_ten_participants_per_cell(region_frames) -> None:
    res = region_frames["results"]
    counts = res[~res["absent"]].groupby(["school_key", "procedure", "year", "grade",
                                          "subject"]).size()
    share_small = (counts < 10).groupby("school_key").mean()
    small = _schools_with(region_frames["truth"], "small")
    assert len(small) >= 20
    assert (share_small.loc[small] > 0.5).all()
    assert (share_small.drop(small) <= 0.5).all()


def test_each_non_objectivity_kind_is_injected_into_enough_schools_of_mixed_size(
        town_frames, region_frames) -> None:
    for frames_, minimum in ((town_frames, 2), (region_frames, 15)):
        truth, res = frames_["truth"], frames_["results"]
        size = res[res["procedure"] == "VPR"].groupby(CELL).size()
        for prop in NON_OBJECTIVE:
            schools = _schools_with(truth, prop)
            assert len(schools) >= minimum, prop
            if minimum == 15:
                cells = [c for c in cells_of(truth, prop) if c in size.index]
                sizes = size.loc[cells]
                assert (sizes >= 30).any() and (sizes < 30).any(), prop


def test_term_marks_agree_with_vpr_marks_about_as_often_as_in_real_schools(
        region_frames) -> None:
    """Clean cells: the ВПР mark equals the term mark for 50–65 % of students, is above it for
    10–20 %, and teachers' marks are a little higher on average."""
    vpr = _vpr_scored(region_frames)
    truth = region_frames["truth"]
    clean = vpr[~injected_mask(vpr, set().union(*(cells_of(truth, p) for p in NON_OBJECTIVE)))]
    assert 0.5 <= (clean["mark"] == clean["term_mark"]).mean() <= 0.65
    assert 0.1 <= (clean["mark"] > clean["term_mark"]).mean() <= 0.2
    assert 0 < clean["term_mark"].mean() - clean["mark"].mean() < 0.3
    by_ability = clean.groupby("mark")["term_mark"].mean()
    assert by_ability.is_monotonic_increasing
