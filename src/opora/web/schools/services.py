"""Writes of the territory and the school registry (keyword-only, validated, atomic)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from opora.catalog import normalize_label
from opora.web.schools.models import Municipality, Region, School, SchoolAlias


@transaction.atomic
def region_get_or_create(*, name: str) -> Region:
    region = Region.objects.filter(name=name.strip()).first()
    if region is None:
        region = Region(name=name.strip())
        region.full_clean()
        region.save()
    return region


@transaction.atomic
def municipality_get_or_create(*, region: Region, name: str) -> Municipality:
    municipality = Municipality.objects.filter(region=region, name=name.strip()).first()
    if municipality is None:
        municipality = Municipality(region=region, name=name.strip())
        municipality.full_clean()
        municipality.save()
    return municipality


@transaction.atomic
def school_create(*, municipality: Municipality, key: str, short_name: str,
                  **fields: Any) -> School:
    """Create a school in the registry (fields as in ``schemas.SCHOOLS``)."""
    school = School(municipality=municipality, key=key, short_name=short_name, **fields)
    school.full_clean()
    school.save()
    return school


@transaction.atomic
def school_alias_confirm(*, school: School, name: str, municipality_name: str = "",
                         source: str = "") -> SchoolAlias:
    """Record that ``name`` (as a source spells it) is ``school``; idempotent."""
    existing = SchoolAlias.objects.filter(
        normalized=normalize_label(name), municipality_normalized=normalize_label(municipality_name)
    ).first()
    if existing is not None:
        return existing
    alias = SchoolAlias(school=school, name=name, municipality_name=municipality_name, source=source)
    alias.full_clean()
    alias.save()
    return alias
