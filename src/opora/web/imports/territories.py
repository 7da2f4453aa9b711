"""Which regions and municipalities an import may write reference values for, and create.

Issue 13: a municipal coordinator uploading another region's published table created that
region, six municipalities and 138 reference values. Now:

- an upload through the page writes only inside its territory: of a published table's totals
  it keeps the region's row of the municipality's own region and the municipality's own row
  (spelt as the file spells them — «город Биробиджан» is the registry's «Город Биробиджан»,
  :func:`opora.formats.territory.same_municipality`); every other row is counted as outside
  and not written, as the other municipalities' schools are;
- a region or municipality the registry does not have is created only on an explicit
  confirmation (the administrator's command line: ``--create-territories``); without it the
  import is refused with the list of what it would create. Uploading the generated demo data
  set (:func:`opora.web.imports.services.load_tables`) builds the registry itself.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from opora.catalog import normalize_label
from opora.formats.territory import same_municipality
from opora.web.schools.models import Municipality, Region


def keep_own_references(tables: dict[str, pa.Table], municipality: Municipality
                        ) -> tuple[dict[str, pa.Table], int]:
    """The tables with only the reference rows of ``municipality`` and its region (named as
    the registry names them), and how many rows were left out."""
    reference = tables.get("reference")
    if reference is None or reference.num_rows == 0:
        return tables, 0
    region = municipality.region.name
    ours = []
    for row in reference.select(["level", "region", "municipality"]).to_pylist():
        same_region = not row["region"] or normalize_label(row["region"]) == normalize_label(region)
        if row["level"] == "region":
            ours.append(same_region)
        else:
            ours.append(same_region and same_municipality(row["municipality"], municipality.name))
    mask = pa.array(ours, pa.bool_())
    kept = reference.filter(mask)
    kept = kept.set_column(kept.schema.get_field_index("region"), "region",
                           pa.array([region] * kept.num_rows, pa.string()))
    names = pc.if_else(pc.equal(kept.column("level"), "municipality"),
                       pa.scalar(municipality.name), kept.column("municipality"))
    kept = kept.set_column(kept.schema.get_field_index("municipality"), "municipality", names)
    return {**tables, "reference": kept}, reference.num_rows - kept.num_rows


def unknown_territories(reference: pa.Table | None, region: Region | None) -> list[str]:
    """The regions and municipalities a reference table names that the registry lacks, in
    words («регион «Еврейская автономная область»», «муниципалитет «Смидовичский район»
    (Еврейская автономная область)»); a row without a region is of ``region``."""
    if reference is None or reference.num_rows == 0:
        return []
    regions = set(Region.objects.values_list("name", flat=True))
    municipalities = set(Municipality.objects.values_list("region__name", "name"))
    missing: dict[str, None] = {}
    default = region.name if region is not None else ""
    for row in reference.select(["level", "region", "municipality"]).to_pylist():
        name = (row["region"] or default).strip()
        if name and name not in regions:
            missing[f"регион «{name}»"] = None
        place = (row["municipality"] or "").strip()
        if row["level"] == "municipality" and place and (name, place) not in municipalities:
            missing[f"муниципалитет «{place}» ({name})"] = None
    return list(missing)
