"""Events as an iCalendar file (RFC 5545), written by hand: a calendar is a few lines per event.

Times are in UTC (``…Z``), which every calendar application shows in its own time zone; text is
escaped (backslash, «;», «,», line breaks) and lines are folded at 75 octets, as the standard
requires. A cancelled or postponed event is marked ``STATUS:CANCELLED`` so a subscribed calendar
strikes it through instead of losing it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from opora.glossary import EVENT_STATUS_BY_CODE
from opora.web.support.models import SupportEvent

PRODUCT = "-//Opora//Support events//RU"


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545, 3.1)."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(event: SupportEvent, *, host: str, url: str, now: dt.datetime) -> list[str]:
    status = EVENT_STATUS_BY_CODE.get(event.status)
    schools = ", ".join(link.school.short_name for link in event.event_schools.all())
    description = [f"{event.kind_label}. {status.name_ru if status else event.status}."]
    if schools:
        description.append(f"Школы: {schools}.")
    if event.status_reason:
        description.append(f"Причина: {event.status_reason}")
    description.append(url)
    lines = ["BEGIN:VEVENT", f"UID:opora-event-{event.pk}@{host}", f"DTSTAMP:{_utc(now)}",
             f"DTSTART:{_utc(event.starts_at)}", f"DTEND:{_utc(event.ends_at)}",
             f"SUMMARY:{_escape(f'{event.kind_label}: {event.topic}')}",
             f"DESCRIPTION:{_escape(chr(10).join(description))}", f"URL:{url}",
             f"LAST-MODIFIED:{_utc(event.updated_at)}"]
    place = "онлайн" if event.online and not event.place else event.place
    if place:
        lines.append(f"LOCATION:{_escape(place)}")
    if event.status in ("cancelled", "postponed"):
        lines.append("STATUS:CANCELLED")
    else:
        lines.append("STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[SupportEvent], *, name: str, host: str, base_url: str,
             now: dt.datetime) -> str:
    """The whole calendar; ``base_url`` + ``/support/events/<pk>/`` is each event's page."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape(name)}", "X-WR-TIMEZONE:Europe/Moscow",
             "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H"]
    for event in events:
        lines += event_lines(event, host=host, now=now,
                             url=f"{base_url}/support/events/{event.pk}/")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
