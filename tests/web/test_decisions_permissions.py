"""The decisions rows of the permission matrix on their own (quick to run while working on the
app); the whole table runs in ``test_permission_matrix.py``."""

from __future__ import annotations

import test_permission_matrix as matrix
from decisions_matrix import DECISIONS_MATRIX


class DecisionsMatrixTests(matrix.PermissionMatrixTests):
    def test_every_page_and_action_answers_each_persona_as_the_table_says(self) -> None:
        rows = [(action, target, dict(zip(matrix.PERSONAS, map(int, codes), strict=True)))
                for action, target, *codes in map(str.split,
                                                   DECISIONS_MATRIX.strip().splitlines())]
        requests = [(action, target, self._request(action, self._target(target)), expected)
                    for action, target, expected in rows]
        for persona in matrix.PERSONAS:
            self.client.logout()
            if persona != "anon":
                self.client.force_login(self._who(persona))
            for action, target, (method, url, data), expected in requests:
                with self.subTest(action=action, target=target, persona=persona):
                    self.assertEqual(self._status(method, url, data, persona),
                                     expected[persona])

    def test_the_table_covers_every_persona_and_the_own_and_other_scope(self) -> None:
        actions = {line.split()[0] for line in DECISIONS_MATRIX.strip().splitlines()}
        self.assertIn("decisions_rec", actions)
