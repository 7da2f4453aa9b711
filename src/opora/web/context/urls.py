"""URLs of the context passport, under ``schools/``."""

from django.urls import path

from opora.web.context import views

urlpatterns = [
    path("<int:pk>/passport/new/", views.passport_new, name="passport-new"),
    path("<int:pk>/passport/<int:year>/", views.passport_edit, name="passport-edit"),
    path("<int:pk>/passport/<int:year>/history/", views.passport_history_page,
         name="passport-history"),
]
