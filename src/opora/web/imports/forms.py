"""Forms of the import page: the upload (files + hints) and the choice of a school to match."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from opora.catalog import PROCEDURES, SUBJECTS
from opora.web.imports.targets import UploadTarget
from opora.web.imports.uploads import upload_problem
from opora.web.schools.models import School


def max_files() -> int:
    """Files in one upload (``OPORA_MAX_UPLOAD_FILES``, 1000: a municipality sends ~500 ВПР
    forms at once); Django refuses a request with more (``DATA_UPLOAD_MAX_NUMBER_FILES``)."""
    return int(getattr(settings, "OPORA_MAX_UPLOAD_FILES", 1000))



class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django documentation, «Uploading multiple files»)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    target = forms.ChoiceField(label="Для кого загружаются данные")
    uploads = MultipleFileField(label="Файлы", error_messages={"required": "Выберите хотя бы один файл."})
    procedure = forms.ChoiceField(label="Процедура", required=False, choices=[
        ("", "— из файла —"), *((p.code, p.name_ru) for p in PROCEDURES.values())])
    subject = forms.ChoiceField(label="Предмет", required=False, choices=[
        ("", "— из файла —"), *((s.code, s.name_ru) for s in SUBJECTS.values())])
    grade = forms.IntegerField(label="Класс", required=False, min_value=1, max_value=11,
                               error_messages={"min_value": "Класс — от 1 до 11.",
                                               "max_value": "Класс — от 1 до 11.",
                                               "invalid": "Класс — целое число от 1 до 11."})
    year = forms.IntegerField(label="Год проведения", required=False, min_value=2000,
                              max_value=2100, error_messages={
                                  "min_value": "Год — четыре цифры, например 2025.",
                                  "max_value": "Год — четыре цифры, например 2025.",
                                  "invalid": "Год — четыре цифры, например 2025."})
    school = forms.ModelChoiceField(label="Школа (для бланков ВПР без логина в имени файла)",
                                    queryset=School.objects.none(), required=False,
                                    empty_label="— из файла —")

    def __init__(self, *args: Any, targets: list[UploadTarget], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = {t.value: t for t in targets}
        choices = [(t.value, t.label) for t in targets]
        self.fields["target"].choices = choices  # type: ignore[attr-defined]
        municipalities = [t.municipality.pk for t in targets if t.school is None]
        if not municipalities:  # a school administrator: the school is always their own
            del self.fields["school"]
            return
        self.fields["school"].queryset = School.objects.filter(  # type: ignore[attr-defined]
            municipality__in=municipalities).order_by("number", "short_name")

    def clean_uploads(self) -> list[Any]:
        files = self.cleaned_data["uploads"]
        if len(files) > max_files():
            raise forms.ValidationError(
                f"За один раз можно загрузить не больше {max_files()} файлов.")
        problems = [p for p in (upload_problem(f) for f in files) if p]
        if problems:
            raise forms.ValidationError([*problems, "Ни один файл не сохранён: исправьте и "
                                                    "загрузите снова."])
        return list(files)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target, school = self.targets.get(data.get("target", "")), data.get("school")
        if target is not None and school is not None and (
                target.school is not None or school.municipality_id != target.municipality.pk):
            self.add_error("school", "Эта школа не из муниципалитета, для которого "
                                         "загружаются данные.")
        return data

    def chosen_target(self) -> UploadTarget:
        return self.targets[self.cleaned_data["target"]]

    def hints(self) -> dict[str, Any]:
        data = self.cleaned_data
        school = data.get("school")
        return {"procedure": data.get("procedure"), "subject": data.get("subject"),
                "grade": data.get("grade"), "year": data.get("year"),
                "school_key": school.key if school else None}


class MatchForm(forms.Form):
    """«Сопоставить с …»: which registry school of the municipality an unknown name means."""

    key = forms.CharField(widget=forms.HiddenInput)
    school = forms.ModelChoiceField(label="Школа реестра", queryset=School.objects.none(),
                                    error_messages={"required": "Выберите школу.",
                                                    "invalid_choice": "Такой школы нет в "
                                                    "муниципалитете."})

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(  # type: ignore[attr-defined]
            municipality_id=municipality_id).order_by("number", "short_name")
