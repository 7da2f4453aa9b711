"""URL map of the web app."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from opora.web.accounts import views_login as login_views
from opora.web.api import urls as api_urls
from opora.web.card import views as school_views

admin.site.site_header = "Опора — администрирование"
admin.site.site_title = "Опора"
admin.site.index_title = "Данные и пользователи"
admin.site.login_form = login_views.AdminSignInForm  # the same sign-in limit as /login/



def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """``/favicon.ico``, which browsers ask for by themselves, → our icon among the static files
    (the pages link ``favicon.svg``; the ICO is the same picture for browsers that insist)."""
    return HttpResponsePermanentRedirect(static("opora/favicon.ico"))


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("", RedirectView.as_view(pattern_name="schools", permanent=False), name="home"),
    path("login/", login_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("schools/", school_views.schools, name="schools"),
    path("schools/<int:pk>/", school_views.school, name="school"),
    path("schools/", include("opora.web.card.urls")),
    path("schools/", include("opora.web.context.urls")),
    path("schools/", include("opora.web.staff.urls")),
    path("staff/", include("opora.web.staff.urls_import")),
    path("roles/", include("opora.web.accounts.urls")),
    path("account/", include("opora.web.accounts.urls_account")),
    path("imports/", include("opora.web.imports.urls")),
    path("analysis/", include("opora.web.analysis.urls")),
    path("support/", include("opora.web.support.urls")),
    path("decisions/", include("opora.web.decisions.urls")),
    path("programmes/", include("opora.web.programmes.urls")),
    path("monitoring/", include("opora.web.monitoring.urls")),
    path("reports/", include("opora.web.reports.urls")),
    path("public/", include("opora.web.reports.urls_public")),
    path("account/tokens/", include(api_urls.token_urls)),
    path("api/v1/", include(api_urls.api_urls)),
    path("admin/", admin.site.urls),
]

handler400 = "opora.web.core.errors.bad_request"
