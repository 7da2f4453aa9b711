"""Generated data sets shared by the generator's tests (each generated once per session)."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest
from demo_frames import frames

from opora.demo.generator import generate_tables


@pytest.fixture(scope="session")
def town() -> dict[str, pa.Table]:
    """The demo municipality, three years."""
    return generate_tables(scale="municipality", years=3, seed=7)


@pytest.fixture(scope="session")
def region() -> dict[str, pa.Table]:
    """A whole region (~1,000 schools), two years: enough schools per injected property."""
    return generate_tables(scale="region", years=2, seed=11)


@pytest.fixture(scope="session")
def town_frames(town: dict[str, pa.Table]) -> dict[str, pd.DataFrame]:
    return frames(town)


@pytest.fixture(scope="session")
def region_frames(region: dict[str, pa.Table]) -> dict[str, pd.DataFrame]:
    return frames(region)
