"""Writing validated normalised tables into the database, fast and in one transaction.

Called only from :mod:`opora.web.imports.services` inside ``transaction.atomic``: the caller has
validated the tables and resolved every ``school_key`` to a registry school (``school_ids``).
Rows are bulk-created in batches; the results (a region's three years: 2.1 M rows) are built
column-wise by DuckDB and sent with COPY on PostgreSQL (:func:`insert_table`), with no Python
object per row.

Re-loading a cell replaces it: the rows of the same school × procedure × year × grade × subject
(for context: school × year) already in the database are deleted first and counted as
«заменено», so a corrected file supersedes the earlier one instead of failing on duplicates.
"""

from __future__ import annotations

import atexit
import io
import json
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from django.db import connection, models

from opora.web.assessment.models import (
    AssessmentScale,
    ObjectivityMarker,
    ReferenceValue,
    SchoolAggregate,
    StudentResult,
    Task,
)
from opora.web.assessment.services import catalog_ensure
from opora.web.context.models import ContextPassport
from opora.web.imports.models import ImportBatch
from opora.web.lists.models import OfficialListEntry, RecheckResult
from opora.web.schools.models import Municipality, Region
from opora.web.schools.services import municipality_get_or_create, region_get_or_create

BATCH_SIZE = 2000
#: Results tables up to this many rows are built in Python and Arrow, bigger ones by DuckDB.
SMALL_RESULTS = 5_000
Cell = tuple[str, int, int, str]

_LOCAL = threading.local()
_TASK_FIELDS = ("scale_id", "task_no", "label", "max_score", "level")


def _task_rows(tasks: Iterable[Task]) -> set[tuple[Any, ...]]:
    return {tuple(getattr(t, f) for f in _TASK_FIELDS) for t in tasks}


@contextmanager
def bulk_session() -> Iterator[None]:
    """Many files loaded one after another in this thread (an upload job, the import command):
    the catalogue of procedures and subjects is made to match once, before the first file and
    committed on its own (no file's rollback can take its rows away), and its ids are used by
    every file instead of being read again for each."""
    _LOCAL.catalog = catalog_ensure()
    try:
        yield
    finally:
        _LOCAL.catalog = None

_SESSION_VIEWS = ("results", "school_ids", "procedure_ids", "subject_ids", "scale_ids")


@contextmanager
def _duckdb_session() -> Iterator[duckdb.DuckDBPyConnection]:
    """This thread's DuckDB connection, kept between imports: connecting costs about 40 ms —
    more than loading a whole ВПР form of 30 rows (bench/bench_import_forms.py) — so a batch of
    500 or 20 000 forms connects once. What one import registers or creates is dropped after it;
    after an error the connection is closed and the next import makes a new one."""
    duck = getattr(_LOCAL, "duck", None)
    if duck is None:
        duck = duckdb.connect()
        duck.execute("SET threads = 2")
        _LOCAL.duck = duck
        atexit.register(duck.close)  # closed explicitly: no nanobind noise at exit
    try:
        yield duck
    except BaseException:
        _LOCAL.duck = None
        duck.close()
        raise
    for view in _SESSION_VIEWS:
        duck.unregister(view)
    duck.execute("DROP TABLE IF EXISTS cells")


@dataclass
class WriteReport:
    written: dict[str, int] = field(default_factory=dict)
    replaced: dict[str, int] = field(default_factory=dict)
    #: the replaced rows as they were (table → rows), kept with the batch for the audit
    archived: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: earlier batch id (0: none recorded) → table → rows of it this import replaces
    replaced_from: dict[int, dict[str, int]] = field(default_factory=dict)

    def data_replaced(self) -> dict[str, int]:
        """Replaced rows of data people loaded (a work's task list is structure, not data)."""
        return {name: n for name, n in self.replaced.items() if name not in ("tasks", "scales")}

    def take(self, name: str, found: models.QuerySet[Any]) -> int:
        """Archive and count the rows of ``found`` (by the batch that loaded them), then delete
        them; returns how many rows of the table were deleted."""
        kept = list(found.values())
        if not kept:
            return 0
        self.archived.setdefault(name, []).extend(kept)
        for row in kept:
            per_batch = self.replaced_from.setdefault(int(row.get("batch_id") or 0), {})
            per_batch[name] = per_batch.get(name, 0) + 1
        found.delete()
        return len(kept)


def rows(table: pa.Table, *, shortest: bool = True) -> list[dict[str, Any]]:
    """Arrow rows as dicts; float32 values in their shortest form (12.3, not 12.300000190…).

    ``shortest=False`` keeps the exact float64 of each float32 (same value back on export) and
    is three times faster: used for results, whose scores are whole or half points anyway.
    """
    columns: dict[str, list[Any]] = {}
    for name in table.column_names:
        column = table.column(name)
        if pa.types.is_float32(column.type) and shortest:
            values = column.to_numpy(zero_copy_only=False)
            columns[name] = [None if np.isnan(v) else float(str(v)) for v in values]
        elif pa.types.is_list(column.type):
            columns[name] = column.cast(pa.list_(pa.float64())).to_pylist()
        else:
            columns[name] = column.to_pylist()
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def _text(value: object) -> str:
    return "" if value is None else str(value)


class TableWriter:
    """Writes one data set; holds the id maps every table needs."""

    def __init__(self, *, school_ids: dict[str, int], batch: ImportBatch,
                 region: Region | None) -> None:
        self.school_ids, self.batch, self.region = school_ids, batch, region
        catalog: tuple[dict[str, int], dict[str, int]] = (getattr(_LOCAL, "catalog", None)
                                                          or catalog_ensure())
        self.procedures, self.subjects = catalog
        self.report = WriteReport()
        self._scales: dict[tuple[int, int, int, int], int] | None = None
        #: regions by name and municipalities by (region, name) met in this import
        self._territories: dict[object, Region | Municipality] = {}

    def write(self, tables: dict[str, pa.Table]) -> WriteReport:
        order = ("scales", "tasks", "results", "aggregates", "context", "markers",
                 "official_lists", "rechecks", "reference")
        for name in order:
            if name in tables and tables[name].num_rows:
                if name == "results":  # the one big table: column-wise, no row in Python
                    self._write_results(tables[name])
                else:
                    getattr(self, f"_write_{name}")(rows(tables[name]))
        return self.report

    def _cell(self, row: dict[str, Any]) -> dict[str, Any]:
        return {"procedure_id": self.procedures[row["procedure"]], "year": row["year"],
                "grade": row["grade"], "subject_id": self.subjects[row["subject"]]}

    def _save(self, name: str, model: type[models.Model],
              objects: Sequence[models.Model]) -> None:
        model._default_manager.bulk_create(objects, batch_size=BATCH_SIZE)
        self.report.written[name] = self.report.written.get(name, 0) + len(objects)

    def _replace(self, name: str, model: type[models.Model],
                 groups: dict[tuple[Any, ...], set[int]], fields: tuple[str, ...]) -> None:
        """Delete existing rows of the same cells: ``groups`` maps cell values → school ids."""
        deleted = 0
        for values, school_ids in groups.items():
            filters = dict(zip(fields, values, strict=True))
            deleted += self.report.take(name, model._default_manager.filter(
                school_id__in=school_ids, **filters))
        if deleted:
            self.report.replaced[name] = deleted

    def _cell_groups(self, data: Iterable[dict[str, Any]]) -> dict[tuple[Any, ...], set[int]]:
        groups: dict[tuple[Any, ...], set[int]] = defaultdict(set)
        for row in data:
            cell = self._cell(row)
            key = (cell["procedure_id"], row["year"], row["grade"], cell["subject_id"])
            groups[key].add(self.school_ids[row["school_key"]])
        return groups

    _CELL_FIELDS = ("procedure_id", "year", "grade", "subject_id")

    def _write_scales(self, data: list[dict[str, Any]]) -> None:
        values = ("max_primary_score", "boundary_3", "boundary_4", "boundary_5", "min_threshold")
        for row in data:
            fields = {v: row[v] for v in values}
            fields["threshold_scale"] = _text(row["threshold_scale"])
            AssessmentScale.objects.update_or_create(**self._cell(row), defaults=fields)
        self.report.written["scales"] = len(data)

    def _scale_ids(self) -> dict[tuple[int, int, int, int], int]:
        """Every scale's id by its cell; read once per import (scales are written first, and
        :meth:`_write_tasks` adds the ones it creates)."""
        if self._scales is None:
            self._scales = {(s.procedure_id, s.year, s.grade, s.subject_id): s.pk
                            for s in AssessmentScale.objects.all()}
        return self._scales

    def _write_tasks(self, data: list[dict[str, Any]]) -> None:
        """Tasks replace the earlier tasks of their work. A work with no scale yet (a ВПР form
        carries task maxima but no mark boundaries) gets one whose maximum primary score is
        the sum of its tasks' maxima — the definition of the maximum, not a guess; the
        boundaries stay empty until a scale is loaded."""
        by_cell: dict[tuple[int, int, int, int], list[dict[str, Any]]] = defaultdict(list)
        for row in data:
            cell = self._cell(row)
            by_cell[tuple(cell[f] for f in self._CELL_FIELDS)].append(row)
        scales = self._scale_ids()
        objects = []
        for key, tasks in by_cell.items():
            if key not in scales:
                scale = AssessmentScale.objects.create(
                    **dict(zip(self._CELL_FIELDS, key, strict=True)),
                    max_primary_score=sum(t["max_score"] for t in tasks))
                scales[key] = scale.pk
            objects += [Task(scale_id=scales[key], task_no=t["task_no"], label=t["task_label"],
                             max_score=t["max_score"], level=_text(t["level"])) for t in tasks]
        earlier = Task.objects.filter(scale_id__in=[scales[k] for k in by_cell])
        if _task_rows(objects) == set(earlier.values_list(*_TASK_FIELDS)):
            return  # the work's task list as it is already (every form of a work carries it)
        deleted = earlier.delete()[0]
        if deleted:
            self.report.replaced["tasks"] = deleted
        self._save("tasks", Task, objects)

    _RESULT_FIELDS = ("procedure_id", "year", "grade", "subject_id", "school_id", "scale_id",
                      "participant_code", "class_label", "sex", "variant", "absent",
                      "primary_score", "mark", "test_score", "term_mark", "task_scores", "source",
                      "batch_id")

    def _write_results(self, table: pa.Table) -> None:
        """Results are the one big table (2.1 M rows a region): the rows to insert are built
        column-wise (ids joined in, texts defaulted, scores as JSON) and sent with COPY on
        PostgreSQL — no model object per row (bench/bench_web_run.py). A small table (a ВПР
        form: ~30 rows) is built in Python and Arrow; a big one by DuckDB over the Arrow table
        — the same rows either way (tests/web/test_import_many.py)."""
        if table.num_rows <= SMALL_RESULTS:
            built = self._small_results(table)
        else:
            built = self._duckdb_results(table)
        if built.num_rows != table.num_rows:  # a key the caller did not resolve
            raise ValueError("results: a school or a cell was not resolved")
        insert_table(StudentResult, self._RESULT_FIELDS, built)
        self.report.written["results"] = built.num_rows

    def _duckdb_results(self, table: pa.Table) -> pa.Table:
        with _duckdb_session() as duck:
            self._result_maps(duck, table)
            groups: dict[tuple[Any, ...], set[int]] = {
                (p, y, g, s): set(ids) for p, y, g, s, ids in duck.execute(
                    "SELECT procedure_id, year, grade, subject_id, list(DISTINCT school_id) "
                    "FROM cells JOIN results USING (procedure, year, grade, subject) "
                    "JOIN school_ids USING (school_key) GROUP BY ALL").fetchall()}
            self._replace("results", StudentResult, groups, self._CELL_FIELDS)
            scales = self._scale_ids()
            duck.register("scale_ids", pa.table({
                "procedure_id": pa.array([k[0] for k in scales], pa.int64()),
                "year": pa.array([k[1] for k in scales], pa.int64()),
                "grade": pa.array([k[2] for k in scales], pa.int64()),
                "subject_id": pa.array([k[3] for k in scales], pa.int64()),
                "scale_id": pa.array(list(scales.values()), pa.int64())}))
            # a relation, not a DB-API cursor: its Arrow result is not copied once more
            built = duck.sql(_RESULTS_SQL, params=[self.batch.pk]).to_arrow_table()
        return built

    def _small_results(self, table: pa.Table) -> pa.Table:
        """The rows :data:`_RESULTS_SQL` builds, for a table small enough to go through Python
        lists (connecting DuckDB and registering its tables costs more than such a table)."""
        column = {n: table.column(n).to_pylist()
                  for n in ("school_key", "procedure", "year", "grade", "subject")}
        try:
            schools = [self.school_ids[k] for k in column["school_key"]]
            procedures = [self.procedures[p] for p in column["procedure"]]
            subjects = [self.subjects[s] for s in column["subject"]]
        except KeyError as exc:  # a key the caller did not resolve
            raise ValueError("results: a school or a cell was not resolved") from exc
        cells = list(zip(procedures, column["year"], column["grade"], subjects, strict=True))
        groups: dict[tuple[Any, ...], set[int]] = defaultdict(set)
        for cell, school in zip(cells, schools, strict=True):
            groups[cell].add(school)
        self._replace("results", StudentResult, groups, self._CELL_FIELDS)
        scales = self._scale_ids()
        scores = table.column("task_scores").cast(pa.list_(pa.float64())).to_pylist()

        def text(name: str) -> pa.ChunkedArray:
            return pc.fill_null(table.column(name).cast(pa.string()), "")

        return pa.table({
            "procedure_id": pa.array(procedures, pa.int64()), "year": table.column("year"),
            "grade": table.column("grade"), "subject_id": pa.array(subjects, pa.int64()),
            "school_id": pa.array(schools, pa.int64()),
            "scale_id": pa.array([scales.get(c) for c in cells], pa.int64()),
            "participant_code": table.column("participant_code"),
            "class_label": text("class_label"), "sex": text("sex"),
            "variant": table.column("variant"),
            "absent": pc.fill_null(table.column("absent"), False),
            "primary_score": table.column("primary_score").cast(pa.float64()),
            "mark": table.column("mark"),
            "test_score": table.column("test_score").cast(pa.float64()),
            "term_mark": table.column("term_mark"),
            "task_scores": pa.array([None if v is None else json.dumps(v, separators=(",", ":"))
                                     for v in scores], pa.string()),
            "source": pc.utf8_slice_codeunits(text("source"), 0, 300),
            "batch_id": pa.array([self.batch.pk] * table.num_rows, pa.int64())})

    def _result_maps(self, duck: duckdb.DuckDBPyConnection, table: pa.Table) -> None:
        """The results and the id maps they are joined with, registered in ``duck``."""
        duck.register("results", table)
        duck.register("school_ids", pa.table({"school_key": list(self.school_ids),
                                              "school_id": list(self.school_ids.values())}))
        duck.register("procedure_ids", pa.table({"procedure": list(self.procedures),
                                                 "procedure_id": list(self.procedures.values())}))
        duck.register("subject_ids", pa.table({"subject": list(self.subjects),
                                               "subject_id": list(self.subjects.values())}))
        duck.execute("CREATE TEMP TABLE cells AS SELECT DISTINCT procedure, year, grade, subject, "
                     "procedure_id, subject_id FROM (SELECT DISTINCT procedure, year, grade, "
                     "subject FROM results) JOIN procedure_ids USING (procedure) "
                     "JOIN subject_ids USING (subject)")

    _AGGREGATE_COUNTS = ("participants", "mark_2", "mark_3", "mark_4", "mark_5",
                         "below_threshold", "high_scorers", "top_scorers", "mean_score")

    def _write_aggregates(self, data: list[dict[str, Any]]) -> None:
        self._replace("aggregates", SchoolAggregate, self._cell_groups(data), self._CELL_FIELDS)
        objects = [SchoolAggregate(
            **self._cell(row), school_id=self.school_ids[row["school_key"]],
            school_name=_text(row["school_name"]), municipality_name=_text(row["municipality"]),
            **{f: row[f] for f in self._AGGREGATE_COUNTS}, score_scale=_text(row["score_scale"]),
            source=_text(row["source"])[:300], batch=self.batch) for row in data]
        self._save("aggregates", SchoolAggregate, objects)

    def _write_context(self, data: list[dict[str, Any]]) -> None:
        groups: dict[tuple[Any, ...], set[int]] = defaultdict(set)
        for row in data:
            groups[(row["year"],)].add(self.school_ids[row["school_key"]])
        self._replace("context", ContextPassport, groups, ("year",))
        names = [f.name for f in ContextPassport._meta.concrete_fields
                 if f.name not in ("id", "school", "year", "source", "batch")]
        objects = [ContextPassport(school_id=self.school_ids[row["school_key"]], year=row["year"],
                                   **{n: row[n] for n in names}, source=_text(row["source"])[:300],
                                   batch=self.batch) for row in data]
        from simple_history.utils import bulk_create_with_history

        bulk_create_with_history(objects, ContextPassport, batch_size=BATCH_SIZE,
                                 default_user=self.batch.imported_by,
                                 default_change_reason=(
                                     f"загрузка файла «{self.batch.original_name}»"[:100]))
        self.report.written["context"] = len(objects)

    def _write_markers(self, data: list[dict[str, Any]]) -> None:
        groups: dict[tuple[Any, ...], set[int]] = defaultdict(set)
        for row in data:
            key = (row["year"], row["grade"], self.subjects[row["subject"]])
            groups[key].add(self.school_ids[row["school_key"]])
        self._replace("markers", ObjectivityMarker, groups, ("year", "grade", "subject_id"))
        objects = [ObjectivityMarker(
            school_id=self.school_ids[row["school_key"]], year=row["year"], grade=row["grade"],
            subject_id=self.subjects[row["subject"]], marker=row["marker"],
            school_name=_text(row["school_name"]), source=_text(row["source"])[:300],
            batch=self.batch) for row in data]
        self._save("markers", ObjectivityMarker, objects)

    def _write_official_lists(self, data: list[dict[str, Any]]) -> None:
        """A list of a year and kind replaces that list's earlier entries of the same schools
        (a corrected list supersedes the first upload)."""
        groups: dict[tuple[Any, ...], set[int]] = defaultdict(set)
        for row in data:
            groups[(row["year"], row["list_kind"])].add(self.school_ids[row["school_key"]])
        self._replace("official_lists", OfficialListEntry, groups, ("year", "list_kind"))
        objects = [OfficialListEntry(
            school_id=self.school_ids[row["school_key"]], year=row["year"],
            list_kind=row["list_kind"], school_name=_text(row["school_name"])[:500],
            fis_oko_login=_text(row["fis_oko_login"])[:32],
            municipality_name=_text(row["municipality"])[:200],
            source=_text(row["source"])[:300], batch=self.batch) for row in data]
        self._save("official_lists", OfficialListEntry, objects)

    def _write_rechecks(self, data: list[dict[str, Any]]) -> None:
        self._replace("rechecks", RecheckResult, self._cell_groups(data), self._CELL_FIELDS)
        objects = [RecheckResult(
            **self._cell(row), school_id=self.school_ids[row["school_key"]],
            works_rechecked=row["works_rechecked"], works_changed=row["works_changed"],
            mean_change=row["mean_change"], school_name=_text(row["school_name"])[:500],
            source=_text(row["source"])[:300], batch=self.batch) for row in data]
        self._save("rechecks", RecheckResult, objects)

    def _write_reference(self, data: list[dict[str, Any]]) -> None:
        objects, deleted = [], 0
        values = ("participants", "below_threshold", "high_scorers", "top_scorers", "mark_2",
                  "mean_score")
        for row in data:
            region = self._region(row["region"])
            municipality = (self._municipality(region, row["municipality"])
                            if row["level"] == "municipality" else None)
            cell = self._cell(row)
            deleted += self.report.take("reference", ReferenceValue.objects.filter(
                level=row["level"], region=region, municipality=municipality, **cell))
            objects.append(ReferenceValue(
                level=row["level"], region=region, municipality=municipality, **cell,
                **{v: row[v] for v in values}, score_scale=_text(row["score_scale"]),
                source=_text(row["source"])[:300], batch=self.batch))
        if deleted:
            self.report.replaced["reference"] = deleted
        self._save("reference", ReferenceValue, objects)

    def _municipality(self, region: Region, name: str) -> Municipality:
        """The municipality of ``region`` named ``name`` (created if new), once per import."""
        key = (region.pk, name)
        if key not in self._territories:
            self._territories[key] = municipality_get_or_create(region=region, name=name)
        found = self._territories[key]
        assert isinstance(found, Municipality)
        return found

    def _region(self, name: str | None) -> Region:
        if name:
            if name not in self._territories:
                self._territories[name] = region_get_or_create(name=name)
            found = self._territories[name]
            assert isinstance(found, Region)
            return found
        if self.region is None:
            raise MissingRegionError()
        return self.region


def _column(field: models.Field[Any, Any] | models.ForeignObjectRel) -> str:
    assert isinstance(field, models.Field) and field.column is not None  # a concrete column
    return field.column


def insert_rows(model: type[models.Model], fields: tuple[str, ...], values: list[tuple[Any, ...]]
                ) -> None:
    """INSERT many rows of ``model`` (``fields`` are attribute names; JSON values as text).

    PostgreSQL gets ``COPY … FROM STDIN`` (``executemany`` there took 25 s for 117 000 rows,
    COPY about 2 s); SQLite gets ``executemany`` in batches.
    """
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(meta.get_field(f.removesuffix("_id")))) for f in fields)
    if connection.vendor == "postgresql":
        with connection.cursor() as wrapper, wrapper.cursor.copy(
                f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        return
    sql = (f"INSERT INTO {quote(meta.db_table)} ({columns}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    with connection.cursor() as cursor:
        for start in range(0, len(values), BATCH_SIZE):
            cursor.executemany(sql, values[start:start + BATCH_SIZE])


#: The rows of ``StudentResult`` from the results table (columns: ``_RESULT_FIELDS``'s order).
_RESULTS_SQL = """
SELECT c.procedure_id, r.year, r.grade, c.subject_id, s.school_id, sc.scale_id,
       r.participant_code, coalesce(r.class_label, '') AS class_label,
       coalesce(r.sex, '') AS sex, r.variant, coalesce(r.absent, false) AS absent,
       CAST(r.primary_score AS DOUBLE) AS primary_score, r.mark,
       CAST(r.test_score AS DOUBLE) AS test_score, r.term_mark,
       CAST(to_json(CAST(r.task_scores AS DOUBLE[])) AS VARCHAR) AS task_scores,
       left(coalesce(r.source, ''), 300) AS source, CAST(? AS BIGINT) AS batch_id
FROM results r
JOIN school_ids s USING (school_key)
JOIN cells c USING (procedure, year, grade, subject)
LEFT JOIN scale_ids sc ON sc.procedure_id = c.procedure_id AND sc.year = r.year
     AND sc.grade = r.grade AND sc.subject_id = c.subject_id
"""

#: Rows per COPY chunk (CSV of ~15 MB) when an Arrow table is sent to PostgreSQL.
COPY_ROWS = 200_000


def insert_table(model: type[models.Model], fields: tuple[str, ...], table: pa.Table) -> None:
    """INSERT the rows of an Arrow ``table`` whose columns are ``fields`` in order (JSON values
    as text): PostgreSQL gets CSV written by Arrow through ``COPY … FROM STDIN`` (quoted empty
    text stays empty, an empty field is null), SQLite gets ``executemany`` in batches."""
    if connection.vendor != "postgresql":
        columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
        insert_rows(model, fields, list(zip(*columns, strict=True)))
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(_column(model._meta.get_field(f.removesuffix("_id"))))
                      for f in fields)
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    with connection.cursor() as wrapper, wrapper.cursor.copy(
            f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
        for batch in table.to_batches(max_chunksize=COPY_ROWS):
            buffer = io.BytesIO()
            pacsv.write_csv(batch, buffer, options)
            copy.write(buffer.getbuffer())


class MissingRegionError(Exception):
    def __init__(self) -> None:
        super().__init__("у эталонного значения не указан регион, и регион загрузки не задан")
