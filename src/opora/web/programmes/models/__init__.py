"""The programmes app's records: risk profiles, document campaigns, roadmaps, expert review."""

from opora.web.programmes.models.campaigns import (
    CampaignSchool,
    DocumentCampaign,
    DocumentVersion,
    ProgramDocument,
    ReminderSent,
)
from opora.web.programmes.models.profiles import RiskFactorLevel, RiskProfile, RiskProfileImport
from opora.web.programmes.models.reviews import (
    ReviewAssignment,
    ReviewCampaign,
    ReviewItem,
    ReviewScore,
    Rubric,
    RubricCriterion,
)
from opora.web.programmes.models.roadmaps import (
    Measure,
    MeasureEvidence,
    Roadmap,
    RoadmapComment,
    RoadmapGoal,
    RoadmapImport,
    RoadmapIndicator,
    RoadmapProblem,
    RoadmapTask,
    RoadmapVersion,
)

__all__ = ["CampaignSchool", "DocumentCampaign", "DocumentVersion", "Measure", "MeasureEvidence",
           "ProgramDocument", "ReminderSent", "ReviewAssignment", "ReviewCampaign", "ReviewItem",
           "ReviewScore", "RiskFactorLevel", "RiskProfile", "RiskProfileImport", "Roadmap",
           "RoadmapComment", "RoadmapGoal", "RoadmapImport", "RoadmapIndicator", "RoadmapProblem",
           "RoadmapTask", "RoadmapVersion", "Rubric", "RubricCriterion"]
