from django.urls import path

from opora.web.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.reports_page, name="page"),
    path("indicators.<str:fmt>", views.indicators_report, name="indicators"),
    path("schools/<int:pk>/indicators.<str:fmt>", views.school_indicators_report,
         name="school_indicators"),
    path("reviews/<int:pk>/sheet.<str:fmt>", views.review_report, name="review"),
    path("<str:kind>.<str:fmt>", views.municipal_report, name="municipal"),
    path("schools/<int:pk>/profile.<str:fmt>", views.school_report, name="school"),
    path("templates/<str:kind>.docx", views.template_download, name="template"),
    path("templates/<str:kind>/upload/", views.template_upload, name="template_upload"),
    path("templates/<str:kind>/reset/", views.template_reset, name="template_reset"),
    path("jobs/", views.job_new, name="job_new"),
    path("jobs/<int:pk>/", views.job_page, name="job"),
    path("jobs/<int:pk>/file/", views.job_file, name="job_file"),
    path("publish/", views.publish, name="publish"),
    path("published/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
