"""A rules error says where the rules really are (issue 13): a text typed into the form was
called «файл правила.toml», and the TOML decoder's English reached the page."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from personas import PersonaTestCase

from opora.web.analysis.models import AnalysisRun


class RulesErrorTests(PersonaTestCase):
    def _refused(self, **data: object) -> str:
        self.client.force_login(self.coordinator)
        response = self.client.post("/analysis/runs/", {"municipality": self.first.pk, **data})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(AnalysisRun.objects.exists())
        page = response.content.decode()
        for wrong in ("правила.toml", "файле правил", "Expected", "line"):
            self.assertNotIn(wrong, page)
        return page

    def test_an_unknown_parameter_typed_in_the_box_is_said_to_be_in_the_box(self) -> None:
        page = self._refused(rules_text="[identification]\nyearz = 2\n")
        self.assertIn("Правила не приняты: неизвестный параметр «identification.yearz» в поле "
                      "«Правила»", page)

    def test_broken_toml_in_the_box_names_the_line_and_column_in_russian(self) -> None:
        page = self._refused(rules_text="[identification\nyears = 2")
        self.assertIn("в поле «Правила» ошибка записи TOML в строке 1, позиция 16", page)

    def test_a_wrong_value_in_an_uploaded_file_names_the_file(self) -> None:
        upload = SimpleUploadedFile("строже.toml", "[identification]\nyears = \"два\"\n"
                                    .encode())
        page = self._refused(rules_file=upload)
        self.assertIn("«identification.years» в загруженном файле «строже.toml» должен быть "
                      "целым числом, а не «два»", page)
