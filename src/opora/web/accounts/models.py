"""Roles as data: who may see and do what, and over which territory or school.

A user may hold several assignments (a curator has one per assigned school; a methodist may also
be a curator). Each role has exactly one kind of scope, enforced by the database:

=============  ====================  ==========================================
role           scope                 who (DOMAIN.md)
=============  ====================  ==========================================
coordinator    municipality          муниципальный координатор (УО)
methodist      municipality          методист ЦДО / ИМЦ
regional       region                региональный координатор (ИРО, ЦОКО)
school_admin   school                руководитель / зам. по УВР школы
curator        school (one per row)  куратор из более успешной школы
=============  ====================  ==========================================
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from opora.glossary import ROLES

COORDINATOR, METHODIST, REGIONAL = "coordinator", "methodist", "regional"
SCHOOL_ADMIN, CURATOR = "school_admin", "curator"
#: Names, order and scopes of the roles are the glossary's (``opora.glossary.ROLES``).
ROLE_LABELS: dict[str, str] = {role.code: role.name_ru for role in ROLES}
SCOPE_OF_ROLE: dict[str, str] = {role.code: role.scope for role in ROLES}
_SCOPES = ("region", "municipality", "school")


def _only(scope: str) -> Q:
    """Exactly ``scope`` is set and the other two scope columns are empty."""
    q = Q(**{f"{scope}__isnull": False})
    for other in _SCOPES:
        if other != scope:
            q &= Q(**{f"{other}__isnull": True})
    return q


class RoleAssignment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="role_assignments", verbose_name="пользователь")
    role = models.CharField("роль", max_length=16, choices=list(ROLE_LABELS.items()))
    region = models.ForeignKey("schools.Region", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+", verbose_name="регион")
    municipality = models.ForeignKey("schools.Municipality", on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="+", verbose_name="муниципалитет")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+", verbose_name="школа")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "назначение роли"
        verbose_name_plural = "назначения ролей"
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[COORDINATOR, METHODIST]) & _only("municipality")
                | Q(role=REGIONAL) & _only("region")
                | Q(role__in=[SCHOOL_ADMIN, CURATOR]) & _only("school"),
                name="role_has_its_scope",
                violation_error_message="Для роли указана не та область: координатору и методисту "
                                        "— муниципалитет, региональному координатору — регион, "
                                        "руководителю школы и куратору — школа."),
            *[models.UniqueConstraint(fields=["user", "role", scope],
                                      condition=Q(**{f"{scope}__isnull": False}),
                                      name=f"role_unique_per_{scope}",
                                      violation_error_message="Такое назначение уже есть.")
              for scope in _SCOPES],
        ]

    def __str__(self) -> str:
        return f"{ROLE_LABELS.get(self.role, self.role)}: {self.scope_object}"

    @property
    def scope_object(self) -> object:
        return self.school or self.municipality or self.region


class SignInFailures(models.Model):
    """Failed sign-ins in a row of one account or from one address (:mod:`.throttle`).

    Kept in the database, not the cache: a counter that vanished with Redis would let guessing
    go on unlimited (issue 10). ``key`` is a hash (``account:…`` of the lower-cased username,
    ``address:…`` of the client address): what people typed is never stored.
    """

    key = models.CharField("ключ", max_length=80, unique=True)
    failures = models.PositiveIntegerField("неудачных попыток подряд", default=0)
    last_failure = models.DateTimeField("последняя неудача", db_index=True)
    wait_until = models.DateTimeField("следующая попытка не раньше", null=True, blank=True)

    class Meta:
        verbose_name = "ограничение входа"
        verbose_name_plural = "ограничения входа"

    def __str__(self) -> str:
        return f"{self.key[:20]}…: {self.failures}"


class PasswordChangeRequired(models.Model):
    """The user signs in with a password someone else chose (a one-time password from the
    roles page): every page sends them to change it until they do (:mod:`.passwords`)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                primary_key=True, related_name="+", verbose_name="пользователь")
    since = models.DateTimeField("пароль выдан", auto_now_add=True)

    class Meta:
        verbose_name = "обязательная смена пароля"
        verbose_name_plural = "обязательные смены пароля"

    def __str__(self) -> str:
        return str(self.user)
