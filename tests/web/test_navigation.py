"""The navigation offers each role only the sections whose pages open for it."""

from __future__ import annotations

from typing import Any

import pytest
from personas import PersonaTestCase

UPLOAD, OVERVIEW, ROLES = 'href="/imports/"', 'href="/analysis/"', 'href="/roles/"'


class NavigationTests(PersonaTestCase):
    def _nav(self, user: object) -> str:
        self.client.force_login(user)  # type: ignore[arg-type]
        page = self.client.get("/schools/").content.decode()
        return page[page.index('<nav class="main-nav"'):page.index("</nav>")]

    def test_each_role_sees_exactly_the_links_to_pages_it_may_open(self) -> None:
        expected = {  # who may open what: tests/web/test_permission_matrix.py
            "coordinator": {UPLOAD, OVERVIEW, ROLES},
            "school_admin": {UPLOAD},
            "methodist": {OVERVIEW},
            "regional": {OVERVIEW},
            "curator": set(),
            "nobody": set(),
        }
        for persona, links in expected.items():
            with self.subTest(persona=persona):
                nav = self._nav(getattr(self, persona))
                assert {link for link in (UPLOAD, OVERVIEW, ROLES) if link in nav} == links

    def test_every_offered_link_opens_for_the_role_that_sees_it(self) -> None:
        for persona in ("coordinator", "school_admin", "methodist", "regional"):
            user = getattr(self, persona)
            for link in (UPLOAD, OVERVIEW, ROLES):
                if link in self._nav(user):
                    url = link.split('"')[1]
                    with self.subTest(persona=persona, url=url):
                        assert self.client.get(url).status_code == 200


@pytest.mark.django_db
def test_every_link_of_the_frame_leads_where_its_url_name_says(client: Any,
                                                              django_user_model: Any) -> None:
    """The frame's links are reversed once per process (core/context_processors.frame): each
    must be the page its URL name names, and a superuser's frame shows all of them."""
    from django.urls import reverse

    from opora.web.core.context_processors import FRAME_LINKS

    client.force_login(django_user_model.objects.create_superuser("frame-admin", "", "x"))
    page = client.get("/schools/").content.decode()
    for name in FRAME_LINKS.values():
        assert f'"{reverse(name)}"' in page, name
