"""Authentication with the sign-in limit inside it: every way in passes the same check.

The sign-in page, the administration's sign-in page and any later form or API that calls
``django.contrib.auth.authenticate`` end up here (settings.AUTHENTICATION_BACKENDS), so none of
them can be used to guess around the limit (issue 10: ``/admin/login/`` was unlimited).
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import HttpRequest

from opora.web.accounts import throttle
from opora.web.core.plain_reads import ModelColumns, model_columns


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

    def get_user(self, user_id: Any) -> Any:
        """The signed-in user of every request, read by plain SQL built once per process.

        Django's own read (``_default_manager.get(pk=…)``) builds the same one-row SELECT anew
        on every request: ~0.3 ms of Python, a twentieth of a cached card (issue 18). An
        inactive user is refused as Django refuses it (``user_can_authenticate``).
        """
        try:
            pk = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = user_by_pk(pk)
        return user if user is not None and self.user_can_authenticate(user) else None


@functools.cache
def _user_read() -> tuple[str, ModelColumns]:
    model = get_user_model()
    columns = model_columns(model)
    pk = model._meta.pk
    assert pk is not None
    table = connection.ops.quote_name(model._meta.db_table)
    return (f"SELECT {', '.join(columns.sql)} FROM {table} "
            f"WHERE {table}.{connection.ops.quote_name(str(pk.column))} = %s", columns)


def user_by_pk(pk: Any) -> Any:
    """The user ``pk`` as the ORM would read it (every field, converted as the ORM converts
    it), or ``None``."""
    sql, columns = _user_read()
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    return None if row is None else columns.instance(row)
