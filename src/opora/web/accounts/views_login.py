"""Sign-in with rate limiting (:mod:`opora.web.accounts.throttle`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from opora.web.accounts.throttle import LOCKED_MESSAGE, clear_failures, is_locked, record_failure


class LoginView(auth_views.LoginView):
    """Django's sign-in page that refuses a username+address after too many failures (429)."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def _username(self) -> str:
        return str(self.request.POST.get("username", ""))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_locked(request, self._username()):
            # an unbound form: a locked sign-in checks no password at all
            form = self.get_form_class()(request, initial={"username": self._username()})
            response = self.render_to_response(self.get_context_data(
                form=form, locked_message=LOCKED_MESSAGE))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        record_failure(self.request, self._username())
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        clear_failures(self.request, self._username())
        return super().form_valid(form)
