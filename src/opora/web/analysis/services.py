"""Starting analysis runs: who may, with which rules; the run is recorded and queued.

:func:`run_start` checks the role and the configuration, records the run and queues it for the
background worker, which executes it (:mod:`opora.web.analysis.execution`). A request never runs
the engine.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from opora.engine import ConfigError, Rules, load_rules, load_rules_text
from opora.web.accounts.scope import Action, Viewer
from opora.web.analysis.execution import RULES_FILE, run_engine, run_execute
from opora.web.analysis.models import SCOPE_MUNICIPALITY, SCOPE_REGION, AnalysisRun
from opora.web.analysis.selectors import latest_finished_run
from opora.web.analysis.tasks import execute_analysis_run
from opora.web.schools.models import Municipality, Region

#: Where the rules a coordinator gives are, as an error about them says it (issue 13: a text
#: typed into the form was called «файл правила.toml»).
RULES_TYPED = "в поле «Правила»"


def rules_check(text: str, place: str = RULES_TYPED) -> Rules:
    """The rules a pasted or uploaded TOML gives (over the defaults); Russian error otherwise,
    saying ``place`` (the text box, or the uploaded file by its name)."""
    try:
        return load_rules_text(text, RULES_FILE, place=place)
    except ConfigError as exc:
        raise ValidationError(f"Правила не приняты: {exc}", code="rules") from None


def run_start(*, user: Any, municipality: Municipality | None = None,
              region: Region | None = None, year_from: int | None = None,
              year_to: int | None = None, rules_text: str = "") -> AnalysisRun:
    """Record a run and queue it; only a coordinator of the municipality (or a superuser).

    A region-wide run (``region`` without ``municipality``) is for superusers only.
    """
    if municipality is not None:
        if not Viewer.of(user).may(Action.START_RUN, municipality):
            raise PermissionDenied("Запускать расчёт может координатор этого муниципалитета.")
        region = municipality.region
    elif region is None or not Viewer.of(user).may(Action.START_RUN, None):
        raise PermissionDenied("Расчёт по всему региону запускает администратор системы.")
    if year_from and year_to and year_to < year_from:
        raise ValidationError("Последний год раньше первого.", code="years")
    rules = rules_check(rules_text)
    run = AnalysisRun.objects.create(
        created_by=user, scope=SCOPE_MUNICIPALITY if municipality else SCOPE_REGION,
        region=region, municipality=municipality, year_from=year_from, year_to=year_to,
        rules_text=rules_text, rules_version=rules.version, engine=run_engine()[0],
        message="Расчёт в очереди: его выполнит фоновый обработчик.")
    transaction.on_commit(lambda: execute_analysis_run.enqueue(run.pk))
    return run


def ensure_finished_run(*, municipality: Municipality) -> AnalysisRun:
    """The latest finished run of ``municipality``, running one now (synchronously) if none.

    For the demo: the overview has content on first start without waiting for the worker.
    """
    found = latest_finished_run(municipality=municipality)
    if found is not None:
        return found
    run = AnalysisRun.objects.create(scope=SCOPE_MUNICIPALITY, region=municipality.region,
                                     municipality=municipality,
                                     rules_version=load_rules().version)
    return run_execute(run_id=run.pk)


