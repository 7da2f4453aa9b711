"""Signing in: one limit for every way in, waits that grow per account, the client's address
behind the proxy, and a one-time password changed at the first sign-in (issue 10, point 4).

Time passing is simulated by moving the stored failures back (:func:`_later`), not by patching
the clock: the limit reads nothing but those rows and ``now``.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F
from django.test import Client, RequestFactory, override_settings
from personas import PASSWORD, PersonaTestCase

from opora.web.accounts.models import PasswordChangeRequired, SignInFailures
from opora.web.accounts.throttle import ACCOUNT, ADDRESS, wait_seconds
from opora.web.core.addresses import client_address

WAIT = "Слишком много неудачных попыток входа"


def _later(seconds: int) -> None:
    """As if ``seconds`` had passed since every failure recorded so far."""
    shift = timedelta(seconds=seconds)
    SignInFailures.objects.update(last_failure=F("last_failure") - shift)
    SignInFailures.objects.exclude(wait_until=None).update(wait_until=F("wait_until") - shift)


class SignInLimitTests(PersonaTestCase):
    def _login(self, username: str, password: str, address: str = "10.0.0.1") -> Any:
        return Client(REMOTE_ADDR=address).post("/login/", {"username": username,
                                                            "password": password})

    def _fail(self, times: int, username: str = "director", address: str = "10.0.0.1") -> None:
        for _ in range(times):
            self.assertEqual(self._login(username, "wrong", address).status_code, 200)

    def test_the_sixth_attempt_is_refused_even_with_the_right_password(self) -> None:
        self.assertEqual(ACCOUNT.free, 5)  # the number the user guide promises
        self._fail(5)
        response = self._login("director", PASSWORD)
        self.assertContains(response, WAIT, status_code=429)
        self.assertContains(response, "через 1 минуту", status_code=429)
        self.assertNotIn("_auth_user_id", response.client.session)

    def test_four_failures_still_let_the_right_password_in_and_reset_the_count(self) -> None:
        self._fail(4)
        self.assertEqual(self._login("director", PASSWORD).status_code, 302)
        self._fail(4)  # counting starts again after a success
        self.assertEqual(self._login("director", PASSWORD).status_code, 302)

    def test_the_account_limit_holds_from_every_address(self) -> None:
        self._fail(5, address="10.0.0.1")
        self.assertEqual(self._login("director", PASSWORD, address="10.0.0.2").status_code, 429)
        self.assertEqual(self._login("coordinator", PASSWORD).status_code, 302)  # another account

    def test_the_username_is_compared_without_case_and_spaces(self) -> None:
        self._fail(5, username=" Director ")
        self.assertEqual(self._login("director", PASSWORD).status_code, 429)

    def test_the_wait_doubles_with_each_failure_after_the_fifth_up_to_an_hour(self) -> None:
        expected = [60, 120, 240, 480, 960, 1920, 3600, 3600]  # 60 s × 2^n, at most an hour
        self._fail(5)
        waits = [wait_seconds(None, "director")]
        for _ in expected[1:]:
            _later(waits[-1] + 1)  # the wait ran out: one more attempt is checked, and fails
            self._fail(1)
            waits.append(wait_seconds(None, "director"))
        self.assertEqual(waits, expected)

    def test_attempts_during_a_wait_are_not_counted_and_after_it_the_password_works(self) -> None:
        self._fail(5)
        for _ in range(10):
            self.assertEqual(self._login("director", "wrong").status_code, 429)
        self.assertEqual(SignInFailures.objects.get(key__startswith="account:").failures, 5)
        _later(61)
        self.assertEqual(self._login("director", PASSWORD).status_code, 302)
        self.assertFalse(SignInFailures.objects.filter(key__startswith="account:").exists())

    def test_a_day_without_failures_forgets_them(self) -> None:
        self._fail(4)
        _later(24 * 3600 + 1)
        self._fail(4)
        self.assertEqual(self._login("director", PASSWORD).status_code, 302)

    def test_many_names_from_one_address_make_it_wait_a_minute_not_lock_it(self) -> None:
        self.assertEqual(ADDRESS.free, 30)
        for n in range(30):  # 30 made-up names, one failure each: no account reaches 5
            self._fail(1, username=f"guess{n}")
        self.assertEqual(self._login("director", PASSWORD).status_code, 429)
        self.assertEqual(self._login("director", PASSWORD, address="10.0.0.2").status_code, 302)
        _later(61)  # the address's wait is over: the people behind it sign in again
        self.assertEqual(self._login("coordinator", PASSWORD).status_code, 302)

    def test_the_admin_sign_in_page_counts_against_the_same_limit(self) -> None:
        admin_page = Client(REMOTE_ADDR="10.0.0.9")
        for _ in range(40):  # the probe: 40 wrong passwords, then the right one
            admin_page.post("/admin/login/", {"username": "root", "password": "wrong"})
        response = admin_page.post("/admin/login/?next=/admin/",
                                   {"username": "root", "password": PASSWORD})
        self.assertEqual(response.status_code, 200)  # the form again, not a redirect into /admin/
        self.assertContains(response, WAIT)
        self.assertNotIn("_auth_user_id", admin_page.session)
        self.assertEqual(self._login("root", PASSWORD).status_code, 429)

    def test_failures_on_our_page_also_close_the_admin_page(self) -> None:
        self._fail(5, username="root")
        admin_page = Client(REMOTE_ADDR="10.0.0.9")
        response = admin_page.post("/admin/login/", {"username": "root", "password": PASSWORD})
        self.assertContains(response, WAIT)
        self.assertNotIn("_auth_user_id", admin_page.session)

    def test_a_direct_authenticate_call_is_limited_too(self) -> None:
        self._fail(5)
        self.assertFalse(Client().login(username="director", password=PASSWORD))

    def test_only_hashes_are_stored_never_the_typed_name_or_the_address(self) -> None:
        self._fail(1, username="secret-name", address="10.20.30.40")
        keys = " ".join(SignInFailures.objects.values_list("key", flat=True))
        self.assertNotIn("secret-name", keys)
        self.assertNotIn("10.20.30.40", keys)


@override_settings(OPORA_TRUSTED_PROXY_HEADER="X-Forwarded-For", OPORA_TRUSTED_PROXIES=1)
class BehindTheProxyTests(PersonaTestCase):
    """nginx at 127.0.0.1 in front (docs/operations.md): it appends the client to the header."""

    def _login(self, client_seen_by_proxy: str, username: str, password: str,
               sent_by_client: str = "") -> Any:
        forwarded = ", ".join(a for a in (sent_by_client, client_seen_by_proxy) if a)
        return Client(REMOTE_ADDR="127.0.0.1").post(
            "/login/", {"username": username, "password": password},
            headers={"X-Forwarded-For": forwarded})

    def test_failures_behind_one_proxy_count_per_client_not_for_everyone(self) -> None:
        for n in range(30):
            self._login("203.0.113.5", f"guess{n}", "wrong")
        self.assertEqual(self._login("203.0.113.5", "director", PASSWORD).status_code, 429)
        self.assertEqual(self._login("198.51.100.7", "director", PASSWORD).status_code, 302)

    def test_an_address_the_client_wrote_into_the_header_is_not_believed(self) -> None:
        for n in range(30):  # each try claims another address; the proxy saw the same one
            self._login("203.0.113.5", f"guess{n}", "wrong", sent_by_client=f"192.0.2.{n}")
        self.assertEqual(self._login("203.0.113.5", "director", PASSWORD,
                                     sent_by_client="192.0.2.200").status_code, 429)


class ClientAddressTests(PersonaTestCase):
    def _address(self, remote: str = "127.0.0.1", **headers: str) -> str:
        return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers))

    def test_without_a_configured_header_the_connection_is_the_client(self) -> None:
        self.assertEqual(self._address("10.0.0.1", **{"X-Forwarded-For": "6.6.6.6"}), "10.0.0.1")

    @override_settings(OPORA_TRUSTED_PROXY_HEADER="X-Forwarded-For", OPORA_TRUSTED_PROXIES=2)
    def test_with_two_proxies_the_second_entry_from_the_right_is_the_client(self) -> None:
        header = {"X-Forwarded-For": "6.6.6.6, 203.0.113.5, 10.0.0.2"}
        self.assertEqual(self._address(**header), "203.0.113.5")

    @override_settings(OPORA_TRUSTED_PROXY_HEADER="X-Forwarded-For", OPORA_TRUSTED_PROXIES=2)
    def test_a_list_shorter_than_the_proxies_falls_back_to_the_connection(self) -> None:
        self.assertEqual(self._address(**{"X-Forwarded-For": "203.0.113.5"}), "127.0.0.1")

    @override_settings(OPORA_TRUSTED_PROXY_HEADER="X-Real-IP")
    def test_a_single_address_header_and_garbage_in_it(self) -> None:
        self.assertEqual(self._address(**{"X-Real-IP": "2001:db8::1"}), "2001:db8::1")
        self.assertEqual(self._address(**{"X-Real-IP": "203.0.113.5:51234"}), "203.0.113.5")
        self.assertEqual(self._address(**{"X-Real-IP": "unknown"}), "127.0.0.1")
        self.assertEqual(self._address(), "127.0.0.1")


def _one_time_password(page: str) -> str:
    found = re.search(r'<code class="one-time-password">([^<]+)</code>', page)
    assert found is not None, "the page shows no password"
    return found.group(1)


class FirstSignInTests(PersonaTestCase):
    def _created_by_coordinator(self) -> tuple[Client, str]:
        """The coordinator creates «newcomer» on the roles page; the newcomer signs in."""
        self.client.force_login(self.coordinator)
        page = self.client.post("/roles/users/new/", {
            "username": "newcomer", "last_name": "Петрова", "first_name": "Анна Ивановна",
            "role": "school_admin", "school": self.a.pk})
        self.assertEqual(page.status_code, 200)
        password = _one_time_password(page.content.decode())
        newcomer = Client()
        self.assertEqual(newcomer.post("/login/", {"username": "newcomer",
                                                   "password": password}).status_code, 302)
        return newcomer, password

    def _change(self, client: Client, old: str, new: str) -> Any:
        return client.post("/account/password/", {"old_password": old, "new_password1": new,
                                                  "new_password2": new})

    def test_every_page_sends_a_new_user_to_change_the_one_time_password(self) -> None:
        newcomer, _ = self._created_by_coordinator()
        for url in ("/schools/", f"/schools/{self.a.pk}/", "/imports/", "/roles/"):
            self.assertRedirects(newcomer.get(url), "/account/password/",
                                 fetch_redirect_response=False)
        page = newcomer.get("/account/password/")
        self.assertContains(page, "придумайте свой пароль")

    def test_after_the_change_the_pages_open_and_the_old_password_is_gone(self) -> None:
        newcomer, password = self._created_by_coordinator()
        self.assertRedirects(self._change(newcomer, password, "Лиственница-у-школы-7"),
                             "/account/password/done/")
        self.assertEqual(newcomer.get("/schools/").status_code, 200)
        self.assertFalse(PasswordChangeRequired.objects.exists())
        again = Client()
        self.assertFalse(again.login(username="newcomer", password=password))
        self.assertTrue(again.login(username="newcomer", password="Лиственница-у-школы-7"))
        self.assertEqual(again.get("/schools/").status_code, 200)

    def test_signing_in_again_before_the_change_still_demands_it(self) -> None:
        newcomer, password = self._created_by_coordinator()
        newcomer.post("/logout/")
        self.assertEqual(newcomer.post("/login/", {"username": "newcomer",
                                                   "password": password}).status_code, 302)
        self.assertEqual(newcomer.get("/schools/").status_code, 302)

    def test_htmx_requests_are_sent_by_the_hx_redirect_header(self) -> None:
        newcomer, _ = self._created_by_coordinator()
        response = newcomer.get("/schools/", headers={"HX-Request": "true"})
        self.assertEqual(response["HX-Redirect"], "/account/password/")

    def test_signing_out_stays_possible(self) -> None:
        newcomer, _ = self._created_by_coordinator()
        self.assertRedirects(newcomer.post("/logout/"), "/login/", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", newcomer.session)

    def test_weak_new_passwords_are_refused_with_the_reason_in_russian(self) -> None:
        newcomer, password = self._created_by_coordinator()
        refused = {
            "12345678": "состоит только из цифр",
            "password": "слишком широко распространён",
            "newcomer1": "слишком похож на",  # the username
            "петрова-анна": "слишком похож на",  # the last and first name
            "Ab3-xyz": "слишком короткий",
        }
        for new, reason in refused.items():
            with self.subTest(new=new):
                response = self._change(newcomer, password, new)
                self.assertContains(response, "Пароль не изменён")
                self.assertContains(response, reason)
        user = get_user_model().objects.get(username="newcomer")
        self.assertTrue(user.check_password(password))
        self.assertTrue(PasswordChangeRequired.objects.filter(user=user).exists())

    def test_users_not_given_a_one_time_password_are_not_stopped(self) -> None:
        self.client.force_login(self.school_admin)
        self.assertEqual(self.client.get("/schools/").status_code, 200)
