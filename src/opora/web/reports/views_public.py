"""The public МСОКО page and open data: no sign-in, only approved lists, aggregates and published
documents (``public.py`` says what and why); cached, works without JavaScript."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from opora.csv_safety import neutralise
from opora.web.core.fragments import versioned_key
from opora.web.reports import public
from opora.web.reports.models import PublishedDocument
from opora.web.reports.views import DOCX, file_response
from opora.web.schools.models import Municipality

PUBLIC_CACHE = cache_control(public=True, max_age=300)


def _whole_page(request: HttpRequest, name: str, build: Callable[[], dict[str, object]],
                template: str) -> HttpResponse:
    """The page rendered once for everybody (the public frame shows nothing of the visitor) and
    kept :data:`~opora.web.reports.public.CACHE_SECONDS`, its key naming the day and the newest
    approved or withdrawn list and published or withdrawn document: those show at once, the
    support counts within the five minutes the page's data is kept anyway."""
    key = versioned_key(f"reports:public-page:{name}:{timezone.localdate().isoformat()}:"
                        f"{public.version()}")
    html = cache.get(key)
    if html is None:
        html = render_to_string(template, build(), request=request)
        cache.set(key, html, public.CACHE_SECONDS)
    return HttpResponse(html)


@require_GET
@PUBLIC_CACHE
def index(request: HttpRequest) -> HttpResponse:
    return _whole_page(request, "index", lambda: {
        "municipalities": public.public_municipalities()}, "reports/public_index.html")


def _public_town(pk: int) -> Municipality:
    town = next((m for m in public.public_municipalities() if m.pk == pk), None)
    if town is None:
        raise Http404("Нет опубликованных данных муниципалитета")
    return town


@require_GET
@PUBLIC_CACHE
def municipality_page(request: HttpRequest, pk: int) -> HttpResponse:
    def build() -> dict[str, object]:
        town = _public_town(pk)
        return {"town": town, **public.municipality_public(town),
                "indicators": public.INDICATORS}

    return _whole_page(request, f"municipality-{pk}", build, "reports/public_municipality.html")


@require_GET
@PUBLIC_CACHE
def document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("pdf", "docx"):
        raise Http404("Нет такого формата")
    found = get_object_or_404(PublishedDocument, pk=pk, withdrawn_at__isnull=True,
                              visible_from__lte=timezone.localdate())
    stem = f"{found.get_kind_display()}-{found.year}"
    if fmt == "pdf":
        return file_response(bytes(found.pdf), "application/pdf", f"{stem}.pdf")
    return file_response(bytes(found.docx), DOCX, f"{stem}.docx")


def _rows(request: HttpRequest) -> list[dict[str, object]]:
    towns = public.public_municipalities()
    chosen = request.GET.get("municipality", "")
    if chosen:
        towns = [m for m in towns if str(m.pk) == chosen]
    return public.open_rows(towns)


@require_GET
@PUBLIC_CACHE
def data_csv(request: HttpRequest) -> HttpResponse:
    out = io.StringIO()
    columns = [name for name, *_ in public.DICTIONARY]
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for row in _rows(request):
        writer.writerow({k: neutralise(v) for k, v in row.items()})
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = "attachment; filename=opora-open-data.csv"
    return response


@require_GET
@PUBLIC_CACHE
def data_json(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"schema": schema_dict(), "rows": _rows(request)},
                        json_dumps_params={"ensure_ascii": False})


def schema_dict() -> dict[str, object]:
    return {"columns": [{"name": n, "type": t, "unit": u, "meaning": m}
                        for n, t, u, m in public.DICTIONARY],
            "indicators": [{"code": c, "name": n, "unit": "ед."}
                           for c, n in public.INDICATORS.items()]}


@require_GET
@PUBLIC_CACHE
def schema(request: HttpRequest) -> HttpResponse:
    return HttpResponse(json.dumps(schema_dict(), ensure_ascii=False, indent=1),
                        content_type="application/json; charset=utf-8")
