"""Support work in a real Chromium, on the demo municipality (its year of support work loaded):

1. the coordinator reads «Кто получил помощь» for a school of demo-curator;
2. demo-curator logs a monitoring visit to that school with three of its teachers and a protocol
   (PDF) — the event page shows them and the file;
3. demo-curator cannot log an event for a school not assigned to them: the form offers only their
   schools, and a tampered form (another school's id) is refused with «Школа не закреплена за
   вами», nothing saved;
4. demo-methodist logs a seminar with teachers from four schools, demo-school's among them;
5. demo-school confirms their teacher's attendance;
6. the coordinator's coverage page has one visit more for the school, and zero days since the
   visit; the calendar shows the two new events.

With ``OPORA_SCREENSHOTS=1`` the calendar, the visit's page and the coverage page are photographed
for the user guide (docs/screenshots/support_*.png).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from opora.web.demo import DEMO_PASSWORD, prepare_demo
from opora.web.schools.models import School
from opora.web.staff.models import Teacher
from opora.web.support.models import EventParticipant, SupportEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _users() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.filter(username__startswith="demo-")}


def _curated_school_on_the_list(curator: Any) -> School:
    """A school of the official list the curator is assigned to. Under the calibrated default
    (issue 12) the two-year demo's list may hold none of the curator's three schools: the
    coordinator then assigns them the first listed school, as a municipality would."""
    from opora.web.accounts import models as roles
    from opora.web.accounts.services import role_assign
    from opora.web.analysis.models import Inclusion

    listed = set(Inclusion.objects.values_list("school_id", flat=True))
    assert listed, "the demo has an official list"
    own = [a.school for a in curator.role_assignments.select_related("school")
           if a.school_id in listed]
    if own:
        return own[0]
    school = School.objects.filter(pk__in=listed).order_by("pk").first()
    role_assign(user=curator, role=roles.CURATOR, school=school)
    return school


def _switch(page: Any, sign_in: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, username, DEMO_PASSWORD)


def _coverage_cell(page: Any, base: str, school: School, cell: str) -> str:
    page.goto(f"{base}/support/coverage/")
    return page.locator(f"tr[data-school='{school.pk}'] td.{cell}").inner_text().strip()


def _fill_event(page: Any, *, kind: str, topic: str, day: dt.date, start: str, end: str,
                schools: list[School], teachers: list[Teacher], organiser: str) -> None:
    page.select_option("#id_kind", kind)
    page.fill("#id_topic", topic)
    page.fill("#id_date", day.isoformat())
    page.fill("#id_start_time", start)
    page.fill("#id_end_time", end)
    page.fill("#id_place", "актовый зал")
    page.select_option("#id_status", "held")
    page.select_option("#id_organiser_kind", organiser)
    page.select_option("#id_schools", [str(s.pk) for s in schools])
    page.select_option("#id_participants", [str(t.pk) for t in teachers])
    page.fill("#id_outcome", "Посещено три урока, проведён разбор.")
    page.fill("#id_agreements", "Провести заседание ШМО по итогам визита.")


def test_curator_methodist_and_school_record_support_work_and_coverage_changes(
        site: Any, wide_page: tuple[Any, Any], sign_in: Any, screenshot: Any) -> None:
    page, log = wide_page
    base = site.url
    prepare_demo(migrate=False, years=2)
    users = _users()
    school = _curated_school_on_the_list(users["demo-curator"])
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    # 1. The coordinator's coverage before.
    _switch(page, sign_in, base, "demo-coordinator")
    visits_before = int(_coverage_cell(page, base, school, "events-total"))

    # 2. The curator logs a visit with three teachers and a protocol.
    _switch(page, sign_in, base, "demo-curator")
    three = list(Teacher.objects.filter(school=school, active_to__isnull=True)
                 .order_by("pk")[:3])
    page.goto(f"{base}/support/events/new/?school={school.pk}")
    _fill_event(page, kind="monitoring_visit", topic="Мониторинговый визит: уроки математики",
                day=yesterday, start="07:00", end="07:45", schools=[school], teachers=three,
                organiser="curator")
    page.set_input_files("#id_attachments", files=[
        {"name": "протокол визита.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    with page.expect_navigation():
        page.click("form.event-form button[type=submit]")
    assert "Мероприятие записано" in page.locator(".messages").inner_text()
    visit = SupportEvent.objects.get(topic="Мониторинговый визит: уроки математики")
    for teacher in three:
        assert teacher.name in page.locator("main").inner_text()
    assert page.locator("ul.attachments a", has_text="протокол визита.pdf").count() == 1
    screenshot(page, "support_event")

    # 3. …but not for a school that is not theirs (a tampered form).
    other = (School.objects.filter(municipality=school.municipality)
             .exclude(pk__in=[a.school_id for a in users["demo-curator"].role_assignments.all()])
             .first())
    page.goto(f"{base}/support/events/new/")
    options = page.locator("#id_schools option")
    offered = {options.nth(i).get_attribute("value") for i in range(options.count())}
    assert str(other.pk) not in offered
    _fill_event(page, kind="consultation", topic="Чужая школа", day=yesterday, start="07:00",
                end="07:30", schools=[school], teachers=[], organiser="curator")
    page.evaluate("""(id) => { const s = document.querySelector('#id_schools');
        const o = new Option('чужая', id, true, true); s.add(o); }""", str(other.pk))
    page.click("form.event-form button[type=submit]")
    page.locator(".error-box").wait_for()
    assert "Школа не закреплена за вами" in page.locator("#field-schools").inner_text()
    assert not SupportEvent.objects.filter(topic="Чужая школа").exists()

    # 4. The methodist logs a seminar with teachers from four schools.
    _switch(page, sign_in, base, "demo-methodist")
    own_school = next(a.school for a in users["demo-school"].role_assignments.all())
    four = [own_school, *School.objects.filter(municipality=school.municipality)
            .exclude(pk__in=(own_school.pk, school.pk)).order_by("number")[:3]]
    teachers = [Teacher.objects.filter(school=s, active_to__isnull=True).order_by("-pk").first()
                for s in four]
    page.goto(f"{base}/support/events/new/")
    _fill_event(page, kind="seminar", topic="Семинар: формирующее оценивание",
                day=yesterday, start="18:00", end="19:30", schools=four, teachers=teachers,
                organiser="methodist")
    with page.expect_navigation():
        page.click("form.event-form button[type=submit]")
    seminar = SupportEvent.objects.get(topic="Семинар: формирующее оценивание")
    assert seminar.participants.count() == 4
    assert set(seminar.event_schools.values_list("school_id", flat=True)) == {s.pk for s in four}

    # 5. The school administrator confirms their teacher's attendance.
    _switch(page, sign_in, base, "demo-school")
    page.goto(f"{base}/support/events/{seminar.pk}/")
    section = page.locator(f"section.attendance[data-school='{own_school.pk}']")
    section.locator("input[name=present]").check()
    with page.expect_navigation():
        section.locator("button:has-text('Подтвердить присутствие')").click()
    assert "Присутствие подтверждено" in page.locator(".messages").inner_text()
    confirmed = EventParticipant.objects.get(event=seminar, school=own_school)
    assert (confirmed.attended, confirmed.confirmed_by.username) == (True, "demo-school")

    # 6. The coordinator sees the coverage page change, and the calendar the new events.
    _switch(page, sign_in, base, "demo-coordinator")
    assert int(_coverage_cell(page, base, school, "events-total")) == visits_before + 1
    assert int(_coverage_cell(page, base, school, "days")) <= 1  # yesterday's (or today's)
    screenshot(page, "support_coverage")
    page.goto(f"{base}/support/calendar/?date={yesterday.isoformat()}")
    assert page.locator(f"table.calendar a[href='/support/events/{visit.pk}/']").count() == 1
    assert page.locator(f"table.calendar a[href='/support/events/{seminar.pk}/']").count() == 1
    screenshot(page, "support_calendar")
    refused = [p for p in log.problems() if p.startswith("400 ") and "/support/events/new/" in p]
    assert len(refused) == 1  # the tampered form, answered «400» with its page
    assert [p for p in log.problems() if p not in refused] == []
