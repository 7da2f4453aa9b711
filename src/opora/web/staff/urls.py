"""URLs of a school's staff and its teachers' development, under ``schools/``."""

from django.urls import path

from opora.web.staff import views
from opora.web.staff import views_development as development

_TEACHER = "<int:pk>/staff/<int:teacher_pk>/"

urlpatterns = [
    path("<int:pk>/staff/", views.staff_list, name="staff"),
    path("<int:pk>/staff/new/", views.teacher_new, name="staff-new"),
    path(_TEACHER, views.teacher_page, name="staff-teacher"),
    path(_TEACHER + "edit/", views.teacher_edit, name="staff-edit"),
    path(_TEACHER + "leave/", views.teacher_leave, name="staff-leave"),
    path(_TEACHER + "history/", views.teacher_history, name="staff-history"),
    path(_TEACHER + "diagnostics/new/", development.diagnostic_form, name="staff-diagnostic-new"),
    path(_TEACHER + "diagnostics/<int:diagnostic_pk>/", development.diagnostic_form,
         name="staff-diagnostic-edit"),
    path(_TEACHER + "routes/new/", development.route_form, name="staff-route-new"),
    path(_TEACHER + "routes/<int:route_pk>/", development.route_form, name="staff-route-edit"),
    path(_TEACHER + "courses/new/", development.course_form, name="staff-course-new"),
    path(_TEACHER + "courses/<int:course_pk>/", development.course_form,
         name="staff-course-edit"),
]
