"""A coordinator's own template: checked before it is accepted (a placeholder Опора does not know,
an unknown part of a known one, a broken brace, a file that is not DOCX — each refused in
Russian, nothing saved), used once accepted, and the default restored on request."""

from __future__ import annotations

import io
from typing import Any

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from personas import PersonaTestCase
from reports_data import YEAR, make_report_data

from opora.web.reports.models import ReportTemplate


def _template(*lines: str) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class TemplateUploadTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_report_data(cls)

    def _upload(self, content: bytes, user: Any = None, kind: str = "note") -> Any:
        self.client.force_login(user or self.coordinator)
        return self.client.post(f"/reports/templates/{kind}/upload/", {
            "municipality": self.first.pk,
            "file": SimpleUploadedFile("мой.docx", content)}, follow=True)

    def test_a_template_with_an_unknown_placeholder_is_refused_and_not_saved(self) -> None:
        response = self._upload(_template("Справка за {{ year }}: {{ schools_count }}"))
        self.assertContains(response, "Шаблон не принят")
        self.assertContains(response, "неизвестные поля: «schools_count»")
        self.assertFalse(ReportTemplate.objects.exists())

    def test_an_unknown_part_of_a_known_placeholder_is_refused(self) -> None:
        response = self._upload(_template("{%p for r in schools %}", "{{ r.director }}",
                                          "{%p endfor %}"))
        self.assertContains(response, "неизвестная часть поля: «director»")
        self.assertFalse(ReportTemplate.objects.exists())

    def test_a_broken_placeholder_is_refused(self) -> None:
        response = self._upload(_template("Год {{ year }"))
        self.assertContains(response, "Поле шаблона записано с ошибкой")
        self.assertFalse(ReportTemplate.objects.exists())

    def test_a_file_that_is_not_docx_is_refused(self) -> None:
        response = self._upload(b"%PDF-1.7 not a word document")
        self.assertContains(response, "не открывается как документ Word")

    def test_an_accepted_template_is_used_and_the_default_comes_back_on_reset(self) -> None:
        response = self._upload(_template("Наша справка: {{ municipality }}, {{ year }}, школ "
                                          "{{ total_schools }}."))
        self.assertContains(response, "Шаблон принят")
        url = f"/reports/note.docx?municipality={self.first.pk}&year={YEAR}"
        text = docx.Document(io.BytesIO(self.client.get(url).content)).paragraphs[0].text
        self.assertEqual(text, f"Наша справка: Первый, {YEAR}, школ 1.")
        self.client.post("/reports/templates/note/reset/", {"municipality": self.first.pk})
        self.assertFalse(ReportTemplate.objects.exists())
        default = docx.Document(io.BytesIO(self.client.get(url).content))
        self.assertIn("Аналитическая справка", "\n".join(p.text for p in default.paragraphs))

    def test_a_methodist_may_not_upload_a_template(self) -> None:
        self.client.force_login(self.methodist)
        response = self.client.post("/reports/templates/note/upload/", {
            "municipality": self.first.pk, "file": SimpleUploadedFile("x.docx", _template("x"))})
        self.assertEqual(response.status_code, 403)

    def test_the_default_templates_pass_their_own_check(self) -> None:
        from opora.web.reports.defaults import default_path
        from opora.web.reports.docx import check_template

        for kind in ("note", "protocol", "school", "indicators", "review"):
            check_template(kind, default_path(kind).read_bytes())

    def test_the_shipped_templates_are_what_the_builder_writes(self) -> None:
        import tempfile
        from pathlib import Path

        from opora.web.reports.defaults import default_path, write_defaults

        with tempfile.TemporaryDirectory() as folder:
            for path in write_defaults(Path(folder)):
                made = docx.Document(str(path))
                shipped = docx.Document(str(default_path(path.stem)))
                self.assertEqual([p.text for p in made.paragraphs],
                                 [p.text for p in shipped.paragraphs], path.stem)

    def test_every_placeholder_is_documented_in_docs_reports_md(self) -> None:
        from pathlib import Path

        from opora.web.reports.fields import FIELDS

        text = (Path(__file__).resolve().parents[2] / "docs" / "reports.md").read_text()
        missing = {name for fields in FIELDS.values() for name in fields
                   if f"`{name}`" not in text}
        self.assertEqual(missing, set())
