"""A school administrator in a real Chromium: their own card opens, another school's does not.

The data set is a small generated municipality (``generate_tables`` → ``load_tables``, the same
path the demo takes). The administrator signs in through the form, opens their school from the
list, then edits the address bar to the card of another school of the same municipality: the
answer must be «not found» (404), and nothing of that school may appear on the page.
"""

from __future__ import annotations

from typing import Any

import pytest

from opora.demo.generator import generate_tables
from opora.web.accounts import models as roles
from opora.web.accounts.services import role_assign, user_create
from opora.web.imports.services import load_tables
from opora.web.schools.models import School

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "director-password-1"


def _two_schools() -> tuple[School, School]:
    """Load a generated municipality; the administrator's school and a neighbour."""
    tables = generate_tables(scale="municipality", years=1, seed=7)
    outcome = load_tables(tables=tables, name="сгенерированный муниципалитет")
    assert outcome.ok, outcome.summary()
    own, other = School.objects.order_by("pk")[:2]
    assert own.municipality_id == other.municipality_id
    user = user_create(username="director", password=PASSWORD)
    role_assign(user=user, role=roles.SCHOOL_ADMIN, school=own)
    return own, other


def test_school_admin_opens_their_own_card_but_gets_not_found_for_another_schools_card(
        site: Any, wide_page: tuple[Any, Any], sign_in: Any) -> None:
    page, log = wide_page
    own, other = _two_schools()
    sign_in(page, site.url, "director", PASSWORD)

    page.goto(f"{site.url}/schools/")
    links = page.locator("main a[href^='/schools/']")
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    assert f"/schools/{own.pk}/" in hrefs
    assert f"/schools/{other.pk}/" not in hrefs  # the list shows only their school

    with page.expect_navigation() as own_card:
        page.click(f"main a[href='/schools/{own.pk}/']")
    assert own_card.value.status == 200
    assert own.short_name in page.locator("h1").inner_text()

    response = page.goto(f"{site.url}/schools/{other.pk}/")  # the address bar, edited by hand
    assert response.status == 404
    body = page.locator("body").inner_text()
    assert other.short_name not in body and other.full_name not in body
    assert log.exceptions == []


def test_the_not_found_page_speaks_russian(site: Any, wide_page: tuple[Any, Any],
                                           sign_in: Any) -> None:
    page, _ = wide_page
    user_create(username="director", password=PASSWORD)
    sign_in(page, site.url, "director", PASSWORD)
    response = page.goto(f"{site.url}/schools/987654/")
    assert response.status == 404
    body = page.locator("body").inner_text()
    assert "не найден" in body.lower(), body
