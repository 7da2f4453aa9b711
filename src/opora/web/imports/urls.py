"""URLs of the import pages (included under ``imports/``)."""

from django.urls import path

from opora.web.imports import views

urlpatterns = [
    path("", views.upload, name="imports"),
    path("history/", views.history, name="import_history"),
    path("<int:pk>/", views.job, name="import_job"),
    path("<int:pk>/progress/", views.progress, name="import_progress"),
    path("<int:pk>/files/<int:entry_pk>/problems.xlsx", views.problems, name="import_problems"),
    path("<int:pk>/files/<int:entry_pk>/problems/", views.problem_list,
         name="import_problem_list"),
    path("<int:pk>/files/<int:entry_pk>/skip-rejected/", views.skip_rejected,
         name="import_skip_rejected"),
    path("<int:pk>/files/<int:entry_pk>/match/", views.match, name="import_match"),
    path("<int:pk>/files/<int:entry_pk>/create-schools/", views.create_schools,
         name="import_create_schools"),
    path("<int:pk>/files/<int:entry_pk>/retry/", views.retry, name="import_retry"),
    path("<int:pk>/files/<int:entry_pk>/replace/", views.replace, name="import_replace"),
]
