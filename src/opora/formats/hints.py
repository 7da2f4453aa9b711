"""What the user tells a reader that the file itself does not say.

A ВПР collection form holds participant codes and scores but not the school, subject, grade or
year: those come from the file name (ФИС ОКО names forms like ``edu053001_РУ_4.xlsx``), from the
command line (``--school``, ``--subject``, ``--grade``, ``--year``) or from the import page.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadHints:
    school_key: str | None = None
    school_name: str | None = None
    region: str | None = None
    municipality: str | None = None
    procedure: str | None = None
    subject: str | None = None
    grade: int | None = None
    year: int | None = None
