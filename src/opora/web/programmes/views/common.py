"""What the programmes pages share: the viewer, the municipality chosen on a page, refusals put
at their fields, XLSX downloads, the cached bodies of the table pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from opora.web.accounts.scope import Action, Viewer
from opora.web.core.fragments import Fragment
from opora.web.programmes.versions import cached_part
from opora.web.schools.models import Municipality

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEE = ("Таблицы программ школ видят координатор и методисты муниципалитета, региональный "
       "координатор и куратор (для своих школ).")


def viewer_of(request: HttpRequest) -> Viewer:
    return Viewer.of(request.user)


def towns(viewer: Viewer) -> list[Municipality]:
    """Municipalities whose programme tables the viewer may read (a curator: their schools')."""
    if not viewer.may(Action.SEE_PROGRAMMES):
        raise PermissionDenied(SEE)
    found = {m.pk: m for m in viewer.municipalities()}
    for assignment in viewer.assignments:
        if assignment.role == "curator" and assignment.school is not None:
            found.setdefault(assignment.school.municipality_id, assignment.school.municipality)
    return sorted(found.values(), key=lambda m: (m.name.casefold(), m.pk))


def town_of(request: HttpRequest, viewer: Viewer) -> tuple[Municipality, list[Municipality]]:
    """The municipality chosen by ``?municipality=`` among the viewer's (404 outside them)."""
    choices = towns(viewer)
    wanted = request.GET.get("municipality") or request.POST.get("municipality")
    if wanted:
        found = next((m for m in choices if str(m.pk) == wanted), None)
        if found is None:
            raise Http404("Муниципалитет не найден или недоступен")
        return found, choices
    if not choices:
        raise Http404("Нет муниципалитета")
    return choices[0], choices


def put_errors(form: forms.Form, exc: ValidationError, field_of: dict[str, str] | None = None
               ) -> None:
    """A service's refusal on the form: each message at its field (or the form's top)."""
    field_of = field_of or {}
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            target = field_of.get(name, name)
            for message in messages:
                form.add_error(target if target in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quoted(filename)}"
    return response


def _quoted(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def status_of(form: Any) -> int:
    return 400 if getattr(form, "is_bound", False) else 200


def cached_body(request: HttpRequest, template: str, context: Callable[[], dict[str, Any]]
                ) -> SafeString:
    """``template`` rendered with ``context()`` once per user, address (with its query), day and
    version of the programme records (``programmes/versions.py``), then read from the cache. The
    caller checks the scope first, on every request; the body holds no form that posts."""
    key = (f"programmes-body:u{request.user.pk}:{request.get_full_path()}:"
           f"t{timezone.localdate().isoformat()}")
    return cached_part(key, lambda: Fragment(render_to_string(template, context()))).html
