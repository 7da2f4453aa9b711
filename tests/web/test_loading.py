"""Loading a whole normalised data set into the database and exporting it back."""

from __future__ import annotations

import pyarrow as pa
import pytest
from web_data import NORTH, dataset, with_row_changed

from opora.schemas import TABLES
from opora.web.analysis.export import export_tables
from opora.web.assessment.models import (
    AssessmentScale,
    ObjectivityMarker,
    ReferenceValue,
    SchoolAggregate,
    StudentResult,
    Task,
)
from opora.web.context.models import ContextPassport
from opora.web.imports.models import ImportBatch
from opora.web.imports.services import load_tables
from opora.web.schools.models import Municipality, Region, School

pytestmark = pytest.mark.django_db

MODELS = {"schools": School, "scales": AssessmentScale, "tasks": Task, "results": StudentResult,
          "aggregates": SchoolAggregate, "context": ContextPassport,
          "markers": ObjectivityMarker, "reference": ReferenceValue}


def _counts() -> dict[str, int]:
    return {name: model.objects.count() for name, model in MODELS.items()}


def _sorted(table: pa.Table, name: str) -> pa.Table:
    return table.sort_by([(k, "ascending") for k in TABLES[name].key])


def test_row_counts_in_the_database_equal_the_rows_of_the_data_set() -> None:
    outcome = load_tables(tables=dataset())
    assert outcome.ok, outcome.summary()
    # counted by hand in web_data's docstring
    assert _counts() == {"schools": 3, "scales": 1, "tasks": 3, "results": 5, "aggregates": 3,
                         "context": 3, "markers": 1, "reference": 2}
    assert Region.objects.count() == 1
    assert Municipality.objects.count() == 2


def test_export_gives_back_the_tables_that_were_loaded() -> None:
    tables = dataset()
    load_tables(tables=tables)
    exported = export_tables(schools_qs=School.objects.all())
    for name, table in tables.items():
        got, expected = _sorted(exported[name], name), _sorted(table, name)
        differing = [c for c in expected.column_names
                     if got.column(c).to_pylist() != expected.column(c).to_pylist()]
        assert differing == [], name
        assert got.schema == expected.schema, name


def test_export_of_one_municipality_holds_only_its_schools() -> None:
    load_tables(tables=dataset())
    exported = export_tables(schools_qs=School.objects.filter(municipality__name=NORTH))
    assert sorted(exported["schools"].column("school_key").to_pylist()) == ["N1", "N2"]
    # N1 has 3 results and N2 has 2; S1's aggregate is left out
    assert exported["results"].num_rows == 5
    assert sorted(exported["aggregates"].column("school_key").to_pylist()) == ["N1", "N2"]


def test_loading_the_same_cells_again_replaces_them_instead_of_doubling() -> None:
    load_tables(tables=dataset())
    second = load_tables(tables=dataset())
    assert second.ok, second.summary()
    assert StudentResult.objects.count() == 5
    assert second.replaced["results"] == 5
    assert "Заменены прежние данные" in second.summary()


def test_a_data_set_with_one_bad_row_saves_nothing_and_keeps_a_failed_batch() -> None:
    bad = with_row_changed(dataset(), "results", 4, mark=7)
    outcome = load_tables(tables=bad)
    assert not outcome.ok
    assert all(count == 0 for count in _counts().values())
    [problem] = outcome.problems
    assert (problem.row, problem.column) == (5, "mark")
    assert "отметка должна быть от 2 до 5" in problem.message
    assert ImportBatch.objects.get().status == ImportBatch.FAILED


@pytest.fixture(scope="module")
def generated() -> dict[str, pa.Table]:
    """One year of the demo municipality from the generator (its own engineer tests its data)."""
    from opora.demo.generator import generate_tables

    return generate_tables(scale="municipality", years=1, seed=7)


def test_generated_data_load_with_every_row_counted_and_come_back_unchanged(
        generated: dict[str, pa.Table]) -> None:
    outcome = load_tables(tables=generated)
    assert outcome.ok, outcome.summary()
    assert _counts() == {name: generated[name].num_rows for name in MODELS}
    exported = export_tables(schools_qs=School.objects.all())
    for name in MODELS:
        got, expected = _sorted(exported[name], name), _sorted(generated[name], name)
        differing = [c for c in expected.column_names
                     if got.column(c).to_pylist() != expected.column(c).to_pylist()]
        assert differing == [], name


def test_loading_the_same_registry_again_adds_no_history_to_unchanged_schools() -> None:
    load_tables(tables=dataset())
    load_tables(tables=dataset())
    # three schools, each created once: one history row apiece
    assert School.history.count() == 3


def test_a_participant_code_too_long_for_its_column_is_refused_with_the_place() -> None:
    outcome = load_tables(tables=with_row_changed(dataset(), "results", 1,
                                                  participant_code="1" * 65))
    assert not outcome.ok
    [problem] = outcome.problems
    assert (problem.row, problem.column, problem.code) == (2, "participant_code", "too_long")
    assert StudentResult.objects.count() == 0
