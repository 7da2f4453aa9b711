"""«Что если…» on a run's page: the settings form, the list it would make, saving and running it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from opora.engine.config import ConfigError, load_rules_text
from opora.web.accounts.scope import Action, Viewer
from opora.web.analysis.labels import subject_name
from opora.web.analysis.models import DONE, AnalysisRun, RuleSet
from opora.web.analysis.selectors import run_get
from opora.web.analysis.services import run_start
from opora.web.analysis.whatif import Settings, rule_inputs_load, settings_text, whatif

CONFIDENCES = [(0.8, "80 %"), (0.9, "90 %"), (0.95, "95 %"), (0.99, "99 %")]


class SettingsForm(forms.Form):
    years = forms.IntegerField(label="Окно, лет (N)", min_value=1, max_value=6)
    min_low_years = forms.IntegerField(label="Лет ниже региона из окна (K)", min_value=1,
                                       max_value=6)
    confidence = forms.TypedChoiceField(label="Уровень доверия интервала", coerce=float,
                                        choices=CONFIDENCES)
    min_gap_pct = forms.FloatField(label="Минимальная разница с регионом, п. п.", min_value=0,
                                   max_value=30)
    min_participants = forms.IntegerField(label="Минимум участников в работе", min_value=1,
                                          max_value=200)
    subjects = forms.MultipleChoiceField(label="Предметы")
    adverse_share_pct = forms.FloatField(label="ШНСУ: доля самых неблагоприятных школ, %",
                                         min_value=1, max_value=60)

    def __init__(self, *args: Any, subjects: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["subjects"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(s, subject_name(s)) for s in subjects]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("min_low_years") and data.get("years") and \
                data["min_low_years"] > data["years"]:
            self.add_error("min_low_years", "K не может быть больше окна N.")
        return data

    def settings(self) -> Settings:
        d = self.cleaned_data
        return Settings(d["years"], d["min_low_years"], d["confidence"], d["min_gap_pct"],
                        d["min_participants"], tuple(d["subjects"]), d["adverse_share_pct"])


def _allowed_run(request: HttpRequest, pk: int) -> AnalysisRun:
    run = run_get(user=request.user, pk=pk)
    Viewer.of(request.user).require(Action.TRY_RULES, run, (
        "Проверять другие настройки может координатор муниципалитета или региональный "
        "координатор."))
    if run.status != DONE:
        raise ValidationError("Расчёт ещё не завершён.")
    return run


def _subjects(run: AnalysisRun, base: Settings) -> list[str]:
    inputs = rule_inputs_load(run)
    found = set(base.subjects)
    if inputs is not None:
        found |= set(inputs["cell_stats"].column("subject").unique().to_pylist())
    return sorted(found, key=subject_name)


def whatif_context(request: HttpRequest, run: AnalysisRun) -> dict[str, Any]:
    """The section on the run page: the form with the run's own settings."""
    if run.status != DONE or not Viewer.of(request.user).may(Action.TRY_RULES, run):
        return {"whatif_form": None}
    base = Settings.of(load_rules_text(run.rules_text))
    form = SettingsForm(initial={**base.__dict__, "subjects": list(base.subjects)},
                        subjects=_subjects(run, base))
    return {"whatif_form": form}


@login_required
@require_GET
def whatif_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The list the chosen settings would make (htmx swaps it into the run page)."""
    run = _allowed_run(request, pk)
    base = Settings.of(load_rules_text(run.rules_text))
    form = SettingsForm(request.GET, subjects=_subjects(run, base))
    context: dict[str, Any] = {"run": run, "whatif_form": form, "result": None}
    if form.is_valid():
        context["result"] = whatif(run, form.settings())
    template = ("analysis/_run_whatif_result.html" if request.headers.get("HX-Request")
                else "analysis/whatif.html")
    return render(request, template, context, status=200 if form.is_valid() else 400)


@login_required
@require_POST
def whatif_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the settings as a named configuration, or start a run with them at once."""
    run = _allowed_run(request, pk)
    base = Settings.of(load_rules_text(run.rules_text))
    form = SettingsForm(request.POST, subjects=_subjects(run, base))
    name = request.POST.get("name", "").strip()
    if not form.is_valid():
        messages.error(request, "Настройки не приняты: проверьте поля формы «Что если».")
        return redirect("analysis:run", pk=run.pk)
    text = settings_text(run.rules_text, form.settings())
    try:
        load_rules_text(text)
    except ConfigError as exc:
        messages.error(request, f"Настройки не приняты: {exc}")
        return redirect("analysis:run", pk=run.pk)
    if request.POST.get("action") == "run":
        new = run_start(user=request.user, municipality=run.municipality,
                        region=None if run.municipality else run.region,
                        year_from=run.year_from, year_to=run.year_to, rules_text=text)
        messages.success(request, "Расчёт с этими настройками поставлен в очередь; он будет "
                                  "черновиком, пока вы его не утвердите.")
        return redirect("analysis:run", pk=new.pk)
    if not name:
        messages.error(request, "Назовите набор правил, чтобы сохранить его.")
        return redirect("analysis:run", pk=run.pk)
    RuleSet.objects.create(name=name, rules_text=text, region=run.region,
                           municipality=run.municipality,
                           created_by=request.user if request.user.is_authenticated else None)
    messages.success(request, f"Набор правил «{name}» сохранён: его можно выбрать при запуске "
                              "расчёта.")
    return redirect("analysis:run", pk=run.pk)
