"""The rules as a typed, versioned configuration.

The defaults live in ``rules.toml`` next to this module and nowhere else (every parameter is
commented there and explained in ``docs/methodology.md`` with its source: seed 001, seed 004,
DOMAIN.md, federal practice): the dataclasses below declare the parameters and their types but
carry no default values, so a default cannot drift from the file — a parameter missing from
``rules.toml`` is an error, not a silent fallback. A user's file overrides only the parameters it
names; an unknown parameter or a value of the wrong kind is an error with a Russian message, never
silently ignored — a misspelt parameter would otherwise change a list of schools without anyone
noticing.
"""

from __future__ import annotations

import re
import tomllib
import typing
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from opora.glossary import INDEX_COMPONENTS

DEFAULT_RULES = Path(__file__).with_name("rules.toml")


class ConfigError(ValueError):
    """The rules file is wrong; ``str(exc)`` is a one-line Russian message for the user."""


@dataclass(frozen=True)
class IdentificationRules:
    procedures: tuple[str, ...]
    subjects: tuple[str, ...]
    grades: tuple[int, ...]
    years: int
    min_low_years: int
    require_last_year: bool
    min_low_subjects: int
    min_gap_pct: float
    min_participants: int
    confidence: float
    risk_margin_pct: float


@dataclass(frozen=True)
class ThresholdRule:
    enabled: bool
    share_pct: float
    min_procedures: int
    consecutive_years: int


@dataclass(frozen=True)
class RegionalRules:
    source: str
    default_sd_pct: dict[str, float]


@dataclass(frozen=True)
class DynamicsRules:
    min_years: int


@dataclass(frozen=True)
class ContextRules:
    mode: str
    adverse_share_pct: float
    resilient_margin_pct: float
    leader_margin_pct: float
    components: dict[str, int]


@dataclass(frozen=True)
class ObjectivityRules:
    min_participants: int
    term_z: float
    term_min_excess_pct: float
    boundary_z: float
    boundary_min_count: int
    inversion_max_corr: float
    inversion_p: float
    inversion_min_tasks: int
    cohort_drop_pct: float
    vpr_high_pct: float
    exam_not_high_pct: float


@dataclass(frozen=True)
class PairingRules:
    scope: str
    capacity: int
    similar_context_max: float
    max_distance_km: float
    weight_context: float
    weight_strength: float
    weight_distance: float


@dataclass(frozen=True)
class Rules:
    version: str
    identification: IdentificationRules
    threshold_rule: ThresholdRule
    regional: RegionalRules
    dynamics: DynamicsRules
    context: ContextRules
    objectivity: ObjectivityRules
    pairing: PairingRules
    source: str

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``run.json`` (tuples → lists)."""
        return _to_plain(self)


def load_rules(path: Path | str | None = None) -> Rules:
    """The default rules, overridden by the user's TOML file if one is given."""
    base = _parse(DEFAULT_RULES)
    rules = _build(Rules, base, "", DEFAULT_RULES.name, fixed={"source": DEFAULT_RULES.name})
    if path is not None:
        path = Path(path)
        rules = _build(Rules, _parse(path), "", path.name, start=rules,
                       fixed={"source": f"{DEFAULT_RULES.name} + {path.name}"})
    _validate(rules)
    return rules


def load_rules_text(text: str, name: str = "правила.toml", *, place: str = "") -> Rules:
    """The default rules, overridden by TOML ``text`` (pasted or uploaded in the web form).

    ``name`` is how ``Rules.source`` calls the text; ``place`` is where the messages say the
    text is («в поле «Правила»», «в файле «строже.toml»»; by default «в файле правил <name>»:
    issue 13 — a text typed into the form was called «файл правила.toml»). Blank text gives
    the defaults.
    """
    rules = load_rules()
    if not text.strip():
        return rules
    where = place or f"в файле правил {name}"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where} ошибка записи TOML{_toml_place(exc)}; проверьте знаки «=», "
                          "кавычки и скобки разделов") from None
    rules = _build(Rules, data, "", where, start=rules)
    rules = replace(rules, source=f"{DEFAULT_RULES.name} + {name}")
    _validate(rules)
    return rules


def _parse(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"файл правил {path} не найден") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"файл правил {path.name} не читается как TOML: {exc}") from None


_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def _toml_place(exc: tomllib.TOMLDecodeError) -> str:
    """« в строке 2, позиция 5» from the decoder's English message (its only useful part)."""
    found = _TOML_AT.search(str(exc))
    if found:
        return f" в строке {found.group(1)}, позиция {found.group(2)}"
    return " в конце текста" if "end of document" in str(exc) else ""


def _in(fname: str) -> str:
    """Where the rules are, as the messages say it: a place phrase as given («в поле
    «Правила»»), a file name as «в файле правил <name>»."""
    return fname if fname.startswith(("в ", "во ")) else f"в файле правил {fname}"


def _build(cls: Any, data: dict[str, Any], prefix: str, fname: str, start: Any = None,
           fixed: dict[str, Any] | None = None) -> Any:
    """Overlay ``data`` on ``start``, checking every key and type; without ``start`` (the
    defaults file) ``data`` must name every parameter. ``fixed``: fields that are not TOML keys."""
    fixed = fixed or {}
    hints = typing.get_type_hints(cls)
    names = {f.name for f in fields(cls)} - set(fixed)
    changes: dict[str, Any] = {}
    for key, value in data.items():
        where = f"{prefix}{key}"
        if key not in names:
            raise ConfigError(f"неизвестный параметр «{where}» {_in(fname)}")
        hint = hints[key]
        if is_dataclass(hint):
            if not isinstance(value, dict):
                raise ConfigError(f"«{where}» {_in(fname)} должен быть разделом [{where}]")
            changes[key] = _build(hint, value, f"{where}.", fname,
                                  None if start is None else getattr(start, key))
        else:
            changes[key] = _coerce(hint, value, where, fname)
    if start is not None:
        return replace(start, **changes, **fixed)
    missing = [f"{prefix}{name}" for name in sorted(names - set(changes))]
    if missing:
        raise ConfigError(f"{_in(fname)} нет параметров: {', '.join(missing)}")
    return cls(**changes, **fixed)


def _coerce(hint: Any, value: Any, where: str, fname: str) -> Any:
    origin = typing.get_origin(hint)
    if origin is tuple:
        item = typing.get_args(hint)[0]
        if not isinstance(value, list):
            raise ConfigError(f"«{where}» {_in(fname)} должен быть списком")
        return tuple(_coerce(item, v, where, fname) for v in value)
    if origin is dict:
        item = typing.get_args(hint)[1]
        if not isinstance(value, dict):
            raise ConfigError(f"«{where}» {_in(fname)} должен быть разделом «ключ = значение»")
        return {str(k): _coerce(item, v, f"{where}.{k}", fname) for k, v in value.items()}
    if hint is bool:
        ok = isinstance(value, bool)
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif hint is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    else:
        ok = isinstance(value, str)
    if not ok:
        kind = {bool: "true/false", int: "целым числом", float: "числом"}.get(hint, "строкой")
        raise ConfigError(f"«{where}» {_in(fname)} должен быть {kind}, а не «{value}»")
    return value


def _validate(rules: Rules) -> None:
    """Range checks: a share is 0–100 %, a confidence is between 0 and 1, modes are known."""
    ident, ctx = rules.identification, rules.context
    checks = [
        (not rules.version, "в правилах не указана версия (version)"),
        (not 0.5 <= ident.confidence < 1, "identification.confidence должен быть от 0,5 до 1"),
        (ident.years < 1, "identification.years должен быть не меньше 1"),
        (not 1 <= ident.min_low_years <= ident.years,
         "identification.min_low_years должен быть от 1 до identification.years"),
        (ident.min_participants < 1, "identification.min_participants должен быть ≥ 1"),
        (not 0 <= rules.threshold_rule.share_pct <= 100, "threshold_rule.share_pct — доля, 0–100 %"),
        (rules.threshold_rule.min_procedures < 1,
         "threshold_rule.min_procedures должен быть не меньше 1: правило доли считает работы, "
         "по которым доля не ниже порога"),
        (rules.threshold_rule.consecutive_years < 1,
         "threshold_rule.consecutive_years должен быть не меньше 1"),
        (rules.regional.source not in ("auto", "computed", "reference"),
         "regional.source: допустимо auto, computed или reference"),
        (ctx.mode not in ("equal", "pca"), "context.mode: допустимо equal или pca"),
        (not 0 < ctx.adverse_share_pct < 100, "context.adverse_share_pct — доля, 0–100 %"),
        (rules.pairing.capacity < 1, "pairing.capacity должен быть ≥ 1"),
        (rules.pairing.similar_context_max <= 0,
         "pairing.similar_context_max должен быть больше 0"),
        (rules.pairing.max_distance_km <= 0, "pairing.max_distance_km должен быть больше 0"),
        (rules.pairing.scope not in ("municipality", "region"),
         "pairing.scope: допустимо municipality или region"),
    ]
    for failed, message in checks:
        if failed:
            raise ConfigError(message)
    for name, sign in ctx.components.items():
        if name not in INDEX_COMPONENTS:
            raise ConfigError(f"context.components: неизвестный показатель контекста «{name}»")
        if sign not in (-1, 1):
            raise ConfigError(f"context.components.{name}: знак должен быть 1 или -1")


def _to_plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_plain(v) for k, v in value.items()}
    return value


__all__ = ["DEFAULT_RULES", "ConfigError", "Rules", "load_rules"]
