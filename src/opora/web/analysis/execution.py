"""Executing one analysis run: what the background task does.

Export the scope's tables from the database as Arrow tables, run the engine on them in memory
(:func:`opora.engine.analyze_tables`: no file is written or read back), load the output tables —
updating the run's stage and progress so the page can poll it. A request never runs the engine
(:mod:`opora.web.analysis.services` only queues the run). With ``OPORA_SPARK_MASTER`` set the
engine's stage runs on that Spark cluster (:func:`run_engine`), not in this process.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from opora.engine import ConfigError, analyze_tables, load_rules_text
from opora.engine.session import EngineUnavailable
from opora.web.analysis.export import export_tables
from opora.web.analysis.labels import done_message
from opora.web.analysis.loading import load_outputs
from opora.web.analysis.models import (
    CANCELLED,
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    STAGE_ENGINE,
    STAGE_EXPORT,
    STAGE_LOAD,
    AnalysisRun,
)
from opora.web.analysis.stopping import cancelled_message
from opora.web.analysis.unpaired import load_unpaired
from opora.web.analysis.whatif import rule_inputs_store
from opora.web.core.background import heartbeat
from opora.web.schools.models import School

logger = logging.getLogger(__name__)
RULES_FILE = "правила.toml"


def _progress(run: AnalysisRun, **fields: Any) -> bool:
    """Save progress at once (the page polling the run reads it while the task works).

    Only while the run is still running: a run cancelled at once (its worker looked dead) or
    reset as interrupted keeps its final state. Returns whether the run was updated.
    """
    fields["updated_at"] = timezone.now()
    for name, value in fields.items():
        setattr(run, name, value)
    return AnalysisRun.objects.filter(pk=run.pk, status=RUNNING).update(**fields) == 1


def _claim(run: AnalysisRun) -> bool:
    """QUEUED → RUNNING, unless the run was cancelled (or claimed) meanwhile."""
    now = timezone.now()
    fields = {"status": RUNNING, "stage": STAGE_EXPORT, "progress": 5, "started_at": now,
              "updated_at": now, "message": "Выгрузка данных из базы…"}
    claimed = AnalysisRun.objects.filter(pk=run.pk, status=QUEUED).update(**fields) == 1
    if claimed:
        for name, value in fields.items():
            setattr(run, name, value)
    return claimed


def run_engine() -> tuple[str, str | None]:
    """The engine of a run and its cluster: Spark on ``OPORA_SPARK_MASTER`` when it is set
    (a region's or a country's run is not computed on the web server), otherwise DuckDB here."""
    master = (getattr(settings, "OPORA_SPARK_MASTER", "") or "").strip()
    return ("spark", master) if master else ("duckdb", None)


def _scope_schools(run: AnalysisRun) -> Any:
    if run.municipality_id is not None:
        return School.objects.filter(municipality_id=run.municipality_id)
    return School.objects.filter(municipality__region_id=run.region_id)


def run_execute(*, run_id: int) -> AnalysisRun:
    """Export → engine → load for one queued run; the run records any failure in Russian.

    A cancel request (:func:`opora.web.analysis.stopping.run_cancel`) is honoured between the
    stages and once more inside the loading transaction, so a cancelled run never has results.
    """
    run = AnalysisRun.objects.get(pk=run_id)
    if not _claim(run):  # cancelled before a worker took it, or a task delivered twice
        run.refresh_from_db()
        return run
    timings: dict[str, float] = {}
    try:
        with heartbeat(lambda: AnalysisRun.objects.filter(pk=run.pk, status=RUNNING)
                       .update(updated_at=timezone.now())):
            _execute(run, timings)
    except _Cancelled:
        _progress(run, status=CANCELLED, stage="", finished_at=timezone.now(), timings=timings,
                  message=cancelled_message(run))
    except _Stopped:
        pass  # cancelled at once or reset meanwhile: the run already says so
    except (ConfigError, EngineUnavailable, _NothingToAnalyse) as exc:
        _progress(run, status=FAILED, finished_at=timezone.now(), timings=timings,
                  message=f"Расчёт не выполнен: {exc}")
    except Exception as exc:  # the page shows a message, the log keeps the traceback
        logger.exception("analysis run %s failed", run.pk)
        _progress(run, status=FAILED, finished_at=timezone.now(), timings=timings,
                  message=f"Расчёт не выполнен из-за внутренней ошибки ({type(exc).__name__}: "
                          f"{exc}). Сообщите администратору; данные не изменены.")
    run.refresh_from_db()
    return run


class _NothingToAnalyse(Exception):
    pass


class _Cancelled(Exception):
    """A coordinator asked to cancel the run: stop before the next stage."""


class _Stopped(Exception):
    """The run is no longer running (cancelled at once, or reset as interrupted): just stop."""


def _checkpoint(run: AnalysisRun, *, lock: bool = False) -> None:
    """Between stages: stop if the run was cancelled or is no longer ours to finish.

    ``lock`` (inside the loading transaction) holds the run's row until the commit, so a cancel
    request either comes before the check or finds the run already done.
    """
    rows = AnalysisRun.objects.filter(pk=run.pk)
    if lock:
        rows = rows.select_for_update()
    status, cancel_requested_at = rows.values_list("status", "cancel_requested_at").get()
    if status != RUNNING:
        raise _Stopped
    if cancel_requested_at is not None:
        raise _Cancelled


def _execute(run: AnalysisRun, timings: dict[str, float]) -> None:
    _checkpoint(run)
    start = time.perf_counter()
    tables = export_tables(schools_qs=_scope_schools(run))
    if tables["results"].num_rows == 0 and tables["aggregates"].num_rows == 0:
        raise _NothingToAnalyse(f"для «{run.scope_name}» не загружено ни одного результата "
                                "оценочных процедур.")
    rules = load_rules_text(run.rules_text, RULES_FILE)
    timings["export"] = round(time.perf_counter() - start, 3)
    _checkpoint(run)
    engine, master = run_engine()
    _progress(run, stage=STAGE_ENGINE, progress=30, engine=engine,
              message="Расчёт на кластере Spark…" if master else "Расчёт…")
    start = time.perf_counter()
    years = (run.year_from or 1900, run.year_to or 2999) if run.year_from or run.year_to else None
    evaluation = analyze_tables(tables, rules=rules, years=years, engine=engine,
                                spark_master=master)
    del tables  # the student rows are not needed any more: free them before loading
    timings["engine"] = round(time.perf_counter() - start, 3)
    summary = evaluation.summary
    if not summary.years:
        raise _NothingToAnalyse(f"в годах {run.years_label} нет результатов для анализа.")
    _checkpoint(run)
    _progress(run, stage=STAGE_LOAD, progress=80, message="Сохранение результатов…")
    rule_inputs_store(run, evaluation.rule_inputs)  # for the what-if (analysis/whatif.py)
    start = time.perf_counter()
    with transaction.atomic():  # the results and «готов» together, or neither
        _checkpoint(run, lock=True)
        outputs = evaluation.tables()
        counts = load_outputs(run, outputs)
        counts["unpaired"] = load_unpaired(run, outputs.get("unpaired"))
        timings["load"] = round(time.perf_counter() - start, 3)
        _progress(run, status=DONE, stage="", progress=100, finished_at=timezone.now(),
                  timings=timings, counts=counts, run_json=summary.run_json,
                  rules_version=summary.rules_version,
                  message=done_message(list(summary.years), dict(summary.school_counts),
                                       schools=True))
    # the commit writes what «load» wrote to disk (half the time of a country, issue 18): its
    # own stage, recorded after it, on the finished run
    timings["commit"] = round(time.perf_counter() - start - timings["load"], 3)
    AnalysisRun.objects.filter(pk=run.pk).update(timings=timings)
