"""Reading campaigns and documents: the coordinator's table of schools × documents with status
and days overdue, a school's documents, one document for whoever may see it.

A document is seen by those who see its school (Viewer) and by the experts assigned to review it
— never by another school. The table costs the same number of queries whatever the number of
schools (a test holds it).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from opora.glossary import DOCUMENT_STATUSES
from opora.web.accounts.scope import Viewer
from opora.web.programmes.models import CampaignSchool, DocumentCampaign, ProgramDocument
from opora.web.programmes.models.campaigns import OVERDUE, slot_status
from opora.web.schools.models import School

STATUS_NAMES = {t.code: t.name_ru for t in DOCUMENT_STATUSES}


@dataclass
class Cell:
    slot: str
    status: str
    document: ProgramDocument | None
    days_overdue: int
    days_late: int

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]


@dataclass
class TableRow:
    school: School
    cells: list[Cell]

    @property
    def overdue(self) -> int:
        return sum(1 for c in self.cells if c.status == OVERDUE)


@dataclass
class CampaignTable:
    campaign: DocumentCampaign
    rows: list[TableRow]
    today: dt.date
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def totals(self) -> list[tuple[str, str, int]]:
        return [(t.code, t.name_ru, self.counts[t.code]) for t in DOCUMENT_STATUSES]


def campaigns_visible(viewer: Viewer) -> QuerySet[DocumentCampaign]:
    """Campaigns of the viewer's municipalities and campaigns of schools the viewer sees."""
    if viewer.superuser:
        return DocumentCampaign.objects.all()
    towns = [m.pk for m in viewer.municipalities()]
    return DocumentCampaign.objects.filter(
        Q(municipality_id__in=towns)
        | Q(pk__in=CampaignSchool.objects.filter(school__in=viewer.schools()).values(
            "campaign_id"))).distinct()


def campaign_get(viewer: Viewer, pk: int) -> DocumentCampaign:
    """The campaign ``pk`` if :func:`campaigns_visible` holds it (the same rule, read for one
    campaign: by key, then its municipality, then — only for those who see schools, not
    municipalities — its schools; the union query with DISTINCT cost ~6 ms of Python to build on
    every campaign page)."""
    found = DocumentCampaign.objects.select_related("municipality").filter(pk=pk).first()
    if found is None or not (
            viewer.superuser or found.municipality_id in {m.pk for m in viewer.municipalities()}
            or CampaignSchool.objects.filter(campaign=found,
                                             school__in=viewer.schools()).exists()):
        raise Http404("Кампания не найдена или недоступна")
    return found


def _cell(slot: str, document: ProgramDocument | None, deadline: dt.date,
          today: dt.date) -> Cell:
    status = slot_status(document, deadline, today)
    overdue = (today - deadline).days if status == OVERDUE else 0
    late = document.days_late(deadline) if document is not None else 0
    return Cell(slot, status, document, overdue, late)


def campaign_table(*, viewer: Viewer, campaign: DocumentCampaign,
                   today: dt.date) -> CampaignTable:
    """The campaign's schools the viewer sees × its slots (three queries)."""
    schools = list(viewer.schools().filter(
        pk__in=CampaignSchool.objects.filter(campaign=campaign).values("school_id"))
        .order_by("number", "short_name", "pk"))
    documents = {(d.school_id, d.slot): d for d in ProgramDocument.objects.filter(
        campaign=campaign, school__in=[s.pk for s in schools]).annotate(
        version_count=Count("versions"))}
    table = CampaignTable(campaign, [], today)
    for school in schools:
        cells = [_cell(slot, documents.get((school.pk, slot)), campaign.deadline, today)
                 for slot in campaign.slots]
        table.counts.update(c.status for c in cells)
        table.rows.append(TableRow(school, cells))
    return table


def school_campaigns(school: School, today: dt.date) -> list[tuple[DocumentCampaign, list[Cell]]]:
    """The school's campaigns, latest deadline first, each with the school's cells."""
    campaigns = list(DocumentCampaign.objects.filter(campaign_schools__school=school)
                     .order_by("-deadline", "-pk"))
    documents = {(d.campaign_id, d.slot): d for d in ProgramDocument.objects.filter(
        school=school, campaign__in=campaigns).annotate(version_count=Count("versions"))}
    return [(c, [_cell(slot, documents.get((c.pk, slot)), c.deadline, today)
                 for slot in c.slots]) for c in campaigns]


def documents_visible(viewer: Viewer) -> QuerySet[ProgramDocument]:
    """Documents of schools the viewer sees, and documents the viewer is assigned to review."""
    if viewer.superuser:
        return ProgramDocument.objects.all()
    reviewed = ProgramDocument.objects.filter(
        review_items__assignments__reviewer_id=viewer.user.pk,
        review_items__assignments__withdrawn_at__isnull=True).values("pk")
    return ProgramDocument.objects.filter(Q(school__in=viewer.schools()) | Q(pk__in=reviewed))


def document_get(viewer: Viewer, pk: int) -> ProgramDocument:
    found = (documents_visible(viewer).select_related("campaign", "school__municipality")
             .filter(pk=pk).first()) if viewer.active else None
    if found is None:
        raise Http404("Документ не найден или недоступен")
    return found
