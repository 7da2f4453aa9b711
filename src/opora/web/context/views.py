"""Pages of the context passport: the form (fill in or correct a year) and its history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from opora.web.accounts.scope import Action, Viewer
from opora.web.context.forms import EDITABLE_FIELDS, ContextPassportForm
from opora.web.context.selectors import passport_for, passport_history, passport_years, school_year
from opora.web.context.services import context_passport_update
from opora.web.context.warnings import ValueWarning, passport_warnings

PASSPORT_EDITORS = ("Заполнять социальный паспорт может руководитель школы или муниципальный "
                    "координатор.")
HISTORY_READERS = "История изменений доступна муниципальному координатору."


@login_required
@require_http_methods(["GET", "POST"])
def passport_edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The passport form: school administrators (own school) and coordinators (municipality)."""
    viewer = Viewer.of(request.user)
    school = viewer.school(pk)
    viewer.require(Action.EDIT_PASSPORT, school, PASSPORT_EDITORS)
    passport = passport_for(school=school, year=year)
    form = ContextPassportForm(request.POST or None, instance=passport)
    warnings: list[ValueWarning] = []
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data.get(name) for name in EDITABLE_FIELDS}
        warnings = passport_warnings(school=school, year=year, values=values,
                                     year_label=school_year)
        if not warnings or form.confirmed(warnings):
            context_passport_update(passport=passport, user=request.user, **values)
            messages.success(request, f"Социальный паспорт за {school_year(year)} учебный год "
                                      "сохранён.")
            return redirect("school", pk=school.pk)
        form.ask_to_confirm(warnings)
    return render(request, "context/passport_form.html", {
        "school": school, "year": year, "year_label": school_year(year), "form": form,
        "is_new": passport.pk is None, "warnings": warnings,
        "warned": {w.field: w.message for w in warnings}})


@login_required
@require_GET
def passport_new(request: HttpRequest, pk: int) -> HttpResponse:
    """«Заполнить за год»: the year chosen on the card → that year's form."""
    viewer = Viewer.of(request.user)
    school = viewer.school(pk)
    viewer.require(Action.EDIT_PASSPORT, school, PASSPORT_EDITORS)
    year = request.GET.get("year", "")
    if not year.isdigit() or int(year) not in passport_years():
        messages.error(request, "Выберите учебный год из списка.")
        return redirect("school", pk=school.pk)
    return redirect("passport-edit", pk=school.pk, year=int(year))


@login_required
@require_GET
def passport_history_page(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """History of one year's passport: coordinators of the municipality and superusers."""
    viewer = Viewer.of(request.user)
    school = viewer.school(pk)
    viewer.require(Action.SEE_SCHOOL_HISTORY, school, HISTORY_READERS)
    return render(request, "audit/history.html", {
        "school": school, "entries": passport_history(school=school, year=year),
        "title": f"История изменений: социальный паспорт {school_year(year)}"})
