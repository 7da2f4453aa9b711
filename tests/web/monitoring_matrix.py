"""The indicators and the effectiveness analysis in ``test_permission_matrix.py`` (issue 16).

Targets are the personas' schools and municipalities. A school's indicators are seen by whoever
sees the school (its administrator, its curator, its municipality, its region); a
municipality's by its coordinator and methodists and its region's staff; typed values are the
school administrator's and the coordinator's (the file import the coordinator's); the
effectiveness analysis is the municipality's and the region's.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

MONITORING_MATRIX = """
monitoring_index      -                 302  403    200   200    302    200     200    200
monitoring_index      Второй            302  403    404   404    404    404     200    200
monitoring_school     A                 302  404    200   200    200    404     200    200
monitoring_school     C                 302  404    404   404    404    200     200    200
monitoring_school     D                 302  404    404   404    404    404     404    200
monitoring_facts      A                 302  404    200   200    200    404     200    200
monitoring_facts      C                 302  404    404   404    404    200     200    200
monitoring_facts      Первый            302  404    200   200    404    404     200    200
monitoring_facts      Второй            302  404    404   404    404    404     200    200
monitoring_typed      A                 302  404    200   403    200    404     403    200
monitoring_typed      B                 302  404    200   403    404    403     403    200
monitoring_typed_save A                 302  404    302   403    302    404     403    302
monitoring_typed_save C                 302  404    404   404    404    403     403    302
monitoring_import     -                 302  403    200   403    403    403     403    200
monitoring_effect     -                 302  403    200   200    403    403     200    200
monitoring_effect     Второй            302  403    404   404    403    403     200    200
api_monitoring_indicators -             401  403    200   200    200    200     200    200
api_monitoring_school A                 401  404    200   200    200    404     200    200
api_monitoring_school C                 401  404    404   404    404    200     200    200
api_monitoring_town   Первый            401  404    200   200    404    404     200    200
api_monitoring_town   Второй            401  404    404   404    404    404     200    200
api_monitoring_effect Первый            401  404    200   200    404    404     200    200
api_monitoring_effect Второй            401  404    404   404    404    404     200    200
"""


def monitoring_requests(target: Any) -> dict[str, tuple[str, str, Any]]:
    """(method, url, data) of the monitoring actions on ``target`` (a school, a municipality or
    None)."""
    pk = getattr(target, "pk", None)
    school = target is not None and hasattr(target, "municipality_id")
    where = {"school": pk} if school else {"municipality": pk}
    year = timezone.localdate().year
    return {
        "monitoring_index": ("get", "/monitoring/", {"municipality": pk} if pk else {}),
        "monitoring_school": ("get", f"/monitoring/schools/{pk}/", {}),
        "monitoring_facts": ("get", "/monitoring/facts/", {
            "indicator": "school_teachers_covered_pct" if school else "low_schools_covered",
            "year": year, **where}),
        "monitoring_typed": ("get", f"/monitoring/schools/{pk}/typed/", {}),
        "monitoring_typed_save": ("post", f"/monitoring/schools/{pk}/typed/", {
            f"school_teachers_running_seminars-{year}-n": "3"}),
        "monitoring_import": ("get", "/monitoring/import/", {}),
        "monitoring_effect": ("get", "/monitoring/effectiveness/",
                              {"municipality": pk} if pk else {}),
        "api_monitoring_indicators": ("get", "/api/v1/monitoring/indicators", {}),
        "api_monitoring_school": ("get", f"/api/v1/monitoring/schools/{pk}/values", {}),
        "api_monitoring_town": ("get", f"/api/v1/monitoring/municipalities/{pk}/values", {}),
        "api_monitoring_effect": ("get",
                                  f"/api/v1/monitoring/municipalities/{pk}/effectiveness", {}),
    }
