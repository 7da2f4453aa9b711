"""How many tests of each marker ran, and no silent skips in CI (issue 19).

A Spark test skipped for want of Java, or a browser test for want of Chromium, looks like a green
run. So the end of every run says how many tests of each marker passed, failed or were skipped,
and with ``CI=true`` a skipped test of a marker that CI must run fails the run.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import pytest

MARKERS = ("spark", "browser", "slow")  # pyproject.toml's markers: CI runs every one of them
_counts: dict[str, Counter[str]] = {}
_skipped: list[str] = []


def _markers(report: pytest.TestReport) -> list[str]:
    found = [m for m in MARKERS if m in report.keywords]
    return found or ["без метки"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    outcome = None
    if report.when == "setup" and report.outcome != "passed":
        outcome = "skipped" if report.skipped else "error"
    elif report.when == "call":
        outcome = report.outcome
    if outcome is None:
        return
    for marker in _markers(report):
        _counts.setdefault(marker, Counter())[outcome] += 1
        if outcome == "skipped" and marker in MARKERS:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
            _skipped.append(f"{report.nodeid} ({reason})")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _counts:
        return
    terminalreporter.section("тесты по меткам")
    for marker in (*MARKERS, "без метки"):
        counts = _counts.get(marker, Counter())
        parts = ", ".join(f"{counts[k]} {k}" for k in ("passed", "failed", "error", "skipped")
                          if counts[k])
        terminalreporter.write_line(f"{marker}: {sum(counts.values())} ({parts or 'не запускались'})")
    if _in_ci() and _skipped:
        terminalreporter.write_line("CI=true: пропущенные тесты с метками spark/browser/slow — "
                                    "это ошибка (нет Java или Chromium?):", red=True)
        for line in _skipped[:20]:
            terminalreporter.write_line(f"  {line}", red=True)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    worker = hasattr(session.config, "workerinput")  # xdist: the controller decides
    if _in_ci() and _skipped and not worker and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
