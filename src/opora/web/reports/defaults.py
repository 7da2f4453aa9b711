"""The default DOCX templates, written by code so that they can be made again exactly
(``opora manage report_templates`` or ``scripts/make_report_templates.py`` write them into
``opora/web/reports/defaults/``; the package ships the result).

They are ordinary Word documents with docxtpl placeholders (Jinja2): ``{{ year }}`` for a value,
``{%p for … %}`` for repeated paragraphs, ``{%tr for … %}`` for table rows. A coordinator opens
one in Word, changes the wording, the layout, the emblem, and uploads it back; every placeholder
is listed in ``docs/reports.md``. Kept in the structure of the users' own documents: the
protocol follows seed 001 (agenda, «слушали», «решили», appendices), the note seed 004.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

FOLDER = Path(__file__).with_name("defaults")


def _new() -> DocumentObject:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    return document


def _table(document: DocumentObject, headers: list[str], loop: str, cells: list[str]) -> None:
    """A table: a header row, then one row per item of ``loop`` («r in rows»)."""
    table = document.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    table.rows[1].cells[0].text = f"{{%tr for {loop} %}}"
    for cell, text in zip(table.rows[2].cells, cells, strict=True):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"


def _lines(document: DocumentObject, loop: str, text: str, style: str | None = None) -> None:
    document.add_paragraph(f"{{%p for {loop} %}}")
    document.add_paragraph(text, style=style)
    document.add_paragraph("{%p endfor %}")


def _centre(document: DocumentObject, text: str, *, bold: bool = False) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(text).bold = bold


GENERIC_ROW = ("{{ row.name or row.text }}{% if row.value %}: {{ row.value }} {{ row.unit }}"
               "{% endif %}")


def _section(document: DocumentObject, name: str, line: str = GENERIC_ROW) -> None:
    """A section another app fills (``sections.py``): its rows, or «нет данных»."""
    document.add_heading(f"{{{{ {name}.title }}}}", level=2)
    document.add_paragraph(f"{{%p if {name}.available %}}")
    _lines(document, f"row in {name}.rows", line, style="List Bullet")
    document.add_paragraph("{%p else %}")
    document.add_paragraph(f"{{{{ {name}.note }}}}")
    document.add_paragraph("{%p endif %}")


YEAR_HEADERS = ["{{ years[0] }} год", "{{ years[1] }} год", "{{ years[2] }} год"]
INDICATOR_HEADERS = ["Критерий", "Показатель (индикатор)", "Единица измерения", *YEAR_HEADERS]
INDICATOR_CELLS = ["{{ r.criterion }}", "{{ r.name }}", "{{ r.unit }}", "{{ r.v1 }}",
                   "{{ r.v2 }}", "{{ r.v3 }}"]


def _indicators(document: DocumentObject) -> None:
    """The note's indicators as seed 001's table: one column per year, three years."""
    document.add_heading("{{ indicators.title }}", level=2)
    document.add_paragraph("{%p if indicators.available %}")
    document.add_paragraph("По школам официального списка каждого года; доля — в процентах, с "
                           "числителем и знаменателем в скобках.")
    _table(document, INDICATOR_HEADERS, "r in indicators.rows", INDICATOR_CELLS)
    document.add_paragraph("{%p else %}")
    document.add_paragraph("{{ indicators.note }}")
    document.add_paragraph("{%p endif %}")


def _identification(document: DocumentObject) -> None:
    document.add_heading("1. Выявление школ с низкими образовательными результатами", level=2)
    document.add_paragraph(
        "Список школ {{ year }} года утверждён {{ list_approved }} (основание: {{ list_basis }}). "
        "Всего школ в списке: {{ total_schools }}.")
    _lines(document, "c in counts", "{{ c.category }}: {{ c.count }}", style="List Bullet")
    document.add_paragraph("Вошли в список: {{ entered }}. Вышли из списка: {{ left }}. "
                           "Вышли из системы (два года вне списка): {{ exited }}.")
    document.add_paragraph("{% if typology_chart %}{{ typology_chart }}{% else %}Диаграмма: "
                           "нет данных{% endif %}")
    _table(document, ["№", "Школа", "Категория", "В системе с", "Повторно", "Обоснование"],
           "r in schools", ["{{ r.n }}", "{{ r.name }}", "{{ r.category }}",
                            "{{ r.since_year }}", "{{ r.relapse }}", "{{ r.evidence }}"])
    document.add_heading("Результаты школ списка в {{ year }} году", level=3)
    _table(document, ["Школа", "Работа", "Предмет", "Класс", "Участников, чел.",
                      "Средний результат, %", "Регион, %", "Разница, п. п."],
           "r in results", ["{{ r.school }}", "{{ r.procedure }}", "{{ r.subject }}",
                            "{{ r.grade }}", "{{ r.participants }}", "{{ r.mean_pct }}",
                            "{{ r.region_pct }}", "{{ r.gap }}"])


def _support(document: DocumentObject) -> None:
    document.add_heading("2. Сопровождение школ и охват методической помощью", level=2)
    document.add_paragraph(
        "Период: {{ support.period }}. Проведено мероприятий: {{ support.events }}. Помощь "
        "получили школ: {{ support.helped }} из {{ total_schools }}. Педагогов охвачено: "
        "{{ support.teachers }}.")
    _lines(document, "t in support.totals", "{{ t.name }}: {{ t.value }}", style="List Bullet")
    _table(document, ["Школа", "Категория", "Кураторы", "Сетевые партнёры",
                      "Мероприятий, ед.", "Педагогов, чел.", "Последний визит"],
           "r in support.rows", ["{{ r.name }}", "{{ r.category }}", "{{ r.curators }}",
                                 "{{ r.partners }}", "{{ r.events }}", "{{ r.teachers }}",
                                 "{{ r.last_visit }}"])
    document.add_paragraph(
        "Педагогов в школах списка: {{ staff.teachers }}; прошли диагностику профессиональных "
        "дефицитов: {{ staff.diagnosed }} ({{ staff.diagnosed_pct }} %); положительная "
        "динамика компетенций: {{ staff.positive }} из {{ staff.compared }} "
        "({{ staff.positive_pct }} %).")


def note() -> DocumentObject:
    document = _new()
    _centre(document, "{{ organisation }}")
    _centre(document, "Аналитическая справка", bold=True)
    _centre(document, "о результатах работы со школами с низкими образовательными результатами "
                      "в {{ year }} году — {{ municipality }} ({{ region }})")
    document.add_paragraph("Дата составления: {{ today }}.")
    _identification(document)
    _support(document)
    for number, name in enumerate(("indicators", "recommendations", "decisions",
                                   "effectiveness"), 3):
        document.add_paragraph(f"Раздел {number}.")
        if name == "indicators":
            _indicators(document)
        elif name == "effectiveness":
            _section(document, name, "{{ row.text }}")
        else:
            _section(document, name)
    return document


def protocol() -> DocumentObject:
    document = _new()
    right = document.add_paragraph("УТВЕРЖДАЮ:\n____________________")
    right.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _centre(document, "Протокол", bold=True)
    _centre(document, "заседания муниципальной рабочей группы по организации и проведению "
                      "МСОКО — {{ municipality }}")
    document.add_paragraph("{{ date }}\t№ {{ number }}")
    document.add_paragraph("Место проведения: {{ place }}")
    document.add_paragraph("Присутствовали:")
    _lines(document, "a in attendees", "{{ a }}")
    document.add_paragraph("Председатель: {{ chair }}. Секретарь: {{ secretary }}.")
    _centre(document, "Повестка.", bold=True)
    _lines(document, "item in agenda", "{{ loop.index }}. {{ item }}")
    document.add_paragraph("Слушали: {{ speakers }}.")
    _lines(document, "text in heard", "{{ text }}")
    document.add_paragraph("{% if typology_chart %}{{ typology_chart }}{% endif %}")
    document.add_paragraph("Решили:")
    _lines(document, "text in decided", "{{ loop.index }}. {{ text }}")
    document.add_paragraph("Председатель ______________ {{ chair }}")
    document.add_paragraph("Секретарь ______________ {{ secretary }}")
    document.add_page_break()
    document.add_heading("Приложение 1. Список школ {{ year }} года с обоснованием", level=2)
    _table(document, ["№", "Школа", "Категория", "В системе с", "Обоснование"],
           "r in schools", ["{{ r.n }}", "{{ r.name }}", "{{ r.category }}",
                            "{{ r.since_year }}", "{{ r.evidence }}"])
    document.add_heading("Приложение 2. Сопровождение школ ({{ support.period }})", level=2)
    _table(document, ["Школа", "Кураторы", "Мероприятий, ед.", "Педагогов, чел.",
                      "Последний визит"],
           "r in support.rows", ["{{ r.name }}", "{{ r.curators }}", "{{ r.events }}",
                                 "{{ r.teachers }}", "{{ r.last_visit }}"])
    return document


def school() -> DocumentObject:
    document = _new()
    _centre(document, "Профиль школы", bold=True)
    _centre(document, "{{ school.full_name or school.name }}", bold=True)
    document.add_paragraph("{{ municipality }} ({{ region }}). Код школы: {{ school.key }}. "
                           "Дата: {{ today }}.")
    document.add_heading("Официальные списки по годам", level=2)
    _lines(document, "h in history", "{{ h.year }}: {{ h.status }}", style="List Bullet")
    document.add_paragraph("{%p if not history %}")
    document.add_paragraph("нет данных")
    document.add_paragraph("{%p endif %}")
    document.add_heading("Отметки с обоснованием", level=2)
    _table(document, ["Отметка", "Год", "Обоснование"], "f in flags",
           ["{{ f.flag }}", "{{ f.year }}", "{{ f.evidence }}"])
    document.add_heading("Результаты по годам", level=2)
    document.add_paragraph("{% if results_chart %}{{ results_chart }}{% endif %}")
    _table(document, ["Год", "Работа", "Предмет", "Класс", "Участников, чел.",
                      "Средний результат, %", "Регион, %", "Разница, п. п."],
           "r in results", ["{{ r.year }}", "{{ r.procedure }}", "{{ r.subject }}",
                            "{{ r.grade }}", "{{ r.participants }}", "{{ r.mean_pct }}",
                            "{{ r.region_pct }}", "{{ r.gap }}"])
    document.add_heading("Педагоги", level=2)
    document.add_paragraph("Педагогов: {{ staff.teachers }}; прошли диагностику "
                           "профессиональных дефицитов: {{ staff.diagnosed }} "
                           "({{ staff.diagnosed_pct }} %).")
    return document


def indicators() -> DocumentObject:
    """The indicator tables (seed 001's form): the municipality's, then one per school."""
    document = _new()
    _centre(document, "{{ organisation }}")
    _centre(document, "Показатели системы работы со школами с низкими образовательными "
                      "результатами", bold=True)
    _centre(document, "{{ municipality }} ({{ region }}), {{ years[0] }}–{{ year }} годы")
    document.add_paragraph("Дата составления: {{ today }}. Доля — в процентах, с числителем и "
                           "знаменателем в скобках; «нет данных» — знаменатель равен нулю.")
    document.add_paragraph("{%p if municipal.available %}")
    document.add_heading("Показатели муниципалитета (по школам официального списка)", level=2)
    _table(document, INDICATOR_HEADERS, "r in municipal.rows", INDICATOR_CELLS)
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p for s in schools %}")
    document.add_heading("Показатели школы: {{ s.name }}", level=2)
    _table(document, INDICATOR_HEADERS, "r in s.rows", INDICATOR_CELLS)
    document.add_paragraph("{%p endfor %}")
    return document


def review() -> DocumentObject:
    """A filled expert sheet: the work, the expert, criteria with scores and comments."""
    document = _new()
    _centre(document, "Экспертный лист", bold=True)
    _centre(document, "{{ review.rubric }}")
    document.add_paragraph("Экспертиза: «{{ review.campaign }}» ({{ municipality }}, "
                           "{{ region }}).")
    document.add_paragraph("Школа: {{ review.school_full_name or review.school }}.")
    document.add_paragraph("На экспертизе: {{ review.subject }}, раунд {{ review.round }}.")
    document.add_paragraph("Эксперт: {{ review.reviewer }}. Лист отправлен: "
                           "{{ review.submitted }}.")
    _table(document, ["Критерий", "Что оценивается", "Шкала, баллы", "Балл", "Комментарий"],
           "c in criteria", ["{{ c.code }}) {{ c.title }}", "{{ c.description }}",
                             "{{ c.scale }}", "{{ c.score }}", "{{ c.comment }}"])
    document.add_paragraph("Итого: {{ review.total }} из {{ review.maximum }} баллов.")
    document.add_paragraph("Общий комментарий эксперта: {{ review.overall_comment }}")
    document.add_paragraph("Эксперт ______________ {{ review.reviewer }}")
    return document


BUILDERS: dict[str, Callable[[], DocumentObject]] = {
    "note": note, "protocol": protocol, "school": school, "indicators": indicators,
    "review": review}


def default_path(kind: str) -> Path:
    return FOLDER / f"{kind}.docx"


def write_defaults(folder: Path = FOLDER) -> list[Path]:
    """Write every default template into ``folder``; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, build in BUILDERS.items():
        document = build()
        document.core_properties.author = "Опора"
        document.core_properties.title = kind
        path = folder / f"{kind}.docx"
        document.save(str(path))
        written.append(path)
    return written
