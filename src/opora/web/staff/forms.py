"""Forms of the staff pages: a teacher, leaving, a diagnostic, a route (ИОМ) with its steps, a
course. The rules live on the models and in the services; a form puts their Russian messages
beside the boxes they concern."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from opora.glossary import DEFICIT_DOMAINS
from opora.teaching import TEACHING_SUBJECT_NAMES
from opora.web.staff.models import (
    DOMAIN_CHOICES,
    INSTRUMENT_CHOICES,
    LEVEL_CHOICES,
    STEP_KIND_CHOICES,
    STEP_STATUS_CHOICES,
    Course,
    Teacher,
    TeacherDiagnostic,
)
from opora.web.staff.services import DomainResult, StepInput

_DATE = {"type": "date"}
_NUMBER = {"inputmode": "decimal", "class": "num-input"}
BAD_NUMBER = "Введите число (дробную часть — через запятую)."
BAD_DATE = "Введите дату: день, месяц и год."


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _date_field(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=_DateInput(),
                           error_messages={"invalid": BAD_DATE,
                                           "required": "Укажите дату."})


class TeacherForm(forms.ModelForm):
    subjects = forms.MultipleChoiceField(
        label="Предметы", required=False, widget=forms.CheckboxSelectMultiple,
        choices=list(TEACHING_SUBJECT_NAMES.items()))

    class Meta:
        model = Teacher
        fields = ("name", "name_is_code", "position", "subjects", "category",
                  "experience_years", "active_from")
        widgets: ClassVar[dict[str, Any]] = {"active_from": _DateInput()}
        error_messages: ClassVar[dict[str, dict[str, str]]] = {"experience_years": {"invalid": "Введите целое число лет."},
                          "active_from": {"invalid": BAD_DATE}}


class TeacherEndForm(forms.Form):
    active_to = _date_field("Дата ухода")


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ("title", "provider", "hours", "start", "end", "completed",
                  "certificate_number")
        widgets: ClassVar[dict[str, Any]] = {"start": _DateInput(), "end": _DateInput()}
        error_messages: ClassVar[dict[str, dict[str, str]]] = {"hours": {"invalid": "Введите целое число часов."},
                          "start": {"invalid": BAD_DATE}, "end": {"invalid": BAD_DATE}}


class DiagnosticForm(forms.Form):
    """The date, the instrument and, per domain of the glossary, a score of a maximum or a
    level; a domain left empty was not assessed."""

    date = _date_field("Дата диагностики")
    instrument = forms.ChoiceField(label="Инструмент", choices=INSTRUMENT_CHOICES)
    note = forms.CharField(label="Примечание", required=False, max_length=300)

    def __init__(self, *args: Any, diagnostic: TeacherDiagnostic | None = None,
                 **kwargs: Any) -> None:
        if diagnostic is not None and "initial" not in kwargs:
            kwargs["initial"] = _diagnostic_initial(diagnostic)
        super().__init__(*args, **kwargs)
        for code, _ in DOMAIN_CHOICES:
            for prefix, label in (("score", "балл"), ("max_score", "из")):
                self.fields[f"{prefix}_{code}"] = forms.FloatField(
                    label=label, required=False, localize=True,
                    widget=forms.TextInput(attrs=_NUMBER),
                    error_messages={"invalid": BAD_NUMBER})
            self.fields[f"level_{code}"] = forms.ChoiceField(
                label="или уровень", required=False, choices=[("", "—"), *LEVEL_CHOICES])

    def domain_rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(name, [self[f"score_{code}"], self[f"max_score_{code}"], self[f"level_{code}"]])
                for code, name in DOMAIN_CHOICES]

    def results(self) -> list[DomainResult]:
        """The domains filled in (after ``is_valid``)."""
        found = []
        for code, _ in DOMAIN_CHOICES:
            score, out_of = (self.cleaned_data.get(f"score_{code}"),
                             self.cleaned_data.get(f"max_score_{code}"))
            level = self.cleaned_data.get(f"level_{code}") or ""
            if score is None and out_of is None and not level:
                continue
            found.append(DomainResult(code, score, out_of, level))
        return found

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("date", "instrument", "note")}


def _diagnostic_initial(diagnostic: TeacherDiagnostic) -> dict[str, Any]:
    initial: dict[str, Any] = {"date": diagnostic.date, "instrument": diagnostic.instrument,
                               "note": diagnostic.note}
    for score in diagnostic.scores.all():
        initial[f"score_{score.domain}"] = score.score
        initial[f"max_score_{score.domain}"] = score.max_score
        initial[f"level_{score.domain}"] = score.level
    return initial


class RouteForm(forms.Form):
    title = forms.CharField(label="Название", max_length=300)
    start = _date_field("Начало")
    end = _date_field("Окончание")
    deficits = forms.MultipleChoiceField(
        label="Дефициты (области)", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(t.code, t.name_ru) for t in DEFICIT_DOMAINS])
    diagnostic = forms.TypedChoiceField(label="По итогам диагностики", required=False,
                                        coerce=int, empty_value=None)

    def __init__(self, *args: Any, diagnostics: list[TeacherDiagnostic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.diagnostics = {d.pk: d for d in diagnostics}
        self.fields["diagnostic"].choices = [  # type: ignore[attr-defined]
            ("", "—"), *((d.pk, f"{d.date:%d.%m.%Y}, {d.get_instrument_display()}")
                         for d in diagnostics)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "Дата окончания раньше даты начала.")
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"title": data["title"], "start": data["start"], "end": data["end"],
                "deficits": list(data["deficits"]),
                "diagnostic": self.diagnostics.get(data["diagnostic"])}


class StepForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="Вид", choices=STEP_KIND_CHOICES)
    title = forms.CharField(label="Содержание", max_length=300)
    start = _date_field("Начало", required=False)
    end = _date_field("Окончание", required=False)
    status = forms.ChoiceField(label="Состояние", choices=STEP_STATUS_CHOICES)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "Дата окончания раньше даты начала.")
        return data

    def value(self) -> StepInput:
        data = self.cleaned_data
        return StepInput(data["kind"], data["title"], data.get("start"), data.get("end"),
                         data["status"], data.get("pk"))


StepFormSet = forms.formset_factory(StepForm, extra=2, can_delete=True)


def steps_initial(route: Any) -> list[dict[str, Any]]:
    return [{"pk": s.pk, "kind": s.kind, "title": s.title, "start": s.start, "end": s.end,
             "status": s.status} for s in route.steps.all()]


def put_errors(form: forms.BaseForm, refused: ValidationError,
               step_forms: Sequence[forms.BaseForm] | None = None) -> None:
    """A service's errors beside their boxes: a form field by name, step ``i`` (the i-th of
    ``step_forms``) by ``steps-<i>-<field>``, anything else at the top of the form."""
    for name, messages in refused.message_dict.items():
        target, field = form, name
        if name.startswith("steps-") and step_forms:
            _, index, field = name.split("-", 2)
            target = step_forms[int(index)]
        for message in messages:
            target.add_error(field if field in target.fields else None, message)


def today() -> datetime.date:
    return timezone.localdate()
