"""The WSGI application imports every page's module when the server process starts, so that no
visitor's request waits for it (opora/web/wsgi.py)."""

from __future__ import annotations

import os
import subprocess
import sys


def test_starting_the_wsgi_application_imports_the_api_and_the_views() -> None:
    probe = ("import sys, opora.web.wsgi; "
             "print(all(m in sys.modules for m in ('opora.web.api.main', 'opora.web.card.views', "
             "'opora.web.analysis.whatif')))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "opora.web.core.settings"}
    out = subprocess.run([sys.executable, "-c", probe], env=env, check=True,
                         capture_output=True, text=True).stdout
    assert out.strip() == "True"
