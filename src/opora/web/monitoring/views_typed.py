"""Typing the typed indicators: a school's form and a municipality's XLSX import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from opora.web.accounts.scope import Action, Viewer
from opora.web.monitoring.models import TypedImport, TypedValue
from opora.web.monitoring.selectors import default_years
from opora.web.monitoring.typed import (
    COLUMNS,
    Refused,
    check,
    import_file,
    save_value,
    typed_indicators,
)

MAX_UPLOAD = 5 * 1024 * 1024


@login_required
def typed(request: HttpRequest, pk: int) -> HttpResponse:
    """The typed indicators of a school for three years: all saved or none."""
    viewer = Viewer.of(request.user)
    school = viewer.school(pk)
    viewer.require(Action.TYPE_INDICATOR, school)
    years = default_years()
    indicators = typed_indicators()
    errors: dict[str, str] = {}
    if request.method == "POST":
        accepted = []
        for ind in indicators:
            for year in years:
                key = f"{ind.code}-{year}"
                part, total = request.POST.get(key + "-n", ""), request.POST.get(key + "-d", "")
                if not part.strip() and not total.strip():
                    continue
                try:
                    accepted.append((ind, year, *check(ind, part, total)))
                except Refused as refusal:
                    errors[key] = f"{ind.name_ru}, {year} год: {refusal}."
        if not errors:
            with transaction.atomic():
                for ind, year, n, d in accepted:
                    save_value(by=request.user, school=school, ind=ind, year=year,
                               numerator=n, denominator=d)
            messages.success(request, "Показатели сохранены.")
            return redirect("monitoring:school", pk=school.pk)
    saved = {(v.indicator, v.year): v for v in TypedValue.objects.filter(school=school)}
    grid = [(ind, [(year, f"{ind.code}-{year}", saved.get((ind.code, year)),
                    errors.get(f"{ind.code}-{year}")) for year in years]) for ind in indicators]
    return render(request, "monitoring/typed.html", {
        "school": school, "years": years, "grid": grid, "errors": list(errors.values()),
        "posted": request.POST}, status=400 if errors else 200)


@login_required
def typed_import(request: HttpRequest) -> HttpResponse:
    """A workbook of typed values for a municipality's schools (its coordinator)."""
    viewer = Viewer.of(request.user)
    viewer.require(Action.TYPE_INDICATOR)
    towns = viewer.coordinated_municipalities()
    if not towns:
        raise PermissionDenied("Загружать показатели файлом может координатор муниципалитета.")
    result = None
    if request.method == "POST":
        town = next((m for m in towns if str(m.pk) == request.POST.get("municipality")), None)
        upload = request.FILES.get("file")
        if town is None or upload is None:
            messages.error(request, "Выберите муниципалитет и файл XLSX.")
        elif (upload.size or 0) > MAX_UPLOAD:
            messages.error(request, "Файл больше 5 МБ.")
        else:
            result = import_file(by=request.user, municipality=town, name=upload.name or "",
                                 content=upload.read())
    recent = TypedImport.objects.filter(municipality__in=towns)[:10]
    return render(request, "monitoring/import.html", {
        "towns": towns, "result": result, "recent": recent, "columns": COLUMNS,
        "indicators": typed_indicators(), "can_type": True},
        status=400 if result is not None and result.status == TypedImport.FAILED else 200)
