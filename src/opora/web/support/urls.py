"""URLs of the support work: mounted at ``/support/`` by ``opora.web.urls``."""

from django.urls import path

from opora.web.support.views import (
    assignments,
    calendar,
    communities,
    coverage,
    events,
    feeds,
    imports,
)

app_name = "support"
urlpatterns = [
    path("events/", events.event_list, name="events"),
    path("events/new/", events.event_new, name="event-new"),
    path("events/<int:pk>/", events.event_detail, name="event"),
    path("events/<int:pk>/edit/", events.event_edit, name="event-edit"),
    path("events/<int:pk>/attendance/", events.attendance, name="attendance"),
    path("events/<int:pk>/files/", events.attachment_upload, name="attachment-upload"),
    path("events/<int:pk>/files/<int:file_pk>/", events.attachment_download, name="attachment"),
    path("events/<int:pk>/tasks/", events.task_new, name="task-new"),
    path("events/<int:pk>/tasks/<int:task_pk>/done/", events.task_close, name="task-done"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/feed/", feeds.feed_page, name="feed"),
    path("calendar/feed/new/", feeds.feed_new, name="feed-new"),
    path("calendar/feed/revoke/", feeds.feed_off, name="feed-revoke"),
    path("calendar/<str:token>.ics", feeds.ics, name="ics"),
    path("coverage/", coverage.coverage_page, name="coverage"),
    path("assignments/", assignments.assignments_page, name="assignments"),
    path("curatorships/new/", assignments.curatorship_new, name="curatorship-new"),
    path("curatorships/<int:pk>/end/", assignments.curatorship_stop, name="curatorship-end"),
    path("pairs/new/", assignments.pair_new, name="pair-new"),
    path("pairs/proposed/", assignments.proposed_pairs, name="pairs-proposed"),
    path("pairs/proposed/<int:pk>/accept/", assignments.pair_accept_view, name="pair-accept"),
    path("pairs/<int:pk>/end/", assignments.pair_stop, name="pair-end"),
    path("mentorships/new/", assignments.mentorship_new, name="mentorship-new"),
    path("mentorships/<int:pk>/end/", assignments.mentorship_stop, name="mentorship-end"),
    path("communities/new/", communities.community_new, name="community-new"),
    path("communities/<int:pk>/", communities.community_page, name="community"),
    path("communities/<int:pk>/members/", communities.community_member_add,
         name="community-join"),
    path("communities/<int:pk>/members/<int:member_pk>/leave/",
         communities.community_member_remove, name="community-leave"),
    path("communities/<int:pk>/end/", communities.community_stop, name="community-end"),
    path("schools/<int:pk>/panel/", assignments.school_panel, name="school-panel"),
    path("import/", imports.import_page, name="import"),
    path("import/template.xlsx", imports.template_download, name="import-template"),
    path("import/<int:pk>/", imports.import_result, name="import-result"),
    path("import/<int:pk>/problems.xlsx", imports.import_problems, name="import-problems"),
]
