"""The vendored front-end files are the ones the README lists and Django can ship them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import altair as alt
import pytest
from django.core.management import call_command
from django.test import override_settings

STATIC = Path(__file__).resolve().parents[2] / "src" / "opora" / "web" / "static"
VENDOR = STATIC / "vendor"
OURS = ("charts.js", "charts.css", "htmx-csrf.js", "htmx-indicators.css")


def _readme_table() -> dict[str, str]:
    """File → version from the table in vendor/README.md."""
    text = (VENDOR / "README.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| `([\w.-]+\.js)` \| ([\d.]+) \|", text, flags=re.MULTILINE))


def test_every_vendored_script_is_listed_with_the_version_it_carries_and_a_licence() -> None:
    table = _readme_table()
    assert set(table) == {p.name for p in VENDOR.glob("*.js")}
    for name, version in table.items():
        assert f'"{version}"' in (VENDOR / name).read_text(encoding="utf-8"), name
        assert (VENDOR / name.replace(".min.js", ".LICENSE.txt")).stat().st_size > 500


def test_vendored_vega_lite_is_the_version_of_altairs_schema() -> None:
    assert _readme_table()["vega-lite.min.js"] == alt.SCHEMA_VERSION.lstrip("v")


def test_no_vendored_script_points_to_a_source_map_that_is_not_there() -> None:
    with_maps = [p.name for p in VENDOR.glob("*.js") if "sourceMappingURL" in p.read_text()]
    assert with_maps == []


@pytest.mark.parametrize("name", OURS)
def test_our_scripts_and_styles_are_files_not_inline_code(name: str) -> None:
    assert (STATIC / "opora" / name).stat().st_size > 100


def test_collectstatic_with_hashed_names_accepts_the_vendored_and_our_files(
        tmp_path: Path) -> None:
    source = tmp_path / "source"
    (source / "opora").mkdir(parents=True)
    shutil.copytree(VENDOR, source / "vendor")
    for name in OURS:
        shutil.copy(STATIC / "opora" / name, source / "opora" / name)
    storages = {"staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    with override_settings(STATICFILES_DIRS=[source], STATIC_ROOT=tmp_path / "root",
                           STORAGES={"default": {"BACKEND":
                                                 "django.core.files.storage.FileSystemStorage"},
                                     **storages},
                           STATICFILES_FINDERS=[
                               "django.contrib.staticfiles.finders.FileSystemFinder"]):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "root" / "staticfiles.json").read_text(encoding="utf-8")
    for name in ("vendor/vega-embed.min.js", "vendor/htmx.min.js", "opora/charts.js"):
        assert f'"{name}"' in manifest
