"""The support work's targets and requests for ``test_permission_matrix.py``.

Targets (made once per test class, on the personas' territory):

    event:A   a held visit to A, recorded by the methodist (A-teacher participating)
    event:B   a held visit to B, recorded by the curator of B (a PNG attached)
    event:C   a held visit to C («Второй»), recorded by the curator of C
    community:Первый   a ГМО of «Первый»
    curatorship:B      the curator's curatorship of B (started by the coordinator)
    proposal:A         the official run's proposed pair A (ШНОР) — B (leader)
    feed:curator       the curator's calendar feed (its token in the address)
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opora.web.analysis.models import RunPair
from opora.web.schools.models import School
from opora.web.support.services.assignments import community_create, curatorship_start
from opora.web.support.services.attachments import attachment_add
from opora.web.support.services.events import EventData, event_create
from opora.web.support.services.feeds import feed_create

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _event(by: Any, school: Any, teachers: list[Any], kind: str) -> Any:
    day = timezone.localdate() - dt.timedelta(days=2)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    return event_create(by=by, data=EventData(
        kind="monitoring_visit", topic="Визит", starts_at=start,
        ends_at=start + dt.timedelta(hours=2), status="held", organiser_kind=kind,
        place="школа", schools=[school], participants=teachers))


def support_targets(case: Any) -> dict[str, Any]:
    """Make the targets; ``case`` is the matrix's test class (personas, runs, teachers)."""
    t = case.teachers
    event_b = _event(case.curator, case.b, [t["B"]], "curator")
    attachment_add(by=case.curator, event=event_b,
                   upload=SimpleUploadedFile("фото.png", PNG, content_type="image/png"))
    curatorship = curatorship_start(by=case.coordinator, curator=case.curator, school=case.b,
                                    started_on=dt.date(2024, 9, 1), basis="приказ № 7")
    return {
        "event:A": _event(case.methodist, case.a, [t["A"]], "methodist"),
        "event:B": event_b,
        "event:C": _event(case.curator, case.c, [t["C"]], "curator"),
        "community:Первый": community_create(by=case.coordinator, municipality=case.first,
                                             name="ГМО учителей математики", kind="gmo",
                                             started_on=dt.date(2024, 9, 1)),
        "curatorship:B": curatorship,
        "proposal:A": RunPair.objects.create(run=case.runs["Первый"], low_school=case.a,
                                             leader_school=case.b, reason="похожий контекст"),
        "feed:curator": feed_create(user=case.curator),
    }


def _event_form(school: Any) -> dict[str, Any]:
    day = timezone.localdate() - dt.timedelta(days=1)
    return {"kind": "consultation", "topic": "Консультация", "date": day.isoformat(),
            "start_time": "10:00", "end_time": "11:00", "place": "школа", "status": "held",
            "organiser_kind": "coordinator", "schools": [school.pk]}


def _event_json(school: Any) -> str:
    start = timezone.now() - dt.timedelta(days=1)
    return json.dumps({"kind": "consultation", "topic": "Консультация",
                       "starts_at": start.isoformat(),
                       "ends_at": (start + dt.timedelta(hours=1)).isoformat(),
                       "status": "held", "place": "школа", "organiser_kind": "curator",
                       "school_ids": [school.pk]})


def support_requests(target: Any, targets: dict[str, Any]) -> dict[str, tuple[str, str, Any]]:
    """(method, url, data) of the support work's actions on ``target``; a JSON body is a str."""
    pk = getattr(target, "pk", None)
    event = f"/support/events/{pk}/"
    town = getattr(target, "municipality_id", None) or pk
    file = targets["event:B"].attachments.get().pk
    return {
        "support_events": ("get", "/support/events/", {}),
        "support_calendar": ("get", "/support/calendar/", {"view": "week"}),
        "support_event_new": ("get", "/support/events/new/", {}),
        "support_event_save": ("post", "/support/events/new/", _event_form(target)
                               if isinstance(target, School) else {}),
        "support_event": ("get", event, {}),
        "support_event_edit": ("get", event + "edit/", {}),
        "support_attendance": ("post", event + "attendance/",
                               {"school": getattr(target, "school_ids", {0}) and
                                min(getattr(target, "school_ids", {0})), "present": []}),
        "support_attach": ("post", event + "files/", {}),
        "support_file": ("get", f"{event}files/{file}/", {}),
        "support_task": ("post", event + "tasks/", {"text": "Провести ШМО",
                                                    "due_on": "2031-01-01"}),
        "support_coverage": ("get", "/support/coverage/", {"municipality": pk} if pk else {}),
        "support_assignments": ("get", "/support/assignments/", {}),
        "support_curator_new": ("post", "/support/curatorships/new/",
                                {"municipality": town, "school": pk, "username": "nobody",
                                 "basis": "приказ № 8", "started_on": "2024-09-01"}),
        "support_curator_end": ("post", f"/support/curatorships/{pk}/end/",
                                {"municipality": getattr(getattr(target, "school", None),
                                                         "municipality_id", None)}),
        "support_pair_accept": ("post", f"/support/pairs/proposed/{pk}/accept/",
                                {"municipality": getattr(getattr(target, "low_school", None),
                                                         "municipality_id", None)}),
        "support_pairs_proposed": ("get", "/support/pairs/proposed/", {}),
        "support_community": ("get", f"/support/communities/{pk}/", {}),
        "support_community_new": ("post", "/support/communities/new/",
                                  {"municipality": pk, "name": "Сообщество", "kind": "gmo"}),
        "support_panel": ("get", f"/support/schools/{pk}/panel/", {}),
        "support_feed": ("get", "/support/calendar/feed/", {}),
        "support_ics": ("get", f"/support/calendar/{target}.ics", {}),
        "support_import": ("get", "/support/import/", {}),
        "api_support_events": ("get", "/api/v1/support/events", {}),
        "api_support_event": ("get", f"/api/v1/support/events/{pk}", {}),
        "api_support_event_new": ("post", "/api/v1/support/events", _event_json(target)
                                  if isinstance(target, School) else "{}"),
        "api_support_curatorships": ("get", "/api/v1/support/curatorships", {}),
        "api_support_pairs": ("get", "/api/v1/support/pairs", {}),
        "api_support_mentorships": ("get", "/api/v1/support/mentorships", {}),
        "api_support_communities": ("get", "/api/v1/support/communities", {}),
    }
