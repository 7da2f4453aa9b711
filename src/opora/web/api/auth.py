"""Who calls the API: a personal token (``Authorization: Bearer …``) or a signed-in browser.

Either way the request's user is set and the same :class:`~opora.web.accounts.scope.Viewer` as
in the pages decides what it sees. A browser session is accepted so that the interactive
documentation (/api/v1/docs) can be tried by a signed-in user; the first resources only read.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from opora.web.api.tokens import token_user


class PersonalToken(HttpBearer):
    openapi_description = "Личный ключ API (страница «Ключи API» или «opora manage create_token»)"

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


AUTH = [PersonalToken(), django_auth]
