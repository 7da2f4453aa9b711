"""The event form: what a curator, a methodist or the coordinator types after (or before) an event.

The choices are the viewer's own: the schools they may record events for (a curator: the
assigned ones — a school outside them is refused with «школа не закреплена за вами»), the
working teachers of those schools grouped by school. :meth:`EventForm.clean` builds the
:class:`~opora.web.support.services.events.EventData` and puts each of
:func:`~opora.web.support.services.events.event_problems`' messages at its field; attached files
are checked here too, so a rejected form saves nothing, files included. Participants who are at
another event at the same time are a warning the person confirms.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from opora.glossary import EVENT_KINDS, EVENT_STATUSES, FLAGS, ORGANISER_KINDS, RISK_FACTORS
from opora.web.accounts.scope import Viewer
from opora.web.schools.models import School
from opora.web.staff.models import Teacher
from opora.web.staff.subjects import TEACHING_SUBJECT_NAMES
from opora.web.support.selectors import recordable_schools
from opora.web.support.services.attachments import ALLOWED_TEXT, check_upload
from opora.web.support.services.events import (
    NOT_YOURS,
    EventData,
    double_bookings,
    event_problems,
)

#: Where each problem of :func:`event_problems` is shown.
FIELD_OF = {"starts_at": "date", "ends_at": "end_time", "organiser_school": "organiser_school"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class EventForm(forms.Form):
    kind = forms.ChoiceField(label="Вид", choices=[(k.code, k.name_ru) for k in EVENT_KINDS])
    kind_name = forms.CharField(label="Название (для «Другое»)", required=False, max_length=200)
    topic = forms.CharField(label="Тема", max_length=300)
    date = forms.DateField(label="Дата", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    start_time = forms.TimeField(label="Начало", widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}))
    end_date = forms.DateField(label="Дата окончания (если другой день)", required=False,
                               widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    end_time = forms.TimeField(label="Окончание", widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}))
    online = forms.BooleanField(label="Онлайн", required=False)
    place = forms.CharField(label="Место", required=False, max_length=300)
    status = forms.ChoiceField(label="Состояние",
                               choices=[(s.code, s.name_ru) for s in EVENT_STATUSES])
    status_reason = forms.CharField(label="Причина (для перенесённых и отменённых)",
                                    required=False, max_length=500)
    organiser_kind = forms.ChoiceField(label="Организатор",
                                       choices=[(o.code, o.name_ru) for o in ORGANISER_KINDS])
    organiser_school = forms.ModelChoiceField(label="Школа-лидер (если проводит она)",
                                              queryset=School.objects.none(), required=False)
    schools = forms.ModelMultipleChoiceField(
        label="Школы", queryset=School.objects.none(),
        error_messages={"invalid_choice": "Школа не закреплена за вами: записывать мероприятия "
                                          "можно только для своих школ.",
                        "required": "Укажите хотя бы одну школу."})
    participants = forms.MultipleChoiceField(label="Участники (педагоги)", required=False)
    subjects = forms.MultipleChoiceField(label="Предметы", required=False,
                                         choices=list(TEACHING_SUBJECT_NAMES.items()))
    risk_factors = forms.MultipleChoiceField(
        label="Факторы риска, на которые направлено", required=False,
        choices=[(r.code, r.name_ru) for r in RISK_FACTORS], widget=forms.CheckboxSelectMultiple)
    flags = forms.MultipleChoiceField(label="Отметки школ, на которые направлено", required=False,
                                      choices=[(f.code, f.name_ru) for f in FLAGS],
                                      widget=forms.CheckboxSelectMultiple)
    outcome = forms.CharField(label="Итоги", required=False, widget=forms.Textarea)
    agreements = forms.CharField(label="Договорённости", required=False, widget=forms.Textarea)
    attachments = MultipleFileField(label=f"Файлы ({ALLOWED_TEXT})", required=False)
    confirm_overlaps = forms.BooleanField(
        label="Пересечения проверены: сохранить", required=False)

    def __init__(self, *args: Any, viewer: Viewer, event: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer, self.event = viewer, event
        schools = recordable_schools(viewer)
        if event is not None:  # an editor keeps the event's schools even if no longer theirs
            schools = schools | School.objects.filter(pk__in=event.school_ids)
        cast(forms.ModelMultipleChoiceField, self.fields["schools"]).queryset = \
            schools.distinct()
        cast(forms.ModelChoiceField, self.fields["organiser_school"]).queryset = \
            School.objects.filter(
            municipality_id__in=schools.values("municipality_id")).order_by("number",
                                                                           "short_name")
        self.teachers = {t.pk: t for t in Teacher.objects.filter(
            school__in=schools.values("pk")).select_related("school")
            .order_by("school__number", "school__short_name", "name")}
        grouped: dict[str, list[tuple[str, str]]] = {}
        for teacher in self.teachers.values():
            grouped.setdefault(teacher.school.short_name, []).append(
                (str(teacher.pk), f"{teacher.name} ({teacher.position_name.lower()})"))
        cast(forms.MultipleChoiceField, self.fields["participants"]).choices = \
            list(grouped.items())
        self.warnings: list[str] = []
        self.data_out: EventData | None = None

    def clean_attachments(self) -> list[Any]:
        uploads = self.cleaned_data.get("attachments") or []
        for upload in uploads:
            try:
                check_upload(upload)
            except ValidationError as exc:
                self.add_error("attachments", exc)
        return uploads

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if any(name in self.errors for name in ("date", "start_time", "end_time", "schools")):
            return cleaned
        data = self._data(cleaned)
        for name, messages in event_problems(data).items():
            for message in messages:
                self.add_error(FIELD_OF.get(name, name), message)
        if not self.errors:
            self.warnings = double_bookings(data, exclude=self.event)
            if self.warnings and not cleaned.get("confirm_overlaps"):
                raise ValidationError("Некоторые участники в это время заняты на другом "
                                      "мероприятии: проверьте и подтвердите.",
                                      code="overlaps")
        self.data_out = data
        return cleaned

    def _data(self, cleaned: dict[str, Any]) -> EventData:
        day, end_day = cleaned["date"], cleaned.get("end_date") or cleaned["date"]
        starts = timezone.make_aware(dt.datetime.combine(day, cleaned["start_time"]))
        ends = timezone.make_aware(dt.datetime.combine(end_day, cleaned["end_time"]))
        organiser_kind = cleaned.get("organiser_kind", "")
        return EventData(
            kind=cleaned.get("kind", ""), kind_name=cleaned.get("kind_name", ""),
            topic=cleaned.get("topic", ""), starts_at=starts, ends_at=ends,
            online=bool(cleaned.get("online")), place=cleaned.get("place", ""),
            status=cleaned.get("status", ""), status_reason=cleaned.get("status_reason", ""),
            organiser_kind=organiser_kind,
            organiser=self.event.organiser if self.event is not None else self.viewer.user,
            organiser_school=cleaned.get("organiser_school")
            if organiser_kind == "leader_school" else None,
            schools=list(cleaned.get("schools") or []),
            participants=[self.teachers[int(pk)] for pk in cleaned.get("participants") or []],
            subjects=list(cleaned.get("subjects") or []),
            risk_factors=list(cleaned.get("risk_factors") or []),
            flags=list(cleaned.get("flags") or []),
            outcome=cleaned.get("outcome", ""), agreements=cleaned.get("agreements", ""))

    @staticmethod
    def initial_of(event: Any) -> dict[str, Any]:
        starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
        return {"kind": event.kind, "kind_name": event.kind_name, "topic": event.topic,
                "date": starts.date(), "start_time": starts.time(),
                "end_date": ends.date() if ends.date() != starts.date() else None,
                "end_time": ends.time(), "online": event.online, "place": event.place,
                "status": event.status, "status_reason": event.status_reason,
                "organiser_kind": event.organiser_kind,
                "organiser_school": event.organiser_school_id,
                "schools": sorted(event.school_ids),
                "participants": [str(p.teacher_id) for p in event.participants.all()],
                "subjects": event.subjects, "risk_factors": event.risk_factors,
                "flags": event.flags, "outcome": event.outcome, "agreements": event.agreements}


def not_yours(school: School) -> str:
    return NOT_YOURS.format(name=school.short_name)


class TaskForm(forms.Form):
    text = forms.CharField(label="Что сделать", max_length=500)
    responsible = forms.CharField(label="Ответственный", max_length=200, required=False)
    due_on = forms.DateField(label="Срок", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))


class EndForm(forms.Form):
    ended_on = forms.DateField(label="Дата окончания",
                               widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    reason = forms.CharField(label="Причина", max_length=300, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="Журнал мероприятий (XLSX или CSV по шаблону)")
