"""The glossary is the one home of the domain vocabulary, and what it says is true.

Every anchor it names exists, every rule lives where it says, the stylesheet's badges wear its
colours, the default rules give the passport columns its signs, and a newcomer looking for
«устойчивые» finds the resilient schools' code, module and methodology section.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from opora import glossary
from opora.engine.config import load_rules

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
ALL_TERMS = [term for section in glossary.SECTIONS for term in section.terms]


def _anchors(document: Path) -> set[str]:
    """Explicit ``<a id>`` anchors and GitHub's heading slugs of a Markdown file."""
    text = document.read_text(encoding="utf-8")
    ids = set(re.findall(r'<a id="([^"]+)"></a>', text))
    for heading in re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        ids.add(slug)
    return ids


def _source(module: str) -> str:
    return (ROOT / "src" / (module.replace(".", "/") + ".py")).read_text(encoding="utf-8")


@pytest.mark.parametrize("term", [t for t in ALL_TERMS if t.anchor], ids=lambda t: t.code)
def test_every_anchor_the_glossary_names_exists_in_its_document(term: glossary.Term) -> None:
    document, anchor = term.anchor.split("#", 1)
    assert anchor in _anchors(DOCS / document), f"{term.code}: no #{anchor} in docs/{document}"


def test_codes_are_unique_within_each_kind_of_term() -> None:
    for section in glossary.SECTIONS:
        codes = [t.code for t in section.terms]
        assert len(codes) == len(set(codes)), section.title


def test_no_two_flags_or_signs_share_a_russian_name() -> None:
    for terms in (glossary.FLAGS, glossary.SIGNS, glossary.CONTEXT_COLUMNS, glossary.ROLES):
        names = [t.name_ru.lower() for t in terms]
        assert len(names) == len(set(names))


def _constant_names() -> dict[int, str]:
    return {id(value): name for name, value in vars(glossary).items() if name.isupper()}


@pytest.mark.parametrize("term", [*glossary.FLAGS, *glossary.SIGNS], ids=lambda t: t.code)
def test_the_module_named_as_a_rules_home_refers_to_the_rule(term: glossary.Term) -> None:
    source = _source(term.module)
    name = _constant_names().get(id(term))
    by_name = name is not None and re.search(rf"\b{name}\b", source)
    by_table = isinstance(term, glossary.SignTerm) and "glossary.SIGNS" in source
    assert by_name or by_table, f"{term.module} does not use the glossary's {term.code}"


def test_every_module_the_glossary_names_exists() -> None:
    for term in ALL_TERMS:
        if term.module:
            assert _source(term.module)


def test_the_stylesheet_badges_wear_the_glossarys_colours() -> None:
    css = (ROOT / "src/opora/web/static/opora/opora.css").read_text(encoding="utf-8")
    for flag in glossary.FLAGS:
        rule = re.search(rf"\.flag-{flag.code}\b[^{{]*\{{([^}}]*)\}}", css)
        assert rule, f"no badge style for {flag.code}"
        assert f"background: {flag.tint}" in rule.group(1)
        assert f"border-color: {flag.colour}" in rule.group(1)


def test_the_default_index_components_have_the_glossarys_signs() -> None:
    components = load_rules().context.components
    assert components
    for code, sign in components.items():
        assert glossary.CONTEXT_COLUMN_BY_CODE[code].index_sign == sign, code


def test_the_glossary_imports_nothing_of_opora_but_itself() -> None:
    package = ROOT / "src" / "opora" / "glossary"
    modules = sorted(package.glob("*.py"))
    assert len(modules) >= 2  # the package and its parts
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import)
                     for a in n.names]
        outside = [m for m in imported if m.startswith("opora")
                   and not m.startswith("opora.glossary")]
        assert not outside, (path.name, outside)


def test_an_unknown_flag_code_is_shown_as_it_is_and_sorted_last() -> None:
    assert glossary.flag_label("leader") == "Лидер"
    assert glossary.flag_label("something_new") == "something_new"
    assert glossary.flag_rank("something_new") > glossary.flag_rank("negative_dynamics")


def test_a_newcomer_finds_resilient_schools_by_the_word_ustoichivye() -> None:
    page = (DOCS / "glossary.md").read_text(encoding="utf-8")
    row = next(line for line in page.splitlines() if line.startswith("| устойчивые |"))
    assert "`resilient`" in row
    assert "opora.engine.context" in row
    assert "methodology.md#resilient" in row


def test_a_newcomer_finds_shnor_by_its_written_out_name() -> None:
    page = (DOCS / "glossary.md").read_text(encoding="utf-8")
    row = next(line for line in page.splitlines()
               if line.startswith("| школы с низкими результатами |"))
    assert "`low_results`" in row and "methodology.md#low-results" in row


def test_the_role_codes_accounts_checks_are_the_glossarys_roles() -> None:
    from opora.web.accounts import models

    codes = {models.COORDINATOR, models.METHODIST, models.REGIONAL, models.SCHOOL_ADMIN,
             models.CURATOR}
    assert codes == set(glossary.ROLE_BY_CODE)
    assert [code for code, _ in models.RoleAssignment._meta.get_field("role").choices] == [
        role.code for role in glossary.ROLES]


def test_every_place_that_lists_the_passport_columns_lists_the_glossarys_in_its_order() -> None:
    from opora.formats.templates.spec import CONTEXT_TEMPLATE
    from opora.schemas import CONTEXT
    from opora.web.context.forms import EDITABLE_FIELDS
    from opora.web.context.models import ContextPassport

    codes = [column.code for column in glossary.CONTEXT_COLUMNS]
    assert [c.name for c in CONTEXT.columns if c.name not in ("school_key", "year", "source")] \
        == codes
    assert [c.field for c in CONTEXT_TEMPLATE.columns if c.field not in ("school_key", "year")] \
        == codes
    assert list(EDITABLE_FIELDS) == codes
    model_fields = [f.name for f in ContextPassport._meta.concrete_fields]
    assert [name for name in model_fields if name in codes] == codes


def test_the_template_titles_the_reader_recognises_are_name_and_unit() -> None:
    from opora.formats.templates.spec import CONTEXT_TEMPLATE

    assert CONTEXT_TEMPLATE.column("share_single_parent").title == "Неполные семьи, %"
    assert CONTEXT_TEMPLATE.column("students").title == "Обучающихся, чел."
    assert CONTEXT_TEMPLATE.column("remoteness_km").title == "Удалённость от районного центра, км"
