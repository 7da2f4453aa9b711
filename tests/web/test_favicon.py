"""The site icon: browsers ask for ``/favicon.ico`` by themselves; it must not be a 404."""

from __future__ import annotations

import struct

from django.contrib.staticfiles import finders
from django.test import TestCase

from opora.web.core.security import CONTENT_SECURITY_POLICY


class FaviconTests(TestCase):
    def test_favicon_ico_redirects_to_the_icon_among_our_static_files(self) -> None:
        response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "/static/opora/favicon.ico")
        self.assertIsNotNone(finders.find("opora/favicon.ico"))

    def test_the_icon_is_a_real_32_pixel_ico_and_svg(self) -> None:
        with open(finders.find("opora/favicon.ico"), "rb") as handle:
            head = handle.read(22)
        reserved, kind, count = struct.unpack("<HHH", head[:6])
        width, height = head[6], head[7]
        self.assertEqual((reserved, kind, count, width, height), (0, 1, 1, 32, 32))
        with open(finders.find("opora/favicon.svg"), encoding="utf-8") as handle:
            self.assertTrue(handle.read().startswith("<svg xmlns="))

    def test_pages_link_the_icon_from_our_own_origin(self) -> None:
        page = self.client.get("/login/").content.decode()
        self.assertIn('<link rel="icon" href="/static/opora/favicon.svg" type="image/svg+xml">',
                      page)
        self.assertIn("img-src 'self'", CONTENT_SECURITY_POLICY)  # same origin: allowed
