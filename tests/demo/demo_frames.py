"""Helpers of the generator's tests: pandas views of a generated data set, cell selection."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

NON_OBJECTIVE = ("inflated_marks", "boundary_peaks", "task_inversion", "cohort_collapse")


def frames(tables: dict[str, pa.Table]) -> dict[str, pd.DataFrame]:
    """pandas views; ``results`` without task scores, with the score in % of the maximum."""
    out = {name: t.to_pandas() for name, t in tables.items() if name != "results"}
    results = tables["results"].drop_columns(["task_scores"]).to_pandas()
    scales = out["scales"][["procedure", "year", "grade", "subject", "max_primary_score"]]
    results = results.merge(scales, on=["procedure", "year", "grade", "subject"], how="left")
    results["pct"] = 100.0 * results["primary_score"] / results["max_primary_score"]
    out["results"] = results
    return out


def cells_of(truth: pd.DataFrame, prop: str) -> set[tuple[str, int, int, str]]:
    rows = truth[truth["property"] == prop]
    return {(k, int(y), int(g), s) for k, y, g, s in
            rows[["school_key", "year", "grade", "subject"]].itertuples(index=False)}


def injected_mask(results: pd.DataFrame, cells: set[tuple[str, int, int, str]]) -> np.ndarray:
    """Rows of ``results`` that fall in one of ``cells`` (school, year, grade, subject)."""
    frame = results[["school_key", "year", "grade", "subject"]].astype({"year": int, "grade": int})
    mask: np.ndarray = pd.MultiIndex.from_frame(frame).isin(list(cells))
    return mask


def region_pct(frames_: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The region's published mean per ВПР/ОГЭ cell in % of the maximum (from ``reference``)."""
    ref = frames_["reference"]
    ref = ref[(ref["level"] == "region") & (ref["procedure"] != "EGE")].merge(
        frames_["scales"], on=["procedure", "year", "grade", "subject"])
    ref = ref.assign(region_pct=100.0 * ref["mean_score"] / ref["max_primary_score"])
    return ref[["procedure", "year", "grade", "subject", "region_pct"]]
