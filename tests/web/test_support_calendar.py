"""The month and week calendar, the events list's filters, and the personal iCalendar feed."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from support_data import SupportTestCase, days_ago, moment, record

from opora.web.support.ics import calendar
from opora.web.support.models import SupportEvent
from opora.web.support.services.feeds import feed_create, feed_revoke


class CalendarPageTests(SupportTestCase):
    def test_the_month_shows_each_event_on_its_day_and_the_week_its_topic(self) -> None:
        event = record(self.curator, [self.b], day=days_ago(1), topic="Посещение уроков химии")
        self.client.force_login(self.curator)
        day = days_ago(1).isoformat()
        month = self.client.get("/support/calendar/", {"date": day}).content.decode()
        self.assertIn(f'href="/support/events/{event.pk}/"', month)
        week = self.client.get("/support/calendar/", {"view": "week", "date": day})
        self.assertContains(week, "Посещение уроков химии")
        self.assertEqual(week.content.decode().count('class="day-number"'), 7)

    def test_a_school_administrator_sees_only_their_schools_events(self) -> None:
        record(self.curator, [self.b], day=days_ago(1), topic="Визит в школу B")
        record(self.methodist, [self.a], day=days_ago(1), topic="Визит в школу A",
               organiser_kind="methodist")
        self.client.force_login(self.school_admin)
        page = self.client.get("/support/calendar/", {"view": "week",
                                                      "date": days_ago(1).isoformat()})
        self.assertContains(page, "Визит в школу A")
        self.assertNotContains(page, "Визит в школу B")

    def test_the_month_and_the_list_cost_the_same_queries_with_more_events(self) -> None:
        self.client.force_login(self.coordinator)
        urls = ("/support/calendar/", "/support/events/")
        # today at 00:00 (Moscow) has always begun, so «held» is never refused whatever the hour
        record(self.coordinator, [self.a], day=days_ago(0), hour=0, organiser_kind="coordinator")
        counts = []
        for more in (0, 20):
            for i in range(more):
                record(self.coordinator, [self.a, self.b], day=days_ago(1 + i % 5), hour=8 + i % 9,
                       hours=1, kind="consultation", organiser_kind="coordinator",
                       topic=f"Консультация {more}-{i}")
            sizes = []
            for url in urls:
                cache.clear()  # the part is built, not read from the cache
                with CaptureQueriesContext(connection) as queries:
                    self.assertEqual(self.client.get(url).status_code, 200)
                sizes.append(len(queries))
            counts.append(sizes)
        self.assertEqual(counts[0], counts[1])
        self.assertLessEqual(max(counts[1]), 11)
        with CaptureQueriesContext(connection) as cached:  # read again: the part is cached
            self.client.get("/support/events/")
        self.assertLessEqual(len(cached), 5)

    def test_a_new_event_shows_at_once_though_the_list_is_cached(self) -> None:
        self.client.force_login(self.coordinator)
        self.assertNotContains(self.client.get("/support/events/"), "Свежий визит")
        record(self.coordinator, [self.a], topic="Свежий визит", organiser_kind="coordinator")
        self.assertContains(self.client.get("/support/events/"), "Свежий визит")


class EventListTests(SupportTestCase):
    def test_filters_by_kind_status_school_and_mine(self) -> None:
        record(self.curator, [self.b], topic="Визит куратора")
        record(self.methodist, [self.a, self.b], kind="seminar", topic="Семинар методиста",
               organiser_kind="methodist", status="planned",
               day=timezone.localdate() + dt.timedelta(days=3))
        self.client.force_login(self.coordinator)

        def topics(**params: str) -> list[str]:
            page = self.client.get("/support/events/", params).context["page"]
            return sorted(e.topic for e in page.object_list)

        self.assertEqual(topics(), ["Визит куратора", "Семинар методиста"])
        self.assertEqual(topics(kind="seminar"), ["Семинар методиста"])
        self.assertEqual(topics(status="held"), ["Визит куратора"])
        self.assertEqual(topics(school=str(self.a.pk)), ["Семинар методиста"])
        self.assertEqual(topics(q="визит"), ["Визит куратора"])
        self.client.force_login(self.curator)
        self.assertEqual(topics(mine="1"), ["Визит куратора"])


class CalendarFeedTests(SupportTestCase):
    def test_a_curator_subscribes_and_the_feed_holds_their_schools_events(self) -> None:
        event = record(self.methodist, [self.b], topic="Семинар; для всех, кто может",
                       organiser_kind="methodist", status="cancelled",
                       status_reason="болезнь ведущего")
        record(self.methodist, [self.a], topic="Не его школа", organiser_kind="methodist")
        self.client.force_login(self.curator)
        self.client.post("/support/calendar/feed/new/")
        page = self.client.get("/support/calendar/feed/")
        address = page.context["address"]
        self.assertIn("/support/calendar/", address)
        self.assertEqual(self.client.get("/support/calendar/feed/").context["address"], "")
        self.client.logout()
        feed = self.client.get(address.removeprefix("http://testserver"))
        self.assertEqual(feed.status_code, 200)
        self.assertEqual(feed["Content-Type"], "text/calendar; charset=utf-8")
        body = feed.content.decode()
        unfolded = body.replace("\r\n ", "")
        self.assertIn(f"UID:opora-event-{event.pk}@testserver", body)
        self.assertIn("Семинар\\; для всех\\, кто может", unfolded)
        self.assertIn("STATUS:CANCELLED", body)
        self.assertNotIn("Не его школа", body)
        self.assertTrue(all(len(line.encode()) <= 75 for line in body.split("\r\n")))

    def test_a_new_address_revokes_the_old_one_and_revoking_leaves_none(self) -> None:
        old = feed_create(user=self.curator)
        new = feed_create(user=self.curator)
        self.assertEqual(self.client.get(f"/support/calendar/{old}.ics").status_code, 404)
        self.assertEqual(self.client.get(f"/support/calendar/{new}.ics").status_code, 200)
        feed_revoke(user=self.curator)
        self.assertEqual(self.client.get(f"/support/calendar/{new}.ics").status_code, 404)

    def test_a_deactivated_users_feed_answers_nothing(self) -> None:
        token = feed_create(user=self.curator)
        type(self.curator).objects.filter(pk=self.curator.pk).update(is_active=False)
        self.assertEqual(self.client.get(f"/support/calendar/{token}.ics").status_code, 404)

    def test_times_are_in_utc_and_long_lines_are_folded(self) -> None:
        event = SupportEvent(pk=7, kind="seminar", topic="Тема " * 40, status="planned",
                             starts_at=moment(dt.date(2025, 3, 12), 10), place="",
                             ends_at=moment(dt.date(2025, 3, 12), 12), online=True,
                             updated_at=moment(dt.date(2025, 3, 1)))
        text = calendar([], name="x", host="h", base_url="http://h", now=timezone.now())
        self.assertTrue(text.startswith("BEGIN:VCALENDAR\r\n"))
        from opora.web.support.ics import event_lines

        lines = event_lines(event, host="h", url="http://h/e", now=timezone.now())
        self.assertIn("DTSTART:20250312T070000Z", lines)  # 10:00 in Moscow
        self.assertIn("LOCATION:онлайн", lines)
