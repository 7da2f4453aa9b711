"""The synthetic data generator: a territory whose assessment data behave like real ones.

``generate`` writes the normalised tables of :mod:`opora.schemas` as Parquet into a directory
(``results.parquet`` is one file written row group by row group, so memory stays flat even at
country scale); ``generate_tables`` returns them in memory for tests. The same seed gives the
same tables bit for bit. The model, every injected property and its strength are described in
``docs/generator.md``; ``truth`` says which school got what.

Random streams are derived from the seed and the place they are used (territory, plan, block,
year, cell), so the output does not depend on the order of the work.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from opora.demo import assemble, passport, properties, published, registers, territory
from opora.demo.instruments import LAST_YEAR, Instrument, instruments_for_year
from opora.demo.simulate import block_state, simulate_cell
from opora.glossary import DEMO_SOURCE
from opora.schemas import RESULTS, TABLES, TRUTH

SCALES = ("municipality", "region", "country")
MAX_YEARS = 10
SMALL_CELL = 10  # the ``small`` property: most of a school's cells have fewer participants


class _Run:
    """Everything but the student rows, which go to a sink as they are made."""

    def __init__(self, scale: str, years: int, seed: int, support_effect_pp: float = 0.0,
                 strengths: Mapping[str, float] | None = None) -> None:
        if scale not in SCALES:
            raise ValueError(f"неизвестный масштаб «{scale}»: municipality, region или country")
        if not 1 <= years <= MAX_YEARS:
            raise ValueError(f"число лет должно быть от 1 до {MAX_YEARS}, указано {years}")
        self.scale, self.seed = scale, seed
        self.years = list(range(LAST_YEAR - years + 1, LAST_YEAR + 1))
        self.source = DEMO_SOURCE  # the scale and seed are in the generator's report
        self.territory = territory.build(scale, self._rng(1))
        self.plan = properties.make_plan(self.territory, self.years, self._rng(2), strengths)
        properties.false_positive_markers(self.plan, self.territory, self.years, self._rng(3))
        if support_effect_pp:  # the support_effect property (issue 16): entered in the first year
            mid = (self.years[0] + self.years[-1]) / 2
            level = self.plan.level(self.territory, self.years[0], mid).astype(float)
            entered = properties.choose_entered(level, self.territory, self._rng(16))
            properties.plan_support(self.plan, self.territory, self.years[0], support_effect_pp,
                                    entered)
        self.with_okr_mir = scale != "country"
        self.sums: list[assemble.CellSums] = []
        self.rows = 0

    def _rng(self, *path: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, *path])

    def instruments(self) -> list[Instrument]:
        return [ins for y in self.years for ins in instruments_for_year(y, self.with_okr_mir)]

    def blocks(self) -> list[np.ndarray]:
        t = self.territory
        if self.scale != "country":
            return [np.arange(t.n)]
        return [np.nonzero(t.region == r)[0] for r in range(len(t.region_names))]

    def simulate(self, sink: Callable[[pa.Table], None]) -> None:
        """Draw every student, block by block and year by year, handing rows to ``sink``."""
        t = self.territory
        keys = pa.array(t.keys)
        mid = (self.years[0] + self.years[-1]) / 2
        for b, schools in enumerate(self.blocks()):
            state = block_state(schools, t.size, t.classes, self.years, self._rng(4, b))
            for year in self.years:
                level = self.plan.level(t, year, mid)
                parts = []
                for c, ins in enumerate(instruments_for_year(year, self.with_okr_mir)):
                    injection = (self.plan.injection(year, ins.grade, ins.subject)
                                 if ins.procedure == "VPR" else None)
                    cell = simulate_cell(ins, state, level, injection, self._rng(5, b, year, c))
                    self.sums.append(assemble.cell_sums(cell))
                    parts.append(assemble.results_table(cell, keys, t.loaded, self.source))
                table = pa.concat_tables(parts)
                self.rows += table.num_rows
                sink(table)

    def tables(self) -> dict[str, pa.Table]:
        """The small tables (everything but ``results``), after :meth:`simulate`."""
        t = self.territory
        self._add_small_schools()
        return {
            "schools": registers.schools_table(t),
            "scales": registers.scales_table(self.instruments()),
            "tasks": registers.tasks_table(self.instruments()),
            "aggregates": published.aggregates_table(self.sums, t, self.source),
            "reference": published.reference_table(
                self.sums, t, f"вычислено по всем школам региона; {DEMO_SOURCE}"),
            "context": passport.context_table(t, self.years, self._rng(6), self.source),
            "markers": registers.markers_table(self.plan, t),
            "official_lists": registers.official_lists_table(self.plan, t, self.years),
            "rechecks": registers.rechecks_table(self.plan, t),
            "truth": registers.truth_table(self.plan, t),
        }

    def _add_small_schools(self) -> None:
        """``small``: more than half of a school's cells have fewer than 10 participants;
        strength = the median number of participants of its cells."""
        t = self.territory
        per_school: dict[int, list[int]] = {}
        for cs in self.sums:
            for s, n in zip(cs.schools, cs.participants, strict=True):
                per_school.setdefault(int(s), []).append(int(n))
        for s, counts in sorted(per_school.items()):
            if t.loaded[s] and np.mean(np.array(counts) < SMALL_CELL) > 0.5:
                self.plan.truth.append((s, "small", None, None, None, float(np.median(counts))))


def generate_tables(*, scale: str = "municipality", years: int = 3, seed: int = 1,
                    support_effect_pp: float = 0.0,
                    strengths: Mapping[str, float] | None = None) -> dict[str, pa.Table]:
    """All nine tables in memory (for tests and the web demo); ``support_effect_pp`` > 0 adds the
    ``support_effect`` property (``properties.plan_support``): schools entering the system in
    the first year gain that many points of the maximum in the later years. ``strengths``
    overrides injected strengths of non-objectivity (``properties.make_plan``)."""
    run = _Run(scale, years, seed, support_effect_pp, strengths)
    parts: list[pa.Table] = []
    run.simulate(parts.append)
    tables = run.tables()
    tables["results"] = pa.concat_tables(parts) if parts else RESULTS.empty()
    # tables the generator has nothing for (official lists, re-checks) come empty
    return {name: tables[name] if name in tables else TABLES[name].empty() for name in TABLES}


def true_levels(*, scale: str = "municipality", years: int = 3, seed: int = 1) -> pa.Table:
    """Each loaded school's true level and its region's, per year, in SD of student ability.

    The level is the model's school mean (0,55·a + u + trend, docs/generator.md) before the
    cohort and yearly noise; the region's is its average weighted by students (and by the
    shadow schools' weights, as the region's reference values are). The difference is what an
    identification rule tries to see through sampling noise: the detection bench scores the
    rules against it as well as against the injected properties. Nothing is simulated, so
    this is cheap; the same seed gives the levels of the data set :func:`generate` writes.
    """
    run = _Run(scale, years, seed)
    t, plan = run.territory, run.plan
    mid = (run.years[0] + run.years[-1]) / 2
    students = t.size.sum(axis=1) * t.weight
    region = t.region
    loaded = np.nonzero(t.loaded)[0]
    cols: dict[str, list[object]] = {"school_key": [], "year": [], "level_sd": [],
                                     "region_level_sd": []}
    for year in run.years:
        level = plan.level(t, year, mid).astype(float)
        sums = np.bincount(region, weights=students * level)
        weights = np.bincount(region, weights=students)
        region_level = sums / np.where(weights > 0, weights, 1)
        cols["school_key"] += [t.keys[s] for s in loaded]
        cols["year"] += [year] * len(loaded)
        cols["level_sd"] += level[loaded].tolist()
        cols["region_level_sd"] += region_level[region[loaded]].tolist()
    return pa.table(cols)


def generate(*, scale: str, years: int, seed: int, out: Path) -> str:
    """Write the data set into ``out`` and return a one-paragraph Russian summary."""
    started = time.perf_counter()
    run = _Run(scale, years, seed)
    out.mkdir(parents=True, exist_ok=True)
    partial = out / "results.parquet.partial"
    try:
        _write_results(run, partial)
    except BaseException:  # interrupted or failed: leave no half-written results behind
        partial.unlink(missing_ok=True)
        raise
    tables = run.tables()
    for name, table in tables.items():
        pq.write_table(table, out / f"{name}.parquet", compression="zstd")
    partial.replace(out / "results.parquet")
    return _summary(run, tables, time.perf_counter() - started, out)


def _write_results(run: _Run, path: Path) -> None:
    """Write row groups in a background thread while the next block is simulated (Parquet
    encoding releases the GIL); one writer thread keeps the order, hence identical bytes."""
    with ThreadPoolExecutor(max_workers=1) as pool, pq.ParquetWriter(
            path, RESULTS.schema, compression="zstd") as writer:
        pending: list[Future[None]] = []

        def sink(table: pa.Table) -> None:
            if pending:
                pending.pop().result()
            pending.append(pool.submit(writer.write_table, table))

        run.simulate(sink)
        for future in pending:
            future.result()


def _summary(run: _Run, tables: dict[str, pa.Table], seconds: float, out: Path) -> str:
    t = run.territory
    truth = tables["truth"].column("property").to_pylist()
    schools_by_property = len({(k, p) for k, p in zip(
        tables["truth"].column("school_key").to_pylist(), truth, strict=True)})
    size_mb = sum(f.stat().st_size for f in out.glob("*.parquet")) / 2**20
    regions = len(np.unique(t.region[t.loaded]))
    municipalities = len(np.unique(t.municipality[t.loaded]))
    return (
        f"Сгенерирован синтетический набор данных (масштаб «{run.scale}», зерно {run.seed}): "
        f"{_n(int(t.loaded.sum()))} школ, муниципалитетов — {_n(municipalities)}, регионов — "
        f"{regions}; годы {run.years[0]}–{run.years[-1]}; результатов участников — "
        f"{_n(run.rows)} строк, агрегатов ЕГЭ — {_n(tables['aggregates'].num_rows)}, эталонных "
        f"значений — {_n(tables['reference'].num_rows)}, строк контекста — "
        f"{_n(tables['context'].num_rows)}, маркеров — {_n(tables['markers'].num_rows)}; "
        f"истина — {_n(len(truth))} строк (пар «школа — свойство» — {_n(schools_by_property)}). "
        f"Время — {seconds:.1f} с, объём — {size_mb:.1f} МБ, каталог {out}."
    )


def _n(value: int) -> str:
    """A count with a thin space between thousands, as Russian texts write it."""
    return f"{value:,}".replace(",", "\u202f")


__all__ = ["SCALES", "TRUTH", "generate", "generate_tables"]
