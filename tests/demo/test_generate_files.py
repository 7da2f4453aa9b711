"""Same seed → identical data; the written directory is readable by pyarrow and DuckDB."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from conftest import TOWN_SEED
from opora.cli import main
from opora.demo.generator import generate, generate_tables
from opora.schemas import TABLES


def test_the_same_seed_gives_identical_tables(town: dict[str, pa.Table]) -> None:
    again = generate_tables(scale="municipality", years=3, seed=TOWN_SEED)
    for name, table in town.items():
        assert table.equals(again[name]), name


def test_a_different_seed_gives_different_results_and_properties(
        town: dict[str, pa.Table]) -> None:
    other = generate_tables(scale="municipality", years=3, seed=TOWN_SEED + 1)
    assert not town["results"].equals(other["results"])
    assert not town["truth"].equals(other["truth"])
    assert town["schools"].column("short_name").equals(other["schools"].column("short_name"))


def test_generate_writes_identical_parquet_bytes_for_the_same_seed(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    summary = generate(scale="municipality", years=2, seed=3, out=first)
    generate(scale="municipality", years=2, seed=3, out=second)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(f"{name}.parquet" for name in TABLES)
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert "45 школ" in summary and "2024–2025" in summary


def test_the_written_results_are_read_by_pyarrow_and_duckdb(tmp_path: Path) -> None:
    generate(scale="municipality", years=1, seed=4, out=tmp_path)
    path = tmp_path / "results.parquet"
    rows = pq.read_metadata(path).num_rows
    assert ds.dataset(path).count_rows() == rows
    assert pq.read_schema(path).equals(TABLES["results"].schema)
    with duckdb.connect() as con:
        counted = con.execute(f"select count(*) from read_parquet('{path}')").fetchone()
        absent = con.execute(
            f"select count(*) from read_parquet('{path}') where absent").fetchone()
    assert counted is not None and counted[0] == rows
    assert absent is not None and 0 < absent[0] < rows / 10


def test_the_command_prints_a_russian_summary(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["generate", "--scale", "municipality", "--years", "1", "--seed", "2",
                 "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("Сгенерирован синтетический набор данных")
    assert "результатов участников" in out and "2025–2025" in out


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"scale": "city", "years": 3}, "неизвестный масштаб «city»"),
    ({"scale": "municipality", "years": 0}, "число лет должно быть от 1 до 10"),
])
def test_wrong_arguments_are_refused_with_a_russian_reason(kwargs: dict[str, object],
                                                           message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate_tables(seed=1, **kwargs)  # type: ignore[arg-type]


def test_the_command_refuses_zero_years_without_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["generate", "--years", "0", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == "ошибка: число лет должно быть от 1 до 10, указано 0"
    assert not list(tmp_path.iterdir())
