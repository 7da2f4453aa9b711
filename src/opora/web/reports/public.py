"""The public МСОКО page and open data: what a coordinator has made official or published, and
nothing else (issue 17).

Shown without signing in: per municipality, the **approved** official lists as counts of schools
per category and year (never a draft run, never a school's name or flags: non-stigmatising by
default), the number of the listed schools that received support in the school year after the
list and the events held for them, and the documents the coordinator published whose embargo
date has come. No figure about students is shown, so no group under 10 students can appear.
A school-level document is public only if the coordinator publishes it themselves.

Open data is the same rows (:func:`open_rows`) as CSV and JSON, their columns described by
:data:`DICTIONARY` (``docs/reports.md`` prints it).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from opora.glossary import HELD_STATUSES
from opora.web.analysis.models import (
    CATEGORY_ADVERSE,
    CATEGORY_BOTH,
    CATEGORY_LOW,
    CATEGORY_RISK,
    ApprovedList,
    Inclusion,
)
from opora.web.analysis.official import current_lists
from opora.web.core.fragments import versioned_key
from opora.web.core.history_tables import data_version
from opora.web.reports.data import support_period
from opora.web.reports.models import PublishedDocument
from opora.web.schools.models import Municipality, School
from opora.web.support.models import EventSchool

CACHE_SECONDS = 300

#: The open-data columns: name, type, unit, meaning.
DICTIONARY: tuple[tuple[str, str, str, str], ...] = (
    ("region", "строка", "", "регион"),
    ("municipality", "строка", "", "муниципалитет"),
    ("municipality_id", "целое", "", "номер муниципалитета в Опоре (постоянный)"),
    ("year", "целое", "год", "год утверждённого официального списка школ"),
    ("indicator", "строка", "", "код показателя (см. ниже)"),
    ("indicator_name", "строка", "", "название показателя"),
    ("value", "число", "", "значение"),
    ("unit", "строка", "", "единица измерения: «ед.» — единицы (школы, мероприятия)"),
)
#: The indicators of the open data: code → name (every value in units, «ед.»).
INDICATORS: dict[str, str] = {
    "schools_total": "Школ в муниципалитете",
    "schools_listed": "Школ в официальном списке года",
    "category_low": "Школ с низкими образовательными результатами (ШНОР)",
    "category_adverse": "Школ, функционирующих в неблагоприятных социальных условиях (ШНСУ)",
    "category_both": "Школ ШНОР и ШНСУ одновременно",
    "category_risk": "Школ зоны риска",
    "schools_helped": "Школ списка, получивших помощь в учебном году после списка",
    "events_held": "Мероприятий сопровождения, проведённых для школ списка",
}


def held_links(school_ids: list[int], start: Any, end: Any) -> Any:
    """Links of the schools to support events held from ``start`` to ``end`` (dates)."""
    return EventSchool.objects.filter(
        school_id__in=school_ids, event__status__in=HELD_STATUSES,
        event__starts_at__date__gte=start, event__starts_at__date__lte=end)


def public_municipalities() -> list[Municipality]:
    """Municipalities with a current approved list (their own or their region's) or a published
    document."""
    current = ApprovedList.objects.filter(withdrawn_at__isnull=True)
    own = set(current.filter(municipality__isnull=False).values_list("municipality_id",
                                                                     flat=True))
    regions = set(current.filter(municipality__isnull=True).values_list("region_id", flat=True))
    with_docs = set(PublishedDocument.objects.filter(withdrawn_at__isnull=True)
                    .values_list("municipality_id", flat=True))
    return list(Municipality.objects.filter(Q(pk__in=own | with_docs) | Q(region_id__in=regions))
                .select_related("region").order_by("name"))


def _year_rows(municipality: Municipality, total: int) -> list[dict[str, Any]]:
    rows = []
    for approved in current_lists(municipality):
        inclusions = Inclusion.objects.filter(approved_list=approved,
                                              school__municipality=municipality)
        by_category = Counter(dict(inclusions.values_list("category").annotate(n=Count("pk"))
                                   .values_list("category", "n")))
        start, end = support_period(approved.year)
        ids = list(inclusions.values_list("school_id", flat=True))
        held = held_links(ids, start, end)
        values = {"schools_total": total, "schools_listed": len(ids),
                  **{f"category_{name}": by_category.get(code, 0)
                     for name, code in (("low", CATEGORY_LOW), ("adverse", CATEGORY_ADVERSE),
                                        ("both", CATEGORY_BOTH), ("risk", CATEGORY_RISK))},
                  "schools_helped": held.values("school_id").distinct().count(),
                  "events_held": held.values("event_id").distinct().count()}
        rows.append({"year": approved.year, "values": values,
                     "indicators": [{"code": code, "name": INDICATORS[code], "value": value}
                                    for code, value in values.items()]})
    return rows


def municipality_public(municipality: Municipality) -> dict[str, Any]:
    """What the public page shows of one municipality (cached for :data:`CACHE_SECONDS`; a list
    or document approved, published or withdrawn shows at once: :func:`version` is in the key)."""
    key = versioned_key(f"reports:public:{municipality.pk}:{timezone.localdate().isoformat()}:"
                        f"{version()}")
    found = cache.get(key)
    if found is None:
        total = School.objects.filter(municipality=municipality).count()
        found = {"years": _year_rows(municipality, total), "documents": [
            {"pk": d.pk, "title": d.title, "year": d.year, "published_at": d.published_at}
            for d in public_documents(municipality)]}
        cache.set(key, found, CACHE_SECONDS)
    return found


def public_documents(municipality: Municipality) -> list[PublishedDocument]:
    return list(PublishedDocument.objects.filter(
        municipality=municipality, withdrawn_at__isnull=True,
        visible_from__lte=timezone.localdate()).defer("pdf", "docx").order_by("-year", "-pk"))


def version() -> str:
    """The newest approved or withdrawn official list and published or withdrawn document."""
    return data_version((), ((ApprovedList, "id"), (ApprovedList, "withdrawn_at"),
                             (PublishedDocument, "id"), (PublishedDocument, "withdrawn_at")))




def open_rows(municipalities: list[Municipality]) -> list[dict[str, Any]]:
    """The open data: one row per municipality × year × indicator."""
    rows = []
    for municipality in municipalities:
        for year in municipality_public(municipality)["years"]:
            for item in year["indicators"]:
                rows.append({"region": municipality.region.name,
                             "municipality": municipality.name,
                             "municipality_id": municipality.pk, "year": year["year"],
                             "indicator": item["code"], "indicator_name": item["name"],
                             "value": item["value"], "unit": "ед."})
    return rows
