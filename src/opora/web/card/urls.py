"""URLs of the school card beyond the list and the card itself (those are in the root map)."""

from django.urls import path

from opora.web.card import views

urlpatterns = [
    path("<int:pk>/history/", views.school_history_page, name="school-history"),
    path("<int:pk>/results/", views.school_results_page, name="school-results"),
]
