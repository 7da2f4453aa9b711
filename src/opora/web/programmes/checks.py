"""Completeness checks of a roadmap before review, shown to the school while it edits (issue 15):

1. every factor of high level in the school's risk profile is addressed by at least one goal
   (a goal under a problem linked to the factor);
2. every indicator has a unit, a baseline and a target; a share lies in 0–100 %; a target of an
   indicator «на рост» is not below its baseline (and of one «на снижение» not above it) — the
   same rule the roadmap workbook's reader applies
   (:func:`opora.formats.templates.roadmap.indicator_complaints`); targets are for years of the
   programme;
3. every measure has a deadline inside the programme period and a responsible person.

A roadmap with any of these problems cannot be sent for review.
"""

from __future__ import annotations

from dataclasses import dataclass

from opora.formats.templates.roadmap import indicator_complaints
from opora.glossary import risk_factor_name
from opora.web.programmes.models import Roadmap, RoadmapProblem


@dataclass(frozen=True)
class CheckProblem:
    where: str
    message: str
    anchor: str  # the element's id on the roadmap page


def _factor_problems(problems: list[RoadmapProblem], high: list[str]) -> list[CheckProblem]:
    addressed = {f for p in problems if p.goals.all() for f in p.risk_factors}
    return [CheckProblem("Рисковый профиль", f"фактор высокого риска «{risk_factor_name(f)}» "
                         "не закрыт ни одной целью: свяжите его с проблемой и поставьте цель",
                         "problems") for f in high if f not in addressed]


def completeness(roadmap: Roadmap, problems: list[RoadmapProblem],
                 high_factors: list[str]) -> list[CheckProblem]:
    """Everything missing or wrong, in the roadmap's order (``problems``: its tree)."""
    found = _factor_problems(problems, high_factors)
    years = set(roadmap.years)
    for problem in problems:
        for goal in problem.goals.all():
            for task in goal.tasks.all():
                for indicator in task.indicators.all():
                    targets = {int(y): float(v) for y, v in (indicator.targets or {}).items()}
                    where = f"Показатель «{indicator.name}»"
                    found += [CheckProblem(where, message, f"indicator-{indicator.pk}")
                              for _, message in indicator_complaints(
                                  unit=indicator.unit, direction=indicator.direction,
                                  baseline=indicator.baseline, targets=targets)]
                    found += [CheckProblem(where, f"цель на {year} год — вне периода программы "
                                           f"({roadmap.period_text})", f"indicator-{indicator.pk}")
                              for year in sorted(set(targets) - years)]
                for measure in task.measures.all():
                    where, anchor = f"Мероприятие «{measure.title}»", f"measure-{measure.pk}"
                    if measure.deadline is None:
                        found.append(CheckProblem(where, "нет срока", anchor))
                    elif not roadmap.period_start <= measure.deadline <= roadmap.period_end:
                        found.append(CheckProblem(
                            where, f"срок {measure.deadline:%d.%m.%Y} — вне периода программы "
                            f"({roadmap.period_text})", anchor))
                    if measure.responsible_id is None:
                        found.append(CheckProblem(where, "не назначен ответственный", anchor))
    return found
