"""The note's sections filled from the decisions app (issue 16), registered by
:class:`ReportsConfig` when that app is installed (reports stand above it and may read it).

* «Адресные рекомендации» — the municipality's recommendations of the list's year the coordinator
  accepted (or marked done / not done): «кому: текст (школа)»; suggestions not yet decided are
  not the municipality's word and are left out.
* «Управленческие решения» — decisions of the meetings held in the school year after the list
  (1 September – 31 August, as the support work): «решение — ответственный, срок».
"""

from __future__ import annotations

from typing import Any

from opora.web.reports.data import support_period
from opora.web.schools.models import Municipality

DECIDED = ("accepted", "done", "not_done")


def recommendations(municipality: Municipality, year: int) -> list[dict[str, Any]]:
    from opora.web.decisions.models.recommendations import Recommendation

    found = (Recommendation.objects.filter(municipality=municipality, year=year,
                                           status__in=DECIDED)
             .select_related("school").order_by("addressee", "pk"))
    return [{"text": f"{r.get_addressee_display()}: {r.text}"
                     + (f" ({r.school.short_name})" if r.school else ""),
             "addressee": r.get_addressee_display(), "status": r.get_status_display(),
             "school": r.school.short_name if r.school else ""} for r in found]


def decisions(municipality: Municipality, year: int) -> list[dict[str, Any]]:
    from opora.web.decisions.models.meetings import Decision

    start, end = support_period(year)
    found = (Decision.objects.filter(item__meeting__municipality=municipality,
                                     item__meeting__date__gte=start,
                                     item__meeting__date__lte=end)
             .select_related("item__meeting").order_by("item__meeting__date", "pk"))
    return [{"text": f"{d.text} — {d.responsible}, срок {d.deadline:%d.%m.%Y}",
             "responsible": d.responsible, "deadline": f"{d.deadline:%d.%m.%Y}",
             "status": d.get_status_display(),
             "meeting": f"{d.item.meeting.date:%d.%m.%Y}"} for d in found]


# --- from the monitoring app (issue 16): indicators and the effectiveness analysis ----------

def indicator_years(year: int) -> list[int]:
    """The note's year with the two before it, oldest first (the table's year columns)."""
    from opora.web.monitoring.selectors import default_years

    return default_years(year)


def indicators(municipality: Municipality, year: int) -> list[dict[str, Any]]:
    """The municipality's indicators (the monitoring page's table, :func:`municipal_table`) in
    the note's year and the two before it: ``values`` — one text per year, a share with its
    «числитель из знаменателя»."""
    from opora.web.monitoring.selectors import municipal_table

    rows, _listed = municipal_table(municipality, indicator_years(year))
    return [indicator_row(row) for row in rows]


def indicator_row(row: Any) -> dict[str, Any]:
    """A row of :mod:`opora.web.monitoring.selectors` (``Row``) as a report's row."""
    values = [cell.text + (f" ({cell.detail})" if cell.detail else "") for cell in row.cells]
    ind = row.indicator
    return {"criterion": ind.criterion if row.first_of_criterion else "",
            "criterion_name": ind.criterion, "code": ind.code, "name": ind.name_ru,
            "unit": ind.unit_word, "values": values,
            **{f"v{n}": text for n, text in enumerate(values, 1)},
            "value": values[-1], "typed": ind.typed}


def effectiveness(municipality: Municipality, year: int) -> list[dict[str, Any]] | None:
    """The effectiveness page's estimates (:func:`opora.web.monitoring.effect.analyse`) of the
    schools that entered the system by the note's year, each in the page's words."""
    from opora.numbers import number
    from opora.web.monitoring.effect import analyse

    analysis = analyse(municipality)
    if analysis.run is None:
        return None
    found = []
    for row in analysis.rows:
        e = row.effect
        if e.entry_year > year:
            continue
        found.append({
            "text": row.text,  # names the entry year and the works itself
            "work": row.work, "entry_year": e.entry_year, "treated": e.treated,
            "controls": e.controls,
            "effect": number(e.effect, 1) if e.effect is not None else "",
            "low": number(e.low, 1) if e.low is not None else "",
            "high": number(e.high, 1) if e.high is not None else "",
            "sentence": row.text})
    return found or None
