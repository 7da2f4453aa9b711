"""Who supports whom, over which period: curatorships, network pairs, mentorships, communities.

An assignment is never deleted when it ends: it gets ``ended_on`` (and a reason) and stays in the
history of the school (issue 14: «Ending an assignment keeps it in history»). At most one
assignment of the same people or schools is current at a time — a database constraint. Every
change is kept by simple-history (who, when, what).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from opora.glossary import COMMUNITY_KINDS

COMMUNITY_KIND_CHOICES = [(t.code, t.name_ru) for t in COMMUNITY_KINDS]


def _ends_after_start(start: str, name: str, message: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F(start)), name=name,
        violation_error_message=message)


class Period(models.Model):
    """From ``started_on`` to ``ended_on`` inclusive; open while ``ended_on`` is empty."""

    ended_on = models.DateField("по", null=True, blank=True)
    end_reason = models.CharField("причина окончания", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name="кто записал")
    created_at = models.DateTimeField("записано", auto_now_add=True)

    class Meta:
        abstract = True

    def current_on(self, day: dt.date) -> bool:
        start = getattr(self, "started_on", None) or getattr(self, "agreed_on", None)
        return (start is None or start <= day) and (self.ended_on is None or self.ended_on >= day)

    @property
    def current(self) -> bool:
        return self.ended_on is None


class Curatorship(Period):
    """A curator (a leader or deputy of a more successful school, seed 001: «группа кураторов из
    числа руководителей и заместителей руководителей из более успешных школ») assigned to a
    school. Starting one grants the curator's role over the school; ending it revokes the role
    (:mod:`opora.web.support.services.assignments`)."""

    curator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="curatorships", verbose_name="куратор")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT,
                               related_name="curatorships", verbose_name="школа")
    started_on = models.DateField("с")
    basis = models.CharField("основание", max_length=300,
                             help_text="приказ или решение: номер и дата")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "кураторство"
        verbose_name_plural = "кураторства"
        ordering = ["-started_on", "pk"]
        constraints = [
            _ends_after_start("started_on", "curatorship_ends_after_start",
                              "Окончание кураторства раньше его начала."),
            models.UniqueConstraint(fields=["curator", "school"],
                                    condition=Q(ended_on__isnull=True),
                                    name="curatorship_one_current",
                                    violation_error_message="Этот куратор уже закреплён за "
                                                            "школой."),
        ]

    def __str__(self) -> str:
        return f"{self.curator} → {self.school}"


class NetworkPair(Period):
    """A low-results school and a leader school in similar social conditions working together
    (seed 001: «сетевые пары: ШНОР и школа-лидер, работающая в аналогичных социальных условиях»),
    from the date of their agreement. ``run``: accepted from this analysis run's proposal."""

    low_school = models.ForeignKey("schools.School", on_delete=models.PROTECT,
                                   related_name="network_pairs_as_low", verbose_name="ШНОР")
    leader_school = models.ForeignKey("schools.School", on_delete=models.PROTECT,
                                      related_name="network_pairs_as_leader",
                                      verbose_name="школа-лидер")
    agreed_on = models.DateField("дата соглашения")
    basis = models.CharField("соглашение", max_length=300, blank=True,
                             help_text="соглашение о сетевом взаимодействии: номер и дата")
    run = models.ForeignKey("analysis.AnalysisRun", on_delete=models.SET_NULL, null=True,
                            blank=True, related_name="+", verbose_name="предложена расчётом")
    weak_subjects = models.CharField("слабые предметы", max_length=300, blank=True)
    reason = models.TextField("почему эта пара", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "сетевая пара"
        verbose_name_plural = "сетевые пары"
        ordering = ["-agreed_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(low_school=F("leader_school")),
                                   name="pair_of_two_schools",
                                   violation_error_message="Школа не может быть парой самой "
                                                           "себе."),
            _ends_after_start("agreed_on", "pair_ends_after_agreement",
                              "Окончание работы пары раньше даты соглашения."),
            models.UniqueConstraint(fields=["low_school", "leader_school"],
                                    condition=Q(ended_on__isnull=True),
                                    name="pair_one_current",
                                    violation_error_message="Эта пара уже работает."),
        ]

    def __str__(self) -> str:
        return f"{self.low_school} — {self.leader_school}"


class Mentorship(Period):
    """A mentor teacher and a teacher they guide (seed 001: «наставничество над молодыми
    педагогами»; seed 000: «педагогические пары»), possibly from another school."""

    mentor = models.ForeignKey("staff.Teacher", on_delete=models.PROTECT,
                               related_name="mentorships_as_mentor", verbose_name="наставник")
    mentee = models.ForeignKey("staff.Teacher", on_delete=models.PROTECT,
                               related_name="mentorships_as_mentee", verbose_name="наставляемый")
    started_on = models.DateField("с")
    basis = models.CharField("основание", max_length=300, blank=True,
                             help_text="приказ школы о наставничестве: номер и дата")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "наставничество"
        verbose_name_plural = "наставничества"
        ordering = ["-started_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(mentor=F("mentee")), name="mentor_not_self",
                                   violation_error_message="Наставник и наставляемый — один и "
                                                           "тот же человек."),
            _ends_after_start("started_on", "mentorship_ends_after_start",
                              "Окончание наставничества раньше его начала."),
            models.UniqueConstraint(fields=["mentor", "mentee"],
                                    condition=Q(ended_on__isnull=True),
                                    name="mentorship_one_current",
                                    violation_error_message="Это наставничество уже идёт."),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee}"


class Community(Period):
    """A network community of the municipality: a subject community, a ГМО, a management team, a
    problem group — with its leader and members from many schools."""

    municipality = models.ForeignKey("schools.Municipality", on_delete=models.PROTECT,
                                     related_name="+", verbose_name="муниципалитет")
    name = models.CharField("название", max_length=200)
    kind = models.CharField("вид", max_length=32, choices=COMMUNITY_KIND_CHOICES)
    subject = models.CharField("предмет", max_length=32, blank=True)
    leader = models.ForeignKey("staff.Teacher", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name="руководитель")
    started_on = models.DateField("с")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "сетевое сообщество"
        verbose_name_plural = "сетевые сообщества"
        ordering = ["name", "pk"]
        constraints = [
            _ends_after_start("started_on", "community_ends_after_start",
                              "Окончание работы сообщества раньше его начала."),
        ]

    def __str__(self) -> str:
        return self.name


class CommunityMember(models.Model):
    """A teacher in a community, from ``joined_on`` until ``left_on``."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="members",
                                  verbose_name="сообщество")
    teacher = models.ForeignKey("staff.Teacher", on_delete=models.PROTECT, related_name="+",
                                verbose_name="педагог")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+",
                               verbose_name="школа")  # the teacher's, kept for the coverage
    joined_on = models.DateField("с")
    left_on = models.DateField("по", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "участник сообщества"
        verbose_name_plural = "участники сообществ"
        constraints = [
            models.CheckConstraint(condition=Q(left_on__isnull=True)
                                   | Q(left_on__gte=F("joined_on")),
                                   name="member_leaves_after_joining",
                                   violation_error_message="Выход из сообщества раньше входа."),
            models.UniqueConstraint(fields=["community", "teacher"],
                                    condition=Q(left_on__isnull=True),
                                    name="member_once_at_a_time",
                                    violation_error_message="Этот педагог уже в сообществе."),
        ]
        indexes = [models.Index(fields=["school", "left_on"], name="member_school_current")]

    def __str__(self) -> str:
        return f"{self.teacher} в «{self.community}»"
