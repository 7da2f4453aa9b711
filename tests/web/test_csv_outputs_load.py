"""A run's CSV files are written safe for Excel and read back exactly (issue 10, point 5)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyarrow as pa
from personas import PersonaTestCase

from opora.engine.identify import Flag
from opora.engine.pairing import Pair
from opora.engine.run import Evaluation, write_outputs
from opora.web.analysis.loading import load_outputs
from opora.web.analysis.models import AnalysisRun, RunFlag, RunPair


class RunOutputsRoundTripTests(PersonaTestCase):
    def test_evidence_and_reasons_excel_would_run_are_stored_as_the_engine_wrote_them(self) -> None:
        evidence, reason = "=ниже региона на 12 п. п.", "'-контекст похож"
        empty = pa.table({"school_key": pa.array([], pa.string())})
        out = Path(self.enterContext(tempfile.TemporaryDirectory()))
        write_outputs(Evaluation(
            school_stats=empty, context=empty, objectivity=empty, window=[2024],
            flags=[Flag("A", "low_results", 2024, evidence)],
            pairs=[Pair("A", "B", ["rus"], -0.25, 12.5, 3.0, 1.0, reason)]), None, out)
        self.assertIn("'=ниже", (out / "flags.csv").read_text("utf-8-sig"))  # safe on disk
        run = AnalysisRun.objects.create(scope="municipality", municipality=self.first,
                                         region=self.first.region)
        load_outputs(run, out)
        self.assertEqual(RunFlag.objects.get(run=run).evidence, evidence)
        pair = RunPair.objects.get(run=run)
        self.assertEqual((pair.reason, pair.context_distance), (reason, -0.25))
