"""Document campaigns (issue 15): a school uploads versions (every one kept); a disguised, a
macro-enabled or too large file is refused with a Russian message and nothing saved; the
coordinator's table shows each school's status with the days overdue."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from programmes_data import PDF, ProgrammesTestCase, pdf

from opora.web.programmes.models import DocumentVersion
from opora.web.programmes.services.documents import document_upload


def _upload(case: ProgrammesTestCase, upload: SimpleUploadedFile) -> DocumentVersion:
    return document_upload(by=case.school_admin, campaign=case.campaign, school=case.a,
                           slot="development_concept", upload=upload)


class UploadTests(ProgrammesTestCase):
    def test_a_second_upload_is_version_two_and_the_first_is_kept(self) -> None:
        second = _upload(self, SimpleUploadedFile("концепция-2.pdf", PDF + b"% v2\n",
                                                  content_type="application/pdf"))
        self.assertEqual(second.number, 2)
        self.assertEqual([v.original_name for v in self.document.versions.order_by("number")],
                         ["концепция.pdf", "концепция-2.pdf"])

    def test_an_executable_named_pdf_is_refused_and_nothing_saved(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            _upload(self, SimpleUploadedFile("программа.pdf", b"MZ\x90\x00" + b"\x00" * 200))
        self.assertEqual(caught.exception.messages,
                         ["Файл «программа.pdf»: документы принимаются в форматах PDF, DOCX, "
                          "XLSX; по содержимому это другой тип файла."])
        self.assertEqual(self.document.versions.count(), 1)

    def test_a_macro_enabled_word_file_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            _upload(self, SimpleUploadedFile("программа.docm", b"PK\x03\x04" + b"\x00" * 200))
        self.assertEqual(self.document.versions.count(), 1)

    @override_settings(OPORA_MAX_DOCUMENT_BYTES=1024)
    def test_a_file_over_the_limit_is_refused_with_its_size(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            _upload(self, SimpleUploadedFile("большой.pdf", PDF + b"0" * 2048))
        self.assertIn("слишком большой", caught.exception.messages[0])

    def test_the_upload_page_puts_the_refusal_on_the_page_with_status_400(self) -> None:
        self.client.force_login(self.school_admin)
        response = self.client.post(
            f"/programmes/campaigns/{self.campaign.pk}/schools/{self.a.pk}/upload/",
            {"slot": "development_concept",
             "file": SimpleUploadedFile("x.pdf", b"not a pdf at all")})
        self.assertEqual(response.status_code, 400)
        self.assertIn("документы принимаются в форматах PDF, DOCX, XLSX",
                      response.content.decode())


class CampaignTableTests(ProgrammesTestCase):
    def test_the_table_shows_a_uploaded_and_b_overdue_by_seventeen_days(self) -> None:
        self.client.force_login(self.coordinator)
        with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 12, 2)):
            response = self.client.get(f"/programmes/campaigns/{self.campaign.pk}/")
        rows = {r.school.key: r.cells[0] for r in response.context["table"].rows}
        self.assertEqual(rows["A"].status, "uploaded")
        self.assertEqual(rows["B"].status, "overdue")
        self.assertEqual(rows["B"].days_overdue, 17)  # 15.11 → 02.12
        self.assertIn("17 дн.", response.content.decode())

    def test_another_school_never_gets_the_file(self) -> None:
        self.client.force_login(self.curator)  # curator of B, not of A
        response = self.client.get(f"/programmes/documents/{self.document.pk}/versions/1/")
        self.assertEqual(response.status_code, 404)
        self.client.force_login(self.school_admin)
        response = self.client.get(f"/programmes/documents/{self.document.pk}/versions/1/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), PDF)

    def test_the_api_gives_the_documents_metadata_never_the_file(self) -> None:
        self.client.force_login(self.coordinator)
        body = self.client.get(f"/api/v1/programmes/campaigns/{self.campaign.pk}").json()
        self.assertEqual([(d["school_id"], d["label"], [v["name"] for v in d["versions"]])
                          for d in body["documents"]],
                         [(self.a.pk, "Концепция развития", ["концепция.pdf"])])
        self.assertNotIn("file", body["documents"][0]["versions"][0])


del pdf  # imported for the data module's readers; unused here
