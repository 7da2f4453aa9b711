"""The context passport (социальный паспорт школы) driven by the school's latent advantage.

Each share is ``100 · sigmoid(intercept + slope · advantage + extras + noise)``: the intercepts
put an average school at realistic levels (about 27 % of families with both parents with higher
education, 21 % single-parent, 12 % low-income, 12 % large, 4 % unemployed parents, 5 % ОВЗ,
2 % on preventive registers, 21 % of teachers of retirement age); the slopes make the shares
move together as in life (the disadvantaged end has fewer educated parents and more low-income,
single-parent and unemployed families). Noise: a persistent part per school (SD 0.35 on the
logit scale) and a yearly part (SD 0.1). The context year is the school year's starting year:
ВПР of spring ``Y`` goes with the passport of ``Y − 1`` (school year Y−1/Y).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from opora.demo.territory import Territory
from opora.schemas import CONTEXT, conform

# column → (intercept, slope on advantage, rural, boarding/evening)
_SHARES = {
    "share_parents_higher_ed": (-1.0, 0.9, -0.3, -0.5),
    "share_single_parent": (-1.3, -0.45, 0.0, 0.5),
    "share_low_income": (-2.0, -0.8, 0.4, 0.5),
    "share_large_families": (-2.0, -0.35, 0.5, 0.0),
    "share_unemployed_parents": (-3.3, -0.6, 0.4, 0.3),
    "share_non_native_russian": (-3.6, -0.4, 0.0, 0.2),
    "share_ovz": (-3.0, -0.3, 0.0, 1.5),
    "share_preventive_register": (-4.0, -0.7, 0.0, 0.8),
    "share_teachers_retirement_age": (-1.3, -0.3, 0.4, 0.2),
}


def context_table(territory: Territory, years: list[int], rng: np.random.Generator,
                  source: str) -> pa.Table:
    """One row per loaded school and context year (ВПР year − 1)."""
    idx = np.nonzero(territory.loaded)[0]
    n = len(idx)
    adv = territory.advantage[idx].astype(float)
    rural = territory.rural[idx].astype(float)
    special = np.isin(territory.kind[idx], ("boarding", "evening")).astype(float)
    persistent = {name: rng.normal(0, 0.35, n) for name in _SHARES}
    region_language = rng.normal(0, 0.8, len(territory.region_names))[territory.region[idx]]
    students = territory.size[idx, 1:12].sum(axis=1)
    teachers = np.maximum(3, np.round(students / np.where(students < 100, 8, 13)))
    columns: dict[str, list[np.ndarray]] = {}
    for year in years:
        drift = adv + rng.normal(0, 0.05, n)
        row = {"school_key": np.array(territory.keys, dtype=object)[idx],
               "year": np.full(n, year - 1)}
        for name, (a, b, c, d) in _SHARES.items():
            logit = a + b * drift + c * rural + d * special + persistent[name] + rng.normal(
                0, 0.1, n)
            if name == "share_non_native_russian":
                logit = logit + region_language
            row[name] = np.round(100 / (1 + np.exp(-logit)), 1)
        row["students"] = np.round(students * np.exp(rng.normal(0, 0.03, n)))
        row["teachers"] = teachers
        row["teacher_vacancies"] = rng.poisson(teachers * 0.02 * np.exp(-0.6 * drift + 0.5 * rural))
        row["remoteness_km"] = territory.remoteness_km[idx]
        for name, values in row.items():
            columns.setdefault(name, []).append(np.asarray(values))
    table = pa.table({name: np.concatenate(parts) for name, parts in columns.items()})
    table = table.append_column("source", pa.array([source] * table.num_rows))
    return conform(table, CONTEXT)
