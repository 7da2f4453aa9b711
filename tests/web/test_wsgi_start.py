"""The WSGI application imports every page's module, the engine's rules and SciPy when the server
process starts, so that no visitor's request waits for them (opora/web/wsgi.py); the address
table alone does not import SciPy, so management commands and tests start without it."""

from __future__ import annotations

import os
import subprocess
import sys

ENV = {**os.environ, "DJANGO_SETTINGS_MODULE": "opora.web.core.settings"}


def loaded(setup: str, modules: tuple[str, ...]) -> list[bool]:
    """Which of ``modules`` a fresh interpreter holds after running ``setup``."""
    probe = f"import sys; {setup}; print(*[m in sys.modules for m in {modules!r}])"
    out = subprocess.run([sys.executable, "-c", probe], env=ENV, check=True,
                         capture_output=True, text=True).stdout
    return [word == "True" for word in out.split()]


def test_starting_the_wsgi_application_imports_the_views_the_rules_and_scipy() -> None:
    assert loaded("import opora.web.wsgi",
                  ("opora.web.api.main", "opora.web.card.views", "opora.web.analysis.whatif",
                   "opora.engine.whatif", "opora.engine.identify", "scipy.stats")) == [True] * 6


def test_the_address_table_alone_does_not_import_scipy_or_the_rules() -> None:
    setup = "import django; django.setup(); from django.urls import get_resolver; " \
            "get_resolver().url_patterns"
    assert loaded(setup, ("opora.web.api.main", "opora.engine.identify", "scipy.stats")) == [
        True, False, False]
