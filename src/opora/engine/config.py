"""The rules as a typed, versioned configuration.

The defaults live in ``rules.toml`` next to this module (every parameter is commented there and
explained in ``docs/methodology.md`` with its source: seed 001, seed 004, DOMAIN.md, federal
practice). A user's file overrides only the parameters it names; an unknown parameter or a value
of the wrong kind is an error with a Russian message, never silently ignored — a misspelt
parameter would otherwise change a list of schools without anyone noticing.
"""

from __future__ import annotations

import tomllib
import typing
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from opora.glossary import INDEX_COMPONENTS

DEFAULT_RULES = Path(__file__).with_name("rules.toml")


class ConfigError(ValueError):
    """The rules file is wrong; ``str(exc)`` is a one-line Russian message for the user."""


@dataclass(frozen=True)
class IdentificationRules:
    procedures: tuple[str, ...] = ("VPR", "OGE", "EGE")
    subjects: tuple[str, ...] = ("rus", "math", "math_profile", "math_base")
    grades: tuple[int, ...] = ()
    years: int = 3
    min_low_years: int = 2
    min_low_subjects: int = 1
    min_gap_pct: float = 0.0
    min_participants: int = 5
    confidence: float = 0.95
    risk_margin_pct: float = 2.0


@dataclass(frozen=True)
class ThresholdRule:
    enabled: bool = True
    share_pct: float = 30.0
    min_procedures: int = 2
    consecutive_years: int = 2


@dataclass(frozen=True)
class RegionalRules:
    source: str = "auto"
    default_sd_pct: dict[str, float] = field(default_factory=lambda: {"EGE": 15.0})


@dataclass(frozen=True)
class DynamicsRules:
    min_years: int = 2


@dataclass(frozen=True)
class ContextRules:
    mode: str = "equal"
    adverse_share_pct: float = 20.0
    resilient_margin_pct: float = 5.0
    leader_margin_pct: float = 5.0
    components: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ObjectivityRules:
    min_participants: int = 10
    term_z: float = 4.0
    term_min_excess_pct: float = 10.0
    boundary_z: float = 3.5
    boundary_min_count: int = 10
    inversion_max_corr: float = -0.7
    inversion_p: float = 0.001
    inversion_min_tasks: int = 6
    cohort_drop_pct: float = 15.0
    vpr_high_pct: float = 10.0
    exam_not_high_pct: float = 0.0


@dataclass(frozen=True)
class PairingRules:
    scope: str = "municipality"
    capacity: int = 2
    weight_context: float = 1.0
    weight_strength: float = 1.0
    weight_distance: float = 0.5


@dataclass(frozen=True)
class Rules:
    version: str = ""
    identification: IdentificationRules = field(default_factory=IdentificationRules)
    threshold_rule: ThresholdRule = field(default_factory=ThresholdRule)
    regional: RegionalRules = field(default_factory=RegionalRules)
    dynamics: DynamicsRules = field(default_factory=DynamicsRules)
    context: ContextRules = field(default_factory=ContextRules)
    objectivity: ObjectivityRules = field(default_factory=ObjectivityRules)
    pairing: PairingRules = field(default_factory=PairingRules)
    source: str = ""  # which files the rules came from (not a TOML key)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``run.json`` (tuples → lists)."""
        return _to_plain(self)


def load_rules(path: Path | str | None = None) -> Rules:
    """The default rules, overridden by the user's TOML file if one is given."""
    base = _parse(DEFAULT_RULES)
    rules = _build(Rules, base, "", DEFAULT_RULES.name)
    rules = replace(rules, source=str(DEFAULT_RULES.name))
    if path is not None:
        path = Path(path)
        rules = _build(Rules, _parse(path), "", path.name, start=rules)
        rules = replace(rules, source=f"{DEFAULT_RULES.name} + {path.name}")
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


def _build(cls: Any, data: dict[str, Any], prefix: str, fname: str, start: Any = None) -> Any:
    """Overlay ``data`` on ``start`` (or the class defaults), checking every key and type."""
    current = start if start is not None else cls()
    hints = typing.get_type_hints(cls)
    names = {f.name for f in fields(cls) if not (cls is Rules and f.name == "source")}
    changes: dict[str, Any] = {}
    for key, value in data.items():
        where = f"{prefix}{key}"
        if key not in names:
            raise ConfigError(f"неизвестный параметр «{where}» в файле правил {fname}")
        hint = hints[key]
        if is_dataclass(hint):
            if not isinstance(value, dict):
                raise ConfigError(f"«{where}» в файле {fname} должен быть разделом [{where}]")
            changes[key] = _build(hint, value, f"{where}.", fname, getattr(current, key))
        else:
            changes[key] = _coerce(hint, value, where, fname)
    return replace(current, **changes)


def _coerce(hint: Any, value: Any, where: str, fname: str) -> Any:
    origin = typing.get_origin(hint)
    if origin is tuple:
        item = typing.get_args(hint)[0]
        if not isinstance(value, list):
            raise ConfigError(f"«{where}» в файле {fname} должен быть списком")
        return tuple(_coerce(item, v, where, fname) for v in value)
    if origin is dict:
        item = typing.get_args(hint)[1]
        if not isinstance(value, dict):
            raise ConfigError(f"«{where}» в файле {fname} должен быть разделом «ключ = значение»")
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
        raise ConfigError(f"«{where}» в файле {fname} должен быть {kind}, а не «{value}»")
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
        (rules.regional.source not in ("auto", "computed", "reference"),
         "regional.source: допустимо auto, computed или reference"),
        (ctx.mode not in ("equal", "pca"), "context.mode: допустимо equal или pca"),
        (not 0 < ctx.adverse_share_pct < 100, "context.adverse_share_pct — доля, 0–100 %"),
        (rules.pairing.capacity < 1, "pairing.capacity должен быть ≥ 1"),
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
