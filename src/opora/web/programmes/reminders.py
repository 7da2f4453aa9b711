"""Reminders to a school's administrator before a campaign's deadline.

In the workplace the reminder is a notice on the school's programme page and its card (computed
when the page is read: nothing to schedule): from ``remind_days`` before the deadline while a
required document is not uploaded, and after the deadline as «просрочено». By e-mail, when Django's
e-mail backend is configured (``EMAIL_HOST`` or another ``EMAIL_BACKEND``), the command
``opora manage send_programme_reminders`` (daily, from cron or a timer) sends each administrator
with an address one letter per campaign and school (:class:`~opora.web.programmes.models.
ReminderSent` keeps it once).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q

from opora.web.accounts.models import SCHOOL_ADMIN
from opora.web.programmes.models import CampaignSchool, ProgramDocument, ReminderSent
from opora.web.programmes.models.campaigns import slot_label

_DEFAULT_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@dataclass(frozen=True)
class Notice:
    school_id: int
    campaign_id: int
    title: str
    deadline: dt.date
    days_left: int  # negative: overdue
    missing: tuple[str, ...]

    @property
    def text(self) -> str:
        what = "; ".join(self.missing)
        if self.days_left < 0:
            return (f"«{self.title}»: срок {self.deadline:%d.%m.%Y} прошёл "
                    f"{-self.days_left} дн. назад, не загружены: {what}.")
        when = "сегодня" if self.days_left == 0 else f"через {self.days_left} дн."
        return f"«{self.title}»: срок {self.deadline:%d.%m.%Y} ({when}), не загружены: {what}."


def notices(*, school_ids: list[int], today: dt.date) -> list[Notice]:
    """Campaigns of these schools in their reminder window (or overdue) with documents missing;
    two queries whatever the number of schools."""
    links = list(CampaignSchool.objects.filter(school_id__in=school_ids).select_related(
        "campaign"))
    due = [link for link in links
           if link.campaign.deadline - dt.timedelta(days=link.campaign.remind_days) <= today]
    if not due:
        return []
    uploaded: dict[tuple[int, int], set[str]] = defaultdict(set)
    for campaign_id, school_id, slot in ProgramDocument.objects.filter(
            campaign_id__in={link.campaign_id for link in due}, school_id__in=school_ids,
            first_uploaded_at__isnull=False).values_list("campaign_id", "school_id", "slot"):
        uploaded[(campaign_id, school_id)].add(slot)
    found = []
    for link in due:
        campaign = link.campaign
        missing = tuple(slot_label(s) for s in campaign.slots
                        if s not in uploaded[(campaign.pk, link.school_id)])
        if missing:
            found.append(Notice(link.school_id, campaign.pk, campaign.title, campaign.deadline,
                                (campaign.deadline - today).days, missing))
    return sorted(found, key=lambda n: (n.days_left, n.title))


def email_configured() -> bool:
    return settings.EMAIL_BACKEND != _DEFAULT_BACKEND or settings.EMAIL_HOST != "localhost"


def send_reminder_emails(*, today: dt.date) -> int:
    """Letters to school administrators with an address (once per campaign and school); the
    number sent. Nothing when e-mail is not configured."""
    if not email_configured():
        return 0
    school_ids = list(CampaignSchool.objects.filter(
        campaign__deadline__gte=today - dt.timedelta(days=30)).values_list("school_id",
                                                                          flat=True).distinct())
    admins: dict[int, list[Any]] = defaultdict(list)
    for user in get_user_model().objects.filter(
            is_active=True, role_assignments__role=SCHOOL_ADMIN,
            role_assignments__school_id__in=school_ids).exclude(Q(email="") | Q(email__isnull=True)
                                                                ).distinct():
        for assignment in user.role_assignments.filter(role=SCHOOL_ADMIN):
            if assignment.school_id is not None:
                admins[assignment.school_id].append(user)
    sent = 0
    for notice in notices(school_ids=school_ids, today=today):
        for user in admins.get(notice.school_id, []):
            _, created = ReminderSent.objects.get_or_create(
                campaign_id=notice.campaign_id, school_id=notice.school_id, user=user)
            if created:
                send_mail("Опора: срок загрузки документов", notice.text + "\n\nЗагрузить: "
                          "раздел «Программы» вашей школы.", None, [user.email])
                sent += 1
    return sent
