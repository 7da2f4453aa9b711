"""/api/v1/ for recommendations, meetings, decisions and the plan: content and scope."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client
from personas import PersonaTestCase

from opora.web.api.tokens import token_create
from opora.web.decisions.models import Decision, Meeting, Recommendation


class DecisionsApiTests(PersonaTestCase):
    def _client(self, user: Any) -> tuple[Client, dict[str, str]]:
        return Client(), {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='т')[1]}"}

    def _rec(self, school: Any, status: str = "accepted") -> Recommendation:
        return Recommendation.objects.create(
            municipality=school.municipality, school=school, year=2024, addressee="teachers",
            rule="weak_subject", text="Разобрать задания", basis="разница −14,0 п. п.",
            numbers={"gap_pct": -14.0}, status=status,
            deadline=None if status == "suggested" else dt.date(2031, 1, 1),
            responsible="" if status == "suggested" else "руководитель ШМО")

    def test_the_school_reads_its_recommendation_with_its_numbers_and_closes_it(self) -> None:
        own, other = self._rec(self.a), self._rec(self.b)
        client, auth = self._client(self.school_admin)
        items = client.get("/api/v1/recommendations", **auth).json()["items"]
        self.assertEqual([i["id"] for i in items], [own.pk])
        self.assertEqual(items[0]["numbers"], {"gap_pct": -14.0})
        self.assertEqual(items[0]["basis"], "разница −14,0 п. п.")
        refused = client.post(f"/api/v1/recommendations/{own.pk}/close",
                              json.dumps({"done": False, "outcome": ""}),
                              content_type="application/json", **auth)
        self.assertEqual(refused.status_code, 422)
        self.assertIn("причину", refused.json()["message"])
        done = client.post(f"/api/v1/recommendations/{own.pk}/close",
                           json.dumps({"done": True, "outcome": "Проведено ШМО"}),
                           content_type="application/json", **auth)
        self.assertEqual(done.json()["status"], "done")
        self.assertEqual(client.get(f"/api/v1/recommendations/{other.pk}", **auth).status_code,
                         404)

    def test_the_coordinator_records_a_meeting_with_items_and_decisions(self) -> None:
        client, auth = self._client(self.coordinator)
        body = {"municipality_id": self.first.pk, "date": "2025-10-01", "number": "7",
                "agenda": "Итоги", "items": [{"heard": "Координатора", "spoke": "Методист",
                                               "decided": "Утвердить план", "decisions": [
                    {"text": "Утвердить план", "responsible": "ИМЦ", "deadline": "2025-11-01",
                     "documents": "приказ № 41"}]}]}
        response = client.post("/api/v1/meetings", json.dumps(body),
                               content_type="application/json", **auth)
        self.assertEqual(response.status_code, 201)
        item = response.json()["items"][0]
        self.assertEqual((item["heard"], item["spoke"], item["decided"]),
                         ("Координатора", "Методист", "Утвердить план"))
        self.assertEqual(item["decisions"][0]["documents"], "приказ № 41")
        self.assertEqual(Meeting.objects.get().number, "7")
        decisions = client.get("/api/v1/decisions?overdue=true", **auth).json()
        self.assertEqual(decisions["count"], 1)  # 01.11.2025 has passed
        self.assertEqual(Decision.objects.get().history.count(), 1)

    def test_the_plan_in_seed_002s_form(self) -> None:
        client, auth = self._client(self.coordinator)
        response = client.post("/api/v1/plan", json.dumps({
            "municipality_id": self.first.pk, "year": 2025, "section": "Мониторинг",
            "measure": "Комплексный мониторинг", "timing": "октябрь–апрель",
            "responsible": "ИМЦ", "result": "справка"}), content_type="application/json", **auth)
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["position"], 1)
        rows = client.get("/api/v1/plan?year=2025", **auth).json()["items"]
        self.assertEqual([(r["measure"], r["timing"], r["responsible"], r["result"])
                          for r in rows],
                         [("Комплексный мониторинг", "октябрь–апрель", "ИМЦ", "справка")])
        reader, reader_auth = self._client(self.curator)
        self.assertEqual(reader.get("/api/v1/plan", **reader_auth).json()["count"], 0)
