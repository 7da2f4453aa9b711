"""Starting and executing analysis runs.

:func:`run_start` checks the role and the configuration, records the run and queues it;
:func:`run_execute` is what the background task does: export the scope's tables from the
database, run the engine (DuckDB) on them in a temporary directory, load the outputs — updating
the run's stage and progress so the page can poll it. A request never runs the engine.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from opora.engine import ConfigError, Rules, analyze, load_rules
from opora.web.analysis.loading import load_outputs
from opora.web.analysis.models import (
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    SCOPE_MUNICIPALITY,
    SCOPE_REGION,
    STAGE_ENGINE,
    STAGE_EXPORT,
    STAGE_LOAD,
    AnalysisRun,
)
from opora.web.analysis.selectors import coordinated_municipalities
from opora.web.imports.export import export_tables
from opora.web.schools.models import Municipality, Region, School

logger = logging.getLogger(__name__)
RULES_FILE = "правила.toml"


def rules_check(text: str) -> Rules:
    """The rules a pasted or uploaded TOML gives (over the defaults); Russian error otherwise."""
    with tempfile.TemporaryDirectory(prefix="opora-rules-") as tmp:
        path = Path(tmp) / RULES_FILE
        path.write_text(text, encoding="utf-8")
        try:
            return load_rules(path if text.strip() else None)
        except ConfigError as exc:
            raise ValidationError(f"Правила не приняты: {exc}", code="rules") from None


def run_start(*, user: Any, municipality: Municipality | None = None,
              region: Region | None = None, year_from: int | None = None,
              year_to: int | None = None, rules_text: str = "") -> AnalysisRun:
    """Record a run and queue it; only a coordinator of the municipality (or a superuser).

    A region-wide run (``region`` without ``municipality``) is for superusers only.
    """
    if municipality is not None:
        if municipality.pk not in {m.pk for m in coordinated_municipalities(user)}:
            raise PermissionDenied("Запускать расчёт может координатор этого муниципалитета.")
        region = municipality.region
    elif region is None or not getattr(user, "is_superuser", False):
        raise PermissionDenied("Расчёт по всему региону запускает администратор системы.")
    if year_from and year_to and year_to < year_from:
        raise ValidationError("Последний год раньше первого.", code="years")
    rules = rules_check(rules_text)
    run = AnalysisRun.objects.create(
        created_by=user, scope=SCOPE_MUNICIPALITY if municipality else SCOPE_REGION,
        region=region, municipality=municipality, year_from=year_from, year_to=year_to,
        rules_text=rules_text, rules_version=rules.version,
        message="Расчёт в очереди: его выполнит фоновый обработчик.")
    from opora.web.analysis.tasks import execute_analysis_run

    transaction.on_commit(lambda: execute_analysis_run.enqueue(run.pk))
    return run


def ensure_finished_run(*, municipality: Municipality) -> AnalysisRun:
    """The latest finished run of ``municipality``, running one now (synchronously) if none.

    For the demo: the overview has content on first start without waiting for the worker.
    """
    from opora.web.analysis.selectors import latest_finished_run

    found = latest_finished_run(municipality=municipality)
    if found is not None:
        return found
    run = AnalysisRun.objects.create(scope=SCOPE_MUNICIPALITY, region=municipality.region,
                                     municipality=municipality,
                                     rules_version=load_rules().version)
    return run_execute(run_id=run.pk)


def _progress(run: AnalysisRun, **fields: Any) -> None:
    """Save progress at once (the page polling the run reads it while the task works)."""
    for name, value in fields.items():
        setattr(run, name, value)
    AnalysisRun.objects.filter(pk=run.pk).update(**fields)


def _scope_schools(run: AnalysisRun) -> Any:
    if run.municipality_id is not None:
        return School.objects.filter(municipality_id=run.municipality_id)
    return School.objects.filter(municipality__region_id=run.region_id)


def run_execute(*, run_id: int) -> AnalysisRun:
    """Export → engine → load for one queued run; the run records any failure in Russian."""
    run = AnalysisRun.objects.get(pk=run_id)
    if run.status != QUEUED:  # a task delivered twice does not redo (or undo) a run
        return run
    timings: dict[str, float] = {}
    _progress(run, status=RUNNING, stage=STAGE_EXPORT, progress=5, started_at=timezone.now(),
              message="Выгрузка данных из базы…")
    try:
        with tempfile.TemporaryDirectory(prefix="opora-run-") as tmp:
            _execute(run, Path(tmp), timings)
    except (ConfigError, _NothingToAnalyse) as exc:
        _progress(run, status=FAILED, finished_at=timezone.now(), timings=timings,
                  message=f"Расчёт не выполнен: {exc}")
    except Exception as exc:  # the page shows a message, the log keeps the traceback
        logger.exception("analysis run %s failed", run.pk)
        _progress(run, status=FAILED, finished_at=timezone.now(), timings=timings,
                  message=f"Расчёт не выполнен из-за внутренней ошибки ({type(exc).__name__}: "
                          f"{exc}). Сообщите администратору; данные не изменены.")
    return run


class _NothingToAnalyse(Exception):
    pass


def _execute(run: AnalysisRun, tmp: Path, timings: dict[str, float]) -> None:
    start = time.perf_counter()
    tables = export_tables(schools_qs=_scope_schools(run))
    if tables["results"].num_rows == 0 and tables["aggregates"].num_rows == 0:
        raise _NothingToAnalyse(f"для «{run.scope_name}» не загружено ни одного результата "
                                "оценочных процедур.")
    source = tmp / "tables"
    source.mkdir()
    for name, table in tables.items():
        pq.write_table(table, source / f"{name}.parquet")
    config = None
    if run.rules_text.strip():
        config = tmp / RULES_FILE
        config.write_text(run.rules_text, encoding="utf-8")
    timings["export"] = round(time.perf_counter() - start, 3)
    _progress(run, stage=STAGE_ENGINE, progress=30, message="Расчёт (движок DuckDB)…")
    start = time.perf_counter()
    years = (run.year_from or 1900, run.year_to or 2999) if run.year_from or run.year_to else None
    summary = analyze(source, tmp / "out", config_path=config, engine=run.engine, years=years)
    timings["engine"] = round(time.perf_counter() - start, 3)
    if not summary.years:
        raise _NothingToAnalyse(f"в годах {run.years_label} нет результатов для анализа.")
    _progress(run, stage=STAGE_LOAD, progress=80, message="Сохранение результатов…")
    start = time.perf_counter()
    counts = load_outputs(run, tmp / "out")
    timings["load"] = round(time.perf_counter() - start, 3)
    run_json = json.loads((tmp / "out" / "run.json").read_text("utf-8"))
    flags = ", ".join(f"{k}: {v}" for k, v in summary.flag_counts.items() if v) or "отметок нет"
    _progress(run, status=DONE, stage="", progress=100, finished_at=timezone.now(),
              timings=timings, counts=counts, run_json=run_json,
              rules_version=summary.rules_version,
              message=f"Готово. Годы: {', '.join(map(str, summary.years)) or '—'}; {flags}.")
