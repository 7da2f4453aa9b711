"""URLs of loading staff and development records from templates, under ``staff/``."""

from django.urls import path

from opora.web.staff import views_import

urlpatterns = [
    path("import/", views_import.staff_import, name="staff-import"),
    path("templates/<str:kind>.<str:suffix>", views_import.blank_template,
         name="staff-template"),
]
