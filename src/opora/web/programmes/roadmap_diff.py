"""The plan of a roadmap as data (a snapshot kept with each approved version and each review
round) and the difference between two plans in words.

The plan is what was approved: problems, goals, tasks, indicators and measures with their
deadlines and responsible people. How a measure is carried out (status, evidence, comments) is
monitoring, not a change of the plan, so it is not in the snapshot. Items are matched by their
record id, so a renamed measure is «изменено», not «удалено» and «добавлено».
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from opora.formats.templates.roadmap import format_targets
from opora.glossary import INDICATOR_DIRECTIONS, UNITS, programme_name, risk_factor_name
from opora.glossary import flag_label as _flag
from opora.numbers import number
from opora.web.programmes.models import Roadmap, RoadmapProblem

_KIND_NAMES = {"problem": "Проблема", "goal": "Цель", "task": "Задача",
               "indicator": "Показатель", "measure": "Мероприятие"}
_FIELD_NAMES = {"title": "формулировка", "risk_factors": "факторы риска",
                "flags": "отметки", "unit": "единица", "direction": "направление",
                "baseline": "базовое значение", "targets": "целевые значения",
                "source": "источник данных", "deadline": "срок", "responsible": "ответственный",
                "period": "период"}


def _indicator(i: Any) -> dict[str, Any]:
    return {"id": i.pk, "title": i.name, "unit": i.unit, "direction": i.direction,
            "baseline": i.baseline, "baseline_year": i.baseline_year,
            "targets": {str(k): v for k, v in sorted((i.targets or {}).items())},
            "source": i.source}


def _measure(m: Any) -> dict[str, Any]:
    return {"id": m.pk, "title": m.title,
            "deadline": m.deadline.isoformat() if m.deadline else None,
            "responsible_id": m.responsible_id,
            "responsible": m.responsible.name if m.responsible_id else ""}


def snapshot(roadmap: Roadmap, problems: list[RoadmapProblem]) -> dict[str, Any]:
    """The plan as JSON-ready data (``problems``: the roadmap's tree)."""
    return {"title": roadmap.title, "period": [roadmap.first_year, roadmap.last_year],
            "problems": [
                {"id": p.pk, "title": p.title, "risk_factors": list(p.risk_factors),
                 "flags": list(p.flags), "goals": [
                     {"id": g.pk, "title": g.title, "tasks": [
                         {"id": t.pk, "title": t.title,
                          "indicators": [_indicator(i) for i in t.indicators.all()],
                          "measures": [_measure(m) for m in t.measures.all()]}
                         for t in g.tasks.all()]}
                     for g in p.goals.all()]}
                for p in problems]}


@dataclass
class Change:
    kind: str  # problem, goal, task, indicator, measure
    title: str
    change: str  # «добавлено», «удалено», «изменено»
    details: list[str] = field(default_factory=list)

    @property
    def kind_name(self) -> str:
        return _KIND_NAMES[self.kind]


def _items(plan: dict[str, Any]) -> dict[tuple[str, int], dict[str, Any]]:
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for p in plan.get("problems", []):
        found[("problem", p["id"])] = p
        for g in p["goals"]:
            found[("goal", g["id"])] = g
            for t in g["tasks"]:
                found[("task", t["id"])] = t
                for i in t["indicators"]:
                    found[("indicator", i["id"])] = i
                for m in t["measures"]:
                    found[("measure", m["id"])] = m
    return found


def _shown(name: str, value: Any) -> str:
    if value in (None, "", [], {}):
        return "—"
    if name == "risk_factors":
        return "; ".join(risk_factor_name(c) for c in value)
    if name == "flags":
        return "; ".join(_flag(c) for c in value)
    if name == "unit":
        return programme_name(UNITS, value)
    if name == "direction":
        return programme_name(INDICATOR_DIRECTIONS, value)
    if name == "targets":
        return format_targets({int(k): float(v) for k, v in value.items()})
    if name == "deadline":
        return dt.date.fromisoformat(value).strftime("%d.%m.%Y")
    if isinstance(value, float):
        return number(value, 3, trim=True)
    return str(value)


_COMPARED = ("title", "risk_factors", "flags", "unit", "direction", "baseline", "targets",
             "source", "deadline", "responsible")


def plan_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """What changed from ``old`` to ``new``, in the new plan's order, removals last."""
    before, after = _items(old), _items(new)
    changes = []
    if old.get("period") != new.get("period"):
        changes.append(Change("problem", "Период программы", "изменено", [
            f"период: {'–'.join(map(str, old.get('period', [])))} → "
            f"{'–'.join(map(str, new.get('period', [])))}"]))
    for key, item in after.items():
        if key not in before:
            changes.append(Change(key[0], item["title"], "добавлено"))
            continue
        details = [f"{_FIELD_NAMES[name]}: {_shown(name, before[key].get(name))} → "
                   f"{_shown(name, item.get(name))}"
                   for name in _COMPARED if name in item
                   and before[key].get(name) != item.get(name)]
        if details:
            changes.append(Change(key[0], item["title"], "изменено", details))
    changes += [Change(key[0], item["title"], "удалено") for key, item in before.items()
                if key not in after]
    return changes
