"""Problem codes live in one enum per layer and are spelt nowhere else.

The codes are stored with every import and listed in docs/formats.md as stable, so a reader or a
service that wrote a code as a bare string could drift from the list unnoticed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from opora.formats.base import Problem
from opora.formats.errors import ReadErrorCode
from opora.web.imports.errors import ImportErrorCode

SRC = Path(__file__).resolve().parents[2] / "src" / "opora"
LAYERS = [(ReadErrorCode, SRC / "formats"), (ImportErrorCode, SRC / "web" / "imports")]


@pytest.mark.parametrize("codes", [ReadErrorCode, ImportErrorCode], ids=lambda c: c.__name__)
def test_every_code_has_a_russian_message_template(codes: type) -> None:
    for code in codes:
        assert code.message and any("а" <= ch <= "я" for ch in code.message), code


@pytest.mark.parametrize(("codes", "folder"), LAYERS, ids=["formats", "web.imports"])
def test_no_module_spells_a_problem_code_as_a_bare_string(codes: type, folder: Path) -> None:
    values = {code.value for code in codes}
    found = []
    for path in folder.rglob("*.py"):
        if path.name == "errors.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in values:
                found.append(f"{path.relative_to(SRC)}:{node.lineno} {node.value!r}")
    assert not found


def test_a_problem_stores_and_exports_the_plain_code_value() -> None:
    problem = Problem("форма.xlsx", "не заполнен код участника", ReadErrorCode.CODE_MISSING)
    assert problem.as_row()["code"] == "code_missing"
    assert str(problem.code) == "code_missing"


def test_the_code_values_the_imports_journal_already_holds_are_unchanged() -> None:
    """A sample of values stored in ImportBatch.problems before the enums existed."""
    assert ReadErrorCode.DUPLICATE_KEY == "duplicate_key"
    assert ReadErrorCode.SHARE_OUT_OF_RANGE == "share_out_of_range"
    assert ReadErrorCode.SCORE_ABOVE_MAX == "score_above_max"
    assert ImportErrorCode.SCHOOL_NOT_FOUND == "school_not_found"
    assert ImportErrorCode.SCHOOL_OUT_OF_SCOPE == "school_out_of_scope"
