"""The indicator tables and a filled expert sheet as documents (issue 17).

* «indicators» — the monitoring pages' tables in seed 001's form (Критерий / Показатель /
  Единица измерения / one column per year): the municipality's and each of its schools', or one
  school's, for the year asked and the two before it. The values are those of the pages and the
  API (:mod:`opora.web.monitoring.selectors`), each share with «числитель из знаменателя».
* «review» — one expert's submitted sheet of the programmes app: criteria with their scale, the
  expert's scores and comments, the total against the maximum.

Scope is the Viewer's, as on the pages (``Action.SEE_MONITORING``; the sheet's own reader rule of
:func:`opora.web.programmes.selectors.reviews.assignment_get`); outside it, or without data, a
:class:`ReportDataMissing` in Russian.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from opora.web.accounts.scope import Action, Viewer
from opora.web.core.ordering import natural_key
from opora.web.reports.data import NONE, ReportDataMissing, _date, common
from opora.web.reports.providers import indicator_row, indicator_years
from opora.web.schools.models import Municipality, School


def _has_data(rows: list[Any]) -> bool:
    """A fact counted in the last year: a numerator above zero or a typed value."""
    for row in rows:
        counted = row.cells[-1].counted
        if counted is not None and (counted.kind == "typed" or counted.numerator > 0):
            return True
    return False


def _flat(school: School, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"school": school.short_name, **row} for row in rows]


def indicators_context(viewer: Viewer, municipality: Municipality | None, year: int,
                       school: School | None = None) -> dict[str, Any]:
    """The municipality's table and its schools' (those the viewer sees), or one school's."""
    # ``_rows`` is what ``school_table`` does for one school; here the values of all schools
    # are computed in one ``school_values_by_year`` (one read of the facts, not one per school)
    from opora.web.monitoring.catalogue import SCHOOL, catalogue_for
    from opora.web.monitoring.selectors import (
        _rows,
        municipal_table,
        school_values_by_year,
    )

    years = indicator_years(year)
    town_rows: list[Any] = []
    if school is not None:
        if not viewer.may(Action.SEE_MONITORING, school):
            raise ReportDataMissing(f"Школа «{school.short_name}» не найдена или недоступна.")
        municipality, schools = school.municipality, [school]
    else:
        assert municipality is not None
        if not viewer.may(Action.SEE_MONITORING, municipality):
            raise ReportDataMissing(
                f"Муниципалитет «{municipality.name}» не найден или недоступен.")
        town_rows, _listed = municipal_table(municipality, years)
        schools = sorted((s for s in viewer.schools().filter(municipality=municipality)
                          if viewer.may(Action.SEE_MONITORING, s)),
                         key=lambda s: natural_key(s.short_name))
    per = school_values_by_year(schools, years)
    indicators = catalogue_for(years[-1]).of_level(SCHOOL)
    school_rows = {s.pk: _rows(indicators, years, {y: per[(s.pk, y)] for y in years},
                               school=s.pk) for s in schools}
    if not (_has_data(town_rows) or any(_has_data(r) for r in school_rows.values())):
        where = f"«{school.short_name}»" if school is not None else f"«{municipality.name}»"
        raise ReportDataMissing(
            f"За {year} год нет данных показателей для {where}: не записано ни одного факта "
            "(педагогов с диагностикой, мероприятий сопровождения, результатов, сетевых пар, "
            "показателей, введённых вручную). Выберите другой год.")
    context = common(municipality, year)
    context["years"] = years
    context["municipal"] = {"available": bool(town_rows),
                            "rows": [indicator_row(r) for r in town_rows]}
    context["schools"] = [{"name": s.short_name, "full_name": s.full_name, "key": s.key,
                           "rows": [indicator_row(r) for r in school_rows[s.pk]]}
                          for s in schools]
    context["school_rows"] = [row for s, found in zip(schools, context["schools"], strict=True)
                              for row in _flat(s, found["rows"])]
    return context


def review_sheet(viewer: Viewer, pk: int) -> Any:
    """The submitted sheet ``pk`` as the viewer may read it (the sheet page's rule)."""
    from opora.web.programmes.selectors.reviews import assignment_get

    try:
        found = assignment_get(viewer, pk)
    except Http404:
        raise ReportDataMissing(f"Экспертный лист № {pk} не найден или недоступен.") from None
    if found.submitted_at is None:
        raise ReportDataMissing(f"Экспертный лист № {pk} ещё не отправлен экспертом: документ "
                                "строится по заполненному и отправленному листу.")
    return found


def review_context(assignment: Any) -> dict[str, Any]:
    """The sheet: the campaign, the work reviewed, the expert, criteria with scores."""
    item = assignment.item
    campaign = item.campaign
    scores = {s.criterion_id: s for s in assignment.scores.all()}
    criteria, total, maximum = [], 0, 0
    for criterion in campaign.rubric.criteria.all():
        found = scores.get(criterion.pk)
        maximum += criterion.max_score
        total += found.score if found is not None else 0
        criteria.append({
            "code": criterion.code, "title": criterion.title,
            "description": criterion.description,
            "scale": "; ".join(f"{s} — {d}" if d else str(s) for s, d in criterion.scale),
            "min_score": criterion.min_score, "max_score": criterion.max_score,
            "score": found.score if found is not None else NONE,
            "comment": (found.comment if found is not None else "") or NONE})
    context = common(campaign.municipality, assignment.submitted_at.year)
    what = item.subject_label + (f", версия {item.version_number}" if item.version_number
                                 else "")
    context["review"] = {
        "id": assignment.pk, "campaign": campaign.title, "rubric": campaign.rubric.title,
        "school": item.school.short_name, "school_full_name": item.school.full_name,
        "subject": what, "round": item.round,
        "reviewer": assignment.reviewer.get_full_name() or assignment.reviewer.get_username(),
        "submitted": _date(assignment.submitted_at), "deadline": _date(campaign.deadline),
        "overall_comment": assignment.overall_comment or NONE,
        "total": total, "maximum": maximum}
    context["criteria"] = criteria
    return context
