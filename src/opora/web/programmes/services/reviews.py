"""Expert review: rubrics, review campaigns, reviewers, sheets, decisions, rounds.

- The default rubric (seed 003, criteria а–д, scale 0–3) is made on first use
  (:func:`default_rubric`); a coordinator makes their own (``services.rubrics``).
- A review campaign over a document campaign takes every uploaded document (status «на
  экспертизе»); a campaign without one reviews roadmaps: every roadmap sent for review in the
  municipality, and those sent later (:func:`roadmap_submitted`).
- A reviewer is a curator or an invited expert with an account — never an administrator of the
  school under review (:func:`reviewer_problem`).
- A sheet's score lies on its criterion's scale; a sheet is submitted when every criterion has a
  score. The coordinator decides «принять» (a document is accepted; a roadmap approved, its plan
  kept as a version) or «на доработку»; the school's new version (or its roadmap sent again)
  opens the next round with the same reviewers, the earlier rounds kept as they were.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from opora.glossary import REVIEW_CRITERIA, REVIEW_SCALE
from opora.web.accounts.models import SCHOOL_ADMIN, RoleAssignment
from opora.web.accounts.scope import Action, Viewer
from opora.web.programmes.models import (
    DocumentCampaign,
    DocumentVersion,
    ProgramDocument,
    ReviewAssignment,
    ReviewCampaign,
    ReviewItem,
    ReviewScore,
    Roadmap,
    Rubric,
    RubricCriterion,
)
from opora.web.programmes.models.campaigns import ACCEPTED, NEEDS_REVISION, UNDER_REVIEW, UPLOADED
from opora.web.programmes.models.reviews import ACCEPT, REVISE
from opora.web.programmes.models.roadmaps import SUBMITTED
from opora.web.programmes.services import saved
from opora.web.programmes.services.roadmap_versions import roadmap_approve
from opora.web.schools.models import Municipality

MANAGERS = "Экспертизу проводит координатор муниципалитета."
DEFAULT_TITLE = "Экспертный лист программы (критерии а–д)"


def default_rubric() -> Rubric:
    """Опора's default rubric (made once): seed 003's criteria а–д on the 0–3 scale."""
    found = Rubric.objects.filter(is_default=True).first()
    if found is not None:
        return found
    with transaction.atomic():
        rubric = Rubric.objects.create(title=DEFAULT_TITLE, is_default=True)
        descriptors = {str(score): text for score, text in REVIEW_SCALE}
        for position, term in enumerate(REVIEW_CRITERIA, start=1):
            RubricCriterion.objects.create(
                rubric=rubric, position=position, code=term.code, title=term.name_ru,
                description=term.full_name_ru, min_score=REVIEW_SCALE[0][0],
                max_score=REVIEW_SCALE[-1][0], descriptors=descriptors)
    return rubric


def _item(by: Any, campaign: ReviewCampaign, **what: Any) -> ReviewItem:
    return saved(ReviewItem(campaign=campaign, **what), by)


@transaction.atomic
def review_campaign_create(*, by: Any, municipality: Municipality, title: str,
                           deadline: dt.date, rubric: Rubric | None = None,
                           document_campaign: DocumentCampaign | None = None) -> ReviewCampaign:
    Viewer.of(by).require(Action.MANAGE_PROGRAMMES, municipality, MANAGERS)
    if document_campaign is not None and document_campaign.municipality_id != municipality.pk:
        raise ValidationError({"document_campaign": "Кампания другого муниципалитета."})
    rubric = rubric or default_rubric()
    if rubric.municipality_id not in (None, municipality.pk):
        raise ValidationError({"rubric": "Экспертный лист другого муниципалитета."})
    campaign = saved(ReviewCampaign(municipality=municipality, title=title.strip(), rubric=rubric,
                                    deadline=deadline, document_campaign=document_campaign,
                                    created_by=by), by)
    take_new(by=by, campaign=campaign)
    return campaign


@transaction.atomic
def take_new(*, by: Any, campaign: ReviewCampaign) -> int:
    """Put on review what is waiting: uploaded documents of the campaign's document campaign,
    or roadmaps sent for review in the municipality; the number taken."""
    Viewer.of(by).require(Action.MANAGE_PROGRAMMES, campaign.municipality, MANAGERS)
    taken = 0
    if campaign.document_campaign_id is not None:
        for document in ProgramDocument.objects.filter(
                campaign_id=campaign.document_campaign_id, status=UPLOADED,
                first_uploaded_at__isnull=False).select_related("school"):
            _document_round(by, campaign, document)
            taken += 1
        return taken
    for roadmap in Roadmap.objects.filter(school__municipality_id=campaign.municipality_id,
                                          status=SUBMITTED):
        if not ReviewItem.objects.filter(roadmap=roadmap, decision="").exists():
            from opora.web.programmes.roadmap_diff import snapshot
            from opora.web.programmes.selectors.roadmaps import tree

            _roadmap_round(by, campaign, roadmap, snapshot(roadmap, tree(roadmap)))
            taken += 1
    return taken


def _last_round(**what: Any) -> ReviewItem | None:
    return ReviewItem.objects.filter(**what).order_by("-round", "-pk").first()


def _copy_reviewers(by: Any, previous: ReviewItem | None, item: ReviewItem) -> None:
    if previous is None:
        return
    for assignment in previous.assignments.filter(withdrawn_at__isnull=True):
        saved(ReviewAssignment(item=item, reviewer=assignment.reviewer, assigned_by=by), by)


def _document_round(by: Any, campaign: ReviewCampaign, document: ProgramDocument) -> ReviewItem:
    previous = _last_round(campaign=campaign, document=document)
    version = document.versions.order_by("-number").first()
    item = _item(by, campaign, school=document.school, document=document,
                 round=(previous.round + 1) if previous else 1,
                 version_number=version.number if version else None,
                 snapshot={"version": version.number, "name": version.original_name}
                 if version else {})
    _copy_reviewers(by, previous, item)
    document.status = UNDER_REVIEW
    saved(document, by, f"на экспертизе, раунд {item.round}")
    return item


def _roadmap_round(by: Any, campaign: ReviewCampaign, roadmap: Roadmap,
                   plan: dict[str, Any]) -> ReviewItem:
    previous = _last_round(campaign=campaign, roadmap=roadmap)
    item = _item(by, campaign, school=roadmap.school, roadmap=roadmap,
                 round=(previous.round + 1) if previous else 1, snapshot=plan)
    _copy_reviewers(by, previous, item)
    return item


def resubmitted(*, by: Any, document: ProgramDocument, version: DocumentVersion) -> None:
    """A new version of a document returned for revision: its campaign's next round."""
    previous = ReviewItem.objects.filter(document=document).order_by("-created_at",
                                                                     "-pk").first()
    if previous is not None:
        _document_round(by, previous.campaign, document)


def roadmap_submitted(*, by: Any, roadmap: Roadmap, plan: dict[str, Any]) -> None:
    """A roadmap sent for review: the round of its last review campaign, or of the latest open
    roadmap review of the municipality; none open — it waits for the coordinator's next one."""
    previous = ReviewItem.objects.filter(roadmap=roadmap).order_by("-created_at", "-pk").first()
    campaign = previous.campaign if previous is not None else (
        ReviewCampaign.objects.filter(municipality_id=roadmap.school.municipality_id,
                                      document_campaign__isnull=True)
        .order_by("-created_at", "-pk").first())
    if campaign is not None:
        _roadmap_round(by, campaign, roadmap, plan)


def reviewer_problem(reviewer: Any, item: ReviewItem) -> str | None:
    """Why ``reviewer`` may not review ``item`` (Russian), or None."""
    if not reviewer.is_active:
        return "Учётная запись эксперта отключена."
    if RoleAssignment.objects.filter(user=reviewer, role=SCHOOL_ADMIN,
                                     school_id=item.school_id).exists():
        return (f"{reviewer.get_full_name() or reviewer.get_username()} — руководитель школы "
                f"«{item.school.short_name}»: эксперт не оценивает свою школу.")
    return None


@transaction.atomic
def reviewer_assign(*, by: Any, item: ReviewItem, reviewer: Any) -> ReviewAssignment:
    Viewer.of(by).require(Action.MANAGE_PROGRAMMES, item.campaign.municipality, MANAGERS)
    if item.decision:
        raise ValidationError("Решение по этой работе уже принято.")
    problem = reviewer_problem(reviewer, item)
    if problem:
        raise ValidationError({"reviewer": problem})
    if item.assignments.filter(reviewer=reviewer, withdrawn_at__isnull=True).exists():
        raise ValidationError({"reviewer": "Этот эксперт уже назначен."})
    return saved(ReviewAssignment(item=item, reviewer=reviewer, assigned_by=by), by)


@transaction.atomic
def reviewer_withdraw(*, by: Any, assignment: ReviewAssignment) -> ReviewAssignment:
    Viewer.of(by).require(Action.MANAGE_PROGRAMMES, assignment.item.campaign.municipality,
                          MANAGERS)
    assignment.withdrawn_at = timezone.now()
    return saved(assignment, by, "эксперт снят")


def score_problems(criteria: list[RubricCriterion],
                   scores: dict[int, int | None]) -> dict[int, str]:
    """criterion id → why its score is refused (outside the scale)."""
    found = {}
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is not None and not criterion.min_score <= value <= criterion.max_score:
            found[criterion.pk] = (f"Балл {value} вне шкалы критерия «{criterion.code}»: от "
                                   f"{criterion.min_score} до {criterion.max_score}.")
    return found


@transaction.atomic
def sheet_save(*, by: Any, assignment: ReviewAssignment, scores: dict[int, int | None],
               comments: dict[int, str], overall: str = "", submit: bool = False
               ) -> ReviewAssignment:
    """Save the expert's scores and comments; ``submit``: the sheet is complete and final."""
    Viewer.of(by).require(Action.REVIEW, assignment, "Экспертный лист заполняет назначенный "
                                                     "эксперт.")
    if assignment.submitted_at is not None or assignment.item.decision:
        raise PermissionDenied("Лист уже отправлен: изменить его нельзя.")
    # the rubric locked: its coordinator's edit (services.rubrics) waits, then sees these scores
    Rubric.objects.select_for_update().filter(pk=assignment.item.campaign.rubric_id).first()
    criteria = list(assignment.item.campaign.rubric.criteria.all())
    problems = score_problems(criteria, scores)
    if problems:
        raise ValidationError({f"score_{pk}": m for pk, m in problems.items()})
    if submit:
        empty = [c.code for c in criteria if scores.get(c.pk) is None]
        if empty:
            raise ValidationError({f"score_{c.pk}": "Поставьте балл." for c in criteria
                                   if scores.get(c.pk) is None})
    existing = {s.criterion_id: s for s in assignment.scores.all()}
    for criterion in criteria:
        value, comment = scores.get(criterion.pk), comments.get(criterion.pk, "").strip()
        row = existing.get(criterion.pk)
        if value is None:
            if row is not None:
                row.delete()
            continue
        if row is not None and (row.score, row.comment) == (value, comment):
            continue
        row = row or ReviewScore(assignment=assignment, criterion=criterion)
        row.score, row.comment = value, comment
        saved(row, by)
    assignment.overall_comment = overall.strip()
    if submit:
        assignment.submitted_at = timezone.now()
    return saved(assignment, by, "лист отправлен" if submit else "")


@transaction.atomic
def decide(*, by: Any, item: ReviewItem, decision: str, comment: str) -> ReviewItem:
    """«Принять» or «на доработку»: the document's or roadmap's status follows."""
    Viewer.of(by).require(Action.MANAGE_PROGRAMMES, item.campaign.municipality, MANAGERS)
    if item.decision:
        raise ValidationError("Решение по этому раунду уже принято.")
    if decision not in (ACCEPT, REVISE):
        raise ValidationError({"decision": "Выберите решение: принять или на доработку."})
    if decision == REVISE and not comment.strip():
        raise ValidationError({"comment": "Напишите школе, что доработать."})
    if not item.assignments.filter(submitted_at__isnull=False).exists():
        raise ValidationError("Решение принимают после хотя бы одного заполненного экспертного "
                              "листа.")
    item.decision, item.decision_comment = decision, comment.strip()
    item.decided_by, item.decided_at = by, timezone.now()
    saved(item, by)
    if item.document_id is not None:
        document = item.document
        assert document is not None
        document.status = ACCEPTED if decision == ACCEPT else NEEDS_REVISION
        saved(document, by, f"решение по экспертизе, раунд {item.round}")
    elif item.roadmap is not None:
        from opora.web.programmes.models.roadmaps import NEEDS_REVISION as RETURNED

        if decision == ACCEPT:
            roadmap_approve(by=by, roadmap=item.roadmap,
                            basis=f"экспертиза «{item.campaign.title}», раунд {item.round}")
        else:
            item.roadmap.status = RETURNED
            saved(item.roadmap, by, f"на доработку, раунд {item.round}")
    return item


def assignable_reviewers(municipality: Municipality) -> list[Any]:
    """Users a coordinator may invite: curators of the municipality's schools, its methodists
    and coordinators, and active users with no role (invited experts)."""
    users = get_user_model().objects.filter(is_active=True)
    with_role = RoleAssignment.objects.filter(municipality=municipality).values("user_id") \
        .union(RoleAssignment.objects.filter(school__municipality=municipality,
                                             role="curator").values("user_id"))
    ids = {row["user_id"] for row in with_role}
    no_role = users.filter(role_assignments__isnull=True, is_superuser=False)
    return sorted({*users.filter(pk__in=ids), *no_role},
                  key=lambda u: (u.get_full_name() or u.get_username()).casefold())
