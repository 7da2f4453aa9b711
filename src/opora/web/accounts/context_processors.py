"""Template context every page gets: the user's roles for the header."""

from __future__ import annotations

from django.http import HttpRequest

from opora.web.accounts.selectors import role_titles


def roles(request: HttpRequest) -> dict[str, list[str]]:
    user = getattr(request, "user", None)
    return {"role_titles": role_titles(user) if user is not None else []}
