"""Who may upload, for which territory, and which upload jobs a user may see (always scoped).

Decision (docs/user-guide.md, «Загрузка файлов через сайт»): a coordinator loads any file for
their municipality and resolves its unknown schools; a school administrator loads the ВПР forms
and the context passport of their own school; every other role has no upload page (403). The
rules are the Viewer's (:class:`opora.web.accounts.scope.Viewer`); this module applies them to
upload jobs.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from opora.web.accounts.scope import Action, Territory, Viewer
from opora.web.imports.models import UploadJob
from opora.web.imports.scope import SCHOOL_ADMIN_FORMATS, ImportScope

#: A municipality (coordinator) or one school (school administrator) files are loaded for.
UploadTarget = Territory


def target_scope(target: Territory) -> ImportScope:
    """What an import for this target may write: the school's own ВПР forms and passport, or
    anything of the municipality."""
    if target.school:
        return ImportScope(school_id=target.school.pk, formats=SCHOOL_ADMIN_FORMATS)
    return ImportScope(municipality_id=target.municipality.pk)


def upload_targets(user: Any) -> list[Territory]:
    """Where ``user`` may load files; empty means no access to the import pages."""
    return Viewer.of(user).upload_targets()


def job_target(job: UploadJob) -> Territory:
    return Territory(job.municipality, job.school)


def jobs_visible_to(user: Any) -> QuerySet[UploadJob]:
    """A coordinator's municipality's uploads; a school administrator's school's uploads."""
    viewer = Viewer.of(user)
    if not viewer.active:
        return UploadJob.objects.none()
    if viewer.superuser:
        return UploadJob.objects.all()
    return UploadJob.objects.filter(Q(municipality__in=viewer.coordinated_ids())
                                    | Q(school__in=viewer.administered_school_ids()))


def job_get(user: Any, pk: int) -> UploadJob:
    """One visible job with what its pages show; 404 when not visible (existence not disclosed)."""
    job = (jobs_visible_to(user).select_related("municipality", "school", "created_by")
           .filter(pk=pk).first())
    if job is None:
        raise Http404("Загрузка не найдена или недоступна")
    return job


def coordinates(user: Any, job: UploadJob) -> bool:
    """May ``user`` resolve this job's schools (match them or create them)?"""
    return Viewer.of(user).may(Action.RESOLVE_UPLOAD, job)
