"""«Что если…» on a run's page: the counts equal a real run's with the same settings, a setting is
saved as a named configuration and run for real, and only who sees drafts may use it."""

from __future__ import annotations

import re
import shutil
import tempfile
from typing import Any

from django.test import TestCase, override_settings
from personas import FAST_HASHER

from opora.demo.generator import generate_tables
from opora.web.accounts import models as roles
from opora.web.accounts.services import role_assign, user_create
from opora.web.analysis.execution import run_execute
from opora.web.analysis.models import DONE, AnalysisRun, RuleSet
from opora.web.analysis.official import list_preview
from opora.web.analysis.whatif import _CACHE
from opora.web.imports.services import load_tables
from opora.web.schools.models import Municipality

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STRICTER = {"years": 3, "min_low_years": 3, "confidence": 0.95, "min_gap_pct": 2.0,
            "min_participants": 10, "adverse_share_pct": 10.0}


@override_settings(PASSWORD_HASHERS=FAST_HASHER, TASKS=IMMEDIATE)
class WhatIfPageTests(TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.media = tempfile.mkdtemp(prefix="opora-media-")
        cls.media_override = override_settings(MEDIA_ROOT=cls.media)
        cls.media_override.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.media_override.disable()
        shutil.rmtree(cls.media, ignore_errors=True)

    @classmethod
    def setUpTestData(cls) -> None:
        assert load_tables(tables=generate_tables(scale="municipality", years=3, seed=5)).ok
        cls.town = Municipality.objects.get()
        cls.coordinator = user_create(username="coordinator", password="x-Coordinator-9")
        role_assign(user=cls.coordinator, role=roles.COORDINATOR, municipality=cls.town)
        cls.methodist = user_create(username="methodist", password="x-Methodist-9")
        role_assign(user=cls.methodist, role=roles.METHODIST, municipality=cls.town)
        run = AnalysisRun.objects.create(scope="municipality", municipality=cls.town,
                                         region=cls.town.region)
        cls.finished = run_execute(run_id=run.pk)
        assert cls.finished.status == DONE, cls.finished.message

    def setUp(self) -> None:
        _CACHE.clear()  # each test reads the kept inputs from the storage
        self.client.force_login(self.coordinator)

    def whatif(self, **settings: Any) -> Any:
        params = {**STRICTER, "subjects": ["rus", "math"], **settings}
        return self.client.get(f"/analysis/runs/{self.finished.pk}/whatif/", params,
                               HTTP_HX_REQUEST="true")

    @staticmethod
    def counts(response: Any) -> dict[str, int]:
        rows = re.findall(r'data-category="(\w+)"><td>[^<]*</td><td class="num">(\d+)</td>',
                          response.content.decode())
        return {code: int(n) for code, n in rows}

    def test_the_run_page_offers_the_form_with_the_runs_own_settings(self) -> None:
        page = self.client.get(f"/analysis/runs/{self.finished.pk}/").content.decode()
        self.assertIn("Что если… — проверить другие настройки", page)
        self.assertRegex(page, r'name="years"[^>]*value="3"')

    def test_the_counts_equal_those_of_a_real_run_with_the_same_settings(self) -> None:
        response = self.whatif()
        self.assertEqual(response.status_code, 200)
        whatif = self.counts(response)
        form = {**STRICTER, "subjects": ["rus", "math"], "action": "run"}
        with self.captureOnCommitCallbacks(execute=True):  # the immediate backend runs it
            started = self.client.post(f"/analysis/runs/{self.finished.pk}/whatif/save/", form)
        new = AnalysisRun.objects.exclude(pk=self.finished.pk).get()
        self.assertRedirects(started, f"/analysis/runs/{new.pk}/")
        self.assertEqual(new.status, DONE, new.message)
        self.assertIn("min_low_years = 3", new.rules_text)
        preview = list_preview(new, max(new.run_json["years_analysed"]))
        real = {code: len(ids) for code, ids in preview.by_category.items()}
        self.assertTrue(real, "the stricter setting still lists schools")
        self.assertEqual({k: v for k, v in whatif.items() if v}, real)
        defaults = self.counts(self.whatif(min_low_years=2, min_gap_pct=0.0, min_participants=5,
                                           adverse_share_pct=20.0,
                                           subjects=["rus", "math", "math_profile",
                                                     "math_base"]))
        self.assertNotEqual(defaults, whatif)  # the settings changed the list

    def test_a_setting_is_saved_as_a_named_configuration_offered_at_the_next_start(
            self) -> None:
        form = {**STRICTER, "subjects": ["rus", "math"], "action": "save",
                "name": "строже: три года из трёх"}
        self.client.post(f"/analysis/runs/{self.finished.pk}/whatif/save/", form)
        saved = RuleSet.objects.get()
        self.assertEqual((saved.name, saved.municipality, saved.created_by),
                         ("строже: три года из трёх", self.town, self.coordinator))
        self.assertIn("adverse_share_pct = 10.0", saved.rules_text)
        runs_page = self.client.get("/analysis/runs/").content.decode()
        self.assertIn("строже: три года из трёх", runs_page)
        self.assertIn("Правило протокола рабочей группы, дословно", runs_page)
        response = self.client.post("/analysis/runs/", {
            "municipality": self.town.pk, "configuration": f"set:{saved.pk}"})
        new = AnalysisRun.objects.exclude(pk=self.finished.pk).get()
        self.assertRedirects(response, f"/analysis/runs/{new.pk}/")
        self.assertEqual(new.rules_text, saved.rules_text)

    def test_the_api_gives_the_same_counts_as_the_page(self) -> None:
        from django.test import Client

        from opora.web.api.tokens import token_create

        page = self.counts(self.whatif())
        key = token_create(user=self.coordinator, name="t")[1]
        answer = Client().get(f"/api/v1/runs/{self.finished.pk}/whatif",
                              {**STRICTER, "subjects": ["rus", "math"]},
                              HTTP_AUTHORIZATION=f"Bearer {key}")
        self.assertEqual(answer.status_code, 200, answer.content)
        self.assertEqual(answer.json()["counts"], page)
        self.assertIn("min_low_years = 3", answer.json()["rules_text"])
        methodist = token_create(user=self.methodist, name="m")[1]
        refused = Client().get(f"/api/v1/runs/{self.finished.pk}/whatif",
                               HTTP_AUTHORIZATION=f"Bearer {methodist}")
        self.assertEqual(refused.status_code, 404)

    def test_impossible_settings_are_explained_in_russian(self) -> None:
        response = self.whatif(min_low_years=4, years=3)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "K не может быть больше окна N", status_code=400)

    def test_who_does_not_see_drafts_cannot_use_it(self) -> None:
        self.client.force_login(self.methodist)
        self.assertEqual(self.whatif().status_code, 404)  # the draft is not disclosed
        page = self.client.get("/analysis/runs/").content.decode()
        self.assertNotIn(f"№ {self.finished.pk}", page)

    def test_a_run_without_kept_inputs_says_to_run_again(self) -> None:
        old = AnalysisRun.objects.create(
            scope="municipality", municipality=self.town, region=self.town.region, status=DONE,
            progress=100, run_json={"years_analysed": [2024]})
        response = self.client.get(f"/analysis/runs/{old.pk}/whatif/", {
            **STRICTER, "subjects": ["rus"]}, HTTP_HX_REQUEST="true")
        self.assertContains(response, "не сохранены промежуточные данные")
