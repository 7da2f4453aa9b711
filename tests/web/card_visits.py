"""Visiting a school card in tests: its HTML and the number of database queries it took."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def card_visit(client: Any, school: Any) -> tuple[str, int]:
    """GET the card of ``school`` (must answer 200): the page and its query count."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/schools/{school.pk}/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)
