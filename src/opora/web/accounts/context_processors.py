"""Template context every page gets: the user's roles for the header, and the roles link."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from opora.web.accounts.models import COORDINATOR, METHODIST, REGIONAL, SCHOOL_ADMIN
from opora.web.accounts.selectors import held_roles, role_title

UPLOADERS = {COORDINATOR, SCHOOL_ADMIN}  # who may use «Загрузка данных» (imports/targets.py)
ANALYSTS = {COORDINATOR, METHODIST, REGIONAL}  # who may see «Обзор», «Расчёты» (analysis)


def roles(request: HttpRequest) -> dict[str, Any]:
    """Role titles for the header and which sections the navigation offers.

    A link is shown only to roles whose pages open (the pages check again and answer 403).
    One query for all of it, so every page's query budget stays as it was.
    """
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return {"role_titles": [], "can_manage_roles": False, "can_upload": False,
                "can_analyse": False}
    if user.is_superuser:
        return {"role_titles": ["Администратор"], "can_manage_roles": user.is_active,
                "can_upload": user.is_active, "can_analyse": user.is_active}
    assignments = held_roles(user)
    held = {a.role for a in assignments} if user.is_active else set()
    return {"role_titles": [role_title(a) for a in assignments],
            "can_manage_roles": COORDINATOR in held,
            "can_upload": bool(held & UPLOADERS), "can_analyse": bool(held & ANALYSTS)}
