"""Expert sheets as XLSX: one expert's filled sheet, and a review round with every submitted
sheet and the aggregate (means per criterion, disagreements, the decision). DOCX follows once
the reports app exists (issue 15)."""

from __future__ import annotations

import io

import xlsxwriter

from opora.glossary import REVIEW_DECISIONS, programme_name
from opora.web.programmes.models import ReviewAssignment, ReviewItem
from opora.web.programmes.selectors.reviews import ItemResults


def _subject(item: ReviewItem) -> str:
    what = item.subject_label
    if item.version_number:
        what += f", версия {item.version_number}"
    return f"{item.school.short_name}: {what} (раунд {item.round})"


def _book() -> tuple[io.BytesIO, xlsxwriter.Workbook, dict[str, object]]:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    formats = {"bold": book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                        "bg_color": "#E8EEF7", "border": 1}),
               "wrap": book.add_format({"text_wrap": True, "valign": "top", "border": 1}),
               "title": book.add_format({"bold": True, "font_size": 13})}
    return buffer, book, formats


def sheet_xlsx(assignment: ReviewAssignment) -> bytes:
    """One expert's sheet: criteria, scale, score and comment."""
    buffer, book, f = _book()
    item = assignment.item
    sheet = book.add_worksheet("Экспертный лист")
    sheet.write_string(0, 0, item.campaign.rubric.title, f["title"])
    sheet.write_string(1, 0, f"Экспертиза «{item.campaign.title}»")
    sheet.write_string(2, 0, _subject(item))
    sheet.write_string(3, 0, "Эксперт: " + (assignment.reviewer.get_full_name()
                                            or assignment.reviewer.get_username()))
    for col, title in enumerate(("Критерий", "Что оценивается", "Шкала", "Балл", "Комментарий")):
        sheet.write_string(5, col, title, f["bold"])
    scores = {s.criterion_id: s for s in assignment.scores.all()}
    row = 6
    for criterion in item.campaign.rubric.criteria.all():
        found = scores.get(criterion.pk)
        scale = "; ".join(f"{s} — {d}" if d else str(s) for s, d in criterion.scale)
        for col, value in enumerate((f"{criterion.code}) {criterion.title}",
                                     criterion.description, scale)):
            sheet.write_string(row, col, value, f["wrap"])
        if found is not None:
            sheet.write_number(row, 3, found.score, f["wrap"])
        sheet.write_string(row, 4, found.comment if found else "", f["wrap"])
        row += 1
    sheet.write_string(row + 1, 0, "Общий комментарий", f["bold"])
    sheet.write_string(row + 1, 1, assignment.overall_comment or "—", f["wrap"])
    state = assignment.submitted_at.strftime("%d.%m.%Y") if assignment.submitted_at else \
        "не отправлен"
    sheet.write_string(row + 2, 0, f"Лист отправлен: {state}")
    for col, width in enumerate((34, 44, 40, 8, 50)):
        sheet.set_column(col, col, width)
    book.close()
    return buffer.getvalue()


def item_xlsx(results: ItemResults) -> bytes:
    """A round: every submitted sheet side by side, means, disagreements and the decision."""
    buffer, book, f = _book()
    item = results.item
    sheet = book.add_worksheet("Итог экспертизы")
    sheet.write_string(0, 0, f"Экспертиза «{item.campaign.title}»", f["title"])
    sheet.write_string(1, 0, _subject(item))
    experts = [f"Эксперт {n}" for n in range(1, len(results.sheets) + 1)]
    header = ["Критерий", *experts, "Среднее", "Расхождение"]
    for col, title in enumerate(header):
        sheet.write_string(3, col, title, f["bold"])
    for row, result in enumerate(results.criteria, start=4):
        sheet.write_string(row, 0, f"{result.criterion.code}) {result.criterion.title}",
                           f["wrap"])
        for col, (_, score) in enumerate(result.scores, start=1):
            if score is not None:
                sheet.write_number(row, col, score.score, f["wrap"])
        if result.mean is not None:
            sheet.write_number(row, len(experts) + 1, round(result.mean, 2), f["wrap"])
        sheet.write_string(row, len(experts) + 2,
                           f"да, {result.spread} б." if result.disagreement else "", f["wrap"])
    row = 4 + len(results.criteria)
    sheet.write_string(row, 0, "Итого (сумма средних)", f["bold"])
    if results.total is not None:
        sheet.write_number(row, len(experts) + 1, round(results.total, 2), f["bold"])
    sheet.write_string(row + 1, 0, f"Наибольший возможный итог: {results.maximum}")
    decision = programme_name(REVIEW_DECISIONS, item.decision) if item.decision else \
        "решение не принято"
    sheet.write_string(row + 3, 0, f"Решение: {decision}", f["bold"])
    sheet.write_string(row + 4, 0, item.decision_comment or "")
    comments = book.add_worksheet("Комментарии экспертов")
    for col, title in enumerate(("Эксперт", "Критерий", "Балл", "Комментарий")):
        comments.write_string(0, col, title, f["bold"])
    line = 1
    for number, assignment in enumerate(results.sheets, start=1):
        for score in assignment.scores.all():
            comments.write_string(line, 0, f"Эксперт {number}")
            comments.write_string(line, 1, f"{score.criterion.code}) {score.criterion.title}")
            comments.write_number(line, 2, score.score)
            comments.write_string(line, 3, score.comment, f["wrap"])
            line += 1
        if assignment.overall_comment:
            comments.write_string(line, 0, f"Эксперт {number}")
            comments.write_string(line, 1, "Общий комментарий")
            comments.write_string(line, 3, assignment.overall_comment, f["wrap"])
            line += 1
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, len(header), 12)
    comments.set_column(0, 2, 16)
    comments.set_column(3, 3, 70)
    book.close()
    return buffer.getvalue()
