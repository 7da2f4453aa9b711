"""Cards rendered ahead when a run finishes (card/warming.py), and the registry's version.

After :func:`warm_run_cards` the first visit to a card renders nothing: the analysis sections,
the loaded data and the passport come from the cache. A rename in the registry shows on
the next visit although the parts live a day (their key names the registry's version).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from card_visits import card_visit
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from web_data import dataset

from opora.web.analysis.models import DONE, AnalysisRun, RunFlag, RunPair
from opora.web.card.warming import cache_is_shared, warm_after_run, warm_run_cards
from opora.web.imports.services import load_tables
from opora.web.schools.models import School

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client: Any, django_user_model: Any) -> Any:
    user = django_user_model.objects.create_superuser("warm-admin", "", "x")
    client.force_login(user)
    return user


def _finished_run(municipality: Any = None, *, region: Any, minutes_ago: int = 0) -> AnalysisRun:
    return AnalysisRun.objects.create(
        scope="municipality" if municipality else "region", municipality=municipality,
        region=region, status=DONE, progress=100, rules_version="test",
        finished_at=timezone.now() - timedelta(minutes=minutes_ago))


def test_a_warmed_card_renders_nothing_on_the_first_visit(client: Any, admin: Any) -> None:
    assert load_tables(tables=dataset()).ok
    n1 = School.objects.get(key="N1")
    run = _finished_run(n1.municipality, region=n1.municipality.region)
    RunFlag.objects.create(run=run, school=n1, flag="low_results", year=2024,
                           evidence="средний балл 41,0 % при региональном 55,0 %")
    warmed = warm_run_cards(run)
    assert (warmed.cards, warmed.skipped) == (2, 0)  # «Северный» has N1 and N2; S1 is «Южный»
    page, queries = card_visit(client, n1)
    assert "средний балл 41,0 % при региональном 55,0 %" in page
    # session, user, the school with its versions (one query), the passport rows: the parts
    # would take 8 more (the analysis), 2 (the loaded data) and 1 (the passport as a superuser
    # sees it)
    assert queries == 4
    s1 = School.objects.get(key="S1")
    _, cold = card_visit(client, s1)  # not in the run's territory: rendered on the visit
    assert cold > 5


def test_cards_showing_a_newer_run_are_left_alone(admin: Any) -> None:
    assert load_tables(tables=dataset()).ok
    n1 = School.objects.get(key="N1")
    region = n1.municipality.region
    regional = _finished_run(region=region, minutes_ago=10)
    _finished_run(n1.municipality, region=region)  # newer, for «Северный» only
    warmed = warm_run_cards(regional)
    assert (warmed.cards, warmed.skipped) == (1, 2)  # S1 warmed; N1, N2 show the newer run


def test_a_partner_renamed_after_the_visit_shows_on_the_next_one(client: Any,
                                                                 admin: Any) -> None:
    assert load_tables(tables=dataset()).ok
    n1, n2 = School.objects.get(key="N1"), School.objects.get(key="N2")
    run = _finished_run(n1.municipality, region=n1.municipality.region)
    RunPair.objects.create(run=run, low_school=n1, leader_school=n2, weak_subjects="русский",
                           reason="близкий контекст")
    warm_run_cards(run)
    assert "СОШ № 2" in card_visit(client, n1)[0]
    n2.short_name = "Гимназия № 2"
    n2.save()  # the registry writes history: its version changes
    page, _ = card_visit(client, n1)
    assert "Гимназия № 2" in page


def test_the_worker_warms_only_a_cache_the_server_shares(tmp_path: Path, admin: Any) -> None:
    assert load_tables(tables=dataset()).ok
    n1 = School.objects.get(key="N1")
    run = _finished_run(n1.municipality, region=n1.municipality.region)
    assert not cache_is_shared()  # the tests' cache lives in this process's memory
    assert warm_after_run(run) is None
    shared = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(tmp_path / "cache")}}
    with override_settings(CACHES=shared):
        warmed = warm_after_run(run)
    assert warmed is not None and warmed.cards == 2
    # two cards: the analysis as two kinds of reader see it (no list approved yet: the draft for
    # coordinators, «not approved yet» for the others), the loaded data, the passport as
    # three kinds of reader see it and the head as two (with the history link or without)
    assert len(list((tmp_path / "cache").iterdir())) == 2 * (2 + 1 + 3 + 2)


def test_the_command_warms_the_newest_run_of_each_territory(capsys: Any, admin: Any) -> None:
    assert load_tables(tables=dataset()).ok
    n1 = School.objects.get(key="N1")
    _finished_run(n1.municipality, region=n1.municipality.region, minutes_ago=30)
    newest = _finished_run(n1.municipality, region=n1.municipality.region)
    call_command("warm_cards")
    out = capsys.readouterr().out
    assert out.count("Расчёт №") == 1 and f"Расчёт № {newest.pk}" in out
    assert "карточек построено — 2" in out


def test_the_command_says_when_the_run_does_not_exist(admin: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Завершённого расчёта № 999 нет"):
        call_command("warm_cards", "--run", "999")


def test_each_kind_of_reader_finds_the_passport_rendered_ahead(client: Any,
                                                               django_user_model: Any) -> None:
    from opora.web.accounts import models as roles
    from opora.web.accounts.services import role_assign, user_create

    assert load_tables(tables=dataset()).ok
    n1 = School.objects.get(key="N1")
    readers = {role: user_create(username=f"warm-{role}", password="x-password-1")
               for role in (roles.COORDINATOR, roles.SCHOOL_ADMIN, roles.METHODIST)}
    role_assign(user=readers[roles.COORDINATOR], role=roles.COORDINATOR,
                municipality=n1.municipality)
    role_assign(user=readers[roles.SCHOOL_ADMIN], role=roles.SCHOOL_ADMIN, school=n1)
    role_assign(user=readers[roles.METHODIST], role=roles.METHODIST, municipality=n1.municipality)
    warm_run_cards(_finished_run(n1.municipality, region=n1.municipality.region))
    for role, user in readers.items():
        client.force_login(user)
        page, queries = card_visit(client, n1)
        # session, user, roles, the school with its versions, the passport rows: nothing
        # rendered
        assert queries == 5, role
        assert ("Открыть форму" in page) == (role != roles.METHODIST), role


def test_a_finished_run_queues_its_warming_behind_other_work(tmp_path: Path, admin: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from opora.web.analysis.tasks import execute_analysis_run
    from opora.web.card.tasks import WARMING_PRIORITY, warm_run_cards_task

    assert load_tables(tables=dataset()).ok
    n1 = School.objects.get(key="N1")
    run = _finished_run(n1.municipality, region=n1.municipality.region)
    # a run already done: the task finds nothing to execute (a delivery twice) and goes on
    execute_analysis_run.call(run.pk)
    assert not DBTaskResult.objects.exists()  # the tests' cache is this process's: no warming
    shared = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(tmp_path / "cache")}}
    with override_settings(CACHES=shared):
        assert execute_analysis_run.call(run.pk) == DONE
        [queued] = DBTaskResult.objects.all()
        assert queued.task_path.endswith("warm_run_cards_task")
        assert queued.priority == WARMING_PRIORITY < 0  # after uploads and runs (priority 0)
        assert queued.args_kwargs["args"] == [run.pk]
        assert warm_run_cards_task.call(run.pk) == 2
