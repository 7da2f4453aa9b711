"""Personal API tokens: a user's key for /api/v1/, stored hashed, shown once, with an expiry.

A token is ``opora_`` followed by 43 random URL-safe characters (256 bits, :mod:`secrets`).
Only its SHA-256 is stored (a random 256-bit key needs no slow hash: it cannot be guessed from a
dictionary), with its first characters (``prefix``) so the owner can tell tokens apart in the
list. A token acts exactly as its user does in the pages (the same
:class:`~opora.web.accounts.scope.Viewer`); a revoked or expired token, or one of an inactive
user, is refused.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens", verbose_name="пользователь")
    name = models.CharField("назначение", max_length=100)
    prefix = models.CharField("начало ключа", max_length=16)
    digest = models.CharField("SHA-256 ключа", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    expires_at = models.DateTimeField("действует до")
    last_used_at = models.DateTimeField("последнее использование", null=True, blank=True)
    revoked_at = models.DateTimeField("отозван", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = "ключ API"
        verbose_name_plural = "ключи API"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def state(self) -> str:
        """«действует», «отозван», «истёк» — for the list."""
        if self.revoked_at is not None:
            return "отозван"
        return "действует" if self.expires_at > timezone.now() else "истёк"
