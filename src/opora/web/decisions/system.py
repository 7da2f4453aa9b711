"""The municipal system as evidence: the nine parts of the management cycle (DOMAIN.md, «The
management cycle»), each with what Опора holds for it in a school year — counts and links to
the lists, events, programmes, indicators, recommendations and decisions — and the
coordinator's self-assessment (exists / used / analysed).

The monitoring app (indicators, effectiveness) is built alongside; its absence is tolerated in
:func:`_monitoring` only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from opora.glossary import HELD_STATUSES, INDICATORS
from opora.web.analysis.models import DONE, AnalysisRun, ApprovedList, Inclusion
from opora.web.context.models import ContextPassport
from opora.web.decisions.models import (
    Decision,
    Meeting,
    PlanMeasure,
    Recommendation,
    SelfAssessment,
)
from opora.web.decisions.terms import RECOMMENDATION_STATUSES, SYSTEM_PARTS, name
from opora.web.imports.models import ImportBatch
from opora.web.programmes.models import Roadmap, RoadmapGoal
from opora.web.schools.models import Municipality
from opora.web.staff.models import TeacherDiagnostic
from opora.web.support.models import SupportEvent


@dataclass
class Holding:
    """One thing Опора holds for a part: «Заседаний: 2» with a link to them."""

    label: str
    count: int | str
    link: str = ""


@dataclass
class Part:
    code: str
    number: int
    title: str
    holdings: list[Holding] = field(default_factory=list)
    exists: bool = False
    used: bool = False
    analysed: bool = False
    note: str = ""

    @property
    def holds_anything(self) -> bool:
        return any(h.count not in (0, "0", "нет") for h in self.holdings)


def _period(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (dt.datetime(year, 9, 1, tzinfo=tz), dt.datetime(year + 1, 9, 1, tzinfo=tz))


def _url(name_: str, query: str = "") -> str:
    try:
        return reverse(name_) + query
    except NoReverseMatch:
        return ""


def _monitoring(municipality: Municipality, year: int) -> dict[str, Any] | None:
    """What the monitoring app holds, if it is installed — the one place that asks: the
    indicators of its catalogue in force for ``year``, the typed values of the municipality,
    links to its pages. ``None`` without the app (or with a version this code does not know)."""
    if not apps.is_installed("opora.web.monitoring"):
        return None
    try:
        from opora.web.monitoring.catalogue import catalogue_for

        indicators = len(catalogue_for(year).indicators)
        typed = apps.get_model("monitoring", "TypedValue").objects.filter(
            school__municipality=municipality).count()
    except (ImportError, AttributeError, LookupError):
        return None
    return {"indicators": indicators, "typed": typed, "link": _url("monitoring:index"),
            "effect_link": _url("monitoring:effectiveness")}


def system_parts(municipality: Municipality, year: int) -> list[Part]:
    """The nine parts with their holdings and the saved self-assessment of ``year``."""
    m, town = municipality, f"?municipality={municipality.pk}"
    start, end = _period(year)
    schools = m.schools.all()
    lists = ApprovedList.objects.filter(municipality=m, withdrawn_at__isnull=True)
    in_system = Inclusion.objects.filter(approved_list__in=lists, school__municipality=m) \
        .values("school_id").distinct().count()
    roadmaps = Roadmap.objects.filter(school__municipality=m)
    goals = RoadmapGoal.objects.filter(problem__roadmap__school__municipality=m).count()
    plan = PlanMeasure.objects.filter(municipality=m, year=year)
    events = SupportEvent.objects.filter(municipality=m, status__in=HELD_STATUSES,
                                         starts_at__gte=start, starts_at__lt=end).count()
    recs = dict(Recommendation.objects.filter(municipality=m).values_list("status")
                .annotate(n=Count("pk")).values_list("status", "n"))
    meetings = Meeting.objects.filter(municipality=m, date__gte=start.date(),
                                      date__lt=end.date())
    decisions = Decision.objects.filter(item__meeting__in=meetings)
    monitoring = _monitoring(m, year)
    holdings: dict[str, list[Holding]] = {
        "goals": [Holding("Цели дорожных карт школ", goals, _url("programmes:home")),
                  Holding("Строк муниципального плана мероприятий", plan.count(),
                          _url("decisions:plan", f"{town}&year={year}"))],
        "indicators": [Holding("Показателей в каталоге",
                               monitoring["indicators"] if monitoring else len(INDICATORS),
                               (monitoring or {}).get("link", ""))],
        "data_sources": [
            Holding("Загрузок данных", ImportBatch.objects.filter(municipality=m).count(),
                    _url("import_history")),
            Holding("Социальных паспортов школ",
                    ContextPassport.objects.filter(school__in=schools).count()),
            Holding("Диагностик педагогов",
                    TeacherDiagnostic.objects.filter(teacher__school__in=schools).count())],
        "monitoring": [Holding("Мониторинг показателей",
                               "подключён" if monitoring else "нет",
                               (monitoring or {}).get("link", "")),
                       Holding("Показателей, введённых вручную",
                               monitoring["typed"] if monitoring else 0)],
        "analysis": [
            Holding("Выполненных расчётов", AnalysisRun.objects.filter(
                municipality=m, status=DONE).count(), _url("analysis:runs")),
            Holding("Утверждённых списков", lists.count(), _url("analysis:overview", town)),
            Holding("Школ в системе", in_system, _url("support:coverage", town))],
        "recommendations": [Holding(f"Рекомендаций: {name(RECOMMENDATION_STATUSES, code)}",
                                    recs.get(code, 0),
                                    _url("decisions:recommendations", f"{town}&status={code}"))
                            for code in ("suggested", "accepted", "done", "not_done")],
        "measures": [
            Holding("Проведённых мероприятий сопровождения", events, _url("support:events")),
            Holding("Дорожных карт школ", roadmaps.count(), _url("programmes:home")),
            Holding("Мероприятий плана выполнено",
                    f"{plan.filter(status='done').count()} из {plan.count()}",
                    _url("decisions:plan", f"{town}&year={year}"))],
        "decisions": [
            Holding("Заседаний", meetings.count(), _url("decisions:meetings", town)),
            Holding("Решений", decisions.count(), _url("decisions:meetings", town)),
            Holding("Решений исполнено", decisions.filter(status="done").count())],
        "effectiveness": [Holding("Анализ эффективности", "подключён" if monitoring and
                                  monitoring.get("effect_link") else "нет",
                                  (monitoring or {}).get("effect_link", ""))],
    }
    saved = {s.part: s for s in SelfAssessment.objects.filter(municipality=m, year=year)}
    parts = []
    for number, term in enumerate(SYSTEM_PARTS, start=1):
        mark = saved.get(term.code)
        parts.append(Part(code=term.code, number=number, title=term.name_ru,
                          holdings=holdings[term.code],
                          exists=bool(mark and mark.exists), used=bool(mark and mark.used),
                          analysed=bool(mark and mark.analysed),
                          note=mark.note if mark else ""))
    return parts
