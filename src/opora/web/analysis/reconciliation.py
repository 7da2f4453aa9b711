"""Official lists from above beside Опора's own flags: who is on both, only on one (issue 12).

DOMAIN.md, «Lists from above»: the ministry's or the region's ШНОР list, the 500+ participants
and the federal objectivity markers arrive as official lists — facts with a source and a year
(:class:`~opora.web.lists.models.OfficialListEntry`,
:class:`~opora.web.assessment.models.ObjectivityMarker`). Where the two disagree the system says
so. Each official list is compared with the Опора category it corresponds to, in the same year:

=========================================  ==============================================
official list                              Опора's flags of the year
=========================================  ==============================================
official ШНОР list, 500+ participants      ШНОР: low results or persistently low
official ШНСУ list                         ШНСУ: adverse context
federal objectivity markers (any marker)   signs of non-objective results
=========================================  ==============================================

Each school gets «в официальном списке и у Опоры», «только в официальном» or «только у Опоры»,
with the evidence of each side: the list's own source line, and Опора's flag evidence.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field

import xlsxwriter
from django.db.models import QuerySet

from opora.glossary import (
    ADVERSE_CONTEXT,
    LOW_RESULTS_FLAGS,
    NON_OBJECTIVE,
    OFFICIAL_LIST_KINDS,
)
from opora.web.analysis.models import AnalysisRun, RunFlag
from opora.web.assessment.models import ObjectivityMarker
from opora.web.core.ordering import natural_key
from opora.web.lists.models import OfficialListEntry
from opora.web.schools.models import Municipality, School

BOTH, ONLY_OFFICIAL, ONLY_OPORA = "both", "only_official", "only_opora"
AGREEMENT_NAMES = {BOTH: "в официальном списке и у Опоры", ONLY_OFFICIAL: "только в официальном",
                   ONLY_OPORA: "только у Опоры"}
MARKERS = "objectivity_markers"
_LIST_NAMES = {k.code: k.name_ru for k in OFFICIAL_LIST_KINDS}
_LIST_NAMES[MARKERS] = "федеральный список маркеров необъективности"
#: official list → the Опора flags it corresponds to (module docstring)
COMPARED: dict[str, frozenset[str]] = {
    "low_results_official": LOW_RESULTS_FLAGS,
    "project_500": LOW_RESULTS_FLAGS,
    "adverse_context_official": frozenset({ADVERSE_CONTEXT.code}),
    MARKERS: frozenset({NON_OBJECTIVE.code}),
}


@dataclass
class Row:
    school: School
    list_kind: str
    agreement: str
    official: list[str] = field(default_factory=list)  # the list's source lines
    opora: list[str] = field(default_factory=list)  # Опора's flag evidence

    @property
    def list_name(self) -> str:
        return _LIST_NAMES.get(self.list_kind, self.list_kind)

    @property
    def agreement_name(self) -> str:
        return AGREEMENT_NAMES[self.agreement]


def available_lists(municipality: Municipality, year: int) -> list[str]:
    """The official lists loaded for the municipality's schools in ``year``."""
    kinds = set(OfficialListEntry.objects.filter(school__municipality=municipality, year=year)
                .values_list("list_kind", flat=True).distinct())
    if ObjectivityMarker.objects.filter(school__municipality=municipality, year=year).exists():
        kinds.add(MARKERS)
    return [k for k in COMPARED if k in kinds]


def reconcile(run: AnalysisRun, municipality: Municipality, year: int) -> list[Row]:
    """Every school of ``municipality`` on an official list of ``year`` or flagged by ``run``
    in the corresponding category, for every official list loaded for that year."""
    schools: QuerySet[School] = School.objects.filter(municipality=municipality)
    rows: list[Row] = []
    opora_flags: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for school_id, flag, text in RunFlag.objects.filter(
            run=run, year=year, school__in=schools).values_list("school_id", "flag", "evidence"):
        opora_flags[school_id][flag].append(text)
    by_id = {s.pk: s for s in schools}
    for kind in available_lists(municipality, year):
        official = _official(kind, municipality, year)
        flagged = {sid for sid, flags in opora_flags.items() if set(flags) & COMPARED[kind]}
        for school_id in sorted(set(official) | flagged):
            agreement = (BOTH if school_id in official and school_id in flagged
                         else ONLY_OFFICIAL if school_id in official else ONLY_OPORA)
            evidence = [e for flag in COMPARED[kind] for e in opora_flags[school_id].get(flag, [])]
            rows.append(Row(by_id[school_id], kind, agreement, official.get(school_id, []),
                            evidence))
    return sorted(rows, key=lambda r: (list(COMPARED).index(r.list_kind),
                                       list(AGREEMENT_NAMES).index(r.agreement),
                                       natural_key(r.school.short_name)))


def _official(kind: str, municipality: Municipality, year: int) -> dict[int, list[str]]:
    """school id → the official side's source lines."""
    found: dict[int, list[str]] = defaultdict(list)
    if kind == MARKERS:
        for school_id, marker, source in ObjectivityMarker.objects.filter(
                school__municipality=municipality, year=year).values_list(
                "school_id", "marker", "source"):
            found[school_id].append(f"маркер {marker}" + (f" ({source})" if source else ""))
        return found
    for school_id, source in OfficialListEntry.objects.filter(
            school__municipality=municipality, year=year, list_kind=kind).values_list(
            "school_id", "source"):
        found[school_id].append(source or _LIST_NAMES[kind])
    return found


def counts(rows: list[Row]) -> list[tuple[str, dict[str, int]]]:
    """Per list: how many schools agree and disagree."""
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        table.setdefault(row.list_kind, {BOTH: 0, ONLY_OFFICIAL: 0, ONLY_OPORA: 0})[
            row.agreement] += 1
    return [(_LIST_NAMES[k], v) for k, v in table.items()]


def rows_to_xlsx(rows: list[Row], *, title: str) -> bytes:
    """The reconciliation as a workbook; every text cell written as text (no formulas)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Сверка")
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.write_string(0, 0, title, bold)
    header = ("Школа", "Официальный список", "Совпадение", "Официальный список: источник",
              "Опора: обоснование")
    widths = (40, 34, 28, 50, 70)
    for col, (name, width) in enumerate(zip(header, widths, strict=True)):
        sheet.write_string(2, col, name, bold)
        sheet.set_column(col, col, width)
    for i, row in enumerate(rows, start=3):
        for col, text in enumerate((row.school.short_name, row.list_name, row.agreement_name,
                                    "\n".join(row.official), "\n".join(row.opora))):
            sheet.write_string(i, col, text, wrap)
    sheet.freeze_panes(3, 1)
    sheet.autofilter(2, 0, 2 + len(rows), len(header) - 1)
    book.close()
    return buffer.getvalue()
