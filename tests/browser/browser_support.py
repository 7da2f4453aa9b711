"""Helpers of the browser tests: where Chromium is, what a page logged, a CSP static site."""

from __future__ import annotations

import http.server
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opora.web.core.security import CONTENT_SECURITY_POLICY

CHROMIUM = Path(os.environ.get("OPORA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]
STATIC = REPO / "src" / "opora" / "web" / "static"
SCREENSHOTS = REPO / "bench" / "out"


@dataclass
class PageLog:
    """What a page said: console errors and warnings, uncaught exceptions, CSP violations."""

    console: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return self.console + self.exceptions


class CspHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the site's Content-Security-Policy header; quiet in the test log."""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class StaticSite:
    """A directory served on 127.0.0.1 with the strict CSP; ``url(name)`` is a page's address."""

    root: Path
    base: str

    def url(self, name: str) -> str:
        return f"{self.base}/{name}"
