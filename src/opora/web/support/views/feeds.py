"""The personal iCalendar feed: its page (make, show once, revoke) and the feed itself."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from opora.web.accounts.scope import Viewer
from opora.web.support.ics import calendar
from opora.web.support.selectors import my_events, with_schools
from opora.web.support.services.feeds import feed_create, feed_current, feed_revoke, feed_user
from opora.web.support.views.events import _viewer

#: The feed holds the events from three months ago to a year ahead: enough for a calendar
#: application, small enough to be answered at once.
PAST_DAYS, FUTURE_DAYS = 92, 366


@login_required
def feed_page(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    token = request.session.pop("support_feed_token", None)
    address = request.build_absolute_uri(reverse("support:ics", args=[token])) if token else ""
    return render(request, "support/feed.html", {"feed": feed_current(request.user),
                                                 "address": address})


@login_required
@require_POST
def feed_new(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    request.session["support_feed_token"] = feed_create(user=request.user)
    messages.success(request, "Новый адрес календаря создан; прежний больше не работает.")
    return redirect("support:feed")


@login_required
@require_POST
def feed_off(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    if feed_revoke(user=request.user):
        messages.success(request, "Адрес календаря отозван: подписка больше не обновится.")
    return redirect("support:feed")


@require_GET
def ics(request: HttpRequest, token: str) -> HttpResponse:
    """The feed: no session, the token is the key; an unknown or revoked token is «not found»."""
    user = feed_user(token)
    if user is None:
        raise Http404("Календарь не найден")
    viewer = Viewer.of(user)
    now = timezone.now()
    events = (with_schools(my_events(viewer).filter(
        starts_at__gte=now - dt.timedelta(days=PAST_DAYS),
        starts_at__lt=now + dt.timedelta(days=FUTURE_DAYS)))
        .order_by("starts_at", "pk"))
    name = f"Опора: мероприятия — {user.get_full_name() or user.get_username()}"
    body = calendar(events, name=name, host=request.get_host().split(":")[0],
                    base_url=f"{request.scheme}://{request.get_host()}", now=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="opora.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
