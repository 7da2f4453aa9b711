"""Every evidence sentence of every flag kind carries at least one number (issue 11, point 6).

A real run gave 105 «Зона риска» flags whose whole evidence was «ниже региона в 2023 году»: a year
is not a reason. Here the generated town (every flag kind fires in it) is analysed, each flag's
evidence split into sentences, and each sentence must hold a number that is not merely a year —
a gap, an interval, a share, an index, a count.
"""

from __future__ import annotations

import csv
import re

import pytest

from opora.engine import analyze
from opora.glossary import FLAGS

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[А-ЯЁA-Z«])")
_YEAR = re.compile(r"(?<![\d,.])(?:19|20)\d\d(?:/\d\d)?(?![\d,])")


def numbers_besides_years(sentence: str) -> bool:
    return bool(re.search(r"\d", _YEAR.sub("", sentence)))


@pytest.fixture(scope="module")
def flags(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    from opora.demo.generator import generate

    data, out = tmp_path_factory.mktemp("town"), tmp_path_factory.mktemp("town_out")
    generate(scale="municipality", years=3, seed=5, out=data)
    analyze(data, out)
    with (out / "flags.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_flag_kind_of_the_glossary_fires_in_the_town(flags: list[dict[str, str]]) -> None:
    assert {f["flag"] for f in flags} == {f.code for f in FLAGS}


def test_every_evidence_sentence_of_every_flag_carries_a_number(
        flags: list[dict[str, str]]) -> None:
    bare = [(f["flag"], sentence) for f in flags for sentence in _SENTENCE.split(f["evidence"])
            if sentence.strip() and not numbers_besides_years(sentence)]
    assert bare == []


@pytest.mark.parametrize(("sentence", "has"), [
    ("Зона риска: ниже региона в 2023 году", False),
    ("социальный паспорт 2024/25 учебного года", False),
    ("разница −4,5 п.п. в 2023 году", True),
    ("участников 12", True),
])
def test_a_year_alone_is_not_a_number_of_the_evidence(sentence: str, has: bool) -> None:
    assert numbers_besides_years(sentence) is has
