"""Who may upload, for which territory, and which upload jobs a user may see (always scoped).

Decision (docs/user-guide.md, «Загрузка файлов через сайт»): a coordinator loads any file for
their municipality and resolves its unknown schools; a school administrator loads the ВПР forms
and the context passport of their own school; every other role has no upload page (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from opora.web.accounts.models import COORDINATOR, SCHOOL_ADMIN
from opora.web.accounts.selectors import roles_of
from opora.web.imports.models import UploadJob
from opora.web.imports.scope import SCHOOL_ADMIN_FORMATS, ImportScope
from opora.web.schools.models import Municipality, School


@dataclass(frozen=True)
class UploadTarget:
    """A municipality (coordinator) or one school (school administrator) files are loaded for."""

    municipality: Municipality
    school: School | None = None

    @property
    def value(self) -> str:
        return f"s{self.school.pk}" if self.school else f"m{self.municipality.pk}"

    @property
    def label(self) -> str:
        if self.school:
            return f"Школа: {self.school.short_name} ({self.municipality.name})"
        return f"Муниципалитет: {self.municipality.name}"

    def scope(self) -> ImportScope:
        if self.school:
            return ImportScope(school_id=self.school.pk, formats=SCHOOL_ADMIN_FORMATS)
        return ImportScope(municipality_id=self.municipality.pk)


def upload_targets(user: Any) -> list[UploadTarget]:
    """Where ``user`` may load files; empty means no access to the import pages."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_superuser:
        return [UploadTarget(m) for m in Municipality.objects.order_by("name")]
    targets = []
    for assignment in roles_of(user).select_related("school__municipality"):
        # the role_has_its_scope constraint: a coordinator has a municipality, a school admin a school
        if assignment.role == COORDINATOR:
            assert assignment.municipality is not None
            targets.append(UploadTarget(assignment.municipality))
        elif assignment.role == SCHOOL_ADMIN:
            assert assignment.school is not None
            targets.append(UploadTarget(assignment.school.municipality, assignment.school))
    return targets


def job_target(job: UploadJob) -> UploadTarget:
    return UploadTarget(job.municipality, job.school)


def _coordinated(user: Any) -> QuerySet[Any]:
    return roles_of(user).filter(role=COORDINATOR).values("municipality")


def jobs_visible_to(user: Any) -> QuerySet[UploadJob]:
    """A coordinator's municipality's uploads; a school administrator's school's uploads."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return UploadJob.objects.none()
    if user.is_superuser:
        return UploadJob.objects.all()
    schools = roles_of(user).filter(role=SCHOOL_ADMIN).values("school")
    return UploadJob.objects.filter(Q(municipality__in=_coordinated(user))
                                    | Q(school__in=schools))


def job_get(user: Any, pk: int) -> UploadJob:
    """One visible job with what its pages show; 404 when not visible (existence not disclosed)."""
    job = (jobs_visible_to(user).select_related("municipality", "school", "created_by")
           .filter(pk=pk).first())
    if job is None:
        raise Http404("Загрузка не найдена или недоступна")
    return job


def coordinates(user: Any, job: UploadJob) -> bool:
    """May ``user`` resolve this job's schools (match them or create them)?"""
    if getattr(user, "is_superuser", False):
        return True
    return _coordinated(user).filter(municipality=job.municipality_id).exists()
