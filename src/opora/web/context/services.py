"""Writes of context passports by users: validated, atomic, and audited with the author."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from opora.web.context.models import ContextPassport


@transaction.atomic
def context_passport_update(*, passport: ContextPassport, user: Any,
                            **fields: Any) -> ContextPassport:
    """Change some fields of a passport; the history records who, when and what (old → new).

    Raises ``ValidationError`` with Russian messages (a share outside 0–100, a part larger
    than its whole) and changes nothing then.
    """
    for name, value in fields.items():
        setattr(passport, name, value)
    passport.full_clean()
    passport._history_user = user  # type: ignore[attr-defined]  # read by simple-history
    passport.save()
    return passport
