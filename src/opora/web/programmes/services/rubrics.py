"""The coordinator's own expert sheets (rubrics): create (also as a copy), edit, delete.

- A rubric belongs to one municipality; Опора's default (seed 003, criteria а–д) is read-only —
  a coordinator copies it and edits the copy.
- A rubric has a title and at least one criterion; a criterion has a title (unique within the
  rubric, letter case and spaces aside), a description, a scale ``min_score``…``max_score``
  inside 0–10 (the maximum above the minimum) and descriptors of its scores. The criteria's
  letters (а, б, в …) follow their order.
- A rubric an expert has already scored by (a review campaign with filled sheets) does not change
  under those sheets: editing it is refused, naming the campaign — the coordinator makes a copy
  and uses it in the next review. Deleting a rubric any review campaign uses is refused the same
  way.
- Every write checks the whole input first and raises one :class:`ValidationError` with a
  message per field (``title``, ``criteria``, ``criteria.<n>.<field>``); nothing is half-saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from opora.web.accounts.scope import Action, Viewer
from opora.web.programmes.models import ReviewCampaign, ReviewScore, Rubric, RubricCriterion
from opora.web.programmes.services import audit, saved
from opora.web.schools.models import Municipality

MANAGERS = "Экспертные листы составляет координатор муниципалитета."
SCALE_FLOOR, SCALE_CEILING = 0, 10
#: Letters of the criteria in their order, as in a Russian list (no ё, й, ъ, ы, ь).
LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"


@dataclass(frozen=True)
class CriterionData:
    """One criterion as typed; ``pk``: an existing criterion of the rubric being edited."""

    title: str
    min_score: int
    max_score: int
    description: str = ""
    descriptors: dict[str, str] = field(default_factory=dict)
    pk: int | None = None


def letter(position: int) -> str:
    """The criterion's letter by its position (1 → «а»); past «я» — its number."""
    return LETTERS[position - 1] if 1 <= position <= len(LETTERS) else str(position)


def criteria_of(rubric: Rubric) -> list[CriterionData]:
    """The rubric's criteria as input (to copy it or fill its edit form)."""
    return [CriterionData(pk=c.pk, title=c.title, description=c.description,
                          min_score=c.min_score, max_score=c.max_score,
                          descriptors=dict(c.descriptors or {}))
            for c in rubric.criteria.order_by("position", "pk")]


def scored_campaign(rubric: Rubric) -> ReviewCampaign | None:
    """A review campaign whose experts have scored by ``rubric`` (the rubric is then fixed)."""
    campaign_id = ReviewScore.objects.filter(criterion__rubric=rubric).values_list(
        "assignment__item__campaign_id", flat=True).order_by("assignment__item__campaign_id") \
        .first()
    return ReviewCampaign.objects.filter(pk=campaign_id).first() if campaign_id else None


def edit_refusal(rubric: Rubric) -> str | None:
    """Why ``rubric`` may not be edited (Russian), or None."""
    if rubric.is_default or rubric.municipality_id is None:
        return ("Экспертный лист по умолчанию не редактируется: создайте копию и измените её.")
    campaign = scored_campaign(rubric)
    if campaign is not None:
        return (f"Лист уже используется в экспертизе «{campaign.title}»: эксперты заполнили по "
                "нему листы. Изменить его нельзя — создайте копию и откройте следующую "
                "экспертизу с ней.")
    return None


def delete_refusal(rubric: Rubric) -> str | None:
    """Why ``rubric`` may not be deleted (Russian), or None."""
    if rubric.is_default or rubric.municipality_id is None:
        return "Экспертный лист по умолчанию удалить нельзя."
    campaign = ReviewCampaign.objects.filter(rubric=rubric).order_by("created_at", "pk").first()
    if campaign is not None:
        return (f"Лист используется в экспертизе «{campaign.title}»: удалить его нельзя.")
    return None


def _problems(title: str, criteria: list[CriterionData],
              existing: set[int]) -> dict[str, list[str]]:
    """Every refusal of the input, by field."""
    found: dict[str, list[str]] = {}

    def say(key: str, message: str) -> None:
        found.setdefault(key, []).append(message)

    if not title.strip():
        say("title", "Укажите название экспертного листа.")
    if not criteria:
        say("criteria", "Добавьте хотя бы один критерий.")
    seen: dict[str, int] = {}
    for n, c in enumerate(criteria):
        at = f"criteria.{n}."
        name = " ".join(c.title.split())
        if not name:
            say(at + "title", "Укажите название критерия.")
        elif name.casefold() in seen:
            say(at + "title", f"Критерий «{name}» уже есть в листе (№ {seen[name.casefold()]}).")
        else:
            seen[name.casefold()] = n + 1
        if c.min_score < SCALE_FLOOR or c.min_score > SCALE_CEILING:
            say(at + "min_score", f"Шкала — в пределах от {SCALE_FLOOR} до {SCALE_CEILING} "
                                  "баллов.")
        if c.max_score > SCALE_CEILING or c.max_score < SCALE_FLOOR:
            say(at + "max_score", f"Шкала — в пределах от {SCALE_FLOOR} до {SCALE_CEILING} "
                                  "баллов.")
        elif c.max_score <= c.min_score:
            say(at + "max_score", "Наибольший балл должен быть больше наименьшего.")
        outside = sorted((k for k in c.descriptors
                          if not (k.lstrip("-").isdigit()
                                  and c.min_score <= int(k) <= c.max_score)), key=str)
        if outside:
            say(at + "descriptors", f"Описаны баллы вне шкалы {c.min_score}–{c.max_score}: "
                                    f"{', '.join(outside)}.")
        if c.pk is not None and c.pk not in existing:
            say(at + "title", "Этого критерия нет в листе: откройте лист заново.")
    return found


def _check(title: str, criteria: list[CriterionData], existing: set[int] | None = None) -> None:
    problems = _problems(title, criteria, existing or set())
    if problems:
        raise ValidationError(problems)


def _write(by: Any, rubric: Rubric, criteria: list[CriterionData]) -> None:
    """Put ``criteria`` in order on ``rubric``: the listed existing ones updated, new ones
    added, the unlisted deleted."""
    kept = {c.pk for c in criteria if c.pk is not None}
    for gone in rubric.criteria.exclude(pk__in=kept):
        audit(gone, by, "критерий удалён из листа")
        gone.delete()
    current = {c.pk: c for c in rubric.criteria.all()}
    for position, c in enumerate(criteria, start=1):
        row = current[c.pk] if c.pk is not None else RubricCriterion(rubric=rubric)
        values = {"position": position, "code": letter(position), "title": " ".join(
            c.title.split()), "description": c.description.strip(), "min_score": c.min_score,
            "max_score": c.max_score, "descriptors": {k: v.strip() for k, v in sorted(
                c.descriptors.items(), key=lambda kv: int(kv[0])) if v.strip()}}
        if row.pk is not None and all(getattr(row, k) == v for k, v in values.items()):
            continue
        for name, value in values.items():
            setattr(row, name, value)
        saved(row, by)


@transaction.atomic
def rubric_create(*, by: Any, municipality: Municipality, title: str,
                  criteria: list[CriterionData]) -> Rubric:
    """A coordinator's own rubric (a copy: ``criteria_of(source)`` with the pks dropped)."""
    Viewer.of(by).require(Action.MANAGE_PROGRAMMES, municipality, MANAGERS)
    criteria = [replace(c, pk=None) for c in criteria]
    _check(title, criteria)
    rubric = saved(Rubric(municipality=municipality, title=title.strip(), created_by=by), by,
                   "составлен координатором")
    _write(by, rubric, criteria)
    return rubric


@transaction.atomic
def rubric_update(*, by: Any, rubric: Rubric, title: str,
                  criteria: list[CriterionData]) -> Rubric:
    """Rename the rubric and put its criteria as listed; refused while experts' sheets are
    scored by it (:func:`edit_refusal`)."""
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    Viewer.of(by).require(Action.MANAGE_PROGRAMMES, rubric.municipality, MANAGERS)
    refusal = edit_refusal(rubric)
    if refusal:
        raise ValidationError(refusal)
    _check(title, criteria, set(rubric.criteria.values_list("pk", flat=True)))
    rubric.title = title.strip()
    saved(rubric, by, "изменён координатором")
    _write(by, rubric, criteria)
    return rubric


@transaction.atomic
def rubric_delete(*, by: Any, rubric: Rubric) -> None:
    """Delete a rubric no review campaign uses (:func:`delete_refusal`)."""
    Viewer.of(by).require(Action.MANAGE_PROGRAMMES, rubric.municipality, MANAGERS)
    refusal = delete_refusal(rubric)
    if refusal:
        raise ValidationError(refusal)
    audit(rubric, by, "лист удалён координатором")
    rubric.delete()
