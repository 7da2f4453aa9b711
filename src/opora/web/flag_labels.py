"""Russian names of the engine's flags, shared by the charts and the XLSX export.

The codes are the ``flag`` column of the engine's ``flags.csv`` (issue 3); the names follow the
glossary of DOMAIN.md (ШНОР, ШНСУ, «зона риска», резильентная школа, школа-лидер).
"""

from __future__ import annotations

FLAG_LABELS: dict[str, str] = {
    "low_results": "ШНОР",
    "persistently_low": "Стабильно низкие результаты",
    "risk_zone": "Зона риска",
    "adverse_context": "ШНСУ",
    "resilient": "Резильентная",
    "leader": "Лидер",
    "non_objective": "Признаки необъективности",
    "positive_dynamics": "Положительная динамика",
    "negative_dynamics": "Отрицательная динамика",
}

#: The order a list of flags is shown in (columns of the export, tooltips).
FLAG_ORDER: tuple[str, ...] = tuple(FLAG_LABELS)


def flag_label(code: str) -> str:
    """The Russian name of a flag; an unknown code is shown as it is rather than hidden."""
    return FLAG_LABELS.get(code, code)
