"""Who may do what: every page and action × every persona × own / other school or municipality.

This table is the one place that documents the permissions of the web workplace. Personas and
territory are those of ``personas.py``:

    Северная область: «Первый» — A (№ 1), B (№ 2); «Второй» — C (№ 3)
    Южная область:    «Третий» — D (№ 4)

    coord    coordinator of «Первый»          method   methodist of «Первый»
    sadmin   school administrator of A         curator  curator of B and C
    region   regional staff of Северная обл.   admin    superuser
    nobody   signed in, no role                anon     not signed in

Rows «api_…» call /api/v1/ with the persona's personal API token and no session («anon»: no
token → 401); the API answers in its JSON and follows the same scope as the pages.

Statuses: 200 page, 302 done and sent on (or, for «anon», sent to the sign-in page), 400 the
form refuses a municipality that is not among the persona's choices, 403 the action is not the
persona's, 404 the school, territory or record is outside the persona's scope (its existence is
not disclosed), 405 wrong method. «run:Первый» is a finished analysis run of that municipality,
«queued:Первый» a queued one, «queued:Северная» a queued region-wide run of Северная область,
«draft:Первый» a finished run not approved (drafts: coordinators and regional staff only; the
finished «run:…» runs are approved official lists; a municipality's run is approved by its
coordinator, a region-wide one by regional staff)
(cancelling is the start rule: the municipality's coordinator; a region run — the superuser;
cancelling a finished run changes nothing and sends back to its page); «flag_evidence A» opens
the evidence of school A's flags in the finished run of A's municipality; «job:Первый» an upload
for the municipality, «job:A» an upload for school A (one failed file).

A status is not all: :class:`MessageLeakTests` checks what an upload *says* — no message, page or
problems download names another territory's upload of the same file or another territory's
school by its registry name.
"""

from __future__ import annotations

import io
from typing import Any
from unittest import mock

import openpyxl
from decisions_matrix import DECISIONS_MATRIX, decisions_requests, decisions_targets
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone
from monitoring_matrix import MONITORING_MATRIX, monitoring_requests
from personas import PersonaTestCase
from programmes_matrix import programmes_requests, programmes_targets
from reports_matrix import (
    REPORTS_MATRIX,
    reports_late_targets,
    reports_requests,
    reports_targets,
)
from support_matrix import support_requests, support_targets
from test_import_page import REALDATA, ImportPageTestCase, aggregates_csv, real_file

from opora.web.accounts import models as roles
from opora.web.accounts.models import RoleAssignment
from opora.web.analysis.models import DONE, AnalysisRun, ApprovedList
from opora.web.api.tokens import token_create
from opora.web.assessment.models import SchoolAggregate, StudentResult
from opora.web.imports import services
from opora.web.imports.models import ImportBatch, UploadEntry, UploadJob
from opora.web.schools.models import School
from opora.web.staff.models import Teacher

PERSONAS = ("anon", "nobody", "coord", "method", "sadmin", "curator", "region", "admin")

# action              target            anon nobody coord method sadmin curator region admin
MATRIX = """
home                  -                 302  302    302   302    302    302     302    302
login                 -                 200  302    302   302    302    302     302    302
schools               -                 302  200    200   200    200    200     200    200
card                  A                 302  404    200   200    200    404     200    200
card                  B                 302  404    200   200    404    200     200    200
card                  C                 302  404    404   404    404    200     200    200
card                  D                 302  404    404   404    404    404     404    200
card_results          A                 302  404    200   200    200    404     200    200
card_results          C                 302  404    404   404    404    200     200    200
card_results          D                 302  404    404   404    404    404     404    200
passport_form         A                 302  404    200   403    200    404     403    200
passport_form         B                 302  404    200   403    404    403     403    200
passport_form         C                 302  404    404   404    404    403     403    200
passport_form         D                 302  404    404   404    404    404     404    200
passport_save         A                 302  404    302   403    302    404     403    302
passport_save         B                 302  404    302   403    404    403     403    302
passport_save         D                 302  404    404   404    404    404     404    302
passport_year         A                 302  404    302   403    302    404     403    302
school_history        A                 302  404    200   403    403    404     403    200
school_history        C                 302  404    404   404    404    403     403    200
school_history        D                 302  404    404   404    404    404     404    200
passport_history      A                 302  404    200   403    403    404     403    200
passport_history      C                 302  404    404   404    404    403     403    200
password_change       -                 302  200    200   200    200    200     200    200
roles                 -                 302  403    200   403    403    403     403    200
assign_curator        A                 302  403    302   403    403    403     403    302
assign_curator        D                 302  403    403   403    403    403     403    302
assign_methodist      Первый            302  403    302   403    403    403     403    302
assign_methodist      Второй            302  403    403   403    403    403     403    302
assign_coordinator    Первый            302  403    403   403    403    403     403    302
revoke_school_admin   A                 302  403    302   403    403    403     403    302
revoke_curator        C                 302  403    404   403    403    403     403    302
revoke_coordinator    Первый            302  403    403   403    403    403     403    302
revoke_via_get        A                 302  405    405   405    405    405     405    405
create_user           A                 302  403    200   403    403    403     403    200
create_user           D                 302  403    403   403    403    403     403    200
imports               -                 302  403    200   403    200    403     403    200
import_history        -                 302  403    200   403    200    403     403    200
import_job            job:Первый        302  403    200   403    404    403     403    200
import_job            job:A             302  403    200   403    200    403     403    200
import_job            job:B             302  403    200   403    404    403     403    200
import_job            job:Второй        302  403    404   403    404    403     403    200
import_progress       job:Первый        302  403    200   403    404    403     403    200
import_progress       job:A             302  403    200   403    200    403     403    200
import_problems       job:A             302  403    200   403    200    403     403    200
import_problems       job:Второй        302  403    404   403    404    403     403    200
import_problem_list   job:A             302  403    200   403    200    403     403    200
import_problem_list   job:Второй        302  403    404   403    404    403     403    200
import_match          job:Первый        302  403    302   403    404    403     403    302
import_match          job:A             302  403    302   403    403    403     403    302
import_create_schools job:Первый        302  403    302   403    404    403     403    302
import_create_schools job:Второй        302  403    404   403    404    403     403    302
import_retry          job:Первый        302  403    302   403    404    403     403    302
import_retry          job:A             302  403    302   403    302    403     403    302
import_retry          job:Второй        302  403    404   403    404    403     403    302
import_replace        job:Первый        302  403    302   403    404    403     403    302
import_replace        job:A             302  403    302   403    302    403     403    302
import_replace        job:Второй        302  403    404   403    404    403     403    302
import_skip_rejected  job:Первый        302  403    302   403    404    403     403    302
import_skip_rejected  job:A             302  403    302   403    302    403     403    302
import_skip_rejected  job:Второй        302  403    404   403    404    403     403    302
overview              -                 302  403    200   200    403    403     200    200
overview              Второй            302  403    404   404    403    403     200    200
overview              Третий            302  403    404   404    403    403     404    200
overview_export       -                 302  403    200   200    403    403     200    200
flag_evidence         A                 302  403    200   200    403    403     200    200
flag_evidence         C                 302  403    404   404    403    403     200    200
flag_evidence         D                 302  403    404   404    403    403     404    200
runs                  -                 302  403    200   200    403    403     200    200
run_page              run:Первый        302  403    200   200    403    403     200    200
run_page              run:Второй        302  403    404   404    403    403     200    200
run_page              run:Третий        302  403    404   404    403    403     404    200
run_status            run:Первый        302  403    200   200    403    403     200    200
run_status            run:Третий        302  403    404   404    403    403     404    200
run_start             Первый            302  403    302   403    403    403     403    302
run_start             Второй            302  403    400   403    403    403     403    302
run_cancel            queued:Первый     302  403    302   404    403    403     403    302
run_cancel            queued:Второй     302  403    404   404    403    403     403    302
run_cancel            queued:Третий     302  403    404   404    403    403     404    302
run_cancel            queued:Северная   302  403    403   404    403    403     403    302
run_cancel            run:Первый        302  403    302   403    403    403     403    302
run_cancel_via_get    queued:Первый     302  405    405   405    405    405     405    405
run_page              draft:Первый      302  403    200   404    403    403     200    200
run_page              draft:Второй      302  403    404   404    403    403     200    200
run_approve           draft:Первый      302  403    302   404    403    403     403    302
run_approve           draft:Второй      302  403    404   404    403    403     403    302
run_approve           draft:Северная    302  403    403   404    403    403     302    302
api_run               draft:Первый      401  403    200   404    403    403     200    200
reconciliation        -                 302  403    200   200    403    403     200    200
reconciliation        Второй            302  403    404   404    403    403     200    200
whatif                draft:Первый      302  403    200   404    403    403     200    200
whatif                run:Первый        302  403    200   403    403    403     200    200
django_admin          -                 302  302    302   302    302    302     302    200
api_tokens_page       -                 302  200    200   200    200    200     200    200
api_docs              -                 200  200    200   200    200    200     200    200
api_openapi           -                 200  200    200   200    200    200     200    200
api_municipalities    -                 401  200    200   200    200    200     200    200
api_schools           -                 401  200    200   200    200    200     200    200
api_school            A                 401  404    200   200    200    404     200    200
api_school            B                 401  404    200   200    404    200     200    200
api_school            C                 401  404    404   404    404    200     200    200
api_school            D                 401  404    404   404    404    404     404    200
api_school_flags      A                 401  404    200   200    200    404     200    200
api_school_flags      C                 401  404    404   404    404    200     200    200
api_school_flags      D                 401  404    404   404    404    404     404    200
api_school_results    A                 401  404    200   200    200    404     200    200
api_school_results    D                 401  404    404   404    404    404     404    200
api_runs              -                 401  403    200   200    403    403     200    200
api_run               run:Первый        401  403    200   200    403    403     200    200
api_run               run:Второй        401  403    404   404    403    403     200    200
api_run               run:Третий        401  403    404   404    403    403     404    200
api_run_flags         run:Первый        401  403    200   200    403    403     200    200
api_run_flags         run:Третий        401  403    404   404    403    403     404    200
staff_list            A                 302  404    200   200    200    404     200    200
staff_list            B                 302  404    200   200    404    200     200    200
staff_list            C                 302  404    404   404    404    200     200    200
staff_list            D                 302  404    404   404    404    404     404    200
staff_teacher         t:A               302  404    200   200    200    404     200    200
staff_teacher         t:C               302  404    404   404    404    200     200    200
staff_new             A                 302  404    200   403    200    404     403    200
staff_new             B                 302  404    200   403    404    403     403    200
staff_save            A                 302  404    302   403    302    404     403    302
staff_save            D                 302  404    404   404    404    404     404    302
staff_edit            t:B               302  404    200   403    404    403     403    200
staff_leave           t:A               302  404    302   403    302    404     403    302
staff_leave           t:B               302  404    302   403    404    403     403    302
staff_history         t:A               302  404    200   403    403    404     403    200
staff_diagnostic_new  t:A               302  404    200   200    200    404     403    200
staff_diagnostic_new  t:B               302  404    200   200    404    403     403    200
staff_diagnostic_new  t:C               302  404    404   404    404    403     403    200
staff_diagnostic_save t:A               302  404    302   302    302    404     403    302
staff_route_new       t:A               302  404    200   200    200    404     403    200
staff_course_save     t:B               302  404    302   302    404    403     403    302
staff_import          -                 302  403    200   200    200    403     403    200
staff_template        -                 302  200    200   200    200    200     200    200
api_staff             -                 401  200    200   200    200    200     200    200
api_teacher           t:A               401  404    200   200    200    404     200    200
api_teacher           t:C               401  404    404   404    404    200     200    200
api_teacher           t:D               401  404    404   404    404    404     404    200
api_diagnostics       -                 401  200    200   200    200    200     200    200
api_routes            -                 401  200    200   200    200    200     200    200
api_courses           -                 401  200    200   200    200    200     200    200
api_staff_dynamics    A                 401  404    200   200    200    404     200    200
api_staff_dynamics    D                 401  404    404   404    404    404     404    200
support_events        -                 302  403    200   200    200    200     200    200
support_calendar      -                 302  403    200   200    200    200     200    200
support_event_new     -                 302  403    200   200    403    200     403    200
support_event_save    B                 302  403    302   302    403    302     403    302
support_event_save    A                 302  403    302   302    403    400     403    302
support_event_save    C                 302  403    400   400    403    302     403    302
support_event         event:A           302  403    200   200    200    404     200    200
support_event         event:B           302  403    200   200    404    200     200    200
support_event         event:C           302  403    404   404    404    200     200    200
support_event_edit    event:A           302  403    200   200    403    404     403    200
support_event_edit    event:B           302  403    200   200    404    200     403    200
support_event_edit    event:C           302  403    404   404    404    200     403    200
support_attendance    event:A           302  403    302   403    302    404     403    302
support_attendance    event:B           302  403    302   403    404    403     403    302
support_attach        event:B           302  403    302   302    404    302     403    302
support_file          event:B           302  403    200   200    404    200     200    200
support_task          event:B           302  403    302   302    404    302     403    302
support_coverage      -                 302  403    200   200    403    200     200    200
support_coverage      Второй            302  403    404   404    403    200     200    200
support_assignments   -                 302  403    200   200    403    403     200    200
support_curator_new   A                 302  403    302   403    403    403     403    302
support_curator_end   curatorship:B     302  403    302   403    403    403     403    302
support_pair_accept   proposal:A        302  403    302   403    403    403     403    302
support_pairs_proposed -                302  403    200   200    403    403     200    200
support_community     community:Первый  302  404    200   200    404    404     200    200
support_community_new Первый            302  403    302   302    403    403     403    302
support_panel         A                 302  404    200   200    200    404     200    200
support_panel         C                 302  404    404   404    404    200     200    200
support_feed          -                 302  403    200   200    200    200     200    200
support_ics           feed:curator      200  200    200   200    200    200     200    200
support_import        -                 302  403    200   200    403    200     403    200
api_support_events    -                 401  200    200   200    200    200     200    200
api_support_event     event:A           401  404    200   200    200    404     200    200
api_support_event     event:C           401  404    404   404    404    200     200    200
api_support_event_new B                 401  403    201   201    403    201     403    201
api_support_event_new A                 401  403    201   201    403    404     403    201
api_support_curatorships -              401  200    200   200    200    200     200    200
api_support_pairs     -                 401  200    200   200    200    200     200    200
api_support_mentorships -               401  200    200   200    200    200     200    200
api_support_communities -               401  200    200   200    200    200     200    200
prog_home             -                 302  200    200   200    302    200     200    200
prog_school           A                 302  404    200   200    200    404     200    200
prog_school           B                 302  404    200   200    404    200     200    200
prog_school           C                 302  404    404   404    404    200     200    200
prog_panel            A                 302  404    200   200    200    404     200    200
prog_panel            C                 302  404    404   404    404    200     200    200
prog_heat_map         -                 302  403    200   200    403    200     200    200
prog_profile_edit     A                 302  404    200   403    200    404     403    200
prog_profile_edit     B                 302  404    200   403    404    403     403    200
prog_profile_import   -                 302  403    200   403    200    403     403    200
prog_campaigns        -                 302  200    200   200    200    200     200    200
prog_campaign_new     -                 302  403    200   403    403    403     403    200
prog_campaign         campaign:Первый   302  404    200   200    200    200     200    200
prog_document         document:A        302  404    200   200    200    404     200    200
prog_roadmap_new      A                 302  404    200   403    200    404     403    200
prog_roadmap_new      C                 302  404    404   404    404    403     403    200
prog_roadmap          roadmap:A         302  404    200   200    200    200     200    200
prog_roadmap          roadmap:C         302  404    404   404    404    200     200    200
prog_roadmap_edit     roadmap:A         302  404    200   403    200    403     403    200
prog_roadmap_export   roadmap:A         302  404    200   200    200    200     200    200
prog_comment          roadmap:A         302  404    302   302    302    404     403    302
prog_comment          roadmap:C         302  404    404   404    404    302     403    302
prog_measure          measure:A         302  404    200   200    200    200     200    200
prog_monitoring       -                 302  403    200   200    403    200     200    200
prog_reviews          -                 302  200    200   200    200    200     200    200
prog_review_new       -                 302  403    200   403    403    403     403    200
prog_review           review:Первый     302  404    200   200    404    404     200    200
prog_review_item      item:A            302  404    200   200    200    200     200    200
prog_decide           item:A            302  404    302   403    403    403     403    302
prog_sheet            sheet:curator     302  404    200   200    404    200     200    200
prog_sheet_export     sheet:curator     302  404    200   200    404    200     200    200
api_prog_profiles     -                 401  200    200   200    200    200     200    200
api_prog_campaigns    -                 401  200    200   200    200    200     200    200
api_prog_campaign     campaign:Первый   401  404    200   200    200    200     200    200
api_prog_roadmaps     -                 401  200    200   200    200    200     200    200
api_prog_roadmap      roadmap:A         401  404    200   200    200    200     200    200
api_prog_roadmap      roadmap:C         401  404    404   404    404    200     200    200
api_prog_reviews      -                 401  200    200   200    200    200     200    200
prog_rubrics          -                 302  403    200   200    403    200     200    200
prog_rubric           rubric:Первый     302  403    200   200    403    404     200    200
prog_rubric           rubric:default    302  403    200   200    403    200     200    200
prog_rubric_new       -                 302  403    200   403    403    403     403    200
prog_rubric_edit      rubric:Первый     302  403    200   403    403    404     403    200
prog_rubric_edit      rubric:default    302  403    302   403    403    403     403    302
prog_rubric_save      rubric:Первый     302  403    302   403    403    404     403    302
prog_rubric_delete    rubric:Первый     302  403    302   403    403    404     403    302
api_prog_rubrics      -                 401  200    200   200    200    200     200    200
api_prog_rubric       rubric:Первый     401  404    200   200    404    404     200    200
api_prog_rubric       rubric:default    401  200    200   200    200    200     200    200
"""


def _rows() -> list[tuple[str, str, dict[str, int]]]:
    rows = []
    for line in (MATRIX + DECISIONS_MATRIX + MONITORING_MATRIX + REPORTS_MATRIX).strip().splitlines():
        if not line.strip():  # where one app's table ends and the next begins
            continue
        action, target, *codes = line.split()
        rows.append((action, target, dict(zip(PERSONAS, map(int, codes), strict=True))))
    return rows


class PermissionMatrixTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.runs = {m.name: AnalysisRun.objects.create(
            scope="municipality", municipality=m, region=m.region, status=DONE, progress=100,
            finished_at=timezone.now(), rules_version="test", run_json={"years_analysed": [2024]})
            for m in (cls.first, cls.second, cls.third)}
        cls.queued = {m.name: AnalysisRun.objects.create(
            scope="municipality", municipality=m, region=m.region)
            for m in (cls.first, cls.second, cls.third)}
        cls.queued["Северная"] = AnalysisRun.objects.create(scope="region",
                                                            region=cls.first.region)
        for run in cls.runs.values():  # the finished runs are their year's official lists
            ApprovedList.objects.create(run=run, year=2024, region=run.region,
                                        municipality=run.municipality, basis="приказ № 1")
        cls.drafts = {m.name: AnalysisRun.objects.create(
            scope="municipality", municipality=m, region=m.region, status=DONE, progress=100,
            finished_at=timezone.now(), rules_version="строже", run_json={"years_analysed": [2024]})
            for m in (cls.first, cls.second)}
        cls.drafts["Северная"] = AnalysisRun.objects.create(
            scope="region", region=cls.first.region, status=DONE, progress=100,
            finished_at=timezone.now(), rules_version="test", run_json={"years_analysed": [2024]})
        cls.tokens = {persona: token_create(user=user, name="матрица")[1]
                      for persona, user in (
                          ("nobody", cls.nobody), ("coord", cls.coordinator),
                          ("method", cls.methodist), ("sadmin", cls.school_admin),
                          ("curator", cls.curator), ("region", cls.regional), ("admin", cls.admin))}
        cls.teachers = {s.key: Teacher.objects.create(school=s, name=f"П-{s.key}")
                        for s in (cls.a, cls.b, cls.c, cls.d)}
        cls.support = support_targets(cls)  # events, a community, a proposal … (support)
        cls.decisions = decisions_targets(cls)  # recommendations, meetings, the plan (issue 16)
        cls.reports = reports_targets(cls)  # a published note (issue 17)
        cls.programmes = programmes_targets(cls)  # roadmaps, a campaign, a review (programmes)
        cls.reports.update(reports_late_targets(cls))  # a sent sheet, diagnostics of 2024
        cls.jobs = {"Первый": cls._job(cls.first), "A": cls._job(cls.first, cls.a),
                    "B": cls._job(cls.first, cls.b), "Второй": cls._job(cls.second)}

    @classmethod
    def _job(cls, municipality: Any, school: Any = None) -> UploadJob:
        job = UploadJob.objects.create(created_by=cls.admin, municipality=municipality,
                                       school=school)
        UploadEntry.objects.create(job=job, position=1, original_name="f.csv",
                                   file=f"uploads/{job.pk}/1/f.csv", status=UploadEntry.FAILED)
        return job

    def _who(self, persona: str) -> Any:
        return {"nobody": self.nobody, "coord": self.coordinator, "method": self.methodist,
                "sadmin": self.school_admin, "curator": self.curator, "region": self.regional,
                "admin": self.admin}[persona]

    def _target(self, name: str) -> Any:
        if name in self.support:
            return self.support[name]
        if name in self.reports:
            return self.reports[name]
        if name in self.decisions:
            return self.decisions[name]
        if name in self.programmes:
            return self.programmes[name]
        if name.startswith("job:"):
            return self.jobs[name.removeprefix("job:")]
        if name.startswith("run:"):
            return self.runs[name.removeprefix("run:")]
        if name.startswith("queued:"):
            return self.queued[name.removeprefix("queued:")]
        if name.startswith("t:"):
            return self.teachers[name.removeprefix("t:")]
        if name.startswith("draft:"):
            return self.drafts[name.removeprefix("draft:")]
        return {"A": self.a, "B": self.b, "C": self.c, "D": self.d, "Первый": self.first,
                "Второй": self.second, "Третий": self.third, "-": None}[name]

    def _run_of(self, school: Any) -> int | None:
        """The finished run of the school's municipality (the evidence a flag opens)."""
        return self.runs[school.municipality.name].pk if isinstance(school, School) else None

    @staticmethod
    def _entry(job: Any) -> int | None:
        return job.entries.get().pk if isinstance(job, UploadJob) else None

    def _request(self, action: str, target: Any) -> tuple[str, str, dict[str, Any]]:
        """(method, url, data) of one action on one target."""
        pk = getattr(target, "pk", None)
        if action.startswith("revoke"):
            role = {"revoke_via_get": "school_admin"}.get(action, action.removeprefix("revoke_"))
            scope = "municipality" if role == "coordinator" else "school"
            found = RoleAssignment.objects.get(role=role, **{scope: target})
            method = "get" if action == "revoke_via_get" else "post"
            return method, f"/roles/{found.pk}/revoke/", {}
        return {
            "home": ("get", "/", {}), "login": ("get", "/login/", {}),
            "schools": ("get", "/schools/", {}), "card": ("get", f"/schools/{pk}/", {}),
            "card_results": ("get", f"/schools/{pk}/results/", {}),
            "passport_form": ("get", f"/schools/{pk}/passport/2023/", {}),
            "passport_save": ("post", f"/schools/{pk}/passport/2023/", {"students": "10"}),
            "passport_year": ("get", f"/schools/{pk}/passport/new/", {"year": "2023"}),
            "school_history": ("get", f"/schools/{pk}/history/", {}),
            "passport_history": ("get", f"/schools/{pk}/passport/2023/history/", {}),
            "password_change": ("get", "/account/password/", {}),
            "roles": ("get", "/roles/", {}),
            "assign_curator": ("post", "/roles/assign/",
                               {"username": "nobody", "role": "curator", "school": pk}),
            "assign_methodist": ("post", "/roles/assign/",
                                 {"username": "nobody", "role": "methodist", "municipality": pk}),
            "assign_coordinator": ("post", "/roles/assign/", {
                "username": "nobody", "role": "coordinator", "municipality": pk}),
            "create_user": ("post", "/roles/users/new/",
                            {"username": "newcomer", "role": "school_admin", "school": pk}),
            "imports": ("get", "/imports/", {}), "import_history": ("get", "/imports/history/", {}),
            "overview": ("get", "/analysis/", {"municipality": pk} if pk else {}),
            "overview_export": ("get", "/analysis/export.xlsx", {}),
            "flag_evidence": ("get", f"/analysis/runs/{self._run_of(target)}/schools/{pk}"
                                     "/evidence/", {}),
            "runs": ("get", "/analysis/runs/", {}),
            "run_page": ("get", f"/analysis/runs/{pk}/", {}),
            "run_status": ("get", f"/analysis/runs/{pk}/status/", {}),
            "run_start": ("post", "/analysis/runs/", {"municipality": pk, "year_from": 2023,
                                                      "year_to": 2024}),
            "run_cancel": ("post", f"/analysis/runs/{pk}/cancel/", {}),
            "reconciliation": ("get", "/analysis/reconciliation/",
                               {"municipality": pk} if pk else {}),
            "whatif": ("get", f"/analysis/runs/{pk}/whatif/", {
                "years": 3, "min_low_years": 2, "confidence": 0.95, "min_gap_pct": 0,
                "min_participants": 5, "subjects": "rus", "adverse_share_pct": 20}),
            "run_approve": ("post", f"/analysis/runs/{pk}/approve/",
                            {"year": 2024, "basis": "приказ № 2"}),
            "run_cancel_via_get": ("get", f"/analysis/runs/{pk}/cancel/", {}),
            "import_job": ("get", f"/imports/{pk}/", {}),
            "import_progress": ("get", f"/imports/{pk}/progress/", {}),
            "import_problems": ("get", f"/imports/{pk}/files/{self._entry(target)}/problems.xlsx",
                                {}),
            "import_match": ("post", f"/imports/{pk}/files/{self._entry(target)}/match/", {}),
            "import_create_schools": (
                "post", f"/imports/{pk}/files/{self._entry(target)}/create-schools/", {}),
            "import_retry": ("post", f"/imports/{pk}/files/{self._entry(target)}/retry/", {}),
            "import_replace": ("post",
                               f"/imports/{pk}/files/{self._entry(target)}/replace/", {}),
            "import_problem_list": (
                "get", f"/imports/{pk}/files/{self._entry(target)}/problems/", {}),
            "import_skip_rejected": (
                "post", f"/imports/{pk}/files/{self._entry(target)}/skip-rejected/", {}),
            "django_admin": ("get", "/admin/", {}),
            "api_tokens_page": ("get", "/account/tokens/", {}),
            "api_docs": ("get", "/api/v1/docs", {}),
            "api_openapi": ("get", "/api/v1/openapi.json", {}),
            "api_municipalities": ("get", "/api/v1/municipalities", {}),
            "api_schools": ("get", "/api/v1/schools", {}),
            "api_school": ("get", f"/api/v1/schools/{pk}", {}),
            "api_school_flags": ("get", f"/api/v1/schools/{pk}/flags", {}),
            "api_school_results": ("get", f"/api/v1/schools/{pk}/results", {}),
            "api_runs": ("get", "/api/v1/runs", {}),
            "api_run": ("get", f"/api/v1/runs/{pk}", {}),
            "api_run_flags": ("get", f"/api/v1/runs/{pk}/flags", {}),
            **self._staff_requests(target),
            **support_requests(target, self.support),
            **decisions_requests(target, self.decisions),
            **reports_requests(target),
            **monitoring_requests(target),
            **programmes_requests(target),
        }[action]

    @staticmethod
    def _staff_requests(target: Any) -> dict[str, tuple[str, str, dict[str, Any]]]:
        """A school's staff (target: a school) and a teacher's pages (target: a teacher)."""
        pk = getattr(target, "pk", None)
        school = target.school_id if isinstance(target, Teacher) else pk
        teacher = f"/schools/{school}/staff/{pk}/"
        return {
            "staff_list": ("get", f"/schools/{pk}/staff/", {}),
            "staff_teacher": ("get", teacher, {}),
            "staff_new": ("get", f"/schools/{pk}/staff/new/", {}),
            "staff_save": ("post", f"/schools/{pk}/staff/new/",
                           {"name": "Новикова Анна", "position": "teacher",
                            "category": "first"}),
            "staff_edit": ("get", teacher + "edit/", {}),
            "staff_leave": ("post", teacher + "leave/", {"active_to": "2025-05-31"}),
            "staff_history": ("get", teacher + "history/", {}),
            "staff_diagnostic_new": ("get", teacher + "diagnostics/new/", {}),
            "staff_diagnostic_save": ("post", teacher + "diagnostics/new/", {
                "date": "2025-03-01", "instrument": "regional",
                "score_methodical": "7", "max_score_methodical": "10"}),
            "staff_route_new": ("get", teacher + "routes/new/", {}),
            "staff_course_save": ("post", teacher + "courses/new/", {
                "title": "Формирование функциональной грамотности", "hours": "36",
                "start": "2025-02-01", "end": "2025-02-20"}),
            "staff_import": ("get", "/staff/import/", {}),
            "staff_template": ("get", "/staff/templates/staff.xlsx", {}),
            "api_staff": ("get", "/api/v1/staff", {}),
            "api_teacher": ("get", f"/api/v1/staff/{pk}", {}),
            "api_diagnostics": ("get", "/api/v1/diagnostics", {}),
            "api_routes": ("get", "/api/v1/routes", {}),
            "api_courses": ("get", "/api/v1/courses", {}),
            "api_staff_dynamics": ("get", f"/api/v1/schools/{pk}/staff-dynamics", {}),
        }

    def _status(self, method: str, url: str, data: dict[str, Any], persona: str) -> int:
        client, headers = self.client, {}
        if url.startswith("/api/v1/") and not url.startswith(("/api/v1/docs", "/api/v1/openapi")):
            client = Client()  # the token alone, no session
            if persona != "anon":
                headers["HTTP_AUTHORIZATION"] = f"Bearer {self.tokens[persona]}"
        with transaction.atomic():  # every action is undone: the next cell starts the same
            extra = {"content_type": "application/json"} if isinstance(data, str) else {}
            response = getattr(client, method)(url, data, **headers, **extra)
            transaction.set_rollback(True)
        return response.status_code

    def test_every_page_and_action_answers_each_persona_as_the_table_says(self) -> None:
        requests = [(action, target, self._request(action, self._target(target)), expected)
                    for action, target, expected in _rows()]
        for persona in PERSONAS:
            self.client.logout()
            if persona != "anon":
                self.client.force_login(self._who(persona))
            for action, target, (method, url, data), expected in requests:
                with self.subTest(action=action, target=target, persona=persona):
                    self.assertEqual(self._status(method, url, data, persona),
                                     expected[persona])

    def test_the_table_covers_every_persona_and_the_own_and_other_scope(self) -> None:
        rows = _rows()
        self.assertTrue(all(set(expected) == set(PERSONAS) for _, _, expected in rows))
        card_targets = {target for action, target, _ in rows if action == "card"}
        self.assertEqual(card_targets, {"A", "B", "C", "D"})


class MessageLeakTests(ImportPageTestCase):
    """What an upload says never discloses another territory (issue 10, point 3): who loaded the
    same file there, when, under which number and name, or the registry's name of its school.

    Extra personas: the coordinator of «Второй» and the school administrator of B.
    """

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.coordinator_2 = cls._user("koord-vtoroy", roles.COORDINATOR, municipality=cls.second)
        cls.director_b = cls._user("director-b", roles.SCHOOL_ADMIN, school=cls.b)

    def _entry(self) -> UploadEntry:
        return UploadJob.objects.order_by("-pk").first().entries.get()  # type: ignore[union-attr]

    def _loaded(self, user: Any, upload: Any, **hints: Any) -> ImportBatch:
        self.upload(user, upload, **hints)
        entry = self._entry()
        self.assertEqual(entry.status, UploadEntry.DONE, entry.message)
        assert entry.batch is not None
        return entry.batch

    def _assert_says_nothing_of(self, batch: ImportBatch | None, *words: str) -> None:
        """Neither the file's message, nor its page, nor its problems download name ``batch``
        (another territory's upload of the same bytes) or any of ``words``."""
        entry = self._entry()
        page = self.client.get(f"/imports/{entry.job_id}/").content.decode()
        problems = self.client.get(f"/imports/{entry.job_id}/files/{entry.pk}/problems.xlsx")
        sheet = " ".join(str(c.value) for row in openpyxl.load_workbook(
            io.BytesIO(problems.content)).active.iter_rows() for c in row)
        if batch is not None:
            assert batch.imported_by is not None
            words += (f"№{batch.pk} ", batch.original_name, batch.imported_by.get_username(),
                      "уже загружен")
        for text in (entry.message, page, sheet):
            for word in words:
                self.assertNotIn(word, text)

    def test_a_file_loaded_in_another_municipality_is_refused_by_its_code_only(self) -> None:
        line = "A;СОШ № 1;;EGE;2024;11;rus;20"
        first = self._loaded(self.coordinator, aggregates_csv(line, name="ege-pervyi.csv"))
        self.upload(self.coordinator_2, aggregates_csv(line, name="copy.csv"),
                    target=f"m{self.second.pk}")
        entry = self._entry()
        self.assertEqual(entry.status, UploadEntry.FAILED)
        self.assertIn("школа с кодом «A» в файле: школа не из вашего муниципалитета",
                      entry.message)
        self._assert_says_nothing_of(first, "СОШ № 1", "Первый")

    def test_a_regional_table_is_loaded_by_each_municipality_for_its_own_schools(self) -> None:
        rows = ("A;СОШ № 1;Первый;EGE;2024;11;rus;20", "C;СОШ № 3;Второй;EGE;2024;11;rus;30")
        first = self._loaded(self.coordinator, aggregates_csv(*rows, name="region.csv"))
        second = self._loaded(self.coordinator_2, aggregates_csv(*rows, name="ege-2024.csv"),
                              target=f"m{self.second.pk}")
        self.assertEqual(first.sha256, second.sha256)
        self.assertEqual(sorted(SchoolAggregate.objects.values_list("school__key", "participants")),
                         [("A", 20), ("C", 30)])
        self._assert_says_nothing_of(first)

    def test_a_school_administrator_is_told_another_schools_form_is_not_theirs(self) -> None:
        form = real_file("vpr_protocol_form.xlsx")  # its school is the upload's: B, then A
        first = self._loaded(self.director_b, form, target=f"s{self.b.pk}", subject="rus",
                             grade=4, year=2025)
        same = SimpleUploadedFile("форма.xlsx", (REALDATA / "vpr_protocol_form.xlsx").read_bytes())
        self.upload(self.school_admin, same, target=f"s{self.a.pk}", subject="rus", grade=4,
                    year=2025)
        entry = self._entry()
        self.assertEqual(entry.status, UploadEntry.FAILED)
        self.assertIn("этот файл относится к другой школе", entry.message)
        self.assertFalse(StudentResult.objects.filter(school=self.a).exists())
        self._assert_says_nothing_of(first, "СОШ № 2")

    def test_a_form_named_by_another_schools_login_is_refused(self) -> None:
        School.objects.filter(pk=self.a.pk).update(fis_oko_login="edu053001")
        named = SimpleUploadedFile("edu053002_РУ_4.xlsx",
                                   (REALDATA / "vpr_protocol_form.xlsx").read_bytes())
        self.upload(self.school_admin, named, target=f"s{self.a.pk}", subject="rus", grade=4,
                    year=2025)
        entry = self._entry()
        self.assertEqual(entry.status, UploadEntry.FAILED)
        self.assertIn("имя файла называет школу с кодом «edu053002», а не вашу", entry.message)
        self.assertFalse(StudentResult.objects.exists())

    def test_a_refusal_names_the_code_in_the_file_never_the_registry_name(self) -> None:
        School.objects.filter(pk=self.c.pk).update(short_name="SECRET-M2-SCHOOL-2",
                                                   fis_oko_login="edu099003")
        self.upload(self.coordinator, aggregates_csv("edu099003;;;EGE;2024;11;rus;20"))
        entry = self._entry()
        self.assertEqual(entry.status, UploadEntry.FAILED)
        self.assertIn("школа с кодом «edu099003» в файле", entry.message)
        self._assert_says_nothing_of(None, "SECRET", "Второй")

    def test_the_same_file_loaded_twice_at_once_is_already_loaded_not_a_database_error(
            self) -> None:
        line = "A;СОШ № 1;Первый;EGE;2024;11;rus;20"
        self._loaded(self.coordinator, aggregates_csv(line))
        real, calls = services._earlier, []

        def raced(attempt: Any, scope: Any) -> Any:  # the second upload checked before the
            calls.append(1)                           # first one's batch was committed
            return None if len(calls) == 1 else real(attempt, scope)

        with mock.patch.object(services, "_earlier", raced):
            self.upload(self.coordinator, aggregates_csv(line))
        entry = self._entry()
        self.assertGreaterEqual(len(calls), 2)  # the race ran: the database refused, we asked
        self.assertEqual(entry.status, UploadEntry.DUPLICATE, entry.message)
        self.assertIn("Этот файл уже загружен", entry.message)
        for raw in ("duplicate key", "UNIQUE constraint", "unique", "imports_importbatch"):
            self.assertNotIn(raw, entry.message)
        self.assertEqual(ImportBatch.objects.filter(status=ImportBatch.SUCCEEDED).count(), 1)
        self.assertEqual(SchoolAggregate.objects.count(), 1)

    def test_within_the_municipality_the_coordinator_is_told_who_loaded_it_and_when(self) -> None:
        first = self._loaded(self.school_admin, real_file("vpr_protocol_form.xlsx"),
                             target=f"s{self.a.pk}", subject="rus", grade=4, year=2025)
        self.upload(self.coordinator, real_file("vpr_protocol_form.xlsx"), school=self.a.pk,
                    subject="rus", grade=4, year=2025)
        entry = self._entry()
        self.assertEqual(entry.status, UploadEntry.DUPLICATE)
        earlier = UploadEntry.objects.get(batch=first, status=UploadEntry.DONE)
        self.assertIn(f"загрузка №{earlier.job_id}, файл 1 «vpr_protocol_form.xlsx» (", entry.message)
        self.assertIn(", director)", entry.message)
