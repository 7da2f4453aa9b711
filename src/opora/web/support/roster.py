"""Reads of the assignments: a municipality's curators, pairs, communities and mentors, the
pairs the official run proposes and are not yet accepted, and one school's support at a glance
(the card's panel). The caller has checked the viewer's right to the municipality or school."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from opora.web.analysis.labels import subject_list
from opora.web.analysis.models import RunPair
from opora.web.analysis.official import official_list
from opora.web.schools.models import Municipality, School
from opora.web.support.models import (
    Community,
    CommunityMember,
    Curatorship,
    Mentorship,
    NetworkPair,
    SupportEvent,
)


def curatorships_of(municipality: Municipality) -> list[Curatorship]:
    """Current first, then ended (history), newest first."""
    rows = (Curatorship.objects.filter(school__municipality=municipality)
            .select_related("curator", "school").order_by("-started_on", "-pk"))
    return sorted(rows, key=lambda c: c.ended_on is not None)


def pairs_of(municipality: Municipality) -> list[NetworkPair]:
    rows = (NetworkPair.objects.filter(low_school__municipality=municipality)
            .select_related("low_school", "leader_school").order_by("-agreed_on", "-pk"))
    return sorted(rows, key=lambda p: p.ended_on is not None)


@dataclass
class Proposals:
    """The official run's proposed pairs not yet working (``list_year`` — its year)."""

    list_year: int | None = None
    pairs: list[RunPair] = field(default_factory=list)


def proposals_of(municipality: Municipality, school: School | None = None) -> Proposals:
    """Pairs of the official list's run whose two schools are not yet a current pair."""
    approved = official_list(municipality)
    if approved is None:
        return Proposals()
    rows = (RunPair.objects.filter(run_id=approved.run_id,
                                   low_school__municipality=municipality)
            .select_related("low_school", "leader_school").order_by("low_school__number", "pk"))
    if school is not None:
        rows = rows.filter(Q(low_school=school) | Q(leader_school=school))
    current = set(NetworkPair.objects.filter(ended_on__isnull=True,
                                             low_school__municipality=municipality)
                  .values_list("low_school_id", "leader_school_id"))
    found = [p for p in rows if (p.low_school_id, p.leader_school_id) not in current]
    for pair in found:  # the engine writes subject codes: «math, rus» → «математика, русский язык»
        pair.weak_subject_names = subject_list(pair.weak_subjects)  # type: ignore[attr-defined]
    return Proposals(approved.year, found)


def communities_of(municipality: Municipality) -> list[Community]:
    return list(Community.objects.filter(municipality=municipality)
                .select_related("leader__school")
                .annotate(current_members=Count("members", filter=Q(members__left_on__isnull=True)))
                .order_by("ended_on", "name"))


def community_members(community: Community) -> list[CommunityMember]:
    return list(community.members.select_related("teacher", "school")
                .order_by("left_on", "school__number", "teacher__name"))


def mentorships_of(municipality: Municipality) -> list[Mentorship]:
    rows = (Mentorship.objects.filter(mentee__school__municipality=municipality)
            .select_related("mentor__school", "mentee__school").order_by("-started_on", "-pk"))
    return sorted(rows, key=lambda m: m.ended_on is not None)


def school_support(school: School, *, recent: int = 5) -> dict[str, Any]:
    """One school's support at a glance: curators, pairs, communities, mentorships of its
    teachers, recent events (the caller filters the events by what the viewer sees)."""
    return {
        "curatorships": list(Curatorship.objects.filter(school=school)
                             .select_related("curator").order_by("ended_on", "-started_on")),
        "pairs": list(NetworkPair.objects.filter(Q(low_school=school) | Q(leader_school=school))
                      .select_related("low_school", "leader_school")
                      .order_by("ended_on", "-agreed_on")),
        "communities": list(Community.objects.filter(members__school=school,
                                                     members__left_on__isnull=True)
                            .distinct().order_by("name")),
        "mentorships": Mentorship.objects.filter(mentee__school=school,
                                                 ended_on__isnull=True).count(),
        "recent": SupportEvent.objects.filter(event_schools__school=school)
        .order_by("-starts_at")[:recent],
    }
