"""URL map of the web app."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from opora.web.schools import views as school_views

admin.site.site_header = "Опора — администрирование"
admin.site.site_title = "Опора"
admin.site.index_title = "Данные и пользователи"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="schools", permanent=False), name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html",
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("schools/", school_views.schools, name="schools"),
    path("schools/<int:pk>/", school_views.school, name="school"),
    path("imports/", include("opora.web.imports.urls")),
    path("admin/", admin.site.urls),
]
