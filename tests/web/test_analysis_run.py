"""An analysis run on a generated municipality, from the start form to the stored results.

The expected numbers come from running the engine directly on the generated tables (not on the
database export) and reading its ``flags.csv`` / Parquet files with ``csv`` and ``pyarrow`` here.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import openpyxl
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.contrib.auth import get_user_model
from django.test import Client, TestCase, override_settings
from hand_rules import low_results, subject_gaps
from personas import FAST_HASHER, PASSWORD
from web_data import write_dataset

from opora.demo.generator import generate_tables
from opora.engine import analyze
from opora.web.accounts import models as roles
from opora.web.accounts.services import role_assign, user_create
from opora.web.analysis.execution import run_execute
from opora.web.analysis.models import DONE, FAILED, AnalysisRun, RunFlag, RunSchoolStat
from opora.web.analysis.selectors import school_analysis
from opora.web.core.exports import HEADER_ROW, SCHOOLS_SHEET
from opora.web.imports.services import load_tables
from opora.web.schools.models import Municipality, School

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SEED, YEARS = 5, 2


def _engine_outputs(tmp: Path) -> Path:
    """The engine run directly on the generated tables: the independent reference."""
    source = write_dataset(generate_tables(scale="municipality", years=YEARS, seed=SEED),
                           tmp / "in")
    analyze(source, tmp / "out")
    return tmp / "out"


@override_settings(PASSWORD_HASHERS=FAST_HASHER, TASKS=IMMEDIATE)
class GeneratedRunTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        outcome = load_tables(tables=generate_tables(scale="municipality", years=YEARS,
                                                     seed=SEED), name="тест")
        assert outcome.ok, outcome.summary()
        cls.municipality = Municipality.objects.get()
        cls.coordinator = user_create(username="coord", password=PASSWORD)
        role_assign(user=cls.coordinator, role=roles.COORDINATOR, municipality=cls.municipality)
        cls.tmp = tempfile.TemporaryDirectory()
        out = _engine_outputs(Path(cls.tmp.name))
        with (out / "flags.csv").open(encoding="utf-8-sig", newline="") as handle:
            cls.csv_flags = list(csv.DictReader(handle))
        cls.stats = pq.read_table(out / "school_stats.parquet")
        client = Client()
        client.force_login(cls.coordinator)
        with cls.captureOnCommitCallbacks(execute=True):
            start = client.post("/analysis/runs/", {"municipality": cls.municipality.pk,
                                                        "rules_text": ""})
        cls.first_run = AnalysisRun.objects.get()
        cls.start_redirect = start.status_code, start["Location"]

    @classmethod
    def tearDownClass(cls) -> None:
        cls.tmp.cleanup()
        super().tearDownClass()

    def setUp(self) -> None:
        self.client.force_login(self.coordinator)

    def test_a_run_started_from_the_form_finishes_in_the_background_task(self) -> None:
        assert self.start_redirect == (302, f"/analysis/runs/{self.first_run.pk}/")
        assert self.first_run.status == DONE, self.first_run.message
        assert self.first_run.progress == 100
        assert set(self.first_run.timings) == {"export", "engine", "load", "commit"}
        assert all(seconds >= 0 for seconds in self.first_run.timings.values())
        assert self.first_run.created_by == self.coordinator

    def test_a_run_stores_as_many_flags_of_each_kind_as_the_engines_flags_csv(self) -> None:
        expected = Counter(row["flag"] for row in self.csv_flags)
        stored = Counter(RunFlag.objects.filter(run=self.first_run).values_list("flag", flat=True))
        assert sum(expected.values()) > 0
        assert stored == expected

    def test_the_school_card_data_holds_the_schools_flags_and_cells(self) -> None:
        key = next(r["school_key"] for r in self.csv_flags if r["flag"] == "low_results")
        school = School.objects.get(key=key)
        data = school_analysis(school=school)
        expected_flags = sorted((r["flag"], int(r["year"])) for r in self.csv_flags
                                if r["school_key"] == key)
        assert sorted((f["flag"], f["year"]) for f in data["flags"]) == expected_flags
        cells = self.stats.filter(pc.equal(self.stats["school_key"], key)).num_rows
        assert len(data["stats"]) == cells > 0
        assert data["run"] == self.first_run
        assert all(p["school"].pk != school.pk for p in data["pairs_as_low"])

    def test_the_stored_low_results_schools_are_those_worked_out_by_hand_from_the_rows(
            self) -> None:
        # the reference independent of the engine: the rule of methodology §2–3 recomputed from
        # the students' rows, the scales and the region totals (tests/web/hand_rules.py)
        tables = generate_tables(scale="municipality", years=YEARS, seed=SEED)
        expected = low_results(tables)
        stored = RunFlag.objects.filter(run=self.first_run, flag="low_results")
        by_gap = {f.school.key for f in stored.select_related("school")
                  if f.evidence.startswith("Ниже среднего по региону")}
        assert len(expected) >= 3
        assert by_gap == expected
        # and one school's numbers: each low subject of its last year, as the evidence reads it
        key = sorted(expected)[0]
        evidence = stored.get(school__key=key).evidence
        last = max(y for (s, _, y) in subject_gaps(tables) if s == key)
        names = {"rus": "русский язык", "math": "математика"}
        for (school, family, year), (works, gap, se) in subject_gaps(tables).items():
            if school == key and year == last and gap + 1.959964 * se < -10:  # min_gap_pct
                words = "работе" if works == 1 else "работам"
                amount = f"{-gap:.1f}".replace(".", ",")
                assert (f"{year}, {names[family]}: в среднем по {works} {words} школа ниже "
                        f"региона на {amount} п.п.") in evidence, evidence

    def test_the_run_page_shows_the_status_and_the_flag_counts_in_russian(self) -> None:
        page = self.client.get(f"/analysis/runs/{self.first_run.pk}/")
        self.assertContains(page, "Готов")
        self.assertContains(page, "Это первый готовый расчёт")
        self.assertContains(page, "ШНОР")

    def test_the_overview_counts_schools_by_flag_as_the_csv_does(self) -> None:
        flags_of: dict[str, set[str]] = defaultdict(set)
        for row in self.csv_flags:
            flags_of[row["school_key"]].add(row["flag"])
        expected = {
            "low_results": sum("low_results" in f for f in flags_of.values()),
            "adverse_context": sum("adverse_context" in f for f in flags_of.values()),
            "both": sum({"low_results", "adverse_context"} <= f for f in flags_of.values()),
            "leader": sum("leader" in f for f in flags_of.values()),
        }
        page = self.client.get("/analysis/")
        counts = {c["code"]: c["value"] for c in page.context["counts"]}
        assert {k: counts[k] for k in expected} == expected
        assert len(page.context["rows"]) == School.objects.count()

    def test_filtering_by_flag_keeps_exactly_the_flagged_schools(self) -> None:
        expected = {r["school_key"] for r in self.csv_flags if r["flag"] == "persistently_low"}
        page = self.client.get("/analysis/", {"flag": "persistently_low"})
        assert {row.school.key for row in page.context["rows"]} == expected

    def test_sorting_by_gap_orders_schools_from_the_lowest_gap(self) -> None:
        page = self.client.get("/analysis/", {"sort": "gap", "procedure": "VPR",
                                              "subject": "rus"})
        gaps = [row.gap_pct for row in page.context["rows"]]
        assert gaps and None not in gaps
        assert gaps == sorted(gaps)
        backwards = self.client.get("/analysis/", {"sort": "-gap", "procedure": "VPR",
                                                   "subject": "rus"})
        assert [r.gap_pct for r in backwards.context["rows"]] == sorted(gaps, reverse=True)

    def test_a_procedure_and_subject_filter_weights_the_mean_by_participants(self) -> None:
        year = max(int(y) for y in pc.unique(self.stats["year"]).to_pylist())
        school = School.objects.order_by("number").first()
        rows = [r for r in self.stats.to_pylist() if r["school_key"] == school.key
                and r["year"] == year and r["procedure"] == "VPR" and r["subject"] == "math"]
        n = sum(r["participants"] for r in rows)
        mean = sum(r["participants"] * r["mean_pct"] for r in rows) / n
        page = self.client.get("/analysis/", {"procedure": "VPR", "subject": "math"})
        row = next(r for r in page.context["rows"] if r.school.pk == school.pk)
        assert row.participants == n
        assert abs(row.mean_pct - mean) < 1e-9

    def test_the_htmx_request_gets_only_the_results_fragment(self) -> None:
        page = self.client.get("/analysis/", {"flag": "leader"}, HTTP_HX_REQUEST="true")
        assert b"<html" not in page.content
        self.assertContains(page, "table")
        # the charts come after the list, from the same URL (issue 18: less HTML at once)
        charts = self.client.get("/analysis/", {"flag": "leader", "part": "charts"},
                                 HTTP_HX_REQUEST="true")
        self.assertContains(charts, "vega-spec")
        assert b"<table" not in charts.content

    def test_the_xlsx_export_reads_back_with_one_row_per_flagged_school(self) -> None:
        response = self.client.get("/analysis/export.xlsx", {"flag": "low_results"})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        sheet = book[SCHOOLS_SHEET]
        names = [row[1] for row in sheet.iter_rows(min_row=HEADER_ROW + 2, values_only=True)
                 if row[1]]
        expected = {r["school_key"] for r in self.csv_flags if r["flag"] == "low_results"}
        assert len(names) == len(expected)
        assert set(names) == set(School.objects.filter(key__in=expected)
                                 .values_list("short_name", flat=True))

    def test_a_second_run_compares_with_the_first_and_nothing_moves(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post("/analysis/runs/", {"municipality": self.municipality.pk})
        second = AnalysisRun.objects.order_by("-pk").first()
        page = self.client.get(f"/analysis/runs/{second.pk}/")
        rows = page.context["comparison"]
        assert rows and all(not r["entered"] and not r["left"] for r in rows)
        low = next(r for r in rows if r["flag"] == "low_results")
        assert len(low["still"]) == len({r["school_key"] for r in self.csv_flags
                                         if r["flag"] == "low_results"})

    def test_rules_that_are_not_valid_toml_are_refused_on_the_form_in_russian(self) -> None:
        response = self.client.post("/analysis/runs/", {
            "municipality": self.municipality.pk, "rules_text": "[identification\nyears = 2"})
        assert response.status_code == 400
        self.assertContains(response, "Правила не приняты: в поле «Правила» ошибка записи TOML "
                                      "в строке 1, позиция 16", status_code=400)
        self.assertNotContains(response, "правила.toml", status_code=400)
        assert AnalysisRun.objects.count() == 1

    def test_rules_with_a_custom_window_are_kept_with_the_run(self) -> None:
        text = "[identification]\nyears = 1\nmin_low_years = 1\n"
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post("/analysis/runs/", {"municipality": self.municipality.pk,
                                                 "rules_text": text})
        run = AnalysisRun.objects.order_by("-pk").first()
        assert run.status == DONE, run.message
        assert run.rules_text == text
        assert len(run.run_json["years_analysed"]) == 1
        page = self.client.get(f"/analysis/runs/{run.pk}/")
        self.assertContains(page, "сделан с другими правилами или годами")

    def test_a_run_over_years_without_data_fails_with_a_message_and_stores_nothing(self) -> None:
        run = AnalysisRun.objects.create(scope="municipality", region=self.municipality.region,
                                         municipality=self.municipality, year_from=2001,
                                         year_to=2002)
        run_execute(run_id=run.pk)
        run.refresh_from_db()
        assert run.status == FAILED
        assert "Расчёт не выполнен" in run.message
        assert not RunSchoolStat.objects.filter(run=run).exists()

    def test_a_task_delivered_twice_does_not_run_a_finished_run_again(self) -> None:
        stored = RunFlag.objects.filter(run=self.first_run).count()
        finished_at = self.first_run.finished_at
        run_execute(run_id=self.first_run.pk)
        self.first_run.refresh_from_db()
        assert self.first_run.finished_at == finished_at
        assert RunFlag.objects.filter(run=self.first_run).count() == stored

    def test_a_region_wide_run_over_a_one_municipality_region_finds_the_same_flags(self) -> None:
        admin = get_user_model().objects.create_superuser("root", "", PASSWORD)
        self.client.force_login(admin)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post("/analysis/runs/", {"municipality": self.municipality.pk,
                                                 "region": self.municipality.region_id})
        run = AnalysisRun.objects.latest("pk")
        assert (run.scope, run.status) == ("region", DONE), run.message
        stored = Counter(RunFlag.objects.filter(run=run).values_list("flag", flat=True))
        assert stored == Counter(row["flag"] for row in self.csv_flags)
        page = self.client.get("/analysis/", {"municipality": self.municipality.pk,
                                              "run": run.pk})
        assert page.context["run"] == run
