"""A reader's role assignments are kept in the cache between requests, yet a change works at once.

Every page reads them (the header, the navigation, every scope check), so they are cached per
user (opora.web.accounts.assignment_cache) and dropped whenever an assignment of that user is
saved or deleted — by the role services, the admin or a cascade.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opora.web.accounts import models as roles
from opora.web.accounts.models import RoleAssignment
from opora.web.accounts.services import role_assign, role_revoke, user_create
from opora.web.schools.services import municipality_get_or_create, region_get_or_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def town() -> Any:
    region = region_get_or_create(name="Область Ролей")
    return municipality_get_or_create(region=region, name="Ролевск")


def _roles_queries(client: Any, path: str = "/schools/") -> tuple[int, int]:
    """The page's status and how many of its queries read role assignments."""
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    table = RoleAssignment._meta.db_table
    return status, sum(f'FROM "{table}"' in q["sql"] for q in captured.captured_queries)


def test_a_second_page_of_the_same_reader_does_not_read_the_assignments_again(
        client: Any, town: Any) -> None:
    user = user_create(username="role-reader", password="x")
    role_assign(user=user, role=roles.COORDINATOR, municipality=town)
    client.force_login(user)
    assert _roles_queries(client) == (200, 1)
    assert _roles_queries(client) == (200, 0)


def test_a_role_revoked_is_refused_on_the_very_next_request(client: Any, town: Any,
                                                           django_user_model: Any) -> None:
    admin = django_user_model.objects.create_superuser("role-admin", "", "x")
    user = user_create(username="role-revoked", password="x")
    role_assign(user=user, role=roles.COORDINATOR, municipality=town)
    client.force_login(user)
    assert client.get("/analysis/runs/").status_code == 200
    role_revoke(assignment=RoleAssignment.objects.get(user=user), by=admin)
    assert client.get("/analysis/runs/").status_code == 403


def test_a_role_given_or_removed_outside_the_services_also_works_at_once(
        client: Any, town: Any) -> None:
    user = user_create(username="role-admin-edit", password="x")
    client.force_login(user)
    assert client.get("/analysis/runs/").status_code == 403
    assignment = RoleAssignment.objects.create(user=user, role=roles.COORDINATOR,
                                               municipality=town)  # as the admin saves it
    assert client.get("/analysis/runs/").status_code == 200
    assignment.delete()
    assert client.get("/analysis/runs/").status_code == 403
