"""Every table of a run's rows keeps an index that leads with the run, now that Django's index on
``run_id`` alone is gone (analysis/models.py): the run's page, its exports and deleting a run
with its rows must not scan a table that holds every run's rows."""

from __future__ import annotations

from django.db import connection
from django.test import TestCase

from opora.web.analysis.models import (
    RunContext,
    RunFlag,
    RunObjectivity,
    RunPair,
    RunSchoolStat,
    RunUnpaired,
)

RUN_TABLES = (RunFlag, RunSchoolStat, RunContext, RunObjectivity, RunPair, RunUnpaired)


class RunIndexTests(TestCase):
    def test_each_run_table_has_an_index_leading_with_the_run_and_none_on_the_run_alone(
            self) -> None:
        with connection.cursor() as cursor:
            for model in RUN_TABLES:
                indexes = [c["columns"] for c in connection.introspection.get_constraints(
                    cursor, model._meta.db_table).values() if c["index"] and not c["primary_key"]]
                with self.subTest(table=model._meta.db_table):
                    self.assertTrue(any(cols[0] == "run_id" and len(cols) > 1 for cols in indexes),
                                    indexes)
                    self.assertNotIn(["run_id"], indexes)
