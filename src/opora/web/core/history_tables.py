"""The tables of simple-history's records, looked up once per model."""

from __future__ import annotations

import functools

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
