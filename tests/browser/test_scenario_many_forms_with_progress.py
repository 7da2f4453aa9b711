"""Issue 18 in a real Chromium: a coordinator uploads a municipality's ВПР forms at once and
watches the upload's progress.

Seven forms are chosen in one file dialog: six of the municipality's two schools and one of a
school the registry does not know. The job page ends with «Обработка закончена.», six loaded and
one rejected (named). Then the last three files are put back in the queue, as a worker sees them
while it works: the page shows «готово 4 из 7», a progress bar and the rejected file so far; when the
files are done again, the page turns to the finished state by itself (htmx, no reload).

With ``OPORA_SCREENSHOTS=1`` the running page is photographed for the user guide.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from opora.web.accounts import models as roles
from opora.web.accounts.services import role_assign, user_create
from opora.web.assessment.models import StudentResult
from opora.web.imports.models import UploadEntry
from opora.web.schools.services import (
    municipality_get_or_create,
    region_get_or_create,
    school_create,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "coordinator-password-1"
DONE_TEXT = "Обработка закончена."
FORM_PARTICIPANTS = 20  # rows of the real form (tests/formats/test_vpr_form.py)


def _copy(form: Path, target: Path, mark: int) -> Path:
    """The real form with an archive comment: the same sheet, other bytes (another checksum)."""
    buffer = io.BytesIO(form.read_bytes())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.comment = f"copy {mark}".encode()
    target.write_bytes(buffer.getvalue())
    return target


def test_a_coordinator_uploads_seven_forms_at_once_and_sees_how_many_are_done(
        site_with_worker: Any, wide_page: tuple[Any, Any], sign_in: Any, screenshot: Any,
        realdata: Path, tmp_path: Path) -> None:
    page, log = wide_page
    region = region_get_or_create(name="Свердловская область")
    town = municipality_get_or_create(region=region, name="Каменск-Уральский городской округ")
    for number, login in ((1, "edu660001"), (2, "edu660002")):
        school = school_create(municipality=town, key=f"S{number}", short_name=f"СОШ № {number}",
                               number=number)
        school.fis_oko_login = login
        school.save()
    user = user_create(username="coordinator", password=PASSWORD)
    role_assign(user=user, role=roles.COORDINATOR, municipality=town)
    names = [f"{login}_{work}_2025.xlsx" for login in ("edu660001", "edu660002")
             for work in ("РУ_4", "МА_5", "РУ_6")]
    names.insert(3, "edu669999_РУ_4_2025.xlsx")  # a school the registry does not know
    forms = [_copy(realdata / "vpr_protocol_form.xlsx", tmp_path / name, n)
             for n, name in enumerate(names)]

    sign_in(page, site_with_worker.url, "coordinator", PASSWORD)
    page.goto(f"{site_with_worker.url}/imports/")
    page.set_input_files("input[name=uploads]", [str(f) for f in forms])
    with page.expect_navigation():
        page.click("button:has-text('Загрузить')")
    page.locator(".import-state", has_text=DONE_TEXT).wait_for(timeout=120_000)
    assert "Загружено: 6 · отклонено: 1" in page.locator(".import-counts").inner_text()
    rejected = page.locator("section.entry-failed")
    assert "Файл 4: edu669999_РУ_4_2025.xlsx — отклонён" in rejected.locator("h2").inner_text()
    assert "не найдена в реестре" in rejected.locator("pre.summary").inner_text()
    assert StudentResult.objects.count() == 6 * FORM_PARTICIPANTS

    # the last three files back in the queue, as the worker sees them while it works
    job_url = page.url
    waiting = UploadEntry.objects.filter(position__gte=5)
    assert waiting.count() == 3
    waiting.update(status=UploadEntry.QUEUED)
    loads: list[str] = []
    page.on("load", lambda _: loads.append(page.url))
    page.goto(job_url)
    state = page.locator(".import-state")
    assert "Файлы обрабатываются: готово 4 из 7" in state.inner_text()
    bar = page.locator("progress.import-progress")
    assert (bar.get_attribute("value"), bar.get_attribute("max")) == ("4", "7")
    assert "ещё в очереди и в обработке: 3" in page.locator(".import-counts").inner_text()
    assert "Файл 4: edu669999_РУ_4_2025.xlsx — отклонён" in page.locator(
        ".import-attention").inner_text()
    screenshot(page, "import_progress")
    opened = len(loads)

    UploadEntry.objects.filter(position__gte=5).update(status=UploadEntry.DONE)
    page.locator(".import-state", has_text=DONE_TEXT).wait_for(timeout=15_000)
    assert len(loads) == opened, loads  # brought into the page by its polling, not reloaded
    assert page.locator("section.entry-result").count() == 7
    assert log.problems() == []
