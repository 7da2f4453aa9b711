"""Named rule configurations that ship with Опора (TOML over the defaults, like a user's file).

``seed001`` is the literal rule of seed 001 as the defaults of version 2026.1 held it, kept so a
municipality can still run it after the defaults were calibrated (docs/methodology.md).
"""

from __future__ import annotations

from pathlib import Path

from opora.engine.config import Rules, load_rules_text

_HERE = Path(__file__).parent
#: code → (Russian name, file)
PRESETS: dict[str, tuple[str, Path]] = {
    "seed001": ("Правило протокола рабочей группы, дословно (правила 2026.1)",
                _HERE / "seed001.toml"),
}


def preset_text(code: str) -> str:
    """The TOML text of a shipped configuration."""
    return PRESETS[code][1].read_text(encoding="utf-8")


def preset_rules(code: str) -> Rules:
    """The rules of a shipped configuration (the defaults overridden by its file)."""
    return load_rules_text(preset_text(code), PRESETS[code][1].name)
