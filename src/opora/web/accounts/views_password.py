"""Changing one's own password: Django's page, with the validators of settings and the flag of a
one-time password cleared (:mod:`opora.web.accounts.passwords`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from opora.web.accounts.passwords import password_change_required, password_changed


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = "/account/password/done/"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["must_change"] = password_change_required(self.request)
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # saves, keeps this session signed in
        password_changed(self.request, form.user)
        return response
