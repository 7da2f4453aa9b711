"""Writes of users and their roles (keyword-only, validated, atomic, audited by simple-history)."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from opora.web.accounts.models import RoleAssignment
from opora.web.accounts.passwords import require_password_change
from opora.web.accounts.scope import Viewer
from opora.web.schools.models import Municipality, Region, School


@transaction.atomic
def role_assign(*, user: Any, role: str, region: Region | None = None,
                municipality: Municipality | None = None,
                school: School | None = None, by: Any = None, reason: str = "") -> RoleAssignment:
    """Give ``user`` a role over a scope; the model's constraints refuse a wrong scope in Russian.

    ``by`` (who grants) and ``reason`` go to the audit trail (simple-history).
    """
    existing = RoleAssignment.objects.filter(user=user, role=role, region=region,
                                             municipality=municipality, school=school).first()
    if existing is not None:
        return existing
    assignment = RoleAssignment(user=user, role=role, region=region, municipality=municipality,
                                school=school)
    assignment.full_clean()
    _audit(assignment, by=by, reason=reason)
    assignment.save()
    Viewer.forget(user)
    return assignment


def _audit(record: Any, *, by: Any, reason: str) -> None:
    if by is not None:
        record._history_user = by  # read by simple-history
    if reason:
        record._change_reason = reason


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, by: Any) -> None:
    """Take a role away; the history keeps the assignment and who revoked it."""
    _audit(assignment, by=by, reason="")
    assignment.delete()
    Viewer.forget(assignment.user)


PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/l/I


def one_time_password(length: int = 14) -> str:
    """A random password to hand over once (~80 bits: 56 symbols, 14 characters)."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


@transaction.atomic
def user_create_with_role(*, username: str, role: str, by: Any, first_name: str = "",
                          last_name: str = "", **scope: Any) -> tuple[Any, str]:
    """Create a user with a one-time password and one role; nothing is saved if the role fails.

    The person who created the user knows the password: its owner must change it at the first
    sign-in (:mod:`opora.web.accounts.passwords`)."""
    password = one_time_password()
    user = user_create(username=username, password=password, first_name=first_name,
                       last_name=last_name)
    require_password_change(user)
    role_assign(user=user, role=role, by=by, reason="новый пользователь", **scope)
    return user, password


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
