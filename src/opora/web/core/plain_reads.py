"""Model instances from rows read by plain SQL, converted as the ORM converts them.

A few reads run on every request (the signed-in user, a card's school): built by the ORM they
cost more Python than the query itself (~0.3 ms each, issue 18), so their SQL is written once
per process. The values must still come out as the ORM gives them — SQLite hands back a naive
``datetime`` where the ORM gives an aware one — so each column's converters are the ORM's own
(``get_db_converters`` of the backend and of the field), applied here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model


@dataclass(frozen=True)
class ModelColumns:
    """The columns of ``model`` as ``table.column`` SQL, their attribute names, and for each
    column that needs them the converters ``(index, [converter, …], expression)``."""

    model: type[Model]
    sql: list[str]
    attnames: list[str]
    converters: list[tuple[int, list[Callable[..., Any]], Any]]

    def instance(self, values: Sequence[Any]) -> Any:
        """The model instance of ``values`` (in the order of :attr:`sql`), as if the ORM read it."""
        row = list(values)
        for i, functions, expression in self.converters:
            for convert in functions:
                row[i] = convert(row[i], expression, connection)
        return self.model.from_db(connection.alias, self.attnames, row)


def model_columns(model: type[Model]) -> ModelColumns:
    """Every concrete column of ``model``; build it once per process (it names the backend)."""
    meta = model._meta
    quote = connection.ops.quote_name
    sql, attnames, converters = [], [], []
    for i, field in enumerate(meta.concrete_fields):
        sql.append(f"{quote(meta.db_table)}.{quote(str(field.column))}")
        attnames.append(field.attname)
        expression = field.get_col(meta.db_table)
        functions = connection.ops.get_db_converters(expression) + \
            field.get_db_converters(connection)
        if functions:
            converters.append((i, functions, expression))
    return ModelColumns(model, sql, attnames, converters)
