"""School programmes in a real Chromium (issue 15), on a small territory made through the
services (a school with a high «низкая учебная мотивация», a document campaign and a roadmap
review open):

1. the school administrator uploads the development concept (PDF) — the document shows version 1;
2. they create the roadmap and fill it with the forms: a problem linked to the high factor, a
   goal, a task, an indicator, a measure without a responsible person — the completeness check
   complains and sending is disabled; they load the XLSX export back with the responsible person
   named and a second measure — the check is satisfied and they send the roadmap for review;
3. the coordinator assigns the curator as expert; the curator fills the sheet and sends it;
4. the coordinator returns the roadmap «на доработку» with a comment, which the school reads;
5. the school sends it again (round 2, the same expert), the curator fills the sheet, the
   coordinator accepts — version 1 is approved;
6. with the clock moved past the first measure's deadline, the monitoring table shows it overdue
   and names the school in «Кто отстаёт».

With ``OPORA_SCREENSHOTS=1`` the roadmap page and the monitoring page are photographed for the
user guide (docs/screenshots/programmes_*.png).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from unittest import mock

import openpyxl
import pytest

from opora.web.accounts import models as roles
from opora.web.accounts.services import role_assign, user_create
from opora.web.programmes.models import Measure, ReviewAssignment, ReviewItem, Roadmap
from opora.web.programmes.roadmap_import import export_roadmap
from opora.web.programmes.services.documents import campaign_create
from opora.web.programmes.services.profiles import FactorValue, profile_save
from opora.web.programmes.services.reviews import review_campaign_create
from opora.web.schools.services import (
    municipality_get_or_create,
    region_get_or_create,
    school_create,
)
from opora.web.staff.models import Teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _territory() -> dict[str, Any]:
    region = region_get_or_create(name="Северная область")
    town = municipality_get_or_create(region=region, name="Первый")
    school = school_create(municipality=town, key="A", short_name="СОШ № 1", number=1)
    other = school_create(municipality=town, key="B", short_name="СОШ № 2", number=2)
    people = {}
    for name, role, scope in (("coordinator", roles.COORDINATOR, {"municipality": town}),
                              ("director", roles.SCHOOL_ADMIN, {"school": school}),
                              ("curator", roles.CURATOR, {"school": other})):
        people[name] = user_create(username=name, password=PASSWORD)
        role_assign(user=people[name], role=role, **scope)
    teachers = [Teacher.objects.create(school=school, name=n)
                for n in ("Иванова Мария Петровна", "Петров Олег Иванович")]
    profile_save(by=people["coordinator"], school=school, year=2026,
                 values={"low_motivation": FactorValue("high", 81.0)})
    campaign = campaign_create(by=people["coordinator"], municipality=town,
                               title="Концептуальные документы 2026", year=2026,
                               slots=["development_concept"], schools=[school, other],
                               deadline=dt.date(2027, 1, 31))
    review_campaign_create(by=people["coordinator"], municipality=town,
                           title="Экспертиза дорожных карт 2026", deadline=dt.date(2027, 2, 1))
    return {"school": school, "teachers": teachers, "campaign": campaign, **people}


def _as(page: Any, sign_in: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, username, PASSWORD)


def _save_item(page: Any) -> None:
    with page.expect_navigation():
        page.click("form.item-form button[type=submit]")


def _fill_sheet(page: Any, base: str, assignment: ReviewAssignment, score: str) -> None:
    page.goto(f"{base}/programmes/reviews/sheets/{assignment.pk}/")
    for select in page.locator("form.sheet-form select").all():
        select.select_option(score)
    page.locator("form.sheet-form textarea").first.fill("Цели сформулированы измеримо.")
    with page.expect_navigation():
        page.click("form.sheet-form button[name=submit]")
    assert "Экспертный лист отправлен" in page.locator(".messages").inner_text()


def _decide(page: Any, base: str, item: ReviewItem, decision: str, comment: str) -> None:
    page.goto(f"{base}/programmes/reviews/items/{item.pk}/")
    page.check(f"input[name=decision][value={decision}]")
    page.fill("form.decision-form textarea", comment)
    with page.expect_navigation():
        page.click("form.decision-form button[type=submit]")
    assert "Решение принято" in page.locator(".messages").inner_text()


def test_school_fills_a_roadmap_it_is_returned_resubmitted_accepted_and_monitored(
        site: Any, wide_page: tuple[Any, Any], sign_in: Any, screenshot: Any) -> None:
    page, log = wide_page
    page.set_default_timeout(120_000)  # six test runs share two cores: be patient with a page
    base = site.url
    world = _territory()
    school, campaign = world["school"], world["campaign"]

    # 1. The director uploads the development concept.
    _as(page, sign_in, base, "director")
    page.goto(f"{base}/programmes/campaigns/{campaign.pk}/schools/{school.pk}/upload/")
    page.set_input_files("#id_file", files=[
        {"name": "концепция развития.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    with page.expect_navigation():
        page.click("form.upload-form button[type=submit]")
    page.goto(f"{base}/programmes/schools/{school.pk}/")
    assert "Концепция развития" in page.locator("#documents").inner_text()

    # 2. The roadmap, by the forms.
    page.goto(f"{base}/programmes/schools/{school.pk}/roadmaps/new/")
    page.fill("#id_title", "Дорожная карта 2026–2028")
    page.fill("#id_first_year", "2026")
    page.fill("#id_last_year", "2028")
    with page.expect_navigation():
        page.click("form.programme-form button[type=submit]")
    roadmap = Roadmap.objects.get(school=school)
    page.goto(f"{base}/programmes/roadmaps/{roadmap.pk}/problem/new/")
    page.fill("#id_title", "Низкая учебная мотивация обучающихся")
    page.check("input[name=risk_factors][value=low_motivation]")
    _save_item(page)
    problem = roadmap.problems.get()
    page.goto(f"{base}/programmes/roadmaps/{roadmap.pk}/goal/new/?parent={problem.pk}")
    page.fill("#id_title", "Повысить учебную мотивацию")
    _save_item(page)
    goal = problem.goals.get()
    page.goto(f"{base}/programmes/roadmaps/{roadmap.pk}/task/new/?parent={goal.pk}")
    page.fill("#id_title", "Вовлечь обучающихся во внеурочную деятельность")
    _save_item(page)
    task = goal.tasks.get()
    page.goto(f"{base}/programmes/roadmaps/{roadmap.pk}/indicator/new/?parent={task.pk}")
    page.fill("#id_name", "Доля обучающихся в кружках")
    page.select_option("#id_unit", "percent")
    page.fill("#id_baseline", "40")
    page.fill("#id_baseline_year", "2025")
    page.fill("#id_targets", "2026: 50; 2027: 60; 2028: 70")
    _save_item(page)
    page.goto(f"{base}/programmes/roadmaps/{roadmap.pk}/measure/new/?parent={task.pk}")
    page.fill("#id_title", "Открыть два кружка")
    page.fill("#id_deadline", "2027-03-01")
    _save_item(page)
    checks = page.locator("#checks").inner_text()
    assert "Мероприятие «Открыть два кружка»" in checks and "не назначен ответственный" in checks
    assert page.locator("#checks button:has-text('Отправить на экспертизу')").is_disabled()

    # …the workbook: the export with the responsible person named and one measure more…
    book = openpyxl.load_workbook(io.BytesIO(export_roadmap(roadmap)))
    measures = book["Мероприятия"]
    assert measures.cell(row=2, column=2).value == "Открыть два кружка"
    measures.cell(row=2, column=4).value = world["teachers"][0].name
    measures.append([task.title, "Провести конкурс проектов",
                                dt.datetime(2027, 5, 20), world["teachers"][1].name, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    page.set_input_files("form.roadmap-load input[type=file]", files=[
        {"name": "дорожная карта.xlsx", "buffer": buffer.getvalue(),
         "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    with page.expect_navigation():
        page.click("form.roadmap-load button[type=submit]")
    assert "Дорожная карта загружена" in page.locator("main").inner_text()
    assert Measure.objects.filter(task=task).count() == 2
    first = Measure.objects.get(task=task, title="Открыть два кружка")
    assert first.responsible == world["teachers"][0]

    # …and the check is satisfied.
    page.goto(f"{base}/programmes/roadmaps/{roadmap.pk}/")
    assert "Дорожная карта полная" in page.locator("#checks").inner_text()
    screenshot(page, "programmes_roadmap")
    with page.expect_navigation():
        page.click("#checks button:has-text('Отправить на экспертизу')")
    assert "Дорожная карта отправлена на экспертизу" in page.locator(".messages").inner_text()
    item = ReviewItem.objects.get(roadmap=roadmap, round=1)

    # 3. The coordinator assigns the curator; the curator fills the sheet.
    _as(page, sign_in, base, "coordinator")
    page.goto(f"{base}/programmes/reviews/items/{item.pk}/")
    page.select_option("#id_reviewer", str(world["curator"].pk))
    with page.expect_navigation():
        page.click("button:has-text('Назначить эксперта')")
    _as(page, sign_in, base, "curator")
    _fill_sheet(page, base, item.assignments.get(), "1")

    # 4. Returned with a comment the school reads.
    _as(page, sign_in, base, "coordinator")
    _decide(page, base, item, "revise", "Добавьте мероприятия для обучающихся 8–9 классов.")
    _as(page, sign_in, base, "director")
    page.goto(f"{base}/programmes/reviews/items/{item.pk}/")
    text = page.locator("main").inner_text()
    assert "Добавьте мероприятия для обучающихся 8–9 классов." in text
    assert "Цели сформулированы измеримо." in text

    # 5. Sent again: round 2 with the same expert; accepted.
    page.goto(f"{base}/programmes/roadmaps/{roadmap.pk}/")
    with page.expect_navigation():
        page.click("#checks button:has-text('Отправить на экспертизу')")
    second = ReviewItem.objects.get(roadmap=roadmap, round=2)
    _as(page, sign_in, base, "curator")
    _fill_sheet(page, base, second.assignments.get(reviewer=world["curator"]), "3")
    _as(page, sign_in, base, "coordinator")
    _decide(page, base, second, "accept", "")
    roadmap.refresh_from_db()
    assert (roadmap.status, roadmap.versions.count()) == ("approved", 1)

    # 6. The day after the first measure's deadline it is overdue.
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2027, 3, 2)):
        page.goto(f"{base}/programmes/monitoring/")
        row = page.locator(f"table.monitoring tr[data-school='{school.pk}']").inner_text()
        assert row.split("\t")[1:6] == ["2", "0", "0", "1", "1"], row  # total … overdue
        assert page.locator(f"table.lagging tr[data-school='{school.pk}']").count() == 1
        screenshot(page, "programmes_monitoring")
    assert [p for p in log.problems() if "/login/" not in p] == []
