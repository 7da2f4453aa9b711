"""Indicators and the effectiveness analysis (issue 16), in the Viewer's scope of the pages
(``Action.SEE_MONITORING`` for a school's or a municipality's values, ``SEE_EFFECTIVENESS`` for
the analysis). Every value carries its numerator and denominator (none for a count), as the
tables do; a school or municipality outside the caller's scope is «not found»."""

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from opora.web.accounts.scope import Action, Viewer
from opora.web.monitoring.catalogue import CURRENT, MUNICIPALITY, SCHOOL
from opora.web.monitoring.effect import analyse
from opora.web.monitoring.formulas import Counted
from opora.web.monitoring.selectors import (
    default_years,
    municipal_values_by_year,
    school_values_by_year,
)
from opora.web.schools.models import Municipality

router = Router(tags=["Показатели и эффективность"])


class IndicatorOut(Schema):
    code: str = Field(description="Код показателя (docs/glossary.md, docs/methodology.md)")
    name: str = Field(description="Название по-русски")
    unit: str = Field(description="Единица: percent, persons, units, yes_no, points")
    level: str = Field(description="school или municipality")
    direction: str = Field(description="increase — лучше рост, decrease — лучше снижение")
    criterion: str = Field(description="Критерий (как в таблицах семени 001)")
    typed: bool = Field(description="true — вводится вручную, а не считается по фактам")
    definition: str = Field(description="Формула словами")
    catalogue_version: str = Field(description="Версия каталога")


class ValueOut(Schema):
    indicator: str = Field(description="Код показателя")
    year: int = Field(description="Календарный год")
    value: float | None = Field(description="Доля, % (0–100), или количество; null — нет данных")
    numerator: int = Field(description="Числитель (для количества — само значение)")
    denominator: int | None = Field(description="Знаменатель; null — не доля")


class ValuesOut(Schema):
    years: list[int]
    values: list[ValueOut]


class EffectOut(Schema):
    entry_year: int = Field(description="Год входа школ в систему")
    procedure: str = Field(description="Код процедуры; * — все работы")
    subject: str = Field(description="Код предмета; * — все")
    treated: int = Field(description="Школ, вошедших в систему, с данными до и после")
    controls: int = Field(description="Школ, ни разу не входивших, с теми же данными")
    effect: float | None = Field(description="Разность разностей, п. п.; null — мало данных")
    low: float | None = Field(description="Нижняя граница 95 % интервала")
    high: float | None = Field(description="Верхняя граница 95 % интервала")
    text: str = Field(description="Что это значит (по-русски)")


def _value(code: str, year: int, counted: Counted) -> ValueOut:
    return ValueOut(indicator=code, year=year, value=counted.value,
                    numerator=counted.numerator, denominator=counted.denominator)


def _years(to: int | None) -> list[int]:
    return default_years(to)


def _town(viewer: Viewer, pk: int, action: Action) -> Municipality:
    found = Municipality.objects.select_related("region").filter(pk=pk).first()
    if found is None or not viewer.may(action, found):
        raise Http404("Муниципалитет не найден или недоступен")
    return found


@router.get("/monitoring/indicators", response=list[IndicatorOut],
            summary="Каталог показателей")
def indicators(request: HttpRequest) -> list[IndicatorOut]:
    Viewer.of(request.user).require(Action.SEE_MONITORING)
    return [IndicatorOut(code=i.code, name=i.name_ru, unit=i.unit, level=i.level,
                         direction=i.direction, criterion=i.criterion, typed=i.typed,
                         definition=i.definition, catalogue_version=CURRENT.version)
            for i in CURRENT.indicators]


@router.get("/monitoring/schools/{school_id}/values", response=ValuesOut,
            summary="Показатели школы по годам")
def school_values(request: HttpRequest, school_id: int,
                  to: int | None = Query(None, description="Последний год (по умолчанию текущий)"),
                  ) -> ValuesOut:
    viewer = Viewer.of(request.user)
    school = viewer.school(school_id)
    viewer.require(Action.SEE_MONITORING, school)
    years = _years(to)
    per = school_values_by_year([school], years)
    return ValuesOut(years=years, values=[
        _value(i.code, y, per[(school.pk, y)][i.code]) for i in CURRENT.of_level(SCHOOL)
        for y in years if i.code in per[(school.pk, y)]])


@router.get("/monitoring/municipalities/{municipality_id}/values", response=ValuesOut,
            summary="Показатели муниципалитета по годам (по школам официального списка)")
def municipality_values(request: HttpRequest, municipality_id: int,
                        to: int | None = Query(None, description="Последний год"),
                        ) -> ValuesOut:
    town = _town(Viewer.of(request.user), municipality_id, Action.SEE_MONITORING)
    years = _years(to)
    values = municipal_values_by_year(town, years)[0]
    return ValuesOut(years=years, values=[
        _value(i.code, y, values[y][i.code]) for i in CURRENT.of_level(MUNICIPALITY)
        for y in years if i.code in values[y]])


@router.get("/monitoring/municipalities/{municipality_id}/effectiveness",
            response=list[EffectOut], summary="Анализ эффективности (разность разностей)")
def effectiveness(request: HttpRequest, municipality_id: int) -> list[EffectOut]:
    town = _town(Viewer.of(request.user), municipality_id, Action.SEE_EFFECTIVENESS)
    return [EffectOut(entry_year=r.effect.entry_year, procedure=r.effect.procedure,
                      subject=r.effect.subject, treated=r.effect.treated,
                      controls=r.effect.controls, effect=r.effect.effect, low=r.effect.low,
                      high=r.effect.high, text=r.text) for r in analyse(town).rows]
