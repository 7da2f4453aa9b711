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
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

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
