"""The generated pages of ``docs/``: what ``opora docs-formats`` and ``opora docs-glossary`` print.

``docs/formats.md`` is the contract (:mod:`opora.schemas`) followed by the stable problem codes of
the readers (:mod:`opora.formats.errors`) and of the import into the database
(:mod:`opora.web.imports.errors`, which needs no Django); ``docs/glossary.md`` is
:mod:`opora.glossary`. ``tests/test_docs.py`` keeps the files equal to these functions.
"""

from __future__ import annotations


def formats_markdown() -> str:
    from opora.formats.errors import read_errors_markdown
    from opora.schemas import render_markdown
    from opora.web.imports.errors import import_errors_markdown

    return "\n".join([render_markdown(), read_errors_markdown(), import_errors_markdown()])


def glossary_markdown() -> str:
    from opora.glossary import render_markdown

    return render_markdown()
