from django.urls import path

from opora.web.monitoring import views
from opora.web.monitoring.views_effect import effectiveness
from opora.web.monitoring.views_typed import typed, typed_import

app_name = "monitoring"

urlpatterns = [
    path("", views.index, name="index"),
    path("schools/<int:pk>/", views.school, name="school"),
    path("schools/<int:pk>/typed/", typed, name="typed"),
    path("facts/", views.facts, name="facts"),
    path("import/", typed_import, name="typed_import"),
    path("effectiveness/", effectiveness, name="effectiveness"),
]
