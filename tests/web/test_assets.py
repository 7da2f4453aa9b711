"""``{% asset %}`` gives what ``{% static %}`` gives, and follows a change of the static settings."""

from __future__ import annotations

from django.template import Context, Template
from django.test import SimpleTestCase, override_settings


def _both(path: str) -> tuple[str, str]:
    page = Template("{% load static assets %}{% static path %}|{% asset path %}")
    static, asset = page.render(Context({"path": path})).split("|")
    return static, asset


class AssetTests(SimpleTestCase):
    def test_an_asset_is_addressed_as_the_static_tag_addresses_it(self) -> None:
        for path in ("opora/opora.css", "vendor/htmx.min.js", "opora/файл с пробелом.css"):
            static, asset = _both(path)
            self.assertEqual(asset, static)
            self.assertTrue(asset.startswith("/static/"), asset)

    def test_a_changed_static_url_is_followed_not_the_address_kept_before(self) -> None:
        _both("opora/opora.css")  # kept under the current settings
        with override_settings(STATIC_URL="/cdn-less/"):
            static, asset = _both("opora/opora.css")
        self.assertEqual(asset, static)
        self.assertTrue(asset.startswith("/cdn-less/"), asset)
