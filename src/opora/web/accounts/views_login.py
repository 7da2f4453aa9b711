"""Sign-in pages: ours and the administration's, both under one limit (:mod:`.throttle`).

The limit itself is enforced inside authentication (:mod:`.backends`); the pages only say it in
Russian: ours with status 429 and the minutes to wait, the administration's as a form error.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from opora.web.accounts.throttle import wait_seconds, waiting_message


class LoginView(auth_views.LoginView):
    """Django's sign-in page that refuses an account or address that must wait (429)."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def _username(self) -> str:
        return str(self.request.POST.get("username", ""))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = wait_seconds(request, self._username())
        if wait:
            # an unbound form: a sign-in that must wait checks no password at all
            form = self.get_form_class()(request, initial={"username": self._username()})
            response = self.render_to_response(self.get_context_data(
                form=form, locked_message=waiting_message(wait)))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)


class AdminSignInForm(AdminAuthenticationForm):
    """The administration's sign-in form, saying why an attempt is refused while it must wait."""

    def clean(self) -> dict[str, Any]:
        wait = wait_seconds(self.request, str(self.data.get("username", "")))
        if wait:
            raise forms.ValidationError(waiting_message(wait), code="must_wait")
        return super().clean()
