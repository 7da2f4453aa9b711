"""Turn django-simple-history records into entries a coordinator reads in Russian.

Every edited record (a school, its context passport, a role assignment) keeps historical rows
(simple-history). This module pairs each row with the previous row of the same object and uses
``diff_against`` to list the fields that changed, named by their verbose names, with the old and
the new value as the page shows them (``None`` → «—», decimal comma, choice labels, related
objects by their names). No query per entry: related objects are fetched once per model.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models

from opora.numbers import number

ACTIONS = {"+": "создано", "~": "изменено", "-": "удалено"}
EMPTY = "—"


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    action: str
    record: str
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""


def _who(record: Any) -> str:
    user = getattr(record, "history_user", None)
    if user is None:
        return "система (загрузка данных или команда)"
    return user.get_full_name() or user.get_username()


def _label(model: type[models.Model], name: str) -> str:
    f = model._meta.get_field(name)
    assert isinstance(f, models.Field)  # a tracked column, not a reverse relation
    verbose = str(f.verbose_name)
    return verbose[:1].upper() + verbose[1:]


class _Formatter:
    """Values as the page shows them; related objects resolved in one query per model."""

    def __init__(self, model: type[models.Model], pairs: Sequence[tuple[Any, Any | None]]) -> None:
        self.model = model
        wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        for new, old in pairs:
            for record in (new, old):
                if record is None:
                    continue
                for f in self._relations():
                    value = getattr(record, f.attname, None)
                    if value is not None:
                        wanted[f.related_model].add(value)
        self.names = {m: {o.pk: str(o) for o in m._default_manager.filter(pk__in=ids)}
                      for m, ids in wanted.items()}

    def _relations(self) -> list[models.ForeignKey]:
        return [f for f in self.model._meta.concrete_fields if isinstance(f, models.ForeignKey)]

    def show(self, name: str, value: Any) -> str:
        f = self.model._meta.get_field(name)
        if value is None or value == "":
            return EMPTY
        if isinstance(f, models.ForeignKey):
            return self.names.get(f.related_model, {}).get(value, f"№ {value}")
        assert isinstance(f, models.Field)  # a tracked column, not a reverse relation
        if f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "да" if value else "нет"
        if isinstance(value, float):
            return number(value, 6, trim=True)
        return str(value)


def _changes(new: Any, old: Any | None, model: type[models.Model], fmt: _Formatter,
             excluded: Sequence[str]) -> list[FieldChange]:
    if old is None and new.history_type != "+":
        return []  # the earlier state is not among the records shown: nothing honest to compare
    if old is None:  # creation: every filled field, from nothing
        names = [f.name for f in model._meta.concrete_fields  # only the tracked ones
                 if f.name not in excluded and not f.primary_key and hasattr(new, f.attname)]
        return [FieldChange(_label(model, n), EMPTY, fmt.show(n, _value(new, model, n)))
                for n in names if _value(new, model, n) not in (None, "")]
    delta = new.diff_against(old, excluded_fields=list(excluded))
    return [FieldChange(_label(model, c.field), fmt.show(c.field, c.old), fmt.show(c.field, c.new))
            for c in delta.changes]


def _value(record: Any, model: type[models.Model], name: str) -> Any:
    f = model._meta.get_field(name)
    assert isinstance(f, models.Field)  # a tracked column, not a reverse relation
    return getattr(record, f.attname)


Describe = Callable[[Any, "Callable[[str, Any], str]"], str]


def history_entries(records: Iterable[Any], *, model: type[models.Model],
                    excluded: Sequence[str] = (), describe: Describe | None = None,
                    ) -> list[HistoryEntry]:
    """Entries newest first for historical ``records`` of ``model`` (any number of objects).

    ``records`` should come with ``select_related("history_user")``; each row is compared with
    the previous row of the same object among ``records`` (the first one is its creation).
    ``describe(record, show)`` names the record («2023/24», «Куратор: СОШ № 2»); ``show(field,
    value)`` formats a value as the entries do, related objects included, without a query.
    """
    ordered = sorted(records, key=lambda r: (r.history_date, r.history_id))
    previous: dict[Any, Any] = {}
    pairs: list[tuple[Any, Any | None]] = []
    for record in ordered:
        pairs.append((record, previous.get(record.id)))
        previous[record.id] = record
    fmt = _Formatter(model, pairs)
    entries = []
    for new, old in reversed(pairs):
        changes = [] if new.history_type == "-" else _changes(new, old, model, fmt, excluded)
        if new.history_type == "~" and not changes and old is not None:
            continue  # a save that changed nothing is not news
        entries.append(HistoryEntry(
            when=new.history_date, who=_who(new), action=ACTIONS.get(new.history_type, ""),
            record=describe(new, fmt.show) if describe else "", changes=changes,
            reason=new.history_change_reason or ""))
    return entries

