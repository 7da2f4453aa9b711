"""Signs of non-objective results, each a value and a fired flag, per ВПР cell.

DOMAIN.md «Objectivity» lists the signs used in practice; each is a sign, not a verdict, and is
shown with its numbers. All six are computed per school × grade × subject × year (ВПР cells):

1. ``term`` — share of students whose ВПР mark is above their term mark, against the region's
   share: one-sided binomial z = (p − p₀) / √(p₀(1 − p₀)/n); fires when z > ``term_z`` and
   the excess is at least ``term_min_excess_pct`` points.
2. ``boundary`` — peaks just above a mark boundary: for each boundary b (scales: «3», «4», «5»)
   the count at b against the counts at b − 1 and b − 2, compared with the region's histogram:
   under no manipulation the school's h[b] among h[b−2..b] follows the region's proportion r_b;
   z = (Σ h[b] − Σ m_b r_b) / √(Σ m_b r_b (1 − r_b)), m_b = h[b−2] + h[b−1] + h[b]; fires when
   z > ``boundary_z`` and Σ m_b ≥ ``boundary_min_count``.
3. ``inversion`` — hard tasks done relatively better than easy ones: the school's excess on each
   task on the logit scale, e = logit(s) − logit(r), correlated with the task's regional easiness
   logit(r) (a constant shift, as an honest stronger school shows, gives no correlation); fires
   when the correlation ≤ ``inversion_max_corr`` and is significant (one-sided p < ``inversion_p``).
4. ``cohort`` — grade-4 result in year y against the same school's grade-5 result in y + 1 (gaps
   to the region): fires when the gap falls by ≥ ``cohort_drop_pct`` points and the fall's 95 %
   interval excludes 0. Reported on the grade-4 cell (the suspicious result).
5. ``unconfirmed`` — ВПР gap's lower bound above ``vpr_high_pct`` while the school's ОГЭ/ЕГЭ gap in
   the same subject and year is at most ``exam_not_high_pct``.
6. ``marker`` — the school is on the imported federal list («4 РУ», …) for that cell.

Signs 1–3 need student-level data (term marks, score histograms, task scores); from published
aggregates they cannot be computed, and the run says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy import stats

from opora import glossary
from opora.engine.cells import Cells, codes_of, group_index, group_sum, isin_coded, match
from opora.engine.config import Rules
from opora.engine.evidence import cell_name, num
from opora.engine.gaps import Gaps
from opora.engine.identify import Flag
from opora.engine.threads import parallel_map, row_chunks
from opora.glossary import NON_OBJECTIVE, SIGN_BY_CODE

#: The sign codes in the glossary's order (the numbering 1–6 above).
SIGNS: tuple[str, ...] = tuple(s.code for s in glossary.SIGNS)


@dataclass
class Objectivity:
    table: pa.Table
    flags: list[Flag]
    schools: set[str]
    notes: list[str] = field(default_factory=list)


@dataclass
class StudentSigns:
    """Some of the signs of the window's ВПР cells (``rows`` of the cells): signs 1–3 read the
    students' columns and the regions, not the gaps, so they can run while the gaps are
    computed (:func:`student_signs`); signs 4–6 read the gaps (:func:`gap_signs`)."""

    rows: np.ndarray
    values: dict[str, np.ndarray]
    fired: dict[str, np.ndarray]


def student_signs(cells: Cells, scales: pa.Table | None, window: list[int],
                  rules: Rules) -> StudentSigns:
    """Signs 1–3 (term marks, boundary peaks, task inversion) of every ВПР cell of the window.

    The regions must be known (``cells.codes["region"]``, :func:`opora.engine.regional.set_regions`).
    """
    vpr = window_rows(cells, window)
    values: dict[str, np.ndarray] = {}
    fired: dict[str, np.ndarray] = {}
    by_region = _region_key(cells, vpr)  # the regional cells signs 1–3 compare with, found once
    values["term"], values["term_region"], fired["term"] = term_sign(cells, vpr, rules, by_region)
    values["boundary"], values["boundary_z"], fired["boundary"] = boundary_sign(
        cells, vpr, scales, rules, by_region)
    values["inversion"], fired["inversion"] = inversion_sign(cells, vpr, rules, by_region)
    return StudentSigns(vpr, values, fired)


def window_rows(cells: Cells, window: list[int]) -> np.ndarray:
    """The cells every sign is computed for: the ВПР cells of the analysis window."""
    return np.flatnonzero(isin_coded(cells.procedure, cells.codes["procedure"], ["VPR"])
                          & np.isin(cells.year, window))


def gap_signs(cells: Cells, gaps: Gaps, rows: np.ndarray, markers: pa.Table | None,
              rules: Rules) -> StudentSigns:
    """Signs 4–6 (cohort, unconfirmed, marker) of ``rows`` (:func:`window_rows`): they read the
    gaps, not the students' columns, so they run beside signs 1–3 (issue 18)."""
    values: dict[str, np.ndarray] = {}
    fired: dict[str, np.ndarray] = {}
    values["cohort"], fired["cohort"] = cohort_sign(cells, gaps, rows, rules)
    values["unconfirmed"], values["exam_gap"], fired["unconfirmed"] = unconfirmed_sign(
        cells, gaps, rows, rules)
    values["marker"], fired["marker"] = marker_sign(cells, rows, markers)
    return StudentSigns(rows, values, fired)


def analyse_objectivity(cells: Cells, gaps: Gaps, scales: pa.Table | None,
                        markers: pa.Table | None, window: list[int], rules: Rules,
                        early: StudentSigns | None = None,
                        later: StudentSigns | None = None) -> Objectivity:
    """Every sign for every ВПР cell of the window; ``non_objective`` flags per school × year.

    ``early``: signs 1–3 already computed for the same cells, scales and window
    (:func:`student_signs`); ``later``: signs 4–6 likewise (:func:`gap_signs`).
    """
    early = early or student_signs(cells, scales, window, rules)
    vpr = early.rows
    later = later or gap_signs(cells, gaps, vpr, markers, rules)
    cfg = rules.objectivity
    values = {**early.values, **later.values}
    fired = {**early.fired, **later.fired}
    table = _table(cells, vpr, values, fired)
    result = Objectivity(table, [], set())
    _flags(cells, vpr, values, fired, result)
    _notes(cells, vpr, values, cfg.min_participants, result)
    return result


def _region_key(cells: Cells, rows: np.ndarray) -> tuple[np.ndarray, int]:
    """Regional cell of each row: region × procedure × subject × grade × year.

    The region codes are set by :func:`opora.engine.regional.regional_values`; without them
    (a caller that skipped it) every school counts as one region.
    """
    region = cells.codes.get("region", np.zeros(len(cells), dtype=np.int64))
    key, first = group_index(region[rows], cells.codes["procedure"][rows],
                             cells.codes["subject"][rows], cells.grade[rows], cells.year[rows])
    return key, len(first)


def term_sign(cells: Cells, rows: np.ndarray, rules: Rules,
              by_region: tuple[np.ndarray, int] | None = None) -> tuple[np.ndarray, ...]:
    """Sign 1: share above the term mark (%), the region's share (%), fired."""
    cfg = rules.objectivity
    n = cells.col("with_term_mark")[rows]
    above = cells.col("mark_above_term")[rows]
    key, size = by_region or _region_key(cells, rows)
    known = ~np.isnan(n) & ~np.isnan(above) & (n > 0)
    region = group_sum(key, np.where(known, above, 0), size) / np.maximum(
        group_sum(key, np.where(known, n, 0), size), 1)
    p0 = region[key]
    with np.errstate(invalid="ignore", divide="ignore"):
        p = above / n
        z = (p - p0) / np.sqrt(p0 * (1 - p0) / n)
    ok = known & (n >= cfg.min_participants)
    # «≥ 10 points» must hold at exactly 10: 0,3 − 0,2 is 0,0999… in floating point (issue 19)
    excess = np.round((p - p0) * 100, 9)
    fire = ok & (z > cfg.term_z) & (excess >= cfg.term_min_excess_pct)
    return np.where(known, p * 100, np.nan), np.where(known, p0 * 100, np.nan), fire


def _lists(cells: Cells, column: str, rows: np.ndarray,
           fill: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A list column over ``rows`` without flattening it: all its values (nulls as ``fill``),
    and each row's first value and length (0 for a null list).

    Item j of row i is ``values[start[i] + j]`` for ``j < length[i]``. The signs read the items
    position by position for all rows at once (:func:`_item`), so the tens of millions of
    histogram points and task successes of a country are never copied into one flat array with
    a row number and a position for each (issue 18: that copying was most of the signs' time).
    """
    lists = cells.table.column(column).combine_chunks()
    offsets = lists.offsets.to_numpy(zero_copy_only=False).astype(np.int64)
    start = offsets[rows]
    length = offsets[rows + 1] - start
    if lists.null_count:
        length = np.where(lists.is_valid().to_numpy(zero_copy_only=False)[rows], length, 0)
    values = lists.values
    if values.null_count:
        values = pc.fill_null(values.cast(pa.float64()), fill)
    return np.asarray(values.to_numpy(zero_copy_only=False)), start, length


def _item(values: np.ndarray, start: np.ndarray, length: np.ndarray, j: int | np.ndarray,
          fill: float) -> np.ndarray:
    """Item ``j`` (one position, or one per row) of every row's list as float; ``fill`` where
    the row's list is shorter (or ``j`` is negative)."""
    if len(values) == 0:
        return np.full(len(start), fill)
    found = values.take(start + j, mode="clip")
    if found.dtype != np.float64:
        found = found.astype(np.float64)
    has = length > j
    if not np.isscalar(j):
        has &= j >= 0
    return found if has.all() else np.where(has, found, fill)


def boundary_sign(cells: Cells, rows: np.ndarray, scales: pa.Table | None, rules: Rules,
                  by_region: tuple[np.ndarray, int] | None = None) -> tuple[np.ndarray, ...]:
    """Sign 2: observed/expected count at the boundaries, its z, fired."""
    cfg = rules.objectivity
    out = np.full(len(rows), np.nan)
    z_out = np.full(len(rows), np.nan)
    if scales is None or scales.num_rows == 0 or len(rows) == 0:
        return out, z_out, np.zeros(len(rows), dtype=bool)
    values, start, length = _lists(cells, "score_hist", rows, 0)
    # aggregates only: no histogram to look at (issue 19: this raised IndexError below)
    if not length.any():
        return out, z_out, np.zeros(len(rows), dtype=bool)
    key, size = by_region or _region_key(cells, rows)
    width = int(length.max())
    bounds = _boundaries(cells, rows, scales)

    def one(j: int) -> tuple[np.ndarray, ...]:
        """Boundary j's observed count, expected count, variance and window per row.

        Written to hold few row-sized arrays at once: three boundaries run side by side, and
        each array is 9 MB for a country (issue 18: the sign's temporaries took 0.4 GB)."""
        b = bounds[:, j]
        valid = (b >= 2) & (b < length)
        # the counts at b, b − 1, b − 2 of every row whose histogram reaches them: the school's
        # own where the boundary is valid for it, and summed by regional cell, the region's
        # (the boundary is the work's, so the same for every school of a regional cell; sums of
        # counts are exact in any order)
        at_b = np.where((b >= 2) & (b < width), b, -1).astype(np.int64)
        at, c1, c2 = (_item(values, start, length, at_b - off, 0) for off in range(3))
        del at_b
        r_at, r_1, r_2 = (np.bincount(key, weights=v, minlength=size) for v in (at, c1, c2))
        r_win = r_at + r_1 + r_2  # per regional cell: the same sums as per row, gathered after
        with np.errstate(invalid="ignore", divide="ignore"):
            r = np.where(r_win > 0, r_at / r_win, np.nan)[key]
        invalid = ~valid
        for v in (at, c1, c2):
            v[invalid] = 0
        m = at + c1
        m += c2
        del c1, c2
        unused = invalid | np.isnan(r)
        mr = m * r
        variance = mr * (1 - r)
        for v in (at, mr, variance, m):
            v[unused] = 0
        return at, mr, variance, m

    observed, expected, variance, window = (np.zeros(len(rows)) for _ in range(4))
    for part in parallel_map(one, range(3)):  # added in the boundaries' order, as before
        observed += part[0]
        expected += part[1]
        variance += part[2]
        window += part[3]
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(expected > 0, observed / expected, np.nan)
        z = np.where(variance > 0, (observed - expected) / np.sqrt(variance), np.nan)
    has = np.asarray(cells.table.column("has_tasks").take(pa.array(rows, pa.int64()))
                     .fill_null(False).to_numpy(zero_copy_only=False), dtype=bool) | (window > 0)
    fire = (window >= cfg.boundary_min_count) & (z > cfg.boundary_z)
    return np.where(has & (window > 0), ratio, np.nan), np.where(window > 0, z, np.nan), fire


def _boundaries(cells: Cells, rows: np.ndarray, scales: pa.Table) -> np.ndarray:
    """Primary-score boundaries of «3», «4», «5» for each row (NaN when unknown)."""
    # the strings as the cells' integer codes: no million strings turned into Arrow (issue 18)
    keys = [codes_of(getattr(cells, c), cells.codes[c], scales.column(c).to_pylist())
            for c in ("procedure", "subject")]
    keys += [np.asarray(scales.column(c).to_pylist(), dtype=np.int64) for c in ("grade", "year")]
    j = match([cells.codes["procedure"][rows], cells.codes["subject"][rows], cells.grade[rows],
               cells.year[rows]], keys)
    out = np.full((len(rows), 3), np.nan)
    for col, k in enumerate((3, 4, 5)):
        values = np.asarray(pc.fill_null(scales.column(f"boundary_{k}").cast(pa.float64()), np.nan)
                            .to_numpy(zero_copy_only=False), dtype=float)
        out[:, col] = np.where(j >= 0, values[np.maximum(j, 0)] if len(values) else np.nan, np.nan)
    return out


def inversion_sign(cells: Cells, rows: np.ndarray, rules: Rules,
                   by_region: tuple[np.ndarray, int] | None = None) -> tuple[np.ndarray, ...]:
    """Sign 3: correlation of the task's regional easiness with the school's logit excess.

    Task by task for all rows at once (a cell's tasks are its list's positions): the region's
    participant-weighted success per task and the school's sums for the correlation are added
    in task order, row order within a task — the same additions, in the same order, as over the
    flattened lists before issue 18, so the same numbers to the last bit. Task j is read only
    for the rows whose list reaches it: a row without task j added exact zeros there, so
    leaving it out changes no sum (issue 18: works of 12 tasks were read 19 times). The work is
    split over threads: by task for the regional sums, by block of rows — longest lists first —
    for the schools' sums.
    """
    cfg = rules.objectivity
    values, start, length = _lists(cells, "task_success", rows, np.nan)
    corr = np.full(len(rows), np.nan)
    if not length.any():
        return corr, np.zeros(len(rows), dtype=bool)
    key, size = by_region or _region_key(cells, rows)
    n = cells.col("participants")[rows]
    width = int(length.max())
    shortest = int(length.min())

    def regional(j: int) -> np.ndarray:
        # the rows in their own order, so each regional sum adds the same terms in the same order
        reach = slice(None) if j < shortest else np.flatnonzero(length > j)
        v = values.take(start[reach] + j).astype(np.float64, copy=False)
        ok = v == v  # not NaN
        w = np.where(ok, n[reach], 0.0)
        k = key[reach]
        top = np.bincount(k, weights=np.where(ok, v, 0) * w, minlength=size)
        return _logit(top / np.maximum(np.bincount(k, weights=w, minlength=size), 1e-9))

    # one logit per region × task (a row per task), gathered per school task below
    easy = np.vstack(parallel_map(regional, range(width)))
    longest_first = np.argsort(-length, kind="stable")
    sums = {name: np.zeros(len(rows)) for name in ("k", "x", "y", "xx", "yy", "xy")}

    def schools(part: slice) -> None:
        which = longest_first[part]
        first, size_, k_part = start[which], length[which], key[which]
        k, sx, sy, sxx, syy, sxy = (np.zeros(len(which)) for _ in range(6))
        square = np.empty(len(which))
        for j in range(int(size_[0]) if len(which) else 0):
            m = int(np.searchsorted(-size_, -j, side="left"))  # the rows that have task j
            v = values.take(first[:m] + j).astype(np.float64, copy=False)
            ok = v == v  # not NaN
            x = easy[j].take(k_part[:m])
            y = _logit(v)
            y -= x
            if not ok.all():  # a task without a value adds nothing
                x = np.where(ok, x, 0)
                y = np.where(ok, y, 0)
            into = square[:m]
            k[:m] += ok
            sx[:m] += x
            sy[:m] += y
            sxx[:m] += np.multiply(x, x, out=into)
            syy[:m] += np.multiply(y, y, out=into)
            sxy[:m] += np.multiply(x, y, out=into)
        for name, found in zip(("k", "x", "y", "xx", "yy", "xy"), (k, sx, sy, sxx, syy, sxy),
                               strict=True):
            sums[name][which] = found

    parallel_map(schools, row_chunks(len(rows)))
    k = sums["k"]
    with np.errstate(invalid="ignore", divide="ignore"):
        sxy = sums["xy"] - sums["x"] * sums["y"] / k
        sxx = sums["xx"] - sums["x"] ** 2 / k
        syy = sums["yy"] - sums["y"] ** 2 / k
        corr = sxy / np.sqrt(sxx * syy)
        t = corr * np.sqrt((k - 2) / (1 - corr**2))
    candidate = (n >= cfg.min_participants) & (k >= cfg.inversion_min_tasks) & (
        corr <= cfg.inversion_max_corr)
    p = np.ones(len(rows))
    p[candidate] = stats.t.cdf(t[candidate], np.maximum(k[candidate] - 2, 1))  # only where needed
    fire = candidate & (p < cfg.inversion_p)
    valid = k >= 3
    return np.where(valid, corr, np.nan), fire & valid


def _logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(p, 0.02, 0.98)
    np.divide(q, 1 - q, out=q)
    return np.log(q, out=q)


def cohort_sign(cells: Cells, gaps: Gaps, rows: np.ndarray, rules: Rules) -> tuple[np.ndarray, ...]:
    """Sign 4: change of the gap from grade 4 (year y) to grade 5 (year y + 1), fired."""
    cfg = rules.objectivity
    vpr5 = np.flatnonzero(isin_coded(cells.procedure, cells.codes["procedure"], ["VPR"])
                          & (cells.grade == 5))
    sid, sub = cells.codes["school"], cells.codes["subject"]
    j = match([sid[rows], sub[rows], cells.year[rows] + 1], [sid[vpr5], sub[vpr5], cells.year[vpr5]])
    ok = (cells.grade[rows] == 4) & (j >= 0)
    partner = vpr5[np.where(ok, j, 0)] if len(vpr5) else rows
    drop = np.where(ok, gaps.gap_pct[partner] - gaps.gap_pct[rows], np.nan)
    se = np.hypot(gaps.se_pct[rows], gaps.se_pct[partner])
    z = stats.norm.ppf(0.5 + rules.identification.confidence / 2)
    n = cells.col("participants")
    enough = np.minimum(n[rows], n[partner]) >= cfg.min_participants
    fire = ok & enough & (drop <= -cfg.cohort_drop_pct) & (drop + z * se < 0)
    return drop, fire


def unconfirmed_sign(cells: Cells, gaps: Gaps, rows: np.ndarray,
                     rules: Rules) -> tuple[np.ndarray, ...]:
    """Sign 5: ВПР gap (lower bound) vs the ОГЭ/ЕГЭ gap of the same school, subject and year."""
    cfg = rules.objectivity
    n = cells.col("participants")
    exams = np.flatnonzero(isin_coded(cells.procedure, cells.codes["procedure"], ["OGE", "EGE"]) & ~np.isnan(gaps.gap_pct)
                           & (n >= rules.identification.min_participants))
    exam = np.full(len(rows), np.nan)
    if len(exams) and len(rows):
        sid, fam = cells.codes["school"], cells.codes["family"]
        key, first = group_index(sid[exams], fam[exams], cells.year[exams])
        w = group_sum(key, n[exams], len(first))
        mean = group_sum(key, n[exams] * gaps.gap_pct[exams], len(first)) / np.maximum(w, 1e-9)
        g = exams[first]
        j = match([sid[rows], fam[rows], cells.year[rows]], [sid[g], fam[g], cells.year[g]])
        exam = np.where(j >= 0, mean[np.maximum(j, 0)], np.nan)
    enough = n[rows] >= cfg.min_participants
    with np.errstate(invalid="ignore"):
        fire = enough & (gaps.low_pct[rows] > cfg.vpr_high_pct) & (exam <= cfg.exam_not_high_pct)
    value = np.where(~np.isnan(exam), gaps.gap_pct[rows], np.nan)
    return value, exam, fire


def marker_sign(cells: Cells, rows: np.ndarray,
                markers: pa.Table | None) -> tuple[np.ndarray, np.ndarray]:
    """Sign 6: the imported federal marker for the cell («4 РУ»), if any (``None`` if not)."""
    value = np.empty(len(rows), dtype=object)  # None everywhere
    fired = np.zeros(len(rows), dtype=bool)
    if markers is not None and markers.num_rows and len(rows):
        m = markers.group_by(["school_key", "year", "grade", "subject"]).aggregate(
            [("marker", "max")])
        j = match([cells.codes["school"][rows], cells.year[rows], cells.grade[rows],
                   cells.codes["subject"][rows]],
                  [codes_of(cells.school, cells.codes["school"], m.column("school_key").to_pylist()),
                   np.asarray(m.column("year").to_pylist(), dtype=np.int64),
                   np.asarray(m.column("grade").to_pylist(), dtype=np.int64),
                   codes_of(cells.subject, cells.codes["subject"], m.column("subject").to_pylist())])
        labels = np.asarray([x or "маркер" for x in m.column("marker_max").to_pylist()],
                            dtype=object)
        hit = np.flatnonzero(j >= 0)
        value[hit] = labels[j[hit]]
        fired[hit] = True
    return value, fired


def _table(cells: Cells, rows: np.ndarray, values: dict[str, np.ndarray],
           fired: dict[str, np.ndarray]) -> pa.Table:
    idx = pa.array(rows, pa.int64())
    data: dict[str, pa.Array | pa.ChunkedArray] = {
        name: cells.table.column(name).take(idx)
        for name in ("school_key", "procedure", "subject", "grade", "year", "participants")}
    columns = {
        "term_above_pct": values["term"], "term_above_region_pct": values["term_region"],
        "boundary_ratio": values["boundary"], "boundary_z": values["boundary_z"],
        "inversion_corr": values["inversion"], "cohort_change_pct": values["cohort"],
        "vpr_gap_pct": values["unconfirmed"], "exam_gap_pct": values["exam_gap"],
    }
    for name, v in columns.items():
        data[name] = pa.array(v, pa.float64(), from_pandas=True)
    data["marker"] = pa.array(values["marker"], pa.string())
    for sign in SIGNS:
        data[f"{sign}_fired"] = pa.array(np.asarray(fired[sign], dtype=bool))
    data["any_fired"] = pa.array(np.any([fired[s] for s in SIGNS], axis=0)
                                 if len(rows) else np.zeros(0, dtype=bool))
    return pa.table(data)


def _sign_name(sign: str) -> str:
    """The glossary's name of the sign as it reads inside a sentence («отметки ВПР выше …»)."""
    name = SIGN_BY_CODE[sign].name_ru
    return name[:1].lower() + name[1:]


def _sign_text(sign: str, i: int, pos: int, values: dict[str, np.ndarray]) -> str:
    if sign == "term":
        return (f"{_sign_name(sign)}: {num(values['term'][pos])} % при "
                f"{num(values['term_region'][pos])} % по региону")
    if sign == "boundary":
        return (f"{_sign_name(sign)}: на границах в {num(values['boundary'][pos], 2)} раза больше "
                f"участников, чем по форме распределения региона (z = {num(values['boundary_z'][pos])})")
    if sign == "inversion":
        return f"{_sign_name(sign)}: корреляция {num(values['inversion'][pos], 2)}"
    if sign == "cohort":
        return (f"{_sign_name(sign)}: разница с регионом изменилась на "
                f"{num(values['cohort'][pos], signed=True)} п.п. к следующему году в 5 классе")
    if sign == "unconfirmed":
        return (f"{_sign_name(sign)}: ВПР {num(values['unconfirmed'][pos], signed=True)} п.п. к "
                f"региону, ОГЭ/ЕГЭ {num(values['exam_gap'][pos], signed=True)} п.п.")
    return f"{_sign_name(sign)} («{values['marker'][pos]}»)"


def _flags(cells: Cells, rows: np.ndarray, values: dict[str, np.ndarray],
           fired: dict[str, np.ndarray], result: Objectivity) -> None:
    per: dict[tuple[str, int], list[str]] = {}
    any_fired = np.any([fired[s] for s in SIGNS], axis=0) if len(rows) else np.zeros(0, bool)
    for pos in np.flatnonzero(any_fired).tolist():
        i = int(rows[pos])
        signs = [s for s in SIGNS if fired[s][pos]]
        name = cell_name(str(cells.procedure[i]), str(cells.subject[i]), int(cells.grade[i]),
                         int(cells.year[i]))
        texts = "; ".join(_sign_text(s, i, pos, values) for s in signs)
        per.setdefault((str(cells.school[i]), int(cells.year[i])), []).append(f"{name}: {texts}")
    for (school, year), parts in sorted(per.items()):
        result.schools.add(school)
        result.flags.append(Flag(school, NON_OBJECTIVE.code, year,
                                 "Признаки необъективности результатов (это признаки, а не "
                                 "вывод): " + ". ".join(parts)))


def _notes(cells: Cells, rows: np.ndarray, values: dict[str, np.ndarray], min_n: int,
           result: Objectivity) -> None:
    aggregate = int(np.sum(isin_coded(cells.level, cells.codes["level"], ["aggregate"])[rows]))
    if aggregate:
        result.notes.append(f"{aggregate} ячеек ВПР — только агрегаты: признаки 1–3 (отметки за "
                            "четверть, пики у границ, трудность заданий) по ним не вычисляются")
    if len(rows) == 0:
        result.notes.append("нет результатов ВПР: признаки необъективности 1–5 не вычислялись; "
                            "по результатам ЕГЭ/ОГЭ из опубликованных таблиц они не вычисляются")
    missing_term = int(np.sum(np.isnan(values["term"])))
    if len(rows) and missing_term:
        result.notes.append(f"{missing_term} ячеек ВПР без отметок за четверть: признак 1 не вычислен")
