"""A password someone else chose must be changed at the first sign-in (issue 10).

A coordinator or administrator who creates a user on the roles page sees a one-time password and
hands it over (:func:`opora.web.accounts.services.user_create_with_role`); that person knew the
password, so until its owner chooses their own, every page sends them to «Смена пароля»
(:class:`opora.web.accounts.middleware.PasswordChangeRequiredMiddleware`).

The flag is a database row (:class:`PasswordChangeRequired`), copied into the session at sign-in
(:func:`remember_at_sign_in`, connected in ``apps.py``) so that pages read it without a query.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from opora.web.accounts.models import PasswordChangeRequired

SESSION_KEY = "opora_password_change_required"


def require_password_change(user: Any) -> None:
    PasswordChangeRequired.objects.get_or_create(user=user)


def password_change_required(request: HttpRequest) -> bool:
    return bool(request.session.get(SESSION_KEY))


def remember_at_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """``user_logged_in`` receiver: note in the session whether the password must be changed."""
    if request is None or not hasattr(request, "session"):
        return
    if PasswordChangeRequired.objects.filter(user=user).exists():
        request.session[SESSION_KEY] = True
    else:
        request.session.pop(SESSION_KEY, None)


def password_changed(request: HttpRequest, user: Any) -> None:
    """The owner chose their own password: the flag goes, from the database and the session."""
    PasswordChangeRequired.objects.filter(user=user).delete()
    request.session.pop(SESSION_KEY, None)
