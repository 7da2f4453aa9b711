"""The kinds of record of the glossary: what every term has, and what each kind adds."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Term:
    """What every record has. ``anchor`` is ``file.md#id`` under ``docs/`` («» — none yet)."""

    code: str
    name_ru: str
    plural_ru: str
    full_name_ru: str = ""  # the written-out name, where the short one is an abbreviation
    synonyms: tuple[str, ...] = ()
    colour: str = ""  # a strong colour: chart marks, the badge's border
    anchor: str = ""
    module: str = ""  # the module that holds the rule (dotted name)

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling a person may look this term up by."""
        seen: dict[str, str] = {}
        for name in (self.name_ru, self.plural_ru, self.full_name_ru, *self.synonyms):
            if name:
                seen.setdefault(name.lower(), name)
        return tuple(seen.values())


@dataclass(frozen=True, kw_only=True)
class FlagTerm(Term):
    """A flag the engine puts on a school (the ``flag`` column of ``flags.csv``)."""

    tint: str  # the badge's background (a light shade of ``colour``)
    rules: str  # the section(s) of rules.toml with its parameters

    @property
    def members(self) -> tuple[str, ...]:
        """The flags a school must have to count as this one (as :class:`Grouping` says it)."""
        return (self.code,)


@dataclass(frozen=True, kw_only=True)
class Grouping(Term):
    """A combination of flags that pages count and charts colour as one category."""

    members: tuple[str, ...]  # flag codes a school must all have; () — a school with none


@dataclass(frozen=True, kw_only=True)
class SignTerm(Term):
    """A sign of non-objective results (columns ``<code>_fired`` of ``objectivity.parquet``)."""

    heading_ru: str  # a short column heading (the full name goes in a hint)
    value_column: str  # the column of objectivity.parquet that holds the sign's value
    unit: str  # the unit shown after that value
    meaning_ru: str = ""  # what the value says, in one sentence a coordinator can read aloud


@dataclass(frozen=True, kw_only=True)
class RoleTerm(Term):
    """A role a user is assigned, with the kind of object the assignment is scoped to."""

    scope: str  # region, municipality or school


@dataclass(frozen=True, kw_only=True)
class ContextColumn(Term):
    """A column of the school's context passport (table ``context``, form, template, index).

    ``index_sign`` is the column's direction in the social-context index: +1 — the larger, the
    more disadvantaged; −1 — the opposite; 0 — not an index component (counts that describe the
    school's size). The default rules (rules.toml ``[context.components]``) use these signs.
    """

    unit: str  # «%» (percent 0–100), «чел.», «ед.», «км»
    kind: str  # share, count or number: how a template cell and a form box read it
    index_sign: int
    explanation: str  # one sentence for the template's «Пояснения» sheet


@dataclass(frozen=True, kw_only=True)
class WorkTerm(Term):
    """A word of the workplace's own machinery that pages show by its code: a table of loaded
    data, the engine that ran, a stage of a run, a part of its stored results."""

    kind: str  # table, engine, stage, output or list


@dataclass(frozen=True, kw_only=True)
class EventKind(Term):
    """A kind of support event (``SupportEvent.kind``, :mod:`opora.web.support`).

    ``visit``: an event held at the school itself (a visit to it, seed 000: «выезды
    (мониторинговые визиты, методические «десанты», встречи-консультации …)»), which the coverage
    page counts as the school's last visit; ``named``: the kind needs its own name («другое»).
    """

    visit: bool = False
    named: bool = False


@dataclass(frozen=True, kw_only=True)
class EventStatus(Term):
    """Where a support event stands (``SupportEvent.status``): ``held`` — it took place (counted
    on the coverage page); ``needs_reason`` — the status is given with a reason."""

    held: bool = False
    needs_reason: bool = False


@dataclass(frozen=True, kw_only=True)
class SupportTerm(Term):
    """A word of the support work: who organises an event, a kind of network community, a risk
    factor of the 500+ profile an event addresses."""

    kind: str


@dataclass(frozen=True, kw_only=True)
class DocumentKind(Term):
    """A kind of the school's development document (``ProgramDocument.kind``)."""


@dataclass(frozen=True, kw_only=True)
class StaffTerm(Term):
    """A word of a school's staff and its teachers' development (``opora.web.staff``): a
    position, a qualification category, a subject taught beyond the assessment catalogue, a
    diagnostic instrument, a domain of professional deficits, a level, a kind or status of a
    step of an individual development route (ИОМ)."""

    kind: str


@dataclass(frozen=True, kw_only=True)
class Indicator(Term):
    """An indicator of the municipal system, with its unit (DOMAIN.md, «Indicators»)."""

    unit: str
    level: str = "municipality"  # municipality or school


_METHOD = "methodology.md#"
