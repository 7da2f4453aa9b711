"""Forms of the programmes pages. Choices are the viewer's own (the school's staff, its events
and documents, the municipality's schools); every value a service refuses is put at its field."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from opora.formats.templates.roadmap import format_targets, parse_targets
from opora.glossary import (
    DOCUMENT_KINDS,
    FLAGS,
    INDICATOR_DIRECTIONS,
    MEASURE_STATUSES,
    REVIEW_DECISIONS,
    RISK_FACTORS,
    RISK_LEVELS,
    UNITS,
    RiskCatalogue,
    risk_factor_name,
)
from opora.web.programmes.models import DocumentCampaign, ProgramDocument, RubricCriterion
from opora.web.programmes.models.campaigns import ANTIRISK, slot_label
from opora.web.schools.models import School
from opora.web.staff.models import Teacher

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def slot_choices() -> list[tuple[str, str]]:
    """Every slot a campaign may require: the kinds, then an anti-risk programme per factor."""
    plain = [(k.code, k.name_ru) for k in DOCUMENT_KINDS]
    return plain + [(f"{ANTIRISK}:{f.code}", slot_label(f"{ANTIRISK}:{f.code}"))
                    for f in RISK_FACTORS]


class ProfileForm(forms.Form):
    """A level (or «не оценивался») and a score for every factor of the year's catalogue."""

    def __init__(self, *args: Any, catalogue: RiskCatalogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        levels = [("", "не оценивался"), *((t.code, t.name_ru) for t in RISK_LEVELS)]
        for code in catalogue.factors:
            self.fields[f"level_{code}"] = forms.ChoiceField(
                label=risk_factor_name(code), choices=levels, required=False)
            self.fields[f"score_{code}"] = forms.FloatField(
                label="балл (0–100)", required=False, min_value=0, max_value=100,
                error_messages={"min_value": "Балл — от 0 до 100.",
                                "max_value": "Балл — от 0 до 100.",
                                "invalid": "Балл — число от 0 до 100."})

    def rows(self) -> list[tuple[str, Any, Any]]:
        return [(risk_factor_name(c), self[f"level_{c}"], self[f"score_{c}"])
                for c in self.catalogue.factors]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for code in self.catalogue.factors:
            if cleaned.get(f"score_{code}") is not None and not cleaned.get(f"level_{code}"):
                self.add_error(f"level_{code}", "Укажите уровень: балл без уровня не сохраняется.")
        return cleaned


class FileForm(forms.Form):
    file = forms.FileField(label="Файл XLSX или CSV по шаблону")


class CampaignForm(forms.Form):
    title = forms.CharField(label="Название", max_length=200,
                            initial="Концептуальные документы")
    year = forms.IntegerField(label="Год программы", min_value=2015, max_value=2100)
    slots = forms.MultipleChoiceField(label="Какие документы нужны", choices=slot_choices,
                                      widget=forms.CheckboxSelectMultiple)
    schools = forms.ModelMultipleChoiceField(label="Школы", queryset=School.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)
    deadline = forms.DateField(label="Срок загрузки", widget=DATE)
    remind_days = forms.IntegerField(label="Напомнить за, дней", min_value=0, max_value=60,
                                     initial=7)

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["schools"]).queryset = schools


class UploadForm(forms.Form):
    slot = forms.ChoiceField(label="Документ")
    file = forms.FileField(label="Файл (PDF, DOCX, XLSX)")
    comment = forms.CharField(label="Комментарий к версии", max_length=500, required=False)

    def __init__(self, *args: Any, campaign: DocumentCampaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["slot"]).choices = campaign.slot_labels


class RoadmapForm(forms.Form):
    title = forms.CharField(label="Название", max_length=300,
                            initial="Дорожная карта программы развития")
    first_year = forms.IntegerField(label="Первый год", min_value=2015, max_value=2100)
    last_year = forms.IntegerField(label="Последний год", min_value=2015, max_value=2100)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first and last and not 0 <= last - first <= 5:
            self.add_error("last_year", "Период — от одного до шести лет, последний год не "
                                        "раньше первого.")
        return cleaned


class ProblemForm(forms.Form):
    title = forms.CharField(label="Проблема", max_length=500, widget=forms.Textarea(
        attrs={"rows": 2}))
    risk_factors = forms.MultipleChoiceField(
        label="Факторы риска, на которые отвечает", required=False,
        choices=[(r.code, r.name_ru) for r in RISK_FACTORS], widget=forms.CheckboxSelectMultiple)
    flags = forms.MultipleChoiceField(
        label="Отметки школы (из официального списка)", required=False,
        choices=[(f.code, f.name_ru) for f in FLAGS], widget=forms.CheckboxSelectMultiple)


class TitleForm(forms.Form):
    title = forms.CharField(label="Формулировка", max_length=500, widget=forms.Textarea(
        attrs={"rows": 2}))


class IndicatorForm(forms.Form):
    name = forms.CharField(label="Показатель", max_length=500)
    unit = forms.ChoiceField(label="Единица измерения", required=False,
                             choices=[("", "—"), *((u.code, u.full_name_ru or u.name_ru)
                                                   for u in UNITS)])
    direction = forms.ChoiceField(label="Направление",
                                  choices=[(d.code, d.name_ru) for d in INDICATOR_DIRECTIONS])
    baseline = forms.FloatField(label="Базовое значение", required=False)
    baseline_year = forms.IntegerField(label="Год базового значения", required=False,
                                       min_value=2015, max_value=2100)
    targets = forms.CharField(label="Целевые значения по годам", required=False,
                              help_text="«год: значение» через «;», например «2026: 60; 2027: 70»")
    source = forms.CharField(label="Источник данных", max_length=500, required=False)

    def clean_targets(self) -> dict[int, float]:
        text = self.cleaned_data.get("targets", "").strip()
        if not text:
            return {}
        parsed, reason = parse_targets(text)
        if reason:
            raise ValidationError(reason)
        return parsed or {}

    @staticmethod
    def initial_of(indicator: Any) -> dict[str, Any]:
        return {"name": indicator.name, "unit": indicator.unit,
                "direction": indicator.direction, "baseline": indicator.baseline,
                "baseline_year": indicator.baseline_year, "source": indicator.source,
                "targets": format_targets({int(y): float(v)
                                           for y, v in indicator.targets.items()})}


class MeasureForm(forms.Form):
    title = forms.CharField(label="Мероприятие", max_length=500, widget=forms.Textarea(
        attrs={"rows": 2}))
    deadline = forms.DateField(label="Срок", required=False, widget=DATE)
    responsible = forms.ModelChoiceField(label="Ответственный", required=False,
                                         queryset=Teacher.objects.none(),
                                         empty_label="— не назначен —")

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["responsible"]).queryset = \
            Teacher.objects.filter(school=school, active_to__isnull=True).order_by("name")


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label="Состояние", choices=[
        (t.code, t.name_ru) for t in MEASURE_STATUSES if t.code != "overdue"])
    comment = forms.CharField(label="Комментарий", required=False, widget=forms.Textarea(
        attrs={"rows": 2}))
    event = forms.ModelChoiceField(label="Подтверждение: мероприятие сопровождения",
                                   required=False, queryset=ProgramDocument.objects.none())
    document = forms.ModelChoiceField(label="Подтверждение: документ школы", required=False,
                                      queryset=ProgramDocument.objects.none())
    note = forms.CharField(label="Подтверждение: ссылка или текст", max_length=500,
                           required=False)

    def __init__(self, *args: Any, events: Any, documents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["event"]).queryset = events
        cast(forms.ModelChoiceField, self.fields["document"]).queryset = documents


class CommentForm(forms.Form):
    text = forms.CharField(label="Комментарий", widget=forms.Textarea(attrs={"rows": 3}))


class ReviewCampaignForm(forms.Form):
    title = forms.CharField(label="Название", max_length=200)
    deadline = forms.DateField(label="Срок экспертизы", widget=DATE)
    document_campaign = forms.ModelChoiceField(
        label="Что оценивать", required=False, queryset=DocumentCampaign.objects.none(),
        empty_label="дорожные карты школ")
    rubric = forms.ChoiceField(label="Экспертный лист")

    def __init__(self, *args: Any, campaigns: Any, rubrics: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["document_campaign"]).queryset = campaigns
        cast(forms.ChoiceField, self.fields["rubric"]).choices = [
            (str(r.pk), r.title) for r in rubrics]


class AssignForm(forms.Form):
    reviewer = forms.ChoiceField(label="Эксперт")

    def __init__(self, *args: Any, reviewers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["reviewer"]).choices = [
            (str(u.pk), u.get_full_name() or u.get_username()) for u in reviewers]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Решение", widget=forms.RadioSelect,
                                 choices=[(d.code, d.name_ru) for d in REVIEW_DECISIONS])
    comment = forms.CharField(label="Комментарий для школы", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class SheetForm(forms.Form):
    """A score (on the criterion's scale) and a comment per criterion, and an overall comment."""

    overall = forms.CharField(label="Общий комментарий", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, criteria: list[RubricCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"score_{c.pk}"] = forms.IntegerField(
                label=f"{c.code}) {c.title}", required=False, widget=forms.Select(
                    choices=[("", "—"), *((s, f"{s} — {d}" if d else str(s))
                                          for s, d in c.scale)]),
                error_messages={"invalid": "Балл — целое число."})
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label="Комментарий", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def rows(self) -> list[tuple[RubricCriterion, Any, Any]]:
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}

    def comments(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"comment_{c.pk}", "") for c in self.criteria}
