"""Production without a secret key refuses to start, in Russian, before serving anything
(issue 10, point 4: it used to start and answer 500 to every request).

Each case is a fresh Python process, as a server or a worker starts: settings are read once,
at import.
"""

from __future__ import annotations

import os
import subprocess
import sys

START_SITE = "import opora.web.wsgi"  # what gunicorn does first
PRINT_KEY = ("import django; django.setup(); from django.conf import settings; "
             "print(settings.SECRET_KEY)")


def _start(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("OPORA_SECRET_KEY", "OPORA_PRODUCTION")}
    environment |= {"DJANGO_SETTINGS_MODULE": "opora.web.core.settings", **env}
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True,
                          text=True, timeout=120)


def test_production_without_a_secret_key_does_not_start_and_says_why_in_russian() -> None:
    for code in (START_SITE, PRINT_KEY):
        started = _start(code, OPORA_PRODUCTION="1")
        assert started.returncode != 0
        assert "Опора не запущена: задан OPORA_PRODUCTION=1, но не задан OPORA_SECRET_KEY" in (
            started.stderr)


def test_a_blank_secret_key_counts_as_none() -> None:
    started = _start(START_SITE, OPORA_PRODUCTION="1", OPORA_SECRET_KEY="   ")
    assert started.returncode != 0 and "OPORA_SECRET_KEY" in started.stderr


def test_production_with_a_secret_key_starts_with_that_key() -> None:
    started = _start(PRINT_KEY, OPORA_PRODUCTION="1", OPORA_SECRET_KEY="длинный-случайный-ключ")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "длинный-случайный-ключ"


def test_outside_production_the_development_key_is_used() -> None:
    started = _start(PRINT_KEY)
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "opora-insecure-development-key-change-me"
