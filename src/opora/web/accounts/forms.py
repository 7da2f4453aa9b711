"""Forms of the roles page: assign a role to an existing user, create a user with a role.

The scope a role needs (school, municipality or region) follows ``SCOPE_OF_ROLE``; only that one
is kept, whatever else the browser sent. The choice fields accept any existing school or
municipality, so that a scope outside the manager's territory reaches the permission check and
is refused there with 403, not hidden behind «выберите корректный вариант».
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db import models

from opora.web.accounts.models import ROLE_LABELS, SCOPE_OF_ROLE
from opora.web.schools.models import Municipality, Region, School

SCOPE_MISSING = {"school": "Для этой роли выберите школу.",
                 "municipality": "Для этой роли выберите муниципалитет.",
                 "region": "Для этой роли выберите регион."}


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Роль", choices=list(ROLE_LABELS.items()),
                             error_messages={"invalid_choice": "Выберите роль из списка."})
    school = forms.ModelChoiceField(School.objects.all(), required=False, label="Школа")
    municipality = forms.ModelChoiceField(Municipality.objects.all(), required=False,
                                          label="Муниципалитет")
    region = forms.ModelChoiceField(Region.objects.all(), required=False, label="Регион")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # forms.Form.clean returns cleaned_data
        role = data.get("role")
        if role:
            needed = SCOPE_OF_ROLE[role]
            for other in ("school", "municipality", "region"):
                if other != needed:
                    data[other] = None
            if data.get(needed) is None:
                self.add_error(needed, SCOPE_MISSING[needed])
        return data

    def scope(self) -> dict[str, Any]:
        return {n: self.cleaned_data[n] for n in ("school", "municipality", "region")
                if self.cleaned_data.get(n) is not None}


class AssignRoleForm(RoleForm):
    username = forms.CharField(label="Имя пользователя", max_length=150)

    def clean_username(self) -> Any:
        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise forms.ValidationError(f"Пользователя «{name}» нет. Создайте его в форме "
                                        "«Новый пользователь».")
        return user


class NewUserForm(RoleForm):
    username = forms.CharField(label="Имя пользователя (логин)", max_length=150)
    last_name = forms.CharField(label="Фамилия", max_length=150, required=False)
    first_name = forms.CharField(label="Имя и отчество", max_length=150, required=False)

    def clean_username(self) -> str:
        name = str(self.cleaned_data["username"]).strip()
        model = get_user_model()
        field = model._meta.get_field(model.USERNAME_FIELD)
        assert isinstance(field, models.Field)
        for validator in field.validators:
            validator(name)
        if model.objects.filter(username=name).exists():
            raise forms.ValidationError(f"Имя пользователя «{name}» уже занято.")
        return name
