"""Personas for permission tests, created once per test class (healthchecks style).

Territory (by hand)::

    Region «Северная область»
        Municipality «Первый»: schools A (№ 1), B (№ 2)
        Municipality «Второй»: school C (№ 3)
    Region «Южная область»
        Municipality «Третий»: school D (№ 4)

Users: coordinator and methodist of «Первый», school_admin of A, curator of B and C (two
assignments in two municipalities), regional of «Северная область», a user with no role, and a
superuser.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings

from opora.web.accounts import models as roles
from opora.web.accounts.services import role_assign, user_create
from opora.web.schools.services import (
    municipality_get_or_create,
    region_get_or_create,
    school_create,
)

PASSWORD = "correct-horse-battery"
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests only: hashing is not tested


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class PersonaTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        north = region_get_or_create(name="Северная область")
        south = region_get_or_create(name="Южная область")
        cls.first = municipality_get_or_create(region=north, name="Первый")
        cls.second = municipality_get_or_create(region=north, name="Второй")
        cls.third = municipality_get_or_create(region=south, name="Третий")
        cls.a = school_create(municipality=cls.first, key="A", short_name="СОШ № 1", number=1)
        cls.b = school_create(municipality=cls.first, key="B", short_name="СОШ № 2", number=2)
        cls.c = school_create(municipality=cls.second, key="C", short_name="СОШ № 3", number=3)
        cls.d = school_create(municipality=cls.third, key="D", short_name="СОШ № 4", number=4)
        cls.coordinator = cls._user("coordinator", roles.COORDINATOR, municipality=cls.first)
        cls.methodist = cls._user("methodist", roles.METHODIST, municipality=cls.first)
        cls.school_admin = cls._user("director", roles.SCHOOL_ADMIN, school=cls.a)
        cls.curator = cls._user("curator", roles.CURATOR, school=cls.b)
        role_assign(user=cls.curator, role=roles.CURATOR, school=cls.c)
        cls.regional = cls._user("regional", roles.REGIONAL, region=north)
        cls.nobody = user_create(username="nobody", password=PASSWORD)
        cls.admin = get_user_model().objects.create_superuser("root", "", PASSWORD)

    @classmethod
    def _user(cls, username: str, role: str, **scope: object) -> object:
        user = user_create(username=username, password=PASSWORD)
        role_assign(user=user, role=role, **scope)  # type: ignore[arg-type]
        return user

    def visible_keys(self, user: object) -> list[str]:
        """School keys in the rendered list page, in page order."""
        self.client.force_login(user)  # type: ignore[arg-type]
        response = self.client.get("/schools/")
        self.assertEqual(response.status_code, 200)
        return [s.key for s in response.context["schools"]]

    def page_status(self, user: object, school: object) -> int:
        self.client.force_login(user)  # type: ignore[arg-type]
        return self.client.get(f"/schools/{school.pk}/").status_code  # type: ignore[attr-defined]
