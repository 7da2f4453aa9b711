"""``opora analyze`` on S3-compatible storage (issue 18, «Данные на HDFS и S3»).

A real S3 server runs in the test (moto's ``ThreadedMotoServer`` on 127.0.0.1, a free port): a
generated municipality is uploaded to a bucket, and ``opora analyze s3://…`` — a separate process,
configured only through the AWS environment variables and ``OPORA_S3_ENDPOINT`` — must give the
very outputs of the local run. A bad address, a missing bucket, wrong keys, a server that does not
answer and HDFS without its client libraries are one Russian line and exit code 2.

Spark reading ``s3a://`` needs the hadoop-aws and AWS SDK jars, which are not in the pyspark wheel
and cannot be downloaded here: the Spark test checks only that the path reaches Spark as ``s3a://``
and that the missing connector is named (docs/operations.md says what was not tested).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.fs as pafs
import pyarrow.parquet as pq
import pytest
from aggregate_engines import SPARK_READY

from opora.cli import main
from opora.engine import analyze
from opora.engine.io import checksums
from opora.engine.storage import hadoop_version

moto_server = pytest.importorskip("moto.server", reason="нет moto[server] (extra dev)")

BUCKET = "opora-data"
KEYS = {"AWS_ACCESS_KEY_ID": "opora-test", "AWS_SECRET_ACCESS_KEY": "opora-test-secret"}
OUTPUTS = ("school_stats.parquet", "flags.csv", "context.parquet", "objectivity.parquet",
           "pairs.csv", "unpaired.csv")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("town")
    made = subprocess.run([sys.executable, "-m", "opora.cli", "generate", "--scale",
                           "municipality", "--years", "2", "--seed", "3", "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    return out


@pytest.fixture(scope="module")
def s3(town: Path) -> Iterator[tuple[str, pafs.S3FileSystem]]:
    """A running S3 server with the municipality under s3://opora-data/town: its endpoint and a
    file system to look into it."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(),
                                            verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        fs = pafs.S3FileSystem(access_key=KEYS["AWS_ACCESS_KEY_ID"],
                               secret_key=KEYS["AWS_SECRET_ACCESS_KEY"],
                               endpoint_override=endpoint, region="us-east-1",
                               allow_bucket_creation=True)
        fs.create_dir(BUCKET)
        pafs.copy_files(str(town), f"{BUCKET}/town", source_filesystem=pafs.LocalFileSystem(),
                        destination_filesystem=fs)
        yield endpoint, fs
    finally:
        server.stop()


def _env(endpoint: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "OPORA_S3_", "OPORA_SPARK_"))}
    return {**env, **KEYS, "OPORA_S3_ENDPOINT": endpoint, "AWS_EC2_METADATA_DISABLED": "true",
            **extra}


def _opora(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "opora.cli", "analyze", *args], env=env,
                          capture_output=True, text=True, timeout=300)


def _one_russian_line(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr and "Error" not in run.stderr, run.stderr
    # the two lines a JVM prints at start before any logger is set (docs/operations.md)
    lines = [line for line in run.stderr.strip().splitlines()
             if not any(jvm in line for jvm in ("incubator modules", "default log level",
                                                "setLogLevel(newLevel)"))]
    assert len(lines) == 1 and lines[0].startswith("ошибка: "), run.stderr
    return lines[0]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    """``opora analyze`` in this process (the errors need no engine: faster than a process) with
    the environment of :func:`_env`; returns the completed run as a subprocess would."""
    def call(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
        for key in list(os.environ):
            if key not in env:
                monkeypatch.delenv(key)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        code = main(["analyze", *args])
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)
    return call


def test_a_municipality_on_s3_gives_the_outputs_of_the_local_run(
        s3: tuple[str, pafs.S3FileSystem], town: Path, tmp_path: Path) -> None:
    endpoint, fs = s3
    run = _opora(_env(endpoint), f"s3://{BUCKET}/town", "--out", f"s3://{BUCKET}/runs/first")
    assert run.returncode == 0, run.stderr[-3000:]
    assert f"результаты в s3://{BUCKET}/runs/first" in run.stdout
    analyze(town, tmp_path / "local")
    for name in OUTPUTS:
        remote = fs.open_input_stream(f"{BUCKET}/runs/first/{name}").read()
        local = (tmp_path / "local" / name).read_bytes()
        if name.endswith(".csv"):
            assert remote == local, name  # flags, pairs: byte for byte
        else:
            assert pq.read_table(f"{BUCKET}/runs/first/{name}", filesystem=fs).equals(
                pq.read_table(tmp_path / "local" / name)), name
    recorded = json.loads(fs.open_input_stream(f"{BUCKET}/runs/first/run.json").read())
    assert recorded["input_dir"] == f"s3://{BUCKET}/town"
    assert recorded["input_checksums"] == checksums(town)  # the same files, read through S3
    assert recorded["flag_counts"] == json.loads(
        (tmp_path / "local" / "run.json").read_text("utf-8"))["flag_counts"]


def test_outputs_of_a_local_set_can_go_to_s3_and_an_s3_set_to_a_local_directory(
        s3: tuple[str, pafs.S3FileSystem], town: Path, tmp_path: Path) -> None:
    endpoint, fs = s3
    up = _opora(_env(endpoint), str(town), "--out", f"s3://{BUCKET}/runs/from-disk")
    down = _opora(_env(endpoint), f"s3://{BUCKET}/town", "--out", str(tmp_path / "down"))
    assert up.returncode == 0 and down.returncode == 0, up.stderr + down.stderr
    assert (fs.open_input_stream(f"{BUCKET}/runs/from-disk/flags.csv").read()
            == (tmp_path / "down" / "flags.csv").read_bytes())


def test_results_split_into_part_files_on_s3_are_read_as_one_table(
        s3: tuple[str, pafs.S3FileSystem], town: Path, tmp_path: Path) -> None:
    endpoint, fs = s3
    results = pq.read_table(town / "results.parquet")
    half = results.num_rows // 2
    pafs.copy_files(str(town), f"{BUCKET}/parts", source_filesystem=pafs.LocalFileSystem(),
                    destination_filesystem=fs)
    fs.delete_file(f"{BUCKET}/parts/results.parquet")
    pq.write_table(results.slice(0, half), f"{BUCKET}/parts/results.parquet/part-0.parquet",
                   filesystem=fs)
    pq.write_table(results.slice(half), f"{BUCKET}/parts/results.parquet/part-1.parquet",
                   filesystem=fs)
    run = _opora(_env(endpoint), f"s3://{BUCKET}/parts", "--out", str(tmp_path / "parts"))
    assert run.returncode == 0, run.stderr[-3000:]
    analyze(town, tmp_path / "whole")
    assert ((tmp_path / "parts" / "flags.csv").read_bytes()
            == (tmp_path / "whole" / "flags.csv").read_bytes())


def test_a_missing_bucket_is_named_in_one_russian_line(
        s3: tuple[str, pafs.S3FileSystem], tmp_path: Path, cli: Any) -> None:
    endpoint, _ = s3
    line = _one_russian_line(cli(_env(endpoint), "s3://no-such-bucket/town", "--out",
                                    str(tmp_path / "x")))
    assert "корзина «no-such-bucket» не найдена" in line and endpoint in line
    line = _one_russian_line(cli(_env(endpoint), f"s3://{BUCKET}/town", "--out",
                                    "s3://no-such-bucket/out"))
    assert "корзина «no-such-bucket» не найдена" in line


def test_a_prefix_without_data_is_one_russian_line(
        s3: tuple[str, pafs.S3FileSystem], tmp_path: Path, cli: Any) -> None:
    line = _one_russian_line(cli(_env(s3[0]), f"s3://{BUCKET}/nothing", "--out",
                                    str(tmp_path / "x")))
    assert f"данные по адресу s3://{BUCKET}/nothing не найдены" in line


def test_wrong_keys_are_refused_in_one_russian_line(
        s3: tuple[str, pafs.S3FileSystem], town: Path, tmp_path: Path, cli: Any) -> None:
    from moto.core.authorization import enable_iam_authentication

    endpoint, _ = s3
    wrong = _env(endpoint, AWS_ACCESS_KEY_ID="nobody", AWS_SECRET_ACCESS_KEY="wrong")
    with enable_iam_authentication():  # the server now checks keys (none are registered)
        reading = _one_russian_line(cli(wrong, f"s3://{BUCKET}/town", "--out",
                                           str(tmp_path / "x")))
        writing = _one_russian_line(cli(wrong, str(town), "--out", f"s3://{BUCKET}/out"))
    for line in (reading, writing):
        assert "отказал в доступе" in line and "AWS_ACCESS_KEY_ID" in line
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("url", ["s3://X/town", "s3:///town", "ftp://server/town"])
def test_an_address_not_understood_is_one_russian_line(url: str, tmp_path: Path,
                                                      cli: Any) -> None:
    line = _one_russian_line(cli(_env("http://127.0.0.1:9"), url, "--out",
                                    str(tmp_path / "x")))
    assert f"адрес «{url}» не понят" in line


def test_a_server_that_does_not_answer_is_one_russian_line(tmp_path: Path, cli: Any) -> None:
    endpoint = f"http://127.0.0.1:{_free_port()}"
    line = _one_russian_line(cli(_env(endpoint), f"s3://{BUCKET}/town", "--out",
                                    str(tmp_path / "x")))
    assert f"сервер S3 {endpoint} недоступен" in line


def test_a_server_lost_in_the_middle_of_the_scan_is_one_russian_line(
        town: Path, tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # a server of its own (the module's is shared), stopped once the scan of the student rows
    # is planned and before DuckDB reads them: DuckDB's own error carries Arrow's «IOError»
    from opora.engine.session import EngineSession

    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(),
                                            verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    fs = pafs.S3FileSystem(access_key=KEYS["AWS_ACCESS_KEY_ID"],
                           secret_key=KEYS["AWS_SECRET_ACCESS_KEY"], endpoint_override=endpoint,
                           region="us-east-1", allow_bucket_creation=True)
    fs.create_dir(BUCKET)
    pafs.copy_files(str(town), f"{BUCKET}/town", source_filesystem=pafs.LocalFileSystem(),
                    destination_filesystem=fs)
    planned = EngineSession.read_remote

    def read_then_lose_the_server(self: EngineSession, files: Any) -> Any:
        frame = planned(self, files)
        server.stop()
        return frame

    monkeypatch.setattr(EngineSession, "read_remote", read_then_lose_the_server)
    line = _one_russian_line(cli(_env(endpoint), f"s3://{BUCKET}/town", "--out",
                                    str(tmp_path / "x")))
    assert f"сервер S3 {endpoint} недоступен, не удалось прочитать s3://{BUCKET}/town" in line
    assert not (tmp_path / "x").exists()  # nothing half-written


def test_hdfs_without_its_client_libraries_says_what_is_missing(tmp_path: Path) -> None:
    # No Hadoop here: pyarrow's HDFS client needs libhdfs.so and Hadoop's jars on CLASSPATH. A
    # separate process: the client loads a JVM into the process that opens it.
    line = _one_russian_line(_opora(_env("http://127.0.0.1:9"), "hdfs://127.0.0.1:9000/town",
                                    "--out", str(tmp_path / "x")))
    assert "HDFS недоступен для «hdfs://127.0.0.1:9000/town»" in line
    assert "libhdfs" in line


@pytest.mark.spark
@pytest.mark.skipif(not SPARK_READY, reason="нет pyspark или Java: Spark не запустить")
def test_spark_is_handed_s3a_and_names_the_missing_connector_jars(
        s3: tuple[str, pafs.S3FileSystem], tmp_path: Path) -> None:
    # The small tables are read by pyarrow on the driver; the student rows go to Spark as
    # s3a:// URLs, which need hadoop-aws and the AWS SDK — not in the pyspark wheel.
    line = _one_russian_line(_opora(_env(s3[0]), f"s3://{BUCKET}/town", "--out",
                                    str(tmp_path / "x"), "--engine", "spark"))
    assert f"Spark не может читать s3://{BUCKET}/town: нет коннектора s3a" in line
    assert f"hadoop-aws-{hadoop_version()}.jar" in line


def test_spark_settings_on_the_command_line_need_the_spark_engine_and_a_key_value_form(
        tmp_path: Path, town: Path, cli: Any) -> None:
    line = _one_russian_line(cli(_env("http://127.0.0.1:9"), str(town), "--out",
                                    str(tmp_path / "x"), "--spark-conf",
                                    "spark.hadoop.fs.s3a.endpoint=http://minio:9000"))
    assert "--spark-conf задаёт настройки движка spark" in line
    line = _one_russian_line(cli(_env("http://127.0.0.1:9"), str(town), "--out",
                                    str(tmp_path / "x"), "--engine", "spark",
                                    "--spark-conf", "fs.s3a.endpoint"))
    assert "--spark-conf: ожидается spark.параметр=значение" in line


def test_spark_gets_the_endpoint_region_and_keys_pyarrow_got_and_repr_hides_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from opora.engine.storage import as_location

    for key in [k for k in os.environ if k.startswith(("AWS_", "OPORA_S3_"))]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "reader")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "very-secret")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://minio.local:9000")
    where = as_location("s3://opora-data/region")
    assert where.path == "opora-data/region" and where.endpoint == "http://minio.local:9000"
    assert where.spark_url(where.child("results.parquet")) == (
        "s3a://opora-data/region/results.parquet")
    assert where.hadoop_conf == {
        "fs.s3a.endpoint": "http://minio.local:9000", "fs.s3a.path.style.access": "true",
        "fs.s3a.connection.ssl.enabled": "false", "fs.s3a.endpoint.region": "us-east-1",
        "fs.s3a.access.key": "reader", "fs.s3a.secret.key": "very-secret"}
    assert "very-secret" not in repr(where)
    monkeypatch.setenv("OPORA_S3_ENDPOINT", "https://s3.internal")  # Опора's own setting first
    assert as_location("s3://opora-data/region").hadoop_conf[
        "fs.s3a.connection.ssl.enabled"] == "true"


def test_a_list_of_jars_stays_one_spark_setting_while_pairs_are_split_at_commas() -> None:
    from opora.engine.session import spark_conf

    assert spark_conf("spark.jars=/opt/jars/hadoop-aws-3.5.0.jar,/opt/jars/bundle.jar,"
                      "spark.executor.memory=4g spark.sql.shuffle.partitions=64") == {
        "spark.jars": "/opt/jars/hadoop-aws-3.5.0.jar,/opt/jars/bundle.jar",
        "spark.executor.memory": "4g", "spark.sql.shuffle.partitions": "64"}
    assert spark_conf("spark.executor.memory=4g,spark.executor.cores=2") == {
        "spark.executor.memory": "4g", "spark.executor.cores": "2"}
