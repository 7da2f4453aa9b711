"""Schools without a pair, and why (issue 12): the engine's ``unpaired`` rows stored with the run
and shown on the school card and the run page. The rows are made by hand, so every shown value is
the value given."""

from __future__ import annotations

import pyarrow as pa
import pytest
from django.test import Client
from web_data import dataset

from opora.schemas import OUTPUTS, conform
from opora.web.analysis.models import DONE, AnalysisRun, RunUnpaired
from opora.web.analysis.selectors import analysis_of_run
from opora.web.analysis.unpaired import load_unpaired, unpaired_of_run
from opora.web.imports.services import load_tables
from opora.web.schools.models import Municipality, School

pytestmark = pytest.mark.django_db

ROWS = [
    {"school_key": "N2", "year": 2024, "reason_code": "too_far",
     "reason": "школ-лидеров 1, но ни одна не ближе 30 км (ближайшая — в 55,6 км)",
     "leaders": 1, "leaders_near": 0, "nearest_km": 55.6123},
    {"school_key": "S1", "year": 2024, "reason_code": "not_low",
     "reason": "в списке 2024 года как ШНСУ, не как ШНОР", "leaders": 0},
    {"school_key": "НЕТ-В-РЕЕСТРЕ", "year": 2024, "reason_code": "no_leaders",
     "reason": "в муниципалитете нет школ-лидеров", "leaders": 0},
]


def _run() -> AnalysisRun:
    load_tables(tables=dataset())
    municipality = Municipality.objects.get(name="Северный")
    return AnalysisRun.objects.create(scope="municipality", region=municipality.region,
                                      municipality=municipality, status=DONE)


def _table() -> pa.Table:
    return conform(pa.Table.from_pylist(ROWS), OUTPUTS["unpaired"])


def test_unpaired_rows_are_stored_as_given_and_an_unknown_school_is_skipped() -> None:
    run = _run()
    assert load_unpaired(run, _table()) == 2  # the third school is not in the registry
    stored = RunUnpaired.objects.select_related("school").get(run=run, school__key="N2")
    assert (stored.year, stored.reason_code, stored.leaders, stored.leaders_near,
            stored.leaders_similar) == (2024, "too_far", 1, 0, None)
    assert stored.nearest_km == pytest.approx(55.6123)  # stored as given (the engine rounds)
    assert stored.reason == ROWS[0]["reason"]
    # loading again replaces, never doubles
    assert load_unpaired(run, _table()) == 2
    assert RunUnpaired.objects.filter(run=run).count() == 2


def test_the_card_data_says_why_there_is_no_pair() -> None:
    run = _run()
    load_unpaired(run, _table())
    found = analysis_of_run(school=School.objects.get(key="N2"), run=run)
    assert found["pairs_as_low"] == []
    assert found["unpaired"]["heading"] == "лидеры слишком далеко"
    assert found["unpaired"]["reason"] == ROWS[0]["reason"]
    assert analysis_of_run(school=School.objects.get(key="N1"), run=run)["unpaired"] is None


def test_the_run_lists_only_its_low_results_schools_without_a_pair() -> None:
    # S1 is on the list as ШНСУ only («not_low»): pairs are not made for it, nothing to explain
    run = _run()
    load_unpaired(run, _table())
    assert [(u["school"], u["reason_code"]) for u in unpaired_of_run(run)] == [
        (School.objects.get(key="N2").short_name, "too_far")]
    assert unpaired_of_run(run, School.objects.filter(key="S1")) == []


def test_a_run_without_the_table_stores_nothing() -> None:
    run = _run()
    assert load_unpaired(run, None) == 0
    assert load_unpaired(run, OUTPUTS["unpaired"].empty()) == 0


def test_the_run_page_shows_the_reason(client: Client) -> None:
    from django.contrib.auth import get_user_model

    run = _run()
    load_unpaired(run, _table())
    client.force_login(get_user_model().objects.create_superuser("admin", "a@example.org", "x"))
    page = client.get(f"/analysis/runs/{run.pk}/").content.decode()
    assert "ШНОР без предложенной пары" in page
    assert "Лидеры слишком далеко</strong>: школ-лидеров 1, но ни одна не ближе 30 км" in page


def test_the_school_card_says_why_there_is_no_pair(client: Client) -> None:
    from django.contrib.auth import get_user_model

    run = _run()
    load_unpaired(run, _table())
    client.force_login(get_user_model().objects.create_superuser("admin", "a@example.org", "x"))
    school = School.objects.get(key="N2")
    page = client.get(f"/schools/{school.pk}/", {"run": run.pk}).content.decode()
    assert "Пары нет: лидеры слишком далеко.</strong> Школ-лидеров 1, но ни одна не ближе 30 км" \
        in page


def test_the_run_page_counts_each_low_results_school_once_as_the_overview_does(
        client: Client) -> None:
    # N2 by both rules (one school), S1 by the share of «2» alone, N1 persistently low but in
    # 2023, not the last year 2024: ШНОР of 2024 = {N2, S1} = 2
    from django.contrib.auth import get_user_model

    from opora.web.analysis.models import RunFlag

    run = _run()
    run.run_json = {"years_analysed": [2023, 2024],
                    "school_counts": {"low_results": 1, "failing_share": 2}}
    run.save()
    for key, flag, year in (("N2", "low_results", 2024), ("N2", "failing_share", 2024),
                            ("S1", "failing_share", 2024), ("N1", "persistently_low", 2023)):
        RunFlag.objects.create(run=run, school=School.objects.get(key=key), flag=flag,
                               year=year, evidence="—")
    client.force_login(get_user_model().objects.create_superuser("admin", "a@example.org", "x"))
    page = client.get(f"/analysis/runs/{run.pk}/").content.decode()
    assert "Школ по отметкам в 2024 году" in page
    assert '<strong class="low-schools">2</strong>' in page
