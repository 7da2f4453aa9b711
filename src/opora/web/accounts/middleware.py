"""Until a one-time password is changed, every page sends its user to «Смена пароля»."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from opora.web.accounts.passwords import password_change_required

#: What stays open: the change itself, signing out, the files the page needs, and the header's
#: bell (fetched by every page after it loads: redirected, it would reload the change page forever).
OPEN_PREFIXES = ("/account/password/", "/logout/", "/static/", "/favicon.ico", "/decisions/bell/")


class PasswordChangeRequiredMiddleware:
    """Redirects (302; htmx: ``HX-Redirect``) to ``/account/password/`` while the signed-in user
    must change the password someone else chose (:mod:`opora.web.accounts.passwords`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (getattr(request, "user", None) is not None and request.user.is_authenticated
                and password_change_required(request)
                and not request.path.startswith(OPEN_PREFIXES)):
            target = reverse("password_change")
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return HttpResponseRedirect(target)
        return self.get_response(request)
