"""What the support pages' cached parts depend on, read in one small query.

The events list, the calendar and «Кто получил помощь» are read all day by many people and change
only when someone records something. Every such change goes through a service that writes a
history row (simple-history; the demo writes through the same services), so the newest history
row of each support record — with the role assignments (who sees what), the official lists
(which schools are in the system) and the teachers' courses (who was reached) — is a version:
a part rendered for one version is valid until any of them moves
(:func:`opora.web.core.history_tables.data_version`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from opora.web.accounts.models import RoleAssignment
from opora.web.analysis.models import ApprovedList
from opora.web.core.fragments import Fragment, cached_fragment
from opora.web.core.history_tables import data_version
from opora.web.staff.models import Course
from opora.web.support.models import (
    Community,
    CommunityMember,
    Curatorship,
    EventAttachment,
    EventParticipant,
    EventSchool,
    FollowUpTask,
    Mentorship,
    NetworkPair,
    SupportEvent,
)

#: A part lives an hour at most: its key names what it depends on; the hour bounds the memory.
PART_SECONDS = 3600
_AUDITED: tuple[type[Model], ...] = (
    SupportEvent, EventSchool, EventParticipant, FollowUpTask, EventAttachment, Curatorship,
    NetworkPair, Mentorship, Community, CommunityMember, RoleAssignment, Course)


#: The official lists: a new one, or one withdrawn, changes which schools are in the system.
_LISTS: tuple[tuple[type[Model], str], ...] = ((ApprovedList, "id"), (ApprovedList, "withdrawn_at"))


def support_version() -> str:
    """The newest history row of every support record, the role assignments and courses, and
    the newest official list — one row of numbers joined into a string."""
    return data_version(_AUDITED, _LISTS)


def cached_part(key: str, build: Any) -> Fragment:
    """``build()`` (a :class:`Fragment`) kept under ``key`` and the current version."""
    return cached_fragment(f"{key}:v{support_version()}", build, seconds=PART_SECONDS)
