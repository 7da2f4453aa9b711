"""Admin of the support records (audited: every change keeps who, when and what). The calendar
feeds show only that a feed exists: its token is never stored, its hash not shown."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opora.web.support.models import (
    CalendarFeed,
    Community,
    CommunityMember,
    Curatorship,
    EventImport,
    EventParticipant,
    EventSchool,
    FollowUpTask,
    Mentorship,
    NetworkPair,
    SupportEvent,
)


class SchoolInline(admin.TabularInline):
    model = EventSchool
    raw_id_fields = ("school",)
    extra = 0


class ParticipantInline(admin.TabularInline):
    model = EventParticipant
    raw_id_fields = ("teacher", "school", "confirmed_by")
    extra = 0


class TaskInline(admin.TabularInline):
    model = FollowUpTask
    extra = 0


@admin.register(SupportEvent)
class SupportEventAdmin(SimpleHistoryAdmin):
    list_display = ("starts_at", "kind", "topic", "status", "municipality")
    list_filter = ("kind", "status", "municipality")
    search_fields = ("topic",)
    date_hierarchy = "starts_at"
    raw_id_fields = ("organiser", "organiser_school", "created_by", "imported")
    inlines = (SchoolInline, ParticipantInline, TaskInline)


@admin.register(Curatorship)
class CuratorshipAdmin(SimpleHistoryAdmin):
    list_display = ("school", "curator", "started_on", "ended_on", "basis")
    list_filter = ("school__municipality",)
    raw_id_fields = ("school", "curator", "created_by")


@admin.register(NetworkPair)
class NetworkPairAdmin(SimpleHistoryAdmin):
    list_display = ("low_school", "leader_school", "agreed_on", "ended_on", "run")
    raw_id_fields = ("low_school", "leader_school", "run", "created_by")


@admin.register(Mentorship)
class MentorshipAdmin(SimpleHistoryAdmin):
    list_display = ("mentor", "mentee", "started_on", "ended_on")
    raw_id_fields = ("mentor", "mentee", "created_by")


class MemberInline(admin.TabularInline):
    model = CommunityMember
    raw_id_fields = ("teacher", "school")
    extra = 0


@admin.register(Community)
class CommunityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "municipality", "started_on", "ended_on")
    list_filter = ("kind", "municipality")
    raw_id_fields = ("leader", "created_by")
    inlines = (MemberInline,)


@admin.register(EventImport)
class EventImportAdmin(admin.ModelAdmin):
    list_display = ("imported_at", "original_name", "municipality", "imported_by", "status")
    list_filter = ("status",)
    readonly_fields = ("problems", "counts", "sha256")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(SimpleHistoryAdmin):
    list_display = ("user", "created_at", "revoked_at", "last_used_at")
    exclude = ("token_hash",)
    readonly_fields = ("user", "created_at", "last_used_at")
