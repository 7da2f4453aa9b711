"""What the overview page depends on besides its address, read in one small query.

The overview of a municipality follows from the reader's roles, the finished runs covering it,
the official lists and the school registry — nothing else changes it. Each of those changes
leaves a mark: a role assigned or revoked and a school created or renamed write a history row
(simple-history); a run that finishes gets a ``finished_at``; a list approved is a new row and a
list replaced gets a ``withdrawn_at``. The newest of each mark, with the count of finished runs
(a run deleted in the admin changes it), is a version: a page body rendered for one version stays
valid until any of them moves (:func:`overview_version`). Municipality and region names change
only in the admin: the date in the key bounds that to a day, as for the card's parts
(docs/operations.md).

Written as SQL on purpose, as ``card/parts.py`` and ``core/history_tables.py`` are: through the
ORM the query costs more to build than to run.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.db import connection

from opora.web.accounts.models import RoleAssignment
from opora.web.analysis.models import DONE, AnalysisRun, ApprovedList
from opora.web.core.history_tables import history_table
from opora.web.schools.models import School


@functools.cache
def _version_sql() -> str:
    runs, lists = AnalysisRun._meta.db_table, ApprovedList._meta.db_table
    return ("SELECT "
            f"(SELECT MAX(history_id) FROM {history_table(RoleAssignment)}), "
            f"(SELECT MAX(history_id) FROM {history_table(School)}), "
            f"(SELECT MAX(finished_at) FROM {runs} WHERE status = %s), "
            f"(SELECT COUNT(*) FROM {runs} WHERE status = %s), "
            f"(SELECT MAX(id) FROM {lists}), (SELECT COUNT(*) FROM {lists}), "
            f"(SELECT MAX(withdrawn_at) FROM {lists})")


@dataclass(frozen=True)
class OverviewVersion:
    """The marks listed in the module docstring: ``key`` joins them for a cache key;
    ``registry`` is the registry's own (the shared list's key needs only that one)."""

    marks: tuple[Any, ...]

    @property
    def key(self) -> str:
        return "-".join(str(value or 0) for value in self.marks)

    @property
    def registry(self) -> int:
        return int(self.marks[1] or 0)


def overview_version() -> OverviewVersion:
    """The marks listed in the module docstring, in one small query (~0.3 ms)."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(), [DONE, DONE])
        row = cursor.fetchone()
    return OverviewVersion(tuple(row))

