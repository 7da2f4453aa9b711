"""Expert review: campaigns over uploaded documents and roadmaps, rubrics (expert sheets),
reviewers, scores, the coordinator's decision and the rounds of resubmission.

A :class:`Rubric` is a list of criteria, each with its scale and descriptors; Опора's default for
programmes follows seed 003's criteria а–д (``opora.glossary.REVIEW_CRITERIA``). A
:class:`ReviewItem` is one round of one document or roadmap in a campaign: its reviewers
(:class:`ReviewAssignment`, never the school's own administrator) fill their sheets
(:class:`ReviewScore`), the coordinator decides «принять» or «на доработку»; a resubmission opens
the next round with the same reviewers, the earlier rounds stay as they were.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from opora.glossary import REVIEW_DECISIONS

DECISION_CHOICES = [(t.code, t.name_ru) for t in REVIEW_DECISIONS]
ACCEPT, REVISE = "accept", "revise"


class Rubric(models.Model):
    """An expert sheet's criteria. ``municipality`` empty: Опора's own (the default)."""

    municipality = models.ForeignKey("schools.Municipality", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name="муниципалитет")
    title = models.CharField("название", max_length=200)
    is_default = models.BooleanField("по умолчанию", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name="кто составил")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "экспертный лист (критерии)"
        verbose_name_plural = "экспертные листы (критерии)"
        ordering = ["-is_default", "title", "pk"]
        constraints = [models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True),
                                               name="one_default_rubric")]

    def __str__(self) -> str:
        return self.title


class RubricCriterion(models.Model):
    """One criterion: its letter, title, scale (``min_score``…``max_score``) and descriptors
    (``{"0": "не представлено", …}``)."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria",
                               verbose_name="экспертный лист")
    position = models.PositiveSmallIntegerField("порядок", default=0)
    code = models.CharField("обозначение", max_length=8)
    title = models.CharField("критерий", max_length=300)
    description = models.TextField("что оценивается", blank=True)
    min_score = models.SmallIntegerField("наименьший балл", default=0)
    max_score = models.SmallIntegerField("наибольший балл", default=3)
    descriptors = models.JSONField("описания баллов", default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "критерий экспертного листа"
        verbose_name_plural = "критерии экспертных листов"
        ordering = ["rubric", "position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(max_score__gt=F("min_score")),
                                              name="criterion_scale_ordered",
                                              violation_error_message="Наибольший балл должен "
                                                                      "быть больше наименьшего.")]

    def __str__(self) -> str:
        return f"{self.code}) {self.title}"

    @property
    def scale(self) -> list[tuple[int, str]]:
        return [(s, (self.descriptors or {}).get(str(s), ""))
                for s in range(self.min_score, self.max_score + 1)]


class ReviewCampaign(models.Model):
    municipality = models.ForeignKey("schools.Municipality", on_delete=models.PROTECT,
                                     related_name="+", verbose_name="муниципалитет")
    title = models.CharField("название", max_length=200)
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="+",
                               verbose_name="экспертный лист")
    document_campaign = models.ForeignKey("programmes.DocumentCampaign",
                                          on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="review_campaigns",
                                          verbose_name="документы кампании")
    deadline = models.DateField("срок экспертизы")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name="кто открыл")
    created_at = models.DateTimeField("открыта", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "экспертиза"
        verbose_name_plural = "экспертизы"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class ReviewItem(models.Model):
    """One round of one document or roadmap in a review campaign. ``snapshot`` holds what was
    submitted (the roadmap's plan; for a document its version's number and name)."""

    campaign = models.ForeignKey(ReviewCampaign, on_delete=models.CASCADE, related_name="items",
                                 verbose_name="экспертиза")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+",
                               verbose_name="школа")
    document = models.ForeignKey("programmes.ProgramDocument", on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="review_items",
                                 verbose_name="документ")
    roadmap = models.ForeignKey("programmes.Roadmap", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="review_items",
                                verbose_name="дорожная карта")
    round = models.PositiveSmallIntegerField("раунд", default=1)
    version_number = models.PositiveSmallIntegerField("версия документа", null=True,
                                                      blank=True)
    snapshot = models.JSONField("что отправлено", default=dict, blank=True)
    decision = models.CharField("решение", max_length=8, choices=DECISION_CHOICES, blank=True)
    decision_comment = models.TextField("комментарий к решению", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name="кто решил")
    decided_at = models.DateTimeField("решено", null=True, blank=True)
    created_at = models.DateTimeField("отправлено на экспертизу", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "работа на экспертизе"
        verbose_name_plural = "работы на экспертизе"
        ordering = ["campaign", "school", "round", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=False, roadmap__isnull=True)
                | Q(document__isnull=True, roadmap__isnull=False),
                name="review_item_of_one_thing",
                violation_error_message="На экспертизе — документ или дорожная карта."),
            models.UniqueConstraint(fields=["campaign", "document", "round"],
                                    condition=Q(document__isnull=False),
                                    name="review_document_round_once"),
            models.UniqueConstraint(fields=["campaign", "roadmap", "round"],
                                    condition=Q(roadmap__isnull=False),
                                    name="review_roadmap_round_once"),
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.subject_label}, раунд {self.round}"

    @property
    def subject_label(self) -> str:
        if self.document_id is not None and self.document is not None:
            return self.document.label
        return "Дорожная карта"


class ReviewAssignment(models.Model):
    """A reviewer of one item: a curator or an invited expert, never the school's own
    administrator. Withdrawn assignments are kept (``withdrawn_at``)."""

    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="assignments",
                             verbose_name="работа")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="review_assignments", verbose_name="эксперт")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name="кто назначил")
    assigned_at = models.DateTimeField("назначен", auto_now_add=True)
    submitted_at = models.DateTimeField("лист заполнен", null=True, blank=True)
    withdrawn_at = models.DateTimeField("снят", null=True, blank=True)
    overall_comment = models.TextField("общий комментарий", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "назначение эксперта"
        verbose_name_plural = "назначения экспертов"
        ordering = ["item", "assigned_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "reviewer"],
                                               condition=Q(withdrawn_at__isnull=True),
                                               name="reviewer_once_an_item",
                                               violation_error_message="Этот эксперт уже "
                                                                       "назначен.")]
        indexes = [models.Index(fields=["reviewer", "submitted_at"], name="assignment_by_user")]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.item}"


class ReviewScore(models.Model):
    assignment = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE,
                                   related_name="scores", verbose_name="лист")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="критерий")
    score = models.SmallIntegerField("балл")
    comment = models.TextField("комментарий", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "оценка по критерию"
        verbose_name_plural = "оценки по критериям"
        ordering = ["assignment", "criterion__position", "pk"]
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"],
                                               name="score_once_a_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.score}"
