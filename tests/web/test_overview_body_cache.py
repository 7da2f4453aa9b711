"""The overview's content is rendered once per reader and address, yet every change shows at once.

The body is kept under a version of what it depends on (opora.web.analysis.versions): the
reader's roles, the finished runs, the official lists and the registry. A repeat visit must read
it from the cache (fewer queries, the same page) and any of those changes must show on the very
next visit.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opora.web.accounts import models as roles
from opora.web.accounts.models import RoleAssignment
from opora.web.accounts.services import role_assign, role_revoke, user_create
from opora.web.analysis.models import DONE, AnalysisRun, RunFlag
from opora.web.analysis.official import run_approve
from opora.web.schools.models import School
from opora.web.schools.services import (
    municipality_get_or_create,
    region_get_or_create,
    school_create,
)

pytestmark = pytest.mark.django_db


def _finished_run(municipality: Any, schools: list[School], flagged: list[School]) -> AnalysisRun:
    run = AnalysisRun.objects.create(scope="municipality", municipality=municipality,
                                     region=municipality.region, status=DONE,
                                     finished_at=timezone.now(),
                                     run_json={"years_analysed": [2023, 2024]})
    RunFlag.objects.bulk_create([RunFlag(run=run, school=s, flag="low_results", year=2024,
                                         evidence="…") for s in flagged])
    return run


@pytest.fixture
def town(django_user_model: Any) -> dict[str, Any]:
    region = region_get_or_create(name="Область Кэша")
    municipality = municipality_get_or_create(region=region, name="Кэшгород")
    schools = [school_create(municipality=municipality, key=f"K{i}", short_name=f"Школа № {i}",
                             number=i) for i in range(1, 5)]
    run = _finished_run(municipality, schools, schools[:1])
    admin = django_user_model.objects.create_superuser("cache-admin", "", "x")
    coordinator = user_create(username="cache-coordinator", password="x")
    role_assign(user=coordinator, role=roles.COORDINATOR, municipality=municipality)
    return {"municipality": municipality, "schools": schools, "run": run, "admin": admin,
            "coordinator": coordinator}


def _main(page: str) -> str:
    return page[page.index("<main>"):page.index("</main>")]


def _visit(client: Any, path: str = "/analysis/", **headers: str) -> tuple[str, int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
    return response.content.decode(), response.status_code, len(captured)


def test_a_repeat_visit_reads_the_same_page_from_the_cache_with_fewer_queries(
        client: Any, town: dict[str, Any]) -> None:
    cache.clear()
    client.force_login(town["coordinator"])
    first, status, first_queries = _visit(client)
    second, _, second_queries = _visit(client)
    assert status == 200 and "Школа № 1" in first
    # session, user, the version (one small query: analysis/versions.py); the header's roles
    # come from the cache too (accounts/assignment_cache.py)
    assert second_queries == 3 < first_queries
    assert _main(second) == _main(first)  # the frame differs: a new CSRF token each time


def test_a_school_renamed_after_a_visit_shows_on_the_next_visit(
        client: Any, town: dict[str, Any]) -> None:
    client.force_login(town["coordinator"])
    assert "Лицей имени Кэша" not in _visit(client)[0]
    school = town["schools"][0]
    school.short_name = "Лицей имени Кэша"
    school.save()  # as the admin saves it: a history row
    page = _visit(client)[0]
    assert "Лицей имени Кэша" in page


def test_a_run_finished_after_a_visit_is_offered_on_the_next_visit(
        client: Any, town: dict[str, Any]) -> None:
    client.force_login(town["coordinator"])
    before = _visit(client)[0]
    newer = _finished_run(town["municipality"], town["schools"], town["schools"][:2])
    after = _visit(client)[0]
    assert f'value="{newer.pk}"' not in before and f'value="{newer.pk}"' in after


def test_a_list_approved_after_a_visit_shows_on_the_next_visit(
        client: Any, town: dict[str, Any]) -> None:
    client.force_login(town["coordinator"])
    before = _visit(client)[0]
    run_approve(user=town["coordinator"], run=town["run"], year=2024, basis="приказ № 1")
    after = _visit(client)[0]
    assert "приказ № 1" not in before and after != before


def test_a_reader_whose_role_is_revoked_is_refused_although_the_page_is_cached(
        client: Any, town: dict[str, Any]) -> None:
    client.force_login(town["coordinator"])
    assert _visit(client)[1] == 200
    assignment = RoleAssignment.objects.get(user=town["coordinator"])
    role_revoke(assignment=assignment, by=town["admin"])
    assert _visit(client)[1] == 403


def test_two_readers_of_the_same_address_do_not_share_a_page(
        client: Any, town: dict[str, Any]) -> None:
    other = municipality_get_or_create(region=town["municipality"].region, name="Второгород")
    school_create(municipality=other, key="V1", short_name="Школа Второгорода", number=1)
    client.force_login(town["admin"])  # first: a shared page would carry its choice of towns
    admin_page = _visit(client)[0]
    client.force_login(town["coordinator"])
    coordinator_page = _visit(client)[0]
    assert "Второгород" in admin_page and "Второгород" not in coordinator_page


def test_the_list_alone_for_htmx_is_kept_apart_from_the_whole_page(
        client: Any, town: dict[str, Any]) -> None:
    client.force_login(town["coordinator"])
    whole = _visit(client)[0]
    alone, status, _ = _visit(client, **{"HX-Request": "true"})
    assert status == 200 and "<html" in whole and "<html" not in alone
    assert "Школа № 1" in alone
