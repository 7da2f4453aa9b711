"""School cards rendered ahead of their readers, when a run finishes.

A card's analysis sections cost ~13 ms to render and its loaded data ~2 ms; once rendered they
are read from the cache (card/parts.py). Right after a run every card of its territory is new,
so the first visits of a busy morning would all pay the rendering at once (50 readers: p95
≈ 0.7 s against ≈ 0.2 s for repeat visits, docs/benchmarks.md). The background worker renders
them instead, in a task queued when the run is done, behind any other queued work
(analysis/tasks.py), and ``opora manage warm_cards`` does the same by hand, for instance after
Redis restarts empty.

Only worth it when the server's processes share the cache with the worker (``OPORA_REDIS_URL``
or ``OPORA_CACHE_DIR``): a cache in one process's memory is not the web server's.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings

from opora.web.accounts.scope import SchoolPowers
from opora.web.analysis.models import AnalysisRun
from opora.web.card.parts import (
    CARD_PART_SECONDS,
    analysis_kept_or_built,
    analysis_key,
    card_analysis,
    card_versions,
    head_build,
    head_key,
    loaded_build,
    loaded_key,
    passport_part,
    passport_rows,
)
from opora.web.core.fragments import Fragment, cached_fragments
from opora.web.schools.models import School

logger = logging.getLogger(__name__)

#: Backends whose entries live in one process only: warming them from the worker is wasted.
PROCESS_LOCAL = ("django.core.cache.backends.locmem.LocMemCache",
                 "django.core.cache.backends.dummy.DummyCache")


#: The passport part as each reader sees it: a coordinator of the municipality (edits, sees the
#: history), the school's administrator (edits), everyone else (reads).
PASSPORT_VIEWS = (SchoolPowers(edit_passport=True, see_history=True),
                  SchoolPowers(edit_passport=True, see_history=False),
                  SchoolPowers(edit_passport=False, see_history=False))


@dataclass(frozen=True)
class Warmed:
    """What :func:`warm_run_cards` did: cards whose parts it made ready, cards it left (a newer
    run covers them), and the time it took, in seconds."""

    cards: int
    skipped: int
    seconds: float


def cache_is_shared() -> bool:
    """Whether the worker's cache is the web server's (not one process's memory)."""
    return settings.CACHES["default"]["BACKEND"] not in PROCESS_LOCAL


def warm_run_cards(run: AnalysisRun) -> Warmed:
    """Render and store the head, the analysis sections, the loaded data and the passport (the
    head and the passport as each kind of reader sees them) of every card in the run's territory whose newest run is ``run`` (the
    others show a newer one). Parts already in the cache are not rendered again."""
    start = time.perf_counter()
    schools = School.objects.select_related("municipality__region")
    schools = (schools.filter(municipality_id=run.municipality_id) if run.municipality_id
               else schools.filter(municipality__region_id=run.region_id))
    cards = skipped = 0
    for school in schools.order_by("pk").iterator(chunk_size=500):
        school.versions = versions = card_versions(school)  # type: ignore[attr-defined]
        if run.pk not in (versions.run_pk, versions.official_run_pk):
            skipped += 1
            continue
        builds: dict[str, Callable[[], Fragment]] = {loaded_key(school):
                                                     partial(loaded_build, school)}
        for sees_drafts in (False, True):  # the card as others and as coordinators see it
            shown = card_analysis(versions, sees_drafts)
            key = analysis_key(school, shown)
            builds[key] = partial(analysis_kept_or_built, school, shown, key)
        rows = passport_rows(school)
        for powers in PASSPORT_VIEWS:
            key, build = passport_part(school, powers, rows)
            builds[key] = build
            builds[head_key(school, powers)] = partial(head_build, school, powers)  # 2 kinds
        cached_fragments(builds, seconds=CARD_PART_SECONDS)
        cards += 1
    return Warmed(cards, skipped, round(time.perf_counter() - start, 1))


def warm_after_run(run: AnalysisRun) -> Warmed | None:
    """:func:`warm_run_cards` when the cache is shared; a failure is logged, never raised (the
    run is done whatever happens here, and a card renders itself when it is not ready)."""
    if not cache_is_shared():
        return None
    try:
        warmed = warm_run_cards(run)
    except Exception:
        logger.exception("cards of analysis run %s were not rendered ahead", run.pk)
        return None
    logger.info("analysis run %s: %s cards rendered ahead in %s s", run.pk, warmed.cards,
                warmed.seconds)
    return warmed
