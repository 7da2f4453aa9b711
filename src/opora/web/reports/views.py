"""«Отчёты»: build the note, the protocol, a school's profile, the indicator tables and a filled
expert sheet as DOCX, PDF or XLSX; the coordinator's templates and published documents. Pages
read; quick builds happen on the click, long ones (every PDF, a large municipality's indicator
tables) on the background queue (``job_new``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from opora.web.accounts.scope import Action, Viewer
from opora.web.analysis.official import current_lists
from opora.web.reports import queue, services, tables
from opora.web.reports.data import Meeting, ReportDataMissing
from opora.web.reports.docx import template_bytes
from opora.web.reports.models import (
    DONE,
    KIND_CHOICES,
    KIND_INDICATORS,
    KIND_NOTE,
    KIND_PROTOCOL,
    KIND_REVIEW,
    KIND_SCHOOL,
    QUEUED,
    RUNNING,
    PublishedDocument,
    ReportJob,
    ReportTemplate,
)
from opora.web.schools.models import Municipality, School

REPORTS = ("Отчёты муниципалитета строят координатор, методист и региональный координатор; "
           "профиль школы — в её карточке.")
DOCX = services.FORMATS["docx"]


def file_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quoted(filename)}"
    return response


def _quoted(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def _towns(viewer: Viewer) -> list[Municipality]:
    return [m for m in viewer.municipalities() if viewer.may(Action.SEE_REPORTS, m)]


def _town(viewer: Viewer, value: str) -> Municipality:
    """The municipality chosen (the first of the viewer's when none): 404 outside the scope."""
    viewer.require(Action.SEE_REPORTS, None, REPORTS)
    towns = _towns(viewer)
    town = next((m for m in towns if str(m.pk) == value), None) if value else \
        (towns[0] if towns else None)
    if town is None:
        raise Http404("Муниципалитет не найден или недоступен")
    return town


def _year(value: str, town: Municipality) -> int:
    years = [a.year for a in current_lists(town)]
    try:
        return int(value)
    except ValueError:
        return years[-1] if years else timezone.localdate().year


@login_required
@require_GET
def reports_page(request: HttpRequest) -> HttpResponse:
    viewer = Viewer.of(request.user)
    town = _town(viewer, request.GET.get("municipality", ""))
    years = [a.year for a in current_lists(town)]
    own = {t.kind: t for t in ReportTemplate.objects.filter(municipality=town).defer("content")}
    templates = [{"kind": kind, "name": name, "own": own.get(kind)} for kind, name in KIND_CHOICES]
    documents = PublishedDocument.objects.filter(municipality=town).defer("pdf", "docx") \
        .order_by("-published_at")
    return render(request, "reports/reports.html", {
        "towns": _towns(viewer), "town": town, "years": years,
        "year": _year(request.GET.get("year", ""), town),
        "manage": viewer.may(Action.MANAGE_REPORTS, town), "templates": templates,
        "documents": documents, "today": timezone.localdate().isoformat()})


def _meeting(request: HttpRequest) -> Meeting:
    return _meeting_from(request.GET)


def _meeting_from(data: Any) -> Meeting:
    get = data.get
    day = None
    if get("date"):
        try:
            day = dt.date.fromisoformat(get("date", ""))
        except ValueError:
            day = None
    return Meeting(number=get("number", "")[:40], date=day, place=get("place", "")[:200],
                   attendees=tuple(line.strip() for line in get("attendees", "").splitlines()
                                   if line.strip())[:40],
                   speakers=get("speakers", "")[:300], chair=get("chair", "")[:200],
                   secretary=get("secretary", "")[:200])


def _built(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    try:
        built = services.build(viewer=Viewer.of(request.user), **kwargs)
    except (ReportDataMissing, ValidationError) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        return render(request, "reports/missing.html", {"message": text}, status=404)
    return file_response(built.content, built.content_type, built.filename)


@login_required
@require_GET
def municipal_report(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in (KIND_NOTE, KIND_PROTOCOL):
        raise Http404("Нет такого отчёта")
    viewer = Viewer.of(request.user)
    town = _town(viewer, request.GET.get("municipality", ""))
    meeting = _meeting(request) if kind == KIND_PROTOCOL else None
    return _built(request, kind=kind, fmt=fmt, municipality=town,
                  year=_year(request.GET.get("year", ""), town), meeting=meeting)


# A report that may take longer than a page should wait (over ~2 s) is built in the background,
# as the note's PDF: every PDF (WeasyPrint: the demo's 46 indicator tables 6–11 s), and a
# municipality's indicator tables in any format once it has more schools than this (one table a
# school; 45 schools' DOCX 0.3–2.2 s, bench/bench_reports_indicators.py, docs/reports.md).
INLINE_SCHOOLS = 20


def _indicators_where(viewer: Viewer, municipality: str, school_pk: int | None
                      ) -> tuple[Municipality, School | None]:
    """The municipality or the school of the indicator tables as the monitoring page sees them
    (``Action.SEE_MONITORING``): 404 outside the scope."""
    if school_pk:
        school = viewer.school(school_pk)
        if not viewer.may(Action.SEE_MONITORING, school):
            raise Http404("Школа не найдена или недоступна")
        return school.municipality, school
    town = Municipality.objects.select_related("region").filter(pk=_int(municipality)).first()
    if town is None or not viewer.may(Action.SEE_MONITORING, town):
        raise Http404("Муниципалитет не найден или недоступен")
    return town, None


def _in_background(viewer: Viewer, kind: str, fmt: str, town: Municipality | None = None,
                   school: School | None = None) -> bool:
    """Whether the view hands this build to the background queue instead of building it."""
    if fmt == "pdf":
        return True
    if kind == KIND_INDICATORS and school is None and town is not None:
        return viewer.schools().filter(municipality=town).count() > INLINE_SCHOOLS
    return False


def _ask_background(request: HttpRequest, what: str, **fields: Any) -> HttpResponse:
    """The page with one button that queues the build (a GET link does not write: the queue
    is a POST, as the note's «Построить PDF»)."""
    return render(request, "reports/background.html", {
        "what": what, "fields": {k: v for k, v in fields.items() if v not in (None, "")}})


@login_required
@require_GET
def indicators_report(request: HttpRequest, fmt: str) -> HttpResponse:
    """The municipality's indicator tables and its schools' (``Action.SEE_MONITORING``, as the
    monitoring page): 404 outside the scope, the Russian reason without data; PDF or a large
    municipality — built in the background."""
    viewer = Viewer.of(request.user)
    town, _school = _indicators_where(viewer, request.GET.get("municipality", ""), None)
    year = _int(request.GET.get("year", "")) or timezone.localdate().year
    if _in_background(viewer, KIND_INDICATORS, fmt, town) and fmt in services.FORMATS:
        return _ask_background(request, f"Таблицы показателей «{town.name}» за {year} год "
                                        f"({fmt.upper()})", kind=KIND_INDICATORS, fmt=fmt,
                               municipality=town.pk, year=year)
    return _built(request, kind=KIND_INDICATORS, fmt=fmt, municipality=town, year=year)


@login_required
@require_GET
def school_indicators_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    viewer = Viewer.of(request.user)
    _town_of, school = _indicators_where(viewer, "", pk)
    assert school is not None
    year = _int(request.GET.get("year", "")) or timezone.localdate().year
    if _in_background(viewer, KIND_INDICATORS, fmt, school=school) and fmt in services.FORMATS:
        return _ask_background(request, f"Таблица показателей «{school.short_name}» за {year} "
                                        f"год ({fmt.upper()})", kind=KIND_INDICATORS, fmt=fmt,
                               school=school.pk, year=year)
    return _built(request, kind=KIND_INDICATORS, fmt=fmt, school=school, year=year)


@login_required
@require_GET
def review_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """A filled expert sheet (who reads it: the sheet page's rule, ``tables.review_sheet``)."""
    viewer = Viewer.of(request.user)
    if _in_background(viewer, KIND_REVIEW, fmt) and fmt in services.FORMATS:
        try:
            tables.review_sheet(viewer, pk)
        except ReportDataMissing as error:
            return render(request, "reports/missing.html", {"message": str(error)}, status=404)
        return _ask_background(request, f"Экспертный лист № {pk} ({fmt.upper()})",
                               kind=KIND_REVIEW, fmt=fmt, review=pk)
    return _built(request, kind=KIND_REVIEW, fmt=fmt, review=pk)


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


@login_required
@require_GET
def school_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    school = Viewer.of(request.user).school(pk)
    return _built(request, kind=KIND_SCHOOL, fmt=fmt, school=school)


def _manage_town(request: HttpRequest) -> Municipality:
    viewer = Viewer.of(request.user)
    town = _town(viewer, request.POST.get("municipality", ""))
    viewer.require(Action.MANAGE_REPORTS, town, services.MANAGE)
    return town


def _back(town: Municipality, anchor: str = "") -> HttpResponse:
    return redirect(f"{reverse('reports:page')}?municipality={town.pk}{anchor}")


@login_required
@require_GET
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    viewer = Viewer.of(request.user)
    town = _town(viewer, request.GET.get("municipality", ""))
    if kind not in dict(KIND_CHOICES):
        raise Http404("Нет такого шаблона")
    return file_response(template_bytes(kind, town), DOCX, f"шаблон-{kind}.docx")


@login_required
@require_POST
def template_upload(request: HttpRequest, kind: str) -> HttpResponse:
    town = _manage_town(request)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Выберите файл шаблона (DOCX).")
        return _back(town, "#templates")
    try:
        services.template_upload(user=request.user, municipality=town, kind=kind,
                                 name=upload.name or "шаблон.docx", content=upload.read())
    except ValidationError as error:
        messages.error(request, "Шаблон не принят. " + " ".join(error.messages))
    else:
        messages.success(request, "Шаблон принят: отчёты строятся по нему.")
    return _back(town, "#templates")


@login_required
@require_POST
def template_reset(request: HttpRequest, kind: str) -> HttpResponse:
    town = _manage_town(request)
    services.template_reset(user=request.user, municipality=town, kind=kind)
    messages.success(request, "Восстановлен шаблон по умолчанию.")
    return _back(town, "#templates")


@login_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    town = _manage_town(request)
    try:
        year = int(request.POST.get("year", ""))
        day = dt.date.fromisoformat(request.POST.get("visible_from", "") or
                                    timezone.localdate().isoformat())
    except ValueError:
        messages.error(request, "Укажите год и дату публикации (ГГГГ-ММ-ДД).")
        return _back(town, "#published")
    job = queue.job_enqueue(user=request.user, kind=KIND_NOTE, fmt="pdf", municipality=town,
                           year=year, publish_from=day)
    return redirect("reports:job", pk=job.pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    town = _manage_town(request)
    document = get_object_or_404(PublishedDocument.objects.defer("pdf", "docx"), pk=pk,
                                 municipality=town)
    services.document_withdraw(user=request.user, document=document)
    messages.success(request, "Документ снят с публикации.")
    return _back(town, "#published")




@login_required
@require_POST
def job_new(request: HttpRequest) -> HttpResponse:
    """Queue a report: the note or the protocol (PDF usually: longer than a page may wait), the
    indicator tables (a municipality's or a school's), a filled expert sheet. The scope is the
    page's: «Отчёты» for the note and the protocol, the monitoring page's for the tables, the
    sheet page's for the sheet."""
    viewer = Viewer.of(request.user)
    post = request.POST
    kind, fmt = post.get("kind", ""), post.get("fmt", "pdf")
    town: Municipality | None = None
    school: School | None = None
    review: int | None = None
    if kind in (KIND_NOTE, KIND_PROTOCOL):
        town = _town(viewer, post.get("municipality", ""))
    elif kind == KIND_INDICATORS:
        town, school = _indicators_where(viewer, post.get("municipality", ""),
                                         _int(post.get("school", "")) or None)
    elif kind == KIND_REVIEW:
        review = _int(post.get("review", ""))
        try:
            town = tables.review_sheet(viewer, review).item.campaign.municipality
        except ReportDataMissing as error:
            return render(request, "reports/missing.html", {"message": str(error)}, status=404)
    if kind not in (KIND_NOTE, KIND_PROTOCOL, KIND_INDICATORS, KIND_REVIEW) \
            or fmt not in services.FORMATS:
        raise Http404("Нет такого отчёта")
    year: int | None = None
    if kind != KIND_REVIEW:
        try:
            year = int(post.get("year", ""))
        except ValueError:
            raise Http404("Не указан год") from None
    meeting = _meeting_from(post) if kind == KIND_PROTOCOL else None
    job = queue.job_enqueue(user=request.user, kind=kind, fmt=fmt, municipality=town, year=year,
                            meeting=meeting, school=school, review=review)
    return redirect("reports:job", pk=job.pk)


def _own_job(request: HttpRequest, pk: int) -> ReportJob:
    found = ReportJob.objects.filter(pk=pk).defer("content").first()
    if found is None or (found.created_by_id != request.user.pk
                         and not request.user.is_superuser):
        raise Http404("Отчёт не найден")
    return found


@login_required
@require_GET
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    return render(request, "reports/job.html", {"job": job, "back": _job_back(job),
                                                "waiting": job.status in (QUEUED, RUNNING)})


def _job_back(job: ReportJob) -> tuple[str, str]:
    """Where the job page leads back to: the page the report was asked on."""
    if job.kind == KIND_REVIEW and job.review:
        return reverse("programmes:sheet", args=[job.review]), "К экспертному листу"
    if job.kind == KIND_INDICATORS and job.school_id:
        return reverse("monitoring:school", args=[job.school_id]), "К показателям школы"
    if job.kind == KIND_INDICATORS:
        return (f"{reverse('monitoring:index')}?municipality={job.municipality_id}",
                "К показателям муниципалитета")
    where = f"?municipality={job.municipality_id}" if job.municipality_id else ""
    return f"{reverse('reports:page')}{where}", "К отчётам"


@login_required
@require_GET
def job_file(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    if job.status != DONE:
        raise Http404("Отчёт ещё не построен")
    content = ReportJob.objects.values_list("content", flat=True).get(pk=pk)
    return file_response(bytes(content or b""), services.FORMATS[job.fmt], job.filename)
