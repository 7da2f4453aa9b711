"""Data an import replaced, kept with the batch that replaced it (issue 13).

A corrected file replaces the earlier rows of the same schools and works (school × procedure ×
year × grade × subject; a passport: school × year). Uploading a ВПР form over existing data had
replaced 100 participants with 20 without asking: now the page asks first (the import is tried
and rolled back to count what it would replace, :mod:`opora.web.imports.services`), and the rows
replaced are archived as they were — a gzip'd JSON file in the media storage, named on the
batch (``replaced_file``) with the counts per table and per earlier batch (``replaced``). They
can be read back (:func:`replaced_rows`) to show a reviewer or to restore them.
"""

from __future__ import annotations

import gzip
import json
from typing import Any

from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder

from opora.web.imports.loading import WriteReport
from opora.web.imports.models import ImportBatch


def keep_replaced(batch: ImportBatch, report: WriteReport) -> None:
    """Archive the rows ``report`` says the batch replaced (inside the import's transaction:
    the file is written first; should the transaction fail, the batch naming it is gone)."""
    if not report.archived:
        return
    body = json.dumps(report.archived, cls=DjangoJSONEncoder, ensure_ascii=False)
    batch.replaced = {"tables": dict(report.replaced),
                      "from": {str(k): v for k, v in report.replaced_from.items()}}
    batch.replaced_file.save(f"{batch.pk}.json.gz",
                             ContentFile(gzip.compress(body.encode("utf-8"))), save=False)
    batch.save(update_fields=["replaced", "replaced_file"])


def replaced_rows(batch: ImportBatch) -> dict[str, list[dict[str, Any]]]:
    """The rows ``batch`` replaced, table by table, as they were in the database."""
    if not batch.replaced_file:
        return {}
    with batch.replaced_file.open("rb") as handle:
        data: dict[str, list[dict[str, Any]]] = json.loads(gzip.decompress(handle.read()))
    return data
