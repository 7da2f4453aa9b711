"""Documentation that is generated from code stays in sync with it."""

from pathlib import Path

from opora.cli.docs import formats_markdown, glossary_markdown

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_formats_doc_is_the_rendering_of_the_schemas_and_the_error_codes():
    assert (DOCS / "formats.md").read_text(encoding="utf-8") == formats_markdown(), (
        "docs/formats.md is stale: run `opora docs-formats > docs/formats.md`"
    )


def test_glossary_doc_is_the_rendering_of_the_glossary():
    assert (DOCS / "glossary.md").read_text(encoding="utf-8") == glossary_markdown(), (
        "docs/glossary.md is stale: run `opora docs-glossary > docs/glossary.md`"
    )
