"""After the event: the school administrator confirms attendance; files are checked by content."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from support_data import SupportTestCase, record
from test_support_events import form

from opora.web.support.models import EventAttachment, EventParticipant, SupportEvent
from opora.web.support.services.attachments import check_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office(kind: str, *, macros: bool = False) -> bytes:
    """A minimal DOCX or XLSX package; ``macros``: with a VBA project and its content type."""
    buffer = io.BytesIO()
    main = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[kind]
    types = "application/vnd.ms-word.document.macroEnabled.main+xml" if macros else "main+xml"
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", f'<Types><Override ContentType="{types}"/></Types>')
        archive.writestr(main, "<x/>")
        if macros:
            archive.writestr(main.split("/")[0] + "/vbaProject.bin", b"\x00" * 16)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


class AttendanceTests(SupportTestCase):
    def setUp(self) -> None:
        self.event = record(self.methodist, [self.a, self.b], kind="seminar",
                            organiser_kind="methodist",
                            participants=[*self.teachers["A"], self.teachers["B"][0]])

    def confirm(self, user: Any, school: Any, present: list[Any]) -> Any:
        self.client.force_login(user)
        rows = EventParticipant.objects.filter(event=self.event, teacher__in=present)
        return self.client.post(f"/support/events/{self.event.pk}/attendance/",
                                {"school": school.pk, "present": [r.pk for r in rows]})

    def test_the_school_administrator_confirms_who_of_their_teachers_took_part(self) -> None:
        a1, a2, a3 = self.teachers["A"]
        self.assertEqual(self.confirm(self.school_admin, self.a, [a1, a3]).status_code, 302)
        marks = dict(EventParticipant.objects.filter(school=self.a)
                     .values_list("teacher__name", "attended"))
        self.assertEqual(marks, {a1.name: True, a2.name: False, a3.name: True})
        self.assertEqual(EventParticipant.objects.get(teacher=self.teachers["B"][0]).attended,
                         None)
        confirmed = EventParticipant.objects.get(teacher=a1)
        self.assertEqual(confirmed.confirmed_by, self.school_admin)
        self.assertEqual(confirmed.history.first().history_user, self.school_admin)

    def test_another_schools_teachers_are_not_theirs_to_confirm(self) -> None:
        response = self.confirm(self.school_admin, self.b, [self.teachers["B"][0]])
        self.assertEqual(response.status_code, 403)

    def test_a_planned_event_is_confirmed_only_after_it_is_held(self) -> None:
        planned = record(self.methodist, [self.a], status="planned", organiser_kind="methodist",
                         participants=self.teachers["A"][:1])
        self.client.force_login(self.school_admin)
        response = self.client.post(f"/support/events/{planned.pk}/attendance/",
                                    {"school": self.a.pk}, follow=True)
        self.assertContains(response, "присутствие подтверждается после того, как оно проведено")
        self.assertIsNone(planned.participants.get().attended)

    def test_a_curator_of_another_school_sees_only_their_schools_participants(self) -> None:
        self.client.force_login(self.curator)
        page = self.client.get(f"/support/events/{self.event.pk}/").content.decode()
        self.assertIn(self.teachers["B"][0].name, page)
        self.assertNotIn(self.teachers["A"][0].name, page)


class FileCheckTests(SupportTestCase):
    def test_the_five_kinds_are_told_by_their_content(self) -> None:
        for name, content, kind in (("протокол.pdf", PDF, "pdf"), ("фото.png", PNG, "png"),
                                    ("фото.jpg", JPEG, "jpeg"), ("справка.docx", office("docx"),
                                                                 "docx"),
                                    ("таблица.xlsx", office("xlsx"), "xlsx")):
            self.assertEqual(check_upload(upload(name, content))[0], kind, name)

    def test_a_program_renamed_to_pdf_is_refused(self) -> None:
        with self.assertRaisesMessage(ValidationError, "по содержимому это другой тип"):
            check_upload(upload("протокол.pdf", b"MZ\x90\x00" + b"\x00" * 60))

    def test_an_extension_that_disagrees_with_the_content_is_refused(self) -> None:
        with self.assertRaisesMessage(ValidationError, "не совпадает с содержимым"):
            check_upload(upload("протокол.pdf", PNG))

    def test_documents_with_macros_are_refused_whatever_their_name(self) -> None:
        for name in ("справка.docx", "справка.docm"):
            with self.assertRaisesMessage(ValidationError, "содержит макросы"):
                check_upload(upload(name, office("docx", macros=True)))

    def test_old_binary_office_files_are_refused(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Старый формат"):
            check_upload(upload("справка.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64))

    @override_settings(OPORA_MAX_ATTACHMENT_BYTES=1024)
    def test_a_file_too_big_is_refused_with_both_sizes(self) -> None:
        with self.assertRaisesMessage(ValidationError, "слишком большой"):
            check_upload(upload("протокол.pdf", PDF + b"0" * 2048))


class AttachmentFormTests(SupportTestCase):
    def test_a_protocol_is_attached_when_the_visit_is_recorded_and_downloaded(self) -> None:
        self.client.force_login(self.curator)
        data = form([self.b], self.teachers["B"], attachments=upload("протокол.pdf", PDF))
        self.assertEqual(self.client.post("/support/events/new/", data).status_code, 302)
        attachment = EventAttachment.objects.get()
        self.assertEqual((attachment.file_type, attachment.original_name),
                         ("pdf", "протокол.pdf"))
        url = f"/support/events/{attachment.event_id}/files/{attachment.pk}/"
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), PDF)
        self.assertIn("attachment", response["Content-Disposition"])
        self.client.force_login(self.school_admin)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_rejected_file_saves_nothing_not_even_the_event(self) -> None:
        self.client.force_login(self.curator)
        data = form([self.b], attachments=upload("протокол.docm", office("docx", macros=True)))
        response = self.client.post("/support/events/new/", data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("макросы", " ".join(response.context["form"].errors["attachments"]))
        self.assertFalse(SupportEvent.objects.exists())
        self.assertFalse(EventAttachment.objects.exists())
