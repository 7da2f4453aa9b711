"""Authentication with the sign-in limit inside it: every way in passes the same check.

The sign-in page, the administration's sign-in page and any later form or API that calls
``django.contrib.auth.authenticate`` end up here (settings.AUTHENTICATION_BACKENDS), so none of
them can be used to guess around the limit (issue 10: ``/admin/login/`` was unlimited).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from opora.web.accounts import throttle


class ThrottledModelBackend(ModelBackend):
    """Django's username and password check, refused while the account or address must wait
    (no password is checked then), with every failure counted (:mod:`.throttle`)."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        if throttle.wait_seconds(request, username):
            raise PermissionDenied  # stops authenticate(): no other backend is asked either
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttle.record_failure(request, username)
        else:
            throttle.clear_failures(request, username)
        return user
