"""The school card reuses its rendered analysis and loaded data, yet shows every change at once.

The parts are cached by what they depend on (opora.web.card.parts): a new import, a new
finished run and a passport edit must each show on the next visit, and a second visit must do
less work (fewer queries) than the first.
"""

from __future__ import annotations

from typing import Any

import pytest
from card_visits import card_visit, finished_run
from web_data import dataset, without

from opora.web.context.models import ContextPassport
from opora.web.imports.services import load_tables
from opora.web.schools.models import School

pytestmark = pytest.mark.django_db

ALL_BUT_RESULTS = ("results",)
ONLY_RESULTS = ("schools", "scales", "tasks", "aggregates", "context", "markers", "reference")


@pytest.fixture
def admin(client: Any, django_user_model: Any) -> Any:
    user = django_user_model.objects.create_superuser("card-admin", "", "x")
    client.force_login(user)
    return user


def _results_table(client: Any, school: School) -> str:
    response = client.get(f"/schools/{school.pk}/results/")
    assert response.status_code == 200
    return str(response.content.decode())


def test_results_imported_after_a_visit_show_on_the_next_visit(client: Any, admin: Any) -> None:
    assert load_tables(tables=without(dataset(), *ALL_BUT_RESULTS)).ok
    school = School.objects.get(key="N1")
    card_visit(client, school)
    before = _results_table(client, school)
    assert "опубликованный итог" in before and "результаты участников" not in before
    assert load_tables(tables=without(dataset(), *ONLY_RESULTS)).ok
    after = _results_table(client, school)
    assert "результаты участников" in after  # N1: 3 participants, one absent → 2 present
    assert '<td class="num">2</td>' in after


def test_the_card_says_no_results_until_some_are_imported(client: Any, admin: Any) -> None:
    tables = without(dataset(), "results", "aggregates")
    assert load_tables(tables=tables).ok
    school = School.objects.get(key="N1")
    assert "Результаты оценочных процедур ещё не загружены" in card_visit(client, school)[0]
    assert load_tables(tables=without(dataset(), *ONLY_RESULTS)).ok
    page, _ = card_visit(client, school)
    assert "ещё не загружены" not in page and f"/schools/{school.pk}/results/" in page


def test_a_second_visit_takes_fewer_queries_and_still_shows_a_passport_edit(
        client: Any, admin: Any) -> None:
    assert load_tables(tables=dataset()).ok
    school = School.objects.get(key="N1")
    _, first = card_visit(client, school)
    _, second = card_visit(client, school)
    # session, user, the school with its newest run and import (one query: card/parts.py),
    # the passport rows for the passport part's key (a superuser has no role assignments)
    assert second == 4 < first
    # a write that bypasses every service and the history still shows: the key is the content
    ContextPassport.objects.filter(school=school).update(students=4321)
    page, third = card_visit(client, school)
    assert "4321" in page
    assert third == second  # built again from the rows its key was read from: no query more


def test_a_run_finished_after_a_visit_shows_on_the_next_visit(client: Any, admin: Any) -> None:
    assert load_tables(tables=dataset()).ok
    school = School.objects.get(key="N1")
    old = finished_run(school, 10, "обоснование старого расчёта")
    page, _ = card_visit(client, school)
    assert f"Отметки по расчёту № {old.pk}" in page and "обоснование старого" in page
    new = finished_run(school, 0, "обоснование нового расчёта")
    page, _ = card_visit(client, school)
    assert f"Отметки по расчёту № {new.pk}" in page and "обоснование нового" in page


def test_the_school_list_counts_loaded_rows_anew_after_each_import(client: Any,
                                                                   admin: Any) -> None:
    def counts() -> dict[str, tuple[int, int, int]]:
        page = client.get("/schools/")
        return {s.key: (s.context_count, s.results_count, s.aggregates_count)
                for s in page.context["schools"]}

    assert load_tables(tables=without(dataset(), *ALL_BUT_RESULTS)).ok
    # web_data: one passport per school; published totals for N1, N2, S1; no results yet
    assert counts() == {"N1": (1, 0, 1), "N2": (1, 0, 1), "S1": (1, 0, 1)}
    assert load_tables(tables=without(dataset(), *ONLY_RESULTS)).ok
    # results: N1 — 3 rows (one participant absent), N2 — 2 rows
    assert counts() == {"N1": (1, 3, 1), "N2": (1, 2, 1), "S1": (1, 0, 1)}


def test_a_school_renamed_behind_the_forms_back_shows_its_new_name_and_address_at_once(
        client: Any, admin: Any) -> None:
    assert load_tables(tables=without(dataset(), *ALL_BUT_RESULTS)).ok
    school = School.objects.get(key="N1")
    card_visit(client, school)
    # a raw update writes no history row: the head's key is the school's row itself
    School.objects.filter(pk=school.pk).update(short_name="Лицей № 9", address="ул. Новая, 1")
    school.municipality.__class__.objects.filter(pk=school.municipality_id).update(
        name="Новоназванный район")
    page, _ = card_visit(client, school)
    assert "<h1>Лицей № 9</h1>" in page and "ул. Новая, 1" in page
    assert "Новоназванный район" in page


def test_the_history_link_is_shown_to_whoever_may_see_it_from_the_same_cache(
        client: Any, admin: Any, django_user_model: Any) -> None:
    from opora.web.accounts import models as roles
    from opora.web.accounts.services import role_assign

    assert load_tables(tables=without(dataset(), *ALL_BUT_RESULTS)).ok
    school = School.objects.get(key="N1")
    history = f"/schools/{school.pk}/history/"
    assert history in card_visit(client, school)[0]  # a superuser: rendered with the link
    methodist = django_user_model.objects.create_user("card-methodist", password="x")
    role_assign(user=methodist, role=roles.METHODIST, municipality=school.municipality, by=admin)
    client.force_login(methodist)
    assert history not in card_visit(client, school)[0]
