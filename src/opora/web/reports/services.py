"""Building a report in a format, uploading and resetting a template, publishing a document.

Writes are keyword-only, atomic and checked by the Viewer first; a refused one writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opora.web.accounts.scope import Action, Viewer
from opora.web.reports import data, tables
from opora.web.reports.docx import check_template, render_docx
from opora.web.reports.models import (
    KIND_CHOICES,
    KIND_INDICATORS,
    KIND_NOTE,
    KIND_PROTOCOL,
    KIND_REVIEW,
    KIND_SCHOOL,
    PublishedDocument,
    ReportTemplate,
)
from opora.web.reports.pdf import render_pdf
from opora.web.reports.xlsx import render_xlsx
from opora.web.schools.models import Municipality, School

FORMATS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "pdf": "application/pdf",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
KIND_NAMES = dict(KIND_CHOICES)
MANAGE = "Шаблоны и публикацию отчётов муниципалитета ведёт его координатор."


@dataclass(frozen=True)
class Built:
    filename: str
    content_type: str
    content: bytes
    title: str


def context_of(*, viewer: Viewer, kind: str, municipality: Municipality | None = None,
               year: int | None = None, school: School | None = None,
               meeting: data.Meeting | None = None, review: int | None = None,
               ) -> tuple[dict[str, Any], str]:
    """The report's context and its title (ReportDataMissing in Russian when data is missing
    or outside the viewer's scope)."""
    if kind == KIND_SCHOOL:
        assert school is not None
        return data.school_context(school), f"Профиль школы — {school.short_name}"
    if kind == KIND_REVIEW:
        if review is None:
            raise data.ReportDataMissing("Укажите номер экспертного листа.")
        sheet = tables.review_sheet(viewer, review)
        context = tables.review_context(sheet)
        context.update({"_municipality": sheet.item.campaign.municipality, "_sheet": sheet})
        return context, f"Экспертный лист № {sheet.pk} — {sheet.item.school.short_name}"
    if kind == KIND_INDICATORS:
        if year is None:
            raise data.ReportDataMissing("Укажите год таблицы показателей.")
        context = tables.indicators_context(viewer, municipality, year, school)
        where = school.short_name if school is not None else context["municipality"]
        return context, f"Показатели — {where}, {context['years'][0]}–{year}"
    assert municipality is not None and year is not None
    if kind == KIND_PROTOCOL:
        return (data.protocol_context(viewer, municipality, year, meeting or data.Meeting()),
                f"Протокол рабочей группы — {municipality.name}, {year}")
    return (data.note_context(viewer, municipality, year),
            f"Аналитическая справка — {municipality.name}, {year}")


def _stem(kind: str, year: int | None, school: School | None, review: int | None) -> str:
    if kind == KIND_INDICATORS:
        return f"показатели-{school.key + '-' if school else ''}{year}"
    return {KIND_NOTE: f"справка-{year}", KIND_PROTOCOL: f"протокол-{year}",
            KIND_SCHOOL: f"профиль-{school.key if school else ''}",
            KIND_REVIEW: f"экспертный-лист-{review}"}[kind]


def build(*, viewer: Viewer, kind: str, fmt: str, municipality: Municipality | None = None,
          year: int | None = None, school: School | None = None,
          meeting: data.Meeting | None = None, review: int | None = None) -> Built:
    """The report of ``kind`` in ``fmt`` (docx, pdf, xlsx) as the viewer may see it."""
    if fmt not in FORMATS:
        raise ValidationError(f"Неизвестный формат «{fmt}»: docx, pdf или xlsx.", code="format")
    if kind not in KIND_NAMES:
        raise ValidationError("Неизвестный вид отчёта.", code="kind")
    context, title = context_of(viewer=viewer, kind=kind, municipality=municipality, year=year,
                                school=school, meeting=meeting, review=review)
    sheet = context.pop("_sheet", None)  # the review's record: never handed to a template
    place = context.pop("_municipality", None) or (
        school.municipality if school is not None else municipality)
    if fmt == "docx":
        content = render_docx(kind, context, place)
    elif fmt == "pdf":
        content = render_pdf(kind, context)
    elif sheet is not None:  # the review: the programmes app's own sheet (the page's XLSX)
        from opora.web.programmes.review_xlsx import sheet_xlsx

        content = sheet_xlsx(sheet)
    else:
        content = render_xlsx(kind, context, title)
    return Built(f"{_stem(kind, year, school, review)}.{fmt}", FORMATS[fmt], content, title)


@transaction.atomic
def template_upload(*, user: Any, municipality: Municipality, kind: str, name: str,
                    content: bytes) -> ReportTemplate:
    """Accept a coordinator's template of ``kind`` after :func:`check_template`; replaces theirs."""
    Viewer.of(user).require(Action.MANAGE_REPORTS, municipality, MANAGE)
    if kind not in KIND_NAMES:
        raise ValidationError("Неизвестный вид отчёта.", code="kind")
    check_template(kind, content)
    ReportTemplate.objects.filter(municipality=municipality, kind=kind).delete()
    found = ReportTemplate(municipality=municipality, kind=kind, name=name[:200],
                           content=content, uploaded_by=user)
    found.full_clean()
    found.save()
    return found


@transaction.atomic
def template_reset(*, user: Any, municipality: Municipality, kind: str) -> None:
    """Back to the default template of ``kind``."""
    Viewer.of(user).require(Action.MANAGE_REPORTS, municipality, MANAGE)
    ReportTemplate.objects.filter(municipality=municipality, kind=kind).delete()


@transaction.atomic
def document_publish(*, user: Any, municipality: Municipality, year: int,
                     visible_from: Any = None) -> PublishedDocument:
    """Publish the note of ``year`` (PDF and DOCX as built now) on the public page."""
    viewer = Viewer.of(user)
    viewer.require(Action.MANAGE_REPORTS, municipality, MANAGE)
    docx = build(viewer=viewer, kind=KIND_NOTE, fmt="docx", municipality=municipality, year=year)
    pdf = build(viewer=viewer, kind=KIND_NOTE, fmt="pdf", municipality=municipality, year=year)
    found = PublishedDocument(municipality=municipality, kind=KIND_NOTE, year=year,
                              title=docx.title, pdf=pdf.content, docx=docx.content,
                              published_by=user,
                              visible_from=visible_from or timezone.localdate())
    found.full_clean()
    found.save()
    return found


@transaction.atomic
def document_withdraw(*, user: Any, document: PublishedDocument) -> None:
    Viewer.of(user).require(Action.MANAGE_REPORTS, document.municipality, MANAGE)
    if document.withdrawn_at is None:
        document.withdrawn_at = timezone.now()
        document.save(update_fields=["withdrawn_at"])
