"""Demo data are said to be demo data once on the page, not in every sentence (issue 13).

The evidence of a demo run ended every sentence with «синтетика: opora generate --scale
municipality --seed 1». Now the generator marks its rows «демо-данные», the evidence leaves the
mark out, and a demo installation's pages carry one note.
"""

from __future__ import annotations

from django.test import override_settings
from personas import PersonaTestCase

from opora.demo.generator import _Run
from opora.engine.regional import describe_reference


def test_the_generator_marks_its_rows_as_demo_data_without_a_command_line() -> None:
    assert _Run("municipality", 1, 1).source == "демо-данные"


def test_the_evidence_names_how_the_regional_value_was_made_but_not_the_demo_mark() -> None:
    for source in ("вычислено по всем школам региона; демо-данные",
                   "вычислено по всем школам региона; синтетика: opora generate --scale "
                   "municipality --seed 1"):  # what demo databases made before hold
        assert describe_reference(source) == ("итог по региону (источник: вычислено по всем "
                                              "школам региона)")


def test_a_source_that_is_only_the_demo_mark_reads_as_an_imported_total() -> None:
    assert describe_reference("демо-данные") == ("итог по региону из импортированных эталонных "
                                                 "значений")


class DemoNoteTests(PersonaTestCase):
    def _page(self) -> str:
        self.client.force_login(self.coordinator)
        return self.client.get(f"/schools/{self.a.pk}/").content.decode()

    @override_settings(OPORA_DEMO=True)
    def test_a_demo_installation_says_demo_data_once_on_every_page(self) -> None:
        self.assertEqual(self._page().lower().count("демо-данные"), 1)

    def test_a_real_installation_says_nothing_of_demo_data(self) -> None:
        self.assertNotIn("демо-данные", self._page().lower())
