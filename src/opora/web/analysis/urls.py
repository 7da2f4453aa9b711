"""URLs of the analysis: mounted at ``/analysis/`` by ``opora.web.urls``."""

from django.urls import path

from opora.web.analysis import views, views_official, views_reconciliation, views_whatif

app_name = "analysis"
urlpatterns = [
    path("", views.overview_page, name="overview"),
    path("export.xlsx", views.overview_export, name="export"),
    path("reconciliation/", views_reconciliation.reconciliation_page, name="reconciliation"),
    path("runs/", views.runs_page, name="runs"),
    path("runs/<int:pk>/", views.run_page, name="run"),
    path("runs/<int:pk>/status/", views.run_status, name="run-status"),
    path("runs/<int:pk>/cancel/", views.run_cancel_view, name="run-cancel"),
    path("runs/<int:pk>/approve/", views_official.run_approve_view, name="run-approve"),
    path("runs/<int:pk>/whatif/", views_whatif.whatif_page, name="run-whatif"),
    path("runs/<int:pk>/whatif/save/", views_whatif.whatif_save, name="run-whatif-save"),
    path("runs/<int:pk>/schools/<int:school>/evidence/", views.overview_evidence,
         name="evidence"),
]
