"""Social context (ШНСУ), context-adjusted results, resilient schools and leaders.

DOMAIN.md «Social context»: an index from standardised context shares (equal weights or the first
principal component, configurable), signed so that higher = more disadvantaged
(``share_parents_higher_ed`` enters negatively); the most disadvantaged ``adverse_share_pct`` of
the region's schools are ШНСУ. The school's result — its gap to the region over the identification
cells of the year, which makes schools with different sets of procedures comparable — is regressed
on the index by OLS; the residual is the context-adjusted result, with an interval combining the
school's sampling error and the uncertainty of the fitted line. Resilient: adverse context and the
residual's interval above ``resilient_margin_pct``. Leader: the gap's interval above
``leader_margin_pct`` (or resilient), and never a school with signs of non-objective results.

Context years are school years (2023 → 2023/24) while results are calendar years (spring 2024 →
2024), so results of year Y use the context of Y − 1, else Y, else the latest earlier year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy import stats

from opora.engine.cells import match
from opora.engine.config import Rules
from opora.engine.evidence import num
from opora.engine.identify import Flag, YearGaps
from opora.glossary import ADVERSE_CONTEXT, CONTEXT_COLUMN_BY_CODE, LEADER, RESILIENT


@dataclass
class ContextResult:
    table: pa.Table  # context.parquet
    flags: list[Flag]
    leaders: set[str]
    index_by_school: dict[str, float]  # the last year's index, for pairing
    coefficients: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def build_index(values: np.ndarray, signs: np.ndarray, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """Index per school from a schools × components matrix (NaN = unknown → the mean, z = 0).

    Returns (index, weights on the signed z-scores). ``pca``: the first principal component of the
    components' correlation matrix, oriented so that its weights sum to a positive number.
    """
    mean = np.nanmean(values, axis=0)
    sd = np.nanstd(values, axis=0, ddof=1)
    sd = np.where(sd > 0, sd, 1.0)
    z = np.nan_to_num((values - mean) / sd) * signs
    k = z.shape[1]
    if mode == "pca" and k > 1 and z.shape[0] > k:
        eigval, eigvec = np.linalg.eigh(np.corrcoef(z, rowvar=False))
        weights = eigvec[:, int(np.argmax(eigval))]
        weights = weights if weights.sum() >= 0 else -weights
    else:
        weights = np.full(k, 1.0 / k)
    return z @ weights, weights


def ols_fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """OLS of y on x: (coefficients [a, b], fitted values, variance of each fitted value)."""
    design = np.column_stack([np.ones_like(x), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    fitted = design @ coef
    dof = max(len(y) - 2, 1)
    s2 = float(np.sum((y - fitted) ** 2) / dof)
    cov = s2 * np.linalg.pinv(design.T @ design)
    var_fit = np.einsum("ij,jk,ik->i", design, cov, design)
    return coef, fitted, var_fit


def context_year_for(result_year: int, available: list[int]) -> int | None:
    """The context year to use with results of ``result_year`` (see the module docstring)."""
    for candidate in (result_year - 1, result_year):
        if candidate in available:
            return candidate
    earlier = [y for y in available if y <= result_year]
    return max(earlier) if earlier else (max(available) if available else None)


def analyse_context(context: pa.Table | None, yg: YearGaps, window: list[int], rules: Rules,
                    non_objective: set[str],
                    region_of: dict[str, str] | None = None) -> ContextResult:
    """Index, regression, quintiles and the adverse/resilient/leader flags (module docstring):
    :func:`context_by_year`, then :func:`choose_leaders`."""
    result = context_by_year(context, yg, window, rules, region_of)
    choose_leaders(result, yg, window, rules, non_objective)
    return result


def context_by_year(context: pa.Table | None, yg: YearGaps, window: list[int], rules: Rules,
                    region_of: dict[str, str] | None = None) -> ContextResult:
    """The index, regression and quintiles of each year and the ШНСУ and resilient flags —
    everything but the leaders, which need objectivity (:func:`choose_leaders`), so this part
    runs while objectivity is still computed (issue 18).

    ``region_of`` maps a school to its region: ШНСУ is «the most disadvantaged share *of the
    region*», so with several regions loaded the cut and the quintiles are taken region by
    region (the index weights and the regression stay common: the gap is already relative to
    each school's own region).
    """
    cfg = rules.context
    z = _z(rules)
    result = ContextResult(pa.table({}), [], set(), {})
    names = [n for n in cfg.components
             if context is not None and n in context.column_names
             and context.column(n).null_count < context.num_rows]
    last = window[-1] if window else None
    parts: list[pa.Table] = []
    if not names or context is None or context.num_rows == 0:
        result.notes.append("контекстных данных нет: индекс контекста, ШНСУ и резильентные "
                            "школы не вычислялись; лидеры определены только по результатам")
    else:
        ctx_years = sorted({int(y) for y in context.column("year").to_pylist()})
        for year in window:
            cy = context_year_for(year, ctx_years)
            if cy is not None:
                parts.append(_one_year(context, names, cy, year, year == last, yg, rules, z,
                                       result, region_of or {}))
    rows = [t for t in parts if t.num_rows]
    result.table = (pa.concat_tables(rows) if rows
                    else pa.table({"school_key": pa.array([], pa.string())}))
    return result


def choose_leaders(result: ContextResult, yg: YearGaps, window: list[int], rules: Rules,
                   non_objective: set[str]) -> None:
    """The leaders of the window's last year added to ``result`` (:func:`_leaders`): never a
    school in ``non_objective`` (signs of non-objective results)."""
    _leaders(yg, window[-1] if window else None, _z(rules), rules, non_objective, result)


def _z(rules: Rules) -> float:
    """The normal quantile of the identification's two-sided confidence (1.96 for 95 %)."""
    return float(stats.norm.ppf(0.5 + rules.identification.confidence / 2))


def _cuts_by_region(index: np.ndarray, regions: list[str],
                    adverse_share_pct: float) -> tuple[np.ndarray, np.ndarray]:
    """Per school: the ШНСУ cut of its region's index distribution and its quintile there."""
    # each region's members found through integer codes, not 85 comparisons of every
    # school's string (issue 18); the members in the same ascending order
    codes = pa.array(regions, pa.string()).dictionary_encode().indices.to_numpy()
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    cut = np.empty(len(index))
    quintile = np.empty(len(index), dtype=int)
    for members in np.split(order, bounds) if len(order) else []:
        part = index[members]
        cut[members] = float(np.quantile(part, 1 - adverse_share_pct / 100.0))
        ranks = stats.rankdata(part) / len(part)
        quintile[members] = np.minimum(np.ceil(ranks * 5), 5).astype(int)
    return cut, quintile


def _one_year(context: pa.Table, names: list[str], cy: int, year: int, is_last: bool,
              yg: YearGaps, rules: Rules, z: float, result: ContextResult,
              region_of: dict[str, str]) -> pa.Table:
    """One year's rows of ``context.parquet`` as columns for all schools at once; the evidence
    rows (:func:`_context_row`) only for the ШНСУ of the last year, which get a flag (issue 18)."""
    cfg = rules.context
    mask = np.asarray(context.column("year").to_numpy(zero_copy_only=False)) == cy
    sub = context.filter(pa.array(mask))
    schools = [str(s) for s in sub.column("school_key").to_pylist()]
    # nulls as NaN, read by Arrow rather than as a Python object per value (issue 18)
    values = np.column_stack([pc.fill_null(sub.column(n).cast(pa.float64()), np.nan)
                              .to_numpy() for n in names])
    signs = np.array([cfg.components[n] for n in names], dtype=float)
    index, weights = build_index(values, signs, cfg.mode)
    info: dict[str, object] = {"context_year": cy, "mode": cfg.mode,
                               "weights": dict(zip(names, weights.round(4).tolist(), strict=True))}
    result.coefficients[str(year)] = info
    cut, quintile = _cuts_by_region(index, [region_of.get(s, "") for s in schools],
                                    cfg.adverse_share_pct)
    in_year = yg.year == year
    keys = np.asarray(schools, dtype=object)
    j = match([keys], [yg.school[in_year].astype(object)])
    have = np.flatnonzero(j >= 0)
    gap = np.where(j >= 0, yg.gap_pct[in_year][np.maximum(j, 0)] if len(have) else np.nan, np.nan)
    gap_se = np.where(j >= 0, yg.se_pct[in_year][np.maximum(j, 0)] if len(have) else np.nan,
                      np.nan)
    fitted, var_fit = np.full(len(schools), np.nan), np.full(len(schools), np.nan)
    if len(have) >= 3:
        coef, fitted[have], var_fit[have] = ols_fit(index[have], gap[have])
        info.update(intercept=round(float(coef[0]), 4), slope=round(float(coef[1]), 4))
    resid = gap - fitted
    # C pow(), as Python's ``se ** 2`` in the per-school version: NumPy's ``** 2`` (x·x) differs
    # in the last bit for ~0.1 % of values, and the interval must not move (issue 18)
    se = np.sqrt(np.float_power(gap_se, 2) + var_fit)
    adverse = index >= cut
    n = len(schools)
    data: dict[str, pa.Array] = {
        "school_key": pa.array(schools, pa.string()), "year": pa.array(np.full(n, year, np.int64)),
        "context_year": pa.array(np.full(n, cy, np.int64))}
    data.update({name: pa.array(values[:, k], pa.float64(), from_pandas=True)
                 for k, name in enumerate(names)})
    data.update(context_index=pa.array(index, pa.float64()),
                quintile=pa.array(quintile.astype(np.int64)), adverse_context=pa.array(adverse))
    for column, v in (("result_gap_pct", gap), ("expected_gap_pct", fitted),
                      ("residual_pct", resid), ("residual_low_pct", resid - z * se),
                      ("residual_high_pct", resid + z * se)):
        data[column] = pa.array(np.where(np.isnan(resid), np.nan, v), pa.float64(),
                                from_pandas=True)
    if is_last:
        result.index_by_school.update(zip(schools, index.tolist(), strict=True))
        means = np.nanmean(values, axis=0)
        for i in np.flatnonzero(adverse).tolist():
            fit = None if np.isnan(fitted[i]) else (float(fitted[i]), float(var_fit[i]))
            pair = None if np.isnan(gap[i]) else (float(gap[i]), float(gap_se[i]))
            row = _context_row(schools[i], year, cy, names, values[i], float(index[i]),
                               int(quintile[i]), True, pair, fit, z)
            _context_flags(row, names, values[i], means, float(cut[i]), rules, result)
    return pa.table(data)


def _context_row(school: str, year: int, cy: int, names: list[str], values: np.ndarray,
                 index: float, quintile: int, adverse: bool, gap: tuple[float, float] | None,
                 fit: tuple[float, float] | None, z: float) -> dict[str, object]:
    row: dict[str, object] = {"school_key": school, "year": year, "context_year": cy}
    row.update({n: (v if v == v else None)  # NaN → None
                for n, v in zip(names, values.tolist(), strict=True)})
    row.update(context_index=index, quintile=quintile, adverse_context=adverse,
               result_gap_pct=None, expected_gap_pct=None, residual_pct=None,
               residual_low_pct=None, residual_high_pct=None)
    if gap is not None and fit is not None:
        resid = gap[0] - fit[0]
        se = float(np.sqrt(gap[1] ** 2 + fit[1]))
        row.update(result_gap_pct=gap[0], expected_gap_pct=fit[0], residual_pct=resid,
                   residual_low_pct=resid - z * se, residual_high_pct=resid + z * se)
    return row


def _context_flags(row: dict[str, object], names: list[str], values: np.ndarray,
                   means: np.ndarray, cut: float, rules: Rules, result: ContextResult) -> None:
    cfg = rules.context
    school, year = str(row["school_key"]), int(row["year"])  # type: ignore[call-overload]
    if not row["adverse_context"]:
        return
    # the sentence names the first five known components: only they are spelled (issue 18)
    parts = [_component_text(n, float(v), float(m)) for n, v, m in islice(
        ((n, v, m) for n, v, m in zip(names, values, means, strict=True) if not np.isnan(v)), 5)]
    head = (f"Индекс социального контекста {num(float(row['context_index']), 2)} "  # type: ignore[arg-type]
            f"({row['quintile']}-й квинтиль; ШНСУ — {num(cfg.adverse_share_pct, 0)} % самых "
            f"неблагоприятных школ: индекс не ниже {num(cut, 2)}); социальный паспорт "
            f"{_school_year(int(row['context_year']))} учебного года: "  # type: ignore[call-overload]
            + "; ".join(parts[:5]))
    result.flags.append(Flag(school, ADVERSE_CONTEXT.code, year, head))
    low = row.get("residual_low_pct")
    if low is not None and float(low) > cfg.resilient_margin_pct:  # type: ignore[arg-type]
        result.flags.append(Flag(school, RESILIENT.code, year, (
            f"Неблагоприятный контекст (индекс {num(float(row['context_index']), 2)}), а результат "  # type: ignore[arg-type]
            f"выше ожидаемого при таком контексте: разница с регионом "
            f"{num(float(row['result_gap_pct']), signed=True)} п.п. при ожидаемой "  # type: ignore[arg-type]
            f"{num(float(row['expected_gap_pct']), signed=True)} п.п.; превышение "  # type: ignore[arg-type]
            f"{num(float(row['residual_pct']), signed=True)} п.п., 95 % интервал от "  # type: ignore[arg-type]
            f"{num(float(low), signed=True)} до {num(float(row['residual_high_pct']), signed=True)}")))  # type: ignore[arg-type]
        result.leaders.add(school)


def _component_text(code: str, value: float, mean: float) -> str:
    """«неполные семьи 31 % (в среднем 18 %)»: the passport column's name and unit (glossary)."""
    column = CONTEXT_COLUMN_BY_CODE.get(code)
    name = column.name_ru[:1].lower() + column.name_ru[1:] if column else code
    unit = column.unit if column else "%"
    return f"{name} {num(value)} {unit} (в среднем {num(mean)} {unit})"


def _school_year(start: int) -> str:
    """2024 → «2024/25»."""
    return f"{start}/{(start + 1) % 100:02d}"


def _leaders(yg: YearGaps, last: int | None, z: float, rules: Rules, non_objective: set[str],
             result: ContextResult) -> None:
    """Leaders: gap significantly above the region in the last year (or resilient), objective."""
    resilient = set(result.leaders)
    result.leaders = set()
    low_bound = yg.gap_pct - z * yg.se_pct
    candidates = np.flatnonzero((yg.year == last) & (low_bound > rules.context.leader_margin_pct))
    for k in candidates.tolist():  # the leaders only: their evidence (issue 18)
        school, y, g, se = str(yg.school[k]), yg.year[k], yg.gap_pct[k], yg.se_pct[k]
        if school in non_objective:
            continue
        low = g - z * se
        if low > rules.context.leader_margin_pct:
            result.leaders.add(school)
            result.flags.append(Flag(school, LEADER.code, int(y), (
                f"Результаты выше региона: разница по предметам идентификации "
                f"{num(g, signed=True)} п.п., 95 % интервал от {num(low, signed=True)} до "
                f"{num(g + z * se, signed=True)}; признаков необъективности не найдено")))
    because = {f.school_key: f.evidence[:1].lower() + f.evidence[1:] for f in result.flags
               if f.flag == RESILIENT.code}
    for school in sorted(resilient - result.leaders - non_objective):
        result.leaders.add(school)
        # the resilient flag's own numbers (index, gap, expected gap, excess): every evidence
        # sentence carries the numbers that made it (issue 11)
        result.flags.append(Flag(school, LEADER.code, int(last or 0),
                                 f"Резильентная школа (флаг «{RESILIENT.name_ru}»): "
                                 f"{because.get(school, 'результаты выше ожидаемых при её контексте')}; "
                                 "признаков необъективности не найдено"))
    excluded = resilient & non_objective
    if excluded:
        result.notes.append(f"{len(excluded)} резильентных школ не признаны лидерами из-за "
                            "признаков необъективности")
