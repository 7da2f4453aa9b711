"""Recommendations and decisions in a real Chromium, on a small hand-made territory:

1. the coordinator opens a suggested recommendation (its numbers shown), edits its text, sets a
   deadline and a responsible person and accepts it;
2. the school's administrator sees the bell light up, opens the recommendation and marks it done
   with a protocol (PDF) as evidence;
3. the coordinator sees it done with the file, records a meeting of the working group with an item
   «слушали / решили» and a decision (responsible, deadline, order number).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from opora.web.accounts import models as roles
from opora.web.accounts.services import role_assign, user_create
from opora.web.decisions.models import Decision, Meeting, Recommendation
from opora.web.schools.services import (
    municipality_get_or_create,
    region_get_or_create,
    school_create,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-7"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _territory() -> Recommendation:
    region = region_get_or_create(name="Северная область")
    town = municipality_get_or_create(region=region, name="Первый")
    school = school_create(municipality=town, key="A", short_name="СОШ № 1", number=1)
    role_assign(user=user_create(username="coordinator", password=PASSWORD),
                role=roles.COORDINATOR, municipality=town)
    role_assign(user=user_create(username="director", password=PASSWORD),
                role=roles.SCHOOL_ADMIN, school=school)
    return Recommendation.objects.create(
        municipality=town, school=school, year=2024, addressee="teachers", rule="weak_subject",
        key="weak_subject:1:math:2024", subject="math",
        text="Педагогам СОШ № 1 по предмету «Математика»: разобрать задания.",
        basis="ОГЭ, Математика, 9 класс, 2024: средний результат школы 41,0 %, региона 55,0 %, "
              "разница −14,0 п. п.")


def _as(page: Any, sign_in: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, username, PASSWORD)


def test_coordinator_accepts_a_recommendation_the_school_closes_it_and_a_decision_is_recorded(
        site: Any, wide_page: tuple[Any, Any], sign_in: Any, tmp_path: Any) -> None:
    page, log = wide_page
    record = _territory()
    deadline = timezone.localdate() + dt.timedelta(days=30)

    _as(page, sign_in, site.url, "coordinator")
    page.goto(f"{site.url}/decisions/recommendations/?status=suggested")
    page.click(f"a[href='/decisions/recommendations/{record.pk}/'] >> nth=0")
    assert "−14,0 п. п." in page.locator("main").inner_text()
    page.fill("#accept-form #id_text", "Педагогам СОШ № 1: разобрать на ШМО задания ОГЭ по "
                                       "математике, выполненные хуже региона.")
    page.fill("#accept-form #id_deadline", deadline.isoformat())
    page.fill("#accept-form #id_responsible", "руководитель ШМО математики")
    with page.expect_navigation():
        page.click("#accept-form button[type=submit]")
    assert page.locator("#rec-status").inner_text().startswith("Принята")
    assert page.locator("#rec-deadline").inner_text() == deadline.strftime("%d.%m.%Y")

    _as(page, sign_in, site.url, "director")
    page.goto(f"{site.url}/schools/")
    page.wait_for_selector("#bell .bell-count")
    assert page.locator("#bell .bell-count").inner_text() == "1"
    page.goto(f"{site.url}/decisions/recommendations/{record.pk}/")
    page.check("#close-form input[value=done]")
    page.fill("#close-form #id_outcome", "Проведено заседание ШМО, протокол № 4.")
    protocol = tmp_path / "протокол.pdf"
    protocol.write_bytes(PDF)
    page.set_input_files("#close-form #id_file", str(protocol))
    with page.expect_navigation():
        page.click("#close-form button[type=submit]")
    assert page.locator("#rec-status").inner_text().startswith("Выполнена")

    _as(page, sign_in, site.url, "coordinator")
    page.goto(f"{site.url}/decisions/recommendations/{record.pk}/")
    assert "протокол.pdf" in page.locator("main").inner_text()
    page.goto(f"{site.url}/decisions/meetings/new/")
    page.fill("#id_date", timezone.localdate().isoformat())
    page.fill("#id_agenda", "Об итогах работы по адресным рекомендациям.")
    with page.expect_navigation():
        page.click("#meeting-form button[type=submit]")
    page.fill("#item-form #id_heard", "Муниципального координатора об итогах рекомендаций.")
    page.fill("#item-form #id_decided", "Продолжить разбор заданий на ШМО.")
    with page.expect_navigation():
        page.click("#item-form button[type=submit]")
    page.click("summary:has-text('Добавить решение')")
    form = page.locator("form.decision-form")
    form.locator("#id_text").fill("Провести муниципальный семинар по заданиям ОГЭ")
    form.locator("#id_responsible").fill("Методический центр")
    form.locator("#id_deadline").fill(deadline.isoformat())
    form.locator("#id_documents").fill("приказ № 41")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "Провести муниципальный семинар" in page.locator("main").inner_text()
    meeting = Meeting.objects.get()
    assert Decision.objects.get().item.meeting == meeting
    assert Decision.objects.get().documents == "приказ № 41"
    record.refresh_from_db()
    assert (record.status, record.evidence_name) == ("done", "протокол.pdf")
    assert log.problems() == [], log.problems()
