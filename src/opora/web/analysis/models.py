"""Analysis runs and their results, stored so that pages never run the engine (issue 4).

An :class:`AnalysisRun` records who started the engine, over which territory and years, with
which rules (the TOML text and its version), how it went (status, stage, progress, timings) and
the engine's ``run.json``. Its outputs (the tables of ``opora.schemas.OUTPUTS``: school_stats,
flags, context, objectivity, pairs — what ``opora analyze`` writes as files) are loaded from
memory, in one transaction, into the ``Run*`` tables below; a model stores every declared column
it has a field of the same name for; school keys become foreign keys to the registry. Runs are kept, so a
list can be compared with the previous one and a past list explained number by number.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opora.web.core.background import stall_state
from opora.web.schools.models import Municipality, Region, School

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
STATUS_CHOICES = [(QUEUED, "в очереди"), (RUNNING, "выполняется"), (DONE, "готов"),
                  (FAILED, "ошибка"), (CANCELLED, "отменён")]
STAGE_EXPORT, STAGE_ENGINE, STAGE_LOAD = "export", "engine", "load"
STAGE_CHOICES = [("", "—"), (STAGE_EXPORT, "выгрузка данных"), (STAGE_ENGINE, "расчёт"),
                 (STAGE_LOAD, "сохранение результатов")]
SCOPE_MUNICIPALITY, SCOPE_REGION = "municipality", "region"
SCOPE_CHOICES = [(SCOPE_MUNICIPALITY, "муниципалитет"), (SCOPE_REGION, "регион")]


class AnalysisRun(models.Model):
    """One start of the engine over a municipality or a region, kept with its configuration."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name="кто запустил")
    created_at = models.DateTimeField("создан", auto_now_add=True)
    started_at = models.DateTimeField("начат", null=True, blank=True)
    finished_at = models.DateTimeField("завершён", null=True, blank=True)
    scope = models.CharField("область", max_length=16, choices=SCOPE_CHOICES)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+", verbose_name="муниципалитет")
    year_from = models.PositiveSmallIntegerField("с года", null=True, blank=True)
    year_to = models.PositiveSmallIntegerField("по год", null=True, blank=True)
    rules_text = models.TextField("правила (TOML)", blank=True,
                                  help_text="пусто — правила по умолчанию")
    rules_version = models.CharField("версия правил", max_length=64, blank=True)
    engine = models.CharField("движок", max_length=16, default="duckdb")
    status = models.CharField("состояние", max_length=16, choices=STATUS_CHOICES, default=QUEUED)
    stage = models.CharField("этап", max_length=16, choices=STAGE_CHOICES, blank=True)
    progress = models.PositiveSmallIntegerField("готовность, %", default=0)
    message = models.TextField("сообщение", blank=True)
    timings = models.JSONField("время этапов, с", default=dict, blank=True)
    counts = models.JSONField("число строк", default=dict, blank=True)
    run_json = models.JSONField("run.json", default=dict, blank=True)
    updated_at = models.DateTimeField("обновлён", default=timezone.now,
                                      help_text="последняя отметка фонового обработчика")
    cancel_requested_at = models.DateTimeField("отмена запрошена", null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name="кто отменил")

    class Meta:
        verbose_name = "расчёт"
        verbose_name_plural = "расчёты"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "municipality", "-finished_at"]),
                   models.Index(fields=["status", "region", "-finished_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope=SCOPE_MUNICIPALITY, municipality__isnull=False)
                | Q(scope=SCOPE_REGION, municipality__isnull=True),
                name="analysis_run_scope_matches", violation_error_message=(
                    "Для расчёта по муниципалитету укажите муниципалитет; для расчёта по "
                    "региону — только регион.")),
            models.CheckConstraint(
                condition=Q(year_from__isnull=True) | Q(year_to__isnull=True)
                | Q(year_to__gte=models.F("year_from")),
                name="analysis_run_years_ordered",
                violation_error_message="Последний год раньше первого."),
        ]

    def __str__(self) -> str:
        return f"Расчёт № {self.pk} — {self.scope_name}"

    @property
    def scope_name(self) -> str:
        return str(self.municipality) if self.municipality_id else f"{self.region} (весь регион)"

    @property
    def years_label(self) -> str:
        if self.year_from is None and self.year_to is None:
            return "все годы"
        return f"{self.year_from or '…'}–{self.year_to or '…'}"

    @property
    def is_active(self) -> bool:
        return self.status in (QUEUED, RUNNING)

    @property
    def stall(self) -> str:
        """``"stalled"`` (running, but its worker stopped touching it), ``"waiting"`` (queued
        and no worker took it) or ``""``: see :mod:`opora.web.core.background`."""
        return stall_state(status=self.status, touched_at=self.updated_at, queued=QUEUED,
                           running=RUNNING)


class _RunRow(models.Model):
    # no index of its own (``db_index=False``): the rows are found, and deleted with their run,
    # through the composite indexes leading with ``run`` that every Run* table has; Django's
    # index on ``run_id`` alone repeated them — 12–29 MB of a country's run and one more index
    # to keep up while storing it (issue 18; tests/web/test_run_indexes.py)
    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="+",
                            db_index=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class RunFlag(_RunRow):
    """One row of the engine's ``flags.csv``: school × flag × year with its evidence."""

    flag = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    evidence = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["run", "flag"]), models.Index(fields=["run", "school"]),
                   models.Index(fields=["school", "run"])]


class RunSchoolStat(_RunRow):
    """One row of ``school_stats.parquet``: a school's cell against the region."""

    procedure = models.CharField(max_length=8)
    subject = models.CharField(max_length=32)
    grade = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    participants = models.IntegerField(null=True)
    mean_pct = models.FloatField(null=True)
    mean_score = models.FloatField(null=True)
    fail_share_pct = models.FloatField(null=True)
    region_mean_pct = models.FloatField(null=True)
    region_sd_pct = models.FloatField(null=True)
    gap_pct = models.FloatField(null=True)
    gap_low_pct = models.FloatField(null=True)
    gap_high_pct = models.FloatField(null=True)
    region_source_kind = models.CharField(max_length=32, blank=True)
    region_source = models.TextField(blank=True)
    status = models.CharField(max_length=32, blank=True)

    class Meta:
        indexes = [models.Index(fields=["run", "school"]),
                   models.Index(fields=["run", "procedure", "subject", "year"])]


class RunContext(_RunRow):
    """One row of ``context.parquet``: context index, expected result and residual by year."""

    year = models.PositiveSmallIntegerField()
    context_index = models.FloatField(null=True)
    quintile = models.PositiveSmallIntegerField(null=True)
    adverse_context = models.BooleanField(default=False)
    result_gap_pct = models.FloatField(null=True)
    expected_gap_pct = models.FloatField(null=True)
    residual_pct = models.FloatField(null=True)
    residual_low_pct = models.FloatField(null=True)
    residual_high_pct = models.FloatField(null=True)

    class Meta:
        indexes = [models.Index(fields=["run", "year"]), models.Index(fields=["run", "school"])]


class RunObjectivity(_RunRow):
    """One non-objectivity sign of ``objectivity.parquet`` (long form: one row per sign)."""

    procedure = models.CharField(max_length=8)
    subject = models.CharField(max_length=32)
    grade = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    participants = models.IntegerField(null=True)
    sign = models.CharField(max_length=16)
    value = models.FloatField(null=True)
    text = models.CharField(max_length=200, blank=True)
    fired = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["run", "school"]), models.Index(fields=["run", "fired"])]


class RunPair(models.Model):
    """One suggested network pair of ``pairs.csv``: a ШНОР and a leader school, with the reason."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="+",
                            db_index=False)  # as in _RunRow: the composite indexes serve
    low_school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    leader_school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    weak_subjects = models.CharField(max_length=300, blank=True)
    context_distance = models.FloatField(null=True)
    leader_strength_pct = models.FloatField(null=True)
    distance_km = models.FloatField(null=True)
    reason = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["run", "low_school"]),
                   models.Index(fields=["run", "leader_school"])]


class RunUnpaired(_RunRow):
    """A school on the run's list without a proposed pair, and why (``unpaired.csv``, issue 12):
    no leader in the municipality, none within the distance, none in similar conditions, every
    suitable leader taken, or on the list not as ШНОР (pairs are for ШНОР)."""

    year = models.PositiveSmallIntegerField()
    reason_code = models.CharField(max_length=16)
    reason = models.TextField()
    leaders = models.IntegerField(null=True)
    leaders_near = models.IntegerField(null=True)
    leaders_similar = models.IntegerField(null=True)
    nearest_km = models.FloatField(null=True)
    nearest_context_distance = models.FloatField(null=True)

    class Meta:
        indexes = [models.Index(fields=["run", "school"])]


# --- the official list of the year ---------------------------------------------------------------

#: Categories of a school on an official list (DOMAIN.md, «Identification»): low results (ШНОР),
#: adverse social conditions (ШНСУ), both, or the risk zone. Decided from the approved run's flags
#: of the list's year by :func:`opora.web.analysis.official.inclusion_category`.
CATEGORY_LOW, CATEGORY_ADVERSE, CATEGORY_BOTH, CATEGORY_RISK = (
    "low_results", "adverse_context", "both", "risk_zone")
CATEGORY_CHOICES = [(CATEGORY_LOW, "ШНОР"), (CATEGORY_ADVERSE, "ШНСУ"),
                    (CATEGORY_BOTH, "ШНОР и ШНСУ"), (CATEGORY_RISK, "Зона риска")]


class ApprovedList(models.Model):
    """A finished run approved as the official identification of a year for its territory.

    Approval is a decision, not a side effect of running the engine (issue 12): until a run is
    approved it is a draft that only coordinators and regional staff see. Approving another run
    for the same territory and year withdraws this one (``withdrawn_at``) but keeps it, so what
    was official when stays on record.
    """

    run = models.ForeignKey(AnalysisRun, on_delete=models.PROTECT, related_name="approvals",
                            verbose_name="расчёт")
    year = models.PositiveSmallIntegerField("год списка")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+", verbose_name="муниципалитет")
    basis = models.CharField("основание", max_length=300,
                             help_text="приказ или решение: номер и дата")
    approved_at = models.DateTimeField("утверждён", default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name="кто утвердил")
    withdrawn_at = models.DateTimeField("заменён", null=True, blank=True)
    replaced_by = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="заменён списком")

    class Meta:
        verbose_name = "официальный список"
        verbose_name_plural = "официальные списки"
        ordering = ["-year", "-approved_at", "-pk"]
        indexes = [models.Index(fields=["municipality", "year", "withdrawn_at"]),
                   models.Index(fields=["region", "year", "withdrawn_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"],
                condition=Q(withdrawn_at__isnull=True, municipality__isnull=False),
                name="one_current_list_per_municipality_and_year",
                violation_error_message="У муниципалитета уже есть действующий список этого года."),
            models.UniqueConstraint(
                fields=["region", "year"],
                condition=Q(withdrawn_at__isnull=True, municipality__isnull=True),
                name="one_current_list_per_region_and_year",
                violation_error_message="У региона уже есть действующий список этого года."),
        ]

    def __str__(self) -> str:
        where = self.municipality or f"{self.region} (весь регион)"
        return f"Официальный список {self.year} — {where}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None


class Inclusion(models.Model):
    """A school on an official list: its category, since when it is in the system, the evidence.

    ``since_year``: the first year of the school's unbroken presence in this territory's official
    lists (support work and the effectiveness analysis count from it). ``relapse``: the school had
    exited the system (absent from the lists of two consecutive years) and is on a list again.
    ``evidence`` keeps the flags' evidence as it was when the list was approved.
    """

    approved_list = models.ForeignKey(ApprovedList, on_delete=models.CASCADE,
                                      related_name="inclusions", verbose_name="список")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="inclusions",
                               verbose_name="школа")
    category = models.CharField("категория", max_length=16, choices=CATEGORY_CHOICES)
    since_year = models.PositiveSmallIntegerField("в системе с года")
    relapse = models.BooleanField("повторно после выхода", default=False)
    evidence = models.TextField("обоснование")

    class Meta:
        verbose_name = "школа в официальном списке"
        verbose_name_plural = "школы в официальных списках"
        constraints = [models.UniqueConstraint(fields=["approved_list", "school"],
                                               name="one_inclusion_per_list_and_school")]


class RuleSet(models.Model):
    """A named configuration of the rules (TOML over the defaults), saved from the what-if or
    typed, to start runs with (issue 12). The literal rule of seed 001 is one of them."""

    name = models.CharField("название", max_length=200)
    rules_text = models.TextField("правила (TOML)", blank=True)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+",
                               verbose_name="регион")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="+", verbose_name="муниципалитет")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name="кто сохранил")
    created_at = models.DateTimeField("сохранена", auto_now_add=True)

    class Meta:
        verbose_name = "набор правил"
        verbose_name_plural = "наборы правил"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
