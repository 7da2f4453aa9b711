"""The signed-in user of every request is read by plain SQL (accounts/backends.py): the same
user the ORM reads, and refused when deactivated or deleted, as Django refuses it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import TestCase

from opora.web.accounts.backends import ThrottledModelBackend, user_by_pk


class SignedInUserTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.user = get_user_model().objects.create_user(
            "reader", password="x", first_name="Анна", last_name="Петрова", is_staff=True)

    def test_the_user_read_by_sql_has_every_field_the_orm_reads(self) -> None:
        orm = get_user_model().objects.get(pk=self.user.pk)
        read = user_by_pk(self.user.pk)
        fields = [f.attname for f in get_user_model()._meta.concrete_fields]
        self.assertEqual([getattr(read, f) for f in fields], [getattr(orm, f) for f in fields])
        self.assertFalse(read._state.adding)
        self.assertEqual(read.get_full_name(), "Анна Петрова")

    def test_a_deactivated_or_deleted_user_is_signed_out_on_the_next_page(self) -> None:
        self.client.force_login(self.user)
        self.assertEqual(self.client.get("/schools/").status_code, 200)
        get_user_model().objects.filter(pk=self.user.pk).update(is_active=False)
        self.assertEqual(self.client.get("/schools/").status_code, 302)  # to the sign-in page
        self.assertIsNone(ThrottledModelBackend().get_user(self.user.pk))
        self.assertIsNone(ThrottledModelBackend().get_user(10**9))
        self.assertIsNone(ThrottledModelBackend().get_user("not a number"))

    def test_a_changed_password_ends_the_other_sessions(self) -> None:
        self.client.force_login(self.user)
        user = get_user_model().objects.get(pk=self.user.pk)
        user.set_password("a new one")
        user.save()
        self.assertEqual(self.client.get("/schools/").status_code, 302)
