"""The API's interactive documentation in a real Chromium: it opens from our own files only.

/api/v1/docs is Swagger UI as django-ninja ships it (its static files, no CDN), under the site's
strict Content-Security-Policy. The page must draw the API's title and every resource, log no
error (a script or style the policy refused would show here), and ask no other host for
anything. A signed-in user can then try a request: the session counts as the API's sign-in.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

from opora.web.accounts.services import user_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_user_opens_the_api_documentation_and_tries_the_schools_list(
        site: Any, wide_page: tuple[Any, Any], sign_in: Any) -> None:
    page, log = wide_page
    user_create(username="analyst", password="analyst-password-1")
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
    sign_in(page, site.url, "analyst", "analyst-password-1")

    page.goto(f"{site.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Опора API" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".opblock-summary-path")
    paths = set(page.locator(".opblock-summary-path").all_inner_texts())
    assert {"/api/v1/schools", "/api/v1/runs/{run_id}/flags"} <= paths

    page.locator(".opblock-summary-path", has_text="/api/v1/municipalities").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    page.wait_for_selector(".live-responses-table tbody .response-col_status")
    assert "200" in page.locator(".live-responses-table tbody .response-col_status").first.inner_text()

    assert hosts == {urlparse(site.url).netloc}, hosts
    assert log.problems() == []
