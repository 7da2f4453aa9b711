"""Importing files: all or nothing, idempotent, schools matched or reported, never invented."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from web_data import NORTH, dataset, with_row_changed, without, write_dataset

from opora.formats import ReadHints
from opora.web.assessment.models import (
    AssessmentScale,
    ReferenceValue,
    SchoolAggregate,
    StudentResult,
    Task,
)
from opora.web.context.models import ContextPassport
from opora.web.imports.models import ImportBatch
from opora.web.imports.services import import_file, load_tables
from opora.web.schools.models import Municipality, School
from opora.web.schools.services import school_alias_confirm

pytestmark = pytest.mark.django_db

DATA_MODELS = (School, AssessmentScale, Task, StudentResult, SchoolAggregate, ContextPassport)


def _counts() -> list[int]:
    return [model.objects.count() for model in DATA_MODELS]


@pytest.fixture
def registry() -> None:
    """The three schools of web_data (N1, N2 in «Северный», S1 in «Южный») with their data."""
    assert load_tables(tables=dataset()).ok


def _aggregates_file(tmp_path: Path, **changes: object) -> Path:
    """A data set with only the aggregates table, its first row changed."""
    tables = with_row_changed(without(dataset(), "schools", "scales", "tasks", "results",
                                      "context", "markers", "reference"),
                              "aggregates", 0, **changes)
    return write_dataset(tables, tmp_path / "aggregates_set")


def test_a_file_with_one_bad_row_leaves_every_table_unchanged(registry: None,
                                                              tmp_path: Path) -> None:
    before = _counts()
    # a good new year of aggregates for all three schools, but one context share of 120 %
    tables = without(dataset(), "schools", "scales", "tasks", "results", "markers", "reference")
    tables = with_row_changed(tables, "context", 2, share_ovz=120.0)
    outcome = import_file(path=write_dataset(tables, tmp_path / "bad"))
    assert outcome.status == "failed"
    assert _counts() == before
    [problem] = outcome.problems
    assert (problem.row, problem.column) == (3, "share_ovz")
    assert "процентах от 0 до 100" in problem.message
    assert "ничего не сохранено" in outcome.summary()
    assert ImportBatch.objects.filter(status=ImportBatch.FAILED).count() == 1


def test_reimporting_the_same_file_changes_nothing_and_says_when_and_by_whom(
        registry: None, tmp_path: Path) -> None:
    user = get_user_model().objects.create_user("ivanova", password="x" * 12)
    path = _aggregates_file(tmp_path, mean_score=70.0)
    first = import_file(path=path, user=user)
    assert first.ok, first.summary()
    before, batches = _counts(), ImportBatch.objects.count()
    second = import_file(path=path)
    assert second.status == "duplicate"
    assert _counts() == before
    assert ImportBatch.objects.count() == batches
    text = second.summary()
    assert "уже загружен" in text and "ivanova" in text and "ничего не изменено" in text
    assert first.batch.imported_at.astimezone().strftime("%Y") in text


def test_a_corrected_file_replaces_the_cells_it_covers(registry: None, tmp_path: Path) -> None:
    outcome = import_file(path=_aggregates_file(tmp_path, mean_score=70.0))
    assert outcome.ok
    # web_data: N1's ЕГЭ mean was 68.5; the file says 70.0, and there is still one row for N1
    [row] = SchoolAggregate.objects.filter(school__key="N1")
    assert row.mean_score == 70.0
    assert outcome.replaced == {"aggregates": 3}  # the file covers the three schools' cells


def test_schools_missing_from_the_registry_are_reported_not_created(registry: None,
                                                                    tmp_path: Path) -> None:
    before = _counts()
    path = _aggregates_file(tmp_path, school_key="new9", school_name="СОШ № 9")
    outcome = import_file(path=path)
    assert outcome.status == "failed"
    assert _counts() == before
    assert outcome.missing_schools == ["«СОШ № 9» (Северный)"]
    assert "не найдена в реестре" in outcome.summary()


def test_missing_schools_are_created_when_the_coordinator_confirms(registry: None,
                                                                   tmp_path: Path) -> None:
    path = _aggregates_file(tmp_path, school_key="new9", school_name="СОШ № 9")
    north = Municipality.objects.get(name=NORTH)
    outcome = import_file(path=path, municipality=north, create_missing_schools=True)
    assert outcome.ok, outcome.summary()
    school = School.objects.get(key="new9")
    assert (school.short_name, school.municipality) == ("СОШ № 9", north)
    assert SchoolAggregate.objects.filter(school=school).count() == 1
    assert "Созданы новые школы: «СОШ № 9»" in outcome.summary()


def _one_aggregate_file(tmp_path: Path, **changes: object) -> Path:
    """Only N1's aggregate row (mean 68.5), with some values changed."""
    tables = {"aggregates": with_row_changed(dataset(), "aggregates", 0, **changes)
              ["aggregates"].slice(0, 1)}
    return write_dataset(tables, tmp_path / "one_aggregate")


def test_a_school_spelled_another_way_is_matched_by_its_confirmed_alias(
        registry: None, tmp_path: Path) -> None:
    school_alias_confirm(school=School.objects.get(key="N2"), name="Школа номер два",
                         municipality_name=NORTH)
    path = _one_aggregate_file(tmp_path, school_key="x", school_name="ШКОЛА  номер два")
    outcome = import_file(path=path)
    assert outcome.ok, outcome.summary()
    # the row (mean 68.5) is named by N2's alias: it replaces N2's own 55.25
    assert SchoolAggregate.objects.get(school__key="N2").mean_score == 68.5


def test_one_school_named_twice_in_one_work_is_reported_not_saved(registry: None,
                                                                  tmp_path: Path) -> None:
    school_alias_confirm(school=School.objects.get(key="N2"), name="Школа номер два",
                         municipality_name=NORTH)
    # row 0 (N1's) renamed to N2's alias, while N2's own row stays in the file
    path = _aggregates_file(tmp_path, school_key="x", school_name="Школа номер два")
    outcome = import_file(path=path)
    assert outcome.status == "failed"
    assert outcome.problems[0].code == "same_school_twice"
    assert SchoolAggregate.objects.get(school__key="N2").mean_score == 55.25


def test_a_legal_form_and_quotes_around_the_name_do_not_stop_matching(registry: None,
                                                                      tmp_path: Path) -> None:
    path = _one_aggregate_file(tmp_path, school_key="x", school_name="МБОУ «СОШ №2»")
    outcome = import_file(path=path)
    assert outcome.ok, outcome.summary()
    assert outcome.batch.schools_matched == 1


def test_rows_of_other_municipalities_are_left_out_when_importing_for_one(
        registry: None, tmp_path: Path) -> None:
    tables = without(dataset(), "schools", "scales", "tasks", "results", "context", "markers",
                     "reference")
    path = write_dataset(tables, tmp_path / "region_wide")
    outcome = import_file(path=path, municipality=Municipality.objects.get(name=NORTH))
    assert outcome.ok, outcome.summary()
    # web_data's aggregates: N1 and N2 in «Северный», S1 in «Южный»
    assert outcome.written["aggregates"] == 2
    assert outcome.skipped_rows == 1


def test_the_real_vpr_form_loads_into_the_school_named_by_its_fis_oko_login(
        registry: None, realdata: Path) -> None:
    hints = ReadHints(school_key="edu990001", subject="rus", grade=4, year=2025, procedure="VPR")
    outcome = import_file(path=realdata / "vpr_protocol_form.xlsx", hints=hints)
    assert outcome.ok, outcome.summary()
    n1 = School.objects.get(key="N1")  # its ФИС ОКО login is edu990001 (web_data)
    # the form holds 20 participants, 2 of them absent (tests/formats/test_vpr_form.py)
    results = StudentResult.objects.filter(school=n1, procedure__code="VPR", year=2025)
    assert results.count() == 20
    assert results.filter(absent=True).count() == 2
    # no scale for 2025 was loaded: its maximum is the sum of the form's task maxima
    scale = AssessmentScale.objects.get(procedure__code="VPR", year=2025, grade=4)
    assert scale.max_primary_score == sum(t.max_score for t in scale.tasks.all())
    assert scale.boundary_3 is None


def test_an_unreadable_file_is_refused_with_a_russian_reason(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("это не таблица", encoding="utf-8")
    outcome = import_file(path=path)
    assert outcome.status == "failed"
    assert outcome.problems[0].code == "unreadable_file"
    assert StudentResult.objects.count() == 0


def test_the_import_command_prints_the_outcome_in_russian(registry: None, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    call_command("import", str(_aggregates_file(tmp_path, mean_score=71.0)))
    assert "загружен. Записано: результаты школ — 3" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        call_command("import", str(_aggregates_file(tmp_path / "2", school_key="zz",
                                                    school_name="Неизвестная школа")))
    assert "не найдена в реестре" in capsys.readouterr().err


def test_the_real_published_ege_table_loads_with_the_region_total_and_the_readers_remark(
        realdata: Path) -> None:
    path = realdata / "ege_by_school_region_sample.xlsx"
    refused = import_file(path=path)
    assert refused.status == "failed"  # an empty registry: every school is reported
    assert School.objects.count() == 0
    schools_only = import_file(path=path, create_missing_schools=True)
    assert "в реестре нет: регион «Еврейская автономная область»" in schools_only.summary()
    outcome = import_file(path=path, create_missing_schools=True, create_territories=True)
    assert outcome.ok, outcome.summary()
    # sheet «2023», row 10 (region total), Russian: 867 participants, mean 61.56
    # (typed from the file in tests/formats/test_ege_by_school.py)
    total = ReferenceValue.objects.get(level="region", year=2023, subject__code="rus")
    assert (total.participants, total.mean_score) == (867, 61.56)
    # one school's foreign-language mean is empty with 1 participant: a remark, not a rejection
    assert [w.code for w in outcome.warnings] == ["mean_missing"]
    assert "Замечания (строки приняты): 1" in outcome.summary()
