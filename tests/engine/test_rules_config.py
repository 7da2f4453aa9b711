"""The rules file: defaults, partial overrides, and clear Russian errors for mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from opora.engine.config import ConfigError, load_rules


def test_default_rules_follow_seed_001_three_years_russian_and_mathematics() -> None:
    rules = load_rules()
    assert rules.version
    assert rules.identification.years == 3
    assert set(rules.identification.procedures) == {"VPR", "OGE", "EGE"}
    assert {"rus", "math"} <= set(rules.identification.subjects)
    assert rules.threshold_rule.share_pct == 30.0 and rules.threshold_rule.min_procedures == 2


def test_a_user_file_overrides_only_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "my.toml"
    path.write_text('version = "мой-1"\n[identification]\nmin_participants = 10\n', "utf-8")
    rules = load_rules(path)
    assert rules.version == "мой-1"
    assert rules.identification.min_participants == 10
    assert rules.identification.years == 3
    assert "my.toml" in rules.source


def test_an_unknown_parameter_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "typo.toml"
    path.write_text("[identification]\nmin_partcipants = 10\n", "utf-8")
    with pytest.raises(ConfigError, match=r"identification\.min_partcipants"):
        load_rules(path)


def test_a_value_of_the_wrong_kind_is_an_error_in_russian(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[threshold_rule]\nshare_pct = "тридцать"\n', "utf-8")
    with pytest.raises(ConfigError, match="должен быть числом"):
        load_rules(path)


def test_a_share_above_100_percent_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[threshold_rule]\nshare_pct = 130\n", "utf-8")
    with pytest.raises(ConfigError, match="0–100"):
        load_rules(path)


@pytest.mark.parametrize(("line", "message"), [
    ("min_procedures = 0", "min_procedures должен быть не меньше 1"),
    ("consecutive_years = 0", "consecutive_years должен быть не меньше 1"),
])
def test_a_threshold_rule_over_no_works_or_no_years_is_rejected(tmp_path: Path, line: str,
                                                                 message: str) -> None:
    # «не менее 0 работ в каждом году» would hold for every school: a mistake, not a rule
    path = tmp_path / "bad.toml"
    path.write_text(f"[threshold_rule]\n{line}\n", "utf-8")
    with pytest.raises(ConfigError, match=message):
        load_rules(path)


def test_an_unknown_context_component_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[context.components]\nshare_aliens = 1\n", "utf-8")
    with pytest.raises(ConfigError, match="share_aliens"):
        load_rules(path)


def test_a_broken_toml_file_is_reported_not_raised_as_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[identification\n", "utf-8")
    with pytest.raises(ConfigError, match="не читается как TOML"):
        load_rules(path)


def test_the_rule_dataclasses_carry_no_defaults_so_rules_toml_is_the_only_one() -> None:
    import typing
    from dataclasses import MISSING, fields, is_dataclass

    from opora.engine.config import Rules

    pending: list[type] = [Rules]
    seen = []
    while pending:
        cls = pending.pop()
        seen.append(cls.__name__)
        hints = typing.get_type_hints(cls)
        for f in fields(cls):
            assert f.default is MISSING and f.default_factory is MISSING, f"{cls.__name__}.{f.name}"
            if is_dataclass(hints[f.name]):
                pending.append(hints[f.name])
    assert len(seen) == 8  # Rules and its seven sections


def test_a_parameter_missing_from_the_defaults_file_is_an_error_naming_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from opora.engine import config

    text = config.DEFAULT_RULES.read_text("utf-8").replace("risk_margin_pct = 2.0", "")
    defaults = tmp_path / "rules.toml"
    defaults.write_text(text, "utf-8")
    monkeypatch.setattr(config, "DEFAULT_RULES", defaults)
    with pytest.raises(ConfigError, match=r"identification\.risk_margin_pct"):
        load_rules()


def test_every_default_is_read_from_rules_toml() -> None:
    import tomllib

    from opora.engine.config import DEFAULT_RULES

    toml = tomllib.loads(DEFAULT_RULES.read_text("utf-8"))
    plain = load_rules().as_dict()
    assert {k: v for k, v in plain.items() if k != "source"} == toml
