"""The run page in words a coordinator reads, and live: issue 13.

A finished run's status said «low_results: 29, persistently_low: 23 …», the page «Движок
duckdb» and raw seconds; a run finishing while its page was open showed «Готово» and nothing
else until a reload. Expected texts are written out here, not taken from the glossary.
"""

from __future__ import annotations

from django.utils import timezone
from personas import PersonaTestCase

from opora.web.analysis.models import DONE, RUNNING, AnalysisRun, RunPair

OLD_MESSAGE = "Готово. Годы: 2024; low_results: 29, persistently_low: 23, risk_zone: 2."


class RunPageWordsTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.finished = AnalysisRun.objects.create(
            scope="municipality", municipality=cls.first, region=cls.first.region, status=DONE,
            progress=100, finished_at=timezone.now(), rules_version="2026.1", engine="duckdb",
            message=OLD_MESSAGE, timings={"export": 3.938, "engine": 1.228, "load": 1.217},
            counts={"flags": 96, "school_stats": 2163, "pairs": 14},
            run_json={"years_analysed": [2024],
                      "flag_counts": {"low_results": 29, "persistently_low": 23, "risk_zone": 2,
                                      "leader": 0}})

    def _page(self, url: str, **headers: str) -> str:
        self.client.force_login(self.coordinator)
        response = self.client.get(url, **headers)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_a_finished_runs_status_names_its_flags_in_russian_whatever_was_stored(self) -> None:
        page = self._page(f"/analysis/runs/{self.finished.pk}/")
        self.assertIn("Проанализированы годы: 2024. Отметок по видам: ШНОР — 29; Стабильно "
                      "низкие результаты — 23; Зона риска — 2.", page)
        for code in ("low_results", "persistently_low", "risk_zone"):
            self.assertNotIn(code + ":", page)

    def test_the_page_says_where_the_run_was_computed_not_the_engines_code(self) -> None:
        page = self._page(f"/analysis/runs/{self.finished.pk}/")
        self.assertIn("<dt>Где считался</dt><dd>на этом сервере (DuckDB)</dd>", page)
        self.assertNotIn("Движок", page)

    def test_stage_times_and_counts_are_named_in_russian_with_a_decimal_comma(self) -> None:
        page = self._page(f"/analysis/runs/{self.finished.pk}/")
        self.assertIn("выгрузка данных — 3,9; расчёт — 1,2; сохранение результатов — 1,2", page)
        self.assertIn("отметки — 96; показатели школ — 2163; пары — 14", page)

    def test_a_poll_that_finds_the_run_finished_brings_in_the_whole_page(self) -> None:
        fragment = self._page(f"/analysis/runs/{self.finished.pk}/status/", HTTP_HX_REQUEST="true")
        self.assertIn(f'hx-get="/analysis/runs/{self.finished.pk}/" hx-trigger="load" '
                      'hx-select="main" hx-target="closest main" hx-swap="outerHTML"', fragment)

    def test_a_poll_of_a_running_run_keeps_polling_and_does_not_reload(self) -> None:
        AnalysisRun.objects.filter(pk=self.finished.pk).update(status=RUNNING, progress=40,
                                                          message="Расчёт…")
        fragment = self._page(f"/analysis/runs/{self.finished.pk}/status/", HTTP_HX_REQUEST="true")
        self.assertIn('hx-trigger="every 1s"', fragment)
        self.assertNotIn('hx-select="main"', fragment)

    def test_the_page_itself_does_not_reload_itself(self) -> None:
        self.assertNotIn('hx-select="main"', self._page(f"/analysis/runs/{self.finished.pk}/"))

    def test_a_pairs_weak_subjects_are_named_in_russian_on_the_card(self) -> None:
        RunPair.objects.create(run=self.finished, low_school=self.a, leader_school=self.b,
                               weak_subjects="math, rus", reason="похожие условия")
        page = self._page(f"/schools/{self.a.pk}/?run={self.finished.pk}")
        self.assertIn("<td>математика, русский язык</td>", page)
        self.assertNotIn("math", page)
