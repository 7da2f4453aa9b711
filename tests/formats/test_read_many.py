"""Many files read in child processes by chunks: answers in order, one bad file takes only itself.

:func:`opora.formats.isolation.read_many_in_children` (issue 18: a region's 20 000 ВПР forms)
keeps the promise of :func:`read_in_child` for every file — a file that exhausts the memory or
the time gets its reason, and the files after it in the same chunk are read by a new child.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_hostile_files import _repeated_cells_ods

from opora.formats import read_file
from opora.formats.isolation import ReadLimits, read_many_in_children

REALDATA = Path(__file__).resolve().parents[1] / "data" / "realdata"
FORM = REALDATA / "vpr_protocol_form.xlsx"


def _forms(tmp_path: Path, count: int) -> list[Path]:
    paths = []
    for n in range(count):
        path = tmp_path / f"edu05300{n}_РУ_4_2025.xlsx"
        shutil.copy(FORM, path)
        paths.append(path)
    return paths


def test_many_forms_read_in_chunks_give_the_same_tables_as_reading_each_in_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("opora.formats.isolation.CHUNK_FILES", 3)  # 7 files: chunks 3 + 3 + 1
    paths = _forms(tmp_path, 7)
    answers = list(read_many_in_children([(p, "auto", None) for p in paths], readers=2))
    assert len(answers) == 7
    for path, answer in zip(paths, answers, strict=True):
        assert answer.reason == ""
        assert answer.result is not None
        expected = read_file(path)  # read here, in this process
        assert answer.result.format == expected.format == "vpr-form"
        assert answer.result.tables["results"].equals(expected.tables["results"])
        # the file name (its school login) reached the reader of each file, not the first's
        assert set(answer.result.tables["results"].column("school_key").to_pylist()) == {
            path.name.split("_")[0]}


def test_a_file_that_exhausts_the_memory_takes_only_itself_and_the_chunk_goes_on(
        tmp_path: Path) -> None:
    first, after = _forms(tmp_path, 2)
    bomb = _repeated_cells_ods(tmp_path / "repeated.ods", 20_000, 1_000)  # 20 M cells, 0.6 GB
    answers = list(read_many_in_children(
        [(first, "auto", None), (bomb, "auto", None), (after, "auto", None)],
        ReadLimits(memory_mb=256, seconds=120), readers=1))
    assert [a.result is not None for a in answers] == [True, False, True]
    assert answers[1].reason.startswith("файл repeated.ods не удалось прочитать: для чтения не "
                                        "хватило памяти (предел 256 МБ)")


def test_a_file_that_runs_out_of_time_is_stopped_and_the_files_after_it_are_read(
        tmp_path: Path) -> None:
    slow = _repeated_cells_ods(tmp_path / "slow.ods", 20_000, 1_000)
    [after] = _forms(tmp_path, 1)
    answers = list(read_many_in_children([(slow, "auto", None), (after, "auto", None)],
                                         ReadLimits(memory_mb=4096, seconds=3), readers=1))
    assert answers[0].result is None
    assert answers[0].reason == ("файл slow.ods не удалось прочитать: чтение не закончилось за "
                                 "3 с — файл слишком сложен или повреждён; ничего не сохранено")
    assert answers[1].result is not None and answers[1].result.format == "vpr-form"
