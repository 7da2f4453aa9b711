"""What one sheet of a published per-school table holds once read: schools, totals, subtotals.

The reader (:mod:`opora.formats.ege.reader`) fills these; the key assignment
(:mod:`opora.formats.ege.school_keys`) and the output (:mod:`opora.formats.ege.output`) read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SchoolRow:
    """A school row of one sheet: the accepted subjects' values."""

    name: str
    municipality: str
    row: int  # 0-based
    subjects: dict[str, dict[str, float]] = field(default_factory=dict)
    key: str = ""


@dataclass
class SubtotalMean:
    municipality: str
    subject: str
    mean: float
    row: int


@dataclass
class SheetData:
    """Everything read from one results sheet."""

    sheet: str
    year: int
    procedure: str
    grade: int
    scale: str
    region: str | None
    schools: list[SchoolRow] = field(default_factory=list)
    total: dict[str, dict[str, float]] = field(default_factory=dict)
    total_row: int | None = None
    subtotal_means: list[SubtotalMean] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (municipality, subject)
    scales: dict[str, str] = field(default_factory=dict)  # subject → scale, where not ``scale``
    total_notes: dict[str, str] = field(default_factory=dict)  # subject → why the total changed

    def scale_of(self, subject: str) -> str:
        """The scale of the subject's means: ЕГЭ «Математика базовая» is a mark, not a score."""
        return self.scales.get(subject, self.scale)
