"""The mutation bench's list of equivalent mutants (``bench/bench_mutation.py``,
``EQUIVALENT_RULES``) quotes the code each rule is about. A rule whose quoted code is gone from
its module can never match a mutant again: it only pretends the module was judged. When the code
changes, its rules are judged again or removed — this test says which."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def bench_mutation() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_mutation",
                                                  ROOT / "bench" / "bench_mutation.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_mutation", module)
    spec.loader.exec_module(module)
    return module


def test_every_equivalent_mutant_rule_quotes_code_its_module_still_has() -> None:
    bench = bench_mutation()
    stale = [(module, function, was) for module, function, was, _, _ in bench.EQUIVALENT_RULES
             if module != "*" and was
             and was not in (ROOT / bench.MODULES[module]).read_text("utf-8")]
    assert stale == [], f"правила эквивалентных мутантов цитируют код, которого больше нет: {stale}"
