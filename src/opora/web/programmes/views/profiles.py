"""Risk profile pages: the heat map of schools × factors, typing a school's profile of a year,
loading the questionnaire results table."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from opora.formats.grouping import group_problems
from opora.formats.templates.files import TEMPLATES_DIR
from opora.glossary import risk_catalogue
from opora.web.accounts.scope import Action
from opora.web.imports.problems_xlsx import problems_to_xlsx
from opora.web.programmes.forms import FileForm, ProfileForm
from opora.web.programmes.models import RiskProfile, RiskProfileImport
from opora.web.programmes.profile_import import import_risk_profiles, profile_imports_of
from opora.web.programmes.selectors.profiles import heat_map, profile_form_values
from opora.web.programmes.services.profiles import EDITORS, FactorValue, profile_save
from opora.web.programmes.views.common import (
    cached_body,
    put_errors,
    town_of,
    viewer_of,
    xlsx_response,
)
from opora.web.schools.models import Municipality

MAX_TABLE_BYTES = 10 * 1024 * 1024


@login_required
@require_GET
def heat_map_page(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    town, choices = town_of(request, viewer)
    year = request.GET.get("year", "")

    def context() -> dict[str, Any]:
        data = heat_map(viewer=viewer, municipality=town,
                        year=int(year) if year.isdigit() else None,
                        flag=request.GET.get("flag", ""))
        return {"map": data, "town": town, "towns": choices,
                "may_load": viewer.may(Action.EDIT_RISK_PROFILE)}

    return render(request, "programmes/heat_map.html", {
        "town": town, "body": cached_body(request, "programmes/_heat_map_body.html", context)})


@login_required
def profile_edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    viewer = viewer_of(request)
    school = viewer.school(pk)
    viewer.require(Action.EDIT_RISK_PROFILE, school, EDITORS)
    if not 2015 <= year <= 2100:
        raise Http404("Нет такого года")
    profile = RiskProfile.objects.filter(school=school, year=year).prefetch_related(
        "levels").first()
    catalogue = risk_catalogue(year)
    form = ProfileForm(request.POST or None, catalogue=catalogue,
                       initial=profile_form_values(profile))
    if request.method == "POST" and form.is_valid():
        values = {code: FactorValue(form.cleaned_data[f"level_{code}"],
                                    form.cleaned_data[f"score_{code}"])
                  for code in catalogue.factors if form.cleaned_data[f"level_{code}"]}
        try:
            profile_save(by=request.user, school=school, year=year, values=values)
        except ValidationError as exc:
            put_errors(form, exc, {code: f"level_{code}" for code in catalogue.factors})
        else:
            messages.success(request, f"Рисковый профиль {year} года сохранён.")
            return redirect("programmes:school", pk=school.pk)
    return render(request, "programmes/profile_form.html", {
        "school": school, "year": year, "catalogue": catalogue, "form": form,
        "profile": profile}, status=400 if form.is_bound else 200)


def _import_towns(request: HttpRequest) -> list[Municipality]:
    viewer = viewer_of(request)
    viewer.require(Action.EDIT_RISK_PROFILE, None, EDITORS)
    ids = set(viewer.coordinated_ids()) | {a.school.municipality_id for a in viewer.assignments
                                           if a.role == "school_admin" and a.school}
    if viewer.superuser:
        return list(Municipality.objects.order_by("name"))
    return list(Municipality.objects.filter(pk__in=ids).order_by("name"))


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    choices = _import_towns(request)
    form = FileForm(request.POST or None, request.FILES or None)
    town = next((m for m in choices if str(m.pk) == request.POST.get("municipality")),
                choices[0] if len(choices) == 1 else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if town is None:
            form.add_error(None, "Выберите муниципалитет.")
        elif upload.size > MAX_TABLE_BYTES:
            form.add_error("file", "Файл больше 10 МБ — это не таблица профилей.")
        else:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"profiles{PurePath(upload.name).suffix.lower()}"
                with path.open("wb") as handle:
                    for chunk in upload.chunks():
                        handle.write(chunk)
                result = import_risk_profiles(by=request.user, municipality=town, path=path,
                                              name=PurePath(upload.name).name)
            if result.record is None:
                messages.info(request, "Этот файл уже загружен; ничего не изменено.")
                return redirect("programmes:profile-import")
            return redirect("programmes:profile-import-result", pk=result.record.pk)
    recent = profile_imports_of(viewer_of(request)).select_related("imported_by")[:20]
    return render(request, "programmes/profile_import.html", {
        "form": form, "towns": choices, "recent": recent},
        status=400 if form.is_bound else 200)


def _record(request: HttpRequest, pk: int) -> RiskProfileImport:
    found = profile_imports_of(viewer_of(request)).select_related(
        "municipality", "imported_by").filter(pk=pk).first()
    if found is None:
        raise Http404("Загрузка не найдена")
    return found


@login_required
@require_GET
def import_result(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    page = Paginator(record.problems, 100).get_page(request.GET.get("page"))
    return render(request, "programmes/import_result.html", {
        "record": record, "groups": group_problems(record.problems), "page": page,
        "title": "Загрузка рисковых профилей",
        "problems_url": "programmes:profile-import-problems", "again": "programmes:profile-import"})


@login_required
@require_GET
def import_problems(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    return xlsx_response(problems_to_xlsx(record.problems), f"problems-{record.pk}.xlsx")


@login_required
@require_GET
def template_download(request: HttpRequest) -> FileResponse:
    return FileResponse((TEMPLATES_DIR / "risk_profile.xlsx").open("rb"), as_attachment=True,
                        filename="рисковый-профиль.xlsx")
