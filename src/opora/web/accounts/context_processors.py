"""Template context every page gets: the user's roles for the header, and which sections the
navigation offers (a link is shown only to roles whose pages open; the pages check again)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from opora.web.accounts.scope import Action, Viewer
from opora.web.accounts.selectors import role_titles


def roles(request: HttpRequest) -> dict[str, Any]:
    """Role titles for the header and the navigation's sections; one query for all of it."""
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return {"role_titles": [], "can_manage_roles": False, "can_upload": False,
                "can_analyse": False}
    viewer = Viewer.of(user)
    return {"role_titles": role_titles(user),
            "can_manage_roles": viewer.may(Action.MANAGE_ROLES),
            "can_upload": viewer.may(Action.UPLOAD),
            "can_analyse": viewer.may(Action.SEE_ANALYSIS)}
