"""The school programmes' targets and requests for ``test_permission_matrix.py`` (issue 15).

Targets (made once per test class, on the personas' territory, through the services):

    roadmap:A     A's roadmap 2026–2028, sent for review (a measure overdue since 02.11.2026)
    roadmap:C     C's roadmap («Второй»), a draft
    measure:A     A's first measure
    campaign:Первый  «Концептуальные документы 2026» for A and B
    document:A    A's development concept (one PDF version)
    review:Первый    the roadmap review of «Первый»
    item:A        A's roadmap in that review, round 1
    sheet:curator the curator's expert sheet of item:A
    rubric:Первый the coordinator's own expert sheet (no campaign uses it)
    rubric:default Опора's default expert sheet (the review of «Первый» uses it)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from programmes_data import complete_roadmap, pdf

from opora.web.programmes.models import ReviewItem
from opora.web.programmes.services.documents import campaign_create, document_upload
from opora.web.programmes.services.profiles import FactorValue, profile_save
from opora.web.programmes.services.reviews import (
    default_rubric,
    review_campaign_create,
    reviewer_assign,
)
from opora.web.programmes.services.roadmaps import roadmap_submit
from opora.web.programmes.services.rubrics import CriterionData, rubric_create


def programmes_targets(case: Any) -> dict[str, Any]:
    """Make the targets; ``case`` is the matrix's test class (personas, one teacher a school)."""
    t = case.teachers
    profile_save(by=case.coordinator, school=case.a, year=2026,
                 values={"low_motivation": FactorValue("high", 81.0)})
    campaign = campaign_create(by=case.coordinator, municipality=case.first,
                               title="Концептуальные документы 2026", year=2026,
                               slots=["development_concept"], schools=[case.a, case.b],
                               deadline=dt.date(2026, 11, 15))
    version = document_upload(by=case.school_admin, campaign=campaign, school=case.a,
                              slot="development_concept", upload=pdf())
    roadmap_a, items = complete_roadmap(case.school_admin, case.a, t["A"])
    roadmap_c, _ = complete_roadmap(case.admin, case.c, t["C"])
    review = review_campaign_create(by=case.coordinator, municipality=case.first,
                                    title="Экспертиза дорожных карт 2026",
                                    deadline=dt.date(2026, 12, 20))
    roadmap_submit(by=case.school_admin, roadmap=roadmap_a)
    item = ReviewItem.objects.get(roadmap=roadmap_a)
    sheet = reviewer_assign(by=case.coordinator, item=item, reviewer=case.curator)
    rubric = rubric_create(by=case.coordinator, municipality=case.first, title="Лист УО",
                           criteria=[CriterionData(title="Цели", min_score=0, max_score=3)])
    return {"rubric:Первый": rubric, "rubric:default": default_rubric(),
            "roadmap:A": roadmap_a, "roadmap:C": roadmap_c, "measure:A": items["early"],
            "campaign:Первый": campaign, "document:A": version.document,
            "review:Первый": review, "item:A": item, "sheet:curator": sheet}


def programmes_requests(target: Any) -> dict[str, tuple[str, str, Any]]:
    """(method, url, data) of the programmes' pages and actions on ``target``."""
    pk = getattr(target, "pk", None)
    return {
        "prog_home": ("get", "/programmes/", {}),
        "prog_school": ("get", f"/programmes/schools/{pk}/", {}),
        "prog_panel": ("get", f"/programmes/schools/{pk}/panel/", {}),
        "prog_heat_map": ("get", "/programmes/profiles/", {}),
        "prog_profile_edit": ("get", f"/programmes/schools/{pk}/profile/2026/", {}),
        "prog_profile_import": ("get", "/programmes/profiles/import/", {}),
        "prog_campaigns": ("get", "/programmes/campaigns/", {}),
        "prog_campaign_new": ("get", "/programmes/campaigns/new/", {}),
        "prog_campaign": ("get", f"/programmes/campaigns/{pk}/", {}),
        "prog_document": ("get", f"/programmes/documents/{pk}/", {}),
        "prog_roadmap_new": ("get", f"/programmes/schools/{pk}/roadmaps/new/", {}),
        "prog_roadmap": ("get", f"/programmes/roadmaps/{pk}/", {}),
        "prog_roadmap_edit": ("get", f"/programmes/roadmaps/{pk}/edit/", {}),
        "prog_roadmap_export": ("get", f"/programmes/roadmaps/{pk}/export.xlsx", {}),
        "prog_comment": ("post", f"/programmes/roadmaps/{pk}/comments/",
                         {"text": "Уточните сроки"}),
        "prog_measure": ("get", f"/programmes/measures/{pk}/", {}),
        "prog_monitoring": ("get", "/programmes/monitoring/", {}),
        "prog_reviews": ("get", "/programmes/reviews/", {}),
        "prog_review_new": ("get", "/programmes/reviews/new/", {}),
        "prog_review": ("get", f"/programmes/reviews/{pk}/", {}),
        "prog_review_item": ("get", f"/programmes/reviews/items/{pk}/", {}),
        "prog_decide": ("post", f"/programmes/reviews/items/{pk}/decide/",
                        {"decision": "revise", "comment": "Доработать показатели"}),
        "prog_sheet": ("get", f"/programmes/reviews/sheets/{pk}/", {}),
        "prog_sheet_export": ("get", f"/programmes/reviews/sheets/{pk}/export.xlsx", {}),
        "api_prog_profiles": ("get", "/api/v1/programmes/profiles", {}),
        "api_prog_campaigns": ("get", "/api/v1/programmes/campaigns", {}),
        "api_prog_campaign": ("get", f"/api/v1/programmes/campaigns/{pk}", {}),
        "api_prog_roadmaps": ("get", "/api/v1/programmes/roadmaps", {}),
        "api_prog_roadmap": ("get", f"/api/v1/programmes/roadmaps/{pk}", {}),
        "api_prog_reviews": ("get", "/api/v1/programmes/reviews", {}),
        "prog_rubrics": ("get", "/programmes/reviews/rubrics/", {}),
        "prog_rubric": ("get", f"/programmes/reviews/rubrics/{pk}/", {}),
        "prog_rubric_new": ("get", "/programmes/reviews/rubrics/new/", {}),
        "prog_rubric_edit": ("get", f"/programmes/reviews/rubrics/{pk}/edit/", {}),
        "prog_rubric_save": ("post", f"/programmes/reviews/rubrics/{pk}/edit/", {
            "title": "Лист УО", "criteria-TOTAL_FORMS": "1", "criteria-INITIAL_FORMS": "0",
            "criteria-0-title": "Цели", "criteria-0-min_score": "0",
            "criteria-0-max_score": "3"}),
        "prog_rubric_delete": ("post", f"/programmes/reviews/rubrics/{pk}/delete/", {}),
        "api_prog_rubrics": ("get", "/api/v1/programmes/rubrics", {}),
        "api_prog_rubric": ("get", f"/api/v1/programmes/rubrics/{pk}", {}),
    }
