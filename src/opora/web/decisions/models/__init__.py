"""Records of the recommendations, decisions and annual-cycle half of issue 16."""

from opora.web.decisions.models.cycle import CycleStage, Notification, SelfAssessment
from opora.web.decisions.models.meetings import Decision, Meeting, MeetingItem, PlanMeasure
from opora.web.decisions.models.recommendations import Recommendation

__all__ = ["CycleStage", "Decision", "Meeting", "MeetingItem", "Notification", "PlanMeasure",
           "Recommendation", "SelfAssessment"]
