"""Who may change what: the actions beyond reading, decided from role assignments (data).

Reading is scoped by :mod:`opora.web.accounts.selectors` (a school out of scope is «not found»).
Writing is narrower (issue 4, «Sign-in and roles», «Audit»):

- the context passport: the school's administrator (own school) and the coordinator of the
  school's municipality; a curator, a methodist and regional staff only read it;
- the history of changes: coordinators of the municipality (and superusers);
- roles: a coordinator manages the school roles (руководитель школы, куратор) of their
  municipality's schools and methodists of their municipality; coordinator and regional roles are
  granted by a superuser only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opora.web.accounts.models import (
    COORDINATOR,
    CURATOR,
    METHODIST,
    REGIONAL,
    SCHOOL_ADMIN,
)
from opora.web.accounts.selectors import held_roles
from opora.web.schools.models import School

ROLES_A_COORDINATOR_GRANTS = (SCHOOL_ADMIN, CURATOR, METHODIST)
ROLES_ONLY_A_SUPERUSER_GRANTS = (COORDINATOR, REGIONAL)


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _is_superuser(user: Any) -> bool:
    return _active(user) and bool(user.is_superuser)


def coordinated_municipality_ids(user: Any) -> set[int]:
    """Municipalities where ``user`` is the coordinator (empty when inactive)."""
    if not _active(user):
        return set()
    return {a.municipality_id for a in held_roles(user)
            if a.role == COORDINATOR and a.municipality_id is not None}


@dataclass(frozen=True)
class SchoolPowers:
    """What ``user`` may do on one school's pages beyond reading them."""

    edit_passport: bool
    see_history: bool


def powers_over(user: Any, school: School) -> SchoolPowers:
    """The user's powers over ``school`` from their assignments (:func:`held_roles`)."""
    if _is_superuser(user):
        return SchoolPowers(edit_passport=True, see_history=True)
    if not _active(user):
        return SchoolPowers(edit_passport=False, see_history=False)
    coordinator = admin = False
    for a in held_roles(user):
        coordinator |= a.role == COORDINATOR and a.municipality_id == school.municipality_id
        admin |= a.role == SCHOOL_ADMIN and a.school_id == school.pk
    return SchoolPowers(edit_passport=coordinator or admin, see_history=coordinator)


def can_manage_roles(user: Any) -> bool:
    return _is_superuser(user) or bool(coordinated_municipality_ids(user))


def may_grant(user: Any, *, role: str, municipality_id: int | None = None,
              school: School | None = None, coordinated: set[int] | None = None) -> bool:
    """Whether ``user`` may grant or revoke ``role`` over this scope (superusers: anything).

    ``coordinated`` — the user's coordinated municipalities when already known (saves a query).
    """
    if _is_superuser(user):
        return True
    if role not in ROLES_A_COORDINATOR_GRANTS:
        return False
    territory = school.municipality_id if school is not None else municipality_id
    if coordinated is None:
        coordinated = coordinated_municipality_ids(user)
    return territory is not None and territory in coordinated
