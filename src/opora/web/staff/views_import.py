"""«Загрузка педагогов»: a filled-in template of staff, diagnostics or courses, all or nothing,
and the blank templates to fill in (``opora template staff|diagnostics|courses`` gives the same
files)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from opora.formats.templates.files import write_template
from opora.formats.templates.staff import STAFF_TEMPLATES
from opora.web.accounts.scope import Viewer
from opora.web.staff.imports import KIND_ACTION, MAX_UPLOAD_BYTES, import_file
from opora.web.staff.models import StaffImport

LOADERS = ("Загружать педагогов могут руководитель школы и муниципальный координатор; "
           "диагностики и курсы — также методисты муниципалитета.")
KIND_NAMES = dict(StaffImport.KINDS)
CONTENT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "csv": "text/csv; charset=utf-8"}


def _kinds(viewer: Viewer) -> list[tuple[str, str]]:
    """What the viewer may load: (kind, Russian name)."""
    return [(kind, KIND_NAMES[kind]) for kind, action in KIND_ACTION.items()
            if viewer.may(action)]


@login_required
@require_http_methods(["GET", "POST"])
def staff_import(request: HttpRequest) -> HttpResponse:
    viewer = Viewer.of(request.user)
    kinds = _kinds(viewer)
    if not kinds:
        raise PermissionDenied(LOADERS)
    context: dict[str, object] = {"kinds": kinds, "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
    if request.method == "POST":
        context.update(_load(request, viewer, dict(kinds)))
    context["recent"] = StaffImport.objects.filter(imported_by_id=request.user.pk)[:10]
    return render(request, "staff/import.html", context)


def _load(request: HttpRequest, viewer: Viewer, kinds: dict[str, str]) -> dict[str, object]:
    kind = request.POST.get("kind", "")
    upload = request.FILES.get("file")
    if kind not in kinds:
        return {"error": "Выберите, что загружаете: педагогов, диагностики или курсы.",
                "chosen": kind}
    if upload is None:
        return {"error": "Выберите файл.", "chosen": kind}
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        return {"error": f"Файл больше {MAX_UPLOAD_BYTES // (1024 * 1024)} МБ — это не "
                         "заполненный шаблон.", "chosen": kind}
    outcome = import_file(kind=kind, name=upload.name or "файл", content=upload.read(),
                          viewer=viewer)
    return {"outcome": outcome, "chosen": kind, "kind_name": kinds[kind]}


@login_required
@require_GET
def blank_template(request: HttpRequest, kind: str, suffix: str) -> HttpResponse:
    """A blank template (XLSX or CSV): column titles and, in XLSX, the «Пояснения» sheet."""
    if kind not in STAFF_TEMPLATES or suffix not in ("xlsx", "csv"):
        raise Http404("Нет такого шаблона")
    with tempfile.TemporaryDirectory(prefix="opora-template-") as directory:
        path = Path(directory) / f"{kind}.{suffix}"
        write_template(kind, path)
        content = path.read_bytes()
    response = HttpResponse(content, content_type=CONTENT_TYPES[suffix])
    response["Content-Disposition"] = f'attachment; filename="{kind}.{suffix}"'
    return response
