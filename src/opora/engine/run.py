"""From the normalised tables to flags with evidence, context, objectivity and pairs.

Two entry points share one core (:func:`_evaluation`): :func:`analyze_tables` takes Arrow tables in
memory and returns the outputs in memory (the web run, which exports them from its database);
:func:`analyze` reads a directory of Parquet files and writes the outputs as files (``opora
analyze``, and Spark at national scale). The heavy per-student stage runs on the chosen engine
(:mod:`opora.engine.aggregate`); every rule after it works on the small per-cell table in
NumPy/SciPy (:func:`opora.engine.rules_stage.evaluate`), so the rules are the same whatever the engine and the source. The
outputs are the tables of :data:`opora.schemas.OUTPUTS`; the run's summary holds what ``run.json``
records — the configuration used, row counts, timings and what could not be computed (and why) —
so a past list can be reproduced and explained.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from opora.engine.config import Rules, load_rules
from opora.engine.timing import Timer
from opora.glossary import FLAG_ORDER
from opora.schemas import OUTPUTS, TABLES, conform

if TYPE_CHECKING:
    from opora.engine.session import EngineSession
    from opora.engine.storage import Location


@dataclass
class RunSummary:
    """What a run did; ``run_json`` is the whole record ``run.json`` holds (and the web stores)."""

    engine: str
    rules_version: str
    years: list[int]
    flag_counts: dict[str, int]
    row_counts: dict[str, int]
    timings: dict[str, float]
    not_computed: list[str]
    run_json: dict[str, Any] = field(default_factory=dict)
    out_dir: Path | str | None = None  # a local directory or a URL (s3://…, hdfs://…)
    #: schools (not flags) with each flag in the last year of the window: what the run page and
    #: the overview count (a school may have a flag for several years or by several rules)
    school_counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        counts = self.school_counts or self.flag_counts
        flags = ", ".join(f"{k}: {v}" for k, v in counts.items() if v) or "флагов нет"
        where = f"результаты в {self.out_dir}" if self.out_dir else "результаты в памяти"
        return (f"анализ ({self.engine}, правила {self.rules_version}, годы "
                f"{', '.join(map(str, self.years)) or '—'}): {flags}; {where}")


@dataclass
class Evaluation:
    """The evaluation as Arrow tables of the declared schemas (:data:`opora.schemas.OUTPUTS`)."""

    school_stats: pa.Table
    flags: pa.Table
    context: pa.Table
    objectivity: pa.Table
    pairs: pa.Table
    unpaired: pa.Table
    summary: RunSummary
    #: What the rules read (``cell_stats`` and the small tables :data:`RULE_INPUTS`): kept with a
    #: run, they let the identification be redone with other settings without the student rows
    #: (:mod:`opora.engine.whatif`).
    rule_inputs: dict[str, pa.Table] = field(default_factory=dict)

    def tables(self) -> dict[str, pa.Table]:
        """The outputs by name, in the order of :data:`opora.schemas.OUTPUTS`."""
        return {name: getattr(self, name) for name in OUTPUTS}


#: The small input tables the identification and the context read, kept with ``cell_stats``.
RULE_INPUTS = ("reference", "schools", "context")

#: The rules' and the outputs' modules: SciPy's statistics and optimisation and every rule, about
#: 1.5–2 s of one core in a fresh process (issue 18), imported beside the engine's stage.
RULE_MODULES = ("opora.engine.rules_stage", "opora.engine.outputs")


def _import_rules_beside() -> None:
    """Import :data:`RULE_MODULES` on a thread while the engine's stage runs.

    The command used to spend these imports on one core before its first query; the query waits
    on DuckDB or Spark, so the imports now share the machine with it (issue 18). They start
    when the engine's query runs (:meth:`opora.engine.session.EngineSession.query_started`):
    begun earlier, they held the interpreter against the import of SQLFrame and the building of
    the query, and delayed its start by about a second. When the rules
    start, their ``import`` waits for the thread's (Python locks each module while it is being
    imported); a module that fails here is not kept, and that ``import`` raises the error again.
    """
    def load() -> None:
        try:
            for name in RULE_MODULES:
                importlib.import_module(name)
        except Exception:  # raised again, where it matters, by the rules' own import
            return

    threading.Thread(target=load, name="opora-import", daemon=True).start()



def analyze_tables(tables: Mapping[str, pa.Table], *, rules: Rules | Path | str | None = None,
                   years: tuple[int, int] | None = None, engine: str = "duckdb",
                   spark_master: str | None = None) -> Evaluation:
    """Run the whole analysis on normalised tables in memory; the outputs come back in memory.

    ``tables`` are named as in :data:`opora.schemas.TABLES` (missing ones are empty) and are
    conformed to their schemas; ``results`` is scanned by the engine where it lies, no file is
    written. ``rules``: a :class:`Rules`, a TOML file over the defaults, or ``None`` (defaults).
    ``spark_master``: the cluster of ``engine="spark"`` (``None``: Spark in local mode).
    """
    from opora.engine.aggregate import cell_stats_of_tables

    rules = rules if isinstance(rules, Rules) else load_rules(rules)
    timer = Timer()
    with timer.stage("inputs"):
        inputs = {name: conform(table, TABLES[name]) for name, table in tables.items()
                  if name in TABLES}
    return _evaluation(lambda: inputs, lambda es: cell_stats_of_tables(es, inputs, years=years),
                       rules=rules, engine=engine, years=years, timer=timer,
                       spark_master=spark_master)


def analyze(input_dir: Path | str | Location, out_dir: Path | str | Location, *,
            config_path: Path | str | None = None, engine: str = "duckdb",
            years: tuple[int, int] | None = None, spark_master: str | None = None,
            process_ends: bool = False) -> RunSummary:
    """Run the whole analysis on a directory of normalised tables and write the results.

    ``input_dir`` and ``out_dir`` are local directories or locations on S3-compatible storage or
    HDFS (``s3://bucket/prefix``, ``hdfs://host:port/path``; :mod:`opora.engine.storage`): the
    tables are read and the outputs written through the location's file system.
    ``spark_master``: the cluster of ``engine="spark"`` (``None``: Spark in local mode). Its
    executors read the student rows of ``input_dir`` themselves: a local directory must be at the
    same path on every node (on one machine any local path will do); S3 and HDFS they reach
    directly. ``process_ends``: the caller exits after this run (``opora analyze``), so the
    rules may keep freed memory for reuse (:mod:`opora.engine.memory`).
    """
    from opora.engine.aggregate import compute_cell_stats
    from opora.engine.io import checksums, read_small_tables
    from opora.engine.storage import as_location, storage_errors
    from opora.engine.threads import submit

    source, target = as_location(input_dir), as_location(out_dir)
    rules = load_rules(config_path)
    timer = Timer()

    def read() -> tuple[dict[str, pa.Table], dict[str, str]]:
        with timer.stage("read"):
            return read_small_tables(source), checksums(source)

    # the small tables and the checksums are read on a worker while the engine's stage runs:
    # only the rules need them (issue 18)
    reading = submit(read)
    # school_stats.parquet, the largest output, is written while the rules still run: Arrow
    # encodes it outside the interpreter on the core the rules leave idle (issue 18). It goes
    # under a temporary name and is moved into place only when every output is written, so a
    # run that fails leaves the directory's files as they were.
    early = ThreadPoolExecutor(1, thread_name_prefix="opora-write")
    written: list[Future[None]] = []
    partial = ".partial"
    stats_file = OUTPUTS["school_stats"].filename

    def write_school_stats(table: pa.Table) -> None:
        from opora.engine.outputs import write_output

        def write() -> None:
            target.fs.create_dir(target.path, recursive=True)
            write_output("school_stats", table, target, partial)

        written.append(early.submit(write))

    try:
        result = _evaluation(lambda: reading.result()[0],
                             lambda es: compute_cell_stats(es, source, years=years),
                             rules=rules, engine=engine, years=years, timer=timer,
                             spark_master=spark_master, school_stats_ready=write_school_stats,
                             process_ends=process_ends)
        sums = reading.result()[1]
        from opora.engine.outputs import write_outputs

        with timer.stage("write"):
            write_outputs(result.tables(), target,
                          written=["school_stats"] if written else [])
            with storage_errors(target, "записать результаты в"):
                for done in written:
                    done.result()
                    target.fs.move(target.child(stats_file + partial), target.child(stats_file))
    except BaseException:
        early.shutdown(wait=True)
        if written:
            with contextlib.suppress(Exception):
                target.fs.delete_file(target.child(stats_file + partial))
        raise
    early.shutdown(wait=True)
    summary = result.summary
    summary.out_dir = target.url if target.remote else Path(target.url)
    summary.run_json.update(input_dir=source.url, input_checksums=sums)
    text = json.dumps(summary.run_json, ensure_ascii=False, indent=2)
    with storage_errors(target, "записать результаты в"), \
            target.fs.open_output_stream(target.child("run.json")) as fh:
        fh.write(text.encode("utf-8"))
    return summary


def _evaluation(tables_of: Callable[[], Mapping[str, pa.Table]],
                cells_of: Callable[[EngineSession], pa.Table], *,
                rules: Rules, engine: str, years: tuple[int, int] | None,
                timer: Timer, spark_master: str | None = None,
                school_stats_ready: Callable[[pa.Table], None] | None = None,
                process_ends: bool = False) -> Evaluation:
    """The core both entry points share: the engine's stage, the rules, the declared outputs.

    ``tables_of`` gives the small tables once the engine's stage is done (they may still be
    read while it runs); ``school_stats_ready``: see :func:`opora.engine.rules_stage.evaluate`;
    ``process_ends``: the process exits after this run, so the rules may keep freed memory
    (:func:`opora.engine.memory.keep_freed_memory`)."""
    from opora.engine.session import open_session

    master = spark_master if engine == "spark" and spark_master else None
    with timer.stage("cell_stats"), open_session(engine, spark_master=master) as es:
        es.on_query_start.append(_import_rules_beside)
        cell_stats = cells_of(es)
    if es.on_query_start:  # the stage ran no per-cell query (no student rows): load them now
        es.query_started()
    tables = tables_of()
    from opora.engine.outputs import output_tables
    from opora.engine.rules_stage import evaluate, school_counts

    if process_ends:
        from opora.engine.memory import keep_freed_memory

        keep_freed_memory()
    found = evaluate(cell_stats, tables, rules, timer, school_stats_ready)
    with timer.stage("outputs"):
        outputs = output_tables(found.school_stats, found.flags, found.context,
                                found.objectivity, found.pairs, tables.get("schools"),
                                found.unpaired, found.window[-1] if found.window else None)
    counts = {name: table.num_rows for name, table in outputs.items()}
    counts["cell_stats"] = cell_stats.num_rows
    flag_counts = {f: sum(1 for x in found.flags if x.flag == f) for f in FLAG_ORDER}
    schools = school_counts(found.flags, found.window)
    summary = RunSummary(engine, rules.version, found.window, flag_counts, counts, timer.timings,
                         found.notes, school_counts=schools)
    summary.run_json = {
        "rules_version": rules.version, "rules_source": rules.source, "rules": rules.as_dict(),
        "engine": engine, "input_dir": None, "input_checksums": None,
        "years_requested": list(years) if years else None, "years_analysed": found.window,
        "input_rows": {k: t.num_rows for k, t in tables.items()},
        "output_rows": counts, "flag_counts": flag_counts, "school_counts": schools,
        "timings_s": timer.timings, "not_computed": found.notes,
        "indicators": found.indicators, "context_coefficients": found.coefficients,
    }
    if master:
        summary.run_json["spark_master"] = master
    rule_inputs = {"cell_stats": cell_stats,
                   **{name: tables[name] for name in RULE_INPUTS if name in tables}}
    return Evaluation(**outputs, summary=summary, rule_inputs=rule_inputs)
