"""Recording support events: the form, the rules a curator, a methodist and the coordinator meet,
and the bad input that is refused at its field with nothing saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

from support_data import SupportTestCase, days_ago, record

from opora.web.support.models import EventParticipant, EventSchool, SupportEvent


def form(schools: list[Any], teachers: list[Any] = (), **changes: Any) -> dict[str, Any]:
    day = changes.pop("date", days_ago(3))
    data = {"kind": "monitoring_visit", "kind_name": "", "topic": "Посещение уроков математики",
            "date": day.isoformat(), "start_time": "10:00", "end_time": "12:30", "place": "каб. 12",
            "status": "held", "status_reason": "", "organiser_kind": "curator",
            "schools": [s.pk for s in schools], "participants": [t.pk for t in teachers],
            "subjects": ["math"], "outcome": "Посещено 3 урока", "agreements": "Провести ШМО"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


class EventFormTests(SupportTestCase):
    def post(self, user: Any, data: dict[str, Any]) -> Any:
        self.client.force_login(user)
        return self.client.post("/support/events/new/", data)

    def test_a_curator_records_a_visit_to_an_assigned_school_with_three_teachers(self) -> None:
        teachers = self.teachers["B"]
        response = self.post(self.curator, form([self.b], teachers))
        event = SupportEvent.objects.get()
        self.assertRedirects(response, f"/support/events/{event.pk}/")
        self.assertEqual((event.kind, event.status, event.organiser_id, event.municipality_id),
                         ("monitoring_visit", "held", self.curator.pk, self.first.pk))
        self.assertEqual(set(EventParticipant.objects.values_list("teacher_id", flat=True)),
                         {t.pk for t in teachers})
        self.assertEqual(event.history.count(), 1)
        self.assertEqual(event.history.first().history_user, self.curator)

    def test_a_curator_cannot_record_an_event_for_a_school_not_assigned_to_them(self) -> None:
        response = self.post(self.curator, form([self.a]))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Школа не закреплена за вами", status_code=400)
        self.assertFalse(SupportEvent.objects.exists())

    def test_a_methodist_records_a_seminar_for_the_municipalitys_schools(self) -> None:
        teachers = [self.teachers["A"][0], self.teachers["B"][0]]
        response = self.post(self.methodist, form([self.a, self.b], teachers, kind="seminar",
                                                  organiser_kind="methodist"))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(EventSchool.objects.count(), 2)

    def test_a_methodist_cannot_record_for_another_municipality(self) -> None:
        response = self.post(self.methodist, form([self.c]))
        self.assertContains(response, "Школа не закреплена за вами", status_code=400)

    def test_a_school_administrator_records_nothing(self) -> None:
        self.client.force_login(self.school_admin)
        self.assertEqual(self.client.get("/support/events/new/").status_code, 403)

    def test_a_held_event_dated_in_the_future_is_refused_at_the_status(self) -> None:
        future = dt.date.today() + dt.timedelta(days=5)
        response = self.post(self.curator, form([self.b], date=future))
        self.assertContains(response, "ещё не началось", status_code=400)
        self.assertIn("status", response.context["form"].errors)
        self.assertFalse(SupportEvent.objects.exists())

    def test_a_planned_event_in_the_future_is_fine(self) -> None:
        future = dt.date.today() + dt.timedelta(days=5)
        response = self.post(self.curator, form([self.b], date=future, status="planned"))
        self.assertEqual(response.status_code, 302)

    def test_an_end_before_the_start_is_refused_at_the_end(self) -> None:
        response = self.post(self.curator, form([self.b], end_time="09:00"))
        self.assertIn("Окончание", " ".join(response.context["form"].errors["end_time"]))
        self.assertFalse(SupportEvent.objects.exists())

    def test_a_participant_from_a_school_not_involved_is_refused(self) -> None:
        response = self.post(self.coordinator, form([self.b], [self.teachers["A"][0]],
                                                    organiser_kind="coordinator"))
        errors = " ".join(response.context["form"].errors["participants"])
        self.assertIn("A-учитель-1 — педагог школы СОШ № 1, которая не участвует", errors)
        self.assertFalse(SupportEvent.objects.exists())

    def test_a_cancelled_event_needs_a_reason(self) -> None:
        response = self.post(self.curator, form([self.b], status="cancelled"))
        self.assertIn("status_reason", response.context["form"].errors)
        response = self.post(self.curator, form([self.b], status="cancelled",
                                                status_reason="карантин"))
        self.assertEqual(response.status_code, 302)

    def test_other_needs_its_own_name(self) -> None:
        response = self.post(self.curator, form([self.b], kind="other"))
        self.assertIn("kind_name", response.context["form"].errors)

    def test_a_place_or_online_is_needed(self) -> None:
        response = self.post(self.curator, form([self.b], place=""))
        self.assertIn("place", response.context["form"].errors)
        response = self.post(self.curator, form([self.b], place="", online="on"))
        self.assertEqual(response.status_code, 302)

    def test_a_double_booked_participant_is_a_warning_to_confirm(self) -> None:
        busy = self.teachers["B"][0]
        record(self.curator, [self.b], day=days_ago(3), participants=[busy], hour=11)
        response = self.post(self.curator, form([self.b], [busy]))
        self.assertContains(response, "в это время участвует в мероприятии", status_code=400)
        self.assertEqual(SupportEvent.objects.count(), 1)
        response = self.post(self.curator, form([self.b], [busy], confirm_overlaps="on"))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(SupportEvent.objects.count(), 2)


class EventEditTests(SupportTestCase):
    def test_the_curator_who_recorded_an_event_corrects_it_and_history_keeps_both(self) -> None:
        event = record(self.curator, [self.b], participants=self.teachers["B"][:2])
        self.client.force_login(self.curator)
        data = form([self.b], self.teachers["B"][:1], topic="Исправленная тема")
        response = self.client.post(f"/support/events/{event.pk}/edit/", data)
        self.assertEqual(response.status_code, 302)
        event.refresh_from_db()
        self.assertEqual(event.topic, "Исправленная тема")
        self.assertEqual(event.participants.count(), 1)
        self.assertEqual(event.history.count(), 2)
        self.assertEqual(EventParticipant.history.filter(history_type="-").count(), 1)

    def test_another_curator_may_not_edit_and_the_coordinator_may(self) -> None:
        event = record(self.methodist, [self.b], organiser_kind="methodist")
        self.client.force_login(self.curator)
        self.assertEqual(self.client.get(f"/support/events/{event.pk}/edit/").status_code, 403)
        self.client.force_login(self.coordinator)
        self.assertEqual(self.client.get(f"/support/events/{event.pk}/edit/").status_code, 200)
