"""The demo: prepared once, one user per role who can sign in, Russian pages that work offline."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from django.test import TestCase, override_settings

from opora.web.accounts import models as roles
from opora.web.demo import DEMO_PASSWORD, demo_banner, prepare_demo
from opora.web.imports.models import ImportBatch
from opora.web.schools.models import School

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EXTERNAL = re.compile(r"https?://")
SVG_NAMESPACE = 'xmlns="http://www.w3.org/2000/svg"'
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.first = prepare_demo(years=1)
        cls.schools_after_first = School.objects.count()
        cls.second = prepare_demo(years=1)

    def test_preparing_the_demo_twice_loads_the_data_once(self) -> None:
        assert (self.first.loaded, self.second.loaded) == (True, False)
        assert ImportBatch.objects.count() == 1
        assert School.objects.count() == self.schools_after_first > 0

    def test_one_year_of_data_has_only_the_current_list_and_a_stricter_draft(self) -> None:
        """The earlier list needs data two years before the last (three years of data, the
        default: tests/web/test_demo_effectiveness.py); with one year, the current list alone."""
        from opora.web.analysis.models import AnalysisRun, ApprovedList
        from opora.web.demo import DEMO_BASIS, DEMO_STRICTER_RULES

        [approved] = ApprovedList.objects.all()
        assert (approved.basis, approved.approved_by.username) == (DEMO_BASIS, "demo-coordinator")
        assert approved.year == max(approved.run.run_json["years_analysed"])
        draft = AnalysisRun.objects.exclude(pk=approved.run_id).get()
        assert draft.rules_text == DEMO_STRICTER_RULES and not draft.approvals.exists()
        self.client.login(username="demo-school", password=DEMO_PASSWORD)
        card = self.client.get(f"/schools/{self._school_of('demo-school')}/").content.decode()
        assert f"Отметки: официальный список {approved.year} года" in card

    def test_there_is_a_demo_user_for_every_role(self) -> None:
        assert {u.role for u in self.second.users} == {*roles.ROLE_LABELS, "admin"}

    def test_every_demo_user_signs_in_and_sees_their_schools(self) -> None:
        municipality = School.objects.get(pk=self._school_of("demo-school")).municipality
        expected = {"demo-school": 1, "demo-curator": 3,
                    "demo-coordinator": municipality.schools.count(),
                    "demo-methodist": municipality.schools.count(),
                    "demo-regional": School.objects.filter(
                        municipality__region=municipality.region).count(),
                    "demo-admin": School.objects.count()}
        for user in self.second.users:
            with self.subTest(user=user.username):
                assert self.client.login(username=user.username, password=DEMO_PASSWORD)
                page = self.client.get("/schools/")
                assert len(page.context["schools"]) == expected[user.username]
                self.client.logout()

    def _school_of(self, username: str) -> int:
        return roles.RoleAssignment.objects.get(user__username=username).school_id  # type: ignore[return-value]

    def test_the_sign_in_page_is_in_russian(self) -> None:
        page = self.client.get("/login/")
        self.assertContains(page, '<html lang="ru">')
        self.assertContains(page, "Вход в Опору")
        self.assertContains(page, "Пароль")

    def test_pages_carry_a_content_security_policy(self) -> None:
        assert "default-src 'self'" in self.client.get("/login/")["Content-Security-Policy"]
        self.client.login(username="demo-coordinator", password=DEMO_PASSWORD)
        assert "script-src 'self'" in self.client.get("/schools/")["Content-Security-Policy"]

    def test_no_page_or_stylesheet_refers_to_anything_outside_the_server(self) -> None:
        self.client.login(username="demo-coordinator", password=DEMO_PASSWORD)
        school = self.client.get("/schools/").context["schools"][0]
        pages = ["/schools/", f"/schools/{school.pk}/"]
        bodies = [self.client.get(p).content.decode() for p in pages]
        self.client.logout()
        bodies.append(self.client.get("/login/").content.decode())
        assets = {a for body in bodies for a in ASSET.findall(body)}
        assert "/static/opora/opora.css" in assets
        for asset in assets:
            path = finders.find(asset.removeprefix("/static/"))
            assert path is not None, asset
            if asset.endswith(".ico"):
                continue  # a picture (the site icon), it refers to nothing
            text = open(path, encoding="utf-8").read()  # noqa: SIM115
            bodies.append(text.replace(SVG_NAMESPACE, ""))  # a name, never fetched
        assert [EXTERNAL.findall(b) for b in bodies] == [[] for _ in bodies]

    def test_the_banner_tells_the_address_and_every_login_in_russian(self) -> None:
        text = demo_banner(self.second, host="0.0.0.0", port=8123)
        assert "Откройте в браузере: http://127.0.0.1:8123/" in text
        for user in self.second.users:
            assert user.username in text
        assert f"пароль у всех: {DEMO_PASSWORD}" in text
