"""Security headers every response carries; refusals logged as one line each."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)


class ContentSecurityPolicyMiddleware:
    """Adds a strict Content-Security-Policy: only our own scripts, styles and fonts (offline)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class OneLineRefusals(logging.Filter):
    """Drops the traceback Django attaches to a 403 («Forbidden (Permission denied): /roles/»).

    A refusal is the permission check doing its job, not an error: the line says what was
    refused and where; a traceback per refusal buried real errors in the console (issue 13).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
