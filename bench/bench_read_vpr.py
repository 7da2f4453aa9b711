"""How fast ВПР collection forms are read: files per second, against plain calamine loading.

A municipality sends a few hundred forms a year (say 500 files × 30 rows); reading them must take
seconds. The benchmark writes 200 varied copies of the real sample's layout once (openpyxl, into a
temporary directory: different codes, scores, absentees, row counts, school/subject/grade/year in
the file name, a formula total per row), then times

- ``opora.formats.read_file`` (calamine + formula scan + checks + Arrow tables), and
- the floor: ``python_calamine`` opening the same files and converting every sheet to Python rows,

and reports both rates and their ratio. Run: ``.venv/bin/python bench/bench_read_vpr.py``.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

from import_forms_data import form_row
from opora.formats import read_file
from opora.formats.workbook import load_sheets

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "tests" / "data" / "realdata" / "vpr_protocol_form.xlsx"
FILES = 200
SUBJECTS = ("РУ", "МА", "ОМ")
GRADES = (4, 5, 6)


def task_maxima(header: list[object]) -> list[tuple[int, int]]:
    """(column, maximum) of each task header «N (Mб)» of the sample."""
    from opora.formats.vpr.layout import task_of

    return [(col, int(t.max_score)) for col, v in enumerate(header)
            if (t := task_of(v, col)) is not None]


def write_copies(directory: Path, count: int, seed: int = 7) -> list[Path]:
    header = list(load_sheets(SAMPLE)[0].rows[0])
    tasks = task_maxima(header)
    last_task_letter = openpyxl.utils.get_column_letter(tasks[-1][0] + 1)
    rng = random.Random(seed)
    paths = []
    for number in range(count):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Протокол"
        sheet.append(header)
        for row in range(2, 2 + rng.randint(20, 32)):
            values = form_row(len(header), tasks, row, rng)
            values[-1] = f"=SUM(C{row}:{last_task_letter}{row})"
            sheet.append(values)
        name = (f"edu{53000 + number:06d}_{rng.choice(SUBJECTS)}_{rng.choice(GRADES)}_"
                f"{rng.randint(2021, 2025)}.xlsx")
        workbook.save(directory / name)
        paths.append(directory / name)
    return paths


def time_calamine(paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return time.perf_counter() - start


def time_opora(paths: list[Path], format: str = "auto") -> tuple[float, int, int]:
    start = time.perf_counter()
    rows = problems = 0
    for path in paths:
        result = read_file(path, format)
        rows += result.tables["results"].num_rows
        problems += len(result.problems)
    return time.perf_counter() - start, rows, problems


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_copies(Path(tmp), FILES)
        time_calamine(paths[:10])  # warm the caches and imports for both
        time_opora(paths[:10])
        floor = min(time_calamine(paths) for _ in range(3))
        ours, rows, problems = min(time_opora(paths, "vpr-form") for _ in range(3))
        auto, _, _ = min(time_opora(paths) for _ in range(3))
    print(f"файлов: {FILES}, строк участников: {rows}, проблем: {problems}")
    print(f"python_calamine (только открыть):     {FILES / floor:8.1f} файлов/с")
    print(f"opora read_file(format='vpr-form'):   {FILES / ours:8.1f} файлов/с "
          f"({ours / floor:.1f}× calamine; 500 файлов ≈ {500 * ours / FILES:.1f} с)")
    print(f"opora read_file(format='auto'):       {FILES / auto:8.1f} файлов/с "
          f"({auto / floor:.1f}× calamine; 500 файлов ≈ {500 * auto / FILES:.1f} с)")
    return 0 if problems == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
