"""The context passport form: every field with its unit, the model's own range and part/whole rules.

No rule is written twice: the shares' 0–100 % validators and the check constraints live on
:class:`~opora.web.context.models.ContextPassport`; a ModelForm runs them (``full_clean``) and
this form only puts a constraint's message next to the fields the constraint names, so the
person sees which boxes to fix.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import CheckConstraint, Q

from opora.glossary import CONTEXT_COLUMN_BY_CODE, CONTEXT_COLUMNS
from opora.web.context.models import ContextPassport

#: Every passport value, in the glossary's order (the form's, the card's and the template's).
EDITABLE_FIELDS: tuple[str, ...] = tuple(column.code for column in CONTEXT_COLUMNS)
_WHOLE_NUMBERS = tuple(column.code for column in CONTEXT_COLUMNS if column.kind == "count")


def unit_of(name: str) -> str:
    """The unit a field is entered in («%», «чел.», «ед.», «км»): the glossary's."""
    return CONTEXT_COLUMN_BY_CODE[name].unit


def label_of(name: str) -> str:
    """The field's Russian name as the glossary gives it («Неполные семьи»)."""
    return CONTEXT_COLUMN_BY_CODE[name].name_ru


class ContextPassportForm(forms.ModelForm):
    """The passport's values; ``confirm_warnings`` and ``warned`` carry the person's «yes, these
    values are right» for the warnings they were shown (:mod:`opora.web.context.warnings`)."""

    confirm_warnings = forms.BooleanField(
        required=False, label="Значения проверены: сохранить как введено")
    warned = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = ContextPassport
        fields = EDITABLE_FIELDS
        localized_fields = EDITABLE_FIELDS  # «12,5» as people type it in Russia; «12.5» works too

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in EDITABLE_FIELDS:
            form_field = self.fields[name]
            form_field.label = label_of(name)
            form_field.unit = unit_of(name)  # type: ignore[attr-defined]  # shown after the box
            form_field.widget.attrs.update({"inputmode": "decimal", "class": "num-input"})
            form_field.error_messages["invalid"] = "Введите число (дробную часть — через запятую)."
        for name in _WHOLE_NUMBERS:
            self.fields[name].error_messages["invalid"] = "Введите целое число."
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def value_fields(self) -> list[forms.BoundField]:
        """The passport's boxes, without the confirmation controls."""
        return [self[name] for name in EDITABLE_FIELDS]

    def confirmed(self, warnings: list[Any]) -> bool:
        """The person ticked «проверены» for exactly these warnings (values changed since they
        were shown are asked about again)."""
        return bool(self.cleaned_data.get("confirm_warnings")) and \
            self.cleaned_data.get("warned") == _signature(warnings)

    def ask_to_confirm(self, warnings: list[Any]) -> None:
        """Show the form again with the warnings' signature and the box unticked."""
        data = dict(self.data.items())  # the QueryDict's last value of each field
        data["warned"], data["confirm_warnings"] = _signature(warnings), ""
        self.data = data


    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # a private hook django-stubs does not declare
        general = set(self.errors.get("__all__", []))
        for constraint in ContextPassport._meta.constraints:
            if not isinstance(constraint, CheckConstraint):
                continue
            assert isinstance(constraint.condition, Q)  # the passport's checks are Q objects
            message = constraint.get_violation_error_message()
            if message not in general:
                continue
            for name in sorted(constraint.condition.referenced_base_fields):
                if name in self.fields and name not in self.errors:
                    self.add_error(name, message)


def _signature(warnings: list[Any]) -> str:
    return ";".join(w.signature for w in warnings)
