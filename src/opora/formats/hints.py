"""What the user tells a reader that the file itself does not say.

A ВПР collection form holds participant codes and scores but not the school, subject, grade or
year: those come from the file name (ФИС ОКО names forms like ``edu053001_РУ_4.xlsx``), from the
command line (``--school``, ``--subject``, ``--grade``, ``--year``) or from the import page.
A message asking for them names what the user has in front of them: the page's fields on the
page (``on_page``), the flags on the command line (:meth:`ReadHints.how_to_give`).
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
    on_page: bool = False  # read for the import page: messages name its fields, not --flags

    def how_to_give(self, fields: tuple[str, ...]) -> str:
        """How the user gives what the file does not say, where they are: «в полях «Школа»,
        «Год проведения» на странице загрузки» or «параметрами --school, --year команды
        «opora read»». ``fields`` are :data:`FIELDS` keys."""
        if self.on_page:
            return ("в полях " + ", ".join(f"«{FIELDS[f][1]}»" for f in fields)
                    + " на странице загрузки")
        return "параметрами " + ", ".join(FIELDS[f][0] for f in fields) + " команды «opora read»"


#: What a reader may ask for: the command line's flag and the import page's field.
FIELDS: dict[str, tuple[str, str]] = {
    "школа": ("--school", "Школа"), "предмет": ("--subject", "Предмет"),
    "класс": ("--grade", "Класс"), "год": ("--year", "Год проведения"),
    "процедура": ("--procedure", "Процедура"),
}
