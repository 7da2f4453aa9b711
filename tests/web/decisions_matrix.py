"""Recommendations, decisions and the annual cycle in ``test_permission_matrix.py`` (issue 16).

Targets (made once per test class, on the personas' territory):

    rec:A          a recommendation to A's teachers, accepted (the school sees and closes it)
    rec:A-new      a suggestion for A's teachers, not yet accepted (the school does not see it)
    rec:C          a recommendation to C's teachers («Второй»), accepted
    rec:dept       a recommendation to the education department of «Первый», accepted
    meeting:Первый a meeting of «Первый» with one item and one decision
    meeting:Второй a meeting of «Второй»
    decision:Первый the decision of meeting:Первый
    measure:Первый a row of the plan of measures of «Первый»
    stage:Первый   the identification stage of «Первый»
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from opora.web.decisions.cycle import stages_ensure
from opora.web.decisions.models import Decision, Meeting, MeetingItem, PlanMeasure, Recommendation

DECISIONS_MATRIX = """
decisions_recs        -                 302  403    200   200    200    200     200    200
decisions_rec         rec:A             302  404    200   200    200    404     200    200
decisions_rec         rec:A-new         302  404    200   200    404    404     200    200
decisions_rec         rec:C             302  404    404   404    404    200     200    200
decisions_rec         rec:dept          302  404    200   200    404    404     200    200
decisions_accept      rec:A-new         302  404    302   403    404    404     403    302
decisions_close       rec:A             302  404    302   403    302    404     403    302
decisions_close       rec:C             302  404    404   404    404    403     403    302
decisions_close       rec:dept          302  404    302   403    404    404     403    302
decisions_suggest     Первый            302  403    302   403    403    403     403    302
decisions_suggest     Второй            302  403    404   404    403    403     403    302
decisions_rec_new     Первый            302  403    200   403    403    403     403    200
decisions_meetings    -                 302  403    200   200    403    403     200    200
decisions_meeting     meeting:Первый    302  404    200   200    404    404     200    200
decisions_meeting     meeting:Второй    302  404    404   404    404    404     200    200
decisions_meeting_new Первый            302  403    302   403    403    403     403    302
decisions_meeting_new Второй            302  403    404   404    403    403     403    302
decisions_item_new    meeting:Первый    302  404    302   403    404    404     403    302
decisions_decision_new meeting:Первый   302  404    302   403    404    404     403    302
decisions_decision_status decision:Первый 302 404  302   403    404    404     403    302
decisions_plan        -                 302  403    200   200    403    403     200    200
decisions_plan_export -                 302  403    200   200    403    403     200    200
decisions_measure_edit measure:Первый   302  403    200   403    403    403     403    200
decisions_measure_new Первый            302  403    302   403    403    403     403    302
decisions_cycle       -                 302  403    200   200    403    403     200    200
decisions_stage_save  stage:Первый      302  404    302   403    404    404     403    302
decisions_system      -                 302  403    200   200    403    403     200    200
decisions_system_export -               302  403    200   200    403    403     200    200
decisions_system_save Первый            302  403    302   403    403    403     403    302
decisions_school_panel A                 302  404    200   200    200    404     200    200
decisions_school_panel C                 302  404    404   404    404    200     200    200
decisions_notifications -               302  200    200   200    200    200     200    200
decisions_bell        -                 302  200    200   200    200    200     200    200
decisions_overdue     -                 302  200    200   200    200    200     200    200
api_recommendations   -                 401  200    200   200    200    200     200    200
api_recommendation    rec:A             401  404    200   200    200    404     200    200
api_recommendation    rec:A-new         401  404    200   200    404    404     200    200
api_recommendation    rec:C             401  404    404   404    404    200     200    200
api_rec_accept        rec:A-new         401  404    200   403    404    404     403    200
api_rec_close         rec:A             401  404    200   403    200    404     403    200
api_meetings          -                 401  200    200   200    200    200     200    200
api_meeting           meeting:Первый    401  404    200   200    404    404     200    200
api_meeting           meeting:Второй    401  404    404   404    404    404     200    200
api_meeting_new       Первый            401  403    201   403    403    403     403    201
api_meeting_new       Второй            401  403    404   403    403    403     403    201
api_decisions         -                 401  200    200   200    200    200     200    200
api_plan              -                 401  200    200   200    200    200     200    200
api_plan_new          Первый            401  403    201   403    403    403     403    201
"""


def _rec(case: Any, school: Any, *, status: str = "accepted", addressee: str = "teachers",
         municipality: Any = None) -> Recommendation:
    return Recommendation.objects.create(
        municipality=municipality or school.municipality, school=school, year=2024,
        addressee=addressee, rule="weak_subject" if school else "uncurated",
        text="Разобрать задания", basis="числа",
        status=status, deadline=None if status == "suggested" else dt.date(2031, 1, 1),
        responsible="" if status == "suggested" else "руководитель ШМО")


def decisions_targets(case: Any) -> dict[str, Any]:
    """Make the targets; ``case`` is the matrix's test class (personas)."""
    meeting = Meeting.objects.create(municipality=case.first, date=dt.date(2025, 9, 10),
                                     agenda="Итоги ГИА")
    item = MeetingItem.objects.create(meeting=meeting, position=1, heard="Итоги",
                                      decided="Принять к сведению")
    return {
        "rec:A": _rec(case, case.a),
        "rec:A-new": _rec(case, case.a, status="suggested"),
        "rec:C": _rec(case, case.c),
        "rec:dept": _rec(case, None, addressee="department", municipality=case.first),
        "meeting:Первый": meeting,
        "meeting:Второй": Meeting.objects.create(municipality=case.second,
                                                 date=dt.date(2025, 9, 11), agenda="Итоги"),
        "decision:Первый": Decision.objects.create(item=item, text="Закрепить кураторов",
                                                   responsible="начальник отдела",
                                                   deadline=dt.date(2031, 1, 1)),
        "measure:Первый": PlanMeasure.objects.create(
            municipality=case.first, year=2025, measure="Мониторинг", timing="октябрь–апрель",
            responsible="ИМЦ", result="справка"),
        "stage:Первый": stages_ensure(case.first, 2025)[0],
    }


def decisions_requests(target: Any, targets: dict[str, Any]) -> dict[str, tuple[str, str, Any]]:
    """(method, url, data) of the decisions pages and API on ``target``; a JSON body is a str."""
    pk = getattr(target, "pk", None)
    town = {"municipality": getattr(target, "municipality_id", None) or pk}
    rec, meeting = f"/decisions/recommendations/{pk}/", f"/decisions/meetings/{pk}/"
    item = targets["meeting:Первый"].items.get().pk
    accept = {"text": "Разобрать задания", "deadline": "2031-01-01",
              "responsible": "руководитель ШМО"}
    return {
        "decisions_recs": ("get", "/decisions/recommendations/", {}),
        "decisions_rec": ("get", rec, {}),
        "decisions_accept": ("post", rec + "accept/", accept),
        "decisions_close": ("post", rec + "close/", {"result": "done",
                                                     "outcome": "Проведено заседание ШМО"}),
        "decisions_suggest": ("post", "/decisions/recommendations/suggest/", {"municipality": pk}),
        "decisions_rec_new": ("get", "/decisions/recommendations/new/", {"municipality": pk}),
        "decisions_meetings": ("get", "/decisions/meetings/", {}),
        "decisions_meeting": ("get", meeting, {}),
        "decisions_meeting_new": ("post", "/decisions/meetings/new/", {
            "municipality": pk, "date": "2025-10-01", "kind": "working_group",
            "agenda": "Рекомендации"}),
        "decisions_item_new": ("post", meeting + "items/", {"heard": "Итоги",
                                                            "decided": "Утвердить план"}),
        "decisions_decision_new": ("post", f"{meeting}items/{item}/decisions/", {
            "text": "Утвердить план", "responsible": "ИМЦ", "deadline": "2031-01-01"}),
        "decisions_decision_status": ("post", f"/decisions/decisions/{pk}/status/",
                                      {"status": "done", "note": "исполнено"}),
        "decisions_plan": ("get", "/decisions/plan/", {}),
        "decisions_plan_export": ("get", "/decisions/plan/export.xlsx", {}),
        "decisions_measure_edit": ("get", f"/decisions/plan/{pk}/", town),
        "decisions_measure_new": ("post", "/decisions/plan/new/", {
            "municipality": pk, "year": 2025, "position": 2, "measure": "Семинар",
            "timing": "ноябрь", "responsible": "ИМЦ", "result": "программа",
            "status": "planned"}),
        "decisions_cycle": ("get", "/decisions/cycle/", {}),
        "decisions_stage_save": ("post", f"/decisions/cycle/stages/{pk}/", {
            f"s{pk}-starts_on": "2025-09-01", f"s{pk}-due_on": "2025-09-30"}),
        "decisions_system": ("get", "/decisions/system/", {}),
        "decisions_system_export": ("get", "/decisions/system/export.xlsx", {}),
        "decisions_system_save": ("post", "/decisions/system/assessment/",
                                  {"municipality": pk, "year": 2025, "goals-exists": "on"}),
        "decisions_school_panel": ("get", f"/decisions/schools/{pk}/panel/", {}),
        "decisions_notifications": ("get", "/decisions/notifications/", {}),
        "decisions_bell": ("get", "/decisions/bell/", {}),
        "decisions_overdue": ("get", "/decisions/overdue/", {}),
        "api_recommendations": ("get", "/api/v1/recommendations", {}),
        "api_recommendation": ("get", f"/api/v1/recommendations/{pk}", {}),
        "api_rec_accept": ("post", f"/api/v1/recommendations/{pk}/accept",
                           json.dumps({"deadline": "2031-01-01", "responsible": "ШМО"})),
        "api_rec_close": ("post", f"/api/v1/recommendations/{pk}/close",
                          json.dumps({"done": True, "outcome": "Проведено"})),
        "api_meetings": ("get", "/api/v1/meetings", {}),
        "api_meeting": ("get", f"/api/v1/meetings/{pk}", {}),
        "api_meeting_new": ("post", "/api/v1/meetings", json.dumps({
            "municipality_id": pk, "date": "2025-10-01", "agenda": "Рекомендации",
            "items": [{"heard": "Итоги", "decided": "Утвердить", "decisions": [
                {"text": "Утвердить план", "responsible": "ИМЦ", "deadline": "2031-01-01"}]}]})),
        "api_decisions": ("get", "/api/v1/decisions", {}),
        "api_plan": ("get", "/api/v1/plan", {}),
        "api_plan_new": ("post", "/api/v1/plan", json.dumps({
            "municipality_id": pk, "year": 2025, "measure": "Семинар", "timing": "ноябрь",
            "responsible": "ИМЦ", "result": "программа"})),
    }
