"""The month and week calendar of support events, rendered on the server (no script needed)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from opora.glossary import EVENT_KINDS, EVENT_STATUSES
from opora.web.accounts.scope import Action
from opora.web.core.fragments import Fragment
from opora.web.support.selectors import EventFilter, calendar_days, events_visible
from opora.web.support.versions import cached_part
from opora.web.support.views.events import _viewer
from opora.web.support.words import MONTHS, MONTHS_OF, WEEKDAYS


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return timezone.localdate()


def _month_bounds(day: dt.date) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """(first shown Monday, last shown Sunday, previous month's day, next month's day)."""
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    last = following - dt.timedelta(days=1)
    start = first - dt.timedelta(days=first.weekday())
    end = last + dt.timedelta(days=6 - last.weekday())
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    return start, end, previous, following


@login_required
@require_GET
def calendar_page(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    week = request.GET.get("view") == "week"
    day = _day(request.GET.get("date", ""))
    filters = EventFilter.of({k: v for k, v in request.GET.items() if k not in ("from", "to")})
    if week:
        start = day - dt.timedelta(days=day.weekday())
        end = start + dt.timedelta(days=6)
        previous, following = start - dt.timedelta(days=7), start + dt.timedelta(days=7)
        title = (f"{start.day} {MONTHS_OF[start.month - 1]} — {end.day} "
                 f"{MONTHS_OF[end.month - 1]} {end.year}")
    else:
        start, end, previous, following = _month_bounds(day)
        title = f"{MONTHS[day.month - 1].capitalize()} {day.year}"
    today = timezone.localdate()
    may_record = viewer.may(Action.RECORD_EVENT)

    def build() -> Fragment:
        events = filters.apply(events_visible(viewer), viewer)
        days = calendar_days(events, start, end, None if week else day.month)
        return Fragment(render_to_string("support/_calendar_body.html", {
            "week": week, "day": day, "weeks": [days[i:i + 7] for i in range(0, len(days), 7)],
            "weekdays": WEEKDAYS, "previous": previous, "following": following, "today": today,
            "filters": filters, "params": filters.params(), "kinds": EVENT_KINDS,
            "statuses": EVENT_STATUSES, "may_record": may_record,
            "count": sum(len(d.events) for d in days),
            "keep": [("view", "week" if week else "month"), ("date", day.isoformat())]}))

    key = (f"support-calendar:u{request.user.pk}:{'w' if week else 'm'}{start.isoformat()}:"
           f"{day.isoformat()}:{filters.params()}:t{today.isoformat()}")
    return render(request, "support/calendar.html", {
        "title": title, "may_record": may_record, "body": cached_part(key, build).html})
