"""What the programme tables' cached parts depend on, read in one small query.

The heat map of risk profiles, a campaign's table of schools × documents and the monitoring of
roadmaps are read all day by coordinators, curators and regional staff and change only when
someone records something. Every such change goes through a service that writes a history row
(simple-history), so the newest history row of each programme record — with the role assignments
(who sees which school), the registry (school names), the staff (responsible persons), the
approvals of roadmaps (append-only, no history) and the official lists (the heat map's flags) —
is a version (:func:`opora.web.core.history_tables.data_version`): a part rendered for one
version is valid until any of them moves. The date is part of each key too: «просрочен» changes
at midnight without any write.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model

from opora.web.accounts.models import RoleAssignment
from opora.web.analysis.models import ApprovedList
from opora.web.core.fragments import Fragment, cached_fragment
from opora.web.core.history_tables import data_version
from opora.web.programmes import models as programmes
from opora.web.schools.models import School
from opora.web.staff.models import Teacher

#: A part lives an hour at most: its key names what it depends on; the hour bounds the memory.
PART_SECONDS = 3600
#: Every programme record that keeps history (a test holds the list complete).
AUDITED: tuple[type[Model], ...] = (
    programmes.DocumentCampaign, programmes.CampaignSchool, programmes.ProgramDocument,
    programmes.DocumentVersion, programmes.RiskProfile, programmes.RiskFactorLevel,
    programmes.Rubric, programmes.RubricCriterion, programmes.ReviewCampaign,
    programmes.ReviewItem, programmes.ReviewAssignment, programmes.ReviewScore,
    programmes.Roadmap, programmes.RoadmapProblem, programmes.RoadmapGoal,
    programmes.RoadmapTask, programmes.RoadmapIndicator, programmes.Measure,
    programmes.MeasureEvidence, programmes.RoadmapComment,
    RoleAssignment, School, Teacher)
#: Append-only records without history, and the official lists (new or withdrawn).
COLUMNS: tuple[tuple[type[Model], str], ...] = (
    (programmes.RoadmapVersion, "id"), (ApprovedList, "id"), (ApprovedList, "withdrawn_at"))


def programmes_version() -> str:
    return data_version(AUDITED, COLUMNS)


def cached_part(key: str, build: Callable[[], Fragment]) -> Fragment:
    """``build()`` kept under ``key`` and the current version of the programme records."""
    return cached_fragment(f"{key}:v{programmes_version()}", build, seconds=PART_SECONDS)
