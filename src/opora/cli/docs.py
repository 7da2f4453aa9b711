"""The generated pages of ``docs/``: what ``opora docs-formats`` and ``opora docs-glossary`` print.

``docs/formats.md`` is the contract (:mod:`opora.schemas`) followed by the stable problem codes of
the readers (:mod:`opora.formats.errors`) and of the import into the database
(:mod:`opora.web.imports.errors`, which needs no Django); ``docs/glossary.md`` is
:mod:`opora.glossary`. ``tests/test_docs.py`` keeps the files equal to these functions.
"""

from __future__ import annotations

from opora.glossary import (
    SECTIONS,
    ContextColumn,
    FlagTerm,
    Grouping,
    Indicator,
    RoleTerm,
    Section,
    SignTerm,
    Term,
)


def formats_markdown() -> str:
    from opora.formats.errors import read_errors_markdown
    from opora.schemas import render_markdown
    from opora.web.imports.errors import import_errors_markdown

    return "\n".join([render_markdown(), read_errors_markdown(), import_errors_markdown()])


_DOC_TITLES = {"methodology.md": "методика", "user-guide.md": "руководство"}


def _link(anchor: str) -> str:
    if not anchor:
        return "—"
    document = anchor.split("#", 1)[0]
    return f"[{_DOC_TITLES.get(document, document)}]({anchor})"


def _module(term: Term) -> str:
    if not term.module:
        return "—"
    path = "src/" + term.module.replace(".", "/") + ".py"
    return f"[`{term.module}`](../{path})"


def _extras(term: Term) -> list[tuple[str, str]]:
    """Columns only one kind of term has: (heading, value)."""
    if isinstance(term, FlagTerm):
        return [("правила (rules.toml)", ", ".join(f"`[{s.strip()}]`" for s in term.rules.split(","))),
                ("цвет", f"`{term.colour}` на `{term.tint}`")]
    if isinstance(term, Grouping):
        return [("состав", " + ".join(f"`{m}`" for m in term.members) or "ни одного флага"),
                ("цвет", f"`{term.colour}`")]
    if isinstance(term, SignTerm):
        return [("заголовок столбца", term.heading_ru),
                ("значение", f"`{term.value_column}`" + (f", {term.unit}" if term.unit else "")),
                ("что значит значение", term.meaning_ru or "—")]
    if isinstance(term, ContextColumn):
        sign = {1: "+1 (больше — неблагоприятнее)", -1: "−1 (больше — благоприятнее)", 0: "—"}
        return [("единица", term.unit), ("направление в индексе", sign[term.index_sign])]
    if isinstance(term, RoleTerm):
        scope = {"region": "регион", "municipality": "муниципалитет", "school": "школа"}
        return [("видит", scope[term.scope])]
    if isinstance(term, Indicator):
        return [("единица", term.unit)]
    return []


def _fold(text: str) -> str:
    return text.lower().replace("ё", "е").strip("«»\"' ")


def _index_lines() -> list[str]:
    """Every name and synonym, alphabetically, with the term it names."""
    entries: dict[tuple[str, str], tuple[str, str, Term]] = {}
    for section in SECTIONS:
        for term in section.terms:
            for name in term.names:
                if name == term.plural_ru != term.name_ru:
                    continue  # «Лидеры» is found by «Лидер»; the section tables show plurals
                what = section.kind if name == term.name_ru else f"{section.kind} «{term.name_ru}»"
                entries.setdefault((_fold(name), term.code + section.kind), (name, what, term))
    lines = ["| слово | что это | код | где правило | методика |", "|---|---|---|---|---|"]
    for key in sorted(entries):
        name, what, term = entries[key]
        lines.append(f"| {name} | {what} | `{term.code}` | {_module(term)} | {_link(term.anchor)} |")
    return lines


def _section_lines(section: Section) -> list[str]:
    extra = [heading for heading, _ in _extras(section.terms[0])] if section.terms else []
    head = ["№", "название", "мн. число", "код", "полное название и синонимы", *extra,
            "где правило", "методика"]
    lines = [f"## {section.title}", "", "| " + " | ".join(head) + " |",
             "|" + "---|" * len(head)]
    for number, term in enumerate(section.terms, start=1):
        others = "; ".join(n for n in term.names if n not in (term.name_ru, term.plural_ru))
        cells = [str(number), term.name_ru, term.plural_ru, f"`{term.code}`", others or "—",
                 *(value for _, value in _extras(term)), _module(term), _link(term.anchor)]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def glossary_markdown() -> str:
    """The body of ``docs/glossary.md``: the index of every name, then each kind of term."""
    lines = [
        "# Словарь Опоры: флаги, признаки, роли, показатели",
        "",
        "Сгенерировано из `src/opora/glossary/` командой `opora docs-glossary`; не правьте руками.",
        "Найдите слово в указателе (по-русски, как его говорят на совещании): рядом — код, которым",
        "оно записано в таблицах, файлах расчёта и коде, модуль, где живёт правило, и раздел",
        "методики, где правило объяснено. Таблицы ниже перечисляют термины в том порядке, в каком",
        "их показывают страницы, выгрузки и легенды графиков.",
        "",
        "## Указатель",
        "",
        *_index_lines(),
        "",
    ]
    for section in SECTIONS:
        lines += _section_lines(section)
    return "\n".join(lines)
