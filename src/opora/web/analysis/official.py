"""The official list of the year: approving a run, which run is official, who entered and left.

A finished run is a draft until a coordinator (for a municipality) or regional staff (for a
region-wide run) approves it as the official identification of a year, with the basis — the
order's number and date (issue 12). Approving makes an :class:`ApprovedList` and one
:class:`Inclusion` per school the run flags in that year; a later approval for the same territory
and year replaces the list but keeps it. School administrators, curators, methodists and the API
tokens of those roles see only approved runs; coordinators and regional staff see drafts too,
marked «черновик» (:func:`visible_runs`).

Inclusion (DOMAIN.md, «Identification»): the school's flags *of the list's year* decide its
category — ШНОР (either identification rule, the share of «2» included, or persistently low:
``glossary.LOW_RESULTS_FLAGS``), ШНСУ (adverse context), both, or the risk zone; a school with none of these is not on the list. **Exit and relapse**: a school absent from
the territory's lists of ``EXIT_YEARS`` consecutive years (2, as seed 004 counts the effect of the
measures over two years after entry) has exited the system; one that comes back after exiting is
a relapse. A year without any approved list says nothing about a school and is skipped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from opora.glossary import ADVERSE_CONTEXT, LOW_RESULTS_FLAGS, RISK_ZONE
from opora.web.accounts.scope import Action, Viewer
from opora.web.analysis.models import (
    CATEGORY_ADVERSE,
    CATEGORY_BOTH,
    CATEGORY_LOW,
    CATEGORY_RISK,
    DONE,
    AnalysisRun,
    ApprovedList,
    Inclusion,
    RunFlag,
)
from opora.web.analysis.selectors import may_see_drafts, runs_covering
from opora.web.analysis.signals import list_approved
from opora.web.schools.models import Municipality, School

EXIT_YEARS = 2
_LOW = LOW_RESULTS_FLAGS  # either rule (below the region, the share of «2») or persistently low
_CATEGORY_FLAGS = _LOW | {ADVERSE_CONTEXT.code, RISK_ZONE.code}


def inclusion_category(flags: set[str]) -> str | None:
    """The category of a school with these flags of the list's year; ``None``: not on the list.

    Both low results and adverse context → «ШНОР и ШНСУ»; low results alone → ШНОР; adverse
    context alone → ШНСУ; otherwise the risk zone if flagged. A school in the risk zone that is
    also ШНОР is ШНОР (the stronger category).
    """
    low, adverse = bool(flags & _LOW), ADVERSE_CONTEXT.code in flags
    if low and adverse:
        return CATEGORY_BOTH
    if low:
        return CATEGORY_LOW
    if adverse:
        return CATEGORY_ADVERSE
    return CATEGORY_RISK if RISK_ZONE.code in flags else None


# --- reading -------------------------------------------------------------------------------------

def _covering(municipality: Municipality) -> Q:
    return Q(municipality=municipality) | Q(municipality__isnull=True,
                                           region_id=municipality.region_id)


def official_list(municipality: Municipality) -> ApprovedList | None:
    """The current official list covering ``municipality``: the latest year; of one year the
    municipality's own list before a region-wide one, then the latest approved."""
    lists = list(ApprovedList.objects.filter(_covering(municipality), withdrawn_at__isnull=True)
                 .select_related("run").order_by("-year", "-approved_at", "-pk")[:4])
    if not lists:
        return None
    year = lists[0].year
    return min((a for a in lists if a.year == year),
               key=lambda a: (a.municipality_id is None, -a.approved_at.timestamp()))


def official_run(municipality: Municipality) -> AnalysisRun | None:
    found = official_list(municipality)
    return found.run if found is not None else None


def card_run(viewer: Viewer, municipality: Municipality) -> tuple[AnalysisRun | None, bool]:
    """The run a school card shows and whether it is a draft: the official run; before any list
    is approved, the newest finished run for those who see drafts (marked «черновик»)."""
    official = official_run(municipality)
    if official is not None:
        return official, False
    if may_see_drafts(viewer, municipality):
        draft = (runs_covering([municipality]).filter(status=DONE)
                 .order_by("-finished_at", "-pk").first())
        return draft, draft is not None
    return None, False


def current_lists(municipality: Municipality) -> list[ApprovedList]:
    """The current official list of each year covering ``municipality``, oldest year first (of
    one year the municipality's own list before a region-wide one)."""
    by_year: dict[int, ApprovedList] = {}
    for found in (ApprovedList.objects.filter(_covering(municipality), withdrawn_at__isnull=True)
                  .order_by("year", "municipality_id", "-approved_at")):
        known = by_year.get(found.year)
        if known is None or (known.municipality_id is None and found.municipality_id):
            by_year[found.year] = found
    return [by_year[year] for year in sorted(by_year)]


def school_list_history(school: School) -> list[dict[str, Any]]:
    """The school in every year's official list, newest first: on the list (category, in the
    system since, relapse) or not (and whether that year completes an exit)."""
    lists = current_lists(school.municipality)
    found = {i.approved_list_id: i for i in Inclusion.objects.filter(
        approved_list__in=lists, school=school)}
    rows, absent, was_on = [], 0, False
    for approved in lists:
        inclusion = found.get(approved.pk)
        if inclusion is not None:
            rows.append({"list": approved, "year": approved.year, "on": True,
                         "category": inclusion.get_category_display(),
                         "since_year": inclusion.since_year, "relapse": inclusion.relapse,
                         "exited": False})
            absent, was_on = 0, True
        else:
            absent += 1
            rows.append({"list": approved, "year": approved.year, "on": False,
                         "exited": was_on and absent == EXIT_YEARS})
    return rows[::-1]


def approvals_of(run: AnalysisRun) -> list[ApprovedList]:
    return list(run.approvals.select_related("approved_by").order_by("-approved_at", "-pk"))


# --- approving -----------------------------------------------------------------------------------

def run_years(run: AnalysisRun) -> list[int]:
    return [int(y) for y in (run.run_json or {}).get("years_analysed") or []]


@transaction.atomic
def run_approve(*, user: Any, run: AnalysisRun, year: int, basis: str) -> ApprovedList:
    """Approve ``run`` as the official list of ``year``; the current list of the same territory
    and year is replaced (kept, marked replaced). Raises PermissionDenied or ValidationError."""
    Viewer.of(user).require(Action.APPROVE_RUN, run, (
        "Утверждает список координатор муниципалитета; список по всему региону — региональный "
        "координатор."))
    if run.status != DONE:
        raise ValidationError("Утвердить можно только завершённый расчёт.", code="not_done")
    if year not in run_years(run):
        raise ValidationError(f"В расчёте нет {year} года: утвердить можно один из годов "
                              f"{', '.join(map(str, run_years(run))) or '—'}.", code="year")
    basis = basis.strip()
    if not basis:
        raise ValidationError("Укажите основание: приказ или решение, его номер и дату.",
                              code="basis")
    territory = {"municipality_id": run.municipality_id, "region_id": run.region_id}
    same_place = (Q(municipality_id=run.municipality_id) if run.municipality_id
                  else Q(municipality__isnull=True))
    previous = (ApprovedList.objects.select_for_update()
                .filter(same_place, region_id=run.region_id, year=year,
                        withdrawn_at__isnull=True).first())
    if previous is not None:  # free the «one current list» constraint before the new one
        previous.withdrawn_at = timezone.now()
        previous.save(update_fields=["withdrawn_at"])
    approved = ApprovedList(run=run, year=year, basis=basis, approved_by=user, **territory)
    approved.full_clean()
    approved.save()
    if previous is not None:
        previous.replaced_by = approved
        previous.save(update_fields=["replaced_by"])
    Inclusion.objects.bulk_create(_inclusions(approved))
    transaction.on_commit(lambda: list_approved.send(sender=ApprovedList, run=run,
                                                     approved_list=approved))
    return approved


def _inclusions(approved: ApprovedList) -> list[Inclusion]:
    flags: dict[int, set[str]] = defaultdict(set)
    evidence: dict[int, list[str]] = defaultdict(list)
    rows = (RunFlag.objects.filter(run=approved.run, year=approved.year,
                                   flag__in=_CATEGORY_FLAGS)
            .order_by("school_id", "flag").values_list("school_id", "flag", "evidence"))
    for school_id, flag, text in rows:
        flags[school_id].add(flag)
        evidence[school_id].append(text)
    history = _presence(approved)
    found = []
    for school_id, school_flags in flags.items():
        category = inclusion_category(school_flags)
        if category is None:
            continue
        since, relapse = stay_of(history.get(school_id, {}), approved.year,
                                 history_years=history_years(approved))
        found.append(Inclusion(approved_list=approved, school_id=school_id, category=category,
                               since_year=since, relapse=relapse,
                               evidence="\n".join(evidence[school_id])))
    return found


def _earlier_lists(approved: ApprovedList) -> list[ApprovedList]:
    """The current list of each earlier year of the same territory."""
    found: dict[int, ApprovedList] = {}
    territory = (Q(municipality_id=approved.municipality_id) if approved.municipality_id
                 else Q(municipality__isnull=True))
    rows = (ApprovedList.objects.filter(territory, region_id=approved.region_id,
                                        year__lt=approved.year, withdrawn_at__isnull=True)
            .order_by("-approved_at"))
    for row in rows:
        found.setdefault(row.year, row)
    return list(found.values())


def history_years(approved: ApprovedList) -> list[int]:
    return sorted(a.year for a in _earlier_lists(approved))


def _presence(approved: ApprovedList) -> dict[int, dict[int, bool]]:
    """school id → {year: on the list} over the territory's earlier official lists."""
    year_of = {a.pk: a.year for a in _earlier_lists(approved)}
    on: dict[int, dict[int, bool]] = defaultdict(dict)
    for school_id, list_id in Inclusion.objects.filter(
            approved_list__in=list(year_of)).values_list("school_id", "approved_list_id"):
        on[school_id][year_of[list_id]] = True
    return on


def stay_of(on: dict[int, bool], year: int, *, history_years: list[int]) -> tuple[int, bool]:
    """(since which year, relapse?) for a school on the list of ``year``.

    ``on``: the earlier years whose lists held the school; ``history_years``: every earlier year
    that has a list. Going back from ``year``, a stay is broken by ``EXIT_YEARS`` consecutive
    listed years without the school; years with no list at all are skipped.
    """
    since, absent, relapse = year, 0, False
    for earlier in sorted(history_years, reverse=True):
        if on.get(earlier):
            if absent >= EXIT_YEARS:
                relapse = True
                break
            since, absent = earlier, 0
        else:
            absent += 1
    return since, relapse


def current_list_of(run: AnalysisRun, year: int) -> ApprovedList | None:
    """The current official list of ``year`` of the run's own territory (municipality or region)."""
    same_place = (Q(municipality_id=run.municipality_id) if run.municipality_id
                  else Q(municipality__isnull=True))
    return (ApprovedList.objects.filter(same_place, region_id=run.region_id, year=year,
                                        withdrawn_at__isnull=True).first())


@dataclass
class ListPreview:
    """What approving a run for a year would make: schools per category, and against the
    current list of that year (if any) who would enter and leave."""

    year: int
    by_category: dict[str, list[int]]
    current: ApprovedList | None
    entering: list[int]
    leaving: list[int]


def list_preview(run: AnalysisRun, year: int) -> ListPreview:
    """The list ``run`` would make for ``year`` (the rule of :func:`inclusion_category`)."""
    flags: dict[int, set[str]] = defaultdict(set)
    for school_id, flag in RunFlag.objects.filter(run=run, year=year, flag__in=_CATEGORY_FLAGS
                                                  ).values_list("school_id", "flag"):
        flags[school_id].add(flag)
    by_category: dict[str, list[int]] = defaultdict(list)
    for school_id, school_flags in flags.items():
        category = inclusion_category(school_flags)
        if category is not None:
            by_category[category].append(school_id)
    current = current_list_of(run, year)
    proposed = {s for ids in by_category.values() for s in ids}
    listed = set(current.inclusions.values_list("school_id", flat=True)) if current else set()
    return ListPreview(year, dict(by_category), current, sorted(proposed - listed),
                       sorted(listed - proposed))


@dataclass
class ListChanges:
    """Against the territory's previous year's list: who entered, stayed, left, exited, relapsed."""

    entered: list[int] = field(default_factory=list)
    stayed: list[int] = field(default_factory=list)
    left: list[int] = field(default_factory=list)
    exited: list[int] = field(default_factory=list)
    relapses: list[int] = field(default_factory=list)


def list_changes(approved: ApprovedList) -> ListChanges:
    """Against the territory's earlier lists. Entered / stayed / left: against the previous listed
    year. Exited at this year: on the list ``EXIT_YEARS`` listed years ago and on none since,
    this one included (so an exit is reported once, in the year it completes)."""
    changes = ListChanges()
    current = dict(approved.inclusions.values_list("school_id", "relapse"))
    presence = _presence(approved)
    years = history_years(approved)
    previous_year = years[-1] if years else None
    window = years[len(years) - (EXIT_YEARS - 1):] if EXIT_YEARS > 1 else []
    before = years[-EXIT_YEARS] if len(years) >= EXIT_YEARS else None
    for school_id, relapse in current.items():
        was = previous_year is not None and presence.get(school_id, {}).get(previous_year)
        (changes.stayed if was else changes.entered).append(school_id)
        if relapse:
            changes.relapses.append(school_id)
    for school_id, on in presence.items():
        if school_id in current:
            continue
        if previous_year is not None and on.get(previous_year):
            changes.left.append(school_id)
        if before is not None and on.get(before) and not any(on.get(y) for y in window):
            changes.exited.append(school_id)
    return changes
