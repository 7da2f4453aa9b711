"""``OPORA_TIME_ZONE``: a regional installation keeps its own calendar day (settings.py).

Each case starts a fresh interpreter, since settings are read once per process.
"""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import datetime, django, time_machine
django.setup()
from django.utils import timezone
# 18:30 UTC on 2 December: 21:30 of the 2nd in Moscow, 01:30 of the 3rd in Novosibirsk (UTC+7)
with time_machine.travel(datetime.datetime(2026, 12, 2, 18, 30, tzinfo=datetime.UTC), tick=False):
    print(timezone.localdate().isoformat())
"""


def _run(zone: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "OPORA_TIME_ZONE"}
    env["DJANGO_SETTINGS_MODULE"] = "opora.web.core.settings"
    if zone is not None:
        env["OPORA_TIME_ZONE"] = zone
    return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_calendar_day_is_moscows_unless_the_installation_names_its_zone() -> None:
    assert _run(None).stdout.strip() == "2026-12-02"
    assert _run("Asia/Novosibirsk").stdout.strip() == "2026-12-03"


def test_an_unknown_zone_stops_the_start_with_a_russian_reason() -> None:
    run = _run("Europe/Nowhere")
    assert run.returncode != 0
    assert "OPORA_TIME_ZONE: часовой пояс «Europe/Nowhere» не известен" in run.stderr
