"""Browser-test harness: Playwright driving Debian's Chromium (never ``playwright install``).

Chromium comes from the distribution (``apt-get install chromium``); tests are skipped with that
instruction only when the binary is absent. ``static_site`` serves a temporary directory over
HTTP on 127.0.0.1 with the site's real Content-Security-Policy, so a page built from the vendored
assets meets the same restrictions as the Django pages.
"""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    STATIC,
    CspHandler,
    PageLog,
    StaticSite,
)

# Playwright's sync API runs an event loop in the test thread; Django's live server then refuses
# ORM calls as "async unsafe" unless told otherwise (ARCHITECTURE.md, «Known pitfalls»).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session; skipped only when Chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, PageLog]]:
    """A fresh page whose console errors/warnings and uncaught exceptions are recorded."""
    context = browser.new_context(locale="ru-RU", viewport={"width": 900, "height": 700})
    page = context.new_page()
    log = PageLog()
    page.on("console", lambda m: log.console.append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: log.exceptions.append(str(e)))
    yield page, log
    context.close()


@pytest.fixture
def static_site(tmp_path: Path) -> Iterator[StaticSite]:
    """Serve a temp dir holding copies of ``static/vendor`` and ``static/opora``."""
    for folder in ("vendor", "opora"):
        shutil.copytree(STATIC / folder, tmp_path / "static" / folder)
    handler = partial(CspHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield StaticSite(tmp_path, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()


# --- the Django scenarios (tests/browser/test_scenario_*.py) -------------------------------------

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def site(live_server: Any, settings: Any, tmp_path: Path) -> Any:
    """The live Django server with background tasks run by django-tasks' ``ImmediateBackend``.

    Why not the database worker here: pytest-django's live server on SQLite shares the test
    thread's *in-memory* database connection with the server thread, so an ``opora worker``
    process cannot see that database at all, and a worker thread would share the connection's
    transaction state with the requests. The immediate backend runs the very same task functions
    (``process_upload``, ``execute_analysis_run``) when the enqueuing transaction commits, inside
    the request; the job and run pages then show their finished state. Uploaded files go to a
    temporary ``MEDIA_ROOT``.
    """
    settings.TASKS = IMMEDIATE_TASKS
    settings.MEDIA_ROOT = str(tmp_path / "var" / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return live_server


@pytest.fixture
def site_with_worker(live_server: Any, settings: Any, tmp_path: Path) -> Iterator[Any]:
    """The live server and, on PostgreSQL, a real ``opora worker`` process on the test database.

    On PostgreSQL the test database is an ordinary database another process can open, so the
    tasks go through the production path: the database backend queues them, the worker runs
    them, and the pages poll their progress with htmx until the finished state appears. On
    SQLite (in-memory, see :func:`site`) the immediate backend runs them instead.
    """
    from django.db import connection

    settings.MEDIA_ROOT = str(tmp_path / "var" / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if connection.vendor != "postgresql":
        settings.TASKS = IMMEDIATE_TASKS
        yield live_server
        return
    db = connection.settings_dict
    login = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    env = dict(os.environ, OPORA_DATA_DIR=str(tmp_path / "var"),
               OPORA_DATABASE_URL=f"postgresql://{login}@{db['HOST']}:{db['PORT']}/{db['NAME']}")
    log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "opora.cli", "worker", "--interval", "0.2", "--no-startup-delay",
         "--no-reload"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield live_server
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()


class SiteLog(PageLog):
    """A page log that names the failed responses: Chromium's console says only «Failed to load
    resource … 404», so those lines are replaced by the response's status and address. The
    browser's own request for /favicon.ico (the pages declare no icon) is left out."""

    def __init__(self) -> None:
        super().__init__()
        self.failed: list[str] = []

    def problems(self) -> list[str]:
        console = [c for c in self.console if "Failed to load resource" not in c]
        return console + self.exceptions + self.failed


@pytest.fixture
def wide_page(browser: Any) -> Iterator[tuple[Any, SiteLog]]:
    """A 1280 px wide Russian page (the README screenshots' width) recording its errors."""
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    log = SiteLog()
    page.on("console", lambda m: log.console.append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: log.exceptions.append(str(e)))
    page.on("response", lambda r: log.failed.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    yield page, log
    context.close()


@pytest.fixture
def screenshot() -> Any:
    """``screenshot(page, name, element=None)`` writes docs/screenshots/<name>.png — the visible
    1280 px window, or just ``element`` — only with OPORA_SCREENSHOTS=1 (so that a test run in
    CI never rewrites the committed pictures)."""

    def take(page: Any, name: str, element: Any = None) -> None:
        if os.environ.get("OPORA_SCREENSHOTS") != "1":
            return
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = str(SCREENSHOT_DIR / f"{name}.png")
        if element is not None:
            element.screenshot(path=path)
        else:
            page.screenshot(path=path)

    return take


@pytest.fixture
def sign_in() -> Any:
    """``sign_in(page, base_url, username, password)``: the sign-in form filled in as a person
    would, waiting for the page that follows."""

    def fill(page: Any, base_url: str, username: str, password: str) -> None:
        page.goto(f"{base_url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("button:has-text('Войти')")

    return fill
