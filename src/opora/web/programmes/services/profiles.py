"""Typing or loading a school's risk profile of a year.

The factors are those of the year's catalogue version (:func:`opora.glossary.risk_catalogue`);
a level is one of the glossary's three; a score is 0–100 or empty. Saving a profile writes only
what changed (an unchanged factor keeps its history clean), removes factors left empty, and
never leaves half a profile: it is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from opora.glossary import RISK_LEVELS, risk_catalogue, risk_factor_name
from opora.web.accounts.scope import Action, Viewer
from opora.web.programmes.models import RiskFactorLevel, RiskProfile, RiskProfileImport
from opora.web.programmes.models.profiles import IMPORTED, TYPED
from opora.web.programmes.services import audit, saved
from opora.web.schools.models import School

LEVEL_CODES = frozenset(t.code for t in RISK_LEVELS)
EDITORS = "Рисковый профиль вводят руководитель школы и координатор муниципалитета."


@dataclass(frozen=True)
class FactorValue:
    level: str
    score: float | None = None


def profile_problems(year: int, values: dict[str, FactorValue]) -> dict[str, str]:
    """factor code → why its value cannot be saved (Russian); empty when all can."""
    catalogue = risk_catalogue(year)
    problems = {}
    for factor, value in values.items():
        if factor not in catalogue.factors:
            problems[factor] = (f"фактор «{risk_factor_name(factor)}» не входит в каталог "
                                f"{year} года ({catalogue.name_ru})")
        elif value.level not in LEVEL_CODES:
            problems[factor] = f"уровень «{value.level}» неизвестен"
        elif value.score is not None and not 0 <= value.score <= 100:
            problems[factor] = "балл фактора — от 0 до 100"
    return problems


@transaction.atomic
def profile_save(*, by: Any, school: School, year: int, values: dict[str, FactorValue],
                 replace: bool = True, imported: RiskProfileImport | None = None) -> RiskProfile:
    """Save the levels of ``values`` for the school's profile of ``year``.

    ``replace``: factors of the profile missing from ``values`` are removed (the form, where an
    empty level means «not assessed»); otherwise they are kept (a file naming some factors).
    """
    Viewer.of(by).require(Action.EDIT_RISK_PROFILE, school, EDITORS)
    problems = profile_problems(year, values)
    if problems:
        raise ValidationError(problems)
    profile = RiskProfile.objects.select_for_update().filter(school=school, year=year).first()
    source = IMPORTED if imported is not None else TYPED
    if profile is None:
        profile = saved(RiskProfile(school=school, year=year, catalogue=risk_catalogue(year).code,
                                    source=source, imported=imported, updated_by=by), by)
    existing = {row.factor: row for row in profile.levels.all()}
    changed = False
    for factor, value in values.items():
        row = existing.get(factor)
        if row is not None and (row.level, row.score) == (value.level, value.score):
            continue
        row = row or RiskFactorLevel(profile=profile, factor=factor)
        row.level, row.score = value.level, value.score
        saved(row, by)
        changed = True
    for factor, row in existing.items():
        if replace and factor not in values:
            audit(row, by)
            row.delete()
            changed = True
    if changed and (profile.source, profile.imported_id, profile.updated_by_id) != (
            source, getattr(imported, "pk", None), getattr(by, "pk", None)):
        profile.source, profile.imported, profile.updated_by = source, imported, by
        saved(profile, by)
    return profile
