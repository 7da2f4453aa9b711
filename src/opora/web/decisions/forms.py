"""Forms of the decisions pages (Russian labels; validation of dates and required reasons)."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from opora.web.decisions.models import PlanMeasure
from opora.web.decisions.terms import (
    ADDRESSEES,
    DECISION_STATUSES,
    MEETING_KINDS,
    choices,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Users(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


def _users(users: list[Any]) -> _Users:
    from django.contrib.auth import get_user_model

    return _Users(queryset=get_user_model().objects.filter(pk__in=[u.pk for u in users]),
                  required=False, label="Ответственный пользователь (получит уведомление)",
                  empty_label="— не выбран —")


class AcceptForm(forms.Form):
    text = forms.CharField(label="Рекомендация", widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateField(label="Срок", widget=DATE)
    responsible = forms.CharField(label="Ответственный (должность, ФИО)", max_length=200)

    def __init__(self, *args: Any, users: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_user"] = _users(users or [])


class DeclineForm(forms.Form):
    reason = forms.CharField(label="Почему отклонена", required=False, max_length=500)


class CloseForm(forms.Form):
    result = forms.ChoiceField(label="Итог", widget=forms.RadioSelect,
                               choices=[("done", "выполнено"), ("not_done", "не выполнено")])
    outcome = forms.CharField(label="Что сделано (или причина невыполнения)", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label="Подтверждающий файл (необязательно)", required=False)


class RecommendationForm(forms.Form):
    addressee = forms.ChoiceField(label="Кому", choices=choices(ADDRESSEES))
    school: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, required=False, label="Школа",
                                    empty_label="— муниципалитет в целом —")
    text = forms.CharField(label="Рекомендация", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, schools: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]


class MeetingForm(forms.Form):
    date = forms.DateField(label="Дата", widget=DATE)
    kind = forms.ChoiceField(label="Вид", choices=choices(MEETING_KINDS))
    number = forms.CharField(label="Номер протокола", required=False, max_length=50)
    agenda = forms.CharField(label="Повестка", widget=forms.Textarea(attrs={"rows": 4}))
    attendees = forms.CharField(label="Присутствовали", required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))


class ItemForm(forms.Form):
    heard = forms.CharField(label="Слушали", widget=forms.Textarea(attrs={"rows": 2}))
    spoke = forms.CharField(label="Выступили", required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    decided = forms.CharField(label="Решили", widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    text = forms.CharField(label="Решение", widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.CharField(label="Ответственный", max_length=200)
    deadline = forms.DateField(label="Срок", widget=DATE)
    documents = forms.CharField(label="Документы (номера приказов)", required=False,
                                max_length=300)

    def __init__(self, *args: Any, users: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_user"] = _users(users or [])


class DecisionStatusForm(forms.Form):
    status = forms.ChoiceField(label="Состояние", choices=choices(DECISION_STATUSES))
    note = forms.CharField(label="Отметка об исполнении", required=False, max_length=1000)
    documents = forms.CharField(label="Документы", required=False, max_length=300)


class MeasureForm(forms.ModelForm):
    class Meta:
        model = PlanMeasure
        fields = ("section", "position", "measure", "timing", "due_on", "responsible", "result",
                  "status")
        widgets: ClassVar[dict[str, Any]] = {"due_on": DATE, "measure": forms.Textarea(attrs={"rows": 2}),
                   "result": forms.Textarea(attrs={"rows": 2})}


class StageForm(forms.Form):
    starts_on = forms.DateField(label="Начало", widget=DATE)
    due_on = forms.DateField(label="Срок", widget=DATE)
    done = forms.BooleanField(label="Этап завершён", required=False)

    def __init__(self, *args: Any, users: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_user"] = _users(users or [])
