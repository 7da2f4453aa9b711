"""The import pages: upload, the job's progress and result, the history, resolving schools.

Every view reads through :mod:`opora.web.imports.targets`: no upload role → 403; a job outside
the user's municipality or school → 404; matching or creating schools is the coordinator's → 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from opora.web.core.background import stalled_minutes
from opora.web.imports.forms import MatchForm, UploadForm, max_files
from opora.web.imports.jobs import entry_interrupted, unmatched_named
from opora.web.imports.models import UploadEntry, UploadJob
from opora.web.imports.presenters import (
    ATTENTION_SHOWN,
    PROBLEMS_PER_PAGE,
    entry_views,
    job_state,
)
from opora.web.imports.problems_xlsx import problems_to_xlsx
from opora.web.imports.queue import entry_match_school, entry_requeue, job_create
from opora.web.imports.targets import coordinates, job_get, jobs_visible_to, upload_targets
from opora.web.imports.uploads import max_upload_bytes
from opora.web.schools.models import School

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_upload_role(request: HttpRequest) -> None:
    if not upload_targets(request.user):
        raise PermissionDenied("Загрузка данных доступна координатору и руководителю школы.")


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    targets = upload_targets(request.user)
    if not targets:
        raise PermissionDenied("Загрузка данных доступна координатору и руководителю школы.")
    form = UploadForm(request.POST or None, request.FILES or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        job = job_create(user=request.user, target=form.chosen_target(),
                         files=form.cleaned_data["uploads"], hints=form.hints())
        return redirect("import_job", pk=job.pk)
    return render(request, "imports/upload.html", {
        "form": form, "max_megabytes": max_upload_bytes() // (1024 * 1024),
        "max_files": max_files(),
        "school_admin_only": all(t.school is not None for t in targets),
    }, status=400 if request.method == "POST" else 200)


@login_required
def history(request: HttpRequest) -> HttpResponse:
    _require_upload_role(request)
    jobs = (jobs_visible_to(request.user).select_related("municipality", "school", "created_by")
            .annotate(files=Count("entries"),
                      done=Count("entries", filter=Q(entries__status=UploadEntry.DONE)),
                      failed=Count("entries", filter=Q(entries__status=UploadEntry.FAILED)),
                      duplicate=Count("entries", filter=Q(entries__status=UploadEntry.DUPLICATE)),
                      pending=Count("entries", filter=Q(entries__status__in=[
                          UploadEntry.QUEUED, UploadEntry.RUNNING])))
            .prefetch_related("entries")[:100])
    return render(request, "imports/history.html", {"jobs": jobs})


def _job_context(request: HttpRequest, pk: int) -> dict[str, object]:
    """While files are processed: how many of how many are done and the rejected ones so far
    (one counting query, whatever the number of files); when all are: every file's result."""
    _require_upload_role(request)
    job = job_get(request.user, pk)
    state = job_state(job)
    context: dict[str, object] = {
        "job": job, "state": state, "running": state.running, "stalled": state.stalled,
        "waiting": state.waiting, "stalled_minutes": stalled_minutes()}
    if state.running:
        context["attention"] = list(
            job.entries.filter(status__in=[UploadEntry.FAILED, UploadEntry.CONFIRM])
            .order_by("position")[:ATTENTION_SHOWN])
        return context
    entries = list(job.entries.select_related("batch").order_by("position"))
    may_resolve = coordinates(request.user, job)
    needs_schools = may_resolve and any(e.unmatched for e in entries)
    return {
        **context, "entries": entry_views(entries), "may_resolve": may_resolve,
        "registry": list(School.objects.filter(municipality=job.municipality)
                         .order_by("number", "short_name")) if needs_schools else [],
    }


@login_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "imports/job.html", _job_context(request, pk))


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The per-file part of the job page, polled by htmx every second while files run."""
    return render(request, "imports/_entries.html", _job_context(request, pk))


def _entry(request: HttpRequest, pk: int, entry_pk: int) -> tuple[UploadJob, UploadEntry]:
    _require_upload_role(request)
    found = job_get(request.user, pk)
    entry = found.entries.select_related("batch").filter(pk=entry_pk).first()
    if entry is None:
        raise Http404("Файл не найден")
    return found, entry


@login_required
def problems(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    _, entry = _entry(request, pk, entry_pk)
    rows = entry.batch.problems if entry.batch is not None and entry.status in (
        UploadEntry.DONE, UploadEntry.FAILED) else []
    response = HttpResponse(problems_to_xlsx(rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="problems_{pk}_{entry.position}.xlsx"'
    return response


@login_required
def problem_list(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Every problem of one file, a page at a time (the job page shows them grouped)."""
    found, entry = _entry(request, pk, entry_pk)
    rows = entry.batch.problems if entry.batch is not None and entry.status in (
        UploadEntry.DONE, UploadEntry.FAILED) else []
    page = Paginator(rows or [], PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "imports/problem_list.html", {
        "job": found, "entry": entry, "page": page, "total": len(rows or [])})


@login_required
@require_POST
def skip_rejected(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """«Загрузить без отклонённых строк»: the uploader's explicit choice for a file refused only
    because the reader rejected some of its rows; the rest loads all or nothing, as ever."""
    found, entry = _entry(request, pk, entry_pk)
    if entry.status != UploadEntry.FAILED or not (entry.counts or {}).get("skippable"):
        messages.error(request, "Этот файл нельзя загрузить без отклонённых строк: он отклонён "
                                "не из-за отдельных строк, или загружать в нём больше нечего.")
    else:
        entry_requeue(entry, create_missing=False, skip_rejected=True)
        messages.success(request, f"Файл «{entry.original_name}» загружается без отклонённых "
                                  "строк.")
    return redirect("import_job", pk=found.pk)


def _resolvable(request: HttpRequest, pk: int, entry_pk: int) -> tuple[UploadJob, UploadEntry]:
    found, entry = _entry(request, pk, entry_pk)
    if not coordinates(request.user, found):
        raise PermissionDenied("Сопоставлять и создавать школы может координатор муниципалитета.")
    return found, entry


@login_required
@require_POST
def match(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    found, entry = _resolvable(request, pk, entry_pk)
    form = MatchForm(request.POST, municipality_id=found.municipality_id)
    incoming = unmatched_named(entry, request.POST.get("key", ""))
    if entry.status != UploadEntry.FAILED or incoming is None or not incoming.get("name"):
        messages.error(request, "Эту школу сопоставить нельзя: её нет среди несопоставленных "
                                "школ файла или у неё нет наименования.")
    elif not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        rerun = entry_match_school(entry=entry, key=incoming["key"],
                                   school=form.cleaned_data["school"])
        messages.success(request, f"«{incoming['name']}» сопоставлена со школой "
                                  f"«{form.cleaned_data['school'].short_name}»; файлов, "
                                  f"загружаемых заново: {rerun}.")
    return redirect("import_job", pk=found.pk)


@login_required
@require_POST
def create_schools(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    found, entry = _resolvable(request, pk, entry_pk)
    if entry.status != UploadEntry.FAILED or not entry.unmatched:
        messages.error(request, "В этом файле нет школ, которые нужно создать.")
    elif request.POST.get("confirm") != "yes":
        messages.error(request, "Отметьте, что эти школы действительно новые: без подтверждения "
                                "школы не создаются.")
    else:
        entry_requeue(entry, create_missing=True)
        messages.success(request, f"Файл «{entry.original_name}» загружается заново; школы, "
                                  "которых нет в реестре, будут созданы.")
    return redirect("import_job", pk=found.pk)


@login_required
@require_POST
def replace(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """«Заменить данные»: the uploader agrees that the file replaces the data loaded before
    (the page said what and how much); whoever may see the upload may agree — it was theirs to
    load. Without the tick nothing happens."""
    found, entry = _entry(request, pk, entry_pk)
    if entry.status != UploadEntry.CONFIRM:
        messages.error(request, "Этот файл не ждёт подтверждения замены.")
    elif request.POST.get("confirm") != "yes":
        messages.error(request, "Отметьте, что прежние данные нужно заменить: без подтверждения "
                                "ничего не меняется.")
    else:
        entry_requeue(entry, create_missing=False, replace=True)
        messages.success(request, f"Файл «{entry.original_name}» загружается с заменой прежних "
                                  "данных; они сохранятся в архиве загрузки.")
    return redirect("import_job", pk=found.pk)


@login_required
@require_POST
def retry(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Run again a file whose processing was interrupted (its worker stopped); whoever may see
    the upload may do it — the file is the same, the import all-or-nothing and idempotent."""
    found, entry = _entry(request, pk, entry_pk)
    if not entry_interrupted(entry):
        messages.error(request, "Заново обрабатываются только файлы, обработка которых была "
                                "прервана.")
    else:
        entry_requeue(entry, create_missing=False)
        messages.success(request, f"Файл «{entry.original_name}» поставлен в очередь заново.")
    return redirect("import_job", pk=found.pk)
