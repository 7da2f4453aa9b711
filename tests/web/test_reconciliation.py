"""Official lists beside Опора's flags: both, only official, only Опора — with each side's
evidence, per list and year, on the page and in the XLSX (issue 12)."""

from __future__ import annotations

import io

import openpyxl
from django.utils import timezone
from personas import PersonaTestCase

from opora.web.analysis.models import DONE, AnalysisRun, ApprovedList, RunFlag
from opora.web.analysis.reconciliation import BOTH, ONLY_OFFICIAL, ONLY_OPORA, reconcile
from opora.web.assessment.models import ObjectivityMarker, Subject
from opora.web.lists.models import OfficialListEntry


class ReconciliationTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.run2024 = AnalysisRun.objects.create(
            scope="municipality", municipality=cls.first, region=cls.first.region, status=DONE,
            progress=100, finished_at=timezone.now(), run_json={"years_analysed": [2023, 2024]})
        flags = [(cls.a, "low_results", 2024, "A ниже региона на 8,1 п. п."),
                 (cls.b, "persistently_low", 2023, "B: 2023"),  # another year: not compared
                 (cls.b, "adverse_context", 2024, "B: индекс 1,4"),
                 (cls.a, "non_objective", 2024, "A: признак «отметки выше четвертных»")]
        RunFlag.objects.bulk_create([RunFlag(run=cls.run2024, school=s, flag=f, year=y,
                                             evidence=e) for s, f, y, e in flags])
        ApprovedList.objects.create(run=cls.run2024, year=2024, region=cls.first.region,
                                    municipality=cls.first, basis="приказ № 3")
        entries = [(cls.a, "low_results_official", "список министерства, строка 4"),
                   (cls.b, "low_results_official", "список министерства, строка 9"),
                   (cls.b, "project_500", "500+, строка 2"),
                   (cls.c, "low_results_official", "другой муниципалитет")]
        for school, kind, source in entries:
            OfficialListEntry.objects.create(school=school, year=2024, list_kind=kind,
                                             source=source)
        subject, _ = Subject.objects.get_or_create(code="rus", defaults={"name": "Русский язык"})
        ObjectivityMarker.objects.create(school=cls.b, year=2024, grade=4, subject=subject,
                                         marker="4 РУ", source="федеральный список")

    def test_each_list_is_compared_with_its_category_of_the_same_year(self) -> None:
        got = {(r.school.key, r.list_kind, r.agreement) for r in
               reconcile(self.run2024, self.first, 2024)}
        self.assertEqual(got, {
            ("A", "low_results_official", BOTH),            # on the list, Опора: ШНОР 2024
            ("B", "low_results_official", ONLY_OFFICIAL),   # Опора: stably low only in 2023
            ("B", "project_500", ONLY_OFFICIAL),
            ("A", "project_500", ONLY_OPORA),               # ШНОР by Опора, not a 500+ school
            ("A", "objectivity_markers", ONLY_OPORA),       # Опора's sign, no federal marker
            ("B", "objectivity_markers", ONLY_OFFICIAL),    # a marker, no sign of Опора
        })  # no ШНСУ list is loaded, so B's adverse context is compared with nothing; C elsewhere

    def test_each_side_carries_its_evidence(self) -> None:
        rows = {(r.school.key, r.list_kind): r for r in reconcile(self.run2024, self.first, 2024)}
        both = rows[("A", "low_results_official")]
        self.assertEqual((both.official, both.opora),
                         (["список министерства, строка 4"], ["A ниже региона на 8,1 п. п."]))
        self.assertEqual(rows[("B", "objectivity_markers")].official,
                         ["маркер 4 РУ (федеральный список)"])

    def test_the_page_filters_by_agreement_and_exports_the_same_rows(self) -> None:
        self.client.force_login(self.methodist)  # sees the official list
        page = self.client.get("/analysis/reconciliation/", {"agreement": ONLY_OFFICIAL})
        self.assertEqual(page.status_code, 200)
        self.assertEqual([(r.school.key, r.list_kind) for r in page.context["rows"]],
                         [("B", "low_results_official"), ("B", "project_500"),
                          ("B", "objectivity_markers")])
        book = openpyxl.load_workbook(io.BytesIO(self.client.get(
            "/analysis/reconciliation/", {"agreement": ONLY_OFFICIAL, "format": "xlsx"}).content))
        sheet = book["Сверка"]
        self.assertEqual([c.value for c in sheet[3]][:3],
                         ["Школа", "Официальный список", "Совпадение"])
        self.assertEqual([sheet.cell(row, 1).value for row in range(4, 7)],
                         ["СОШ № 2"] * 3)

    def test_school_roles_do_not_reach_it(self) -> None:
        for user in (self.school_admin, self.curator):
            self.client.force_login(user)
            self.assertEqual(self.client.get("/analysis/reconciliation/").status_code, 403)

    def test_the_api_answers_the_same_comparison(self) -> None:
        from django.test import Client

        from opora.web.api.tokens import token_create

        key = token_create(user=self.coordinator, name="t")[1]
        answer = Client().get("/api/v1/reconciliation", {"municipality": self.first.pk},
                              HTTP_AUTHORIZATION=f"Bearer {key}")
        self.assertEqual(answer.status_code, 200, answer.content)
        got = {(r["school_key"], r["list_kind"], r["agreement"]) for r in answer.json()}
        self.assertEqual(got, {(r.school.key, r.list_kind, r.agreement)
                               for r in reconcile(self.run2024, self.first, 2024)})
        other = Client().get("/api/v1/reconciliation", {"municipality": self.second.pk},
                             HTTP_AUTHORIZATION=f"Bearer {key}")
        self.assertEqual(other.status_code, 404)
