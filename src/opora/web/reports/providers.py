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
