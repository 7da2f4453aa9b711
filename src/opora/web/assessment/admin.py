"""Admin of assessment data: read mostly (rows come from imports, see the import batch)."""

from typing import ClassVar

from django.contrib import admin

from opora.web.assessment.models import (
    AssessmentScale,
    ObjectivityMarker,
    Procedure,
    ReferenceValue,
    SchoolAggregate,
    StudentResult,
    Subject,
    Task,
)


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("code", "name",)


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "marker",)


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0


@admin.register(AssessmentScale)
class AssessmentScaleAdmin(admin.ModelAdmin):
    list_display = ("procedure", "year", "grade", "subject", "max_primary_score",)
    list_filter = ("procedure", "year", "grade", "subject",)
    inlines = (TaskInline,)


class _LoadedAdmin(admin.ModelAdmin):
    list_select_related = True
    raw_id_fields: ClassVar[tuple[str, ...]] = ("school", "batch",)


@admin.register(StudentResult)
class StudentResultAdmin(_LoadedAdmin):
    list_display = ("school", "procedure", "year", "grade", "subject", "participant_code",
                    "primary_score", "mark",)
    list_filter = ("procedure", "year", "grade", "subject",)
    raw_id_fields = ("school", "batch", "scale",)


@admin.register(SchoolAggregate)
class SchoolAggregateAdmin(_LoadedAdmin):
    list_display = ("school", "procedure", "year", "grade", "subject", "participants",
                    "mean_score",)
    list_filter = ("procedure", "year", "subject",)


@admin.register(ReferenceValue)
class ReferenceValueAdmin(admin.ModelAdmin):
    list_display = ("level", "region", "municipality", "procedure", "year", "grade", "subject",
                    "mean_score", "source",)
    list_filter = ("level", "procedure", "year",)


@admin.register(ObjectivityMarker)
class ObjectivityMarkerAdmin(_LoadedAdmin):
    list_display = ("school", "year", "marker", "source",)
    list_filter = ("year",)
