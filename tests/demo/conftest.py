"""Generated data sets shared by the generator's tests (each generated once per session)."""

from __future__ import annotations

import os

import pandas as pd
import pyarrow as pa
import pytest
from demo_frames import frames

from opora.demo.generator import generate_tables

SEED_SHIFT = int(os.environ.get("OPORA_DEMO_SEED_SHIFT", "0"))
"""Run the statistical tests on other seeds: ``OPORA_DEMO_SEED_SHIFT=5 pytest tests/demo``."""
TOWN_SEED = 7 + SEED_SHIFT
REGION_SEED = 11 + SEED_SHIFT


@pytest.fixture(scope="session")
def town() -> dict[str, pa.Table]:
    """The demo municipality, three years."""
    return generate_tables(scale="municipality", years=3, seed=TOWN_SEED)


@pytest.fixture(scope="session")
def region() -> dict[str, pa.Table]:
    """A whole region (~1,000 schools), two years: enough schools per injected property."""
    return generate_tables(scale="region", years=2, seed=REGION_SEED)


@pytest.fixture(scope="session")
def town_frames(town: dict[str, pa.Table]) -> dict[str, pd.DataFrame]:
    return frames(town)


@pytest.fixture(scope="session")
def region_frames(region: dict[str, pa.Table]) -> dict[str, pd.DataFrame]:
    return frames(region)
