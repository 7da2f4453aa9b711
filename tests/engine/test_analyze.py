"""``analyze`` end to end: generated data, the real published ЕГЭ table, the CLI, both engines."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from opora.cli import main
from opora.engine import analyze
from opora.engine.presets import PRESETS

FLAGS = {"low_results", "failing_share", "persistently_low", "risk_zone", "adverse_context",
         "resilient", "leader", "non_objective", "positive_dynamics", "negative_dynamics"}


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from opora.demo.generator import generate

    out = tmp_path_factory.mktemp("town")
    generate(scale="municipality", years=3, seed=5, out=out)
    return out


@pytest.fixture(scope="module")
def town_run(town: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("town_out")
    analyze(town, out)
    return out


def _flags(out: Path) -> list[dict[str, str]]:
    with (out / "flags.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_analyze_writes_every_output_with_the_contract_columns(town_run: Path) -> None:
    for name in ("school_stats.parquet", "context.parquet", "objectivity.parquet", "flags.csv",
                 "pairs.csv", "run.json"):
        assert (town_run / name).exists(), name
    stats = pq.read_table(town_run / "school_stats.parquet")
    for column in ("participants", "mean_score", "mean_pct", "mark_2", "below_threshold",
                   "fail_share_pct", "region_mean_pct", "gap_pct", "gap_low_pct", "gap_high_pct",
                   "region_source"):
        assert column in stats.column_names
    assert (town_run / "flags.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel
    flags = _flags(town_run)
    assert flags and {f["flag"] for f in flags} <= FLAGS
    assert all(f["evidence"] and f["school_name"] for f in flags)


def test_run_json_records_rules_engine_checksums_timings_and_limits(town_run: Path) -> None:
    run = json.loads((town_run / "run.json").read_text("utf-8"))
    assert run["rules_version"] and run["rules"]["identification"]["years"] == 3
    assert run["engine"] == "duckdb"
    assert any(v.startswith("sha256:") for v in run["input_checksums"].values())
    assert {"cell_stats", "identification", "objectivity", "context", "pairing", "rules"} <= set(
        run["timings_s"])
    assert isinstance(run["not_computed"], list)
    assert "share_pct" in run["indicators"]["share_low_results_with_positive_dynamics"]


def test_low_results_evidence_reads_aloud_with_numbers_and_the_regional_source(
        town_run: Path) -> None:
    low = [f for f in _flags(town_run) if f["flag"] == "low_results"]
    assert low
    text = low[0]["evidence"]
    assert "при среднем по региону" in text and "участников" in text
    assert "95 % интервал" in text and "," in text  # decimal commas


def test_no_leader_has_signs_of_non_objectivity(town_run: Path) -> None:
    flags = _flags(town_run)
    leaders = {f["school_key"] for f in flags if f["flag"] == "leader"}
    doubtful = {f["school_key"] for f in flags if f["flag"] == "non_objective"}
    assert leaders and not leaders & doubtful


def test_pairs_respect_the_capacity_and_pair_low_schools_with_leaders(town_run: Path) -> None:
    with (town_run / "pairs.csv").open(encoding="utf-8-sig", newline="") as fh:
        pairs = list(csv.DictReader(fh))
    flags = _flags(town_run)
    low = {f["school_key"] for f in flags if f["flag"] == "low_results"}
    leaders = {f["school_key"] for f in flags if f["flag"] == "leader"}
    assert pairs
    for p in pairs:
        assert p["low_school_key"] in low and p["leader_school_key"] in leaders
        assert p["reason"]
    per_leader: dict[str, int] = {}
    for p in pairs:
        per_leader[p["leader_school_key"]] = per_leader.get(p["leader_school_key"], 0) + 1
    assert max(per_leader.values()) <= 2  # rules.toml: pairing.capacity = 2


def test_the_real_published_ege_table_uses_its_region_total_row(
        realdata: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert main(["read", str(realdata / "ege_by_school_region_sample.xlsx"), "--out",
                 str(data)]) in (0, 1)
    out = tmp_path / "out"
    # the literal rule of seed 001: the calibrated default (issue 12) finds no ШНОР in these 43
    # schools' two years of ЕГЭ, and the evidence of a ШНОР is what this test reads
    summary = analyze(data, out, config_path=PRESETS["seed001"][1])
    stats = pq.read_table(out / "school_stats.parquet").to_pylist()
    rus_2023 = [r for r in stats if r["subject"] == "rus" and r["year"] == 2023]
    # the region total row of sheet 2023: mean test score 61.56 (typed from the file)
    assert {round(r["region_mean_pct"], 2) for r in rus_2023} == {61.56}
    assert all(r["region_source_kind"] == "reference" for r in rus_2023)
    low = [f for f in _flags(out) if f["flag"] == "low_results"]
    assert low and all("итог по региону из файла ege_by_school_region_sample.xlsx" in f["evidence"]
                       for f in low)
    notes = " ".join(summary.not_computed)
    assert "только агрегаты" in notes and "признаки необъективности" in notes
    assert "persistently_low не вычислялся" in notes  # two years in the file, not three
    assert not any(f["flag"] == "persistently_low" for f in _flags(out))


@pytest.mark.parametrize("argv", [
    ["--years", "двадцать"], ["--engine", "pandas"], ["--years", "2024-2022"]])
def test_bad_arguments_give_a_russian_line_and_exit_2(
        argv: list[str], town: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["analyze", str(town), "--out", str(tmp_path / "o"), *argv])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("ошибка:") and len(err.strip().splitlines()) == 1


def test_a_missing_directory_and_a_broken_rules_file_exit_2(
        town: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(tmp_path / "нет"), "--out", str(tmp_path / "o")]) == 2
    rules = tmp_path / "r.toml"
    rules.write_text("[identification]\nyearz = 3\n", "utf-8")
    assert main(["analyze", str(town), "--out", str(tmp_path / "o"), "--config", str(rules)]) == 2
    assert "identification.yearz" in capsys.readouterr().err



def test_an_output_file_that_cannot_be_written_is_one_russian_line_naming_it(
        town: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "flags.csv").mkdir()  # a directory where the file must go
    assert main(["analyze", str(town), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (f"ошибка: не удалось записать или прочитать файл "
                           f"{tmp_path / 'flags.csv'}: на месте файла — каталог")

def test_the_years_option_limits_the_analysis(town: Path, tmp_path: Path) -> None:
    assert main(["analyze", str(town), "--out", str(tmp_path / "o"), "--years", "2024-2025"]) == 0
    run = json.loads((tmp_path / "o" / "run.json").read_text("utf-8"))
    assert run["years_analysed"] == [2024, 2025]


def _r6(value: float | None) -> float:
    return -1e9 if value is None else round(value, 6)


def _outputs(out: Path) -> tuple[list[tuple[str, str, str]], list[tuple[object, ...]]]:
    flags = sorted((f["school_key"], f["flag"], f["year"]) for f in _flags(out))
    stats = pq.read_table(out / "school_stats.parquet").to_pylist()
    rows = sorted((r["school_key"], r["procedure"], r["subject"], r["grade"], r["year"],
                   r["participants"], _r6(r["mean_pct"]), _r6(r["gap_pct"])) for r in stats)
    return flags, rows


@pytest.mark.parametrize("engine", ["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def test_every_engine_gives_the_same_flags_and_statistics(
        engine: str, town: Path, town_run: Path, tmp_path: Path) -> None:
    """Spark against the DuckDB run; DuckDB against itself (a second run changes nothing)."""
    if engine == "spark" and shutil.which("java") is None:
        pytest.skip("нет Java для Spark")
    analyze(town, tmp_path / engine, engine=engine)
    assert _outputs(tmp_path / engine) == _outputs(town_run)
    run = json.loads((tmp_path / engine / "run.json").read_text("utf-8"))
    assert run["engine"] == engine


def test_every_school_on_the_list_without_a_pair_is_in_unpaired_with_a_reason(
        town_run: Path) -> None:
    # issue 12: a ШНОР of the last year has a pair or a row of unpaired.csv, never neither;
    # a school on the list as ШНСУ or the risk zone only has an unpaired row «not_low»
    flags = _flags(town_run)
    last = max(int(f["year"]) for f in flags)
    by_school: dict[str, set[str]] = {}
    for f in flags:
        if int(f["year"]) == last:
            by_school.setdefault(f["school_key"], set()).add(f["flag"])
    low = {k for k, v in by_school.items()
           if v & {"low_results", "failing_share", "persistently_low"}}
    listed = {k for k, v in by_school.items() if v & {"adverse_context", "risk_zone"}} - low
    with (town_run / "pairs.csv").open(encoding="utf-8-sig", newline="") as fh:
        paired = {r["low_school_key"] for r in csv.DictReader(fh)}
    with (town_run / "unpaired.csv").open(encoding="utf-8-sig", newline="") as fh:
        unpaired = {r["school_key"]: r for r in csv.DictReader(fh)}
    assert low == paired | {k for k, r in unpaired.items() if r["reason_code"] != "not_low"}
    assert not paired & set(unpaired)
    assert {k for k, r in unpaired.items() if r["reason_code"] == "not_low"} == listed
    assert all(r["reason"] and int(r["year"]) == last for r in unpaired.values())


def test_no_school_is_a_leader_or_resilient_in_a_year_it_is_on_the_list(town_run: Path) -> None:
    # the order of «Согласованность отметок» (engine/agreement.py)
    by_year: dict[tuple[str, int], set[str]] = {}
    for f in _flags(town_run):
        by_year.setdefault((f["school_key"], int(f["year"])), set()).add(f["flag"])
    listed = {"low_results", "failing_share", "persistently_low", "risk_zone"}
    assert all(not (v & listed and v & {"leader", "resilient"}) for v in by_year.values())


def test_run_json_counts_schools_of_the_last_year_not_flags(town_run: Path) -> None:
    # issue 12: «29 ШНОР» were 25 schools (four had a flag by each rule); school_counts is, per
    # flag, the number of distinct schools with it in the window's last year
    run = json.loads((town_run / "run.json").read_text("utf-8"))
    last = run["years_analysed"][-1]
    expected: dict[str, set[str]] = {}
    for f in _flags(town_run):
        if int(f["year"]) == last:
            expected.setdefault(f["flag"], set()).add(f["school_key"])
    assert {k: v for k, v in run["school_counts"].items() if v} == {
        k: len(v) for k, v in expected.items()}


def test_the_written_outputs_leave_no_temporary_file(town_run: Path) -> None:
    """school_stats.parquet is written while the rules run, under a temporary name moved into
    place at the end (issue 18)."""
    assert not list(town_run.glob("*.partial"))
    assert pq.read_table(town_run / "school_stats.parquet").num_rows > 0


def test_a_run_that_fails_while_writing_leaves_the_previous_school_stats_as_it_was(
        town: Path, tmp_path: Path) -> None:
    """An output that cannot be written (here flags.csv is a directory) fails the run;
    school_stats.parquet, written early under a temporary name, is not moved over the file of
    the run before, and no temporary file stays behind."""
    (tmp_path / "school_stats.parquet").write_bytes(b"previous run")
    (tmp_path / "flags.csv").mkdir()
    with pytest.raises(OSError, match=r"flags\.csv"):
        analyze(town, tmp_path)
    assert (tmp_path / "school_stats.parquet").read_bytes() == b"previous run"
    assert not list(tmp_path.glob("*.partial"))
