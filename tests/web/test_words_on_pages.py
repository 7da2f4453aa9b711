"""Every page, for every persona, in Russian: no internal code, no English, no command line.

Issue 13: a new coordinator met «low_results: 29, persistently_low: 23 …» in a run's status,
«Движок duckdb», «Слабые предметы: math, rus», «aggregates: 4273, schools: 394», «TASKS DATABASE
BACKEND / Task Results» in the administration pages and «синтетика: opora generate …» in the
evidence. This test renders every page of the access table (``test_permission_matrix.py``: its
personas, territory and addresses) that a persona may open, on a territory whose finished run
has every kind of result, and the administration pages, and reads what a person reads: the
text, the hints (``title``, ``placeholder``, ``aria-label``, ``alt``) and the confirmation
questions (``hx-confirm``). It fails on

- a known internal code: a glossary or catalogue code (``low_results``, ``math``, ``duckdb``,
  ``aggregates`` …) standing as a word;
- an English word outside :data:`ALLOWED` (names of formats and programs people use) and the
  data the persona typed themselves (user names, file names);
- a command line (``opora worker``, ``opora generate``, ``manage.py``);
- a number with a hyphen for its minus («-38,3»).

Text inside ``<code>``, ``<pre>`` and ``<textarea>`` is exempt from the English check only (a
key, an address, the rules' TOML as it is written), not from the command-line check.
"""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pyarrow as pa
import test_permission_matrix as matrix
from django.contrib.auth import get_user_model

from opora import glossary
from opora.catalog import PROCEDURES, SUBJECTS
from opora.schemas import OUTPUTS, conform
from opora.web.analysis.loading import load_outputs
from opora.web.imports.models import ImportBatch, UploadEntry

#: English words a Russian page may contain: names of file formats and programs people meet.
ALLOWED = frozenset({"XLSX", "XLS", "CSV", "TOML", "API", "Excel", "DuckDB", "Apache", "Spark",
                     "Parquet", "SHA", "Bearer", "Authorization", "UTF",
                     "PDF", "DOCX", "JPEG", "PNG",  # the files an event may carry (support)
                     "password", "qwerty"})  # the password rules' examples of what not to use
#: Pages not checked, with why: the API's own documentation (Swagger UI) is for programmers.
EXEMPT = ("/api/v1/docs", "/api/v1/openapi.json")
CODES = frozenset(
    {t.code for section in glossary.SECTIONS for t in section.terms if "_" in t.code
     or t.code.isascii()} | set(SUBJECTS) | set(PROCEDURES))
COMMAND_LINE = re.compile(r"\bopora (?:worker|manage|generate|analyze|read|demo|template)\b"
                          r"|manage\.py|(?<![\w-])--[a-z]+")  # not «--» inside a token
HYPHEN_MINUS = re.compile(r"(?<![\w\-./:])-\d")
QUOTED = re.compile(r"«[^«»]*»")  # a value quoted from a file, as it was written there
WORD = re.compile(r"(?<![\w.@/\\-])[A-Za-z][A-Za-z_]+(?![\w@/\\-])")
HINT_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "hx-confirm")
CODE_TAGS = ("code", "pre", "textarea")


class _Text(HTMLParser):
    """What a person reads on a page: text outside scripts and styles, and the hints."""

    def __init__(self) -> None:
        super().__init__()
        self.read: list[str] = []  # everything
        self.words: list[str] = []  # what the English check reads (not <code>)
        self._skip = 0
        self._code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._skip += 1
        elif tag in CODE_TAGS:
            self._code += 1
        for name, value in attrs:
            if name in HINT_ATTRIBUTES and value:
                self._add(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._skip -= 1
        elif tag in CODE_TAGS:
            self._code -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self._add(data)

    def _add(self, text: str) -> None:
        self.read.append(text)
        if not self._code:
            self.words.append(text)


def problems_of(html: str, data_words: set[str]) -> list[str]:
    """What a page shows that a Russian reader should not meet (empty when all is well)."""
    parser = _Text()
    parser.feed(html)
    found = []
    for text in parser.read:
        found += [f"команда: {m.group(0)!r} в «{text.strip()[:80]}»"
                  for m in COMMAND_LINE.finditer(text)]
        found += [f"дефис вместо минуса в «{text.strip()[:80]}»"
                  for _ in HYPHEN_MINUS.finditer(QUOTED.sub("", text))]
    for text in parser.words:
        for word in WORD.findall(text):
            if word in ALLOWED or word in data_words:
                continue
            kind = "код" if word in CODES else "английское слово"
            found.append(f"{kind}: {word!r} в «{text.strip()[:80]}»")
    return found


def _outputs(**rows: list[dict[str, Any]]) -> dict[str, pa.Table]:
    return {name: conform(pa.Table.from_pylist(rows[name]) if rows.get(name) else spec.empty(),
                          spec) for name, spec in OUTPUTS.items()}


_CELL = {"procedure": "VPR", "subject": "math", "grade": 4, "year": 2024}
_EVIDENCE = ("Ниже среднего по региону в 2 из 3 лет. ВПР, математика, 4 класс, 2024: средний "
             "результат школы 40,0 при среднем по региону 60,0; участников 20; разница −20,0 "
             "п.п., 95 % интервал от −30,0 до −10,0")


class WordsOnPagesTests(matrix.PermissionMatrixTests):
    """The access table's pages with content: a finished run of «Первый» holding a flag, a
    school's results, context, every objectivity sign and a pair; an upload with its outcome."""

    # the table's own tests run in test_permission_matrix.py, not again here
    test_every_page_and_action_answers_each_persona_as_the_table_says = None  # type: ignore[assignment]
    test_the_table_covers_every_persona_and_the_own_and_other_scope = None  # type: ignore[assignment]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        run = cls.runs["Первый"]
        for target in (*cls.runs.values(), *cls.drafts.values()):
            target.run_json = {"years_analysed": [2023, 2024],
                               "flag_counts": {"low_results": 1, "leader": 1},
                               "not_computed": ["стабильно низкие результаты требуют трёх лет"]}
            target.timings, target.engine = {"export": 0.512, "engine": 1.25, "load": 0.3}, "duckdb"
            target.counts = {"flags": 2, "school_stats": 1, "pairs": 1}
            target.message = "Готово. Годы: 2024; low_results: 1, leader: 1."  # stored before
            target.rules_version = "2026.1"
            target.save()
        load_outputs(run, _outputs(
            flags=[{"school_key": "A", "flag": "low_results", "year": 2024,
                    "evidence": _EVIDENCE},
                   {"school_key": "B", "flag": "leader", "year": 2024,
                    "evidence": "Выше региона на +12,0 п.п."}],
            school_stats=[{"school_key": "A", **_CELL, "level": "student", "participants": 20,
                           "score_scale": "primary", "mean_pct": 40.0, "region_mean_pct": 60.0,
                           "gap_pct": -20.0, "gap_low_pct": -30.0, "gap_high_pct": -10.0,
                           "region_source_kind": "computed", "status": "low",
                           "region_source": "итог по региону (источник: вычислено по всем "
                                            "школам региона)"}],
            context=[{"school_key": "A", "year": 2024, "context_index": -0.42, "quintile": 2,
                      "adverse_context": False, "result_gap_pct": -20.0,
                      "expected_gap_pct": -1.5, "residual_pct": -18.5,
                      "residual_low_pct": -25.0, "residual_high_pct": -12.0}],
            objectivity=[{"school_key": "A", **_CELL, "participants": 20, "term_above_pct": 8.57,
                          "boundary_z": -0.57, "inversion_corr": 0.36,
                          "cohort_change_pct": -16.9, "vpr_gap_pct": 12.4,
                          "exam_gap_pct": -5.3, "marker": "4 МА", "marker_fired": True,
                          "any_fired": True}],
            pairs=[{"low_school_key": "A", "leader_school_key": "B", "weak_subjects": "math, rus",
                    "context_distance": 0.4, "leader_strength_pct": 5.8, "distance_km": 2.5,
                    "reason": "похожие социальные условия"}]))
        for job in cls.jobs.values():
            entry = job.entries.get()
            batch = ImportBatch.objects.create(
                status=ImportBatch.FAILED, original_name="f.csv", format="normalised",
                counts={"aggregates": 3, "schools": 2},
                problems=[{"file": "f.csv", "sheet": "", "row": 2, "column": "participants",
                           "message": "участников не может быть меньше нуля: «-3»"}])
            entry.batch, entry.counts = batch, {"read": {"aggregates": 3, "schools": 2}}
            entry.message = "Загрузка отклонена: ничего не сохранено. Проблем: 1."
            entry.save()

    def _data_words(self) -> set[str]:
        """Words persons typed in: user names, file names and the column headers of their files
        (data, not the interface)."""
        names = set(get_user_model().objects.values_list("username", flat=True))
        files = {part for name in UploadEntry.objects.values_list("original_name", flat=True)
                 for part in re.split(r"[^A-Za-z]+", name) if part}
        columns = {str(p.get("column")) for problems in ImportBatch.objects.values_list(
            "problems", flat=True) for p in problems or [] if p.get("column")}
        return names | files | columns

    def test_every_page_a_persona_may_open_is_in_russian(self) -> None:
        found: list[str] = []
        words = self._data_words()
        for persona in matrix.PERSONAS:
            self.client.logout()
            if persona != "anon":
                self.client.force_login(self._who(persona))
            for action, target, expected in matrix._rows():
                method, url, data = self._request(action, self._target(target))
                if method != "get" or expected[persona] != 200 or url.startswith(EXEMPT):
                    continue
                if url.startswith("/api/"):
                    continue  # the API answers in JSON, its names are the API's contract
                response = self.client.get(url, data)
                if "text/html" not in response.get("Content-Type", ""):
                    continue
                found += [f"{persona} {url}: {p}"
                          for p in problems_of(response.content.decode(), words)]
        self.assertEqual(found, [], "\n".join(found))

    def test_the_run_page_live_fragment_and_evidence_are_in_russian(self) -> None:
        self.client.force_login(self.coordinator)
        run = self.runs["Первый"]
        found = []
        for url, headers in ((f"/analysis/runs/{run.pk}/status/", {"HTTP_HX_REQUEST": "true"}),
                             (f"/analysis/runs/{run.pk}/schools/{self.a.pk}/evidence/", {}),
                             (f"/schools/{self.a.pk}/?run={run.pk}", {})):
            response = self.client.get(url, **headers)
            self.assertEqual(response.status_code, 200, url)
            found += [f"{url}: {p}" for p in problems_of(response.content.decode(),
                                                          self._data_words())]
        self.assertEqual(found, [], "\n".join(found))

    def test_the_administration_pages_are_in_russian(self) -> None:
        from django.contrib import admin

        self.client.force_login(self.admin)
        urls = ["/admin/"]
        for model in admin.site._registry:
            meta = model._meta
            urls.append(f"/admin/{meta.app_label}/{meta.model_name}/")
            first = model._default_manager.order_by("pk").first()
            if first is not None:
                urls.append(f"/admin/{meta.app_label}/{meta.model_name}/{first.pk}/change/")
        found = []
        for url in urls:
            response = self.client.get(url)
            if response.status_code != 200:
                continue
            # Django's own admin words are English in its templates' gaps, and the names of
            # permissions («Анализ | run context | Can add run context») are written by Django
            # in English when the database is created: only codes and command lines count here
            found += [f"{url}: {p}" for p in problems_of(response.content.decode(),
                                                          self._data_words())
                      if not p.startswith("английское слово") and "| Can " not in p]
        self.assertEqual(found, [], "\n".join(found))

    def test_the_tasks_admin_names_its_app_model_and_states_in_russian(self) -> None:
        self.client.force_login(self.admin)
        page = self.client.get("/admin/").content.decode()
        self.assertIn("Фоновые задачи", page)
        self.assertNotIn("Tasks Database Backend", page)
        self.assertNotIn("Task Results", page)
        listing = self.client.get("/admin/django_tasks_database/dbtaskresult/").content.decode()
        for word in ("в очереди", "выполняется", "ошибка", "выполнена", "задача"):
            self.assertIn(word, listing)


def test_the_compiled_translations_are_those_of_the_po_file(tmp_path: Path) -> None:
    folder = Path(__file__).resolve().parents[2] / "src/opora/web/locale/ru/LC_MESSAGES"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(folder / "django.po")], check=True)
    assert compiled.read_bytes() == (folder / "django.mo").read_bytes(), \
        "run: msgfmt -o django.mo django.po in src/opora/web/locale/ru/LC_MESSAGES"


def test_the_checker_finds_each_kind_of_problem() -> None:
    html = ("<p>low_results: 29; Движок duckdb</p><p title='Task Results'>−1,0 и -38,3</p>"
            "<p>запустите <code>opora worker</code></p><p>Загрузить XLSX</p>")
    found = problems_of(html, set())
    assert found == [
        "дефис вместо минуса в «−1,0 и -38,3»", "команда: 'opora worker' в «opora worker»",
        "код: 'low_results' в «low_results: 29; Движок duckdb»",
        "код: 'duckdb' в «low_results: 29; Движок duckdb»",
        "английское слово: 'Task' в «Task Results»",
        "английское слово: 'Results' в «Task Results»"]
