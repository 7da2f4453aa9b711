"""Indicators computed from facts, in a real Chromium, on the demo municipality:

1. the methodist opens the school's indicator table and reads «Доля педагогов, охваченных
   методическим сопровождением» of this year — «N из D»;
2. logs a seminar held yesterday with one teacher of that school not covered this year;
3. the same cell now reads «N+1 из D», the share exactly (N+1)/D·100 %, and a click on it opens
   «Что посчитано», where the teacher is listed with the seminar.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from opora.numbers import number
from opora.web.demo import DEMO_PASSWORD, prepare_demo
from opora.web.staff.models import Teacher
from opora.web.support.models import EventParticipant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROW = "tr[data-indicator='school_teachers_covered_pct'] td[data-year='2']"


def _cell(page: Any, base: str, school_pk: int) -> tuple[str, str]:
    page.goto(f"{base}/monitoring/schools/{school_pk}/")
    cell = page.locator(ROW)
    return cell.locator(".value").inner_text().strip(), cell.locator(".fraction").inner_text()


def test_methodist_logs_a_seminar_and_the_covered_share_moves_by_one_teacher(
        site: Any, wide_page: tuple[Any, Any], sign_in: Any) -> None:
    page, log = wide_page
    base = site.url
    prepare_demo(migrate=False, years=2)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    if yesterday.year != timezone.localdate().year:
        pytest.skip("1 января: вчерашний семинар относится к прошлому году")
    covered = set(EventParticipant.objects.filter(
        event__starts_at__year=yesterday.year).values_list("teacher_id", flat=True))
    teacher = (Teacher.objects.filter(active_to__isnull=True)
               .exclude(pk__in=covered).order_by("school_id", "pk").first())
    assert teacher is not None, "a demo teacher not covered this year"
    school = teacher.school
    sign_in(page, base, "demo-methodist", DEMO_PASSWORD)

    value, fraction = _cell(page, base, school.pk)
    numerator, denominator = (int(x) for x in fraction.split(" из "))

    page.goto(f"{base}/support/events/new/")
    page.select_option("#id_kind", "seminar")
    page.fill("#id_topic", "Семинар: смысловое чтение")
    page.fill("#id_date", yesterday.isoformat())
    page.fill("#id_start_time", "15:00")
    page.fill("#id_end_time", "16:30")
    page.fill("#id_place", "ИМЦ")
    page.select_option("#id_status", "held")
    page.select_option("#id_organiser_kind", "methodist")
    page.select_option("#id_schools", [str(school.pk)])
    page.select_option("#id_participants", [str(teacher.pk)])
    with page.expect_navigation():
        page.click("form.event-form button[type=submit]")
    assert "Мероприятие записано" in page.locator(".messages").inner_text()

    value_after, fraction_after = _cell(page, base, school.pk)
    assert fraction_after == f"{numerator + 1} из {denominator}"
    assert value_after == f"{number(100 * (numerator + 1) / denominator, 1)} %"
    assert value_after != value

    with page.expect_navigation():
        page.locator(ROW).locator("a.value").click()
    counted = page.locator("ul.facts.counted").inner_text()
    assert teacher.name in counted
    assert "Семинар: смысловое чтение" in counted
    assert log.problems() == []
