"""The official list of the year: approving a run, categories, replacing a list, entry, exit and
relapse, and who sees what before and after approval (issue 12)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from personas import PersonaTestCase

from opora.web.analysis.models import DONE, AnalysisRun, ApprovedList, RunFlag
from opora.web.analysis.official import (
    EXIT_YEARS,
    inclusion_category,
    list_changes,
    list_preview,
    official_run,
    run_approve,
    stay_of,
)


def finished_run(municipality: Any, flags: list[tuple[Any, str, int]], *,
                 years: tuple[int, ...] = (2022, 2023, 2024), region: Any = None) -> AnalysisRun:
    """A finished run of ``municipality`` (None: region-wide) with these (school, flag, year)."""
    run = AnalysisRun.objects.create(
        scope="municipality" if municipality else "region", municipality=municipality,
        region=region or municipality.region, status=DONE, progress=100,
        finished_at=timezone.now(), run_json={"years_analysed": list(years)})
    RunFlag.objects.bulk_create([RunFlag(run=run, school=school, flag=flag, year=year,
                                         evidence=f"{flag} {year}: числа")
                                 for school, flag, year in flags])
    return run


class CategoryTests(PersonaTestCase):
    def test_the_category_follows_the_flags_of_the_year(self) -> None:
        cases = {
            frozenset({"low_results", "adverse_context"}): "both",
            frozenset({"persistently_low", "adverse_context"}): "both",
            frozenset({"low_results"}): "low_results",
            frozenset({"persistently_low", "risk_zone"}): "low_results",  # the stronger one
            frozenset({"adverse_context", "risk_zone"}): "adverse_context",
            frozenset({"risk_zone"}): "risk_zone",
            frozenset({"leader"}): None, frozenset({"resilient", "adverse_context"}):
                "adverse_context",
            frozenset({"non_objective"}): None, frozenset(): None,
        }
        for flags, expected in cases.items():
            with self.subTest(flags=sorted(flags)):
                self.assertEqual(inclusion_category(set(flags)), expected)

    def test_a_stay_is_broken_only_by_two_listed_years_without_the_school(self) -> None:
        self.assertEqual(EXIT_YEARS, 2)
        years = [2020, 2021, 2022, 2023]
        # on every list since 2021: in the system since 2021
        self.assertEqual(stay_of({2021: True, 2022: True, 2023: True}, 2024,
                                 history_years=years), (2021, False))
        # off in 2023 only (one year): the stay goes on, since 2021
        self.assertEqual(stay_of({2021: True, 2022: True}, 2024, history_years=years),
                         (2021, False))
        # on in 2021, off in 2022 and 2023: it had exited; back in 2024 — a relapse since 2024
        self.assertEqual(stay_of({2021: True}, 2024, history_years=years), (2024, True))
        # a year with no list at all says nothing: 2022 missing, 2023 off → still one gap
        self.assertEqual(stay_of({2021: True}, 2024, history_years=[2021, 2023]),
                         (2021, False))
        self.assertEqual(stay_of({}, 2024, history_years=years), (2024, False))


class ApproveTests(PersonaTestCase):
    def test_approving_makes_one_inclusion_per_school_with_its_category_and_evidence(
            self) -> None:
        run = finished_run(self.first, [
            (self.a, "low_results", 2024), (self.a, "adverse_context", 2024),
            (self.b, "risk_zone", 2024), (self.b, "persistently_low", 2023),  # 2023: not this list
            (self.a, "leader", 2024)])
        approved = run_approve(user=self.coordinator, run=run, year=2024,
                               basis=" приказ УО от 01.09.2024 № 345 ")
        self.assertEqual(approved.basis, "приказ УО от 01.09.2024 № 345")
        self.assertEqual((approved.municipality, approved.year, approved.approved_by),
                         (self.first, 2024, self.coordinator))
        got = {i.school.key: (i.category, i.since_year, i.relapse)
               for i in approved.inclusions.select_related("school")}
        self.assertEqual(got, {"A": ("both", 2024, False), "B": ("risk_zone", 2024, False)})
        evidence = approved.inclusions.get(school=self.a).evidence
        self.assertIn("adverse_context 2024", evidence)
        self.assertIn("low_results 2024", evidence)
        self.assertNotIn("leader", evidence)
        self.assertEqual(official_run(self.first), run)

    def test_a_second_approval_of_the_year_replaces_the_list_and_keeps_it(self) -> None:
        first = finished_run(self.first, [(self.a, "low_results", 2024)])
        second = finished_run(self.first, [(self.b, "low_results", 2024)])
        old = run_approve(user=self.coordinator, run=first, year=2024, basis="приказ № 1")
        preview = list_preview(second, 2024)
        self.assertEqual((preview.current, preview.entering, preview.leaving),
                         (old, [self.b.pk], [self.a.pk]))
        new = run_approve(user=self.coordinator, run=second, year=2024, basis="приказ № 2")
        old.refresh_from_db()
        self.assertIsNotNone(old.withdrawn_at)
        self.assertEqual(old.replaced_by, new)
        self.assertEqual(list(old.inclusions.values_list("school__key", flat=True)), ["A"])
        self.assertEqual(official_run(self.first), second)
        self.assertEqual(ApprovedList.objects.count(), 2)

    def test_only_the_runs_coordinator_approves_a_municipal_run_and_regional_staff_a_regions(
            self) -> None:
        run = finished_run(self.first, [])
        for user in (self.methodist, self.regional, self.school_admin, self.curator):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                run_approve(user=user, run=run, year=2024, basis="приказ")
        region_run = finished_run(None, [], region=self.first.region)
        with self.assertRaises(PermissionDenied):
            run_approve(user=self.coordinator, run=region_run, year=2024, basis="приказ")
        approved = run_approve(user=self.regional, run=region_run, year=2024, basis="приказ")
        self.assertIsNone(approved.municipality)

    def test_a_year_outside_the_run_an_empty_basis_and_an_unfinished_run_are_refused(
            self) -> None:
        run = finished_run(self.first, [], years=(2023, 2024))
        with self.assertRaisesMessage(ValidationError, "В расчёте нет 2021 года"):
            run_approve(user=self.coordinator, run=run, year=2021, basis="приказ")
        with self.assertRaisesMessage(ValidationError, "Укажите основание"):
            run_approve(user=self.coordinator, run=run, year=2024, basis="   ")
        run.status = "running"
        with self.assertRaisesMessage(ValidationError, "только завершённый расчёт"):
            run_approve(user=self.coordinator, run=run, year=2024, basis="приказ")
        self.assertFalse(ApprovedList.objects.exists())

    def test_a_municipalitys_own_list_is_official_before_a_region_wide_one(self) -> None:
        regional = finished_run(None, [], region=self.first.region)
        own = finished_run(self.first, [])
        run_approve(user=self.regional, run=regional, year=2024, basis="региональный приказ")
        self.assertEqual(official_run(self.first), regional)
        self.assertEqual(official_run(self.second), regional)
        run_approve(user=self.coordinator, run=own, year=2024, basis="муниципальный приказ")
        self.assertEqual(official_run(self.first), own)
        self.assertEqual(official_run(self.second), regional)


class EntryExitRelapseTests(PersonaTestCase):
    def _list(self, year: int, schools: list[Any]) -> ApprovedList:
        run = finished_run(self.first, [(s, "low_results", year) for s in schools],
                           years=(year,))
        return run_approve(user=self.coordinator, run=run, year=year, basis=f"приказ {year}")

    def test_a_school_off_two_listed_years_has_exited_and_coming_back_is_a_relapse(
            self) -> None:
        self._list(2021, [self.a, self.b])
        l2022 = self._list(2022, [self.b])
        changes = list_changes(l2022)
        self.assertEqual((changes.stayed, changes.left, changes.exited),
                         ([self.b.pk], [self.a.pk], []))
        l2023 = self._list(2023, [self.b])
        self.assertEqual(list_changes(l2023).exited, [self.a.pk])  # off 2022 and 2023
        l2024 = self._list(2024, [self.a, self.b])
        changes = list_changes(l2024)
        self.assertEqual(sorted(changes.entered), [self.a.pk])
        self.assertEqual(changes.relapses, [self.a.pk])
        self.assertEqual(changes.exited, [])
        got = {i.school_id: (i.since_year, i.relapse) for i in l2024.inclusions.all()}
        self.assertEqual(got, {self.a.pk: (2024, True), self.b.pk: (2021, False)})
        self.client.force_login(self.coordinator)
        page = self.client.get(f"/analysis/runs/{l2023.run_id}/").content.decode()
        self.assertRegex(page, r"Вышли из системы</strong> \(нет в списках двух лет подряд\): 1 — "
                               r'<a href="/schools/\d+/">СОШ № 1</a>')
        page = self.client.get(f"/analysis/runs/{l2024.run_id}/").content.decode()
        self.assertRegex(page, r"Повторно после выхода</strong>: 1 — <a")
        card = self.client.get(f"/schools/{self.a.pk}/").content.decode()
        self.assertIn("вышла из системы", card)
        self.assertIn("повторно</strong> после выхода", card)


class VisibilityTests(PersonaTestCase):
    def test_a_draft_is_hidden_from_the_school_and_shown_once_approved(self) -> None:
        run = finished_run(self.first, [(self.a, "low_results", 2024)])
        self.client.force_login(self.school_admin)
        card = self.client.get(f"/schools/{self.a.pk}/").content.decode()
        self.assertIn("Официальный список школ ещё не утверждён", card)
        self.assertNotIn("low_results 2024: числа", card)
        self.client.force_login(self.coordinator)
        card = self.client.get(f"/schools/{self.a.pk}/").content.decode()
        self.assertIn("черновик", card)
        self.assertIn("low_results 2024: числа", card)

        run_approve(user=self.coordinator, run=run, year=2024, basis="приказ № 7")
        self.client.force_login(self.school_admin)
        card = self.client.get(f"/schools/{self.a.pk}/").content.decode()
        self.assertIn("официальный список 2024 года", card)
        self.assertIn("приказ № 7", card)
        self.assertIn("low_results 2024: числа", card)

    def test_a_newer_draft_leaves_everyones_card_on_the_official_list(self) -> None:
        official = finished_run(self.first, [(self.a, "low_results", 2024)])
        run_approve(user=self.coordinator, run=official, year=2024, basis="приказ № 7")
        finished_run(self.first, [(self.a, "risk_zone", 2024)])  # a stricter trial
        for user in (self.school_admin, self.coordinator, self.methodist):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                card = self.client.get(f"/schools/{self.a.pk}/").content.decode()
                self.assertIn("low_results 2024: числа", card)
                self.assertNotIn("risk_zone 2024: числа", card)

    def test_the_coordinator_approves_on_the_run_page_and_sees_the_preview(self) -> None:
        run = finished_run(self.first, [(self.a, "low_results", 2024),
                                        (self.b, "adverse_context", 2024)])
        self.client.force_login(self.coordinator)
        page = self.client.get(f"/analysis/runs/{run.pk}/").content.decode()
        self.assertIn("Что будет в списке 2024 года", page)
        self.assertIn("Утвердить как официальный список", page)
        response = self.client.post(f"/analysis/runs/{run.pk}/approve/",
                                    {"year": 2024, "basis": "приказ № 12"}, follow=True)
        self.assertContains(response, "утверждён как официальный список 2024 года (2 школ)")
        self.assertContains(response, "действует")
        response = self.client.post(f"/analysis/runs/{run.pk}/approve/",
                                    {"year": 2024, "basis": ""}, follow=True)
        self.assertContains(response, "Список не утверждён")
        self.assertEqual(ApprovedList.objects.count(), 1)
