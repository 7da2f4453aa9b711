"""Shared fixtures: paths to the real sample files."""

from __future__ import annotations

from pathlib import Path

import pytest

from marker_counts import (  # noqa: F401  (hooks: tests run per marker, no silent skips in CI)
    pytest_runtest_logreport,
    pytest_sessionfinish,
    pytest_terminal_summary,
)

REPO = Path(__file__).resolve().parents[1]


def _realdata_dir() -> Path:
    for candidate in (REPO.parent / "shared" / "realdata", REPO / "tests" / "data" / "realdata"):
        if (candidate / "vpr_protocol_form.xlsx").exists():
            return candidate
    raise FileNotFoundError("real sample files not found")


@pytest.fixture(scope="session")
def realdata() -> Path:
    """Directory with the real files officials have (``shared/realdata``, copied into tests)."""
    return _realdata_dir()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Every test starts with an empty Django cache (pages cache finished runs' overviews)."""
    from django.core.cache import cache

    cache.clear()
