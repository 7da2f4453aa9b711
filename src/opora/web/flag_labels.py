"""Deprecated: the flags' names and order live in :mod:`opora.glossary`; import them from there.

Kept only so that code written against the old module (the API routers in progress) still
imports; nothing here is a list of its own.
"""

from __future__ import annotations

from opora.glossary import FLAG_ORDER, flag_label

__all__ = ["FLAG_ORDER", "flag_label"]
