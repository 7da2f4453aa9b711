"""A web run handed to a Spark cluster (issue 18, ``OPORA_SPARK_MASTER``): the run records the
engine it ran on, and a cluster that does not answer fails the run with a Russian reason, not an
«internal error». The run on a live cluster is tests/engine/test_spark_cluster.py's."""

from __future__ import annotations

import os
import socket
from unittest import mock

from django.test import TestCase, override_settings

from opora.demo.generator import generate_tables
from opora.web.analysis.execution import run_engine, run_execute
from opora.web.analysis.models import FAILED, AnalysisRun, RunFlag
from opora.web.imports.services import load_tables
from opora.web.schools.models import Municipality


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SparkClusterRunTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        outcome = load_tables(tables=generate_tables(scale="municipality", years=1, seed=5),
                              name="тест")
        assert outcome.ok, outcome.summary()
        cls.municipality = Municipality.objects.get()

    def test_without_the_setting_runs_stay_on_this_server(self) -> None:
        with override_settings(OPORA_SPARK_MASTER=""):
            self.assertEqual(run_engine(), ("duckdb", None))
        with override_settings(OPORA_SPARK_MASTER=" spark://10.0.0.5:7077 "):
            self.assertEqual(run_engine(), ("spark", "spark://10.0.0.5:7077"))

    def test_an_unreachable_cluster_fails_the_run_with_its_russian_reason(self) -> None:
        run = AnalysisRun.objects.create(scope="municipality", region=self.municipality.region,
                                         municipality=self.municipality)
        master = f"spark://127.0.0.1:{_closed_port()}"
        with override_settings(OPORA_SPARK_MASTER=master), \
                mock.patch.dict(os.environ, {"OPORA_SPARK_CONNECT_TIMEOUT": "2"}):
            run = run_execute(run_id=run.pk)
        self.assertEqual((run.status, run.engine), (FAILED, "spark"))
        self.assertTrue(run.message.startswith("Расчёт не выполнен: "), run.message)
        self.assertNotIn("внутренней ошибки", run.message)
        self.assertFalse(RunFlag.objects.filter(run=run).exists())
