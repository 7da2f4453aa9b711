"""The reports' targets and requests for ``test_permission_matrix.py`` (issue 17).

Targets: the matrix's finished runs are the approved lists of 2024 of «Первый», «Второй» and
«Третий» (no school on them), so a note builds for each; ``published:Первый`` is a note the
coordinator of «Первый» published. Reports are asked for as XLSX (the same data, no chart to
draw); publishing builds the DOCX and the PDF.
"""

from __future__ import annotations

from typing import Any

from opora.web.reports.models import DONE, PublishedDocument, ReportJob


def reports_targets(case: Any) -> dict[str, Any]:
    return {"published:Первый": PublishedDocument.objects.create(
        municipality=case.first, kind="note", year=2024, title="Справка", pdf=b"%PDF",
        docx=b"PK", published_by=case.coordinator),
        "reportjob:coord": ReportJob.objects.create(
            created_by=case.coordinator, kind="note", fmt="pdf", municipality=case.first,
            year=2024, status=DONE, filename="справка-2024.pdf", content=b"%PDF")}


def reports_requests(target: Any) -> dict[str, tuple[str, str, Any]]:
    """(method, url, data) of the reports' actions on ``target`` (a municipality, a school, a
    published document, a background build or none)."""
    pk = getattr(target, "pk", None)
    town = getattr(target, "municipality_id", None) or pk
    query = {"municipality": pk} if pk else {}
    school = pk if type(target).__name__ == "School" else None
    return {
        "reports_page": ("get", "/reports/", query),
        "reports_indicators": ("get", "/reports/indicators.xlsx", {"municipality": pk,
                                                                   "year": 2024}),
        "reports_school_indicators": ("get", f"/reports/schools/{pk}/indicators.xlsx",
                                      {"year": 2024}),
        "reports_review": ("get", f"/reports/reviews/{pk}/sheet.xlsx", {}),
        "reports_job_indicators": ("post", "/reports/jobs/", {
            "municipality": town, "school": school or "", "year": 2024, "kind": "indicators",
            "fmt": "pdf"}),
        "reports_job_review": ("post", "/reports/jobs/", {"review": pk, "kind": "review",
                                                          "fmt": "pdf"}),
        "reports_note": ("get", "/reports/note.xlsx", {"municipality": pk, "year": 2024}),
        "reports_protocol": ("get", "/reports/protocol.xlsx", {"municipality": pk,
                                                               "year": 2024}),
        "reports_school": ("get", f"/reports/schools/{pk}/profile.xlsx", {}),
        "reports_template": ("get", "/reports/templates/note.docx", query),
        "reports_template_upload": ("post", "/reports/templates/note/upload/", query),
        "reports_template_reset": ("post", "/reports/templates/note/reset/", query),
        "reports_job_new": ("post", "/reports/jobs/", {"municipality": pk, "year": 2024,
                                                       "kind": "note", "fmt": "pdf"}),
        "reports_job": ("get", f"/reports/jobs/{pk}/", {}),
        "reports_job_file": ("get", f"/reports/jobs/{pk}/file/", {}),
        "reports_publish": ("post", "/reports/publish/", {"municipality": pk, "year": 2024}),
        "reports_withdraw": ("post", f"/reports/published/{pk}/withdraw/",
                             {"municipality": town}),
        "public_index": ("get", "/public/", {}),
        "public_municipality": ("get", f"/public/{pk}/", {}),
        "public_document": ("get", f"/public/documents/{pk}.pdf", {}),
        "public_data": ("get", "/public/data.csv", {}),
        "api_reports": ("get", "/api/v1/reports", {}),
        "api_report_note": ("get", "/api/v1/reports/note", {"municipality": pk, "year": 2024,
                                                            "format": "xlsx"}),
        "api_school_profile": ("get", f"/api/v1/schools/{pk}/profile", {"format": "xlsx"}),
        "api_report_indicators": ("get", "/api/v1/reports/indicators", {
            "municipality": town, "year": 2024, "format": "xlsx",
            **({"school": school} if school else {})}),
        "api_report_review": ("get", "/api/v1/reports/review", {"review": pk,
                                                                "format": "xlsx"}),
        "api_public_indicators": ("get", "/api/v1/public/indicators", {}),
    }


# action              target            anon nobody coord method sadmin curator region admin
REPORTS_MATRIX = """
reports_page          -                 302  403    200   200    403    403     200    200
reports_page          Первый            302  403    200   200    403    403     200    200
reports_page          Второй            302  403    404   404    403    403     200    200
reports_note          Первый            302  403    200   200    403    403     200    200
reports_note          Второй            302  403    404   404    403    403     200    200
reports_note          Третий            302  403    404   404    403    403     404    200
reports_protocol      Первый            302  403    200   200    403    403     200    200
reports_school        A                 302  404    200   200    200    404     200    200
reports_school        C                 302  404    404   404    404    200     200    200
reports_school        D                 302  404    404   404    404    404     404    200
reports_job_new       Первый            302  403    302   302    403    403     302    302
reports_job_new       Второй            302  403    404   404    403    403     302    302
reports_job           reportjob:coord   302  404    200   404    404    404     404    200
reports_job_file      reportjob:coord   302  404    200   404    404    404     404    200
reports_template      Первый            302  403    200   200    403    403     200    200
reports_template_upload Первый          302  403    302   403    403    403     403    302
reports_template_upload Второй          302  403    404   404    403    403     403    302
reports_template_reset Первый           302  403    302   403    403    403     403    302
reports_publish       Первый            302  403    302   403    403    403     403    302
reports_withdraw      published:Первый  302  403    302   403    403    403     403    302
public_index          -                 200  200    200   200    200    200     200    200
public_municipality   Первый            200  200    200   200    200    200     200    200
public_document       published:Первый  200  200    200   200    200    200     200    200
public_data           -                 200  200    200   200    200    200     200    200
api_reports           -                 401  403    200   200    403    403     200    200
api_report_note       Первый            401  403    200   200    403    403     200    200
api_report_note       Второй            401  403    404   404    403    403     200    200
api_school_profile    A                 401  404    200   200    200    404     200    200
api_school_profile    C                 401  404    404   404    404    200     200    200
api_public_indicators -                 200  200    200   200    200    200     200    200
reports_indicators    Первый            302  404    200   200    404    404     200    200
reports_indicators    Второй            302  404    404   404    404    404     200    200
reports_school_indicators A             302  404    200   200    200    404     200    200
reports_school_indicators C             302  404    404   404    404    200     200    200
reports_school_indicators D             302  404    404   404    404    404     404    200
reports_review        sheet:sent        302  404    200   200    404    200     200    200
reports_job_indicators Первый           302  404    302   302    404    404     302    302
reports_job_indicators Второй           302  404    404   404    404    404     302    302
reports_job_indicators A                302  404    302   302    302    404     302    302
reports_job_indicators C                302  404    404   404    404    302     302    302
reports_job_review    sheet:sent        302  404    302   302    404    302     302    302
api_report_indicators Первый            401  404    200   200    404    404     200    200
api_report_indicators Второй            401  404    404   404    404    404     200    200
api_report_indicators A                 401  404    200   200    200    404     200    200
api_report_indicators C                 401  404    404   404    404    200     200    200
api_report_review     sheet:sent        401  404    200   200    404    200     200    200
"""


def reports_late_targets(case: Any) -> dict[str, Any]:
    """Made after ``programmes_targets``. ``sheet:sent``: the curator's sheet of the
    programmes' targets (``sheet:curator``), filled and sent — the expert sheet is a document
    once it is sent. Each school's teacher has a diagnostic of 2024, so the indicator tables of
    2024 have a fact to print (without one they are refused for everyone)."""
    from monitoring_data import diagnostic

    from opora.web.programmes.services.reviews import sheet_save

    for teacher in case.teachers.values():
        diagnostic(teacher, "2024-11-01", 5)

    sheet = case.programmes["sheet:curator"]
    criteria = list(sheet.item.campaign.rubric.criteria.all())
    sheet_save(by=case.curator, assignment=sheet, scores={c.pk: c.max_score for c in criteria},
               comments={}, overall="Принять", submit=True)
    return {"sheet:sent": sheet}
