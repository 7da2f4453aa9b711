"""«Ключи API»: the signed-in user's personal API tokens — create (the key is shown once),
see when each was used, revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from opora.web.api.models import ApiToken
from opora.web.api.tokens import LIFETIMES_DAYS, token_create, token_revoke


class TokenForm(forms.Form):
    name = forms.CharField(label="Для чего ключ", max_length=100,
                           help_text="Например: «выгрузка в региональную систему»")
    days = forms.TypedChoiceField(label="Срок действия", coerce=int, initial=90,
                                  choices=[(d, f"{d} дней") for d in LIFETIMES_DAYS])


def _signed_in(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        _, created = token_create(user=request.user, name=form.cleaned_data["name"],
                                  days=form.cleaned_data["days"])
        form = TokenForm()
    return render(request, "api/tokens.html", {
        "form": form, "created": created,
        "tokens": ApiToken.objects.filter(user=_signed_in(request)),
    }, status=400 if request.method == "POST" and form.errors else 200)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(user=_signed_in(request), pk=pk).first()
    if token is None:  # someone else's token: not disclosed
        raise Http404("Ключ не найден")
    token_revoke(token=token)
    messages.success(request, f"Ключ «{token.name}» отозван: запросы с ним больше не принимаются.")
    return redirect("api-tokens")
