"""Document campaigns and a school's uploads.

A campaign is opened by the coordinator of its municipality: a title, the programme year, the
slots (document kinds, anti-risk programmes by factor), the schools in scope and a deadline. A
school's administrator (or the coordinator) uploads a file to a slot: PDF, DOCX or XLSX, checked
by its content (the support app's :func:`~opora.web.support.services.attachments.file_type`: a
renamed program, an old .doc/.xls or a document with macros is refused) and size; every upload is
a new :class:`~opora.web.programmes.models.DocumentVersion`, the earlier ones kept. A new version
of a document returned for revision resubmits it: the next review round opens
(:func:`opora.web.programmes.services.reviews.resubmitted`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opora.glossary import DOCUMENT_KINDS, RISK_FACTORS
from opora.numbers import number
from opora.web.accounts.scope import Action, Viewer
from opora.web.programmes.models import (
    CampaignSchool,
    DocumentCampaign,
    DocumentVersion,
    ProgramDocument,
)
from opora.web.programmes.models.campaigns import (
    ACCEPTED,
    ANTIRISK,
    NEEDS_REVISION,
    UNDER_REVIEW,
    UPLOADED,
)
from opora.web.programmes.services import saved
from opora.web.schools.models import Municipality, School
from opora.web.support.services.attachments import file_type

KINDS = frozenset(k.code for k in DOCUMENT_KINDS)
FACTORS = frozenset(f.code for f in RISK_FACTORS)
ALLOWED_TEXT = "PDF, DOCX, XLSX"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MANAGERS = "Кампании открывает координатор муниципалитета."
UPLOADERS = "Документы школы загружают её руководитель и координатор муниципалитета."


def max_bytes() -> int:
    return int(getattr(settings, "OPORA_MAX_DOCUMENT_BYTES", DEFAULT_MAX_BYTES))


def slot_problem(slot: str) -> str | None:
    kind, _, factor = slot.partition(":")
    if kind not in KINDS:
        return f"неизвестный вид документа «{kind}»"
    if factor and (kind != ANTIRISK or factor not in FACTORS):
        return f"«{slot}»: фактор указывают только для антирисковой программы"
    return None


@transaction.atomic
def campaign_create(*, by: Any, municipality: Municipality, title: str, year: int,
                    slots: list[str], schools: list[School], deadline: dt.date,
                    remind_days: int = 7) -> DocumentCampaign:
    Viewer.of(by).require(Action.MANAGE_PROGRAMMES, municipality, MANAGERS)
    problems: dict[str, list[str]] = {}
    slots = list(dict.fromkeys(slots))
    if not slots:
        problems["slots"] = ["Выберите хотя бы один документ."]
    problems.setdefault("slots", []).extend(p for s in slots if (p := slot_problem(s)))
    if not schools:
        problems["schools"] = ["Выберите хотя бы одну школу."]
    foreign = [s.short_name for s in schools if s.municipality_id != municipality.pk]
    if foreign:
        problems["schools"] = [f"Школы не из муниципалитета: {', '.join(foreign)}."]
    problems = {k: v for k, v in problems.items() if v}
    if problems:
        raise ValidationError(problems)
    campaign = saved(DocumentCampaign(municipality=municipality, title=title.strip(), year=year,
                                      slots=slots, deadline=deadline, remind_days=remind_days,
                                      created_by=by), by)
    for school in {s.pk: s for s in schools}.values():
        saved(CampaignSchool(campaign=campaign, school=school), by)
    return campaign


def check_file(upload: Any) -> tuple[str, str]:
    """(type, SHA-256) of a document file; ValidationError in Russian (size, type, macros)."""
    limit = max_bytes()
    name = PurePath(upload.name or "").name
    if not upload.size:
        raise ValidationError(f"Файл «{name}» пуст.")
    if upload.size > limit:
        raise ValidationError(f"Файл «{name}» слишком большой: "
                              f"{number(upload.size / 1024 / 1024, 1)} МБ, допустимо до "
                              f"{number(limit / 1024 / 1024, 1)} МБ.")
    try:
        kind = file_type(upload, name)
    except ValidationError as exc:
        # the support's reader names its own list (with pictures): say what a document may be
        if "по содержимому это другой тип" in " ".join(exc.messages):
            raise ValidationError(f"Файл «{name}»: документы принимаются в форматах "
                                  f"{ALLOWED_TEXT}; по содержимому это другой тип файла.") from exc
        raise
    if kind not in ("pdf", "docx", "xlsx"):
        raise ValidationError(f"Файл «{name}»: документы принимаются в форматах {ALLOWED_TEXT}.")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return kind, digest.hexdigest()


@transaction.atomic
def document_upload(*, by: Any, campaign: DocumentCampaign, school: School, slot: str,
                    upload: Any, comment: str = "") -> DocumentVersion:
    """A new version of the school's document for ``slot`` (the document made on the first)."""
    Viewer.of(by).require(Action.EDIT_PROGRAMME, school, UPLOADERS)
    if slot not in campaign.slots:
        raise ValidationError("Такого документа кампания не требует.")
    if not CampaignSchool.objects.filter(campaign=campaign, school=school).exists():
        raise ValidationError("Школа не участвует в этой кампании.")
    kind, sha = check_file(upload)
    document, _ = ProgramDocument.objects.select_for_update().get_or_create(
        campaign=campaign, school=school, slot=slot)
    if document.status == ACCEPTED:
        raise ValidationError("Документ уже принят: новая версия не нужна.")
    if document.status == UNDER_REVIEW:
        raise ValidationError("Документ на экспертизе: новую версию можно загрузить после "
                              "решения координатора.")
    last = document.versions.order_by("-number").first()
    if last is not None and last.sha256 == sha:
        raise ValidationError("Этот файл уже загружен последней версией документа.")
    name = PurePath(upload.name).name[:255]
    version = DocumentVersion(document=document, number=(last.number + 1) if last else 1,
                              original_name=name, file_type=kind, size=upload.size, sha256=sha,
                              comment=comment.strip()[:500], uploaded_by=by)
    version.file.save(f"{sha[:16]}{PurePath(name).suffix.lower()}", upload, save=False)
    saved(version, by)
    returned = document.status == NEEDS_REVISION
    if document.first_uploaded_at is None or returned:
        document.first_uploaded_at = document.first_uploaded_at or timezone.now()
        document.status = UPLOADED
        saved(document, by, "новая версия после доработки" if returned else "")
    if returned:
        from opora.web.programmes.services.reviews import resubmitted

        resubmitted(by=by, document=document, version=version)
    return version
