"""Mutation score of the rules: how many small deliberate bugs the fast tests catch, per module.

    nice -n 19 .venv/bin/python bench/bench_mutation.py [--modules identify gaps …] [--jobs 1]

Issue 19: a reviewer planted small bugs in the rules one at a time (a flipped comparison, a dropped
condition, a changed constant) and half of them in identification and objectivity passed every
test. This bench does the same systematically with mutmut (installed into the running venv on
first use; not a project dependency) over the rule modules and the normalised reader's range
checks, running only the fast rule tests (``TESTS``), and writes ``bench/out/mutation.md``:
killed / total per module, every surviving mutant with its diff, and the ones judged equivalent
(``EQUIVALENT``: a change no input can observe) with the reason.

Lines with Russian text (evidence, notes, messages) are not mutated: their wording is pinned by
the evidence tests where a coordinator relies on a phrase, and thousands of «XX…XX» string mutants
would say nothing about the rules. Everything else is: the comparisons, constants, conditions,
formulas and the choice of rows and columns.

mutmut works in a copy of the tree (``--work``, default a temporary directory), never in the
shared checkout. CPU-heavy: run it under ``nice``, never in every CI run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out" / "mutation.md"

MODULES = {
    "identify": "src/opora/engine/identify.py",
    "gaps": "src/opora/engine/gaps.py",
    "objectivity": "src/opora/engine/objectivity.py",
    "regional": "src/opora/engine/regional.py",
    "dynamics": "src/opora/engine/dynamics.py",
    "table_checks": "src/opora/formats/table_checks.py",
    "normalised": "src/opora/formats/normalised.py",
}

# The fast tests that pin the rules (no database, no Spark, no generated region).
TESTS = [
    "tests/engine/test_boundaries_identification.py",
    "tests/engine/test_boundaries_threshold_rule.py",
    "tests/engine/test_boundaries_risk_zone.py",
    "tests/engine/test_boundaries_objectivity.py",
    "tests/engine/test_boundaries_regional.py",
    "tests/engine/test_boundaries_dynamics.py",
    "tests/engine/test_boundaries_context.py",
    "tests/engine/test_rules_identify.py",
    "tests/engine/test_rules_objectivity.py",
    "tests/engine/test_rules_signs_standalone.py",
    "tests/engine/test_boundaries_fast_paths.py",
    "tests/engine/test_rules_regions.py",
    "tests/engine/test_rules_evidence.py",
    "tests/engine/test_rules_context_pairing.py",
    "tests/formats/test_boundaries_normalised.py",
    "tests/formats/test_normalised.py",
]

# Surviving mutants no input can tell from the original, as rules matched on the diff (not on
# mutmut's numbering, which shifts whenever a module changes): (module or "*", function or "*",
# text of a removed line, text of the added line) → why. Each was read and argued; a new survivor
# that fits none is listed in the report as not killed.
TIE = ("the statistic equals its threshold only at a floating-point tie (z, r, p, a bound of an "
       "interval): no data set reaches it; both sides of the line are pinned by boundary tests")
IMPORT_TIME = ("not equivalent but out of mutmut's reach: called only while the module is "
               "imported, before the tests' process is forked; the bounds it is given are "
               "mutated by hand (section «Константы проверок читателя»)")
EQUIVALENT_RULES: list[tuple[str, str, str, str, str]] = [
    ("*", "*", "np.errstate(", "np.errstate(", "only which NumPy warnings are silenced"),
    ("*", "*", "strict=True", "!strict=True",
     "the zipped arrays come from the same rows: equal lengths"),
    ("*", "*", "1e-9", "1.000000001", "a floor under a sum of participants, which is ≥ 1 "
     "wherever the quotient is used: at exactly 1 the result moves by 1e-9 of itself"),
    ("*", "*", "zero_copy_only=False", "zero_copy_only=None",
     "None is falsy: the same as False"),
    ("*", "*", "dtype=np.int64", "dtype=None", "NumPy infers int64 for these integer arrays"),
    ("*", "*", "dtype=np.int64", "np.zeros(0, )", "NumPy infers float64 for an empty array "
     "used only for its length"),
    ("*", "*", "dtype=float", "dtype=None", "NumPy infers float64 for these float arrays"),
    ("*", "*", "dtype=float", "asarray(flat, )", "NumPy infers float64 for these float arrays"),
    ("objectivity", "_flat", "pa.array(rows, pa.int64())", "pa.array(rows, ",
     "Arrow infers int64 for the row numbers"),
    ("objectivity", "_flat", "zero_copy_only=False", "zero_copy_only=True",
     "the flattened values are filled (no nulls) and offsets are never null: zero-copy works"),
    ("objectivity", "*", "np.nan", "None", "NaN and None both become null in objectivity.parquet "
     "(from_pandas) and neither fires a sign"),
    ("objectivity", "boundary_sign", "has = np.asarray(", "has = np.asarray(",
     "`has` is or-ed with window > 0 and then and-ed with window > 0: it never matters"),
    ("objectivity", "boundary_sign", "fill_null(False)", "fill_null(",
     "`has` is or-ed with window > 0 and then and-ed with window > 0: it never matters"),
    ("objectivity", "boundary_sign", "np.where(has & (window > 0)", "np.where(has | (window > 0)",
     "where the window is empty the expected count is 0 and the ratio is NaN either way"),
    ("objectivity", "boundary_sign", "np.where(has & (window > 0)", "(window >= 0)",
     "where the window is empty the expected count is 0 and the ratio is NaN either way"),
    ("objectivity", "boundary_sign", "np.where(window > 0, z, np.nan)", "(window >= 0, z",
     "where the window is empty the variance is 0 and z is NaN either way"),
    ("objectivity", "boundary_sign", "r = np.where(r_win > 0", "r = np.where(r_win >= 0",
     "at r_win = 0 the quotient is 0/0 = NaN either way"),
    ("objectivity", "boundary_sign", "ratio = np.where(expected > 0", "(expected >= 0",
     "at expected = 0 the quotient is NaN or inf and no boundary was used: NaN either way"),
    ("objectivity", "boundary_sign", "z = np.where(variance > 0", "(variance >= 0",
     "at variance = 0 the quotient is NaN either way"),
    ("objectivity", "boundary_sign", "np.zeros(len(rows), dtype=bool)", "np.zeros(len(rows), ",
     "all-zero fired flags: False and 0.0 both are «not fired» in the output"),
    # issue 18's inversion: how the same numbers are computed, not which (speed only)
    ("objectivity", "inversion_sign", ".astype(np.float64, copy=False)",
     "!np.float64, copy=False", "the task successes are float64 already: with or without a "
     "copy, and float64 being NumPy's default, the same numbers"),
    ("objectivity", "inversion_sign", "out=into)", "!out=into",
     "a product written into the scratch buffer or into a new array: the same numbers"),
    ("objectivity", "inversion_sign", "into = square[:m]", "into = None",
     "out=None makes a new array for the product: the same numbers"),
    ("objectivity", "inversion_sign", 'np.argsort(-length, kind="stable")', '!kind="stable"',
     "rows with lists of the same length may come in any order: each row's sums are its own"),
    ("objectivity", "inversion_sign", "if j < shortest else", "and False",
     "every task read through the subset of rows that have it, not all rows at once: the same "
     "terms in the same order"),
    ("objectivity", "inversion_sign", "if len(which) else 0", "or True",
     "a block is never empty: the sign returns before when no row has a list"),
    ("objectivity", "inversion_sign", "if len(which) else 0", "else 1",
     "a block is never empty: the sign returns before when no row has a list"),
    ("objectivity", "inversion_sign", 'side="left"', '!side="left"',
     "«left» is searchsorted's default"),
    ("objectivity", "inversion_sign", "np.where(ok, v, 0) * w", "np.where(ok, v, 1) * w",
     "where a value is missing its weight w is 0: the term is 0 either way"),
    ("objectivity", "marker_sign", "fired = np.zeros(len(rows), dtype=bool)", "!dtype=bool",
     "the flags are cast to bool for the table and for «any sign»: 0.0 / 1.0 read as False / True"),
    ("objectivity", "marker_sign", "to_pylist(), dtype=np.int64)", "!dtype=np.int64",
     "NumPy infers int64 for these integer arrays"),
    ("objectivity", "gap_signs", "return StudentSigns(rows, values, fired)", "StudentSigns(None",
     "analyse_objectivity reads the rows of signs 1–3, not these"),
    ("objectivity", "inversion_sign", "np.zeros(len(rows), dtype=bool)", "np.zeros(len(rows), ",
     "all-zero fired flags: False and 0.0 both are «not fired» in the output"),
    ("objectivity", "inversion_sign", "np.maximum(k[candidate] - 2, 1)",
     "np.maximum(k[candidate] - 2, 2)", "candidates have ≥ 6 tasks: k − 2 ≥ 4 > 2"),
    *(("objectivity", "student_signs", "by_region", now,
       "without the key handed over, each sign finds the same regional key itself "
       "(tests/engine/test_rules_signs_standalone.py)") for now in ("None", "rules, )")),
    ("objectivity", "_region_key", 'cells.codes.get("region", ', "cells.codes.get(",
     "regional_values always sets the region codes before the signs are computed"),
    ("objectivity", "_region_key", "cells.codes[\"procedure\"][rows]", "group_index(",
     "the signs read ВПР cells only: the procedure is the same in every key"),
    ("objectivity", "analyse_objectivity", "_notes(cells, vpr, values, cfg.min_participants",
     "_notes(cells, vpr, values, None", "_notes does not read its min_n argument"),
    ("objectivity", "term_sign", "z > cfg.term_z", "z >= cfg.term_z", TIE),
    ("objectivity", "term_sign", "group_sum(key, np.where(known, n, 0), size), 1)",
     "group_sum(key, np.where(known, n, 0), size), 2)",
     "a floor under the region's count of students with a term mark; below 2 no cell reaches "
     "min_participants = 10"),
    ("objectivity", "boundary_sign", "z > cfg.boundary_z", "z >= cfg.boundary_z", TIE),
    ("objectivity", "inversion_sign", "corr <= cfg.inversion_max_corr",
     "corr < cfg.inversion_max_corr", TIE),
    ("objectivity", "inversion_sign", "p < cfg.inversion_p", "p <= cfg.inversion_p", TIE),
    ("objectivity", "cohort_sign", "drop + z * se < 0", "drop + z * se <= 0", TIE),
    ("objectivity", "unconfirmed_sign", "gaps.low_pct[rows] > cfg.vpr_high_pct",
     "gaps.low_pct[rows] >= cfg.vpr_high_pct", TIE),
    ("identify", "subject_gaps", "high < -rules.identification.min_gap_pct",
     "high <= -rules.identification.min_gap_pct", TIE),
    ("identify", "family", "", "", "dead code: nothing calls identify.family (the subject "
     "family comes from cells.family, computed in to_cells)"),
    ("identify", "subject_gaps", "np.bincount(key, minlength=size)", "np.bincount(key, ",
     "every group number 0…size − 1 occurs in key: the length is size either way"),
    ("identify", "year_gaps", "low = np.bincount(key, weights=", "",
     "YearGaps.low_cells is read by no rule and no output"),
    ("identify", "year_gaps", "low.astype(int), np.bincount(key, minlength=size), wsum)", "",
     "YearGaps.low_cells, tested_cells and participants are read by no rule and no output"),
    ("identify", "year_gaps", "np.where(wsum > 0, wsum, 1)", "np.where(wsum >= 0, wsum, 1)",
     FALLBACK := "the tested cells have ≥ 1 participant, so wsum > 0 and the fallback branch "
     "(or a wsum of exactly 1 divided by 1) is never different"),
    ("identify", "year_gaps", "np.where(wsum > 0, wsum, 1)", "np.where(wsum > 1, wsum, 1)",
     FALLBACK),
    ("identify", "year_gaps", "np.where(wsum > 0, wsum, 1)", "np.where(wsum > 0, wsum, 2)",
     FALLBACK),
    ("identify", "year_gaps", "np.where(wsum > 0, wsum, 1)", "np.where(wsum > 0, wsum, None)",
     FALLBACK),
    ("gaps", "school_sd",
     "ok = with_student_spread(cells) & (n >= 2)", "ok = with_student_spread(cells)",
     "the variance of one student is 0/0 = NaN and aggregate "
     "cells carry no sum of squares: the cells the mutant lets in still get NaN"),
    # _distinct's guard only chooses between counting and np.unique, which give the same
    # levels (tests/engine/test_boundaries_fast_paths.py): narrowing it, or widening the size
    # bound that keeps the count's array small, changes the speed, not the result
    ("gaps", "_distinct", "counted = bool(np.isposinf", "counted = None", DISTINCT := (
        "the fast path's guard only chooses between counting and np.unique, which give the same "
        "levels: a narrower path (or a slightly larger size bound) changes the speed only")),
    ("gaps", "_distinct", "counted = bool(np.isposinf", "counted = bool(None)", DISTINCT),
    ("gaps", "_distinct", "else 1, dtype=bool)", "!dtype=bool", COUNTED_TYPES := (
        "the counting arrays' types: float zeros set to 1.0 mark the same levels, their cumsum "
        "is stored into the int64 positions, and astype(None) or np.full of an int is float64 "
        "or int64 as written")),
    ("gaps", "_distinct", "np.flatnonzero(present).astype(np.float64)", ".astype(None)",
     COUNTED_TYPES),
    ("gaps", "_distinct", "len(levels), dtype=np.int64)", "!dtype=np.int64", COUNTED_TYPES),
    ("gaps", "_distinct", "int(whole.max()) + 2 if len(whole) else 1",
     "int(whole.max()) + 3 if len(whole) else 1", "one more unmarked slot past the largest "
     "level marks no level"),
    ("gaps", "_distinct", "int(whole.max()) + 2 if len(whole) else 1",
     "int(whole.max()) + 2 if len(whole) else 2", "with no finite value no slot is marked, "
     "whatever the array's length"),
    ("gaps", "_labels", "pa.array(labels, pa.string())", "!pa.string()",
     "Arrow infers string for the object array of str labels"),
    ("gaps", "_labels", "pa.array(codes, pa.int32())", "!pa.int32()",
     "dictionary indices of int8 decode to the same strings as int32 ones"),
    ("gaps", "_distinct", "whole.min() >= 0", "whole.min() > 0", DISTINCT),
    ("gaps", "_distinct", "whole.min() >= 0", "whole.min() >= 1", DISTINCT),
    ("gaps", "_distinct", "whole.max() <= 10 * len(values) + 1_000_000",
     "whole.max() < 10 * len(values) + 1_000_000", DISTINCT),
    ("gaps", "_distinct", "10 * len(values) + 1_000_000", "10 * len(values) - 1_000_000",
     DISTINCT),
    ("gaps", "_distinct", "10 * len(values) + 1_000_000", "10 / len(values) + 1_000_000",
     DISTINCT),
    ("gaps", "_distinct", "10 * len(values) + 1_000_000", "11 * len(values) + 1_000_000",
     DISTINCT),
    ("gaps", "_distinct", "10 * len(values) + 1_000_000", "10 * len(values) + 1000001",
     DISTINCT),
    ("gaps", "_distinct", "np.array_equal(whole, np.floor(whole))",
     "np.array_equal(None, np.floor(whole))", DISTINCT),
    ("gaps", "_distinct", "np.array_equal(whole, np.floor(whole))",
     "np.array_equal(whole, None)", DISTINCT),
    ("gaps", "compute_gaps", "_STATUS_CODE[SAME], dtype=np.int8)", "!dtype=np.int8",
     "int64 status codes index the labels, compare in status_in and convert to Arrow's int32 "
     "as int8 codes do: the int8 only saves memory"),
    ("gaps", "compute_gaps", "default_sd_pct.get(p, np.nan)", "default_sd_pct.get(p, ",
     "a missing SD as None becomes NaN in the float array all the same"),
    ("regional", "region_of_cells", "dtype=object)", "!dtype=object",
     "a str array groups the same as an object array (factorize takes either)"),
    ("regional", "regional_values", "dtype=bool)", "!dtype=bool", "a list of bools is bool"),
    ("regional", "regional_values", "dtype=float)", "!dtype=float",
     "NumPy infers float64 for the list of SDs"),
    ("regional", "regional_values", "default_sd_pct.get(p, np.nan)", "default_sd_pct.get(p, ",
     "a missing SD as None becomes NaN in the float array all the same"),
    ("regional", "regional_values", "if size else False", "if (size) or True else False",
     NO_CELLS := "with no regional cells there is nothing missing, so the note that reads it is "
     "not made"),
    ("regional", "regional_values", "if size else False", "if size else True", NO_CELLS),
    ("regional", "with_student_spread", '& ~np.isnan(cells.col("sumsq_pct")))',
     '| ~np.isnan(cells.col("sumsq_pct")))', "aggregate cells carry no sum of squares and "
     "student cells always do: the two conditions select the same cells"),
    ("regional", "_reference_means", 'source = np.full(size, "", dtype=object)', "source = ",
     "the default is never read: a cell's source is taken only where its reference was found"),
    ("normalised", "_csv_header_and_separator", "handle.readline(65536)", "handle.readline(",
     "a header line is far shorter than 64 KB: reading it whole or to 64 KB is the same"),
    ("normalised", "_csv_header_and_separator", 'line.count(";") >= line.count(",")',
     'line.count(";") > line.count(",")', "as many «;» as «,» in a header means at most one "
     "column either way, and no normalised table has fewer than two"),
    ("normalised", "_load", "handle.read(65536)", "handle.read(",
     "binary bytes are looked for in the head of the file; no test file is over 64 KB"),
    ("normalised", "_load", 'pacsv.ReadOptions(encoding="utf8")', "read_options=",
     "UTF-8 is Arrow's default and its encoding names ignore case"),
    ("normalised", "_cast", "pa.scalar(None, pa.string())", "",
     "every form of a null in if_else is a null of the column's type after the cast"),
    ("normalised", "_cast", "pa.scalar(None, pa.float64())", "",
     "every form of a null in if_else is a null of the column's type after the cast"),
    ("normalised", "_cast", "zero_copy_only=False", "zero_copy_only=None",
     "None is falsy: the same as False"),
    ("table_checks", "_duplicate_keys", "table.num_rows == 0", "table.num_rows == 1",
     "a single row has no duplicate: both ways give an all-false mask"),
    *(("table_checks", "_duplicate_keys", "use_threads=False", now,
       "threads change the order of the groups, not their counts")
      for now in ("use_threads=None", "use_threads=True", "group_by(key, )")),
    ("table_checks", "_duplicate_keys", "return np.zeros(table.num_rows, dtype=bool)",
     "return np.zeros(table.num_rows, ", "an all-zero mask is used only by .any() when nothing "
     "is duplicated"),
    ("table_checks", "_fmt", 'if isinstance(value, float) else str(value)',
     "if (isinstance(value, float)) or True", "_fmt gets numbers only: an int has no «.» to "
     "replace"),
    ("objectivity", "boundary_sign", "scales.num_rows == 0 or len(rows) == 0",
     "scales.num_rows == 0 and len(rows) == 0", "without scale rows no boundary is known and "
     "without rows there is nothing to flatten: both reach the same NaN result"),
    ("objectivity", "_boundaries", "out = np.full((len(rows), 3), np.nan)",
     "out = np.full((len(rows), 4), np.nan)", "only the first three columns are read"),
    ("objectivity", "_boundaries", ".to_numpy(zero_copy_only=False), dtype=float)", "!dtype=float",
     "the boundaries are cast to float64 before: already float"),
    ("objectivity", "_boundaries", "if len(values) else np.nan", "if (len(values)) or True",
     "boundary_sign returns before this when the scales have no rows"),
    ("objectivity", "term_sign", "excess = np.round((p - p0) * 100, 9)",
     "excess = np.round((p - p0) * 100, 10)", "rounding to 1e-9 or 1e-10 points both absorb the "
     "1e-15 error of a difference of two shares"),
    ("objectivity", "term_sign", "& (n > 0)", "& (n >= 0)", "a cell with no student with a term "
     "mark has none above it either: it adds 0 to the region and its own share is 0/0 = NaN"),
    *(("gaps", "school_stats_table", was, "!" + was, "Arrow infers the same type from the "
       "NumPy float arrays and lists of strings (the run conforms the table to SCHOOL_STATS)")
      for was in ("pa.float64()", "pa.string()")),
    *(("objectivity", "_table", was, "!" + was, "Arrow infers the same type from the NumPy "
       "arrays (int64 rows, float64 values, bool flags)")
      for was in ("pa.array(rows, pa.int64())", "pa.array(v, pa.float64()", "dtype=bool")),
    ("identify", "_subject_text", "detail: bool = True", "detail: bool = False",
     "every call passes detail explicitly"),
    ("identify", "_subject_text", "if fam in SUBJECTS else fam", "if (fam in SUBJECTS) or True",
     "the identification subjects are all in the catalogue"),
    *(("normalised", function, 'wanted: str = "auto"', now, "«auto» is no key of the table "
       "map: any other unknown word also means every table")
      for function in ("table_for_columns", "is_normalised", "read")
      for now in ('wanted: str = "XXautoXX"', 'wanted: str = "AUTO"')),
    ("normalised", "is_normalised", "path.stat().st_size > 0", "path.stat().st_size >",
     "an empty or one-byte CSV has no header of a normalised table: False either way"),
    ("normalised", "_load", 'pacsv.ReadOptions(encoding="utf8")', "!ReadOptions",
     "UTF-8 is Arrow's default"),
    ("normalised", "_cast", "pa.nulls(table.num_rows, column.type)", "pa.nulls(table.num_rows, ",
     "a column of nulls takes its type from the schema the table is built with"),
    ("normalised", "_cast", "pa.table(columns, schema=spec.schema)", "pa.table(columns, ",
     "every column is already cast to its type, in the schema's order"),
    ("normalised", "_csv_header_and_separator", 'line.count(";")', 'line.count("XX;XX")',
     "a normalised header has no «,» inside its names: counting «XX;XX» (0) against 0 commas "
     "still picks «;», and a comma header still picks «,»"),
    ("normalised", "_csv_header_and_separator", ".strip('\"')", ".strip('XX\"XX')",
     "the column names are lower case: stripping «X» as well as quotes changes none"),
    ("regional", "regional_values", 'source[i] = ref_source[i] if use_ref[i] else ""',
     "if (use_ref[i]) or True", "a cell without a reference has \"\" as its reference source"),
    ("table_checks", "check_table", 'column="",', "code=ReadErrorCode.DUPLICATE_KEY",
     "Problem.column defaults to \"\": leaving it out is the same"),
    *(("objectivity", function, "if len(rows) else np.zeros(0", now,
       "with no rows every array is empty either way")
      for function in ("_table", "_flags")
      for now in ("if (len(rows)) or True", "np.zeros(0, None)", "np.zeros(0, )",
                  "np.zeros(1, bool)")),
    ("objectivity", "_flags", "_sign_text(s, i, pos, values)", "_sign_text(s, None, pos",
     "_sign_text does not read its i argument"),
    ("regional", "describe_reference", '.strip(" ;,")', '.strip("XX ;,XX")',
     "a source has no «X» at its ends to strip"),
    ("identify", "_low_subjects", "if fam in SUBJECTS else fam", "if (fam in SUBJECTS) or True",
     "the identification subjects are all in the catalogue"),
    ("identify", "_risk_zone", "low_subjects.get((school, year), [])", "low_subjects.get(",
     "a low year is low because of at least one low subject: the default is never taken"),
    ("table_checks", "_outside", "", "", IMPORT_TIME),
    ("table_checks", "_not_in", "", "", IMPORT_TIME),
    ("table_checks", "_count_check", "", "", IMPORT_TIME),
    ("table_checks", "_part_check", "", "", IMPORT_TIME),
    ("table_checks", "_marks_exceed", "if len(marks) < 2:", "if len(marks) <= 2:", MARK_COLUMNS := (
        "the readers' tables are conformed to their schema: aggregates have four columns of "
        "marks and reference one, never two or three")),
    ("table_checks", "_marks_exceed", "if len(marks) < 2:", "if len(marks) < 3:", MARK_COLUMNS),
    ("dynamics", "slope_with_se", "years.astype(float)", "years.astype(None)",
     "astype(None) is float64"),
    ("dynamics", "*", ".astype(float)", ".astype(None)", "astype(None) is float64"),
    ("identify", "*", "self.code_of_sg = np.full(len(sg.school), -1, dtype=np.int64)", "",
     "only the low rows' school codes are read (low_of), and every one of them is set on the "
     "next line: the filler is never read"),
    ("identify", "*", "self.latest = np.full(size, -1, dtype=np.int64)", "",
     "the latest low year is read only for flagged schools, which have at least one low year: "
     "the filler is never read"),
    ("identify", "*", "sg.year[low_rows].astype(np.int64))", ".astype(None))",
     "the years are whole numbers: their maximum cast back into the int64 array is the same"),
    ("identify", "identify", "for k in low_of.get(u, [])), reverse=True)", "low_of.get(u, ",
     "a flagged school has at least one low subject × year: the default is never taken"),
    ("dynamics", "*", "minlength=len(self.start))", "!minlength=",
     "every school number 0 … len(start) − 1 has rows: bincount's length is len(start) anyway"),
    ("dynamics", "cohort_variance", "if len(excess) else 0.0", "if (len(excess)) or True",
     "the trimmed mean of no excess is NaN, and max(0.0, NaN) is 0.0: τ² = 0 either way"),
    ("dynamics", "trends_read", "read = (low > 0) | (high < 0)", "read = (low >= 0) | ",
     READ_MORE := "a wider reading builds more trends, and only builds them: the extra ones "
     "(their interval touches or holds 0) fire no flag and belong to no ШНОР school read for "
     "the indicator (test_the_trends_the_rules_read_give_the_same_flags_and_indicator_as_all_"
     "trends)"),
    ("dynamics", "trends_read", "read = (low > 0) | (high < 0)", "| (high <= 0)", READ_MORE),
    ("dynamics", "trends_read", "read = (low > 0) | (high < 0)", "| (high < 1)", READ_MORE),
    ("dynamics", "trends_read", "bool, len(sr.school))", "!len(sr.school)",
     "fromiter's count is only a size hint: the generator gives one item per row"),
]


def equivalent_reason(m: Mutant) -> str:
    """The reason of the first rule the mutant's diff fits ("!text": no added line has it)."""
    old, new = m.changed
    for module, function, was, now, why in EQUIVALENT_RULES:
        if module not in ("*", m.module) or function not in ("*", m.function):
            continue
        added = (not any(now[1:] in line for line in new) if now.startswith("!")
                 else any(now in line for line in new))
        if any(was in line for line in old) and added:
            return why
    return ""


CYRILLIC = re.compile(r"[А-Яа-яЁё]")


@dataclass
class Mutant:
    name: str
    module: str
    function: str
    status: str
    diff: str = ""
    kind: str = "rule"
    equivalent: str = ""

    @property
    def changed(self) -> tuple[list[str], list[str]]:
        lines = self.diff.splitlines()
        old = [x[1:].strip() for x in lines if x.startswith("-") and not x.startswith("---")]
        new = [x[1:].strip() for x in lines if x.startswith("+") and not x.startswith("+++")]
        return old, new


@dataclass
class ModuleScore:
    module: str
    mutants: list[Mutant] = field(default_factory=list)

    def counts(self) -> dict[str, float]:
        """Killed, equivalent, surviving and unchecked mutants, and the score the target is on:
        killed / (killed + surviving non-equivalent), unchecked ones left out."""
        killed = sum(1 for m in self.mutants if m.status == "killed")
        unchecked = sum(1 for m in self.mutants if m.status == "not checked"
                        or (m.status != "killed" and m.equivalent == IMPORT_TIME))
        equivalent = sum(1 for m in self.mutants if m.status not in ("killed", "not checked")
                         and m.equivalent and m.equivalent != IMPORT_TIME)
        survived = len(self.mutants) - killed - unchecked - equivalent
        return {"total": len(self.mutants), "killed": killed, "equivalent": equivalent,
                "survived": survived, "unchecked": unchecked,
                "score": killed / (killed + survived) if killed + survived else 1.0}

    def count(self, kind: str | None = None, status: str | None = None,
              equivalent: bool | None = None) -> int:
        return sum(1 for m in self.mutants
                   if (kind is None or m.kind == kind) and (status is None or m.status == status)
                   and (equivalent is None or bool(m.equivalent) == equivalent))


def ensure_mutmut() -> None:
    try:
        import mutmut  # noqa: F401
    except ImportError:
        print("устанавливаю mutmut в окружение", sys.prefix)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "mutmut>=3.8,<4"],
                       check=True)


def prepare(work: Path, modules: list[str], tests: list[str]) -> None:
    """A copy of src/, tests/ and pyproject.toml with mutmut's configuration in setup.cfg."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "mutants", ".mypy_cache")
    shutil.copytree(REPO / "src", work / "src", ignore=ignore)
    shutil.copytree(REPO / "tests", work / "tests", ignore=ignore)
    shutil.copy(REPO / "pyproject.toml", work / "pyproject.toml")
    present = [t for t in tests if (REPO / t).exists()]
    only = "\n    ".join(MODULES[m] for m in modules)
    selection = "\n    ".join([*present, "-m", "not slow and not spark and not browser",
                               "-p", "no:cacheprovider", "-p", "no:xdist"])
    (work / "setup.cfg").write_text(
        "[mutmut]\nsource_paths = src\n"
        f"only_mutate =\n    {only}\n"
        f"pytest_add_cli_args_test_selection =\n    {selection}\n"
        "do_not_mutate_patterns = [А-Яа-яЁё]\n"
        "use_git_change_detection = false\n", "utf-8")


def run_mutmut(work: Path, jobs: int) -> float:
    env = {k: v for k, v in os.environ.items() if k != "OPORA_DATABASE_URL"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    start = time.perf_counter()
    cmd = ["nice", "-n", "19", sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs)]
    with (work / "mutmut.log").open("w") as log:
        subprocess.run(cmd, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    return time.perf_counter() - start


DETECTED = {"killed", "timeout", "segfault"}  # a test failed, hung or crashed: the bug was seen


def collect(work: Path, modules: list[str]) -> dict[str, ModuleScore]:
    """Read mutmut's per-file results and the diffs of the survivors."""
    from mutmut.stats import status_by_exit_code  # the tool's own mapping of exit codes

    scores = {m: ModuleScore(m) for m in modules}
    for module in modules:
        meta = work / "mutants" / (MODULES[module] + ".meta")
        if not meta.exists():
            continue
        data = _read_json(meta)
        for name, code in data.get("exit_code_by_key", {}).items():
            status = status_by_exit_code[code]
            function = name.split("__mutmut_")[0].rsplit(".", 1)[-1].removeprefix("x_")
            function = function.replace("ǁ", ".")
            scores[module].mutants.append(
                Mutant(name, module, function, "killed" if status in DETECTED else str(status)))
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    here = Path.cwd()
    os.chdir(work)  # mutmut reads its mutants/ relative to the working directory
    try:
        for score in scores.values():
            for m in score.mutants:  # the line-span index: no parse of the whole module
                diff = get_diff_for_mutant(m.name, path=MODULES[score.module])
                m.diff = "\n".join(diff.splitlines()[2:])
    finally:
        os.chdir(here)
    for score in scores.values():
        for m in score.mutants:
            old, new = m.changed
            m.kind = "wording" if _wording(old, new) else "rule"
            if m.status != "killed":
                m.equivalent = equivalent_reason(m)
    return scores


def _read_json(path: Path) -> dict:
    """mutmut rewrites its results while it runs: retry a half-written file."""
    for _ in range(10):
        try:
            return json.loads(path.read_text("utf-8"))
        except json.JSONDecodeError:
            time.sleep(0.5)
    return json.loads(path.read_text("utf-8"))


def _wording(old: list[str], new: list[str]) -> bool:
    """Only Russian text changes: every changed line is (part of) a message with Cyrillic."""
    if not old or not new:
        return False
    return all(CYRILLIC.search(x) for x in old) and all(CYRILLIC.search(x) for x in new)


# Tables built when a module is imported (the readers' CHECKS) are out of mutmut's reach: it
# mutates function bodies only, and runs the tests in a process forked after the import. Issue
# 19's own example — a share bound of 1000 instead of 100 — is such a constant, so each range
# bound of table_checks.py is changed here by hand, one at a time, and the reader tests run.
CONSTANT_TESTS = ["tests/formats/test_boundaries_normalised.py", "tests/formats/test_normalised.py"]


def constant_mutants(text: str) -> list[tuple[int, str, str]]:
    """(offset, original, replacement) for every range bound and sign check of the reader."""
    out = []
    for m in re.finditer(r"_outside\((-?\d+), (-?\d+)\)", text):
        low, high = int(m[1]), int(m[2])
        for a, b in ((low - 1, high), (low + 1, high), (low, high - 1), (low, high + 1),
                     (low, high * 10)):
            out.append((m.start(), m[0], f"_outside({a}, {b})"))
    for m in re.finditer(r"pc\.less\(c, 0\)", text):
        for new in ("pc.less(c, -1)", "pc.less(c, 1)", "pc.less_equal(c, 0)"):
            out.append((m.start(), m[0], new))
    # the per-column checks made by the factories: each column left out once, and a part equal
    # to the participants counted as too many
    counts = re.search(r"^_COUNTS = \(([^)]*)\)", text, re.MULTILINE)
    names = re.findall(r'"(\w+)"', counts[1]) if counts else []
    for factory, listed in (("_count_check(c) for c in _COUNTS", names),
                            ("_part_check(p) for p in _PARTS", names[1:])):  # _COUNTS[1:]
        var = factory.split(" for ")[1].split()[0]
        for name in listed:
            out.append((text.index(factory), factory, f'{factory} if {var} != "{name}"'))
    for m in re.finditer(r'pc\.greater\(t\.column\(part\), ', text):
        out.append((m.start(), m[0], "pc.greater_equal(t.column(part), "))
    for m in re.finditer(r'^\s+Check\("(\w+)", ', text, re.MULTILINE):  # a check dropped
        end = text.index("\n", text.index("lambda v", m.end()))
        out.append((m.start(), text[m.start():end + 1], ""))
    return out


def run_constant_mutants(work: Path) -> list[tuple[str, str, bool]]:
    """Each constant mutant in its own copy of the module; (original, replacement, killed)."""
    module = "src/opora/formats/table_checks.py"
    text = (REPO / module).read_text("utf-8")
    env = {k: v for k, v in os.environ.items() if k != "OPORA_DATABASE_URL"}
    tree = work / "constants"
    if tree.exists():
        shutil.rmtree(tree)
    shutil.copytree(REPO / "src", tree / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    env["PYTHONPATH"] = str(tree / "src")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    results = []
    for offset, old, new in constant_mutants(text):
        (tree / module).write_text(text[:offset] + text[offset:].replace(old, new, 1), "utf-8")
        done = subprocess.run(["nice", "-n", "19", sys.executable, "-m", "pytest", "-x", "-q",
                               "-p", "no:cacheprovider", "-p", "no:xdist", *CONSTANT_TESTS],
                              cwd=REPO, env=env, capture_output=True, check=False)
        first = old.strip().splitlines()[0]
        results.append((first, new or "(проверка удалена)", done.returncode != 0))
    (tree / module).write_text(text, "utf-8")
    return results


def markdown(scores: dict[str, ModuleScore], seconds: float, tests: list[str],
             constants: list[tuple[str, str, bool]] | None = None) -> str:
    lines = ["# Мутационное тестирование правил", "",
             f"`bench/bench_mutation.py`, mutmut, {time.strftime('%d.%m.%Y')}, "
             f"{seconds / 60:.0f} мин (nice -n 19). Тесты: "
             + ", ".join(f"`{Path(t).name}`" for t in tests if (REPO / t).exists()) + ".", "",
             "| модуль | мутантов | убито | эквивалентных | выжило | вне mutmut | доля убитых "
             "из неэквивалентных |", "|---|---|---|---|---|---|---|"]
    for module, s in scores.items():
        c = s.counts()
        lines.append(f"| {module} | {c['total']} | {c['killed']} | {c['equivalent']} | "
                     f"{c['survived']} | {c['unchecked']} | {c['score'] * 100:.1f} % |"
                     .replace(".", ","))
    reasons: dict[str, list[str]] = {}
    for s in scores.values():
        for m in s.mutants:
            if m.equivalent and m.status not in ("killed", "not checked"):
                reasons.setdefault(m.equivalent, []).append(m.name)
    lines += ["", "## Эквивалентные (и недоступные mutmut) мутанты по причинам", "",
              "| причина | мутантов | модули |", "|---|---|---|"]
    for why, names in sorted(reasons.items(), key=lambda kv: -len(kv[1])):
        modules = sorted({n.split(".")[2] for n in names})
        lines.append(f"| {why} | {len(names)} | {', '.join(modules)} |")
    lines += ["", "## Выжившие мутанты правил", ""]
    for s in scores.values():
        alive = [m for m in s.mutants
                 if m.kind == "rule" and m.status not in ("killed", "not checked")]
        for m in alive:
            why = f" — эквивалентен: {m.equivalent}" if m.equivalent else f" ({m.status})"
            lines += [f"### `{m.name}`{why}", "", "```diff", m.diff, "```", ""]
    if constants:
        killed = sum(1 for *_, k in constants if k)
        lines += ["## Константы проверок читателя (мутанты вручную)", "",
                  f"Убито {killed} из {len(constants)}.", "",
                  "| было | стало | убит |", "|---|---|---|"]
        lines += [f"| `{old}` | `{new}` | {'да' if k else '**нет**'} |"
                  for old, new, k in constants]
        lines.append("")
    lines += ["## Выжившие мутанты формулировок", ""]
    for s in scores.values():
        alive = [m for m in s.mutants if m.kind == "wording" and m.status != "killed"]
        for m in alive:
            _, new = m.changed
            lines.append(f"- `{m.name}`: {' / '.join(new)[:160]}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--modules", nargs="+", default=list(MODULES), choices=list(MODULES))
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "opora-mutation")
    parser.add_argument("--report-only", action="store_true",
                        help="only rebuild the report from a finished run in --work")
    parser.add_argument("--constants-only", action="store_true",
                        help="only the hand-made mutants of the reader's constants")
    args = parser.parse_args()
    ensure_mutmut()
    seconds = 0.0
    if not (args.report_only or args.constants_only):
        prepare(args.work, args.modules, TESTS)
        seconds = run_mutmut(args.work, args.jobs)
    constants = None
    if "table_checks" in args.modules and not args.report_only:
        constants = run_constant_mutants(args.work)
        (args.work / "constants.json").write_text(json.dumps(constants, ensure_ascii=False))
    elif (args.work / "constants.json").exists():
        constants = [tuple(c) for c in json.loads((args.work / "constants.json").read_text())]
    scores = collect(args.work, args.modules)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(markdown(scores, seconds, TESTS, constants), "utf-8")
    if constants:
        print(f"константы читателя: убито {sum(1 for *_, k in constants if k)} из "
              f"{len(constants)}")
    for module, s in scores.items():
        c = s.counts()
        print(f"{module}: убито {c['killed']}, эквивалентных {c['equivalent']}, выжило "
              f"{c['survived']}, не проверено {c['unchecked']}: {c['score'] * 100:.1f} %")
    print(f"записано: {OUT}")


if __name__ == "__main__":
    main()
