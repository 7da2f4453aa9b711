"""Curatorships, network pairs, mentorships and communities: started, ended, kept in history.

A curatorship and the curator's role go together: starting one grants the role
``curator`` over the school (what the Viewer reads to let the curator see the school and record
its events); ending it revokes the role unless another current curatorship of the same person
and school remains. The curatorship itself stays, with its end date and reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opora.web.accounts.models import CURATOR, RoleAssignment
from opora.web.accounts.scope import Action, Viewer
from opora.web.accounts.services import role_assign, role_revoke
from opora.web.analysis.models import RunPair
from opora.web.analysis.official import official_run
from opora.web.schools.models import School
from opora.web.support.models import (
    Community,
    CommunityMember,
    Curatorship,
    Mentorship,
    NetworkPair,
)
from opora.web.support.services import audit

ASSIGNS = "Назначает кураторов и сетевые пары координатор муниципалитета."


def _not_future(day: dt.date, field: str, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"{what} не может быть в будущем."})


def _end(record: Any, *, by: Any, ended_on: dt.date, reason: str) -> None:
    if record.ended_on is not None:
        raise ValidationError("Это назначение уже закончено.")
    _not_future(ended_on, "ended_on", "Дата окончания")
    record.ended_on, record.end_reason = ended_on, reason.strip()
    record.full_clean()
    audit(record, by)
    record.save()


# --- curators ---------------------------------------------------------------------------------

@transaction.atomic
def curatorship_start(*, by: Any, curator: Any, school: School, started_on: dt.date,
                      basis: str) -> Curatorship:
    """Assign ``curator`` to ``school`` from ``started_on`` and grant them the curator role."""
    Viewer.of(by).require(Action.MANAGE_ASSIGNMENTS, school.municipality, ASSIGNS)
    if not basis.strip():
        raise ValidationError({"basis": "Укажите основание: приказ или решение, номер и дату."})
    found = Curatorship(curator=curator, school=school, started_on=started_on,
                        basis=basis.strip(), created_by=by)
    found.full_clean()
    audit(found, by)
    found.save()
    role_assign(user=curator, role=CURATOR, school=school, by=by,
                reason=f"кураторство: {found.basis}")
    return found


@transaction.atomic
def curatorship_end(*, by: Any, curatorship: Curatorship, ended_on: dt.date,
                    reason: str = "") -> Curatorship:
    """End the curatorship (kept in history) and revoke the role unless another current
    curatorship of the same person and school remains."""
    Viewer.of(by).require(Action.MANAGE_ASSIGNMENTS, curatorship.school.municipality, ASSIGNS)
    _end(curatorship, by=by, ended_on=ended_on, reason=reason)
    still = Curatorship.objects.filter(curator=curatorship.curator, school=curatorship.school,
                                       ended_on__isnull=True).exists()
    if not still:
        for role in RoleAssignment.objects.filter(user=curatorship.curator, role=CURATOR,
                                                  school=curatorship.school):
            role_revoke(assignment=role, by=by)
    return curatorship


# --- network pairs ----------------------------------------------------------------------------

@transaction.atomic
def pair_create(*, by: Any, low_school: School, leader_school: School, agreed_on: dt.date,
                basis: str = "", run_pair: RunPair | None = None) -> NetworkPair:
    """A network pair made by hand, or accepted from the engine's proposal (``run_pair``)."""
    viewer = Viewer.of(by)
    viewer.require(Action.MANAGE_ASSIGNMENTS, low_school.municipality, ASSIGNS)
    if not viewer.may(Action.MANAGE_ASSIGNMENTS, leader_school.municipality):
        raise ValidationError({"leader_school": "Школа-лидер — не из вашего муниципалитета."})
    _not_future(agreed_on, "agreed_on", "Дата соглашения")
    pair = NetworkPair(low_school=low_school, leader_school=leader_school, agreed_on=agreed_on,
                       basis=basis.strip(), created_by=by)
    if run_pair is not None:
        pair.run_id, pair.weak_subjects, pair.reason = (
            run_pair.run_id, run_pair.weak_subjects, run_pair.reason)
    pair.full_clean()
    audit(pair, by)
    pair.save()
    return pair


@transaction.atomic
def pair_accept(*, by: Any, run_pair: RunPair, agreed_on: dt.date | None = None,
                basis: str = "") -> NetworkPair:
    """Accept a pair the official run proposes, in one click (the agreement dated today unless
    given). A proposal of a run that is not the municipality's official list is refused."""
    low = School.objects.select_related("municipality").get(pk=run_pair.low_school_id)
    official = official_run(low.municipality)
    if official is None or official.pk != run_pair.run_id:
        raise ValidationError("Эту пару предлагает не действующий официальный список: откройте "
                              "предложения утверждённого расчёта.")
    leader = School.objects.select_related("municipality").get(pk=run_pair.leader_school_id)
    return pair_create(by=by, low_school=low, leader_school=leader,
                       agreed_on=agreed_on or timezone.localdate(), basis=basis,
                       run_pair=run_pair)


@transaction.atomic
def pair_end(*, by: Any, pair: NetworkPair, ended_on: dt.date, reason: str = "") -> NetworkPair:
    Viewer.of(by).require(Action.MANAGE_ASSIGNMENTS, pair.low_school.municipality, ASSIGNS)
    _end(pair, by=by, ended_on=ended_on, reason=reason)
    return pair


# --- mentors ----------------------------------------------------------------------------------

@transaction.atomic
def mentorship_start(*, by: Any, mentor: Any, mentee: Any, started_on: dt.date,
                     basis: str = "") -> Mentorship:
    """A mentor (possibly of another school the viewer sees) for a teacher of a school whose
    mentorships the viewer manages."""
    viewer = Viewer.of(by)
    viewer.require(Action.MANAGE_MENTORSHIPS, mentee.school,
                   "Наставников назначают руководитель школы, методист и координатор.")
    if not viewer.may_see_school(mentor.school):
        raise ValidationError({"mentor": "Наставник — из школы вне вашей области."})
    found = Mentorship(mentor=mentor, mentee=mentee, started_on=started_on, basis=basis.strip(),
                       created_by=by)
    found.full_clean()
    audit(found, by)
    found.save()
    return found


@transaction.atomic
def mentorship_end(*, by: Any, mentorship: Mentorship, ended_on: dt.date,
                   reason: str = "") -> Mentorship:
    Viewer.of(by).require(Action.MANAGE_MENTORSHIPS, mentorship.mentee.school)
    _end(mentorship, by=by, ended_on=ended_on, reason=reason)
    return mentorship


# --- communities ------------------------------------------------------------------------------

COMMUNITIES = "Сообщества ведут координатор и методисты муниципалитета."


@transaction.atomic
def community_create(*, by: Any, municipality: Any, name: str, kind: str, started_on: dt.date,
                     subject: str = "", leader: Any = None) -> Community:
    Viewer.of(by).require(Action.MANAGE_COMMUNITIES, municipality, COMMUNITIES)
    if leader is not None and leader.school.municipality_id != municipality.pk:
        raise ValidationError({"leader": "Руководитель — педагог другого муниципалитета."})
    found = Community(municipality=municipality, name=name.strip(), kind=kind, subject=subject,
                      leader=leader, started_on=started_on, created_by=by)
    found.full_clean()
    audit(found, by)
    found.save()
    if leader is not None:
        community_join(by=by, community=found, teacher=leader, joined_on=started_on)
    return found


@transaction.atomic
def community_end(*, by: Any, community: Community, ended_on: dt.date,
                  reason: str = "") -> Community:
    Viewer.of(by).require(Action.MANAGE_COMMUNITIES, community.municipality, COMMUNITIES)
    _end(community, by=by, ended_on=ended_on, reason=reason)
    for member in community.members.filter(left_on__isnull=True):
        member.left_on = max(ended_on, member.joined_on)
        audit(member, by)
        member.save()
    return community


@transaction.atomic
def community_join(*, by: Any, community: Community, teacher: Any,
                   joined_on: dt.date) -> CommunityMember:
    """A teacher of the community's municipality joins (members come from many schools)."""
    Viewer.of(by).require(Action.MANAGE_COMMUNITIES, community.municipality, COMMUNITIES)
    if teacher.school.municipality_id != community.municipality_id:
        raise ValidationError({"teacher": "Педагог другого муниципалитета."})
    member = CommunityMember(community=community, teacher=teacher, school_id=teacher.school_id,
                             joined_on=joined_on)
    member.full_clean()
    audit(member, by)
    member.save()
    return member


@transaction.atomic
def community_leave(*, by: Any, member: CommunityMember, left_on: dt.date) -> CommunityMember:
    Viewer.of(by).require(Action.MANAGE_COMMUNITIES, member.community.municipality, COMMUNITIES)
    if member.left_on is not None:
        raise ValidationError("Педагог уже вышел из сообщества.")
    member.left_on = left_on
    member.full_clean()
    audit(member, by)
    member.save()
    return member
