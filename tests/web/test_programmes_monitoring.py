"""Monitoring of execution (issue 15): with the clock moved past a deadline the table shows the
overdue measure and «кто отстаёт» names the school; a done measure needs evidence; the table
costs the same queries whatever the number of schools; reminders go once per campaign and
school to an administrator with an address."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from programmes_data import ProgrammesTestCase, complete_roadmap

from opora.web.accounts import models as roles
from opora.web.accounts.assignment_cache import forget_user
from opora.web.accounts.services import role_assign, user_create
from opora.web.programmes.reminders import notices, send_reminder_emails
from opora.web.programmes.services.roadmap_versions import roadmap_approve
from opora.web.programmes.services.roadmaps import measure_progress


def _on(day: dt.date) -> mock._patch:  # type: ignore[type-arg]
    return mock.patch("django.utils.timezone.localdate", return_value=day)


class MonitoringTests(ProgrammesTestCase):
    def setUp(self) -> None:
        roadmap_approve(by=self.coordinator, roadmap=self.roadmap, basis="приказ № 9")
        self.client.force_login(self.coordinator)

    def _data(self, day: dt.date) -> object:
        forget_user(self.coordinator.pk)  # a first request's count: the roles read as well
        with _on(day):
            response = self.client.get("/programmes/monitoring/")
        self.assertEqual(response.status_code, 200)
        return response.context["data"]

    def test_on_its_deadline_a_measure_is_not_yet_overdue(self) -> None:
        data = self._data(dt.date(2026, 11, 1))
        self.assertEqual((data.total.total, data.total.planned, data.total.overdue), (2, 2, 0))
        self.assertEqual(data.lagging, [])

    def test_the_day_after_the_deadline_the_measure_is_overdue_and_the_school_lags(self) -> None:
        data = self._data(dt.date(2026, 11, 2))
        self.assertEqual((data.total.total, data.total.planned, data.total.overdue), (2, 1, 1))
        self.assertEqual([r.school.key for r in data.lagging], ["A"])
        with _on(dt.date(2026, 11, 2)):
            page = self.client.get(f"/programmes/roadmaps/{self.roadmap.pk}/").content.decode()
        self.assertIn('data-status="overdue"', page)

    def test_a_done_measure_needs_evidence_and_then_counts_half_of_two(self) -> None:
        early = self.items["early"]
        with self.assertRaises(ValidationError):
            measure_progress(by=self.school_admin, measure=early, status="done", comment="")
        measure_progress(by=self.school_admin, measure=early, status="done", comment="",
                         note="Приказ № 12 от 01.10.2026", today=dt.date(2026, 10, 20))
        data = self._data(dt.date(2026, 12, 2))
        self.assertEqual((data.total.done, data.total.overdue), (1, 0))
        self.assertEqual(data.rows[0].done_text, "50 %")

    def test_the_table_costs_the_same_queries_for_one_school_and_for_two(self) -> None:
        with CaptureQueriesContext(connection) as one:
            self._data(dt.date(2026, 12, 2))
        roadmap_b, _ = complete_roadmap(self.coordinator, self.b, self.teachers["B"][0])
        roadmap_approve(by=self.coordinator, roadmap=roadmap_b, basis="приказ № 10")
        with CaptureQueriesContext(connection) as two:
            data = self._data(dt.date(2026, 12, 2))
        self.assertEqual(len(data.rows), 2)
        self.assertEqual(len(two), len(one))


class ReminderTests(ProgrammesTestCase):
    def test_a_school_missing_a_document_in_the_window_gets_one_letter(self) -> None:
        head = user_create(username="head-b", password="x" * 16)
        head.email = "head-b@example.org"
        head.save()
        role_assign(user=head, role=roles.SCHOOL_ADMIN, school=self.b)
        found = notices(school_ids=[self.a.pk, self.b.pk], today=dt.date(2026, 11, 10))
        # A uploaded its concept; B has not, five days before 15.11
        self.assertEqual([(n.school_id, n.days_left) for n in found], [(self.b.pk, 5)])
        self.assertEqual(send_reminder_emails(today=dt.date(2026, 11, 10)), 1)
        self.assertEqual(mail.outbox[0].to, ["head-b@example.org"])
        self.assertIn("Концепция развития", mail.outbox[0].body)
        self.assertEqual(send_reminder_emails(today=dt.date(2026, 11, 11)), 0)

    def test_before_the_reminder_window_nothing_is_due(self) -> None:
        # the campaign reminds seven days before 15.11: nothing on 07.11
        self.assertEqual(notices(school_ids=[self.b.pk], today=dt.date(2026, 11, 7)), [])
