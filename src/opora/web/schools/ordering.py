"""Schools in natural order of their names (:func:`opora.web.core.ordering.natural_key`)."""

from __future__ import annotations

from collections.abc import Iterable

from opora.web.core.ordering import natural_key
from opora.web.schools.models import School

__all__ = ["by_name", "by_number", "natural_key"]


def by_name(schools: Iterable[School]) -> list[School]:
    """Schools by their short name, naturally (the key breaks ties)."""
    return sorted(schools, key=lambda s: (natural_key(s.short_name), s.key))


def by_number(schools: Iterable[School]) -> list[School]:
    """Schools by municipality, then number (schools without one after the numbered), then
    name, naturally — the order of the school list. ``municipality`` should be loaded."""
    return sorted(schools, key=lambda s: (natural_key(s.municipality.name), s.number is None,
                                          s.number or 0, natural_key(s.short_name), s.key))
