"""The form that starts an analysis run: municipality, years, rules (default, pasted or a file)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe

from opora.engine.presets import PRESETS, preset_text
from opora.web.analysis.models import RuleSet
from opora.web.analysis.services import RULES_TYPED, rules_check
from opora.web.schools.models import Municipality, Region

MAX_RULES_BYTES = 100 * 1024
_YEAR_ERRORS = {"min_value": "Год — четыре цифры, например 2024.",
                "max_value": "Год — четыре цифры, например 2024.",
                "invalid": "Год — четыре цифры, например 2024."}


class RunStartForm(forms.Form):
    municipality = forms.ModelChoiceField(label="Муниципалитет", queryset=Municipality.objects.none(),
                                          empty_label=None)
    year_from = forms.IntegerField(label="С года", required=False, min_value=2000, max_value=2100,
                                   error_messages=_YEAR_ERRORS)
    year_to = forms.IntegerField(label="По год", required=False, min_value=2000, max_value=2100,
                                 error_messages=_YEAR_ERRORS)
    configuration = forms.ChoiceField(
        label="Набор правил", required=False,
        help_text="Правила по умолчанию, поставляемый набор или сохранённый из «Что если…»; "
                  "поле ниже добавляет к нему свои изменения.")
    rules_text = forms.CharField(
        label="Правила (TOML; пусто — правила по умолчанию)", required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=mark_safe("Укажите только то, что меняете, например: "
                            "<code>[identification] years = 2</code> (названия параметров — "
                            "в описании методики)"))
    rules_file = forms.FileField(label="…или файл правил .toml", required=False)
    region = forms.ModelChoiceField(
        label="…или весь регион (администратор системы)", queryset=Region.objects.none(),
        required=False, empty_label="— нет, по выбранному муниципалитету —",
        help_text="Расчёт по региону берёт значения по региону из данных всех его школ.")

    def __init__(self, *args: Any, municipalities: list[Municipality],
                 regions: list[Region] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["configuration"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = configuration_choices(municipalities)
        self.fields["municipality"].queryset = Municipality.objects.filter(  # type: ignore[attr-defined]
            pk__in=[m.pk for m in municipalities])
        if regions:
            self.fields["region"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
                pk__in=[r.pk for r in regions])
        else:
            del self.fields["region"]

    def clean_rules_file(self) -> str:
        upload = self.cleaned_data.get("rules_file")
        if not upload:
            return ""
        if not upload.name.lower().endswith(".toml"):
            raise ValidationError("Файл правил должен иметь расширение .toml.")
        if upload.size > MAX_RULES_BYTES:
            raise ValidationError("Файл правил больше 100 КБ — это не файл правил.")
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ValidationError("Файл правил не в кодировке UTF-8.") from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("year_from"), data.get("year_to")
        if first and last and last < first:
            self.add_error("year_to", "Последний год раньше первого.")
        text = data.get("rules_file") or data.get("rules_text") or ""
        base = configuration_text(data.get("configuration") or "")
        if base and text.strip():
            self.add_error("rules_text", "Выберите набор правил или впишите свои изменения, "
                                         "но не то и другое сразу.")
        text = text or base
        if data.get("rules_file") and data.get("rules_text", "").strip():
            self.add_error("rules_file", "Укажите правила одним способом: текстом или файлом.")
        try:
            rules_check(text, self._rules_place(data))
        except ValidationError as exc:
            self.add_error("rules_file" if data.get("rules_file") else "rules_text", exc)
        data["rules"] = text
        return data

    def _rules_place(self, data: dict[str, Any]) -> str:
        """Where the checked rules came from, for the error message."""
        upload = self.files.get("rules_file") if data.get("rules_file") else None
        if upload is not None:
            return f"в загруженном файле «{upload.name}»"
        if data.get("rules_text", "").strip():
            return RULES_TYPED
        return "в выбранном наборе правил"


def configuration_choices(municipalities: list[Municipality]) -> list[tuple[str, str]]:
    """«По умолчанию», the shipped presets, the sets saved for these municipalities or their
    regions."""
    choices = [("", "Правила по умолчанию")]
    choices += [(f"preset:{code}", name) for code, (name, _) in PRESETS.items()]
    regions = {m.region_id for m in municipalities}
    saved = RuleSet.objects.filter(municipality__in=[m.pk for m in municipalities]) | \
        RuleSet.objects.filter(municipality__isnull=True, region__in=regions)
    choices += [(f"set:{r.pk}", f"{r.name} (сохранён {r.created_at:%d.%m.%Y})") for r in saved]
    return choices


def configuration_text(choice: str) -> str:
    """The TOML of a chosen configuration (validated by the choices: a stranger's id is refused
    by the field before this runs)."""
    if choice.startswith("preset:"):
        return preset_text(choice.removeprefix("preset:"))
    if choice.startswith("set:"):
        found = RuleSet.objects.filter(pk=int(choice.removeprefix("set:"))).first()
        return found.rules_text if found else ""
    return ""
