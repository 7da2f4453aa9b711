"""The one exception an import raises internally: rejected, with every problem found."""

from __future__ import annotations

from typing import Any

from opora.formats.base import Problem


class ImportRejectedError(Exception):
    """Carries the problems (and details such as the missing schools) to the outcome."""

    def __init__(self, problems: list[Problem], **details: Any) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems, self.details = problems, details
