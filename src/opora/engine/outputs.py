"""The engine's outputs as tables of the declared schemas, and as the files ``opora analyze`` writes.

The rules hand back Python records (:class:`~opora.engine.identify.Flag`,
:class:`~opora.engine.pairing.Pair`) and three Arrow tables; here they become the six output
tables of :data:`opora.schemas.OUTPUTS` — exactly those columns, order and types — so the web
takes them in memory and the command line writes the very same tables to files. Flags are sorted
by school, the glossary's flag order and year; pair numbers are rounded to 0.001, as the CSV has
always shown them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from opora.csv_safety import safe_row
from opora.engine.identify import Flag
from opora.engine.pairing import Pair, Unpaired
from opora.engine.storage import Location, as_location, storage_errors
from opora.engine.threads import parallel_map
from opora.glossary import flag_rank
from opora.schemas import FLAGS, OUTPUTS, PAIRS, UNPAIRED, Table, conform


def output_tables(school_stats: pa.Table, flags: list[Flag], context: pa.Table,
                  objectivity: pa.Table, pairs: list[Pair], schools: pa.Table | None,
                  unpaired: list[Unpaired] | None = None,
                  year: int | None = None) -> dict[str, pa.Table]:
    """The six outputs by name (:data:`OUTPUTS`), each conformed to its declared schema."""
    names = _school_names(schools)
    built = {"school_stats": school_stats, "flags": _flags_table(flags, names),
             "context": context, "objectivity": objectivity, "pairs": _pairs_table(pairs, names),
             "unpaired": _unpaired_table(unpaired or [], names, year)}
    return {name: conform(built[name], spec) for name, spec in OUTPUTS.items()}


def _unpaired_table(rows: list[Unpaired], names: dict[str, tuple[str | None, str | None]],
                    year: int | None) -> pa.Table:
    ordered = sorted(rows, key=lambda u: u.school)
    return _from_rows(UNPAIRED, [
        (u.school, *names.get(u.school, (None, None)), year, u.reason_code, u.reason, u.leaders,
         u.leaders_near, u.leaders_similar, _round(u.nearest_km),
         _round(u.nearest_context_distance))
        for u in ordered])


def _flags_table(flags: list[Flag], names: dict[str, tuple[str | None, str | None]]) -> pa.Table:
    ordered = sorted(flags, key=lambda f: (f.school_key, flag_rank(f.flag), f.year))
    return _from_rows(FLAGS, [
        (f.school_key, *names.get(f.school_key, (None, None)), f.flag, f.year, f.evidence)
        for f in ordered])


def _pairs_table(pairs: list[Pair], names: dict[str, tuple[str | None, str | None]]) -> pa.Table:
    return _from_rows(PAIRS, [
        (p.low_school, names.get(p.low_school, (None, None))[0], p.leader_school,
         names.get(p.leader_school, (None, None))[0], ", ".join(p.weak_subjects),
         _round(p.context_distance), _round(p.leader_strength_pct), _round(p.distance_km),
         p.reason)
        for p in pairs])


def _from_rows(spec: Table, rows: list[tuple[Any, ...]]) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in spec.columns]
    return pa.Table.from_arrays(
        [pa.array(list(values), type=c.type) for c, values in zip(spec.columns, columns,
                                                                   strict=True)],
        schema=spec.schema)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _school_names(schools: pa.Table | None) -> dict[str, tuple[str | None, str | None]]:
    """School key → (short or full name, municipality); unknown parts are None."""
    if schools is None or schools.num_rows == 0:
        return {}
    rows = schools.select(["school_key", "short_name", "full_name", "municipality"]).to_pylist()
    return {str(r["school_key"]): (r["short_name"] or r["full_name"] or None,
                                   r["municipality"] or None) for r in rows}


def write_outputs(outputs: dict[str, pa.Table], out_dir: Path | Location | str,
                  written: Collection[str] = ()) -> None:
    """Each output as its file (:attr:`Table.filename`): Parquet, or CSV in UTF-8 with a BOM.

    ``out_dir`` is a local directory or a location on S3 / HDFS (:mod:`opora.engine.storage`):
    the files are written through its file system. CSV cells Excel would run as formulas are
    neutralised (:mod:`opora.csv_safety`); numbers in CSV are written with three decimals, empty
    values as empty cells. ``written``: outputs already written by :func:`write_output` (``opora
    analyze`` writes ``school_stats`` while the rules run), left as they are.
    """
    target = as_location(out_dir)
    with storage_errors(target, "записать результаты в"):
        target.fs.create_dir(target.path, recursive=True)
        # the files at once: Parquet is encoded by Arrow while the CSV rows are formatted in
        # Python (issue 18); the largest first
        parallel_map(lambda name: write_output(name, outputs[name], target),
                     sorted((name for name in OUTPUTS if name not in written),
                            key=lambda name: -outputs[name].nbytes))


def write_output(name: str, table: pa.Table, target: Location, suffix: str = "") -> None:
    """One output (:data:`OUTPUTS`) as its file in ``target``, which exists (``suffix`` after
    its name: a file moved into place later); ``table`` is conformed to the output's schema."""
    spec = OUTPUTS[name]
    table = conform(table, spec)
    path = target.child(spec.filename + suffix)
    if spec.filename.endswith(".parquet"):
        pq.write_table(table, path, filesystem=target.fs)
        return
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(spec.column_names)
    for row in table.to_pylist():
        writer.writerow(safe_row([_csv_cell(v) for v in row.values()]))
    with target.fs.open_output_stream(path) as fh:
        fh.write(text.getvalue().encode("utf-8-sig"))


def _csv_cell(value: Any) -> Any:
    return f"{value:.3f}" if isinstance(value, float) else value
