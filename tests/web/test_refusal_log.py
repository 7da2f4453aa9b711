"""Each refusal (403) is one line in the server's log, not a traceback (issue 13)."""

from __future__ import annotations

import io
import logging

from personas import PersonaTestCase

from opora.web.core.security import OneLineRefusals


class RefusalLogTests(PersonaTestCase):
    def _logged(self, url: str) -> tuple[int, str]:
        """The status of ``url`` and what the console handler of the request log wrote."""
        [handler] = [h for h in logging.getLogger("django.request").handlers
                     if any(isinstance(f, OneLineRefusals) for f in h.filters)]
        stream = io.StringIO()
        previous = handler.setStream(stream)
        try:
            status = self.client.get(url).status_code
        finally:
            handler.setStream(previous)
        return status, stream.getvalue()

    def test_a_refused_page_is_logged_as_one_line_with_its_address(self) -> None:
        self.client.force_login(self.nobody)
        status, log = self._logged("/roles/")
        self.assertEqual(status, 403)
        self.assertEqual(log.strip().splitlines(), ["Forbidden (Permission denied): /roles/"])

    def test_three_refusals_are_three_lines_and_no_traceback(self) -> None:
        self.client.force_login(self.school_admin)
        written = "".join(self._logged(url)[1] for url in ("/roles/", "/analysis/", "/roles/"))
        self.assertEqual(len(written.strip().splitlines()), 3)
        self.assertNotIn("Traceback", written)
