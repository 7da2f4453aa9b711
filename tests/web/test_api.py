"""The API under /api/v1/: personal tokens, the same scope as the pages, numbers as stored, errors
in Russian JSON. Which persona gets which status is in test_permission_matrix.py; here, what
comes back."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from personas import PersonaTestCase

from opora.web.analysis.models import DONE, AnalysisRun, ApprovedList, RunFlag, RunSchoolStat
from opora.web.api.models import ApiToken
from opora.web.api.tokens import token_create
from opora.web.context.models import ContextPassport


class ApiTestCase(PersonaTestCase):
    def api(self, user: Any, url: str, **params: Any) -> tuple[int, Any]:
        """GET ``url`` with a fresh token of ``user`` (None: no token); status and JSON."""
        headers = {}
        if user is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token_create(user=user, name='t')[1]}"
        response = Client().get(f"/api/v1{url}", params, **headers)
        return response.status_code, response.json()


class TokenTests(ApiTestCase):
    def test_a_token_made_on_the_page_is_shown_once_stored_hashed_and_opens_the_api(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post("/account/tokens/", {"name": "выгрузка", "days": "30"})
        self.assertEqual(response.status_code, 200)
        raw = response.context["created"]
        self.assertTrue(raw.startswith("opora_") and len(raw) == 6 + 43)
        self.assertContains(response, raw)
        self.assertNotContains(self.client.get("/account/tokens/"), raw)  # never again
        token = ApiToken.objects.get(user=self.coordinator)
        self.assertNotIn(raw, (token.digest, token.prefix))
        self.assertTrue(raw.startswith(token.prefix))
        self.assertAlmostEqual((token.expires_at - timezone.now()).days, 29, delta=1)
        answer = Client().get("/api/v1/schools", HTTP_AUTHORIZATION=f"Bearer {raw}")
        self.assertEqual([s["key"] for s in answer.json()["items"]], ["A", "B"])
        token.refresh_from_db()
        self.assertIsNotNone(token.last_used_at)

    def test_a_revoked_an_expired_and_an_inactive_users_token_are_refused(self) -> None:
        revoked, raw_revoked = token_create(user=self.coordinator, name="r")
        self.client.force_login(self.coordinator)
        self.client.post(f"/account/tokens/{revoked.pk}/revoke/")
        expired, raw_expired = token_create(user=self.coordinator, name="e")
        ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(1))
        _, raw_inactive = token_create(user=self.methodist, name="i")
        self.methodist.is_active = False
        self.methodist.save()
        for raw in (raw_revoked, raw_expired, raw_inactive, "opora_madeup", "не ключ"):
            with self.subTest(raw=raw[:12]):
                response = Client().get("/api/v1/schools", HTTP_AUTHORIZATION=f"Bearer {raw}")
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response.json()["code"], "unauthorized")
                self.assertIn("Нужен действующий ключ API", response.json()["message"])

    def test_nobody_can_revoke_someone_elses_token(self) -> None:
        token, _ = token_create(user=self.coordinator, name="чужой")
        self.client.force_login(self.methodist)
        self.assertEqual(self.client.post(f"/account/tokens/{token.pk}/revoke/").status_code, 404)
        token.refresh_from_db()
        self.assertIsNone(token.revoked_at)

    def test_the_command_prints_a_working_key_on_its_last_line(self) -> None:
        out = io.StringIO()
        call_command("create_token", "director", "--days", "7", stdout=out)
        raw = out.getvalue().strip().splitlines()[-1]
        answer = Client().get("/api/v1/schools", HTTP_AUTHORIZATION=f"Bearer {raw}")
        self.assertEqual([s["key"] for s in answer.json()["items"]], ["A"])
        with self.assertRaisesMessage(CommandError, "пользователь «ghost» не найден"):
            call_command("create_token", "ghost", stdout=out)
        with self.assertRaisesMessage(CommandError, "от 1 до 365 дней"):
            call_command("create_token", "director", "--days", "400", stdout=out)


class ScopeTests(ApiTestCase):
    def test_every_persona_gets_exactly_the_schools_its_pages_list(self) -> None:
        for user in (self.coordinator, self.methodist, self.school_admin, self.curator,
                     self.regional, self.nobody, self.admin):
            with self.subTest(user=user.username):
                status, body = self.api(user, "/schools")
                self.assertEqual(status, 200)
                self.assertEqual(sorted(s["key"] for s in body["items"]),
                                 sorted(self.visible_keys(user)))
                self.assertEqual(body["count"], len(body["items"]))

    def test_municipalities_are_those_of_the_roles_and_of_the_visible_schools(self) -> None:
        expected = {self.coordinator: ["Первый"], self.school_admin: ["Первый"],
                    self.curator: ["Второй", "Первый"], self.regional: ["Второй", "Первый"],
                    self.nobody: [], self.admin: ["Второй", "Первый", "Третий"]}
        for user, names in expected.items():
            with self.subTest(user=user.username):
                _, body = self.api(user, "/municipalities")
                self.assertEqual(sorted(m["name"] for m in body["items"]), names)

    def test_a_list_pages_with_limit_and_offset_and_filters_by_municipality(self) -> None:
        # as the list page orders them: by municipality (Второй, Первый, Третий), then number
        _, body = self.api(self.admin, "/schools")
        self.assertEqual([s["key"] for s in body["items"]], ["C", "A", "B", "D"])
        _, body = self.api(self.admin, "/schools", limit=2, offset=1)
        self.assertEqual((body["count"], [s["key"] for s in body["items"]]), (4, ["A", "B"]))
        _, body = self.api(self.admin, "/schools", municipality=self.second.pk)
        self.assertEqual([s["key"] for s in body["items"]], ["C"])
        _, body = self.api(self.admin, "/schools", q="№ 4")
        self.assertEqual([s["key"] for s in body["items"]], ["D"])


class ContentTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        ContextPassport.objects.create(school=cls.a, year=2024, students=512, share_ovz=2.5,
                                       remoteness_km=12.0, source="паспорт школы")
        cls.finished = AnalysisRun.objects.create(
            scope="region", region=cls.first.region, status=DONE, progress=100,
            finished_at=timezone.now(), rules_version="test",
            run_json={"flag_counts": {"low_results": 1, "adverse_context": 1},
                      "school_counts": {"low_results": 1, "adverse_context": 1}})
        RunFlag.objects.create(run=cls.finished, school=cls.a, flag="low_results", year=2024,
                               evidence="ВПР, математика, 5 класс, 2024: 41,0 % против 55,0 %")
        RunFlag.objects.create(run=cls.finished, school=cls.c, flag="adverse_context", year=2023,
                               evidence="индекс −1,2")
        RunSchoolStat.objects.create(
            run=cls.finished, school=cls.a, procedure="VPR", subject="math", grade=5, year=2024,
            participants=27, mean_pct=41.0, mean_score=6.5, fail_share_pct=22.2,
            region_mean_pct=55.0, region_sd_pct=18.0, gap_pct=-14.0, gap_low_pct=-20.5,
            gap_high_pct=-7.5, region_source="региональные значения", status="ok")
        ApprovedList.objects.create(run=cls.finished, year=2024, region=cls.first.region,
                                    basis="приказ № 5")  # the region's official list

    def test_a_school_comes_with_its_passport_in_units(self) -> None:
        status, body = self.api(self.school_admin, f"/schools/{self.a.pk}")
        self.assertEqual(status, 200)
        self.assertEqual((body["key"], body["municipality"], body["region"]),
                         ("A", "Первый", "Северная область"))
        [passport] = body["passports"]
        values = {v["code"]: (v["value"], v["unit"]) for v in passport["values"]}
        self.assertEqual(values["students"], (512, "чел."))
        self.assertEqual(values["share_ovz"], (2.5, "%"))
        self.assertEqual(values["remoteness_km"], (12.0, "км"))
        self.assertEqual(values["share_low_income"], (None, "%"))
        self.assertEqual((passport["year"], passport["school_year"]), (2024, "2024/25"))

    def test_a_schools_results_carry_the_gap_and_its_interval_as_stored(self) -> None:
        _, body = self.api(self.school_admin, f"/schools/{self.a.pk}/results")
        [row] = body
        self.assertEqual(
            (row["participants"], row["mean_pct"], row["region_mean_pct"], row["gap_pct"],
             row["gap_low_pct"], row["gap_high_pct"], row["run_id"]),
            (27, 41.0, 55.0, -14.0, -20.5, -7.5, self.finished.pk))
        self.assertEqual(self.api(self.school_admin, f"/schools/{self.a.pk}/results",
                                  year=2023)[1], [])

    def test_a_schools_flags_come_with_their_evidence_and_russian_name(self) -> None:
        _, body = self.api(self.school_admin, f"/schools/{self.a.pk}/flags")
        self.assertEqual([(f["flag"], f["year"], f["evidence"]) for f in body],
                         [("low_results", 2024,
                           "ВПР, математика, 5 класс, 2024: 41,0 % против 55,0 %")])
        self.assertEqual(body[0]["flag_name"], "ШНОР")

    def test_a_run_that_does_not_cover_the_school_is_not_found(self) -> None:
        other = AnalysisRun.objects.create(scope="municipality", region=self.third.region,
                                           municipality=self.third, status=DONE,
                                           finished_at=timezone.now())
        status, body = self.api(self.admin, f"/schools/{self.a.pk}/flags", run=other.pk)
        self.assertEqual((status, body["code"]), (404, "not_found"))

    def test_a_runs_flags_are_those_of_the_callers_municipalities_and_filter(self) -> None:
        _, body = self.api(self.regional, f"/runs/{self.finished.pk}/flags")
        self.assertEqual(sorted(f["school_key"] for f in body["items"]), ["A", "C"])
        _, body = self.api(self.coordinator, f"/runs/{self.finished.pk}/flags")
        self.assertEqual([f["school_key"] for f in body["items"]], ["A"])  # «Первый» only
        _, body = self.api(self.regional, f"/runs/{self.finished.pk}/flags", flag="adverse_context")
        self.assertEqual([f["school_key"] for f in body["items"]], ["C"])
        _, body = self.api(self.regional, f"/runs/{self.finished.pk}/flags", year=2024)
        self.assertEqual([f["school_key"] for f in body["items"]], ["A"])

    def test_a_run_says_its_status_counts_and_approvals(self) -> None:
        _, body = self.api(self.coordinator, f"/runs/{self.finished.pk}")
        self.assertEqual((body["status"], body["status_name"], body["flag_counts"]),
                         ("done", "готов", {"low_results": 1, "adverse_context": 1}))
        self.assertEqual(body["school_counts"], {"low_results": 1, "adverse_context": 1})
        self.assertEqual((body["draft"], [(a["year"], a["basis"], a["current"])
                                          for a in body["approvals"]]),
                         (False, [(2024, "приказ № 5", True)]))


class DraftAndApprovalTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.draft = AnalysisRun.objects.create(
            scope="municipality", region=cls.first.region, municipality=cls.first, status=DONE,
            progress=100, finished_at=timezone.now(), run_json={"years_analysed": [2023, 2024]})
        RunFlag.objects.create(run=cls.draft, school=cls.a, flag="low_results", year=2024,
                               evidence="ниже региона на 9,5 п. п.")

    def test_a_draft_reaches_the_coordinator_but_not_the_school_or_the_methodist(self) -> None:
        _, body = self.api(self.coordinator, f"/schools/{self.a.pk}/flags")
        self.assertEqual([f["flag"] for f in body], ["low_results"])
        self.assertEqual(self.api(self.school_admin, f"/schools/{self.a.pk}/flags")[1], [])
        self.assertEqual(self.api(self.methodist, f"/runs/{self.draft.pk}")[0], 404)
        _, body = self.api(self.methodist, "/runs")
        self.assertEqual(body["items"], [])

    def test_the_coordinator_approves_through_the_api_and_then_the_school_sees_it(self) -> None:
        raw = token_create(user=self.coordinator, name="t")[1]
        client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
        refused = client.post(f"/api/v1/runs/{self.draft.pk}/approve",
                              {"year": 2021, "basis": "приказ"}, content_type="application/json")
        self.assertEqual(refused.status_code, 422)
        self.assertIn("В расчёте нет 2021 года", refused.json()["message"])
        done = client.post(f"/api/v1/runs/{self.draft.pk}/approve",
                           {"year": 2024, "basis": "приказ № 9"}, content_type="application/json")
        self.assertEqual(done.status_code, 201)
        self.assertEqual((done.json()["year"], done.json()["schools"]), (2024, 1))
        _, body = self.api(self.school_admin, f"/schools/{self.a.pk}/flags")
        self.assertEqual([f["evidence"] for f in body], ["ниже региона на 9,5 п. п."])
        key = token_create(user=self.methodist, name="m")[1]
        methodist = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        self.assertEqual(methodist.post(f"/api/v1/runs/{self.draft.pk}/approve",
                                        {"year": 2024, "basis": "x"},
                                        content_type="application/json").status_code, 403)


class ErrorAndDocsTests(ApiTestCase):
    def test_a_wrong_parameter_is_explained_in_russian(self) -> None:
        status, body = self.api(self.admin, "/schools", limit="много")
        self.assertEqual(status, 422)
        self.assertEqual(body["code"], "invalid_request")
        self.assertEqual(body["problems"], [{"where": "query.limit",
                                             "problem": "нужно целое число"}])

    def test_a_school_role_asking_for_runs_is_told_where_its_flags_are(self) -> None:
        status, body = self.api(self.school_admin, "/runs")
        self.assertEqual((status, body["code"]), (403, "forbidden"))
        self.assertIn("/schools/{id}/flags", body["message"])

    def test_openapi_lists_every_resource_and_the_docs_use_only_local_assets(self) -> None:
        schema = Client().get("/api/v1/openapi.json").json()
        self.assertLessEqual({
            "/api/v1/municipalities", "/api/v1/reconciliation", "/api/v1/runs",
            "/api/v1/runs/{run_id}",
            "/api/v1/runs/{run_id}/approve", "/api/v1/runs/{run_id}/flags",
            "/api/v1/runs/{run_id}/whatif", "/api/v1/schools", "/api/v1/schools/{school_id}",
            "/api/v1/schools/{school_id}/flags", "/api/v1/schools/{school_id}/results",
        }, set(schema["paths"]))  # later apps add theirs
        self.assertIn("PersonalToken", schema["components"]["securitySchemes"])
        page = Client().get("/api/v1/docs").content.decode()
        self.assertIn("/static/ninja/swagger-ui-bundle.js", page)
        self.assertNotIn("//cdn", page)
        self.assertNotRegex(page, r'(src|href)="(https?:)?//')
