"""A worker killed in the middle of an import: nothing half-saved, the file offered for a retry,
the next upload processed by the worker the supervisor starts in its place, and the retry loads
the whole file.

This runs the production path end to end in processes of its own — a fresh SQLite database in a
temporary data directory, ``opora worker`` under :class:`~opora.web.core.supervisor.WorkerSupervisor`
(what ``opora demo`` runs), files queued through :func:`~opora.web.imports.queue.job_create` — and
kills the worker with SIGKILL while it writes a 150,000-row file, as the out-of-memory killer or
a power cut would. pytest-django's own database is not used (a worker process cannot see it on
SQLite), so the test reads the database file directly.
"""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from opora.web.core.supervisor import WorkerSupervisor

pytestmark = pytest.mark.slow

SEED = r"""
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from opora.web.accounts.models import RoleAssignment, COORDINATOR
from opora.web.imports.queue import job_create
from opora.web.imports.targets import UploadTarget
from opora.web.schools.services import (
    municipality_get_or_create, region_get_or_create, school_create)

region = region_get_or_create(name="Область")
town = municipality_get_or_create(name="Город", region=region)
school_create(municipality=town, key="A", short_name="СОШ № 1")
user = User.objects.create_user("coordinator", password="x-9Lk-opora")
RoleAssignment.objects.create(user=user, role=COORDINATOR, municipality=town)
header = "school_key;procedure;year;grade;subject;participant_code;absent;primary_score"
big = "\n".join([header] + [f"A;VPR;2025;4;rus;{n:06d};0;{n % 30}" for n in range(150_000)])
small = "\n".join(["school_key;school_name;municipality;procedure;year;grade;subject;participants",
                   "A;СОШ № 1;Город;EGE;2024;11;rus;20"])
for name, text in (("big.csv", big), ("small.csv", small)):
    job_create(user=user, target=UploadTarget(town), hints={},
               files=[SimpleUploadedFile(name, text.encode("utf-8"))])
"""

RETRY = """
from opora.web.imports.queue import entry_requeue
from opora.web.imports.models import UploadEntry
entry_requeue(UploadEntry.objects.get(original_name="big.csv"), create_missing=False)
"""


def _opora(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "opora.cli", *args], env=env,
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-3000:]


def _entries(database: Path) -> dict[str, tuple[str, str, int | None]]:
    with sqlite3.connect(database, timeout=30) as db:
        rows = db.execute("select original_name, status, message, batch_id "
                          "from imports_uploadentry").fetchall()
    return {name: (status, message, batch) for name, status, message, batch in rows}


def _count(database: Path, table: str) -> int:
    with sqlite3.connect(database, timeout=30) as db:
        (count,) = db.execute(f"select count(*) from {table}").fetchone()
    return int(count)


def _wait(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds} s for {what}")


def test_a_killed_worker_leaves_its_file_for_a_retry_and_the_next_one_is_processed(
        tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPORA_", "DJANGO_"))}
    env.update(OPORA_DATA_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="opora.web.core.settings")
    database = tmp_path / "var" / "opora.sqlite3"
    database.parent.mkdir()
    _opora(env, "manage", "migrate", "--no-input")
    _opora(env, "manage", "shell", "-c", SEED)
    assert {n: s for n, (s, _, _) in _entries(database).items()} == {
        "big.csv": "queued", "small.csv": "queued"}

    log = io.BytesIO()
    output = (tmp_path / "worker.log").open("wb")
    supervisor = WorkerSupervisor(
        [sys.executable, "-m", "opora.cli", "worker", "--interval", "0.2",
         "--no-startup-delay", "--no-reload"], env=env, check_every=0.2, stdout=output,
        say=io.TextIOWrapper(log, encoding="utf-8"))
    supervisor.start()
    try:
        _wait(lambda: _entries(database)["big.csv"][0] == "running", 60, "the big file to start")
        time.sleep(1.5)  # into the read and the write of 150,000 rows
        assert _entries(database)["big.csv"][0] == "running", "still importing when killed"
        first = supervisor.process
        assert first is not None
        os.kill(first.pid, signal.SIGKILL)

        _wait(lambda: _entries(database)["small.csv"][0] == "done", 90, "the next file")
        status, message, batch = _entries(database)["big.csv"]
        assert status == "failed"
        assert message.startswith("Обработка прервана: фоновый обработчик остановился")
        assert message.endswith("Нажмите «Обработать заново» или загрузите файл ещё раз.")
        assert batch is None  # interrupted, not refused: the page offers «Обработать заново»
        assert supervisor.restarts == 1 and supervisor.process is not first
        assert _count(database, "assessment_studentresult") == 0  # nothing half-saved
        assert _count(database, "assessment_schoolaggregate") == 1

        # «Обработать заново»: the same file, run again, loads whole
        _opora(env, "manage", "shell", "-c", RETRY)
        _wait(lambda: _entries(database)["big.csv"][0] == "done", 90, "the retried file")
        assert _count(database, "assessment_studentresult") == 150_000
    finally:
        supervisor.stop()
        output.close()
