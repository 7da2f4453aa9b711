"""Reads for the header and lists: the titles of a user's roles.

What a user may see and do is decided by :class:`opora.web.accounts.scope.Viewer`.
"""

from __future__ import annotations

from typing import Any

from opora.web.accounts.models import ROLE_LABELS, RoleAssignment
from opora.web.accounts.scope import Viewer


def role_title(assignment: RoleAssignment) -> str:
    """«Муниципальный координатор — Первый»: the role and its scope, for the header and lists."""
    return f"{ROLE_LABELS[assignment.role]} — {assignment.scope_object}"


def role_titles(user: Any) -> list[str]:
    """The header's titles of ``user``'s roles («Администратор» for a superuser)."""
    if getattr(user, "is_superuser", False):
        return ["Администратор"]
    return [role_title(a) for a in Viewer.of(user).assignments]
