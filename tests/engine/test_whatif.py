"""The what-if gives the flags a real run with the same settings gives (issue 12, «Quality»).

One real run with the default rules keeps its rule inputs; for each other setting a real run is
made with that setting and its identification and context flags are compared with the what-if's
on the first run's kept inputs — the same schools, flags and years, evidence included.
"""

from __future__ import annotations

from functools import cache

import pyarrow as pa
import pytest

from opora.demo.generator import generate_tables
from opora.engine import analyze_tables
from opora.engine.config import load_rules_text
from opora.engine.whatif import identification_flags
from opora.glossary import ADVERSE_CONTEXT, LOW_RESULTS, PERSISTENTLY_LOW, RISK_ZONE

CATEGORY_FLAGS = {LOW_RESULTS.code, PERSISTENTLY_LOW.code, RISK_ZONE.code, ADVERSE_CONTEXT.code}
SETTINGS = {
    "defaults": "",
    "one year of three is enough": "[identification]\nmin_low_years = 1\n",
    "a 90 % interval": "[identification]\nconfidence = 0.90\n",
    "a gap of at least 3 points": "[identification]\nmin_gap_pct = 3.0\n",
    "at least 15 participants": "[identification]\nmin_participants = 15\n",
    "mathematics only": "[identification]\nsubjects = [\"math\", \"math_profile\", \"math_base\"]\n",
    "two years of two": "[identification]\nyears = 2\nmin_low_years = 2\n",
    "the worst 10 % as ШНСУ": "[context]\nadverse_share_pct = 10.0\n",
}


@cache
def _tables() -> dict[str, pa.Table]:
    return generate_tables(scale="municipality", years=3, seed=3)


@cache
def _kept_inputs() -> dict[str, pa.Table]:
    return analyze_tables(_tables()).rule_inputs


def _real(text: str) -> set[tuple[str, str, int, str]]:
    flags = analyze_tables(_tables(), rules=load_rules_text(text)).flags.to_pylist()
    return {(f["school_key"], f["flag"], f["year"], f["evidence"]) for f in flags
            if f["flag"] in CATEGORY_FLAGS}


@pytest.mark.parametrize("name", list(SETTINGS))
def test_the_whatif_flags_equal_a_real_runs_with_the_same_setting(name: str) -> None:
    flags, window = identification_flags(_kept_inputs(), load_rules_text(SETTINGS[name]))
    whatif = {(f.school_key, f.flag, f.year, f.evidence) for f in flags
              if f.flag in CATEGORY_FLAGS}
    real = _real(SETTINGS[name])
    assert whatif == real
    assert real, "the setting flags somebody: the comparison is not empty"
    assert window


def test_the_settings_do_change_the_list() -> None:
    # otherwise the test above could pass with a what-if that ignores its rules
    counts = {name: len(_real(text)) for name, text in SETTINGS.items()}
    assert len(set(counts.values())) >= 4, counts
