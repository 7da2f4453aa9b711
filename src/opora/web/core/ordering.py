"""Names in the order people expect: «СОШ № 2» before «СОШ № 10» (issue 13).

A database sorts names character by character, so «СОШ № 10» came before «СОШ № 2» in the
overview, the run comparison and the exports. :func:`natural_key` compares the runs of digits in
a name as numbers and the rest case- and «ё»-insensitively. Every list of schools by name sorts
with it, in Python (a municipality's or a region's schools: hundreds at most);
:mod:`opora.web.schools.ordering` applies it to schools.
"""

from __future__ import annotations

import re

_PARTS = re.compile(r"(\d+)")
_SPACES = re.compile(r"\s+")


def natural_key(name: str | None) -> tuple[tuple[int, int | str], ...]:
    """A sort key of ``name``: digit runs by value, text ignoring case, «ё» and spaces («СОШ №3»
    sorts with «СОШ № 3»)."""
    text = _SPACES.sub("", (name or "").casefold().replace("ё", "е"))
    return tuple((0, int(part)) if part.isdigit() else (1, part)
                 for part in _PARTS.split(text) if part)
