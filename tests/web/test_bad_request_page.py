"""A request Django refuses before any view — too many files in one upload — gets a Russian page
that says why and what to do, not Django's bare English «Bad Request»."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(DATA_UPLOAD_MAX_NUMBER_FILES=3)
def test_an_upload_of_more_files_than_allowed_says_the_limit_in_russian(client: Any) -> None:
    from opora.web.accounts import models as roles
    from opora.web.accounts.services import role_assign, user_create
    from opora.web.schools.services import municipality_get_or_create, region_get_or_create

    town = municipality_get_or_create(region=region_get_or_create(name="Область"), name="Город")
    user = user_create(username="many-files", password="x")
    role_assign(user=user, role=roles.COORDINATOR, municipality=town)
    client.force_login(user)
    files = [SimpleUploadedFile(f"f{n}.xlsx", b"PK") for n in range(4)]
    response = client.post("/imports/", {"uploads": files})
    page = response.content.decode()
    assert response.status_code == 400
    assert "не больше 3 файлов" in page and "Разделите файлы" in page
    assert "Bad Request" not in page


def test_a_request_refused_for_another_reason_still_gets_a_russian_page() -> None:
    from django.core.exceptions import SuspiciousOperation

    from opora.web.core.errors import bad_request

    page = bad_request(None, SuspiciousOperation("x")).content.decode()  # type: ignore[arg-type]
    assert "Запрос не принят" in page and "Обновите страницу" in page
