"""The demo's typed indicators (``prepare_demo``, after the support work): what a school would
type for the two indicators Опора cannot compute — teachers who ran seminars under the roadmap,
and the share covered by the psychological centre — for the schools of the official list over
the last three years. Idempotent: nothing is added once any typed value exists; wiped with the
demo (``--reset``)."""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model
from django.db.models import Count

from opora.web.analysis.models import Inclusion
from opora.web.analysis.official import official_list
from opora.web.monitoring.catalogue import indicator
from opora.web.monitoring.models import TypedValue
from opora.web.monitoring.selectors import default_years
from opora.web.monitoring.typed import save_value
from opora.web.schools.models import Municipality
from opora.web.staff.models import Teacher


def ensure_monitoring_demo() -> None:
    if TypedValue.objects.exists():
        return
    town = Municipality.objects.annotate(n=Count("schools")).order_by("-n", "name").first()
    coordinator = get_user_model().objects.filter(username="demo-coordinator").first()
    approved = official_list(town) if town is not None else None
    seminars, psych = indicator("school_teachers_running_seminars"), \
        indicator("school_psych_support_pct")
    if approved is None or coordinator is None or seminars is None or psych is None:
        return
    rng = random.Random(16)
    for inclusion in Inclusion.objects.filter(approved_list=approved).select_related("school"):
        staff = Teacher.objects.filter(school=inclusion.school, active_to__isnull=True).count()
        if not staff:
            continue
        for year in default_years():
            save_value(by=coordinator, school=inclusion.school, ind=seminars, year=year,
                       numerator=rng.randint(0, min(6, staff)), denominator=None)
            save_value(by=coordinator, school=inclusion.school, ind=psych, year=year,
                       numerator=rng.randint(0, staff), denominator=staff)


def wipe_monitoring() -> None:
    """Typed values and their imports (they hold on to schools and municipalities)."""
    from opora.web.monitoring.models import TypedImport

    TypedValue.objects.all().delete()
    TypedImport.objects.all().delete()
