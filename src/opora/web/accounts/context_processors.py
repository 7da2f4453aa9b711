"""Template context every page gets: the user's roles for the header, and the roles link."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from opora.web.accounts.models import COORDINATOR
from opora.web.accounts.selectors import role_title, roles_of


def roles(request: HttpRequest) -> dict[str, Any]:
    """Titles («Муниципальный координатор — Первый») and whether to show «Пользователи и роли».

    One query for both, so every page's query budget stays as it was.
    """
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return {"role_titles": [], "can_manage_roles": False}
    if user.is_superuser:
        return {"role_titles": ["Администратор"], "can_manage_roles": user.is_active}
    assignments = list(roles_of(user))
    return {"role_titles": [role_title(a) for a in assignments],
            "can_manage_roles": user.is_active and any(a.role == COORDINATOR
                                                       for a in assignments)}
