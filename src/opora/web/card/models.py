"""Rendered analysis sections of school cards, kept in the database as well as in the cache.

A card's analysis sections follow from a finished run, which never changes, yet they cost more
to render than anything else on the card (~15 ms of Python and nine queries: five to eight times
a cached card). The cache (Redis) keeps them a day and loses them all when it restarts; then
every first visit paid that price again (docs/benchmarks.md: 20× the sign-in page under load).
So the rendered sections are also kept here, one row per school and way of showing them (the
official list, or a draft for coordinators), under the same key as in the cache: a row
whose key is not the card's current key is stale and is replaced when the card is next built.
"""

from __future__ import annotations

from django.db import models

from opora.web.schools.models import School

#: How a card's analysis is shown (card/parts.py, ``CardAnalysis``).
VARIANTS = (("list", "официальный список"), ("draft", "черновик расчёта"))


class StoredAnalysisPart(models.Model):
    """The analysis sections of one school's card as last rendered for one way of showing them."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+",
                               verbose_name="школа")
    variant = models.CharField("как показан расчёт", max_length=8, choices=VARIANTS)
    key = models.CharField("ключ (что отражено)", max_length=200)
    html = models.BinaryField("разметка, сжатая zlib")
    has_charts = models.BooleanField("есть диаграммы", default=False)
    rendered_at = models.DateTimeField("построен", auto_now=True)

    class Meta:
        verbose_name = "готовый раздел анализа карточки"
        verbose_name_plural = "готовые разделы анализа карточек"
        constraints = [models.UniqueConstraint(fields=["school", "variant"],
                                               name="one_stored_analysis_per_school_variant")]

    def __str__(self) -> str:
        return f"{self.school_id}:{self.variant}"
