"""/api/v1/support/: assignments and events in the caller's scope; creating an event with the
form's checks, refused by field in Russian."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client
from django.utils import timezone
from support_data import SupportTestCase, days_ago, record

from opora.web.api.tokens import token_create
from opora.web.support.models import SupportEvent
from opora.web.support.services.assignments import curatorship_start


class SupportApiTests(SupportTestCase):
    def api(self, user: Any, method: str, url: str, body: Any = None) -> Any:
        token = token_create(user=user, name="тест")[1]
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        if method == "post":
            return client.post(url, json.dumps(body), content_type="application/json")
        return client.get(url)

    def test_events_come_with_their_schools_and_only_visible_participants(self) -> None:
        event = record(self.methodist, [self.a, self.b], kind="seminar",
                       organiser_kind="methodist",
                       participants=[self.teachers["A"][0], self.teachers["B"][0]])
        listed = self.api(self.curator, "get", "/api/v1/support/events").json()
        self.assertEqual(listed["count"], 1)
        self.assertEqual(listed["items"][0]["school_ids"], sorted([self.a.pk, self.b.pk]))
        detail = self.api(self.curator, "get", f"/api/v1/support/events/{event.pk}").json()
        self.assertEqual([p["teacher"] for p in detail["participants"]], ["B-учитель-1"])
        full = self.api(self.coordinator, "get", f"/api/v1/support/events/{event.pk}").json()
        self.assertEqual(len(full["participants"]), 2)

    def test_a_curator_creates_an_event_for_an_assigned_school(self) -> None:
        start = timezone.now() - dt.timedelta(days=1)
        response = self.api(self.curator, "post", "/api/v1/support/events", {
            "kind": "monitoring_visit", "topic": "Визит", "status": "held", "place": "школа",
            "starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(hours=2)).isoformat(),
            "organiser_kind": "curator", "school_ids": [self.b.pk],
            "participant_ids": [t.pk for t in self.teachers["B"]]})
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(len(response.json()["participants"]), 3)
        self.assertEqual(SupportEvent.objects.get().created_by, self.curator)

    def test_bad_input_is_refused_with_russian_problems_by_field(self) -> None:
        start = timezone.now() + dt.timedelta(days=3)
        response = self.api(self.coordinator, "post", "/api/v1/support/events", {
            "kind": "monitoring_visit", "topic": "Визит", "status": "held", "place": "школа",
            "starts_at": start.isoformat(), "ends_at": (start - dt.timedelta(hours=1)).isoformat(),
            "organiser_kind": "coordinator", "school_ids": [self.b.pk],
            "participant_ids": [self.teachers["A"][0].pk]})
        self.assertEqual(response.status_code, 422)
        body = response.json()
        where = {p["where"] for p in body["problems"]}
        self.assertEqual(where, {"body.status", "body.ends_at", "body.participants"})
        self.assertEqual(body["code"], "invalid_request")
        self.assertFalse(SupportEvent.objects.exists())

    def test_curatorships_list_the_history_too(self) -> None:
        curatorship_start(by=self.coordinator, curator=self.nobody, school=self.a,
                          started_on=days_ago(10), basis="приказ № 3")
        rows = self.api(self.school_admin, "get", "/api/v1/support/curatorships").json()["items"]
        self.assertEqual([(r["school"], r["curator"], r["basis"]) for r in rows],
                         [("СОШ № 1", "nobody", "приказ № 3")])
        self.assertEqual(self.api(self.curator, "get",
                                  "/api/v1/support/curatorships").json()["count"], 0)
