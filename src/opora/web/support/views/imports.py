"""Loading an event log from the page: the upload form, the result with the problems table."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from opora.formats.grouping import group_problems
from opora.formats.templates.files import TEMPLATES_DIR
from opora.web.accounts.scope import Action
from opora.web.imports.problems_xlsx import problems_to_xlsx
from opora.web.schools.models import Municipality
from opora.web.support.event_import import import_event_log, imports_of
from opora.web.support.forms import ImportForm
from opora.web.support.models import EventImport
from opora.web.support.selectors import recordable_schools
from opora.web.support.views.events import RECORD, _viewer

MAX_LOG_BYTES = 10 * 1024 * 1024
PROBLEMS_PER_PAGE = 100


def _towns(request: HttpRequest) -> list[Municipality]:
    viewer = _viewer(request)
    viewer.require(Action.RECORD_EVENT, None, RECORD)
    ids = set(recordable_schools(viewer).values_list("municipality_id", flat=True))
    return list(Municipality.objects.filter(pk__in=ids).order_by("name"))


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    towns = _towns(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    town = next((m for m in towns if str(m.pk) == request.POST.get("municipality")), None) \
        if len(towns) > 1 else (towns[0] if towns else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if town is None:
            form.add_error(None, "Выберите муниципалитет.")
        elif upload.size > MAX_LOG_BYTES:
            form.add_error("file", "Файл больше 10 МБ — это не журнал мероприятий.")
        else:
            suffix = PurePath(upload.name).suffix.lower()
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"log{suffix}"
                with path.open("wb") as handle:
                    for chunk in upload.chunks():
                        handle.write(chunk)
                result = import_event_log(by=request.user, municipality=town, path=path,
                                          name=PurePath(upload.name).name)
            if result.record is None:
                messages.info(request, "Этот файл уже загружен; ничего не изменено.")
                return redirect("support:import")
            return redirect("support:import-result", pk=result.record.pk)
    recent = imports_of(_viewer(request)).select_related("imported_by")[:20]
    return render(request, "support/import.html", {"form": form, "towns": towns,
                                                   "recent": recent},
                  status=400 if form.is_bound else 200)


def _record(request: HttpRequest, pk: int) -> EventImport:
    found = imports_of(_viewer(request)).select_related("municipality", "imported_by") \
        .filter(pk=pk).first()
    if found is None:
        raise Http404("Загрузка не найдена")
    return found


@login_required
@require_GET
def import_result(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    page = Paginator(record.problems, PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "support/import_result.html", {
        "record": record, "groups": group_problems(record.problems), "page": page})


@login_required
@require_GET
def import_problems(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    response = HttpResponse(problems_to_xlsx(record.problems), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="problems-{record.pk}.xlsx"'
    return response


@login_required
@require_GET
def template_download(request: HttpRequest) -> FileResponse:
    _viewer(request)
    return FileResponse((TEMPLATES_DIR / "events.xlsx").open("rb"), as_attachment=True,
                        filename="журнал-мероприятий.xlsx")
