"""What the decisions pages share: the municipality being looked at, the year."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from opora.web.accounts.scope import Action, Viewer
from opora.web.decisions.cycle import school_year
from opora.web.schools.models import Municipality

PAGE = ("Заседания, план, годовой цикл и самооценку видят координатор, методист и региональный "
        "координатор.")


def town(request: HttpRequest) -> tuple[Viewer, Municipality, list[Municipality]]:
    """The viewer, the municipality chosen (``?municipality=`` or the first) and the choices;
    403 for a viewer without a municipal or regional role, 404 for a municipality out of scope."""
    viewer = Viewer.of(request.user)
    towns = viewer.municipalities()
    if not towns:
        raise PermissionDenied(PAGE)
    raw = request.POST.get("municipality") or request.GET.get("municipality")
    if not raw:
        return viewer, towns[0], towns
    chosen = next((t for t in towns if str(t.pk) == raw), None)
    if chosen is None:
        raise Http404("Муниципалитет не найден или недоступен")
    return viewer, chosen, towns


def year_of(request: HttpRequest) -> int:
    from django.utils import timezone

    raw = request.GET.get("year") or request.POST.get("year") or ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else \
        school_year(timezone.localdate())


def may_manage(viewer: Viewer, municipality: Municipality) -> bool:
    return viewer.may(Action.MANAGE_DECISIONS, municipality)
