"""A card's analysis sections survive the cache: kept in the database under the card's key.

Rendering the analysis sections is the dearest part of a card (nine queries and the tables);
when the cache loses them — Redis restarted, or a day passed — the card reads them back from
``StoredAnalysisPart`` with one query, and a newer run or list replaces them at once.
"""

from __future__ import annotations

from typing import Any

import pytest
from card_visits import card_visit, finished_run
from django.core.cache import cache
from web_data import dataset

from opora.web.card.models import StoredAnalysisPart
from opora.web.imports.services import load_tables
from opora.web.schools.models import School

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(client: Any, django_user_model: Any) -> School:
    client.force_login(django_user_model.objects.create_superuser("kept-admin", "", "x"))
    assert load_tables(tables=dataset()).ok
    return School.objects.get(key="N1")


def _analysis(page: str) -> str:
    """The analysis sections of a card page (between the heading of the flags and the
    passport)."""
    return page[page.index("Отметки по расчёту"):page.index("Социальный паспорт")]


def test_a_card_whose_cache_was_emptied_reads_its_analysis_back_with_fewer_queries(
        client: Any, school: School) -> None:
    finished_run(school, 5, "обоснование из расчёта")
    first, built = card_visit(client, school)
    assert StoredAnalysisPart.objects.filter(school=school).count() == 1
    cache.clear()  # as after a Redis restart
    second, kept = card_visit(client, school)
    # the analysis: one query instead of the nine of its build and the upsert's two or three
    assert kept < built - 8
    assert _analysis(second) == _analysis(first) and "обоснование из расчёта" in second


def test_a_newer_run_replaces_the_kept_sections_instead_of_adding_rows(
        client: Any, school: School) -> None:
    finished_run(school, 10, "обоснование старого расчёта")
    card_visit(client, school)
    old_key = StoredAnalysisPart.objects.get(school=school).key
    new = finished_run(school, 0, "обоснование нового расчёта")
    cache.clear()
    page, _ = card_visit(client, school)
    assert f"Отметки по расчёту № {new.pk}" in page and "обоснование нового" in page
    kept = StoredAnalysisPart.objects.get(school=school)  # one row per way of showing
    assert kept.variant == "draft" and kept.key != old_key


def test_a_kept_part_under_another_key_is_never_shown(client: Any, school: School) -> None:
    finished_run(school, 5, "настоящее обоснование")
    card_visit(client, school)
    StoredAnalysisPart.objects.filter(school=school).update(key="opora:старый-ключ")
    cache.clear()
    page, _ = card_visit(client, school)
    assert "настоящее обоснование" in page
    assert StoredAnalysisPart.objects.get(school=school).key != "opora:старый-ключ"
