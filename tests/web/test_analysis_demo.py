"""The demo starts with its analysis done — an official list and a stricter draft —, so the
overview has content on first sign-in."""

from __future__ import annotations

from django.test import TestCase, override_settings

from opora.web.analysis.models import DONE, AnalysisRun, RunFlag
from opora.web.demo import DEMO_PASSWORD, prepare_demo
from opora.web.schools.models import School

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class DemoAnalysisTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        prepare_demo(years=1)
        cls.first_runs = list(AnalysisRun.objects.values_list("pk", flat=True))
        prepare_demo(years=1, migrate=False)

    def test_the_demo_has_its_two_finished_runs_once_after_two_preparations(self) -> None:
        runs = list(AnalysisRun.objects.order_by("pk"))
        assert [r.pk for r in runs] == sorted(self.first_runs)
        assert len(runs) == 2 and all(r.status == DONE for r in runs), [r.message for r in runs]
        official, draft = runs  # the approved list, then the coordinator's stricter trial
        assert official.approvals.exists() and not draft.approvals.exists()
        assert RunFlag.objects.filter(run=official).exists()

    def test_the_demo_coordinator_sees_every_school_of_the_municipality_in_the_overview(self) -> None:
        assert self.client.login(username="demo-coordinator", password=DEMO_PASSWORD)
        page = self.client.get("/analysis/")
        assert page.context["run"] is not None
        municipality = page.context["municipality"]
        assert len(page.context["rows"]) == School.objects.filter(
            municipality=municipality).count()

    def test_resetting_the_demo_replaces_the_run_instead_of_failing_on_it(self) -> None:
        prepare_demo(reset=True, migrate=False, years=1)
        runs = list(AnalysisRun.objects.values_list("pk", flat=True))
        assert len(runs) == 2 and not set(runs) & set(self.first_runs)
