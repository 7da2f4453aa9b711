"""Writes of the programmes app: keyword-only, validated (``full_clean``), atomic, audited."""

from __future__ import annotations

from typing import Any


def audit(record: Any, by: Any, reason: str = "") -> None:
    """Name who changed ``record`` for simple-history also outside a request (the demo, the
    command line, the API's tokens); a request's user is set by its middleware anyway."""
    if by is not None and getattr(by, "is_authenticated", False):
        record._history_user = by
    if reason:
        record._change_reason = reason


def saved(record: Any, by: Any, reason: str = "") -> Any:
    """``full_clean`` then ``save`` with the author named: the one way records are written."""
    record.full_clean()
    audit(record, by, reason)
    record.save()
    return record
