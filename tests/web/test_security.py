"""Security basics: CSRF on forms and htmx, HTTPS cookies, CSP, escaping (sign-in limits:
test_sign_in.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone
from personas import PASSWORD, PersonaTestCase

import opora.web
from opora.web.analysis.models import DONE, AnalysisRun, RunFlag, RunSchoolStat
from opora.web.context.models import ContextPassport
from opora.web.core.security import CONTENT_SECURITY_POLICY
from opora.web.schools.models import School


class CsrfTests(PersonaTestCase):
    def setUp(self) -> None:
        self.browser = Client(enforce_csrf_checks=True)
        self.browser.force_login(self.school_admin)
        self.url = f"/schools/{self.a.pk}/passport/2023/"

    def _token(self) -> str:
        page = self.browser.get(self.url).content.decode()
        return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)

    def test_a_post_without_the_token_is_refused_and_saves_nothing(self) -> None:
        self.assertEqual(self.browser.post(self.url, {"students": "10"}).status_code, 403)
        self.assertFalse(ContextPassport.objects.exists())

    def test_a_post_with_the_header_htmx_sends_is_accepted(self) -> None:
        # htmx-csrf.js copies <meta name="csrf-token"> into the X-CSRFToken header
        self.assertIn('"X-CSRFToken"', _static("opora/htmx-csrf.js"))
        response = self.browser.post(self.url, {"students": "10"},
                                     headers={"X-CSRFToken": self._token()})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(ContextPassport.objects.get().students, 10)

    def test_every_post_form_on_the_pages_carries_the_token(self) -> None:
        self.browser.force_login(self.admin)
        for url in (self.url, "/roles/", f"/schools/{self.a.pk}/", "/schools/"):
            page = self.browser.get(url).content.decode()
            forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", page, re.S)
            self.assertTrue(forms, url)
            for form in forms:
                self.assertIn('name="csrfmiddlewaretoken"', form, url)


def _static(path: str) -> str:
    return (Path(opora.web.__file__).parent / "static" / path).read_text(encoding="utf-8")


def _settings_with(**env: str) -> dict[str, Any]:
    """Settings as a fresh process reads them from the environment (module-level constants)."""
    code = ("import json, opora.web.core.settings as s; print(json.dumps({k: getattr(s, k, None) for k"
            " in ('SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT',"
            " 'SECURE_HSTS_SECONDS', 'SECURE_PROXY_SSL_HEADER', 'SESSION_COOKIE_HTTPONLY')}))")
    environment = {k: v for k, v in os.environ.items() if k != "OPORA_HTTPS"} | env
    out = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)


class HttpsTests(PersonaTestCase):
    def test_behind_https_cookies_are_secure_and_http_is_redirected(self) -> None:
        values = _settings_with(OPORA_HTTPS="1")
        self.assertEqual(values, {"SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True,
                                  "SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 31536000,
                                  "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
                                  "SESSION_COOKIE_HTTPONLY": True})

    def test_without_https_the_defaults_stay_for_local_use(self) -> None:
        values = _settings_with()
        self.assertFalse(values["SESSION_COOKIE_SECURE"])
        self.assertTrue(values["SESSION_COOKIE_HTTPONLY"])

    @override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
    def test_with_https_settings_the_sign_in_sets_secure_cookies(self) -> None:
        cache.clear()
        client = Client()
        client.get("/login/")
        response = client.post("/login/", {"username": "director", "password": PASSWORD})
        self.assertEqual(response.status_code, 302)
        session = response.cookies["sessionid"]
        self.assertTrue(session["secure"])
        self.assertTrue(session["httponly"])
        self.assertTrue(response.cookies["csrftoken"]["secure"])


class ContentSecurityPolicyTests(PersonaTestCase):
    def test_every_page_and_error_carries_the_policy(self) -> None:
        anonymous = Client()
        responses = [anonymous.get("/login/"), anonymous.get("/schools/")]
        self.client.force_login(self.coordinator)
        for url in ("/schools/", f"/schools/{self.a.pk}/", f"/schools/{self.a.pk}/history/",
                    f"/schools/{self.a.pk}/passport/2023/", f"/schools/{self.a.pk}/passport/2023/history/",
                    "/roles/", f"/schools/{self.c.pk}/", "/schools/999999/"):
            responses.append(self.client.get(url))
        self.client.force_login(self.methodist)
        responses.append(self.client.get("/roles/"))  # 403
        statuses = sorted({r.status_code for r in responses})
        self.assertEqual(statuses, [200, 302, 403, 404])
        for response in responses:
            self.assertEqual(response["Content-Security-Policy"], CONTENT_SECURITY_POLICY)
        self.assertIn("script-src 'self';", CONTENT_SECURITY_POLICY)
        self.assertNotIn("unsafe-inline", CONTENT_SECURITY_POLICY)

    def test_my_pages_have_no_inline_scripts_or_styles(self) -> None:
        self.client.force_login(self.admin)
        for url in (f"/schools/{self.a.pk}/", f"/schools/{self.a.pk}/passport/2023/", "/roles/",
                    f"/schools/{self.a.pk}/history/"):
            page = self.client.get(url).content.decode()
            self.assertNotRegex(page, r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", url)
            self.assertNotIn("<style", page, url)
            self.assertNotRegex(page, r"\sstyle=\"", url)
            self.assertNotRegex(page, r"\son[a-z]+=\"", url)


class EscapingTests(PersonaTestCase):
    EVIL = '<script>alert("x")</script>'

    def test_a_school_name_with_a_script_is_shown_as_text_everywhere(self) -> None:
        School.objects.filter(pk=self.a.pk).update(short_name=self.EVIL, address=self.EVIL)
        self.a.refresh_from_db()
        self.a.save()  # a history row with the name, for the history page
        self.client.force_login(self.admin)
        for url in ("/schools/", f"/schools/{self.a.pk}/", f"/schools/{self.a.pk}/history/",
                    f"/schools/{self.a.pk}/passport/2023/", "/roles/"):
            page = self.client.get(url).content.decode()
            self.assertNotIn(self.EVIL, page, url)
            self.assertIn("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;", page, url)

    def test_the_analysis_sections_of_the_card_escape_names_and_evidence_too(self) -> None:
        School.objects.filter(pk=self.a.pk).update(short_name=self.EVIL)
        run = AnalysisRun.objects.create(
            scope="municipality", municipality=self.first, region=self.first.region,
            status=DONE, progress=100, finished_at=timezone.now(), rules_version="test")
        RunFlag.objects.create(run=run, school=self.a, flag="low_results", year=2024,
                               evidence=f"школа {self.EVIL} ниже региона")
        RunSchoolStat.objects.bulk_create([  # two years: the card draws a chart of them
            RunSchoolStat(run=run, school=self.a, procedure="VPR", subject="rus", grade=4,
                          year=y, participants=20, mean_pct=50.0, region_mean_pct=55.0,
                          gap_pct=-5.0, gap_low_pct=-9.0, gap_high_pct=-1.0,
                          region_source=self.EVIL) for y in (2023, 2024)])
        self.client.force_login(self.coordinator)
        page = self.client.get(f"/schools/{self.a.pk}/").content.decode()
        self.assertIn("vega-spec", page)  # the chart is there, so its JSON was checked too
        self.assertNotIn(self.EVIL, page)
        self.assertNotIn("</script>alert", page)
        self.assertIn("школа &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ниже региона", page)


class ErrorPageTests(PersonaTestCase):
    def test_another_schools_card_answers_in_russian_without_disclosing_it(self) -> None:
        self.client.force_login(self.school_admin)
        response = self.client.get(f"/schools/{self.b.pk}/")
        self.assertContains(response, "Страница не найдена", status_code=404)
        self.assertNotContains(response, "СОШ № 2", status_code=404)
        self.assertNotContains(response, "Not Found", status_code=404)

    def test_a_forbidden_action_says_in_russian_who_may_do_it(self) -> None:
        self.client.force_login(self.methodist)
        response = self.client.get(f"/schools/{self.a.pk}/passport/2023/")
        self.assertContains(response, "Доступ запрещён", status_code=403)
        self.assertContains(response, "Заполнять социальный паспорт может руководитель школы",
                            status_code=403)

    def test_a_form_sent_without_its_token_is_explained_in_russian(self) -> None:
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(self.coordinator)
        response = browser.post("/roles/assign/", {"username": "nobody"})
        self.assertContains(response, "Форма устарела", status_code=403)
        self.assertEqual(response["Content-Security-Policy"], CONTENT_SECURITY_POLICY)

    def test_the_server_error_page_is_russian_and_needs_no_context(self) -> None:
        from django.template.loader import render_to_string

        page = render_to_string("500.html")
        self.assertIn("Ошибка сервера", page)
        self.assertIn('lang="ru"', page)


class PasswordChangeTests(PersonaTestCase):
    def test_a_user_replaces_the_password_they_were_given(self) -> None:
        self.client.force_login(self.school_admin)
        response = self.client.post("/account/password/", {
            "old_password": PASSWORD, "new_password1": "ещё-один-пароль-42",
            "new_password2": "ещё-один-пароль-42"})
        self.assertRedirects(response, "/account/password/done/")
        self.client.logout()
        self.assertFalse(self.client.login(username="director", password=PASSWORD))
        self.assertTrue(self.client.login(username="director", password="ещё-один-пароль-42"))

    def test_a_wrong_old_password_is_refused_in_russian(self) -> None:
        self.client.force_login(self.school_admin)
        response = self.client.post("/account/password/", {
            "old_password": "wrong", "new_password1": "ещё-один-пароль-42",
            "new_password2": "ещё-один-пароль-42"})
        self.assertContains(response, "Пароль не изменён")
        self.assertContains(response, "Ваш старый пароль введ")  # Django: «введен» без «ё»

    def test_the_header_links_the_user_name_to_the_password_page(self) -> None:
        self.client.force_login(self.curator)
        self.assertContains(self.client.get("/schools/"), 'href="/account/password/"')
