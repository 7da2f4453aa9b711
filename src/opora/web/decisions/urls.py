"""URLs of recommendations, decisions and the annual cycle: mounted at ``/decisions/``."""

from django.urls import path

from opora.web.decisions.views import cycle, meetings, recommendations

app_name = "decisions"
urlpatterns = [
    path("", cycle.cycle_page, name="cycle"),
    path("cycle/", cycle.cycle_page),
    path("cycle/stages/<int:pk>/", cycle.stage_save, name="stage-save"),
    path("recommendations/", recommendations.recommendation_list, name="recommendations"),
    path("recommendations/suggest/", recommendations.recommendations_suggest, name="suggest"),
    path("recommendations/new/", recommendations.recommendation_new, name="recommendation-new"),
    path("recommendations/<int:pk>/", recommendations.recommendation_detail,
         name="recommendation"),
    path("recommendations/<int:pk>/accept/", recommendations.recommendation_accept,
         name="accept"),
    path("recommendations/<int:pk>/decline/", recommendations.recommendation_decline,
         name="decline"),
    path("recommendations/<int:pk>/close/", recommendations.recommendation_close, name="close"),
    path("recommendations/<int:pk>/file/", recommendations.recommendation_file, name="file"),
    path("schools/<int:pk>/panel/", recommendations.school_panel, name="school-panel"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/new/", meetings.meeting_new, name="meeting-new"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/items/", meetings.item_new, name="item-new"),
    path("meetings/<int:pk>/items/<int:item_pk>/decisions/", meetings.decision_new,
         name="decision-new"),
    path("decisions/<int:pk>/status/", meetings.decision_status, name="decision-status"),
    path("plan/", meetings.plan, name="plan"),
    path("plan/new/", meetings.measure_edit, name="measure-new"),
    path("plan/<int:pk>/", meetings.measure_edit, name="measure-edit"),
    path("plan/export.xlsx", meetings.plan_export, name="plan-export"),
    path("system/", cycle.system_page, name="system"),
    path("system/assessment/", cycle.system_save, name="system-save"),
    path("system/export.xlsx", cycle.system_export, name="system-export"),
    path("notifications/", cycle.notifications, name="notifications"),
    path("notifications/read/", cycle.notifications_read, name="notifications-read"),
    path("bell/", cycle.bell, name="bell"),
    path("overdue/", cycle.overdue, name="overdue"),
]
