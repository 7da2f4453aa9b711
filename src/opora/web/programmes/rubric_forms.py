"""Forms of the expert-sheet (rubric) editor: the sheet's title and a formset of its criteria —
each with its title, description, scale and descriptors, an order number and «удалить».

Descriptors are typed one a line, for one score or a range::

    0: не представлено
    1–2: представлено частично
    3: представлено полностью

The forms only read what was typed; the rules (scale 0–10, titles unique …) are the service's
(``services.rubrics``), its refusals put back at their fields here.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from opora.web.programmes.services.rubrics import CriterionData

_LINE = re.compile(r"^\s*(-?\d+)\s*(?:(?:-|–|—|\.\.|…)\s*(-?\d+)\s*)?[:.)]\s*(.*)$")


def parse_descriptors(text: str) -> dict[str, str]:
    """``{"0": "…", "1": "…"}`` from lines «балл: описание» or «от–до: описание»."""
    found: dict[str, str] = {}
    for raw in text.splitlines():
        if not raw.strip():
            continue
        match = _LINE.match(raw)
        if match is None:
            raise ValidationError(f"Строка «{raw.strip()}»: пишите «балл: описание» или "
                                  "«от–до: описание», например «1–2: представлено частично».")
        low, high, words = int(match[1]), int(match[2] or match[1]), match[3].strip()
        if high < low:
            raise ValidationError(f"Строка «{raw.strip()}»: диапазон от меньшего балла к "
                                  "большему.")
        for score in range(low, high + 1):
            if str(score) in found:
                raise ValidationError(f"Балл {score} описан дважды.")
            found[str(score)] = words
    return found


def format_descriptors(descriptors: dict[str, str]) -> str:
    """The lines of :func:`parse_descriptors`, equal neighbours joined into a range."""
    scores = sorted((int(k), v) for k, v in (descriptors or {}).items() if v)
    lines: list[str] = []
    start = 0
    for i, (score, words) in enumerate(scores):
        last = i + 1 == len(scores) or scores[i + 1] != (score + 1, words)
        if last:
            low = scores[start][0]
            lines.append(f"{low}: {words}" if low == score else f"{low}–{score}: {words}")
            start = i + 1
    return "\n".join(lines)


class RubricForm(forms.Form):
    title = forms.CharField(label="Название листа", max_length=200, required=False)


class CriterionForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label="Критерий", max_length=300, required=False)
    description = forms.CharField(label="Что оценивается", required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    min_score = forms.IntegerField(label="Наименьший балл", initial=0,
                                   error_messages={"required": "Укажите наименьший балл.",
                                                   "invalid": "Балл — целое число."})
    max_score = forms.IntegerField(label="Наибольший балл", initial=3,
                                   error_messages={"required": "Укажите наибольший балл.",
                                                   "invalid": "Балл — целое число."})
    descriptors = forms.CharField(
        label="Описания баллов", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="По строке на балл или диапазон: «0: не представлено», «1–2: частично».")

    def clean_descriptors(self) -> dict[str, str]:
        return parse_descriptors(self.cleaned_data.get("descriptors") or "")

    def data_of(self) -> CriterionData:
        d = self.cleaned_data
        return CriterionData(pk=d.get("pk"), title=d.get("title") or "",
                             description=d.get("description") or "",
                             min_score=d["min_score"], max_score=d["max_score"],
                             descriptors=d.get("descriptors") or {})


class BaseCriterionFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "ORDER" in form.fields:
            form.fields["ORDER"].label = "Порядок"
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Удалить критерий"

    def kept(self) -> list[forms.Form]:
        """The criteria in their new order: the deleted and the untouched blank rows left out."""
        return list(self.ordered_forms)


CriterionFormSet = forms.formset_factory(CriterionForm, formset=BaseCriterionFormSet, extra=1,
                                         can_order=True, can_delete=True)
PREFIX = "criteria"


def criterion_initial(criteria: list[CriterionData], *, keep_pk: bool) -> list[dict[str, Any]]:
    return [{"pk": c.pk if keep_pk else None, "title": c.title, "description": c.description,
             "min_score": c.min_score, "max_score": c.max_score,
             "descriptors": format_descriptors(c.descriptors)} for c in criteria]


def with_row_added(data: Any) -> Any:
    """The posted formset with one blank criterion more (the «Добавить критерий» button)."""
    data = data.copy()
    total = int(data.get(f"{PREFIX}-TOTAL_FORMS") or 0)
    data[f"{PREFIX}-TOTAL_FORMS"] = str(total + 1)
    data[f"{PREFIX}-{total}-min_score"] = "0"
    data[f"{PREFIX}-{total}-max_score"] = "3"
    return data


def put_rubric_errors(form: RubricForm, formset: BaseCriterionFormSet,
                      exc: ValidationError) -> list[str]:
    """The service's refusal at its field: ``title``; ``criteria.<n>.<field>`` at the n-th
    kept criterion; the messages about the criteria as a whole (``criteria``) returned."""
    kept, over_all = formset.kept(), list[str]()
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return over_all
    for key, messages in exc.message_dict.items():
        for message in messages:
            parts = key.split(".")
            if key == "title":
                form.add_error("title", message)
            elif len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(kept):
                kept[int(parts[1])].add_error(parts[2], message)
            elif key == "criteria":
                over_all.append(message)
            else:
                form.add_error(None, message)
    return over_all
