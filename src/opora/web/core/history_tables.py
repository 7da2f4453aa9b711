"""The tables of simple-history's records, looked up once per model, and the version of a set of
records read from them in one small query.

A page part that follows from recorded facts is valid until one of them changes. Every change
made through a service writes a history row, so the newest history row of each kind of record —
with the newest row of the few append-only tables that keep no history — is a version: a part
rendered for one version stays valid until any of them moves. Written as SQL on purpose, as
``card/parts.py`` does: the same through the ORM costs more to build than to run.
"""

from __future__ import annotations

import functools

from django.db import connection
from django.db.models import Model


@functools.cache
def history_table(model: type[Model]) -> str:
    """The database table of ``model``'s history records (``HistoricalRecords``).

    Read once per model and kept: ``Model.history`` is a descriptor that builds a new manager
    class on every access (``Manager.from_queryset``, which inspects the queryset's members —
    about 0.6 ms each time), and the version keys of the support pages and the school card ask
    on every request (12 models on a support page: 7 ms of a 15 ms page).
    """
    return str(model.history.model._meta.db_table)  # type: ignore[attr-defined]


@functools.cache
def _version_sql(audited: tuple[type[Model], ...],
                 columns: tuple[tuple[type[Model], str], ...]) -> str:
    parts = [f"(SELECT MAX(history_id) FROM {history_table(model)})" for model in audited]
    parts += [f"(SELECT MAX({column}) FROM {model._meta.db_table})" for model, column in columns]
    return "SELECT " + ", ".join(parts)


def data_version(audited: tuple[type[Model], ...],
                 columns: tuple[tuple[type[Model], str], ...] = ()) -> str:
    """The newest history row of each of ``audited`` and the largest value of each ``(model,
    column)`` of ``columns`` (append-only tables, timestamps), joined into one string."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(audited, columns))
        row = cursor.fetchone()
    return "-".join(str(value or 0) for value in row)
