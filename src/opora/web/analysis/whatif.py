"""The what-if on a run's page: move the rule's settings, see at once who would be on the list.

A finished run keeps what its rules read (``cell_stats`` and the small tables,
:attr:`opora.engine.run.Evaluation.rule_inputs`) as Parquet files in the file storage
(``media/runs/<run>/``). The what-if reads them back — once per process, they are cached — and
runs the identification and context of :mod:`opora.engine.whatif` with the run's rules changed by
the chosen settings: the counts per category of the list's year and who would enter or leave the
current official list, in well under a second for a region (bench/bench_whatif.py). The settings
become a TOML text over the run's own rules, which can be saved as a named configuration
(:class:`RuleSet`) and run for real.
"""

from __future__ import annotations

import io
import tomllib
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from threading import Lock
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from opora.engine.config import ConfigError, Rules, load_rules_text
from opora.web.analysis.models import CATEGORY_CHOICES, AnalysisRun
from opora.web.analysis.official import current_list_of, inclusion_category
from opora.web.core.ordering import natural_key
from opora.web.schools.models import School

_FOLDER = "runs/{pk}/rule-inputs/{name}.parquet"
_NAMES = ("cell_stats", "reference", "schools", "context")


def rule_inputs_store(run: AnalysisRun, inputs: dict[str, pa.Table]) -> None:
    """Keep a finished run's rule inputs (a few MB for a region) in the file storage."""
    for name, table in inputs.items():
        if name not in _NAMES:
            continue
        buffer = io.BytesIO()
        pq.write_table(table, buffer, compression="zstd")
        path = _FOLDER.format(pk=run.pk, name=name)
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, ContentFile(buffer.getvalue()))


_CACHE: OrderedDict[int, dict[str, pa.Table]] = OrderedDict()
_CACHE_LOCK = Lock()
_CACHE_RUNS = 4


def rule_inputs_load(run: AnalysisRun) -> dict[str, pa.Table] | None:
    """The run's kept rule inputs (None for a run made before they were kept), cached for the
    last few runs asked about in this process."""
    with _CACHE_LOCK:
        if run.pk in _CACHE:
            _CACHE.move_to_end(run.pk)
            return _CACHE[run.pk]
    if not default_storage.exists(_FOLDER.format(pk=run.pk, name="cell_stats")):
        return None
    found = {}
    for name in _NAMES:
        path = _FOLDER.format(pk=run.pk, name=name)
        if default_storage.exists(path):
            with default_storage.open(path, "rb") as handle:
                found[name] = pq.read_table(handle)
    with _CACHE_LOCK:
        _CACHE[run.pk] = found
        while len(_CACHE) > _CACHE_RUNS:
            _CACHE.popitem(last=False)
    return found


@dataclass(frozen=True)
class Settings:
    """The settings the what-if moves (rules.toml, docs/methodology.md): years of N, the
    confidence level, the minimum gap, the minimum participants, the subjects, the ШНСУ cut."""

    years: int
    min_low_years: int
    confidence: float
    min_gap_pct: float
    min_participants: int
    subjects: tuple[str, ...]
    adverse_share_pct: float

    @classmethod
    def of(cls, rules: Rules) -> Settings:
        i = rules.identification
        return cls(i.years, i.min_low_years, i.confidence, i.min_gap_pct, i.min_participants,
                   tuple(i.subjects), rules.context.adverse_share_pct)

    def changes(self) -> dict[str, dict[str, Any]]:
        return {"identification": {
                    "years": self.years, "min_low_years": self.min_low_years,
                    "confidence": self.confidence, "min_gap_pct": self.min_gap_pct,
                    "min_participants": self.min_participants, "subjects": list(self.subjects)},
                "context": {"adverse_share_pct": self.adverse_share_pct}}


def settings_text(base_text: str, settings: Settings) -> str:
    """The TOML of ``base_text`` (a run's rules over the defaults) with ``settings`` set."""
    data = tomllib.loads(base_text) if base_text.strip() else {}
    for section, values in settings.changes().items():
        data.setdefault(section, {}).update(values)
    return toml_text(data)


def toml_text(data: dict[str, Any], prefix: str = "") -> str:
    """A small TOML writer for rules (numbers, text, booleans, lists, nested tables)."""
    lines = [f"{key} = {_value(value)}" for key, value in data.items()
             if not isinstance(value, dict)]
    text = "\n".join(lines) + ("\n" if lines else "")
    for key, value in data.items():
        if isinstance(value, dict):
            name = f"{prefix}{key}"
            text += f"\n[{name}]\n" + toml_text(value, f"{name}.")
    return text


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class WhatIf:
    """The list the settings would make for ``year``, against the current official list."""

    year: int | None
    rules_text: str
    counts: list[tuple[str, str, int]] = field(default_factory=list)  # code, name, schools
    schools: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    entering: list[tuple[int, str]] = field(default_factory=list)
    leaving: list[tuple[int, str]] = field(default_factory=list)
    official_year: int | None = None
    error: str = ""


def whatif(run: AnalysisRun, settings: Settings) -> WhatIf:
    """What the list of the run's last year would be with ``settings``."""
    text = settings_text(run.rules_text, settings)
    result = WhatIf(year=None, rules_text=text)
    inputs = rule_inputs_load(run)
    if inputs is None:
        result.error = ("Для этого расчёта не сохранены промежуточные данные (он сделан до "
                        "появления проверки настроек): запустите расчёт заново.")
        return result
    try:
        rules = load_rules_text(text, "настройки проверки")
    except ConfigError as exc:
        result.error = str(exc)
        return result
    # the engine's rules (and SciPy) are imported by the first what-if, not with the address
    # table: a management command or a test that never asks one starts a second faster; a
    # server imports them at start (opora.web.wsgi)
    from opora.engine.whatif import identification_flags

    flags, window = identification_flags(inputs, rules)
    if not window:
        result.error = "В этих годах нет результатов для анализа."
        return result
    result.year = year = window[-1]
    by_school: dict[str, set[str]] = defaultdict(set)
    for f in flags:
        if f.year == year:
            by_school[f.school_key].add(f.flag)
    ids = dict(School.objects.filter(key__in=list(by_school)).values_list("key", "pk"))
    names = dict(School.objects.filter(key__in=list(by_school)).values_list("pk", "short_name"))
    grouped: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for key, school_flags in by_school.items():
        category = inclusion_category(school_flags)
        if category is not None and key in ids:
            grouped[category].append((ids[key], names[ids[key]]))
    result.schools = {code: sorted(rows, key=lambda r: natural_key(r[1])) for code, rows in grouped.items()}
    result.counts = [(code, label, len(grouped.get(code, []))) for code, label in CATEGORY_CHOICES]
    official = current_list_of(run, year)
    proposed = {pk for rows in grouped.values() for pk, _ in rows}
    if official is not None:
        result.official_year = official.year
        listed = dict(official.inclusions.values_list("school_id", "school__short_name"))
        result.entering = sorted(((pk, n) for rows in grouped.values() for pk, n in rows
                                  if pk not in listed), key=lambda r: natural_key(r[1]))
        result.leaving = sorted(((pk, n) for pk, n in listed.items() if pk not in proposed),
                                key=lambda r: natural_key(r[1]))
    return result
