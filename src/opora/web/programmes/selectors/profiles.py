"""Reading risk profiles: a school's profiles by year (the card's chart and the change between
two years) and the coordinator's heat map of schools × factors, filterable by a flag of the
official list.

The heat map costs the same number of queries whatever the number of schools (a test holds it):
the municipality's visible schools, the levels of the year's profiles of those schools, and the
official list's flags.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from opora.glossary import FLAGS, RISK_LEVELS, RiskCatalogue, risk_catalogue, risk_factor_name
from opora.web.accounts.scope import Viewer
from opora.web.analysis.models import RunFlag
from opora.web.analysis.official import official_list
from opora.web.core.numbers import number_text
from opora.web.programmes.models import RiskFactorLevel, RiskProfile
from opora.web.schools.models import Municipality, School

LEVEL_RANK = {t.code: i for i, t in enumerate(RISK_LEVELS)}
LEVEL_NAMES = {t.code: t.name_ru for t in RISK_LEVELS}


@dataclass
class FactorChange:
    factor: str
    name: str
    before: RiskFactorLevel | None
    after: RiskFactorLevel | None

    @property
    def direction(self) -> str:
        """«хуже», «лучше», «без изменений», or «» when one year lacks the factor."""
        if self.before is None or self.after is None:
            return ""
        change = LEVEL_RANK[self.after.level] - LEVEL_RANK[self.before.level]
        return "хуже" if change > 0 else "лучше" if change < 0 else "без изменений"

    @property
    def score_change(self) -> float | None:
        if self.before is None or self.after is None or None in (self.before.score,
                                                                 self.after.score):
            return None
        return float(self.after.score) - float(self.before.score)  # type: ignore[arg-type]


def school_profiles(school: School) -> list[RiskProfile]:
    """The school's profiles, newest first, with their levels (two queries)."""
    return list(RiskProfile.objects.filter(school=school).prefetch_related("levels")
                .select_related("updated_by").order_by("-year"))


def factor_order(catalogue: RiskCatalogue, *others: RiskProfile) -> list[str]:
    """The catalogue's factors, then factors only earlier profiles have."""
    order = list(catalogue.factors)
    for profile in others:
        order += [row.factor for row in profile.levels.all() if row.factor not in order]
    return order


def profile_changes(before: RiskProfile, after: RiskProfile) -> list[FactorChange]:
    """Factor by factor, from ``before`` to ``after`` (the later year's catalogue order)."""
    old = {row.factor: row for row in before.levels.all()}
    new = {row.factor: row for row in after.levels.all()}
    return [FactorChange(code, risk_factor_name(code), old.get(code), new.get(code))
            for code in factor_order(risk_catalogue(after.year), before)
            if code in old or code in new]


def high_risk_factors(school: School, year: int | None = None) -> tuple[RiskProfile | None,
                                                                        list[str]]:
    """The profile of ``year`` (or the latest up to it) and its factors of high level."""
    rows = RiskProfile.objects.filter(school=school)
    if year is not None:
        rows = rows.filter(year__lte=year)
    profile = rows.order_by("-year").prefetch_related("levels").first()
    if profile is None:
        return None, []
    return profile, [row.factor for row in profile.levels.all() if row.level == "high"]


# --- the heat map --------------------------------------------------------------------------------

@dataclass(frozen=True)
class HeatCell:
    """One factor of one school as the heat map prints it, its strings made once here: a town's
    map is about 1,200 cells, and the template's own lookups and filters per cell cost most of
    the page."""

    level: str
    score: float | None
    css: str    # «cell-high»
    title: str  # «высокий»
    text: str   # the score («72») or the level's first letter («В») when no score is given

    @classmethod
    def of(cls, level: str, score: float | None) -> HeatCell:
        name = LEVEL_NAMES.get(level, level)
        text = number_text(score, 0) if score is not None else name[:1].upper()
        return cls(level, score, f"cell-{level}", name, text)


@dataclass
class HeatRow:
    school: School
    cells: list[HeatCell | None]
    flags: list[str] = field(default_factory=list)

    @property
    def high(self) -> int:
        return sum(1 for c in self.cells if c is not None and c.level == "high")


@dataclass
class HeatMap:
    municipality: Municipality
    year: int
    catalogue: RiskCatalogue
    flag: str
    rows: list[HeatRow]
    years: list[int]
    list_year: int | None

    @property
    def factors(self) -> list[tuple[str, str]]:
        return [(code, risk_factor_name(code)) for code in self.catalogue.factors]

    @property
    def flag_choices(self) -> list[tuple[str, str]]:
        return [(f.code, f.name_ru) for f in FLAGS]

    @property
    def totals(self) -> list[tuple[int, int]]:
        """Per factor: (schools at high level, schools with a level)."""
        columns = list(zip(*(r.cells for r in self.rows), strict=True)) if self.rows else []
        return [(sum(1 for c in col if c is not None and c.level == "high"),
                 sum(1 for c in col if c is not None)) for col in columns]


def _school_flags(municipality: Municipality) -> tuple[int | None, dict[int, list[str]]]:
    """The official list's year and each school's flags of that year (one or two queries)."""
    found = official_list(municipality)
    if found is None:
        return None, {}
    flags: dict[int, list[str]] = defaultdict(list)
    for school_id, code in (RunFlag.objects.filter(run_id=found.run_id, year=found.year)
                            .order_by("school_id", "flag").values_list("school_id", "flag")):
        flags[school_id].append(code)
    return found.year, flags


def profile_years(schools: QuerySet[School]) -> list[int]:
    return sorted(set(RiskProfile.objects.filter(school__in=schools)
                      .values_list("year", flat=True)), reverse=True)


def heat_map(*, viewer: Viewer, municipality: Municipality, year: int | None = None,
             flag: str = "") -> HeatMap:
    """Schools × factors of ``year`` (default: the latest year with profiles) for the schools of
    ``municipality`` the viewer sees, only those with ``flag`` when given."""
    schools_qs = viewer.schools().filter(municipality=municipality)
    years = profile_years(schools_qs)
    year = year or (years[0] if years else None) or 2021
    list_year, flags = _school_flags(municipality)
    schools = list(schools_qs.order_by("number", "short_name", "pk"))
    if flag:
        schools = [s for s in schools if flag in flags.get(s.pk, ())]
    catalogue = risk_catalogue(year)
    levels: dict[int, dict[str, HeatCell]] = defaultdict(dict)
    for school_id, factor, level, score in (
            RiskFactorLevel.objects.filter(profile__year=year, profile__school__in=schools_qs)
            .values_list("profile__school_id", "factor", "level", "score")):
        levels[school_id][factor] = HeatCell.of(level, score)
    rows = [HeatRow(s, [levels[s.pk].get(code) for code in catalogue.factors],
                    [code for code in flags.get(s.pk, [])]) for s in schools]
    return HeatMap(municipality, year, catalogue, flag, rows, years, list_year)


def profile_form_values(profile: RiskProfile | None) -> dict[str, Any]:
    """Initial values of the typing form: ``level_<factor>``, ``score_<factor>``."""
    if profile is None:
        return {}
    values: dict[str, Any] = {}
    for row in profile.levels.all():
        values[f"level_{row.factor}"] = row.level
        values[f"score_{row.factor}"] = row.score
    return values
