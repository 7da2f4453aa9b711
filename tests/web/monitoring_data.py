"""A hand-made school year for the indicator tests (every expected number is counted by hand in
the tests' comments).

Municipality «Первый» (personas): school A (СОШ № 1) and its leader partner B (СОШ № 2).

A's staff: T1 (русский), T2 (русский), T3 (математика), T4 (no subject), T5 (история) —
working; T6 left on 30.06.2025 (on the staff at the end of 2024, not of 2025).
Events (held unless said):
    2024-10-10  seminar by the coordinator          A: T1 present
    2025-03-05  seminar by the coordinator          A: T1 present, T2 marked absent
    2025-04-12  monitoring visit by a methodist     A: T3 present
    2025-05-20  round table, cancelled              A: T4 (not counted: not held)
Diagnostics (regional instrument, one domain of 10 points): T1 5/10 (2024-11-01) and 6/10
(2025-11-01) → +10 p. p., positive; T2 one diagnostic 7/10 (2025-02-01).
Mentorship: T4 mentored by B's teacher M from 2025-01-15. Community: T5 a member from
2025-02-01. Network pair A–B agreed 2024-09-01.
Official run (2024 and 2025 results of A): ВПР русский 5 класс — 20 participants, gap −10 (2024)
and −8 (2025), fail share 25 % in 2025; ВПР математика 5 класс — 30 participants, gap −6 (2024)
and −7 (2025), fail share 10 % in 2025. Official list of 2025: A (ШНОР).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from opora.web.analysis.models import (
    CATEGORY_LOW,
    DONE,
    AnalysisRun,
    ApprovedList,
    Inclusion,
    RunSchoolStat,
)
from opora.web.staff.models import DiagnosticScore, Teacher, TeacherDiagnostic
from opora.web.support.models import (
    Community,
    CommunityMember,
    EventParticipant,
    EventSchool,
    Mentorship,
    NetworkPair,
    SupportEvent,
)


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


def event(school: Any, day: str, kind: str, organiser: str, present: list[Any],
          absent: list[Any] = (), status: str = "held", **extra: Any) -> SupportEvent:  # type: ignore[assignment]
    made = SupportEvent.objects.create(
        municipality_id=school.municipality_id, kind=kind, topic=f"{kind} {day}",
        starts_at=at(day), ends_at=at(day, 12), status=status, organiser_kind=organiser,
        status_reason="" if status == "held" else "погода", **extra)
    EventSchool.objects.create(event=made, school=school)
    for teacher in present:
        EventParticipant.objects.create(event=made, teacher=teacher, school=teacher.school)
    for teacher in absent:
        EventParticipant.objects.create(event=made, teacher=teacher, school=teacher.school,
                                        attended=False)
    return made


def diagnostic(teacher: Teacher, day: str, score: float) -> None:
    made = TeacherDiagnostic.objects.create(teacher=teacher, date=dt.date.fromisoformat(day),
                                            instrument="regional")
    DiagnosticScore.objects.create(diagnostic=made, domain="subject_domain", score=score, max_score=10)


def school_year(case: Any) -> dict[str, Any]:
    a, b = case.a, case.b
    t = {name: Teacher.objects.create(school=a, name=name, subjects=subjects)
         for name, subjects in (("T1", ["rus"]), ("T2", ["rus"]), ("T3", ["math"]), ("T4", []),
                                ("T5", ["history"]))}
    t["T6"] = Teacher.objects.create(school=a, name="T6", subjects=["rus"],
                                     active_to=dt.date(2025, 6, 30))
    mentor = Teacher.objects.create(school=b, name="M", subjects=["math"])
    event(a, "2024-10-10", "seminar", "coordinator", [t["T1"]])
    event(a, "2025-03-05", "seminar", "coordinator", [t["T1"]], [t["T2"]])
    event(a, "2025-04-12", "monitoring_visit", "methodist", [t["T3"]])
    event(a, "2025-05-20", "round_table", "coordinator", [t["T4"]], status="cancelled")
    diagnostic(t["T1"], "2024-11-01", 5)
    diagnostic(t["T1"], "2025-11-01", 6)
    diagnostic(t["T2"], "2025-02-01", 7)
    Mentorship.objects.create(mentor=mentor, mentee=t["T4"], started_on=dt.date(2025, 1, 15))
    community = Community.objects.create(municipality=case.first, name="ГМО", kind="gmo",
                                         started_on=dt.date(2024, 9, 1))
    CommunityMember.objects.create(community=community, teacher=t["T5"], school=a,
                                   joined_on=dt.date(2025, 2, 1))
    NetworkPair.objects.create(low_school=a, leader_school=b, agreed_on=dt.date(2024, 9, 1))
    run = AnalysisRun.objects.create(scope="municipality", region=case.first.region,
                                     municipality=case.first, status=DONE,
                                     run_json={"years_analysed": [2024, 2025]})
    for subject, n, gaps, fail in (("rus", 20, (-10, -8), 25.0), ("math", 30, (-6, -7), 10.0)):
        for year, gap in zip((2024, 2025), gaps, strict=True):
            RunSchoolStat.objects.create(run=run, school=a, procedure="VPR", subject=subject,
                                         grade=5, year=year, participants=n, gap_pct=gap,
                                         fail_share_pct=fail if year == 2025 else 0.0)
    approved = ApprovedList.objects.create(run=run, year=2025, region=case.first.region,
                                           municipality=case.first, basis="приказ № 1",
                                           approved_by=case.coordinator)
    Inclusion.objects.create(approved_list=approved, school=a, category=CATEGORY_LOW,
                             since_year=2025, evidence="ниже региона")
    return t
