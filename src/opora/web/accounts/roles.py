"""Reads for the roles page: who holds which role within the manager's territory, and history.

A coordinator manages their municipality: the methodist roles over it and the school roles
(руководитель школы, куратор) over its schools. They see exactly those assignments — never a
role the same person holds elsewhere — and the audit trail of those assignments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from opora.web.accounts.models import ROLE_LABELS, RoleAssignment
from opora.web.accounts.scope import Viewer
from opora.web.accounts.selectors import role_title
from opora.web.audit.history import HistoryEntry, history_entries
from opora.web.schools.models import Municipality, Region, School

HISTORY_LIMIT = 200


def _in_territory(user: Any, prefix: str = "") -> Q | None:
    """Assignments (or their history rows) inside the manager's territory; None = everything."""
    if user.is_superuser:
        return None
    ids = Viewer.of(user).coordinated_ids()
    return (Q(**{f"{prefix}municipality_id__in": ids})
            | Q(**{f"{prefix}school_id__in": School.objects.filter(municipality_id__in=ids)
                   .values("pk")}))


def assignments_managed_by(user: Any) -> QuerySet[RoleAssignment]:
    rows = RoleAssignment.objects.select_related("user", "region", "municipality", "school")
    condition = _in_territory(user)
    return rows if condition is None else rows.filter(condition)


def assignment_get(*, user: Any, pk: int) -> RoleAssignment | None:
    """One assignment inside the manager's territory; None when absent or outside it."""
    return assignments_managed_by(user).filter(pk=pk).first()


@dataclass
class UserRoles:
    user: Any
    assignments: list[tuple[RoleAssignment, str, bool]] = field(default_factory=list)


def users_with_roles(manager: Any) -> list[UserRoles]:
    """Users with their in-territory assignments: (assignment, title, may this manager revoke)."""
    people: dict[int, UserRoles] = {}
    rows = assignments_managed_by(manager).order_by("user__username", "role", "pk")
    viewer = Viewer.of(manager)
    for a in rows:
        entry = people.setdefault(a.user_id, UserRoles(a.user))
        territory = a.school.municipality_id if a.school is not None else a.municipality_id
        revocable = viewer.may_grant(role=a.role, municipality_id=territory)
        entry.assignments.append((a, role_title(a), revocable))
    return list(people.values())


def scope_options(manager: Any) -> dict[str, Any]:
    """Schools, municipalities and regions the manager may choose in the forms."""
    if manager.is_superuser:
        return {"schools": School.objects.select_related("municipality")
                .order_by("municipality__name", "number", "short_name"),
                "municipalities": Municipality.objects.order_by("name"),
                "regions": Region.objects.order_by("name")}
    ids = Viewer.of(manager).coordinated_ids()
    return {"schools": School.objects.filter(municipality_id__in=ids).select_related(
                "municipality").order_by("municipality__name", "number", "short_name"),
            "municipalities": Municipality.objects.filter(pk__in=ids).order_by("name"),
            "regions": Region.objects.none()}


def _describe(record: Any, show: Any) -> str:
    scope = next(show(n, getattr(record, f"{n}_id")) for n in ("school", "municipality", "region")
                 if getattr(record, f"{n}_id") is not None)
    return f"{show('user', record.user_id)}: {ROLE_LABELS.get(record.role, record.role)} — {scope}"


def role_history(manager: Any) -> list[HistoryEntry]:
    """The latest changes of assignments in the territory, newest first (audit)."""
    records = RoleAssignment.history.select_related("history_user").order_by("-history_date")
    condition = _in_territory(manager)
    if condition is not None:
        records = records.filter(condition)
    return history_entries(list(records[:HISTORY_LIMIT]), model=RoleAssignment,
                           describe=_describe)

