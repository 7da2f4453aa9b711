"""Writes of users and their roles (keyword-only, validated, atomic, audited by simple-history)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from opora.web.accounts.models import RoleAssignment
from opora.web.schools.models import Municipality, Region, School


@transaction.atomic
def role_assign(*, user: Any, role: str, region: Region | None = None,
                municipality: Municipality | None = None,
                school: School | None = None) -> RoleAssignment:
    """Give ``user`` a role over a scope; the model's constraints refuse a wrong scope in Russian."""
    existing = RoleAssignment.objects.filter(user=user, role=role, region=region,
                                             municipality=municipality, school=school).first()
    if existing is not None:
        return existing
    assignment = RoleAssignment(user=user, role=role, region=region, municipality=municipality,
                                school=school)
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def user_create(*, username: str, password: str, first_name: str = "", last_name: str = "",
                email: str = "") -> Any:
    """Create an active user with a hashed password."""
    user = get_user_model()(username=username, first_name=first_name, last_name=last_name,
                            email=email)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user
